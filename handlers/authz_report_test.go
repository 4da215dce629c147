package handlers_test

func init() {
	allow(map[string][]string{
		// Called for jaipur: Jodhpur's officer may not read Jaipur's report.
		"GET /api/v1/reports/districts/:district/monthly": {"admin", "board", "auditor", "dic.jaipur"},
	})
}
