package handlers

// The scheme pages: the list, a scheme with its beneficiaries, and the form state
// administrators and board officials use to add and edit schemes and their eligibility
// rules under optimistic locking.

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// schemeListData is the Data of schemes/list.
type schemeListData struct {
	Rows       []schemeRow
	WithCounts bool   // the reader may read enrolments, so the counts mean something
	NewHref    string // empty when the policy does not allow adding
}

type schemeRow struct {
	Href, Sponsor, BenefitType, Dates, Active string
	personName
	Counts                []schemeCount
	Sanctioned, Disbursed string
}

// schemeCount is the number of a scheme's enrolments in one status, linked to their list.
type schemeCount struct {
	Label, Href string
	N           int64
}

// schemeListPage lists the schemes with their enrolments counted in the reader's districts,
// all read in one query.
func (s *Server) schemeListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	list, err := s.schemeAdmin().SchemeStats(c.UserContext(), a, "")
	if err != nil {
		return err
	}
	data := &schemeListData{WithCounts: s.authz.Allowed(a.UserID, "enrolment", "read")}
	for i := range list {
		sc := &list[i]
		row := schemeRow{Href: "/schemes/" + sc.Slug, personName: nameFor(lang, sc.NameEn, sc.NameHi),
			Sponsor: views.T(lang, "schemes.sponsor."+sc.Sponsor, nil), BenefitType: benefitLabel(lang, sc.BenefitType),
			Dates: schemeDates(&sc.SchemeDetail), Active: yesNo(lang, sc.Active)}
		if data.WithCounts {
			row.Counts = schemeCounts(lang, sc.Slug, sc.EnrolmentCounts)
			row.Sanctioned, row.Disbursed = app.FormatRupees(sc.SanctionedPaise), app.FormatRupees(sc.DisbursedPaise)
		}
		data.Rows = append(data.Rows, row)
	}
	if s.authz.Allowed(a.UserID, "scheme", "manage") {
		data.NewHref = "/schemes/new"
	}
	return s.render(c, fiber.StatusOK, "schemes/list", "schemes.list.title", data)
}

// schemeCounts lays out a scheme's enrolment counts in workflow order, each linked to the
// enrolment list filtered by the scheme and the status.
func schemeCounts(lang, slug string, c app.EnrolmentCounts) []schemeCount {
	n := map[string]int64{app.EnrolmentApplied: c.Applied, app.EnrolmentVerified: c.Verified,
		app.EnrolmentSanctioned: c.Sanctioned, app.EnrolmentDisbursed: c.Disbursed, app.EnrolmentRejected: c.Rejected}
	out := make([]schemeCount, 0, len(n))
	for _, st := range app.EnrolmentStatuses() {
		out = append(out, schemeCount{Label: views.T(lang, "enrolments.status."+st, nil), N: n[st],
			Href: "/enrolments?" + url.Values{"scheme": {slug}, "status": {st}}.Encode()})
	}
	return out
}

func benefitLabel(lang, benefit string) string {
	if benefit == "" {
		return ""
	}
	return views.T(lang, "schemes.benefit."+benefit, nil)
}

func yesNo(lang string, b bool) string {
	return views.T(lang, "registry.bool."+strconv.FormatBool(b), nil)
}

// schemeDates is the period a scheme takes applications, "" when it is open-ended.
func schemeDates(sc *app.SchemeDetail) string {
	if sc.StartsOn == "" && sc.EndsOn == "" {
		return ""
	}
	return strings.TrimSpace(formatISODate(sc.StartsOn) + " – " + formatISODate(sc.EndsOn))
}

// schemeDetailData is the Data of schemes/show.
type schemeDetailData struct {
	personName
	Groups                            []detailGroup
	EditHref, EligibleHref, ApplyHref string
	Beneficiaries                     *enrolmentTable // nil when the reader may not read enrolments
}

func (s *Server) schemePage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	found, err := s.schemeAdmin().SchemeStats(ctx, a, c.Params("slug"))
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return app.ErrNotFound
	}
	stats := &found[0]
	sc := &stats.SchemeDetail
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &schemeDetailData{personName: nameFor(lang, sc.NameEn, sc.NameHi), Groups: s.schemeDetails(c, lang, refs, sc)}
	if s.authz.Allowed(a.UserID, "scheme", "manage") {
		data.EditHref = "/schemes/" + sc.Slug + "/edit"
	}
	if s.authz.Allowed(a.UserID, "enrolment", "read") {
		data.Groups = append(data.Groups, schemeCountsGroup(lang, stats))
		data.EligibleHref = "/schemes/" + sc.Slug + "/eligible"
		f := app.EnrolmentFilter{Scheme: sc.Slug, Statuses: []string{app.EnrolmentSanctioned, app.EnrolmentDisbursed}}
		table, err := s.enrolmentTable(c, lang, refs, f, "/schemes/"+sc.Slug+"?")
		if err != nil {
			return err
		}
		data.Beneficiaries = table
	}
	if sc.Active && s.authz.Allowed(a.UserID, "enrolment", "create") {
		data.ApplyHref = "/enrolments/new?scheme=" + sc.Slug
	}
	return s.render(c, fiber.StatusOK, "schemes/show", "schemes.show.title", data)
}

