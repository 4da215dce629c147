package handlers

// The registry pages: the artisan list, form, record and workflow buttons, and the inbox.
// The small form and label helpers at the end are shared with the organisation and craft
// pages.

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// artisanListParams are the query parameters of the list filter; the next-page link and
// the export links carry them unchanged, so each shows what the page shows.
var artisanListParams = []string{"q", "district", "craft", "sector", "status", "gender", "social_category",
	"organisation_id", "has_gstin", "has_pan", "has_bank", "sort"}

// artisanListData is the Data of artisans/list.
type artisanListData struct {
	Search, Filters, More []control
	MoreOpen, Filtered    bool
	Problem               problem
	Total                 string
	Rows                  []artisanRow
	FirstHref, NextHref   string
	ExportCSV, ExportXLSX string // empty when the policy does not allow export
	NewHref, ImportHref   string // empty when the policy does not allow them
}

type artisanRow struct {
	Href, RegNo, District, Craft, Status, Mobile string
	personName
}

// personName is a name in the reader's script first, the other below it: Hindi readers
// see the Hindi name, when there is one, above the English one.
type personName struct {
	Name, Alt, AltLang string
}

func nameFor(lang, en, hi string) personName {
	switch {
	case hi == "":
		return personName{Name: en}
	case lang == "hi":
		return personName{Name: hi, Alt: en, AltLang: "en"}
	}
	return personName{Name: en, Alt: hi, AltLang: "hi"}
}

func (s *Server) artisanListPage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	kept := url.Values{}
	for _, k := range artisanListParams {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			values[k] = v
			kept.Set(k, v)
		}
	}
	data := &artisanListData{Filtered: len(kept) > 0 && !(len(kept) == 1 && kept.Has("sort"))}
	status := fiber.StatusOK
	var page app.ArtisanPage
	f, err := artisanFilterOf(c)
	if err == nil {
		page, err = s.artisans.List(ctx, a, f)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status = statusOf[e.Code]
		data.Problem = problemOf(lang, e)
		data.Problem.LinkHref, data.Problem.LinkText = "/artisans", views.T(lang, "artisan.list.start_again", nil)
	}

	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	readScope := s.authz.Scope(a.UserID, "artisan", "read")
	anyOf := b.t("registry.any")
	data.Search = []control{b.text("q", "artisan.filter.q").hint(b.t("artisan.filter.q_hint")).typ("search")}
	data.Filters = []control{
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(readScope))),
		b.choice("craft", "artisan.field.primary_craft", anyOf, refs.craftGroups(lang, "")...),
		b.choice("status", "artisan.field.status", anyOf, enumOptions(b, "artisan.status.", app.ArtisanStatuses())),
		b.choice("sort", "artisan.filter.sort", "", enumOptions(b, "artisan.sort.",
			[]string{app.ArtisanSortCreated, app.ArtisanSortName, app.ArtisanSortRegistrationNo})),
	}
	data.More = []control{
		b.choice("sector", "craft.field.sector", anyOf, enumOptions(b, "craft.sector.", app.Sectors)),
		b.choice("gender", "artisan.field.gender", anyOf, enumOptions(b, "artisan.gender.", app.ArtisanGenders)),
		b.choice("social_category", "artisan.field.social_category", anyOf,
			enumOptions(b, "artisan.social.", app.ArtisanSocialCategories)),
	}
	// Organisations are listed for one district at a time: state-wide there are too many.
	if values["district"] != "" || !readScope.All {
		orgs, err := s.organisations.List(ctx, a, app.OrganisationFilter{District: values["district"]})
		if err != nil {
			return err
		}
		data.More = append(data.More, b.choice("organisation_id", "artisan.field.organisation", anyOf,
			organisationGroups(refs, orgs)...))
	}
	for _, k := range []string{"has_gstin", "has_pan", "has_bank"} {
		data.More = append(data.More, b.choice(k, "artisan.filter."+k, anyOf, enumOptions(b, "registry.bool.", []string{"true", "false"})))
	}
	data.Problem.Items = summarize(slices.Concat(data.Search, data.Filters, data.More), data.Problem)
	for _, k := range []string{"sector", "gender", "social_category", "organisation_id", "has_gstin", "has_pan", "has_bank"} {
		data.MoreOpen = data.MoreOpen || values[k] != ""
	}

	count := map[string]string{"count": app.FormatIndian(page.Total)}
	data.Total = views.T(lang, "artisan.list.total", count)
	if page.Total == 1 {
		data.Total = views.T(lang, "artisan.list.total_one", count)
	}
	for _, it := range page.Items {
		data.Rows = append(data.Rows, artisanRow{
			Href: "/artisans/" + idString(it.ID), RegNo: deref(it.RegistrationNo), personName: nameFor(lang, it.Name, it.NameHi),
			District: refs.district[it.District], Craft: refs.craft[it.PrimaryCraft], Status: it.Status, Mobile: it.Mobile,
		})
	}
	query := kept.Encode()
	if c.Query("cursor") != "" {
		data.FirstHref = "/artisans?" + query
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range kept {
			next[k] = v
		}
		next.Set("cursor", page.NextCursor)
		data.NextHref = "/artisans?" + next.Encode()
	}
	if s.authz.Allowed(a.UserID, "artisan", "export") {
		data.ExportCSV = "/artisans/export?" + withFormat("csv", query)
		data.ExportXLSX = "/artisans/export?" + withFormat("xlsx", query)
	}
	if s.authz.Allowed(a.UserID, "artisan", "create") {
		data.NewHref = "/artisans/new"
	}
	if s.authz.Allowed(a.UserID, "artisan", "import") {
		data.ImportHref = "/imports/artisans"
	}
	return s.render(c, status, "artisans/list", "artisan.list.title", data)
}

