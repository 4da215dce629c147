package handlers

// The artisan record page: every field as the reader may see it, the workflow buttons the
// policy and the status allow, and the history.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// artisanDetailData is the Data of artisans/show.
type artisanDetailData struct {
	ID            int64
	RegNo, Status string
	personName
	Groups                  []detailGroup
	RejectReason            string // why the record was sent back, while it is rejected
	EditHref, DocumentsHref string
	Steps                   []stepForm
	History                 []historyRow
	Problem                 problem
}

type detailGroup struct {
	Title string
	Rows  []detailRow
}

type detailRow struct{ Label, Value string }

// stepForm is one workflow button: a small POST form with the version read, and for
// reject and deactivate the reason the step needs (inside <details>, opened on error).
type stepForm struct {
	Step, Action, Label, Class string
	Version                    int64
	Controls                   []control
	Open                       bool
}

type historyRow struct {
	When, Who, Action, From, To, Reason, Note string
}

var artisanStepOrder = []string{"submit", "verify", "approve", "reject", "deactivate", "merge"}

func (s *Server) artisanPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderArtisan(c, fiber.StatusOK, id, "", nil)
}

// artisanStepSubmit runs one workflow step from its button; on failure the record shows
// again with the problem next to the button.
func (s *Server) artisanStepSubmit(step string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
		req := workflowRequest{Version: version, Note: c.FormValue("note"), Reason: c.FormValue("reason")}
		if step == "merge" {
			req.DuplicateID, _ = strconv.ParseInt(strings.TrimSpace(c.FormValue("duplicate_id")), 10, 64)
		}
		if _, err := s.artisanStep(c, step, id, req); err != nil {
			e := classify(err)
			switch e.Code {
			case app.EINVALID, app.ECONFLICT, app.EFORBIDDEN:
				return s.renderArtisan(c, statusOf[e.Code], id, step, e)
			}
			return err
		}
		s.flash(c, "success", "artisan.flash."+step)
		return c.Redirect("/artisans/"+idString(id), fiber.StatusSeeOther)
	}
}

// renderArtisan shows a record; failedStep and e describe a workflow step that failed.
func (s *Server) renderArtisan(c *fiber.Ctx, status int, id int64, failedStep string, e *app.Error) error {
	ctx, act, lang := c.UserContext(), actor(c), s.lang(c)
	a, err := s.artisans.Get(ctx, act, id)
	if err != nil {
		return err
	}
	events, err := s.artisans.History(ctx, act, id)
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &artisanDetailData{ID: a.ID, RegNo: deref(a.RegistrationNo), Status: a.Status, personName: nameFor(lang, a.Name, a.NameHi)}
	if e != nil {
		data.Problem = problemOf(lang, e)
	}
	tr := func(key string) string { return views.T(lang, key, nil) }
	if a.Status != app.ArtisanInactive && s.authz.Can(act.UserID, a.District, "artisan", "edit") {
		data.EditHref = "/artisans/" + idString(a.ID) + "/edit"
	}
	if s.authz.Can(act.UserID, a.District, "document", "read") {
		data.DocumentsHref = "/artisans/" + idString(a.ID) + "/documents"
	}
	data.Steps = s.artisanSteps(lang, act, a, failedStep, data.Problem)
	for _, st := range data.Steps {
		if st.Step == failedStep {
			data.Problem.Items = summarize(st.Controls, data.Problem)
		}
	}
	data.Groups = artisanDetails(lang, refs, a, s.organisationName(c, a.OrganisationID, lang))
	for _, ev := range events {
		row := historyRow{When: formatDateTime(ev.At), Who: ev.ActorName, Action: tr("artisan.event." + ev.Action),
			To: tr("artisan.status." + ev.ToStatus), Reason: ev.Reason, Note: ev.Note}
		if ev.FromStatus != "" && ev.FromStatus != ev.ToStatus {
			row.From = tr("artisan.status." + ev.FromStatus)
		}
		if ev.Action == "deactivate" || ev.Action == "merge" {
			row.Reason = tr("artisan.deactivate_reason." + ev.Reason)
		}
		if ev.Action == "reject" && a.Status == app.ArtisanRejected {
			data.RejectReason = ev.Reason
		}
		data.History = append(data.History, row)
	}
	slices.Reverse(data.History) // newest first: what happened last matters most
	return s.render(c, status, "artisans/show", "artisan.show.title", data)
}

