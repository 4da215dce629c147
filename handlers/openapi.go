package handlers

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument describes the JSON API in OpenAPI 3; a test keeps it and the route
// table in step, and checks real responses against its schemas.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the embedded document.
func OpenAPIDocument() []byte { return openAPIDocument }

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}
