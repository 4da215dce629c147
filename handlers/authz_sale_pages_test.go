package handlers_test

func init() {
	allow(map[string][]string{
		"GET /stores/new":       {"admin"},
		"GET /stores":           storeReaders,
		"POST /stores":          {"admin"},
		"GET /stores/:id/edit":  {"admin"},
		"POST /stores/:id":      {"admin"},
		"GET /sales/new":        {"admin", "store.ajmer"},
		"GET /sales/statement":  {"admin", "store.ajmer"},
		"POST /sales/statement": {"admin", "store.ajmer"},
		"GET /sales/export":     storeReaders,
		"GET /sales":            storeReaders,
		"POST /sales":           {"admin", "store.ajmer"},
		"GET /months":           {"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur"},
		// The matrix calls district routes for jaipur: its own officer may close, Jodhpur's may not.
		"POST /months/:district/:month/close":  {"admin", "dic.jaipur"},
		"POST /months/:district/:month/reopen": {"admin"},
	})
}
