package handlers_test

func init() {
	allow(map[string][]string{
		"POST /api/v1/schemes":                    {"admin", "board"},
		"PATCH /api/v1/schemes/:slug":             {"admin", "board"},
		"GET /api/v1/schemes/:slug/eligible":      artisanReaders,
		"GET /api/v1/enrolments":                  artisanReaders,
		"POST /api/v1/enrolments":                 artisanEditors,
		"GET /api/v1/enrolments/:id":              artisanReaders,
		"POST /api/v1/enrolments/:id/verify":      {"dic.jaipur", "dic.jodhpur"},
		"POST /api/v1/enrolments/:id/sanction":    {"admin", "board"},
		"POST /api/v1/enrolments/:id/disburse":    {"admin", "board"},
		"POST /api/v1/enrolments/:id/reject":      {"admin", "board", "dic.jaipur", "dic.jodhpur"},
		"POST /api/v1/enrolments/:id/correct":     {"admin", "board"},
		"GET /api/v1/imports/enrolments/template": artisanEditors,
		"POST /api/v1/imports/enrolments":         artisanEditors,
	})
}
