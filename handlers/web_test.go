package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWebLoginFlow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Signed out, a page sends the reader to the login page and back afterwards.
		resp, _ := e.page("GET", "/", "", nil, false)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login?next=%2F" {
			t.Fatalf("signed-out home: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body := e.page("GET", "/login?next=/", "", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, `name="_csrf"`) || !strings.Contains(body, `name="password"`) {
			t.Fatalf("login page: %d\n%s", resp.StatusCode, body)
		}

		// A form without its CSRF token is refused.
		form := url.Values{"username": {"dic.jaipur"}, "password": {testPassword}, "next": {"/"}}
		if resp, _ := e.page("POST", "/login", "", form, false); resp.StatusCode != 403 {
			t.Errorf("login without CSRF: %d, want 403", resp.StatusCode)
		}
		// A wrong password shows the form again with the error, username kept.
		bad := url.Values{"username": {"dic.jaipur"}, "password": {"nope-nope-nope"}}
		resp, body = e.page("POST", "/login", "", bad, true)
		if resp.StatusCode != 401 || !strings.Contains(body, `value="dic.jaipur"`) || !strings.Contains(body, "role=\"alert\"") {
			t.Errorf("bad login: %d\n%s", resp.StatusCode, body)
		}

		// The right password sets the session cookies and goes where the reader was going;
		// an outside address in next is ignored.
		form.Set("next", "//evil.example/")
		resp, _ = e.page("POST", "/login", "", form, true)
		access, refresh := cookieNamed(resp, "sk_access"), cookieNamed(resp, "sk_refresh")
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/" || access == nil || refresh == nil {
			t.Fatalf("login: %d %s %v", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
		}
		for _, c := range []*http.Cookie{access, refresh} {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie %s flags: HttpOnly=%v SameSite=%v", c.Name, c.HttpOnly, c.SameSite)
			}
		}
		if cookieNamed(resp, "sk_csrf") == nil {
			t.Error("login did not rotate the CSRF cookie")
		}

		// Home shows the user and their grant; the response carries the security headers.
		resp, body = e.page("GET", "/", "", nil, false, access)
		if resp.StatusCode != 200 || !strings.Contains(body, "DIC Jaipur") || !strings.Contains(body, "Jaipur") {
			t.Fatalf("home: %d\n%s", resp.StatusCode, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("security headers = %v", resp.Header)
		}

		// With only the refresh cookie (access expired), the page renews the session.
		resp, _ = e.page("GET", "/", "", nil, false, refresh)
		if resp.StatusCode != 200 || cookieNamed(resp, "sk_access") == nil {
			t.Errorf("renewal: %d %v", resp.StatusCode, resp.Cookies())
		}

		// Logout needs the CSRF token, then ends the session.
		if resp, _ := e.page("POST", "/logout", "", nil, false, access); resp.StatusCode != 403 {
			t.Errorf("logout without CSRF: %d", resp.StatusCode)
		}
		resp, _ = e.page("POST", "/logout", "", nil, true, access)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
			t.Errorf("logout: %d", resp.StatusCode)
		}
		if resp, _ := e.page("GET", "/", "", nil, false, access); resp.StatusCode != 303 {
			t.Errorf("after logout: %d, want redirect to login", resp.StatusCode)
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp, body := e.page("GET", "/login", "", nil, false, &http.Cookie{Name: "sk_lang", Value: "hi"})
		if resp.StatusCode != 200 || !strings.Contains(body, `lang="hi"`) || !strings.Contains(body, "शिल्पकोष") {
			t.Fatalf("hindi login page: %d", resp.StatusCode)
		}
		// Switching while signed in is remembered on the account.
		resp, _ = e.page("POST", "/lang", "board", url.Values{"lang": {"hi"}, "next": {"/"}}, true)
		if resp.StatusCode != 303 || cookieNamed(resp, "sk_lang") == nil {
			t.Fatalf("switch: %d", resp.StatusCode)
		}
		me := e.call("GET", "/api/v1/me", e.token("board"), nil, 200)
		if me["lang"] != "hi" {
			t.Errorf("saved language = %v", me["lang"])
		}
		_, body = e.page("GET", "/", "board", nil, false)
		if !strings.Contains(body, `lang="hi"`) {
			t.Error("home not in Hindi after the switch")
		}
		if resp, _ := e.page("POST", "/lang", "", url.Values{"lang": {"fr"}}, true); resp.StatusCode != 422 {
			t.Errorf("unknown language: %d", resp.StatusCode)
		}
	})
}

func TestErrorsInTheCallersFormat(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		out := e.call("GET", "/api/v1/nothing-here", e.token("admin"), nil, 404)
		if errorCode(out) != "not_found" {
			t.Errorf("api 404 = %v", out)
		}
		resp, body := e.page("GET", "/nothing-here", "admin", nil, false)
		if resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "404") {
			t.Errorf("page 404: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		resp, _ = e.page("GET", "/static/css/app.css", "", nil, false)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Errorf("stylesheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			e.call("GET", p, "", nil, 200)
		}
	})
}
