package handlers

import "github.com/gofiber/fiber/v2"

// schemePages: the web pages for schemes, enrolments and their bulk import.
func (s *Server) schemePages() []route {
	return []route{
		pageRoute(fiber.MethodGet, "/schemes/new", "scheme", "manage", s.schemeNewPage),
		pageRoute(fiber.MethodGet, "/schemes", "scheme", "read", s.schemeListPage),
		pageRoute(fiber.MethodPost, "/schemes", "scheme", "manage", s.schemeCreateSubmit),
		pageRoute(fiber.MethodGet, "/schemes/:slug", "scheme", "read", s.schemePage),
		pageRoute(fiber.MethodGet, "/schemes/:slug/edit", "scheme", "manage", s.schemeEditPage),
		pageRoute(fiber.MethodPost, "/schemes/:slug", "scheme", "manage", s.schemeUpdateSubmit),
		pageRoute(fiber.MethodGet, "/schemes/:slug/eligible", "enrolment", "read", s.schemeEligiblePage),
		pageRoute(fiber.MethodGet, "/enrolments/new", "enrolment", "create", s.enrolmentApplyPage),
		pageRoute(fiber.MethodGet, "/enrolments/import/template", "enrolment", "import", s.apiEnrolmentImportTemplate),
		pageRoute(fiber.MethodGet, "/enrolments/import", "enrolment", "import", s.enrolmentImportPage),
		pageRoute(fiber.MethodPost, "/enrolments/import", "enrolment", "import", s.enrolmentImportSubmit),
		pageRoute(fiber.MethodGet, "/enrolments", "enrolment", "read", s.enrolmentListPage),
		pageRoute(fiber.MethodPost, "/enrolments", "enrolment", "create", s.enrolmentApplySubmit),
		pageRoute(fiber.MethodGet, "/enrolments/:id", "enrolment", "read", s.enrolmentPage),
		pageRoute(fiber.MethodPost, "/enrolments/:id/verify", "enrolment", "verify", s.enrolmentStepSubmit("verify")),
		pageRoute(fiber.MethodPost, "/enrolments/:id/sanction", "enrolment", "sanction", s.enrolmentStepSubmit("sanction")),
		pageRoute(fiber.MethodPost, "/enrolments/:id/disburse", "enrolment", "disburse", s.enrolmentStepSubmit("disburse")),
		pageRoute(fiber.MethodPost, "/enrolments/:id/reject", "enrolment", "reject", s.enrolmentStepSubmit("reject")),
		pageRoute(fiber.MethodPost, "/enrolments/:id/correct", "enrolment", "disburse", s.enrolmentCorrectSubmit),
	}
}
