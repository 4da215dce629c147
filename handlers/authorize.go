package handlers

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// authenticate resolves the actor: a Bearer token for the API, the session cookies for
// pages. A page whose access token has expired is renewed from the refresh cookie.
func (s *Server) authenticate(web bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var a app.Actor
		var err error
		if web {
			a, err = s.authenticateCookies(c)
		} else {
			a, err = s.authenticateBearer(c)
		}
		if err != nil {
			return err
		}
		a.IP = c.IP()
		c.Locals(localActor, a)
		return c.Next()
	}
}

func (s *Server) authenticateBearer(c *fiber.Ctx) (app.Actor, error) {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return app.Actor{}, app.ErrUnauthorized
	}
	return s.auth.Authenticate(c.UserContext(), token)
}

func (s *Server) authenticateCookies(c *fiber.Ctx) (app.Actor, error) {
	if token := c.Cookies(cookieAccess); token != "" {
		if a, err := s.auth.Authenticate(c.UserContext(), token); err == nil {
			return a, nil
		}
	}
	refresh := c.Cookies(cookieRefresh)
	if refresh == "" {
		return app.Actor{}, app.ErrUnauthorized
	}
	tokens, err := s.auth.Refresh(c.UserContext(), refresh)
	if err != nil {
		s.clearSessionCookies(c)
		return app.Actor{}, app.ErrUnauthorized
	}
	s.setSessionCookies(c, tokens)
	return s.auth.Authenticate(c.UserContext(), tokens.AccessToken)
}

// authorize is the one casbin check every permitted route passes. A route with a
// :district parameter is checked in that district; any other needs the permission in at
// least one district, and app narrows its queries to the actor's scope.
func (s *Server) authorize(r route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := actor(c)
		allowed := false
		if d := c.Params("district"); d != "" {
			allowed = s.authz.Can(a.UserID, d, r.object, r.action)
		} else {
			allowed = s.authz.Allowed(a.UserID, r.object, r.action)
		}
		if !allowed {
			return app.ErrForbidden
		}
		return c.Next()
	}
}

// loginRedirect sends a signed-out reader of a page to the login page and back after.
func loginRedirect(c *fiber.Ctx) error {
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// safeNext accepts only a local path as the place to return to after login, so the login
// page cannot be used to send officials to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
