package handlers

import "github.com/gofiber/fiber/v2"

// reportRoutes: the monthly reports, their archive and the public verify page. Every
// PDF download is archived (see api_reports.go); XLSX downloads are the same tables.
func (s *Server) reportRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/reports", "report", "read", s.apiReportArchive),
		apiRoute(fiber.MethodPost, "/reports", "report", "generate", s.apiGenerateReport),
		apiRoute(fiber.MethodGet, "/reports/state/monthly", "report", "read", s.apiStateMonthlyReport),
		apiRoute(fiber.MethodGet, "/reports/state/monthly.xlsx", "report", "read", s.apiStateMonthlyXLSX),
		apiRoute(fiber.MethodGet, "/reports/districts/:district/monthly", "report", "read", s.apiDistrictMonthlyReport),
		apiRoute(fiber.MethodGet, "/reports/districts/:district/monthly.xlsx", "report", "read", s.apiDistrictMonthlyXLSX),
		apiRoute(fiber.MethodGet, "/reports/:id/file", "report", "read", s.apiReportFile),

		pageRoute(fiber.MethodGet, "/reports", "report", "read", s.reportsPage),
		pageRoute(fiber.MethodPost, "/reports", "report", "generate", s.reportsGenerateSubmit),
		pageRoute(fiber.MethodGet, "/reports/districts/:district/monthly.xlsx", "report", "read", s.apiDistrictMonthlyXLSX),
		pageRoute(fiber.MethodGet, "/reports/:id/file", "report", "read", s.reportFileDownload),
		openRoute(fiber.MethodGet, "/verify/:code", true, s.verifyPage),
	}
}
