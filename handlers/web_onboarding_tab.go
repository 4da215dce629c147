package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// tabData is the Data of onboarding/artisan: each platform's stage, history and move
// form, and the readiness checklist.
type tabData struct {
	ArtisanURL, Name, NameHi string
	Platforms                []tabPlatform
}

type tabPlatform struct {
	Name, Stage, Reason, Note, SellerID, Board string
	LiveListings                               int
	History                                    []tabEvent
	Form                                       moveForm
	Checks                                     []tabCheck
	Score                                      string
}

type tabEvent struct{ At, From, To, By, Note string }

type tabCheck struct {
	Label  string
	Passed bool
}

var onboardingIST = time.FixedZone("IST", 5*3600+1800)

func (s *Server) onboardingTabPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	records, err := s.onboarding().ForArtisan(ctx, a, id)
	if err != nil {
		return err
	}
	art, err := s.artisans.Get(ctx, a, id)
	if err != nil {
		return err
	}
	ready, err := (&app.Readiness{DB: s.db, Authz: s.authz}).ForArtisan(ctx, a, id)
	if err != nil {
		ready = nil // the checklist is a help, not a condition of the tab
	}
	platforms, err := s.ref.Platforms(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range platforms {
		names[p.Slug] = pick(lang, p.NameEn, p.NameHi)
	}
	d := &tabData{ArtisanURL: "/artisans/" + idString(id), Name: art.Name, NameHi: art.NameHi}
	self := "/artisans/" + idString(id) + "/onboarding"
	for _, r := range records {
		tp := tabPlatform{Name: names[r.Platform], Stage: views.T(lang, "onboarding.stage."+r.Stage, nil),
			Reason: reasonLabel(lang, r.Reason), Note: r.Note, SellerID: r.SellerID, LiveListings: r.LiveListings,
			Board: boardLink(r.Platform), Form: s.moveFormOf(c, lang, r, art.District, self)}
		for _, h := range r.History {
			tp.History = append(tp.History, tabEvent{At: h.At.In(onboardingIST).Format("02-01-2006 15:04"),
				From: views.T(lang, "onboarding.stage."+h.FromStage, nil), To: views.T(lang, "onboarding.stage."+h.ToStage, nil),
				By: h.ActorName, Note: h.Note})
		}
		for _, pr := range ready {
			if pr.Platform != r.Platform {
				continue
			}
			tp.Score = views.T(lang, "onboarding.readiness.score", map[string]string{
				"passed": idString(int64(pr.Passed)), "total": idString(int64(pr.Total))})
			for _, ck := range pr.Checks {
				tp.Checks = append(tp.Checks, tabCheck{Label: checkLabel(lang, ck), Passed: ck.Passed})
			}
		}
		d.Platforms = append(d.Platforms, tp)
	}
	return s.render(c, fiber.StatusOK, "onboarding/artisan", "onboarding.tab.title", d)
}

// checkLabel names a readiness check: the document it is about, or the check itself.
func checkLabel(lang string, ck app.ReadinessCheck) string {
	if ck.Document != "" && views.HasKey("onboarding.doc."+ck.Document) {
		return views.T(lang, "onboarding.doc."+ck.Document, nil)
	}
	if views.HasKey("onboarding.check." + ck.Check) {
		return views.T(lang, "onboarding.check."+ck.Check, nil)
	}
	return ck.Check
}
