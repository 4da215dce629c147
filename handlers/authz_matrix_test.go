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
	"POST /logout":             everyone,
	"GET /":                    everyone,
}

var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /static/*", "GET /api/v1/openapi.json",
	"POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "GET /login", "POST /login", "POST /lang",
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
			path := strings.ReplaceAll(r.Path, ":id", "1")
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
