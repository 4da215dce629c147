package handlers

// Stubs until the registry pages land: each answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) artisanNewPage(c *fiber.Ctx) error      { return fiber.ErrNotImplemented }
func (s *Server) artisanListPage(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) artisanCreateSubmit(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) artisanPage(c *fiber.Ctx) error         { return fiber.ErrNotImplemented }
func (s *Server) artisanEditPage(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) artisanUpdateSubmit(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) artisanStepSubmit(step string) fiber.Handler {
	return func(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
}
func (s *Server) inboxPage(c *fiber.Ctx) error                { return fiber.ErrNotImplemented }
func (s *Server) organisationNewPage(c *fiber.Ctx) error      { return fiber.ErrNotImplemented }
func (s *Server) organisationListPage(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) organisationCreateSubmit(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) organisationEditPage(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) organisationUpdateSubmit(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) craftListPage(c *fiber.Ctx) error            { return fiber.ErrNotImplemented }
func (s *Server) craftCreateSubmit(c *fiber.Ctx) error        { return fiber.ErrNotImplemented }
func (s *Server) craftUpdateSubmit(c *fiber.Ctx) error        { return fiber.ErrNotImplemented }
