package handlers

// Readiness of artisans for platforms: one artisan's checklists and a district's table.

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) readiness() *app.Readiness { return &app.Readiness{DB: s.db, Authz: s.authz} }

func (s *Server) apiArtisanReadiness(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	out, err := s.readiness().ForArtisan(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

func (s *Server) apiReadinessTable(c *fiber.Ctx) error {
	district := c.Query("district")
	if district == "" {
		return app.Invalid{"district": app.Msg("validation.required")}.Err()
	}
	out, err := s.readiness().DistrictTable(c.UserContext(), actor(c), district)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}
