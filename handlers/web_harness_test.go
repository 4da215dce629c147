package handlers_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"shilpkosh/app"
)

const testCSRFCookie = "test-csrf-cookie-value"

// csrfToken computes the form token for testCSRFCookie the way the server does.
func csrfToken() string {
	key := app.NewKeys([]byte("test-secret-test-secret-test-secret!")).Derive("csrf")
	m := hmac.New(sha256.New, key)
	m.Write([]byte(testCSRFCookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// page sends a browser-like request: session cookie of username (if any), the CSRF cookie,
// and a form body (with the CSRF token when withCSRF).
func (e *env) page(method, path, username string, form url.Values, withCSRF bool, cookies ...*http.Cookie) (*http.Response, string) {
	e.t.Helper()
	var body io.Reader
	if form != nil || method == "POST" {
		if form == nil {
			form = url.Values{}
		}
		if withCSRF {
			form.Set("_csrf", csrfToken())
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: testCSRFCookie})
	if username != "" {
		req.AddCookie(&http.Cookie{Name: "sk_access", Value: e.token(username)})
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(raw)
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
