package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

const (
	cookieAccess  = "sk_access"
	cookieRefresh = "sk_refresh"
	cookieCSRF    = "sk_csrf"
	cookieLang    = "sk_lang"
	cookieFlash   = "sk_flash"
)

// setCookie writes an HttpOnly, SameSite=Lax cookie, Secure in production. maxAge 0 makes
// a browser-session cookie.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		HTTPOnly: true, Secure: s.cfg.Production, SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(1, 0),
		HTTPOnly: true, Secure: s.cfg.Production, SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) setSessionCookies(c *fiber.Ctx, t *app.Tokens) {
	s.setCookie(c, cookieAccess, t.AccessToken, app.AccessTTL)
	s.setCookie(c, cookieRefresh, t.RefreshToken, app.SessionTTL)
}

func (s *Server) clearSessionCookies(c *fiber.Ctx) {
	s.clearCookie(c, cookieAccess)
	s.clearCookie(c, cookieRefresh)
}

// flash keeps a message for the next page, as "kind:catalogue-key".
func (s *Server) flash(c *fiber.Ctx, kind, key string) {
	s.setCookie(c, cookieFlash, kind+":"+key, time.Minute)
}

// webContext prepares what every page needs: a CSRF cookie and the pending flash.
func (s *Server) webContext(c *fiber.Ctx) error {
	if c.Cookies(cookieCSRF) == "" {
		s.rotateCSRF(c)
	}
	if f := c.Cookies(cookieFlash); f != "" {
		s.clearCookie(c, cookieFlash)
		if kind, key, ok := strings.Cut(f, ":"); ok && views.HasKey(key) {
			c.Locals(localFlash, views.Flash{Kind: kind, Text: key})
		}
	}
	return c.Next()
}
