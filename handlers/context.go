package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

const (
	localRequestID = "request_id"
	localActor     = "actor"
	localCSRF      = "csrf_cookie"
	localFlash     = "flash"
)

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

func actorOf(c *fiber.Ctx) (app.Actor, bool) {
	a, ok := c.Locals(localActor).(app.Actor)
	return a, ok
}

// actor returns the signed-in actor; routes that call it are behind authenticate.
func actor(c *fiber.Ctx) app.Actor {
	a, _ := actorOf(c)
	return a
}

// lang picks the reader's language: an explicit choice (cookie), the user's saved
// preference, then the browser's Accept-Language, then English.
func (s *Server) lang(c *fiber.Ctx) string {
	if l := c.Cookies(cookieLang); isLang(l) {
		return l
	}
	if a, ok := actorOf(c); ok && isLang(a.Lang) {
		return a.Lang
	}
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderAcceptLanguage)), "hi") {
		return "hi"
	}
	return views.Languages()[0]
}

func isLang(l string) bool {
	for _, x := range views.Languages() {
		if l == x {
			return true
		}
	}
	return false
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }
