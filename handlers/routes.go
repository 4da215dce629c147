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

// routeTable is every route, feature by feature. Each feature's routes live in
// routes_<feature>.go; order matters only where a fixed path must precede a :param one,
// and each feature keeps its own fixed paths first.
func (s *Server) routeTable() []route {
	groups := [][]route{
		s.coreRoutes(),
		s.artisanRoutes(),
		s.schemeRoutes(),
		s.schemePages(),
		s.saleRoutes(),
		s.salePages(),
		s.reportRoutes(),
		s.onboardingRoutes(),
		s.catalogueRoutes(),
		s.dashboardRoutes(),
		s.adminPages(),
		s.systemRoutes(),
	}
	var out []route
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func apiRoute(method, path, object, action string, h fiber.Handler) route {
	return route{method: method, path: "/api/v1" + path, access: permitted, object: object, action: action, handler: h}
}

func pageRoute(method, path, object, action string, h fiber.Handler) route {
	return route{method: method, path: path, access: permitted, object: object, action: action, web: true, handler: h}
}

func openRoute(method, path string, web bool, h fiber.Handler) route {
	return route{method: method, path: path, access: public, web: web, handler: h}
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
