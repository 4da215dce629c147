package handlers

import "github.com/gofiber/fiber/v2"

// dashboardRoutes: the home page each role lands on.
func (s *Server) dashboardRoutes() []route {
	return []route{
		pageRoute(fiber.MethodGet, "/", "dashboard", "read", s.homePage),
	}
}
