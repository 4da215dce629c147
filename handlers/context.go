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

// lang picks the reader's language. Pages: an explicit choice (cookie), the user's saved
// preference, the browser's Accept-Language, then English. The API: a client that sends
// Accept-Language gets that language, else the user's preference.
func (s *Server) lang(c *fiber.Ctx) string {
	if l := c.Cookies(cookieLang); isLang(l) {
		return l
	}
	if isAPI(c) && c.Get(fiber.HeaderAcceptLanguage) != "" {
		return acceptedLang(c)
	}
	if a, ok := actorOf(c); ok && isLang(a.Lang) {
		return a.Lang
	}
	return acceptedLang(c)
}

// acceptedLang reads Accept-Language: Hindi when it comes first, else English.
func acceptedLang(c *fiber.Ctx) string {
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
