package handlers

import "github.com/gofiber/fiber/v2"

// schemeRoutes: schemes and artisans' enrolments in them.
func (s *Server) schemeRoutes() []route {
	return []route{
		apiRoute(fiber.MethodPost, "/schemes", "scheme", "manage", s.apiSchemeCreate),
		apiRoute(fiber.MethodPatch, "/schemes/:slug", "scheme", "manage", s.apiSchemeUpdate),
		apiRoute(fiber.MethodGet, "/schemes/:slug/eligible", "enrolment", "read", s.apiSchemeEligible),
		apiRoute(fiber.MethodGet, "/enrolments", "enrolment", "read", s.apiEnrolmentList),
		apiRoute(fiber.MethodPost, "/enrolments", "enrolment", "create", s.apiEnrolmentCreate),
		apiRoute(fiber.MethodGet, "/enrolments/:id", "enrolment", "read", s.apiEnrolmentGet),
		apiRoute(fiber.MethodPost, "/enrolments/:id/verify", "enrolment", "verify", s.apiEnrolmentStep("verify")),
		apiRoute(fiber.MethodPost, "/enrolments/:id/sanction", "enrolment", "sanction", s.apiEnrolmentStep("sanction")),
		apiRoute(fiber.MethodPost, "/enrolments/:id/disburse", "enrolment", "disburse", s.apiEnrolmentStep("disburse")),
		apiRoute(fiber.MethodPost, "/enrolments/:id/reject", "enrolment", "reject", s.apiEnrolmentStep("reject")),
		apiRoute(fiber.MethodPost, "/enrolments/:id/correct", "enrolment", "disburse", s.apiEnrolmentCorrect),
		apiRoute(fiber.MethodGet, "/imports/enrolments/template", "enrolment", "import", s.apiEnrolmentImportTemplate),
		apiRoute(fiber.MethodPost, "/imports/enrolments", "enrolment", "import", s.apiEnrolmentImport),
	}
}
