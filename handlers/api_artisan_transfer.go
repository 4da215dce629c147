package handlers

// Stubs until the import/export work lands: each answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) apiArtisanExport(c *fiber.Ctx) error         { return fiber.ErrNotImplemented }
func (s *Server) apiArtisanImportTemplate(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiArtisanImport(c *fiber.Ctx) error         { return fiber.ErrNotImplemented }
func (s *Server) apiImportStatus(c *fiber.Ctx) error          { return fiber.ErrNotImplemented }
func (s *Server) apiImportReport(c *fiber.Ctx) error          { return fiber.ErrNotImplemented }
func (s *Server) artisanExportDownload(c *fiber.Ctx) error    { return fiber.ErrNotImplemented }
func (s *Server) importTemplateDownload(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (s *Server) importArtisansPage(c *fiber.Ctx) error       { return fiber.ErrNotImplemented }
func (s *Server) importArtisansSubmit(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) importStatusPage(c *fiber.Ctx) error         { return fiber.ErrNotImplemented }
func (s *Server) importReportDownload(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
