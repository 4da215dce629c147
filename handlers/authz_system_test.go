package handlers_test

func init() {
	allow(map[string][]string{
		"GET /api/v1/system/ping": {"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur", "entry.jaipur", "store.ajmer"},
	})
}
