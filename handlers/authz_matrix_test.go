package handlers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

var everyone = []string{"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur", "entry.jaipur", "store.ajmer"}

// allowedUsers is the expected authorization of every permitted route, written out by hand
// so a change to the policy or the route table has to be made here too. A route missing
// from this table fails the test: no new route escapes review.
var allowedUsers = map[string][]string{
	"POST /api/v1/auth/logout": everyone,
	"GET /api/v1/me":           everyone,
	"GET /api/v1/districts":    everyone,
	"GET /api/v1/crafts":       everyone,
	"GET /api/v1/agencies":     everyone,
	"GET /api/v1/schemes":      everyone,
	"GET /api/v1/platforms":    everyone,
	"GET /api/v1/roles":        everyone,
	"GET /api/v1/users":        {"admin"},
	"POST /api/v1/users":       {"admin"},
	"GET /api/v1/users/:id":    {"admin"},
	"PATCH /api/v1/users/:id":  {"admin"},
	"GET /api/v1/audit":        {"admin", "auditor"},

	"POST /api/v1/crafts":           {"admin"},
	"PATCH /api/v1/crafts/:slug":    {"admin"},
	"PATCH /api/v1/districts/:slug": {"admin"},

	"GET /api/v1/artisans":                 artisanReaders,
	"POST /api/v1/artisans":                artisanEditors,
	"GET /api/v1/artisans/:id":             artisanReaders,
	"PATCH /api/v1/artisans/:id":           artisanEditors,
	"GET /api/v1/artisans/:id/history":     artisanReaders,
	"POST /api/v1/artisans/:id/submit":     artisanEditors,
	"POST /api/v1/artisans/:id/verify":     {"dic.jaipur", "dic.jodhpur"},
	"POST /api/v1/artisans/:id/approve":    {"admin", "board"},
	"POST /api/v1/artisans/:id/reject":     {"admin", "board", "dic.jaipur", "dic.jodhpur"},
	"POST /api/v1/artisans/:id/deactivate": {"admin", "dic.jaipur", "dic.jodhpur"},
	"POST /api/v1/artisans/:id/merge":      {"admin"},
	"GET /api/v1/inbox":                    artisanReaders,

	"GET /api/v1/organisations":       artisanReaders,
	"POST /api/v1/organisations":      artisanEditors,
	"GET /api/v1/organisations/:id":   artisanReaders,
	"PATCH /api/v1/organisations/:id": artisanEditors,
	"POST /logout":                    everyone,
	"GET /":                           everyone,

	"GET /api/v1/artisans/export":           {"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur"},
	"GET /api/v1/imports/artisans/template": artisanEditors,
	"POST /api/v1/imports/artisans":         artisanEditors,
	"GET /api/v1/imports/:id":               artisanEditors,
	"GET /api/v1/imports/:id/report":        artisanEditors,
	"GET /api/v1/artisans/:id/documents":    artisanReaders,
	"POST /api/v1/artisans/:id/documents":   artisanEditors,
	"GET /api/v1/documents/:id":             artisanReaders,
	"GET /artisans/new":                     artisanEditors,
	"GET /artisans/export":                  {"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur"},
	"GET /artisans":                         artisanReaders,
	"POST /artisans":                        artisanEditors,
	"GET /artisans/:id":                     artisanReaders,
	"GET /artisans/:id/edit":                artisanEditors,
	"POST /artisans/:id":                    artisanEditors,
	"POST /artisans/:id/submit":             artisanEditors,
	"POST /artisans/:id/verify":             {"dic.jaipur", "dic.jodhpur"},
	"POST /artisans/:id/approve":            {"admin", "board"},
	"POST /artisans/:id/reject":             {"admin", "board", "dic.jaipur", "dic.jodhpur"},
	"POST /artisans/:id/deactivate":         {"admin", "dic.jaipur", "dic.jodhpur"},
	"POST /artisans/:id/merge":              {"admin"},
	"GET /inbox":                            artisanReaders,
	"GET /artisans/:id/documents":           artisanReaders,
	"POST /artisans/:id/documents":          artisanEditors,
	"GET /documents/:id":                    artisanReaders,
	"GET /imports/artisans/template":        artisanEditors,
	"GET /imports/artisans":                 artisanEditors,
	"POST /imports/artisans":                artisanEditors,
	"GET /imports/:id":                      artisanEditors,
	"GET /imports/:id/report":               artisanEditors,
	"GET /organisations/new":                artisanEditors,
	"GET /organisations":                    artisanReaders,
	"POST /organisations":                   artisanEditors,
	"GET /organisations/:id/edit":           artisanEditors,
	"POST /organisations/:id":               artisanEditors,
	"GET /crafts":                           everyone,
	"POST /crafts":                          {"admin"},
	"POST /crafts/:slug":                    {"admin"},
	"GET /districts":                        everyone,
	"POST /districts/:slug":                 {"admin"},
}

