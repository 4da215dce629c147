package handlers

import "github.com/gofiber/fiber/v2"

// onboardingRoutes: e-commerce onboarding per artisan and platform, and its funnel.
func (s *Server) onboardingRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/onboarding/funnel", "onboarding", "read", s.apiOnboardingFunnel),
		apiRoute(fiber.MethodGet, "/onboarding", "onboarding", "read", s.apiOnboardingList),
		apiRoute(fiber.MethodPost, "/imports/onboarding", "onboarding", "import", s.apiOnboardingImport),
		apiRoute(fiber.MethodGet, "/artisans/:id/onboarding", "onboarding", "read", s.apiOnboardingForArtisan),
		apiRoute(fiber.MethodGet, "/artisans/:id/onboarding/:platform", "onboarding", "read", s.apiOnboardingGet),
		apiRoute(fiber.MethodPut, "/artisans/:id/onboarding/:platform", "onboarding", "edit", s.apiOnboardingMove),
		apiRoute(fiber.MethodGet, "/platforms/:slug", "reference", "read", s.apiPlatformGet),
		apiRoute(fiber.MethodPatch, "/platforms/:slug", "reference", "manage", s.apiPlatformUpdate),
		pageRoute(fiber.MethodGet, "/onboarding", "onboarding", "read", s.onboardingBoardPage),
		pageRoute(fiber.MethodGet, "/artisans/:id/onboarding", "onboarding", "read", s.onboardingTabPage),
		pageRoute(fiber.MethodPost, "/artisans/:id/onboarding/:platform", "onboarding", "edit", s.onboardingMoveSubmit),
	}
}
