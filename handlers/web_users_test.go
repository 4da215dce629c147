package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/views"
)

func TestUserPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp, body := e.page("GET", "/users", "admin", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, "<code>dic.jaipur</code>") {
			t.Fatalf("list: %d\n%s", resp.StatusCode, body)
		}
		checkPage(t, "users list", body)
		resp, body = e.page("GET", "/users/new", "admin", nil, false)
		if resp.StatusCode != 200 {
			t.Fatalf("new: %d", resp.StatusCode)
		}
		checkPage(t, "users new", body)

		// A bad username and no district: errors by the fields, in Hindi for a Hindi reader.
		bad := url.Values{"username": {"Bad Name"}, "password": {testPassword}, "name": {"DIC Ajmer"}, "role": {"dic_officer"}}
		resp, body = e.page("POST", "/users", "admin", bad, true, &http.Cookie{Name: "sk_lang", Value: "hi"})
		if resp.StatusCode != 422 {
			t.Fatalf("bad user: %d", resp.StatusCode)
		}
		for id, key := range map[string]string{"f-username": "user.username_invalid", "f-districts": "user.district_required"} {
			if got, want := fieldError(body, id), views.T("hi", key, nil); !strings.HasSuffix(got, want) {
				t.Errorf("%s error %q, want %q", id, got, want)
			}
		}
		if strings.Contains(body, testPassword) {
			t.Errorf("the password was sent back")
		}
		good := url.Values{"username": {"dic.ajmer"}, "password": {testPassword}, "name": {"DIC Ajmer"},
			"role": {"dic_officer"}, "districts": {"ajmer"}}
		if resp, _ = e.page("POST", "/users", "admin", good, true); resp.StatusCode != 303 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		users, err := e.users.ListAll(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var id, version string
		for _, u := range users {
			if u.Username == "dic.ajmer" {
				id, version = idText(u.ID), idText(u.Version)
			}
		}
		if id == "" {
			t.Fatal("dic.ajmer not created")
		}
		resp, body = e.page("GET", "/users/"+id+"/edit", "admin", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="ajmer" checked`) {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		checkPage(t, "users edit", body)

		// Add Kota, deactivate; then a stale version is a conflict.
		upd := url.Values{"name": {"DIC Ajmer"}, "role": {"dic_officer"}, "districts": {"ajmer", "kota"}, "version": {version}}
		if resp, body = e.page("POST", "/users/"+id, "admin", upd, true); resp.StatusCode != 303 {
			t.Fatalf("update: %d\n%s", resp.StatusCode, body)
		}
		if resp, _ = e.page("POST", "/users/"+id, "admin", upd, true); resp.StatusCode != 409 {
			t.Errorf("stale update: %d, want 409", resp.StatusCode)
		}
		_, body = e.page("GET", "/users", "admin", nil, false)
		if !strings.Contains(body, "Ajmer, Kota") || !strings.Contains(body, views.T("en", "user.active.false", nil)) {
			t.Errorf("list does not show the new districts and the deactivation")
		}

		// Password reset: too short is an error by its field; a good one redirects.
		v := idText(mustVersion(t, e, "dic.ajmer"))
		resp, body = e.page("POST", "/users/"+id+"/password", "admin", url.Values{"new_password": {"short"}, "version": {v}}, true)
		if resp.StatusCode != 422 || fieldError(body, "f-new_password") == "" {
			t.Errorf("short password: %d, error %q", resp.StatusCode, fieldError(body, "f-new_password"))
		}
		resp, _ = e.page("POST", "/users/"+id+"/password", "admin", url.Values{"new_password": {"another-long-password"}, "version": {v}}, true)
		if resp.StatusCode != 303 {
			t.Errorf("password: %d", resp.StatusCode)
		}
		if resp, _ = e.page("GET", "/users/999/edit", "admin", nil, false); resp.StatusCode != 404 {
			t.Errorf("unknown user: %d", resp.StatusCode)
		}
	})
}

func mustVersion(t *testing.T, e *env, username string) int64 {
	users, err := e.users.ListAll(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == username {
			return u.Version
		}
	}
	t.Fatalf("no user %s", username)
	return 0
}

func idText(n int64) string { return strconv.FormatInt(n, 10) }

func TestAuditPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Creating the test users wrote "user create" entries by "system".
		for _, who := range []string{"admin", "auditor"} {
			resp, body := e.page("GET", "/audit", who, nil, false)
			if resp.StatusCode != 200 || !strings.Contains(body, views.T("en", "audit.action.create", nil)) {
				t.Fatalf("%s: %d", who, resp.StatusCode)
			}
			checkPage(t, "audit "+who, body)
		}
		_, body := e.page("GET", "/audit?user=system&entity=user", "auditor", nil, false)
		if n := strings.Count(body, views.T("en", "actor.system", nil)); n < len(testUsers) {
			t.Errorf("filter by user: %d entries by system, want %d", n, len(testUsers))
		}
		_, body = e.page("GET", "/audit?user=nobody", "auditor", nil, false)
		if !strings.Contains(body, views.T("en", "audit.list.empty_filtered", nil)) {
			t.Errorf("unknown user: entries shown")
		}
		_, body = e.page("GET", "/audit?to=01-01-2000", "auditor", nil, false)
		if !strings.Contains(body, views.T("en", "audit.list.empty_filtered", nil)) {
			t.Errorf("date filter: entries before 2000 shown")
		}
		resp, body := e.page("GET", "/audit?from=31-02-2026", "auditor", nil, false, &http.Cookie{Name: "sk_lang", Value: "hi"})
		if resp.StatusCode != 422 || !strings.HasSuffix(fieldError(body, "f-from"), views.T("hi", "audit.bad_date", nil)) {
			t.Errorf("bad date: %d %q", resp.StatusCode, fieldError(body, "f-from"))
		}
		// Paging: 55 entries make a page of 50 and a second of 5; the next link keeps the filter.
		err := e.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			for i := range 55 {
				if err := app.RecordAudit(ctx, tx, app.System, app.Change{Entity: "store", EntityID: strconv.Itoa(i), Action: "update"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_, body = e.page("GET", "/audit?entity=store", "admin", nil, false)
		next := regexp.MustCompile(`href="(/audit\?[^"]*before=[^"]*)"`).FindStringSubmatch(body)
		if n := strings.Count(body, `<td data-label="Action">changed</td>`); n != 50 || next == nil {
			t.Fatalf("first page: %d entries, next %v", n, next)
		}
		_, body = e.page("GET", html.UnescapeString(next[1]), "admin", nil, false)
		if n := strings.Count(body, `<td data-label="Action">changed</td>`); n != 5 || strings.Contains(body, `class="pager"`) {
			t.Errorf("second page: %d entries, want 5 and no next", n)
		}
	})
}
