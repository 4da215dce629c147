package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID takes a well-formed X-Request-ID from a proxy or makes one, so one id ties a
// user's error page to the log line.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !requestIDPattern.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
		id = hex.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// logRequests writes one structured line per request. Bodies and query strings are not
// logged: they may carry personal data.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Let the error handler write the response now, so the status logged is the real one.
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
		err = nil
	}
	level := slog.LevelInfo
	if c.Response().StatusCode() >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("request_id", requestIDOf(c)), slog.String("method", c.Method()),
		slog.String("path", c.Path()), slog.Int("status", c.Response().StatusCode()),
		slog.Duration("duration", time.Since(start)), slog.String("ip", c.IP()),
	}
	if a, ok := actorOf(c); ok {
		attrs = append(attrs, slog.Int64("user_id", a.UserID))
	}
	s.log.LogAttrs(c.UserContext(), level, "request", attrs...)
	return err
}

// recoverPanic turns a panic into a 500 with the stack in the log, not in the response.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "request_id", requestIDOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fiber.ErrInternalServerError
		}
	}()
	return c.Next()
}

// contentSecurityPolicy forbids inline script and style, and any origin but our own.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.cfg.Production {
		c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}
