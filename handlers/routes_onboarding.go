package handlers

// onboardingRoutes: e-commerce onboarding per artisan and platform, and its funnel.
func (s *Server) onboardingRoutes() []route {
	return nil
}
