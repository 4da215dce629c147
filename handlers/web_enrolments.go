package handlers

// The enrolment list: filters by scheme, district, status and month, keyset pages; and
// the table of enrolments the scheme page reuses for its beneficiaries.

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

const enrolmentPageSize = 50

var enrolmentListParams = []string{"scheme", "district", "status", "month"}

// enrolmentListData is the Data of enrolments/list.
type enrolmentListData struct {
	Filters             []control
	Filtered            bool
	Problem             problem
	Table               *enrolmentTable
	NewHref, ImportHref string // empty when the policy does not allow them
}

// enrolmentTable is one page of enrolments with the links to the first and next pages.
type enrolmentTable struct {
	Rows                []enrolmentRow
	FirstHref, NextHref string
}

type enrolmentRow struct {
	ID                                               int64
	Href, ArtisanHref, Artisan, Scheme, District     string
	Status, StatusLabel, Sanctioned, Disbursed, When string
}

func (s *Server) enrolmentListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	kept := url.Values{}
	for _, k := range enrolmentListParams {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			values[k] = v
			kept.Set(k, v)
		}
	}
	data := &enrolmentListData{Filtered: len(kept) > 0}
	status := fiber.StatusOK
	f := app.EnrolmentFilter{Scheme: values["scheme"], District: values["district"], Month: values["month"]}
	if values["status"] != "" {
		f.Statuses = []string{values["status"]}
	}
	data.Table, err = s.enrolmentTable(c, lang, refs, f, "/enrolments?"+kept.Encode()+"&")
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status, data.Problem = statusOf[e.Code], problemOf(lang, e)
		data.Problem.LinkHref, data.Problem.LinkText = "/enrolments", views.T(lang, "artisan.list.start_again", nil)
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	anyOf := b.t("registry.any")
	data.Filters = []control{
		b.choice("scheme", "enrolments.field.scheme", anyOf, plain(s.schemeOptions(c, lang, false))),
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(s.authz.Scope(a.UserID, "enrolment", "read")))),
		b.choice("status", "enrolments.field.status", anyOf, enumOptions(b, "enrolments.status.", app.EnrolmentStatuses())),
		b.text("month", "enrolments.filter.month").mode("numeric").maxlen(7).hint(b.t("enrolments.hint.month")),
	}
	data.Problem.Items = summarize(data.Filters, data.Problem)
	if s.authz.Allowed(a.UserID, "enrolment", "create") {
		data.NewHref = "/enrolments/new"
	}
	if s.authz.Allowed(a.UserID, "enrolment", "import") {
		data.ImportHref = "/enrolments/import"
	}
	return s.render(c, status, "enrolments/list", "enrolments.list.title", data)
}

// enrolmentTable reads one page of the enrolments f selects; base is the page's address
// with its filter, ending in "?" or "&", to which the cursor is added.
func (s *Server) enrolmentTable(c *fiber.Ctx, lang string, refs *refLabels, f app.EnrolmentFilter, base string) (*enrolmentTable, error) {
	before, err := cursorQuery(c)
	if err != nil {
		return &enrolmentTable{}, err
	}
	f.BeforeID, f.Limit = before, enrolmentPageSize
	rows, next, err := s.enrolments().List(c.UserContext(), actor(c), f)
	if err != nil {
		return &enrolmentTable{}, err
	}
	schemes := s.schemeNames(c, lang)
	t := &enrolmentTable{}
	for _, en := range rows {
		t.Rows = append(t.Rows, enrolmentRow{ID: en.ID, Href: "/enrolments/" + idString(en.ID),
			ArtisanHref: "/artisans/" + idString(en.ArtisanID), Artisan: pick(lang, en.ArtisanName, en.ArtisanNameHi), Scheme: schemes[en.Scheme],
			District: refs.district[en.District], Status: en.Status, StatusLabel: views.T(lang, "enrolments.status."+en.Status, nil),
			Sanctioned: app.FormatRupees(en.SanctionedPaise), Disbursed: app.FormatRupees(en.DisbursedPaise),
			When: formatDate(en.AppliedAt)})
	}
	first := strings.TrimRight(base, "?&")
	if before > 0 {
		t.FirstHref = first
	}
	if next > 0 {
		t.NextHref = base + "cursor=" + idString(next)
	}
	return t, nil
}

// schemeNames maps each scheme's slug to its name in the reader's language.
func (s *Server) schemeNames(c *fiber.Ctx, lang string) map[string]string {
	out := map[string]string{}
	for _, o := range s.schemeOptions(c, lang, false) {
		out[o.Value] = o.Label
	}
	return out
}

// schemeOptions lists the schemes, or only the active ones, by name.
func (s *Server) schemeOptions(c *fiber.Ctx, lang string, activeOnly bool) []option {
	list, err := s.ref.Schemes(c.UserContext())
	if err != nil {
		return nil
	}
	var out []option
	for _, sc := range list {
		if sc.Active || !activeOnly {
			out = append(out, option{Value: sc.Slug, Label: pick(lang, sc.NameEn, sc.NameHi)})
		}
	}
	return out
}
