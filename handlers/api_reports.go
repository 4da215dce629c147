package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// Every PDF the server hands out is archived first (an unchanged report is the archived
// one, not a new entry), so every verification code printed on paper can be checked at
// /verify/{code}.

func (s *Server) reportArchive() *app.ReportArchive {
	return &app.ReportArchive{DB: s.db, Authz: s.authz, Renderer: reports.Renderer{BaseURL: s.cfg.PublicURL}}
}

func (s *Server) reportBuilder() *app.Reports { return &app.Reports{DB: s.db, Authz: s.authz} }

// sendReportPDF answers with an archived report's file.
func sendReportPDF(c *fiber.Ctx, a *app.ArchivedReport) error {
	return sendDownload(c, "application/pdf", a.Filename(), a.Content)
}

func sendDownload(c *fiber.Ctx, contentType, name string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

// apiDistrictMonthlyReport answers GET /api/v1/reports/districts/:district/monthly with
// the district's monthly progress report as a PDF download. ?month=YYYY-MM is required;
// ?lang=hi gives the Hindi report. The route checked report:read in the district.
func (s *Server) apiDistrictMonthlyReport(c *fiber.Ctx) error {
	a, err := s.reportArchive().Generate(c.UserContext(), actor(c), "read", app.GenerateRequest{Kind: app.ReportDistrict,
		District: c.Params("district"), Month: c.Query("month"), Lang: c.Query("lang", "en")})
	if err != nil {
		return err
	}
	return sendReportPDF(c, a)
}

// reportMonthLang reads ?month= and ?lang= of a report download.
func reportMonthLang(c *fiber.Ctx) (app.Month, string, error) {
	v := app.Invalid{}
	m, err := app.ParseMonth(c.Query("month"))
	if err != nil {
		v.Add("month", app.KeyMonth)
	}
	lang := c.Query("lang", "en")
	if lang != "en" && lang != "hi" {
		v.Add("lang", "validation.lang")
	}
	return m, lang, v.Err()
}

// apiDistrictMonthlyXLSX answers GET .../districts/:district/monthly.xlsx: every table of
// the report, one sheet each, with the headings of ?lang=. It is the page route too.
func (s *Server) apiDistrictMonthlyXLSX(c *fiber.Ctx) error {
	m, lang, err := reportMonthLang(c)
	if err != nil {
		return err
	}
	r, err := s.reportBuilder().DistrictMonthly(c.UserContext(), actor(c), c.Params("district"), m)
	if err != nil {
		return err
	}
	x, err := reports.DistrictXLSX(r, lang)
	if err != nil {
		return err
	}
	return sendDownload(c, xlsxType, reports.DistrictXLSXFilename(r), x)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// apiStateMonthlyReport answers GET /api/v1/reports/state/monthly: the state summary,
// for those who read reports in every district.
func (s *Server) apiStateMonthlyReport(c *fiber.Ctx) error {
	if !s.reportBuilder().CanReadState(actor(c)) {
		return app.ErrForbidden
	}
	a, err := s.reportArchive().Generate(c.UserContext(), actor(c), "read", app.GenerateRequest{Kind: app.ReportState,
		Month: c.Query("month"), Lang: c.Query("lang", "en")})
	if err != nil {
		return err
	}
	return sendReportPDF(c, a)
}

// apiStateMonthlyXLSX answers GET /api/v1/reports/state/monthly.xlsx.
func (s *Server) apiStateMonthlyXLSX(c *fiber.Ctx) error {
	svc := s.reportBuilder()
	if !svc.CanReadState(actor(c)) {
		return app.ErrForbidden
	}
	m, lang, err := reportMonthLang(c)
	if err != nil {
		return err
	}
	r, err := svc.StateMonthly(c.UserContext(), actor(c), m)
	if err != nil {
		return err
	}
	x, err := reports.StateXLSX(r, lang)
	if err != nil {
		return err
	}
	return sendDownload(c, xlsxType, "rajasthan-"+m.String()+".xlsx", x)
}

// archivedReportJSON is an archive entry in the API, with where to download it.
type archivedReportJSON struct {
	app.ArchivedReport
	CodeDisplay string `json:"code_display"`
	FileURL     string `json:"file_url"`
	VerifyURL   string `json:"verify_url"`
}

func (s *Server) archivedJSON(a *app.ArchivedReport) archivedReportJSON {
	return archivedReportJSON{ArchivedReport: *a, CodeDisplay: app.FormatCode(a.Code),
		FileURL: "/api/v1/reports/" + idString(a.ID) + "/file", VerifyURL: "/verify/" + a.Code}
}

// apiReportArchive answers GET /api/v1/reports: the archive in the actor's scope, newest
// first; ?district=, ?month=, ?kind= and ?current=true narrow it.
func (s *Server) apiReportArchive(c *fiber.Ctx) error {
	list, err := s.reportArchive().List(c.UserContext(), actor(c), app.ArchiveFilter{District: c.Query("district"),
		Month: strings.TrimSpace(c.Query("month")), Kind: c.Query("kind"), Current: c.Query("current") == "true"})
	if err != nil {
		return err
	}
	out := make([]archivedReportJSON, 0, len(list))
	for i := range list {
		out = append(out, s.archivedJSON(&list[i]))
	}
	return c.JSON(items(out))
}

// apiReportFile answers GET /api/v1/reports/:id/file with the archived PDF.
func (s *Server) apiReportFile(c *fiber.Ctx) error { return s.sendArchivedFile(c) }

func (s *Server) sendArchivedFile(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.reportArchive().File(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return sendReportPDF(c, a)
}

// apiGenerateReport answers POST /api/v1/reports {kind, district, month, lang}: the
// report generated and archived, 201 when new, 200 when unchanged from the archived one.
func (s *Server) apiGenerateReport(c *fiber.Ctx) error {
	var q app.GenerateRequest
	if err := bindJSON(c, &q); err != nil {
		return err
	}
	a, err := s.reportArchive().Generate(c.UserContext(), actor(c), "generate", q)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if a.Unchanged {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(s.archivedJSON(a))
}
