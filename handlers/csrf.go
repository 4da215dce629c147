package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// CSRF uses a signed double-submit token: a random HttpOnly cookie, and in every form the
// HMAC of that cookie under a server key. A forged cross-site form cannot read the cookie
// to compute the token. Nothing is stored server-side, so several instances agree.

func newCSRFCookieValue() string {
	b := make([]byte, 24)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) csrfFor(cookie string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the token to put in this response's forms.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	cookie, _ := c.Locals(localCSRF).(string)
	if cookie == "" {
		cookie = c.Cookies(cookieCSRF)
	}
	if cookie == "" {
		return ""
	}
	return s.csrfFor(cookie)
}

// rotateCSRF gives a fresh cookie, as at login, so a token seen before sign-in is useless.
func (s *Server) rotateCSRF(c *fiber.Ctx) {
	v := newCSRFCookieValue()
	c.Locals(localCSRF, v)
	s.setCookie(c, cookieCSRF, v, 0)
}

// checkCSRF refuses an unsafe request to a page whose token does not match its cookie.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	cookie := c.Cookies(cookieCSRF)
	sent := c.FormValue("_csrf")
	if sent == "" {
		sent = c.Get("X-CSRF-Token")
	}
	if cookie == "" || sent == "" || !hmac.Equal([]byte(sent), []byte(s.csrfFor(cookie))) {
		return app.Errorf(app.EFORBIDDEN, "error.csrf")
	}
	return c.Next()
}
