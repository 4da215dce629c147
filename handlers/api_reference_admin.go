package handlers

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiCraftCreate(c *fiber.Ctx) error {
	var in app.CraftInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	craft, err := s.refAdmin.CreateCraft(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(craft)
}

func (s *Server) apiCraftUpdate(c *fiber.Ctx) error {
	var in app.CraftInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	craft, err := s.refAdmin.UpdateCraft(c.UserContext(), actor(c), c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(craft)
}

func (s *Server) apiDistrictUpdate(c *fiber.Ctx) error {
	var in app.DistrictInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	d, err := s.refAdmin.UpdateDistrict(c.UserContext(), actor(c), c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