func withFormat(format, query string) string {
	if query == "" {
		return "format=" + format
	}
	return "format=" + format + "&" + query
}

// artisanFormData is the Data of artisans/form, for a new record and for an edit.
type artisanFormData struct {
	Action, Cancel string
	Version        int64 // 0 on a new record
	Sections       []formSection
	Problem        problem
	Confirm        *control // "save anyway", offered after a possible-duplicate warning
}

func (s *Server) artisanNewPage(c *fiber.Ctx) error {
	values := map[string]string{}
	if ds := s.authz.Scope(actor(c).UserID, "artisan", "create").Districts; len(ds) == 1 {
		values["district"] = ds[0]
	}
	return s.renderArtisanForm(c, fiber.StatusOK, 0, values, nil)
}

func (s *Server) artisanEditPage(c *fiber.Ctx) error {
	a, err := s.editableArtisan(c)
	if err != nil {
		return err
	}
	return s.renderArtisanForm(c, fiber.StatusOK, a.ID, artisanValues(a), nil)
}

// editableArtisan loads the record of the :id parameter, refusing one the actor may read
// but not edit, as the save would.
func (s *Server) editableArtisan(c *fiber.Ctx) (*app.Artisan, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.artisans.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, err
	}
	if !s.authz.Can(actor(c).UserID, a.District, "artisan", "edit") {
		return nil, app.ErrForbidden
	}
	return a, nil
}

func (s *Server) artisanCreateSubmit(c *fiber.Ctx) error {
	in := app.ArtisanInput{}
	artisanInputOf(c, &in)
	a, err := s.artisans.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return s.artisanFormFailed(c, 0, err)
	}
	s.flash(c, "success", "artisan.flash.created")
	return c.Redirect("/artisans/"+idString(a.ID), fiber.StatusSeeOther)
}

func (s *Server) artisanUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, err = s.artisans.Patch(c.UserContext(), actor(c), id, func(in *app.ArtisanInput) error {
		stored := *in
		artisanInputOf(c, in)
		// A reader without view_personal sees mobile, PAN and account masked; a mask sent
		// back unchanged means "keep", never a new value.
		keepMasked(&in.Mobile, stored.Mobile)
		keepMasked(&in.PAN, stored.PAN)
		keepMasked(&in.BankAccount, stored.BankAccount)
		return nil
	})
	if err != nil {
		return s.artisanFormFailed(c, id, err)
	}
	s.flash(c, "success", "artisan.flash.saved")
	return c.Redirect("/artisans/"+idString(id), fiber.StatusSeeOther)
}

func keepMasked(field *string, stored string) {
	if *field != "" && strings.Contains(*field, "X") && strings.TrimSpace(*field) == app.MaskTail(stored) {
		*field = stored
	}
}

