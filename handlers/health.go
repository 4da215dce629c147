package handlers

import (
	"context"
	"io/fs"
	"mime"
	"path"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/views"
)

// healthz says the process is up; it touches nothing else.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz says whether the database answers, so a load balancer stops sending traffic to an
// instance that cannot serve it.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		s.log.Warn("not ready", "error", err.Error())
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// static serves the embedded stylesheet, script and fonts.
func (s *Server) static(c *fiber.Ctx) error {
	name := path.Clean(c.Params("*"))
	b, err := fs.ReadFile(views.Static(), name)
	if err != nil {
		return fiber.ErrNotFound
	}
	if t := staticTypes[path.Ext(name)]; t != "" {
		c.Set(fiber.HeaderContentType, t)
	} else if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		c.Set(fiber.HeaderContentType, t)
	}
	// Templates link assets with ?v=<content hash>, so such a URL never changes content.
	if c.Query("v") != "" {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	}
	return c.Send(b)
}

// staticTypes covers what Go's MIME table lacks on a bare machine.
var staticTypes = map[string]string{
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
	".woff2": "font/woff2", ".ttf": "font/ttf", ".txt": "text/plain; charset=utf-8",
}
