package handlers_test

func init() {
	allow(map[string][]string{
		"GET /api/v1/stores":         storeReaders,
		"POST /api/v1/stores":        {"admin"},
		"GET /api/v1/stores/:id":     storeReaders,
		"PATCH /api/v1/stores/:id":   {"admin"},
		"GET /api/v1/sales/summary":  storeReaders,
		"GET /api/v1/sales/export":   storeReaders,
		"GET /api/v1/sales":          storeReaders,
		"POST /api/v1/sales":         {"admin", "store.ajmer"},
		"GET /api/v1/sales/:id":      storeReaders,
		"POST /api/v1/imports/sales": {"admin", "store.ajmer"},
		"GET /api/v1/months":         {"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur"},
		// The matrix calls district routes for jaipur: its own officer may close, Jodhpur's may not.
		"POST /api/v1/months/:district/:month/close":  {"admin", "dic.jaipur"},
		"POST /api/v1/months/:district/:month/reopen": {"admin"},
	})
}
