package handlers_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/handlers"
)

// samplePath fills a route's parameters the way the authorization matrix does.
var samplePath = strings.NewReplacer(":id", "1", ":slug", "ajmer", ":district", "jaipur",
	":month", "2026-10", ":platform", "amazon", "*", "css/app.css").Replace

// allowedUser is a user the route table lets through, so a refusal is the CSRF check's.
func allowedUser(method, path string) string {
	users := allowedUsers[method+" "+path]
	if slices.Contains(users, "admin") || len(users) == 0 {
		return "admin"
	}
	return users[0]
}

// formWithToken posts form to path as user with the CSRF cookie cookie and _csrf token.
func (e *env) formWithToken(method, path, user, cookie, token string) *http.Response {
	e.t.Helper()
	form := url.Values{"name": {"x"}, "reason": {"x"}}
	if token != "" {
		form.Set("_csrf", token)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: cookie})
	}
	if user != "" {
		req.AddCookie(&http.Cookie{Name: "sk_access", Value: e.token(user)})
	}
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // the status is what is checked
	resp.Body.Close()
	return resp
}

// tokenFor is the form token of another session's CSRF cookie.
func tokenFor(cookie string) string {
	key := app.NewKeys([]byte("test-secret-test-secret-test-secret!")).Derive("csrf")
	m := hmac.New(sha256.New, key)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func auditCount(t *testing.T, e *env) int64 {
	t.Helper()
	n, err := e.db.NewSelect().Table("audit_log").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAttackCSRFOnEveryUnsafeWebRoute walks the route table: every web route with an
// unsafe method, posted by a user allowed to use it, is refused with 403 when the token is
// missing, when it belongs to another session's cookie, and when there is no cookie; and
// nothing is recorded in the audit log, where every change would be.
func TestAttackCSRFOnEveryUnsafeWebRoute(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		checked := 0
		for _, r := range e.srv.Routes() {
			if !r.Web || r.Method == "GET" || r.Method == "HEAD" {
				continue
			}
			checked++
			path, user := samplePath(r.Path), allowedUser(r.Method, r.Path)
			if r.Public {
				user = ""
			}
			before := auditCount(t, e)
			for name, attempt := range map[string][2]string{
				"no token":              {testCSRFCookie, ""},
				"other session's token": {testCSRFCookie, tokenFor("someone-elses-csrf-cookie")},
				"token without cookie":  {"", csrfToken()},
				"token of another key":  {testCSRFCookie, base64.RawURLEncoding.EncodeToString(make([]byte, 32))},
			} {
				if resp := e.formWithToken(r.Method, path, user, attempt[0], attempt[1]); resp.StatusCode != 403 {
					t.Errorf("%s %s as %q, %s: %d, want 403", r.Method, r.Path, user, name, resp.StatusCode)
				}
			}
			if after := auditCount(t, e); after != before {
				t.Errorf("%s %s: %d audit entries written by refused requests", r.Method, r.Path, after-before)
			}
		}
		if checked < 20 {
			t.Errorf("only %d unsafe web routes found: is the route table walked?", checked)
		}
	})
}

// TestAttackSecurityHeadersOnEveryPage fetches every page of the route table as a user
// allowed to see it (and the public ones, static files and an unknown path signed out):
// each answer carries a CSP with no inline script, and the other headers; no HTML answer
// holds an inline script or an event-handler attribute.
func TestAttackSecurityHeadersOnEveryPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		seedAttackRecords(t, e)
		paths := map[string]string{"/no-such-page": "", "/api/v1/no-such": "", "/login": ""}
		for _, r := range e.srv.Routes() {
			if r.Method != "GET" {
				continue
			}
			user := allowedUser(r.Method, r.Path)
			if r.Public {
				user = ""
			}
			paths[samplePath(r.Path)] = user
		}
		for path, user := range paths {
			resp, body := e.page("GET", path, user, nil, false)
			checkSecurityHeaders(t, path, resp)
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				if bad := inlineScript(body); bad != "" {
					t.Errorf("GET %s as %q: inline script in the page: %s", path, user, bad)
				}
			}
		}
	})
}

func checkSecurityHeaders(t *testing.T, path string, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("GET %s (%d): CSP %q lacks %s", path, resp.StatusCode, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("GET %s: CSP %q allows inline script", path, csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("GET %s: %s = %q, want %q", path, h, got, want)
		}
	}
}

var (
	inlineScriptTag = regexp.MustCompile(`(?is)<script\b([^>]*)>`)
	// A start tag whose attributes (quoted values skipped) include an on* handler.
	eventHandler = regexp.MustCompile(`(?i)<[a-z][^\s/>]*(?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*?\s+on[a-z]+\s*=`)
	scriptURL    = regexp.MustCompile(`(?i)\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:`)
)

// inlineScript returns the first inline script, event-handler attribute or javascript: URL
// in html, or "".
func inlineScript(html string) string {
	for _, m := range inlineScriptTag.FindAllStringSubmatch(html, -1) {
		if !strings.Contains(m[1], "src=") {
			return m[0]
		}
	}
	if m := eventHandler.FindString(html); m != "" {
		return m
	}
	return scriptURL.FindString(html)
}

