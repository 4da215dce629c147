package handlers

// Stub until the district report lands: it answers 501 Not Implemented.

import "github.com/gofiber/fiber/v2"

func (s *Server) apiDistrictMonthlyReport(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
