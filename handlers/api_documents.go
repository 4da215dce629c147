package handlers

// Stubs until the documents work lands: each answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) apiDocumentList(c *fiber.Ctx) error      { return fiber.ErrNotImplemented }
func (s *Server) apiDocumentUpload(c *fiber.Ctx) error    { return fiber.ErrNotImplemented }
func (s *Server) apiDocumentDownload(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (s *Server) documentsPage(c *fiber.Ctx) error        { return fiber.ErrNotImplemented }
func (s *Server) documentUploadSubmit(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) documentDownload(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