// schemeCountsGroup lays out a scheme's enrolments in the reader's districts.
func schemeCountsGroup(lang string, st *app.SchemeStats) detailGroup {
	g := detailGroup{Title: views.T(lang, "schemes.field.enrolments", nil)}
	for _, c := range schemeCounts(lang, st.Slug, st.EnrolmentCounts) {
		g.Rows = append(g.Rows, detailRow{Label: c.Label, Value: strconv.FormatInt(c.N, 10)})
	}
	g.Rows = append(g.Rows,
		detailRow{Label: views.T(lang, "schemes.field.sanctioned_total", nil), Value: app.FormatRupees(st.SanctionedPaise)},
		detailRow{Label: views.T(lang, "schemes.field.disbursed_total", nil), Value: app.FormatRupees(st.DisbursedPaise)})
	return g
}

// schemeDetails lays out a scheme's description and rules.
func (s *Server) schemeDetails(c *fiber.Ctx, lang string, refs *refLabels, sc *app.SchemeDetail) []detailGroup {
	tr := func(key string) string { return views.T(lang, key, nil) }
	row := func(key, value string) detailRow { return detailRow{Label: tr(key), Value: value} }
	labels := func(prefix string, values []string) string {
		out := make([]string, len(values))
		for i, v := range values {
			out[i] = tr(prefix + v)
		}
		return strings.Join(out, ", ")
	}
	names := func(m map[string]string, values []string) string {
		out := make([]string, len(values))
		for i, v := range values {
			out[i] = m[v]
		}
		return strings.Join(out, ", ")
	}
	ages := ""
	if sc.RuleMinAge > 0 || sc.RuleMaxAge > 0 {
		ages = views.T(lang, "schemes.ages", map[string]string{"min": strconv.Itoa(sc.RuleMinAge), "max": strconv.Itoa(sc.RuleMaxAge)})
	}
	return []detailGroup{
		{Title: tr("schemes.section.about"), Rows: []detailRow{
			row("schemes.field.sponsor", tr("schemes.sponsor."+sc.Sponsor)),
			row("schemes.field.agency", s.agencyName(c, lang, sc.Agency)),
			row("schemes.field.benefit_type", benefitLabel(lang, sc.BenefitType)),
			row("schemes.field.sectors", sectorNames(lang, sc.Sectors)),
			row("schemes.field.benefit", sc.Benefit),
			row("schemes.field.stages", sc.Stages),
			row("schemes.field.dates", schemeDates(sc)),
			row("schemes.field.active", yesNo(lang, sc.Active)),
		}},
		{Title: tr("schemes.section.rules"), Rows: []detailRow{
			row("schemes.field.eligibility", sc.Eligibility),
			row("schemes.field.rule_sectors", labels("craft.sector.", sc.RuleSectors)),
			row("schemes.field.rule_crafts", names(refs.craft, sc.RuleCrafts)),
			row("schemes.field.ages", ages),
			row("schemes.field.rule_genders", labels("artisan.gender.", sc.RuleGenders)),
			row("schemes.field.rule_social_categories", labels("artisan.social.", sc.RuleCategories)),
			row("schemes.field.rule_districts", names(refs.district, sc.RuleDistricts)),
			row("schemes.field.rule_must_be_approved", yesNo(lang, sc.RuleApproved)),
			row("schemes.field.rule_needs_bank_account", yesNo(lang, sc.RuleBankAccount)),
		}},
	}
}

