package handlers

import "github.com/gofiber/fiber/v2"

// coreRoutes: health, sign-in, the signed-in user, users, audit and reference data.
func (s *Server) coreRoutes() []route {
	return []route{
		openRoute(fiber.MethodGet, "/healthz", false, s.healthz),
		openRoute(fiber.MethodGet, "/readyz", false, s.readyz),
		openRoute(fiber.MethodGet, "/static/*", false, s.static),
		openRoute(fiber.MethodGet, "/api/v1/openapi.json", false, s.openAPI),
		openRoute(fiber.MethodPost, "/api/v1/auth/login", false, s.apiLogin),
		openRoute(fiber.MethodPost, "/api/v1/auth/refresh", false, s.apiRefresh),
		apiRoute(fiber.MethodPost, "/auth/logout", "self", "read", s.apiLogout),
		apiRoute(fiber.MethodGet, "/me", "self", "read", s.apiMe),
		apiRoute(fiber.MethodGet, "/districts", "reference", "read", s.apiDistricts),
		apiRoute(fiber.MethodGet, "/crafts", "reference", "read", s.apiCrafts),
		apiRoute(fiber.MethodGet, "/agencies", "reference", "read", s.apiAgencies),
		apiRoute(fiber.MethodGet, "/schemes", "reference", "read", s.apiSchemes),
		apiRoute(fiber.MethodGet, "/platforms", "reference", "read", s.apiPlatforms),
		apiRoute(fiber.MethodGet, "/roles", "reference", "read", s.apiRoles),
		apiRoute(fiber.MethodGet, "/users", "user", "read", s.apiUserList),
		apiRoute(fiber.MethodPost, "/users", "user", "manage", s.apiUserCreate),
		apiRoute(fiber.MethodGet, "/users/:id", "user", "read", s.apiUserGet),
		apiRoute(fiber.MethodPatch, "/users/:id", "user", "manage", s.apiUserUpdate),
		apiRoute(fiber.MethodGet, "/audit", "audit", "read", s.apiAudit),
		apiRoute(fiber.MethodPost, "/crafts", "reference", "manage", s.apiCraftCreate),
		apiRoute(fiber.MethodPatch, "/crafts/:slug", "reference", "manage", s.apiCraftUpdate),
		apiRoute(fiber.MethodPatch, "/districts/:slug", "reference", "manage", s.apiDistrictUpdate),
		openRoute(fiber.MethodGet, "/login", true, s.loginPage),
		openRoute(fiber.MethodPost, "/login", true, s.loginSubmit),
		openRoute(fiber.MethodPost, "/lang", true, s.switchLanguage),
		pageRoute(fiber.MethodPost, "/logout", "self", "read", s.logoutSubmit),
		pageRoute(fiber.MethodGet, "/crafts", "reference", "read", s.craftListPage),
		pageRoute(fiber.MethodPost, "/crafts", "reference", "manage", s.craftCreateSubmit),
		pageRoute(fiber.MethodPost, "/crafts/:slug", "reference", "manage", s.craftUpdateSubmit),
		pageRoute(fiber.MethodGet, "/districts", "reference", "read", s.districtListPage),
		pageRoute(fiber.MethodPost, "/districts/:slug", "reference", "manage", s.districtUpdateSubmit),
	}
}
