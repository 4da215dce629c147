package handlers

import "github.com/gofiber/fiber/v2"

// reportRoutes: the monthly reports.
func (s *Server) reportRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/reports/districts/:district/monthly", "report", "read", s.apiDistrictMonthlyReport),
	}
}