// sectorNames translates the sectors the seed data lists as "handicraft;handloom;khadi"
// into "Handicraft, Handloom, Khadi"; any other text (the field is free text) is kept.
func sectorNames(lang, sectors string) string {
	parts := strings.Split(sectors, ";")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if slices.Contains(app.Sectors, p) {
			p = views.T(lang, "craft.sector."+p, nil)
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}

// agencyName names an agency in the reader's language, or gives its slug.
func (s *Server) agencyName(c *fiber.Ctx, lang, slug string) string {
	for _, o := range s.agencyOptions(c, lang) {
		if o.Value == slug {
			return o.Label
		}
	}
	return slug
}

func (s *Server) agencyOptions(c *fiber.Ctx, lang string) []option {
	agencies, err := s.ref.Agencies(c.UserContext())
	if err != nil {
		return nil
	}
	out := make([]option, 0, len(agencies))
	for _, a := range agencies {
		out = append(out, option{Value: a.Slug, Label: pick(lang, a.NameEn, a.NameHi)})
	}
	return out
}

// schemeFormData is the Data of schemes/form.
type schemeFormData struct {
	Action, Cancel string
	Version        int64 // 0 on a new scheme
	Sections       []formSection
	Problem        problem
}

// schemeTextFields are the form's single-value inputs; the rule lists are checkboxes.
var schemeTextFields = []string{"slug", "name", "name_hi", "sponsor", "agency", "sectors", "benefit_type", "eligibility",
	"benefit", "stages", "rule_min_age", "rule_max_age", "starts_on", "ends_on", "rule_must_be_approved",
	"rule_needs_bank_account", "active", "version"}

var schemeListFields = []string{"rule_sectors", "rule_crafts", "rule_genders", "rule_social_categories", "rule_districts"}

func (s *Server) schemeNewPage(c *fiber.Ctx) error {
	return s.renderSchemeForm(c, fiber.StatusOK, "", map[string]string{"rule_must_be_approved": "1"}, nil)
}

func (s *Server) schemeEditPage(c *fiber.Ctx) error {
	sc, err := s.schemeAdmin().GetScheme(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	v := map[string]string{"name": sc.NameEn, "name_hi": sc.NameHi, "sponsor": sc.Sponsor, "agency": sc.Agency,
		"sectors": sc.Sectors, "benefit_type": sc.BenefitType, "eligibility": sc.Eligibility, "benefit": sc.Benefit,
		"stages": sc.Stages, "starts_on": formatISODate(sc.StartsOn), "ends_on": formatISODate(sc.EndsOn),
		"rule_sectors": strings.Join(sc.RuleSectors, ","), "rule_crafts": strings.Join(sc.RuleCrafts, ","),
		"rule_genders": strings.Join(sc.RuleGenders, ","), "rule_social_categories": strings.Join(sc.RuleCategories, ","),
		"rule_districts": strings.Join(sc.RuleDistricts, ","), "version": strconv.FormatInt(sc.Version, 10)}
	if sc.RuleMinAge > 0 {
		v["rule_min_age"] = strconv.Itoa(sc.RuleMinAge)
	}
	if sc.RuleMaxAge > 0 {
		v["rule_max_age"] = strconv.Itoa(sc.RuleMaxAge)
	}
	for k, b := range map[string]bool{"rule_must_be_approved": sc.RuleApproved, "rule_needs_bank_account": sc.RuleBankAccount, "active": sc.Active} {
		if b {
			v[k] = "1"
		}
	}
	return s.renderSchemeForm(c, fiber.StatusOK, sc.Slug, v, nil)
}

func (s *Server) schemeCreateSubmit(c *fiber.Ctx) error {
	in := schemeInputOf(c, false)
	in.Slug = strings.TrimSpace(c.FormValue("slug"))
	sc, err := s.schemeAdmin().CreateScheme(c.UserContext(), actor(c), in)
	if err != nil {
		return s.schemeFormFailed(c, "", err)
	}
	s.flash(c, "success", "schemes.flash.created")
	return c.Redirect("/schemes/"+sc.Slug, fiber.StatusSeeOther)
}

func (s *Server) schemeUpdateSubmit(c *fiber.Ctx) error {
	slug := c.Params("slug")
	_, err := s.schemeAdmin().UpdateScheme(c.UserContext(), actor(c), slug, schemeInputOf(c, true))
	if err != nil {
		return s.schemeFormFailed(c, slug, err)
	}
	s.flash(c, "success", "schemes.flash.saved")
	return c.Redirect("/schemes/"+slug, fiber.StatusSeeOther)
}

// schemeInputOf reads every field of the form; the active box is on the edit form only.
func schemeInputOf(c *fiber.Ctx, editing bool) app.SchemeInput {
	text := func(name string) *string { v := c.FormValue(name); return &v }
	list := func(name string) *[]string { v := formValues(c, name); return &v }
	flag := func(name string) *bool { v := c.FormValue(name) != ""; return &v }
	number := func(name string) *int { v := formInt(c.FormValue(name)); return &v }
	date := func(name string) *string { v := isoDate(strings.TrimSpace(c.FormValue(name))); return &v }
	in := app.SchemeInput{Name: text("name"), NameHi: text("name_hi"), Sponsor: text("sponsor"), Agency: text("agency"),
		Sectors: text("sectors"), Eligibility: text("eligibility"), Benefit: text("benefit"), Stages: text("stages"),
		BenefitType: text("benefit_type"), RuleSectors: list("rule_sectors"), RuleCrafts: list("rule_crafts"),
		RuleGenders: list("rule_genders"), RuleCategories: list("rule_social_categories"), RuleDistricts: list("rule_districts"),
		RuleMinAge: number("rule_min_age"), RuleMaxAge: number("rule_max_age"),
		RuleApproved: flag("rule_must_be_approved"), RuleBankAccount: flag("rule_needs_bank_account"),
		StartsOn: date("starts_on"), EndsOn: date("ends_on")}
	if editing {
		in.Active = flag("active")
	}
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

func (s *Server) schemeFormFailed(c *fiber.Ctx, slug string, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range schemeTextFields {
		values[k] = c.FormValue(k)
	}
	for _, k := range schemeListFields {
		values[k] = strings.Join(formValues(c, k), ",")
	}
	return s.renderSchemeForm(c, statusOf[e.Code], slug, values, e)
}

// renderSchemeForm shows the scheme form; slug "" is a new scheme.
func (s *Server) renderSchemeForm(c *fiber.Ctx, status int, slug string, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &schemeFormData{Action: "/schemes", Cancel: "/schemes"}
	title := "schemes.new.title"
	if slug != "" {
		data.Action, data.Cancel, title = "/schemes/"+slug, "/schemes/"+slug, "schemes.edit.title"
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	choose := b.t("registry.choose")
	selected := func(name string) []string { return strings.Split(values[name], ",") }
	about := []control{}
	if slug == "" {
		about = append(about, b.text("slug", "schemes.field.slug").req().maxlen(64).hint(b.t("schemes.hint.slug")).code())
	}
	about = append(about,
		b.text("name", "schemes.field.name").req().maxlen(200),
		b.text("name_hi", "schemes.field.name_hi").req().maxlen(200),
		b.choice("sponsor", "schemes.field.sponsor", choose, enumOptions(b, "schemes.sponsor.", app.SchemeSponsors)).req(),
		b.choice("agency", "schemes.field.agency", choose, plain(s.agencyOptions(c, lang))).req(),
		b.choice("benefit_type", "schemes.field.benefit_type", choose, enumOptions(b, "schemes.benefit.", app.SchemeBenefitTypes)).req(),
		b.text("sectors", "schemes.field.sectors").maxlen(200).hint(b.t("schemes.hint.sectors")),
		b.textarea("benefit", "schemes.field.benefit"),
		b.textarea("stages", "schemes.field.stages"),
		b.text("starts_on", "schemes.field.starts_on").mode("numeric").maxlen(10).hint(b.t("schemes.hint.date")),
		b.text("ends_on", "schemes.field.ends_on").mode("numeric").maxlen(10).hint(b.t("schemes.hint.date")),
	)
	if slug != "" {
		about = append(about, b.checkbox("active", "schemes.field.active").hint(b.t("schemes.hint.active")))
	}
	data.Sections = []formSection{
		{Legend: b.t("schemes.section.about"), Controls: about},
		{Legend: b.t("schemes.section.rules"), Controls: []control{
			b.textarea("eligibility", "schemes.field.eligibility").hint(b.t("schemes.hint.eligibility")),
			b.checks("rule_sectors", "schemes.field.rule_sectors", selected("rule_sectors"), enumOptions(b, "craft.sector.", app.Sectors)).
				hint(b.t("schemes.hint.rule_any")),
			b.checks("rule_crafts", "schemes.field.rule_crafts", selected("rule_crafts"), refs.craftGroups(lang, "")...).
				hint(b.t("schemes.hint.rule_any")),
			b.text("rule_min_age", "schemes.field.rule_min_age").mode("numeric").maxlen(3).hint(b.t("schemes.hint.age")),
			b.text("rule_max_age", "schemes.field.rule_max_age").mode("numeric").maxlen(3).hint(b.t("schemes.hint.age")),
			b.checks("rule_genders", "schemes.field.rule_genders", selected("rule_genders"), enumOptions(b, "artisan.gender.", app.ArtisanGenders)).
				hint(b.t("schemes.hint.rule_any")),
			b.checks("rule_social_categories", "schemes.field.rule_social_categories", selected("rule_social_categories"),
				enumOptions(b, "artisan.social.", app.ArtisanSocialCategories)).hint(b.t("schemes.hint.rule_any")),
			b.checks("rule_districts", "schemes.field.rule_districts", selected("rule_districts"), plain(refs.districtOptions(app.AllDistricts))).
				hint(b.t("schemes.hint.rule_any")),
			b.checkbox("rule_must_be_approved", "schemes.field.rule_must_be_approved"),
			b.checkbox("rule_needs_bank_account", "schemes.field.rule_needs_bank_account"),
		}},
	}
	var controls []control
	for _, sec := range data.Sections {
		controls = append(controls, sec.Controls...)
	}
	data.Problem.Items = summarize(controls, data.Problem)
	return s.render(c, status, "schemes/form", title, data)
}
