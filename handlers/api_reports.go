package handlers

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// apiDistrictMonthlyReport answers GET /api/v1/reports/districts/:district/monthly with
// the district's monthly progress report as a PDF download. ?month=YYYY-MM is required;
// ?lang=hi gives the Hindi report, anything else the English one. The route already
// checked report:read in the district; the service checks again.
func (s *Server) apiDistrictMonthlyReport(c *fiber.Ctx) error {
	m, err := app.ParseMonth(c.Query("month"))
	if err != nil {
		return app.Invalid{"month": app.Msg(app.KeyMonth)}.Err()
	}
	lang := c.Query("lang", "en")
	if lang != "en" && lang != "hi" {
		return app.Invalid{"lang": app.Msg("validation.lang")}.Err()
	}
	svc := &app.Reports{DB: s.db, Authz: s.authz}
	r, err := svc.DistrictMonthly(c.UserContext(), actor(c), c.Params("district"), m)
	if err != nil {
		return err
	}
	pdf, err := reports.DistrictMonthly(r, lang)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+reports.DistrictFilename(r)+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(pdf)
}