// TestAttackNoInlineScriptInTemplates reads every template, so a page no route reaches in
// the sweep above cannot bring inline script in either.
func TestAttackNoInlineScriptInTemplates(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../views/templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if bad := inlineScript(string(raw)); bad != "" {
			t.Errorf("%s: %s", path, bad)
		}
		if strings.Contains(string(raw), "template.JS") || strings.Contains(string(raw), "| safeJS") {
			t.Errorf("%s: marks text as trusted script", path)
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("templates read: %d, %v", n, err)
	}
}

// TestAttackSessionCookieFlags: every cookie the server sets at sign-in is HttpOnly,
// SameSite=Lax, for the whole site, and Secure with HSTS in the production configuration.
func TestAttackSessionCookieFlags(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, production := range []bool{false, true} {
			cfg := app.Config{Secret: []byte("test-secret-test-secret-test-secret!"), Addr: ":0", DataDir: t.TempDir(), Production: production}
			srv := handlers.New(handlers.Deps{Config: cfg, DB: e.db, Authz: e.authz, Logger: slog.New(slog.DiscardHandler)})
			form := url.Values{"username": {"dic.jaipur"}, "password": {testPassword}, "_csrf": {csrfToken()}}
			req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: testCSRFCookie})
			resp, err := srv.App().Test(req, 30_000)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			names := map[string]bool{}
			for _, c := range resp.Cookies() {
				names[c.Name] = true
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != production {
					t.Errorf("production=%v: cookie %s: HttpOnly=%v SameSite=%v Path=%q Secure=%v", production, c.Name, c.HttpOnly, c.SameSite, c.Path, c.Secure)
				}
			}
			if !names["sk_access"] || !names["sk_refresh"] || !names["sk_csrf"] {
				t.Errorf("production=%v: login set %v, want the session and a fresh CSRF cookie", production, names)
			}
			if hsts := resp.Header.Get("Strict-Transport-Security"); (hsts != "") != production {
				t.Errorf("production=%v: HSTS %q", production, hsts)
			}
		}
	})
}

// TestAttackInlineScriptDetector proves the detector the page sweeps rely on: it finds
// inline script and handlers, and leaves escaped text inside attribute values alone.
func TestAttackInlineScriptDetector(t *testing.T) {
	for html, want := range map[string]bool{
		`<script>alert(1)</script>`:                                   true,
		`<SCRIPT type="module">x</SCRIPT>`:                            true,
		`<a href="/x" onclick="go()">`:                                true,
		`<img src=x onerror=alert(1)>`:                                true,
		`<a href="javascript:alert(1)">`:                              true,
		`<script src="/static/js/app.js" defer></script>`:             false,
		`<input value="&#34;&gt;&lt;img src=x onerror=alert(2)&gt;">`: false,
		`<p>onclick= is a word here</p>`:                              false,
	} {
		if got := inlineScript(html) != ""; got != want {
			t.Errorf("inlineScript(%q) found = %v, want %v", html, got, want)
		}
	}
}

// TestAttackLoginThrottleTrustsOnlyTheProxy: failed logins lock the address they come
// from. A client cannot dodge that by inventing X-Forwarded-For; behind a configured proxy
// the header is believed, so one client's failures lock that client and not everyone the
// proxy serves.
func TestAttackLoginThrottleTrustsOnlyTheProxy(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, trusted := range []bool{false, true} {
			cfg := app.Config{Secret: []byte("test-secret-test-secret-test-secret!"), Addr: ":0", DataDir: t.TempDir()}
			if trusted {
				cfg.TrustedProxies = []string{"0.0.0.0"} // the address fiber's test connection comes from
			}
			srv := handlers.New(handlers.Deps{Config: cfg, DB: e.db, Authz: e.authz, Logger: slog.New(slog.DiscardHandler)})
			th := &srv.Auth().Throttle
			th.Sleep, th.IPLimit, th.UserLimit = func(context.Context, time.Duration) {}, 3, 100
			login := func(user, password, forwardedFor string) int {
				body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)
				req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", forwardedFor)
				resp, err := srv.App().Test(req, 30_000)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			attacker, other := "203.0.113.5", "198.51.100.7"
			for i := range 3 {
				if got := login("auditor", "wrong", fmt.Sprintf("203.0.113.%d", 100+i)); got != 401 && trusted {
					t.Fatalf("failure %d: %d", i, got)
				}
				if trusted {
					login("auditor", "wrong", attacker)
				}
			}
			if got := login("board", testPassword, attacker); got != 429 {
				t.Errorf("trusted=%v: the locked address signs in: %d", trusted, got)
			}
			want := 429 // untrusted: every client is the one address the header cannot change
			if trusted {
				want = 200 // trusted: another client behind the proxy is not locked out
			}
			if got := login("board", testPassword, other); got != want {
				t.Errorf("trusted=%v: another client: %d, want %d", trusted, got, want)
			}
			if _, err := e.db.NewDelete().Table("login_attempts").Where("1 = 1").Exec(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	})
}