// artisanSteps lists the workflow buttons the actor may use on the record now: allowed by
// the policy in its district, possible from its status, and never verifying one's own.
func (s *Server) artisanSteps(lang string, act app.Actor, a *app.Artisan, failed string, p problem) []stepForm {
	var out []stepForm
	for _, step := range artisanStepOrder {
		if !app.ArtisanStepAllowed(a.Status, step) || !s.authz.Can(act.UserID, a.District, "artisan", step) {
			continue
		}
		if step == "verify" && a.CreatedBy != nil && *a.CreatedBy == act.UserID {
			continue
		}
		f := stepForm{Step: step, Action: "/artisans/" + idString(a.ID) + "/" + step,
			Label: views.T(lang, "artisan.step."+step, nil), Class: "btn-primary", Version: a.Version}
		values := map[string]string{}
		var errs map[string]string
		if step == failed {
			errs = p.fields
			f.Open = true
		}
		b := formBuilder{lang: lang, values: values, errors: errs}
		switch step {
		case "reject":
			f.Class = "btn-danger"
			f.Controls = []control{b.textarea("reason", "artisan.field.reject_reason").req().id("f-reject-reason").
				hint(b.t("artisan.hint.reject_reason"))}
		case "deactivate":
			f.Class = "btn-danger"
			f.Controls = []control{
				b.choice("reason", "artisan.field.deactivate_reason", b.t("registry.choose"),
					enumOptions(b, "artisan.deactivate_reason.", app.ArtisanDeactivateReasons)).req().id("f-deactivate-reason"),
				b.textarea("note", "artisan.field.deactivate_note").id("f-deactivate-note"),
			}
		case "merge":
			f.Class = "btn-secondary"
			f.Controls = []control{b.text("duplicate_id", "artisan.field.merge_duplicate").req().id("f-merge-duplicate").
				mode("numeric").hint(b.t("artisan.hint.merge_duplicate"))}
		}
		out = append(out, f)
	}
	return out
}

// artisanDetails lays out every field of a record as the actor may see it.
func artisanDetails(lang string, refs *refLabels, a *app.Artisan, org string) []detailGroup {
	tr := func(key string) string { return views.T(lang, key, nil) }
	row := func(key, value string) detailRow { return detailRow{Label: tr(key), Value: value} }
	yesNo := tr("registry.bool.false")
	if a.Disability {
		yesNo = tr("registry.bool.true")
	}
	aadhaar := ""
	if a.AadhaarLast4 != "" {
		aadhaar = "XXXX XXXX " + a.AadhaarLast4
	}
	var crafts []string
	for _, c := range a.Crafts {
		crafts = append(crafts, refs.craft[c])
	}
	years := ""
	if a.YearsInCraft > 0 {
		years = strconv.Itoa(a.YearsInCraft)
	}
	deactivation := ""
	if a.DeactivationReason != "" {
		deactivation = strings.TrimSuffix(tr("artisan.deactivate_reason."+a.DeactivationReason)+" — "+a.DeactivationNote, " — ")
	}
	groups := []detailGroup{
		{Title: tr("artisan.section.identity"), Rows: []detailRow{
			row("artisan.field.relative_name", a.RelativeName),
			row("artisan.field.gender", tr("artisan.gender."+a.Gender)),
			row("artisan.field.date_of_birth", formatISODate(a.DateOfBirth)),
			row("artisan.field.social_category", tr("artisan.social."+a.SocialCategory)),
			row("artisan.field.disability", yesNo),
		}},
		{Title: tr("artisan.section.contact"), Rows: []detailRow{
			row("artisan.field.mobile", a.Mobile),
			row("artisan.field.district", refs.district[a.District]),
			row("artisan.field.tehsil", a.Tehsil),
			row("artisan.field.village", a.Village),
			row("artisan.field.pin_code", a.PINCode),
		}},
		{Title: tr("artisan.section.craft"), Rows: []detailRow{
			row("artisan.field.primary_craft", refs.craft[a.PrimaryCraft]),
			row("craft.field.sector", tr("craft.sector."+a.Sector)),
			row("artisan.field.crafts", strings.Join(crafts, ", ")),
			row("artisan.field.years_in_craft", years),
		}},
		{Title: tr("artisan.section.ids"), Rows: []detailRow{
			row("artisan.field.aadhaar", aadhaar),
			row("artisan.field.pehchan_id", a.PehchanID),
			row("artisan.field.weaver_id", a.WeaverID),
			row("artisan.field.udyam", a.Udyam),
			row("artisan.field.pan", a.PAN),
			row("artisan.field.gstin", a.GSTIN),
		}},
		{Title: tr("artisan.section.bank"), Rows: []detailRow{
			row("artisan.field.bank_account", a.BankAccount),
			row("artisan.field.ifsc", a.IFSC),
		}},
		{Title: tr("artisan.section.record"), Rows: []detailRow{
			row("artisan.field.organisation", org),
			row("artisan.field.created_at", formatDateTime(a.CreatedAt)),
			row("artisan.field.status_changed_at", formatDateTime(a.StatusChangedAt)),
			row("artisan.field.deactivation", deactivation),
		}},
	}
	return groups
}

// organisationName names an artisan's organisation, or "" when none or not readable.
func (s *Server) organisationName(c *fiber.Ctx, id *int64, lang string) string {
	if id == nil {
		return ""
	}
	o, err := s.organisations.Get(c.UserContext(), actor(c), *id)
	if err != nil {
		return ""
	}
	if lang == "hi" && o.NameHi != "" {
		return o.NameHi
	}
	return o.Name
}
