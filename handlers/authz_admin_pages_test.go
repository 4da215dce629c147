package handlers_test

func init() {
	allow(map[string][]string{
		"GET /users":               {"admin"},
		"GET /users/new":           {"admin"},
		"POST /users":              {"admin"},
		"GET /users/:id/edit":      {"admin"},
		"POST /users/:id":          {"admin"},
		"POST /users/:id/password": {"admin"},
		"GET /audit":               {"admin", "auditor"},
	})
}