// artisanFormFailed shows the form again with the problem, or passes on an error that is
// not about the form (not found, forbidden, internal) to the error page.
func (s *Server) artisanFormFailed(c *fiber.Ctx, id int64, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range artisanFields {
		values[k] = c.FormValue(k)
	}
	values["crafts"] = strings.Join(formValues(c, "crafts"), ",")
	values["confirm_duplicate"] = c.FormValue("confirm_duplicate")
	values["version"] = c.FormValue("version")
	delete(values, "aadhaar") // never sent back to the browser
	return s.renderArtisanForm(c, statusOf[e.Code], id, values, e)
}

// artisanFields are the form's inputs besides crafts, disability and the Aadhaar number.
var artisanFields = []string{"name", "name_hi", "relative_name", "gender", "date_of_birth", "social_category",
	"disability", "mobile", "district", "tehsil", "village", "pin_code", "primary_craft", "years_in_craft",
	"pehchan_id", "weaver_id", "udyam", "pan", "gstin", "bank_account", "ifsc", "organisation_id"}

// artisanInputOf fills in from the submitted form. Every field is on the form, so every
// field is set; an empty Aadhaar keeps the one on record.
func artisanInputOf(c *fiber.Ctx, in *app.ArtisanInput) {
	in.Name, in.NameHi, in.RelativeName = c.FormValue("name"), c.FormValue("name_hi"), c.FormValue("relative_name")
	in.Gender, in.DateOfBirth, in.SocialCategory = c.FormValue("gender"), isoDate(c.FormValue("date_of_birth")), c.FormValue("social_category")
	in.Disability = c.FormValue("disability") != ""
	in.Mobile, in.Aadhaar = c.FormValue("mobile"), app.AadhaarNumber(c.FormValue("aadhaar"))
	in.District, in.Tehsil, in.Village, in.PINCode = c.FormValue("district"), c.FormValue("tehsil"), c.FormValue("village"), c.FormValue("pin_code")
	in.PrimaryCraft, in.Crafts = c.FormValue("primary_craft"), formValues(c, "crafts")
	// An unreadable number becomes -1, which validation reports on its field.
	in.YearsInCraft = formInt(c.FormValue("years_in_craft"))
	in.PehchanID, in.WeaverID, in.Udyam = c.FormValue("pehchan_id"), c.FormValue("weaver_id"), c.FormValue("udyam")
	in.PAN, in.GSTIN = c.FormValue("pan"), c.FormValue("gstin")
	in.BankAccount, in.IFSC = c.FormValue("bank_account"), c.FormValue("ifsc")
	in.OrganisationID = nil
	if v := strings.TrimSpace(c.FormValue("organisation_id")); v != "" {
		n := int64(formInt(v))
		in.OrganisationID = &n
	}
	in.ConfirmDuplicate = c.FormValue("confirm_duplicate") != ""
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
}

// artisanValues are the form values of a stored record.
func artisanValues(a *app.Artisan) map[string]string {
	v := map[string]string{
		"name": a.Name, "name_hi": a.NameHi, "relative_name": a.RelativeName, "gender": a.Gender,
		"date_of_birth": formatISODate(a.DateOfBirth), "social_category": a.SocialCategory, "mobile": a.Mobile,
		"district": a.District, "tehsil": a.Tehsil, "village": a.Village, "pin_code": a.PINCode,
		"primary_craft": a.PrimaryCraft, "crafts": strings.Join(a.Crafts, ","),
		"years_in_craft": strconv.Itoa(a.YearsInCraft), "pehchan_id": a.PehchanID, "weaver_id": a.WeaverID,
		"udyam": a.Udyam, "pan": a.PAN, "gstin": a.GSTIN, "bank_account": a.BankAccount, "ifsc": a.IFSC,
		"version": strconv.FormatInt(a.Version, 10),
	}
	if a.Disability {
		v["disability"] = "1"
	}
	if a.OrganisationID != nil {
		v["organisation_id"] = idString(*a.OrganisationID)
	}
	return v
}

