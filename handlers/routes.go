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
		api(fiber.MethodPost, "/crafts", "reference", "manage", s.apiCraftCreate),
		api(fiber.MethodPatch, "/crafts/:slug", "reference", "manage", s.apiCraftUpdate),
		api(fiber.MethodPatch, "/districts/:slug", "reference", "manage", s.apiDistrictUpdate),

		// Fixed paths before /artisans/:id, which would otherwise take them.
		api(fiber.MethodGet, "/artisans/export", "artisan", "export", s.apiArtisanExport),
		api(fiber.MethodGet, "/imports/artisans/template", "artisan", "import", s.apiArtisanImportTemplate),
		api(fiber.MethodPost, "/imports/artisans", "artisan", "import", s.apiArtisanImport),
		api(fiber.MethodGet, "/imports/:id", "artisan", "import", s.apiImportStatus),
		api(fiber.MethodGet, "/imports/:id/report", "artisan", "import", s.apiImportReport),

		api(fiber.MethodGet, "/artisans", "artisan", "read", s.apiArtisanList),
		api(fiber.MethodPost, "/artisans", "artisan", "create", s.apiArtisanCreate),
		api(fiber.MethodGet, "/artisans/:id", "artisan", "read", s.apiArtisanGet),
		api(fiber.MethodPatch, "/artisans/:id", "artisan", "edit", s.apiArtisanUpdate),
		api(fiber.MethodGet, "/artisans/:id/history", "artisan", "read", s.apiArtisanHistory),
		api(fiber.MethodPost, "/artisans/:id/submit", "artisan", "submit", s.apiArtisanStep("submit")),
		api(fiber.MethodPost, "/artisans/:id/verify", "artisan", "verify", s.apiArtisanStep("verify")),
		api(fiber.MethodPost, "/artisans/:id/approve", "artisan", "approve", s.apiArtisanStep("approve")),
		api(fiber.MethodPost, "/artisans/:id/reject", "artisan", "reject", s.apiArtisanStep("reject")),
		api(fiber.MethodPost, "/artisans/:id/deactivate", "artisan", "deactivate", s.apiArtisanStep("deactivate")),
		api(fiber.MethodPost, "/artisans/:id/merge", "artisan", "merge", s.apiArtisanMerge),
		api(fiber.MethodGet, "/inbox", "artisan", "read", s.apiInbox),
		api(fiber.MethodGet, "/artisans/:id/documents", "document", "read", s.apiDocumentList),
		api(fiber.MethodPost, "/artisans/:id/documents", "document", "create", s.apiDocumentUpload),
		api(fiber.MethodGet, "/documents/:id", "document", "read", s.apiDocumentDownload),

		api(fiber.MethodPost, "/schemes", "scheme", "manage", s.apiSchemeCreate),
		api(fiber.MethodPatch, "/schemes/:slug", "scheme", "manage", s.apiSchemeUpdate),
		api(fiber.MethodGet, "/schemes/:slug/eligible", "enrolment", "read", s.apiSchemeEligible),
		api(fiber.MethodGet, "/enrolments", "enrolment", "read", s.apiEnrolmentList),
		api(fiber.MethodPost, "/enrolments", "enrolment", "create", s.apiEnrolmentCreate),
		api(fiber.MethodGet, "/enrolments/:id", "enrolment", "read", s.apiEnrolmentGet),
		api(fiber.MethodPost, "/enrolments/:id/verify", "enrolment", "verify", s.apiEnrolmentStep("verify")),
		api(fiber.MethodPost, "/enrolments/:id/sanction", "enrolment", "sanction", s.apiEnrolmentStep("sanction")),
		api(fiber.MethodPost, "/enrolments/:id/disburse", "enrolment", "disburse", s.apiEnrolmentStep("disburse")),
		api(fiber.MethodPost, "/enrolments/:id/reject", "enrolment", "reject", s.apiEnrolmentStep("reject")),

		api(fiber.MethodGet, "/stores", "store", "read", s.apiStoreList),
		api(fiber.MethodPost, "/stores", "store", "manage", s.apiStoreCreate),
		api(fiber.MethodGet, "/stores/:id", "store", "read", s.apiStoreGet),
		api(fiber.MethodPatch, "/stores/:id", "store", "manage", s.apiStoreUpdate),
		api(fiber.MethodGet, "/sales/summary", "sale", "read", s.apiSaleSummary),
		api(fiber.MethodGet, "/sales", "sale", "read", s.apiSaleList),
		api(fiber.MethodPost, "/sales", "sale", "create", s.apiSaleCreate),
		api(fiber.MethodGet, "/sales/:id", "sale", "read", s.apiSaleGet),
		api(fiber.MethodPost, "/imports/sales", "sale", "import", s.apiSaleImport),
		api(fiber.MethodGet, "/months", "month", "read", s.apiMonthList),
		api(fiber.MethodPost, "/months/:district/:month/close", "month", "close", s.apiMonthClose),
		api(fiber.MethodPost, "/months/:district/:month/reopen", "month", "reopen", s.apiMonthReopen),

		api(fiber.MethodGet, "/reports/districts/:district/monthly", "report", "read", s.apiDistrictMonthlyReport),

		api(fiber.MethodGet, "/organisations", "organisation", "read", s.apiOrganisationList),
		api(fiber.MethodPost, "/organisations", "organisation", "manage", s.apiOrganisationCreate),
		api(fiber.MethodGet, "/organisations/:id", "organisation", "read", s.apiOrganisationGet),
		api(fiber.MethodPatch, "/organisations/:id", "organisation", "manage", s.apiOrganisationUpdate),

		open(fiber.MethodGet, "/login", true, s.loginPage),
		open(fiber.MethodPost, "/login", true, s.loginSubmit),
		open(fiber.MethodPost, "/lang", true, s.switchLanguage),
		page(fiber.MethodPost, "/logout", "self", "read", s.logoutSubmit),
		page(fiber.MethodGet, "/", "dashboard", "read", s.homePage),

		page(fiber.MethodGet, "/artisans/new", "artisan", "create", s.artisanNewPage),
		page(fiber.MethodGet, "/artisans/export", "artisan", "export", s.artisanExportDownload),
		page(fiber.MethodGet, "/artisans", "artisan", "read", s.artisanListPage),
		page(fiber.MethodPost, "/artisans", "artisan", "create", s.artisanCreateSubmit),
		page(fiber.MethodGet, "/artisans/:id", "artisan", "read", s.artisanPage),
		page(fiber.MethodGet, "/artisans/:id/edit", "artisan", "edit", s.artisanEditPage),
		page(fiber.MethodPost, "/artisans/:id", "artisan", "edit", s.artisanUpdateSubmit),
		page(fiber.MethodPost, "/artisans/:id/submit", "artisan", "submit", s.artisanStepSubmit("submit")),
		page(fiber.MethodPost, "/artisans/:id/verify", "artisan", "verify", s.artisanStepSubmit("verify")),
		page(fiber.MethodPost, "/artisans/:id/approve", "artisan", "approve", s.artisanStepSubmit("approve")),
		page(fiber.MethodPost, "/artisans/:id/reject", "artisan", "reject", s.artisanStepSubmit("reject")),
		page(fiber.MethodPost, "/artisans/:id/deactivate", "artisan", "deactivate", s.artisanStepSubmit("deactivate")),
		page(fiber.MethodPost, "/artisans/:id/merge", "artisan", "merge", s.artisanStepSubmit("merge")),
		page(fiber.MethodGet, "/inbox", "artisan", "read", s.inboxPage),

		page(fiber.MethodGet, "/artisans/:id/documents", "document", "read", s.documentsPage),
		page(fiber.MethodPost, "/artisans/:id/documents", "document", "create", s.documentUploadSubmit),
		page(fiber.MethodGet, "/documents/:id", "document", "read", s.documentDownload),

		page(fiber.MethodGet, "/imports/artisans/template", "artisan", "import", s.importTemplateDownload),
		page(fiber.MethodGet, "/imports/artisans", "artisan", "import", s.importArtisansPage),
		page(fiber.MethodPost, "/imports/artisans", "artisan", "import", s.importArtisansSubmit),
		page(fiber.MethodGet, "/imports/:id", "artisan", "import", s.importStatusPage),
		page(fiber.MethodGet, "/imports/:id/report", "artisan", "import", s.importReportDownload),

		page(fiber.MethodGet, "/organisations/new", "organisation", "manage", s.organisationNewPage),
		page(fiber.MethodGet, "/organisations", "organisation", "read", s.organisationListPage),
		page(fiber.MethodPost, "/organisations", "organisation", "manage", s.organisationCreateSubmit),
		page(fiber.MethodGet, "/organisations/:id/edit", "organisation", "manage", s.organisationEditPage),
		page(fiber.MethodPost, "/organisations/:id", "organisation", "manage", s.organisationUpdateSubmit),

		page(fiber.MethodGet, "/crafts", "reference", "read", s.craftListPage),
		page(fiber.MethodPost, "/crafts", "reference", "manage", s.craftCreateSubmit),
		page(fiber.MethodPost, "/crafts/:slug", "reference", "manage", s.craftUpdateSubmit),
		page(fiber.MethodGet, "/districts", "reference", "read", s.districtListPage),
		page(fiber.MethodPost, "/districts/:slug", "reference", "manage", s.districtUpdateSubmit),
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
