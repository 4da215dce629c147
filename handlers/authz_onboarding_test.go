package handlers_test

func init() {
	allow(map[string][]string{
		"GET /api/v1/onboarding/funnel":                 artisanReaders,
		"GET /api/v1/onboarding":                        artisanReaders,
		"POST /api/v1/imports/onboarding":               {"admin", "dic.jaipur", "dic.jodhpur"},
		"GET /api/v1/artisans/:id/onboarding":           artisanReaders,
		"GET /api/v1/artisans/:id/onboarding/:platform": artisanReaders,
		"PUT /api/v1/artisans/:id/onboarding/:platform": artisanEditors,
		"GET /api/v1/platforms/:slug":                   everyone,
		"PATCH /api/v1/platforms/:slug":                 {"admin"},
		"GET /onboarding":                               artisanReaders,
		"GET /artisans/:id/onboarding":                  artisanReaders,
		"POST /artisans/:id/onboarding/:platform":       artisanEditors,
	})
}