// renderArtisanForm shows the artisan form; id 0 is a new record.
func (s *Server) renderArtisanForm(c *fiber.Ctx, status int, id int64, values map[string]string, e *app.Error) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	title, scopeAction := "artisan.new.title", "create"
	data := &artisanFormData{Action: "/artisans", Cancel: "/artisans"}
	var last4 string
	if id != 0 {
		title, scopeAction = "artisan.edit.title", "edit"
		data.Action, data.Cancel = "/artisans/"+idString(id), "/artisans/"+idString(id)
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
		cur, err := s.artisans.Get(ctx, a, id)
		if err != nil {
			return err
		}
		last4 = cur.AadhaarLast4
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	orgs, err := s.organisations.List(ctx, a, app.OrganisationFilter{})
	if err != nil {
		return err
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	scope := s.authz.Scope(a.UserID, "artisan", scopeAction)
	choose := b.t("registry.choose")

	aadhaarHint := b.t("artisan.hint.aadhaar")
	if id != 0 && last4 != "" {
		aadhaarHint += " " + views.T(lang, "artisan.hint.aadhaar_keep", map[string]string{"last4": last4})
	}
	selected := strings.Split(values["crafts"], ",")
	crafts := b.checks("crafts", "artisan.field.crafts", selected, refs.craftGroups(lang, values["primary_craft"])...).
		hint(b.t("artisan.hint.crafts"))
	activeOrgs := slices.DeleteFunc(slices.Clone(orgs), func(o app.Organisation) bool {
		return !o.Active && values["organisation_id"] != idString(o.ID)
	})
	data.Sections = []formSection{
		{Legend: b.t("artisan.section.identity"), Controls: []control{
			b.text("name", "artisan.field.name").req().maxlen(100).hint(b.t("artisan.hint.name")),
			b.text("name_hi", "artisan.field.name_hi").maxlen(100).hint(b.t("artisan.hint.name_hi")),
			b.text("relative_name", "artisan.field.relative_name").req().maxlen(100).hint(b.t("artisan.hint.relative_name")),
			b.choice("gender", "artisan.field.gender", choose, enumOptions(b, "artisan.gender.", app.ArtisanGenders)).req(),
			// Text, not type=date: the browser shows a date field in its own locale's order,
			// often mm/dd/yyyy, where officials read and type day first.
			b.text("date_of_birth", "artisan.field.date_of_birth").req().mode("numeric").maxlen(10).
				hint(b.t("artisan.hint.date_of_birth")),
			b.choice("social_category", "artisan.field.social_category", choose,
				enumOptions(b, "artisan.social.", app.ArtisanSocialCategories)).req(),
			b.checkbox("disability", "artisan.field.disability"),
		}},
		{Legend: b.t("artisan.section.contact"), Controls: []control{
			b.text("mobile", "artisan.field.mobile").req().typ("tel").mode("numeric").maxlen(14).hint(b.t("artisan.hint.mobile")),
			b.choice("district", "artisan.field.district", choose, plain(refs.districtOptions(scope))).req(),
			b.text("tehsil", "artisan.field.tehsil").maxlen(100),
			b.text("village", "artisan.field.village").maxlen(100),
			b.text("pin_code", "artisan.field.pin_code").mode("numeric").maxlen(7).hint(b.t("artisan.hint.pin_code")),
		}},
		{Legend: b.t("artisan.section.craft"), Controls: []control{
			b.choice("primary_craft", "artisan.field.primary_craft", choose, refs.craftGroups(lang, values["primary_craft"])...).req(),
			crafts,
			b.text("years_in_craft", "artisan.field.years_in_craft").mode("numeric").maxlen(3),
		}},
		{Legend: b.t("artisan.section.ids"), Controls: []control{
			b.text("aadhaar", "artisan.field.aadhaar").mode("numeric").maxlen(14).hint(aadhaarHint).noValue(),
			b.text("pehchan_id", "artisan.field.pehchan_id").code().maxlen(30),
			b.text("weaver_id", "artisan.field.weaver_id").code().maxlen(30),
			b.text("udyam", "artisan.field.udyam").code().maxlen(19).hint(b.t("artisan.hint.udyam")),
			b.text("pan", "artisan.field.pan").code().maxlen(10).hint(b.t("artisan.hint.pan")),
			b.text("gstin", "artisan.field.gstin").code().maxlen(15).hint(b.t("artisan.hint.gstin")),
		}},
		{Legend: b.t("artisan.section.bank"), Controls: []control{
			b.text("bank_account", "artisan.field.bank_account").mode("numeric").maxlen(18).hint(b.t("artisan.hint.bank_account")),
			b.text("ifsc", "artisan.field.ifsc").code().maxlen(11).hint(b.t("artisan.hint.ifsc")),
		}},
		{Legend: b.t("artisan.section.organisation"), Controls: []control{
			b.choice("organisation_id", "artisan.field.organisation", b.t("artisan.form.no_organisation"),
				organisationGroups(refs, activeOrgs)...).hint(b.t("artisan.hint.organisation")),
		}},
	}
	if e != nil && e.Message.Key == "artisan.possible_duplicate" {
		confirm := b.checkbox("confirm_duplicate", "artisan.field.confirm_duplicate").hint(b.t("artisan.hint.confirm_duplicate"))
		data.Confirm = &confirm
	}
	var controls []control
	for _, sec := range data.Sections {
		controls = append(controls, sec.Controls...)
	}
	data.Problem.Items = summarize(controls, data.Problem)
	return s.render(c, status, "artisans/form", title, data)
}

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

// artisanStepFrom mirrors the workflow of app/artisan_workflow.go: the statuses each step
// starts from. It only decides which buttons to show; the service decides what happens.
var artisanStepFrom = map[string][]string{
	"submit":     {app.ArtisanDraft, app.ArtisanRejected},
	"verify":     {app.ArtisanSubmitted},
	"approve":    {app.ArtisanVerified},
	"reject":     {app.ArtisanSubmitted, app.ArtisanVerified},
	"deactivate": {app.ArtisanApproved},
}

var artisanStepOrder = []string{"submit", "verify", "approve", "reject", "deactivate"}

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
		if !slices.Contains(artisanStepFrom[step], a.Status) || !s.authz.Can(act.UserID, a.District, "artisan", step) {
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

// inboxData is the Data of inbox/index.
type inboxData struct {
	Rows []inboxRow
}

type inboxRow struct {
	Href, District, Task, Age, Since, Status string
	personName
}

func (s *Server) inboxPage(c *fiber.Ctx) error {
	lang := s.lang(c)
	items, err := s.artisans.Inbox(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &inboxData{}
	for _, it := range items {
		data.Rows = append(data.Rows, inboxRow{
			Href: "/artisans/" + idString(it.Artisan.ID), personName: nameFor(lang, it.Artisan.Name, it.Artisan.NameHi),
			District: refs.district[it.Artisan.District], Task: views.T(lang, "inbox.task."+it.Task, nil),
			Age: ageText(lang, it.AgeDays), Since: formatDate(it.Since), Status: it.Artisan.Status,
		})
	}
	return s.render(c, fiber.StatusOK, "inbox/index", "inbox.title", data)
}

// ageText says how long an item has waited: "today", "1 day", "3 days".
func ageText(lang string, days int) string {
	switch {
	case days <= 0:
		return views.T(lang, "inbox.age.today", nil)
	case days == 1:
		return views.T(lang, "inbox.age.one", nil)
	}
	return views.T(lang, "inbox.age.many", map[string]string{"n": app.FormatIndian(int64(days))})
}

// ---- shared by the registry pages ----

// ist is the clock the officials read dates by.
var ist = time.FixedZone("IST", 5*3600+1800)

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ist).Format("02-01-2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ist).Format("02-01-2006 15:04")
}

// dayFirstDate is a date typed day first: 12-04-1985, 12/4/1985, 12.04.1985.
var dayFirstDate = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// isoDate turns a date typed day first into YYYY-MM-DD; anything else (a YYYY-MM-DD date,
// or something unreadable) passes unchanged for validation to judge.
func isoDate(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case '०' <= r && r <= '९':
			return r - '०' + '0'
		case r == ' ':
			return -1
		}
		return r
	}, s)
	m := dayFirstDate.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	return fmt.Sprintf("%s-%02d-%02d", m[3], month, day)
}

