package handlers_test

var reportReaders = []string{"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur"}

func init() {
	allow(map[string][]string{
		"GET /api/v1/reports":  reportReaders,
		"POST /api/v1/reports": {"admin", "board", "dic.jaipur", "dic.jodhpur"},
		// The state summary needs report:read in every district: not a DIC officer.
		"GET /api/v1/reports/state/monthly":      {"admin", "board", "auditor"},
		"GET /api/v1/reports/state/monthly.xlsx": {"admin", "board", "auditor"},
		// Called for jaipur: Jodhpur's officer may not read Jaipur's report.
		"GET /api/v1/reports/districts/:district/monthly":      {"admin", "board", "auditor", "dic.jaipur"},
		"GET /api/v1/reports/districts/:district/monthly.xlsx": {"admin", "board", "auditor", "dic.jaipur"},
		"GET /api/v1/reports/:id/file":                         reportReaders,
		"GET /reports":                                         reportReaders,
		"POST /reports":                                        {"admin", "board", "dic.jaipur", "dic.jodhpur"},
		"GET /reports/districts/:district/monthly.xlsx":        {"admin", "board", "auditor", "dic.jaipur"},
		"GET /reports/:id/file":                                reportReaders,
	})
}
