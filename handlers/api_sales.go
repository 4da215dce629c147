package handlers

// Stubs until the stores, sales and month-close work lands: each answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) apiStoreList(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (s *Server) apiStoreCreate(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiStoreGet(c *fiber.Ctx) error    { return fiber.ErrNotImplemented }
func (s *Server) apiStoreUpdate(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiSaleSummary(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (s *Server) apiSaleList(c *fiber.Ctx) error    { return fiber.ErrNotImplemented }
func (s *Server) apiSaleCreate(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (s *Server) apiSaleGet(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (s *Server) apiSaleImport(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (s *Server) apiMonthList(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (s *Server) apiMonthClose(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (s *Server) apiMonthReopen(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
