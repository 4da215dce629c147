package handlers_test

import (
	"context"
	"strconv"
	"testing"
)

// TestRevokedGrantStopsAtOnceOverHTTP proves that the policy decisions the server keeps
// between reloads never answer "allow" after a role or a rule is taken away: each request
// below comes straight after the change, with the answer it replaces already memoised.
func TestRevokedGrantStopsAtOnceOverHTTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, dic := e.token("admin"), e.token("dic.jaipur")
		e.call("GET", "/api/v1/artisans?district=jaipur", dic, nil, 200)
		e.call("GET", "/api/v1/artisans/export?district=jaipur", dic, nil, 200)

		// A role taken away through the API: the next request is refused.
		id, version := userOf(t, e, admin, "dic.jaipur")
		e.call("PATCH", "/api/v1/users/"+strconv.FormatInt(id, 10), admin,
			map[string]any{"role": "data_entry", "version": version}, 200)
		e.call("GET", "/api/v1/artisans/export?district=jaipur", dic, nil, 403)
		e.call("GET", "/api/v1/artisans?district=jaipur", dic, nil, 200) // data entry still reads

		// A rule removed from the stored policy, picked up as Watch does: refused at once.
		e.call("GET", "/api/v1/artisans?district=jaipur", e.token("entry.jaipur"), nil, 200)
		if _, err := e.db.ExecContext(ctx, "DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = 'data_entry' AND v2 = 'artisan' AND v3 = 'read'"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ExecContext(ctx, "UPDATE policy_state SET version = version + 1 WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		if changed, err := e.authz.ReloadIfChanged(ctx); err != nil || !changed {
			t.Fatalf("ReloadIfChanged = %v, %v", changed, err)
		}
		e.call("GET", "/api/v1/artisans?district=jaipur", e.token("entry.jaipur"), nil, 403)
		e.call("GET", "/api/v1/artisans?district=jaipur", dic, nil, 403)
		if e.authz.Can(id, "jaipur", "artisan", "read") || !e.authz.Can(id, "jaipur", "artisan", "create") {
			t.Errorf("decisions after the reload do not follow the stored rules")
		}
	})
}

// userOf returns the id and version of a user, as the users API lists them.
func userOf(t *testing.T, e *env, token, username string) (int64, float64) {
	t.Helper()
	for _, it := range e.call("GET", "/api/v1/users", token, nil, 200)["items"].([]any) {
		u := it.(map[string]any)
		if u["username"] == username {
			return int64(u["id"].(float64)), u["version"].(float64)
		}
	}
	t.Fatalf("no user %s", username)
	return 0, 0
}
