package handlers

import "github.com/gofiber/fiber/v2"

// systemRoutes: operations: backups, audit verification and other admin tools.
func (s *Server) systemRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/system/ping", "self", "read", s.apiPing),
	}
}

// apiPing answers 204 once the token and the policy check pass, touching nothing else:
// the benchmarks measure the cost of authentication and authorization with it.
func (s *Server) apiPing(c *fiber.Ctx) error {
	return c.SendStatus(fiber.StatusNoContent)
}
