package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// access says who may call a route. Every route declares one; there is no default.
type access int

const (
	public    access = iota + 1 // anyone, signed in or not
	permitted                   // a signed-in user whose policy grants object/action
)

// route is one row of the route table: the only place routes are registered, so the
// authorization test can walk it and no route escapes the casbin check.
type route struct {
	method, path   string
	access         access
	object, action string // the casbin permission, for permitted routes
	web            bool   // a page: cookie session, CSRF on unsafe methods, HTML errors
	handler        fiber.Handler
}

func (s *Server) routeTable() []route {
	api := func(method, path, object, action string, h fiber.Handler) route {
		return route{method: method, path: "/api/v1" + path, access: permitted, object: object, action: action, handler: h}
	}
	page := func(method, path, object, action string, h fiber.Handler) route {
		return route{method: method, path: path, access: permitted, object: object, action: action, web: true, handler: h}
	}
	open := func(method, path string, web bool, h fiber.Handler) route {
		return route{method: method, path: path, access: public, web: web, handler: h}
	}
	return []route{
		open(fiber.MethodGet, "/healthz", false, s.healthz),
		open(fiber.MethodGet, "/readyz", false, s.readyz),
		open(fiber.MethodGet, "/static/*", false, s.static),
		open(fiber.MethodGet, "/api/v1/openapi.json", false, s.openAPI),

		open(fiber.MethodPost, "/api/v1/auth/login", false, s.apiLogin),
		open(fiber.MethodPost, "/api/v1/auth/refresh", false, s.apiRefresh),
		api(fiber.MethodPost, "/auth/logout", "self", "read", s.apiLogout),
		api(fiber.MethodGet, "/me", "self", "read", s.apiMe),

		api(fiber.MethodGet, "/districts", "reference", "read", s.apiDistricts),
		api(fiber.MethodGet, "/crafts", "reference", "read", s.apiCrafts),
		api(fiber.MethodGet, "/agencies", "reference", "read", s.apiAgencies),
		api(fiber.MethodGet, "/schemes", "reference", "read", s.apiSchemes),
		api(fiber.MethodGet, "/platforms", "reference", "read", s.apiPlatforms),
		api(fiber.MethodGet, "/roles", "reference", "read", s.apiRoles),

		api(fiber.MethodGet, "/users", "user", "read", s.apiUserList),
		api(fiber.MethodPost, "/users", "user", "manage", s.apiUserCreate),
		api(fiber.MethodGet, "/users/:id", "user", "read", s.apiUserGet),
		api(fiber.MethodPatch, "/users/:id", "user", "manage", s.apiUserUpdate),
		api(fiber.MethodGet, "/audit", "audit", "read", s.apiAudit),

		open(fiber.MethodGet, "/login", true, s.loginPage),
		open(fiber.MethodPost, "/login", true, s.loginSubmit),
		open(fiber.MethodPost, "/lang", true, s.switchLanguage),
		page(fiber.MethodPost, "/logout", "self", "read", s.logoutSubmit),
		page(fiber.MethodGet, "/", "dashboard", "read", s.homePage),
	}
}

// register mounts each route behind the middleware its access and kind require.
func (s *Server) register() {
	for _, r := range s.routes {
		chain := []fiber.Handler{}
		if r.web {
			chain = append(chain, s.webContext, s.checkCSRF)
		}
		if r.access == permitted {
			chain = append(chain, s.authenticate(r.web), s.authorize(r))
		}
		chain = append(chain, r.handler)
		s.app.Add(r.method, r.path, chain...)
	}
	// Unknown paths fall through to one not-found answer in the caller's format.
	s.app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// RouteInfo describes a registered route for the tests that walk the route table.
type RouteInfo struct {
	Method, Path   string
	Public, Web    bool
	Object, Action string
}

// Routes lists the route table.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(s.routes))
	for _, r := range s.routes {
		out = append(out, RouteInfo{Method: r.method, Path: r.path, Public: r.access == public, Web: r.web,
			Object: r.object, Action: r.action})
	}
	return out
}
