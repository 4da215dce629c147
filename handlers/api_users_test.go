package handlers_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestUserAdministration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.token("admin")
		created := e.call("POST", "/api/v1/users", admin, map[string]any{
			"username": "dic.udaipur", "password": "long-enough-password", "name": "DIC Udaipur",
			"role": "dic_officer", "districts": []string{"udaipur", "salumbar"},
		}, 201)
		if created["role"] != "dic_officer" || len(created["districts"].([]any)) != 2 {
			t.Fatalf("created = %v", created)
		}
		// The new user can sign in at once and holds the role in both districts.
		out := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "dic.udaipur", "password": "long-enough-password"}, 200)
		access := out["access_token"].(string)
		me := e.call("GET", "/api/v1/me", access, nil, 200)
		if me["name"] != "DIC Udaipur" {
			t.Errorf("me = %v", me)
		}

		// Bad input: every field named, in the reader's language, nothing saved.
		bad := e.call("POST", "/api/v1/users", admin, map[string]any{
			"username": "X", "password": "short", "name": "", "role": "dic_officer", "districts": []string{"atlantis"},
		}, 422)
		fields, _ := bad["error"].(map[string]any)["fields"].(map[string]any)
		for _, f := range []string{"username", "password", "name", "districts"} {
			if msg, _ := fields[f].(string); msg == "" {
				t.Errorf("no error for %s: %v", f, bad)
			}
		}
		hindi := e.request("POST", "/api/v1/users", admin, map[string]any{
			"username": "x", "password": "short", "name": "", "role": "dic_officer", "districts": []string{"jaipur"},
		}, "Accept-Language", "hi-IN")
		if hindi.StatusCode != 422 {
			t.Errorf("hindi status = %d", hindi.StatusCode)
		}
		e.call("POST", "/api/v1/users", admin, map[string]any{
			"username": "ghost", "password": "long-enough-password", "name": "G", "role": "wizard",
		}, 422)
		e.call("POST", "/api/v1/users", admin, map[string]any{
			"username": "dic.jaipur", "password": "long-enough-password", "name": "Dup", "role": "auditor",
		}, 422)
		e.call("POST", "/api/v1/users", admin, map[string]any{
			"username": "store.x", "password": "long-enough-password", "name": "S", "role": "store_manager", "districts": []string{"ajmer"},
		}, 422)
		e.call("POST", "/api/v1/users", admin, map[string]any{"username": "typo", "pasword": "x"}, 422)

		list := e.call("GET", "/api/v1/users", admin, nil, 200)
		if n := len(list["items"].([]any)); n != 1+len(testUsers)+1 {
			t.Errorf("users = %d, want %d", n, 2+len(testUsers))
		}

		// Optimistic locking: a stale version gets 409 and changes nothing.
		id := strconv.Itoa(int(created["id"].(float64)))
		e.call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"name": "Renamed", "version": created["version"]}, 200)
		e.call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"name": "Stale", "version": created["version"]}, 409)
		got := e.call("GET", "/api/v1/users/"+id, admin, nil, 200)
		if got["name"] != "Renamed" {
			t.Errorf("name = %v", got["name"])
		}
		// Moving the user to one district takes effect for the next request.
		e.call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"districts": []string{"udaipur"}, "version": got["version"]}, 200)
		if g := e.authz.Scope(int64(created["id"].(float64)), "artisan", "verify"); len(g.Districts) != 1 || g.Districts[0] != "udaipur" {
			t.Errorf("scope after move = %+v", g)
		}
		e.call("GET", "/api/v1/users/999999", admin, nil, 404)

		// Every change is in the audit log, without the password hash.
		audit := e.call("GET", "/api/v1/audit?entity=user&entity_id="+id, admin, nil, 200)
		entries := audit["items"].([]any)
		if len(entries) != 3 {
			t.Fatalf("audit entries = %d, want 3 (create, rename, move)", len(entries))
		}
		for _, en := range entries {
			m := en.(map[string]any)
			if m["actor"] != "admin" {
				t.Errorf("audit actor = %v", m["actor"])
			}
			for _, k := range []string{"before", "after"} {
				raw, _ := json.Marshal(m[k])
				if s := string(raw); contains(s, "argon2") || contains(s, "password") {
					t.Errorf("audit %s leaks a password: %s", k, s)
				}
			}
			if after, ok := m["after"].(map[string]any); !ok || after["username"] != "dic.udaipur" {
				t.Errorf("audit after is not the user object: %v", m["after"])
			}
		}
		// A malformed filter is an error, never a silently wider query.
		for _, q := range []string{"limit=9999", "limit=0", "actor_id=abc", "cursor=-4"} {
			e.call("GET", "/api/v1/audit?"+q, admin, nil, 422)
		}
		// Paging by cursor.
		page := e.call("GET", "/api/v1/audit?limit=2", admin, nil, 200)
		if page["next_cursor"] == nil || len(page["items"].([]any)) != 2 {
			t.Errorf("first page = %v", page)
		}
		next := e.call("GET", "/api/v1/audit?limit=2&cursor="+page["next_cursor"].(string), admin, nil, 200)
		if first, second := page["items"].([]any)[1].(map[string]any)["id"], next["items"].([]any)[0].(map[string]any)["id"]; second.(float64) >= first.(float64) {
			t.Errorf("second page does not continue the first: %v then %v", first, second)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
