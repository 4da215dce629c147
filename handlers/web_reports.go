package handlers

// The reports page: generate a month's reports for the districts in the reader's scope
// (and the state summary, state-wide), then download them from the archive with their
// verification codes.

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/reports"
	"shilpkosh/views"
)

// reportsData is the Data of reports/index.
type reportsData struct {
	Controls []control // empty when the reader may not generate
	Problem  problem
	Month    string
	Rows     []reportRow
	// XLSX links of the month's district reports the reader may read.
	Sheets []reportSheet
}

type reportRow struct {
	Name, Month, Lang, Code, GeneratedAt, By string
	FileHref, VerifyHref                     string
	Superseded                               bool
}

type reportSheet struct{ Name, Href string }

// stateOption is the value of the district checkbox that asks for the state summary.
const stateOption = "_state"

func (s *Server) reportsPage(c *fiber.Ctx) error {
	values := map[string]string{"month": c.Query("month"), "lang": s.lang(c)}
	if values["month"] == "" {
		values["month"] = app.MonthInIST(app.Now()).Prev().String()
	}
	return s.renderReports(c, fiber.StatusOK, values, nil, nil)
}

func (s *Server) reportsGenerateSubmit(c *fiber.Ctx) error {
	values := map[string]string{"month": strings.TrimSpace(c.FormValue("month")), "lang": c.FormValue("lang")}
	chosen := formValues(c, "district")
	if len(chosen) == 0 {
		e := classify(app.Invalid{"district": app.Msg("report.district_required")}.Err())
		return s.renderReports(c, fiber.StatusUnprocessableEntity, values, chosen, e)
	}
	arch := s.reportArchive()
	for _, d := range chosen {
		q := app.GenerateRequest{Kind: app.ReportDistrict, District: d, Month: values["month"], Lang: values["lang"]}
		if d == stateOption {
			q = app.GenerateRequest{Kind: app.ReportState, Month: values["month"], Lang: values["lang"]}
		}
		if _, err := arch.Generate(c.UserContext(), actor(c), "generate", q); err != nil {
			e := classify(err)
			if e.Code != app.EINVALID && e.Code != app.ENOTFOUND && e.Code != app.EFORBIDDEN {
				return err
			}
			return s.renderReports(c, statusOf[e.Code], values, chosen, e)
		}
	}
	s.flash(c, "success", "report.flash.generated")
	return c.Redirect("/reports?month="+url.QueryEscape(values["month"]), fiber.StatusSeeOther)
}

func (s *Server) reportFileDownload(c *fiber.Ctx) error { return s.sendArchivedFile(c) }

func (s *Server) renderReports(c *fiber.Ctx, status int, values map[string]string, chosen []string, e *app.Error) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &reportsData{Month: values["month"]}
	if e != nil {
		data.Problem = problemOf(lang, e)
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	if gen := s.authz.Scope(a.UserID, "report", "generate"); !gen.Empty() {
		options := refs.districtOptions(gen)
		if gen.All {
			options = append([]option{{Value: stateOption, Label: b.t("report.kind.state")}}, options...)
		}
		data.Controls = []control{
			b.checks("district", "report.field.district", chosen, plain(options)).req(),
			b.text("month", "report.field.month").typ("month").hint(b.t("report.field.month_hint")).req(),
			b.choice("lang", "report.field.lang", "", enumOptions(b, "report.lang.", []string{"en", "hi"})),
		}
		data.Problem.Items = summarize(data.Controls, data.Problem)
	}
	list, err := s.reportArchive().List(c.UserContext(), a, app.ArchiveFilter{Limit: 200})
	if err != nil {
		return err
	}
	for _, r := range list {
		row := reportRow{Name: views.T(lang, "report.state_name", nil), Month: r.Month, Lang: views.T(lang, "report.lang."+r.Lang, nil),
			Code: app.FormatCode(r.Code), GeneratedAt: formatDateTime(r.GeneratedAt), By: r.GeneratedByName,
			FileHref: "/reports/" + idString(r.ID) + "/file", VerifyHref: "/verify/" + r.Code, Superseded: r.SupersededAt != nil}
		if r.Kind == app.ReportDistrict {
			row.Name = refs.district[r.District]
		}
		if m, err := app.ParseMonth(r.Month); err == nil {
			row.Month = reports.MonthName(m, lang)
		}
		data.Rows = append(data.Rows, row)
	}
	if _, err := app.ParseMonth(values["month"]); err == nil {
		for _, o := range refs.districtOptions(s.authz.Scope(a.UserID, "report", "read")) {
			data.Sheets = append(data.Sheets, reportSheet{Name: o.Label,
				Href: "/reports/districts/" + o.Value + "/monthly.xlsx?month=" + values["month"] + "&lang=" + lang})
		}
	}
	return s.render(c, status, "reports/index", "report.title", data)
}