// formatISODate turns a stored YYYY-MM-DD date into DD-MM-YYYY.
func formatISODate(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("02-01-2006")
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// formInt reads a whole number typed in a form (Devanagari digits too); empty is 0 and
// anything unreadable -1, for validation to report.
func formInt(s string) int {
	s = app.NormalizeDigits(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// formValues returns every value of a repeated form field (checkboxes).
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		if s := strings.TrimSpace(string(v)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// refLabels names districts and crafts in the reader's language.
type refLabels struct {
	districts []app.District
	crafts    []app.Craft
	district  map[string]string // slug → name
	craft     map[string]string
}

func (s *Server) refLabels(c *fiber.Ctx, lang string) (*refLabels, error) {
	ds, err := s.ref.Districts(c.UserContext())
	if err != nil {
		return nil, err
	}
	cs, err := s.ref.Crafts(c.UserContext())
	if err != nil {
		return nil, err
	}
	r := &refLabels{districts: ds, crafts: cs, district: map[string]string{}, craft: map[string]string{}}
	for _, d := range ds {
		r.district[d.Slug] = pick(lang, d.NameEn, d.NameHi)
	}
	for _, c := range cs {
		r.craft[c.Slug] = pick(lang, c.NameEn, c.NameHi)
	}
	if lang == "hi" { // Hindi readers look a district up by its Hindi name
		slices.SortStableFunc(r.districts, func(a, b app.District) int { return strings.Compare(r.district[a.Slug], r.district[b.Slug]) })
	}
	return r, nil
}

// pick chooses the Hindi name for Hindi readers when there is one.
func pick(lang, en, hi string) string {
	if lang == "hi" && hi != "" {
		return hi
	}
	return en
}

// districtOptions lists the active districts inside scope.
func (r *refLabels) districtOptions(scope app.Scope) []option {
	var out []option
	for _, d := range r.districts {
		if d.Active && scope.Includes(d.Slug) {
			out = append(out, option{Value: d.Slug, Label: r.district[d.Slug]})
		}
	}
	return out
}

// craftGroups lists the active crafts (and keep, though inactive) by sector.
func (r *refLabels) craftGroups(lang, keep string) []optionGroup {
	var out []optionGroup
	for _, sector := range app.Sectors {
		g := optionGroup{Label: views.T(lang, "craft.sector."+sector, nil)}
		for _, c := range r.crafts {
			if c.Sector == sector && (c.Active || c.Slug == keep) {
				g.Options = append(g.Options, option{Value: c.Slug, Label: r.craft[c.Slug]})
			}
		}
		slices.SortFunc(g.Options, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// organisationGroups lists organisations by district; each option carries its district
// so app.js can offer only those of the district chosen.
func organisationGroups(refs *refLabels, orgs []app.Organisation) []optionGroup {
	var out []optionGroup
	for _, o := range orgs {
		if len(out) == 0 || out[len(out)-1].Label != refs.district[o.District] {
			out = append(out, optionGroup{Label: refs.district[o.District]})
		}
		g := &out[len(out)-1]
		label := o.Name
		if o.NameHi != "" {
			label += " · " + o.NameHi
		}
		g.Options = append(g.Options, option{Value: idString(o.ID), Label: label, District: o.District})
	}
	if len(out) == 1 {
		out[0].Label = ""
	}
	return out
}

// enumOptions lists fixed choices with their translated labels, prefix+value.
func enumOptions(b formBuilder, prefix string, values []string) optionGroup {
	g := optionGroup{}
	for _, v := range values {
		g.Options = append(g.Options, option{Value: v, Label: b.t(prefix + v)})
	}
	return g
}

// plain puts options in a group without a label.
func plain(options []option) optionGroup { return optionGroup{Options: options} }

// problem is what went wrong with a submitted form: the message, the field errors, and
// the error summary's links to the fields in form order.
type problem struct {
	Message            string
	Items              []summaryItem
	LinkHref, LinkText string            // e.g. reload the record after a conflict
	fields             map[string]string // field name → translated error
}

// summaryItem is one line of the error summary: "Mobile number: Enter a 10-digit …".
type summaryItem struct{ Href, Label, Text string }

// problemOf translates an app error for a page; the page then lists the field errors in
// its summary with summarize.
func problemOf(lang string, e *app.Error) problem {
	p := problem{Message: localize(lang, e.Message), fields: map[string]string{}}
	for f, m := range e.Fields {
		p.fields[f] = localize(lang, m)
	}
	if e.Code == app.EINVALID && len(p.fields) > 0 {
		p.Message = "" // the list of fields says it better than "correct the fields"
	}
	return p
}

// summarize lists the field errors for the error summary: those of the page's controls in
// their order, each linking to its control, then any others as plain text.
func summarize(controls []control, p problem) []summaryItem {
	var out []summaryItem
	seen := map[string]bool{}
	for _, c := range controls {
		if msg := p.fields[c.Name]; msg != "" && !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, summaryItem{Href: "#" + c.ID, Label: strings.TrimSuffix(c.Label, " *"), Text: msg})
		}
	}
	names := make([]string, 0, len(p.fields))
	for name := range p.fields {
		if !seen[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		out = append(out, summaryItem{Text: p.fields[name]})
	}
	return out
}

// option is one choice of a select or of a list of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
	District     string // of an organisation, for app.js
}

// optionGroup is an <optgroup>, or plain options when Label is empty.
type optionGroup struct {
	Label   string
	Options []option
}

// formSection is a <fieldset> of a form.
type formSection struct {
	Legend   string
	Controls []control
}

// control is one form control built by a handler. It has the fields partials/field reads,
// so text inputs render through that partial; partials/artisan_control renders the
// others (select, checkbox, checks, textarea).
type control struct {
	Kind                                      string
	ID, Name, Label, Type, Value, Error, Hint string
	Autocomplete, InputMode, MaxLength        string
	AutoCapitalize, Spellcheck                string
	Required, Checked, Open                   bool
	Chosen                                    string // "3 chosen", the summary of a closed checks list
	Groups                                    []optionGroup
}

// HintID, ErrorID and DescribedBy wire the hint and error to the control, as field does.
func (c control) HintID() string  { return c.ID + "-hint" }
func (c control) ErrorID() string { return c.ID + "-error" }
func (c control) DescribedBy() string {
	var ids []string
	if c.Hint != "" {
		ids = append(ids, c.HintID())
	}
	if c.Error != "" {
		ids = append(ids, c.ErrorID())
	}
	return strings.Join(ids, " ")
}

// req marks a required control; its label carries the asterisk the form's note explains.
func (c control) req() control {
	c.Required, c.Label = true, c.Label+" *"
	return c
}
func (c control) hint(h string) control {
	c.Hint = h
	return c
}
func (c control) typ(t string) control  { c.Type = t; return c }
func (c control) mode(m string) control { c.InputMode = m; return c }
func (c control) maxlen(n int) control  { c.MaxLength = strconv.Itoa(n); return c }
func (c control) noValue() control      { c.Value = ""; return c }

// id renames a control whose name is used twice on one page.
func (c control) id(id string) control { c.ID = id; return c }

// code is an identifier typed in capitals: no spell-check, capitals on phone keyboards.
func (c control) code() control {
	c.AutoCapitalize, c.Spellcheck = "characters", "false"
	return c
}

// formBuilder makes the controls of one form from the values to refill and the errors.
type formBuilder struct {
	lang   string
	values map[string]string
	errors map[string]string
}

func (b formBuilder) t(key string) string { return views.T(b.lang, key, nil) }

func (b formBuilder) control(kind, name, labelKey string) control {
	return control{Kind: kind, ID: "f-" + name, Name: name, Label: b.t(labelKey), Type: "text",
		Value: b.values[name], Error: b.errors[name]}
}

func (b formBuilder) text(name, labelKey string) control { return b.control("text", name, labelKey) }

func (b formBuilder) textarea(name, labelKey string) control {
	return b.control("textarea", name, labelKey)
}

func (b formBuilder) checkbox(name, labelKey string) control {
	c := b.control("checkbox", name, labelKey)
	c.Checked = c.Value != "" && c.Value != "false" && c.Value != "0"
	return c
}

// choice is a select; blank, when not empty, is the label of a first option with no value.
func (b formBuilder) choice(name, labelKey, blank string, groups ...optionGroup) control {
	c := b.control("select", name, labelKey)
	if blank != "" {
		c.Groups = append(c.Groups, optionGroup{Options: []option{{Label: blank}}})
	}
	for _, g := range groups {
		g.Options = slices.Clone(g.Options)
		c.Groups = append(c.Groups, g)
	}
	for gi := range c.Groups {
		for oi := range c.Groups[gi].Options {
			o := &c.Groups[gi].Options[oi]
			o.Selected = o.Value == c.Value
		}
	}
	return c
}

// checks is a list of checkboxes sharing one name, in a <details> that opens when some
// are chosen or in error.
func (b formBuilder) checks(name, labelKey string, selected []string, groups ...optionGroup) control {
	c := b.control("checks", name, labelKey)
	n := 0
	for _, g := range groups {
		g.Options = slices.Clone(g.Options)
		for i := range g.Options {
			g.Options[i].Selected = slices.Contains(selected, g.Options[i].Value)
			if g.Options[i].Selected {
				n++
			}
		}
		c.Groups = append(c.Groups, g)
	}
	c.Open = n > 0 || c.Error != ""
	c.Chosen = views.T(b.lang, "registry.chosen", map[string]string{"n": strconv.Itoa(n)})
	return c
}
