package handlers

import "github.com/gofiber/fiber/v2"

// adminPages: the web pages for users and the audit log.
func (s *Server) adminPages() []route {
	return []route{
		pageRoute(fiber.MethodGet, "/users", "user", "read", s.userListPage),
		pageRoute(fiber.MethodGet, "/users/new", "user", "manage", s.userNewPage),
		pageRoute(fiber.MethodPost, "/users", "user", "manage", s.userCreateSubmit),
		pageRoute(fiber.MethodGet, "/users/:id/edit", "user", "manage", s.userEditPage),
		pageRoute(fiber.MethodPost, "/users/:id", "user", "manage", s.userUpdateSubmit),
		pageRoute(fiber.MethodPost, "/users/:id/password", "user", "manage", s.userPasswordSubmit),
		pageRoute(fiber.MethodGet, "/audit", "audit", "read", s.auditListPage),
	}
}
