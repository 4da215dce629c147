package handlers

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiUserList(c *fiber.Ctx) error {
	users, err := s.users.List(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(items(users))
}

func (s *Server) apiUserCreate(c *fiber.Ctx) error {
	var in app.NewUser
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u, err := s.users.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *Server) apiUserGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := s.users.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) apiUserUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var upd app.UserUpdate
	if err := bindJSON(c, &upd); err != nil {
		return err
	}
	u, err := s.users.Update(c.UserContext(), actor(c), id, upd)
	if err != nil {
		return err
	}
	return c.JSON(u)
}
