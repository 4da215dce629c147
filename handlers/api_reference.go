package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// referenceList answers a reference list read by every signed-in user.
func referenceList[T any](load func(context.Context) ([]T, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := load(c.UserContext())
		if err != nil {
			return err
		}
		return c.JSON(items(v))
	}
}

func (s *Server) apiDistricts(c *fiber.Ctx) error { return referenceList(s.ref.Districts)(c) }
func (s *Server) apiCrafts(c *fiber.Ctx) error    { return referenceList(s.ref.Crafts)(c) }
func (s *Server) apiAgencies(c *fiber.Ctx) error  { return referenceList(s.ref.Agencies)(c) }
func (s *Server) apiSchemes(c *fiber.Ctx) error   { return referenceList(s.schemeAdmin().ListSchemes)(c) }
func (s *Server) apiPlatforms(c *fiber.Ctx) error { return referenceList(s.ref.Platforms)(c) }
func (s *Server) apiRoles(c *fiber.Ctx) error     { return referenceList(s.ref.Roles)(c) }
