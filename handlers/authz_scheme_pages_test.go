package handlers_test

func init() {
	allow(map[string][]string{
		"GET /schemes/new":                {"admin", "board"},
		"GET /schemes":                    everyone,
		"POST /schemes":                   {"admin", "board"},
		"GET /schemes/:slug":              everyone,
		"GET /schemes/:slug/edit":         {"admin", "board"},
		"POST /schemes/:slug":             {"admin", "board"},
		"GET /schemes/:slug/eligible":     artisanReaders,
		"GET /enrolments/new":             artisanEditors,
		"GET /enrolments/import/template": artisanEditors,
		"GET /enrolments/import":          artisanEditors,
		"POST /enrolments/import":         artisanEditors,
		"GET /enrolments":                 artisanReaders,
		"POST /enrolments":                artisanEditors,
		"GET /enrolments/:id":             artisanReaders,
		"POST /enrolments/:id/verify":     {"dic.jaipur", "dic.jodhpur"},
		"POST /enrolments/:id/sanction":   {"admin", "board"},
		"POST /enrolments/:id/disburse":   {"admin", "board"},
		"POST /enrolments/:id/reject":     {"admin", "board", "dic.jaipur", "dic.jodhpur"},
		"POST /enrolments/:id/correct":    {"admin", "board"},
	})
}