// allow adds a feature's rows to allowedUsers; each feature keeps its rows in
// authz_<feature>_test.go, next to its own tests.
func allow(rows map[string][]string) {
	for k, v := range rows {
		if _, dup := allowedUsers[k]; dup {
			panic("authorization case listed twice: " + k)
		}
		allowedUsers[k] = v
	}
}

var (
	artisanReaders = []string{"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur", "entry.jaipur"}
	artisanEditors = []string{"admin", "dic.jaipur", "dic.jodhpur", "entry.jaipur"}
	storeReaders   = []string{"admin", "board", "auditor", "dic.jaipur", "dic.jodhpur", "store.ajmer"}
)

var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /static/*", "GET /api/v1/openapi.json",
	"POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "GET /login", "POST /login", "POST /lang", "GET /verify/:code",
}

func TestEveryRegisteredRouteIsInTheRouteTable(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		table := map[string]bool{}
		for _, r := range e.srv.Routes() {
			table[r.Method+" "+r.Path] = true
			key := r.Method + " " + r.Path
			if r.Public != slices.Contains(publicRoutes, key) {
				t.Errorf("%s: public = %v, not as reviewed", key, r.Public)
			}
			if _, ok := allowedUsers[key]; !r.Public && !ok {
				t.Errorf("%s has no authorization case in allowedUsers", key)
			}
			if !r.Public && (r.Object == "" || r.Action == "") {
				t.Errorf("%s is permitted but names no permission", key)
			}
		}
		for _, r := range e.srv.App().GetRoutes(true) {
			if r.Method == http.MethodHead || r.Method == http.MethodConnect || r.Method == http.MethodTrace {
				continue
			}
			if !table[r.Method+" "+r.Path] {
				t.Errorf("%s %s is registered outside the route table", r.Method, r.Path)
			}
		}
	})
}

// TestRoleRouteMatrix calls every permitted route as every role: allowed roles get past
// the check, others get 403, and nobody signed out gets in.
func TestRoleRouteMatrix(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, r := range e.srv.Routes() {
			if r.Public {
				continue
			}
			key := r.Method + " " + r.Path
			path := strings.NewReplacer(":id", "1", ":slug", "ajmer", ":district", "jaipur", ":month", "2026-10", ":platform", "amazon").Replace(r.Path)
			for _, user := range everyone {
				status := e.statusAs(r.Web, r.Method, path, user, strings.HasSuffix(r.Path, "logout"))
				allowed := slices.Contains(allowedUsers[key], user)
				if allowed && (status == 403 || status == 401) {
					t.Errorf("%s as %s: %d, want allowed", key, user, status)
				}
				if !allowed && status != 403 {
					t.Errorf("%s as %s: %d, want 403", key, user, status)
				}
			}
			if status := e.statusAs(r.Web, r.Method, path, "", false); status != 401 && status != 303 {
				t.Errorf("%s signed out: %d, want 401 or a redirect to login", key, status)
			}
		}
	})
}

// statusAs calls a route as user; logout routes get a fresh session so the others keep theirs.
func (e *env) statusAs(web bool, method, path, user string, fresh bool) int {
	e.t.Helper()
	token := ""
	if user != "" {
		token = e.token(user)
		if fresh {
			token, _ = e.login(user)
			defer delete(e.tokens, user)
		}
	}
	if web {
		saved := e.tokens[user]
		e.tokens[user] = token
		resp, _ := e.page(method, path, user, nil, true)
		e.tokens[user] = saved
		return resp.StatusCode
	}
	resp := e.request(method, path, token, "{}")
	resp.Body.Close()
	return resp.StatusCode
}
