package handlers

// The onboarding board (one platform's artisans in columns by stage) and the move form
// every card and the artisan's onboarding tab carry. A move is a plain form POST that
// redirects back; views/static/js/onboarding.js sends the same form with fetch and moves
// the card without reloading.

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// moveForm is the small form that moves one artisan on one platform.
type moveForm struct {
	ID, CSRF     string // ID prefixes the form's element ids, unique on the page
	Action, Next string
	Version      int64
	Stages       []option
	Reasons      []option
	Note         string
	CanEdit      bool
}

// boardData is the Data of onboarding/board.
type boardData struct {
	Platforms, Districts      []option
	Crafts                    []optionGroup
	Platform, District, Craft string
	Columns                   []boardColumn
}

type boardColumn struct {
	Stage, Label string
	Count        int64
	More         int64 // cards not shown
	Cards        []boardCard
}

type boardCard struct {
	Name, District, Craft, Href string
	Reason                      string
	Form                        moveForm
}

func (s *Server) onboardingBoardPage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	platforms, err := s.ref.Platforms(ctx)
	if err != nil {
		return err
	}
	d := &boardData{Platform: c.Query("platform"), District: c.Query("district"), Craft: c.Query("craft")}
	if d.Platform == "" && len(platforms) > 0 {
		d.Platform = platforms[0].Slug
	}
	for _, p := range platforms {
		if p.Active {
			d.Platforms = append(d.Platforms, option{Value: p.Slug, Label: pick(lang, p.NameEn, p.NameHi), Selected: p.Slug == d.Platform})
		}
	}
	names, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	d.Districts, d.Crafts = names.districtOptions(s.authz.Scope(a.UserID, "onboarding", "read")), names.craftGroups(lang, d.Craft)
	for i := range d.Districts {
		d.Districts[i].Selected = d.Districts[i].Value == d.District
	}
	for _, g := range d.Crafts {
		for i := range g.Options {
			g.Options[i].Selected = g.Options[i].Value == d.Craft
		}
	}
	cols, err := s.onboarding().Board(ctx, a, app.OnboardingFilter{Platform: d.Platform, District: d.District, Craft: d.Craft})
	if err != nil {
		return err
	}
	next := "/onboarding?" + c.Context().QueryArgs().String()
	for _, col := range cols {
		bc := boardColumn{Stage: col.Stage, Label: views.T(lang, "onboarding.stage."+col.Stage, nil), Count: col.Count,
			More: col.Count - int64(len(col.Cards))}
		for _, r := range col.Cards {
			bc.Cards = append(bc.Cards, boardCard{Name: pick(lang, r.ArtisanName, r.ArtisanNameHi),
				District: names.district[r.District], Craft: names.craft[r.Craft], Href: "/artisans/" + idString(r.ArtisanID) + "/onboarding",
				Reason: reasonLabel(lang, r.Reason),
				Form:   s.moveFormOf(c, lang, r, r.District, next)})
		}
		d.Columns = append(d.Columns, bc)
	}
	return s.render(c, fiber.StatusOK, "onboarding/board", "onboarding.board.title", d)
}

// moveFormOf builds the move form of record r for an artisan of district.
func (s *Server) moveFormOf(c *fiber.Ctx, lang string, r app.OnboardingRecord, district, next string) moveForm {
	f := moveForm{ID: "m" + idString(r.ArtisanID) + "-" + r.Platform, CSRF: s.csrfToken(c),
		Action: "/artisans/" + idString(r.ArtisanID) + "/onboarding/" + r.Platform, Next: next,
		Version: r.Version, Note: r.Note, CanEdit: s.authz.Can(actor(c).UserID, district, "onboarding", "edit")}
	for _, st := range app.OnboardingStages() {
		f.Stages = append(f.Stages, option{Value: st, Label: views.T(lang, "onboarding.stage."+st, nil), Selected: st == r.Stage})
	}
	f.Reasons = append(f.Reasons, option{Label: views.T(lang, "onboarding.reason.none", nil), Selected: r.Reason == ""})
	for _, rs := range app.OnboardingReasons {
		f.Reasons = append(f.Reasons, option{Value: rs, Label: views.T(lang, "onboarding.reason."+rs, nil), Selected: rs == r.Reason})
	}
	return f
}

func reasonLabel(lang, reason string) string {
	if reason == "" {
		return ""
	}
	return views.T(lang, "onboarding.reason."+reason, nil)
}

// onboardingMoveSubmit moves a record from a card or the tab. A fetch from onboarding.js
// (Accept: application/json) gets the record or the error as JSON; a plain form gets a
// redirect back with a flash, or the error page of the refusal.
func (s *Server) onboardingMoveSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	in := app.OnboardingMove{Stage: c.FormValue("stage"), Reason: c.FormValue("reason"), Note: c.FormValue("note"),
		Version: version}
	if v := c.FormValue("seller_id"); v != "" {
		in.SellerID = &v
	}
	r, err := s.onboarding().Move(c.UserContext(), actor(c), id, c.Params("platform"), in)
	wantsJSON := strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON)
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		msg := s.moveProblem(s.lang(c), e)
		if wantsJSON {
			return c.Status(statusOf[e.Code]).JSON(fiber.Map{"error": fiber.Map{"code": e.Code, "message": msg}})
		}
		return s.render(c, statusOf[e.Code], "errors/error", "onboarding.move_refused",
			views.ErrorData{Status: statusOf[e.Code], Title: views.T(s.lang(c), "onboarding.move_refused", nil), Message: msg})
	}
	if wantsJSON {
		return c.JSON(r)
	}
	s.flash(c, "success", "onboarding.moved")
	return c.Redirect(safeNext(c.FormValue("next", "/artisans/"+idString(id)+"/onboarding")), fiber.StatusSeeOther)
}

// moveProblem joins the messages of a refused move into one line.
func (s *Server) moveProblem(lang string, e *app.Error) string {
	parts := []string{localize(lang, e.Message)}
	for _, code := range append(app.DocumentCodes, "stage", "reason", "note", "artisan_id", "seller_id", "last_sale_on") {
		field := code
		if slices.Contains(app.DocumentCodes, code) {
			field = "documents." + code
		}
		if m, ok := e.Fields[field]; ok {
			parts = append(parts, localize(lang, m))
		}
	}
	return strings.Join(parts, " ")
}

// boardLink is the board of a platform, as the tab links it.
func boardLink(platform string) string { return "/onboarding?platform=" + url.QueryEscape(platform) }
