package handlers

// Stubs until the schemes and enrolments work lands: each answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) apiSchemeCreate(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (s *Server) apiSchemeUpdate(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (s *Server) apiSchemeEligible(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiEnrolmentList(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (s *Server) apiEnrolmentCreate(c *fiber.Ctx) error {
	return fiber.ErrNotImplemented
}
func (s *Server) apiEnrolmentGet(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiEnrolmentStep(step string) fiber.Handler {
	return func(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
}
