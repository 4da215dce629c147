package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

func (s *Server) loginPage(c *fiber.Ctx) error {
	if _, err := s.authenticateCookies(c); err == nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	form := views.Form{Values: map[string]string{"next": safeNext(c.Query("next"))}}
	return s.render(c, fiber.StatusOK, "auth/login", "login.title", form)
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	username, next := c.FormValue("username"), safeNext(c.FormValue("next"))
	tokens, _, err := s.auth.Login(c.UserContext(), username, c.FormValue("password"), c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		e := classify(err)
		if e.Code == app.EINTERNAL {
			return err
		}
		lang := s.lang(c)
		form := views.Form{Values: map[string]string{"username": username, "next": next},
			Error: views.T(lang, e.Message.Key, e.Message.Args)}
		return s.render(c, statusOf[e.Code], "auth/login", "login.title", form)
	}
	s.setSessionCookies(c, tokens)
	s.rotateCSRF(c)
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	if err := s.auth.Logout(c.UserContext(), actor(c)); err != nil {
		return err
	}
	s.clearSessionCookies(c)
	s.rotateCSRF(c)
	s.flash(c, "info", "login.signed_out")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// switchLanguage remembers the reader's language in a cookie and, when signed in, on the
// account, so it follows the user to another device.
func (s *Server) switchLanguage(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	if !isLang(lang) {
		return app.Invalid{"lang": app.Msg("validation.lang")}.Err()
	}
	s.setCookie(c, cookieLang, lang, 365*24*time.Hour)
	if a, err := s.authenticateCookies(c); err == nil {
		if err := s.users.SetLanguage(c.UserContext(), a.UserID, lang); err != nil {
			return err
		}
	}
	return c.Redirect(safeNext(c.FormValue("next")), fiber.StatusSeeOther)
}
