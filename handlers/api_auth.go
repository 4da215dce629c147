package handlers

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(c *fiber.Ctx) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	tokens, _, err := s.auth.Login(c.UserContext(), req.Username, req.Password, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(tokens)
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) apiRefresh(c *fiber.Ctx) error {
	var req refreshRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return app.ErrUnauthorized
	}
	tokens, err := s.auth.Refresh(c.UserContext(), req.RefreshToken)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(tokens)
}

func (s *Server) apiLogout(c *fiber.Ctx) error {
	if err := s.auth.Logout(c.UserContext(), actor(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) apiMe(c *fiber.Ctx) error {
	a := actor(c)
	u, err := s.users.Get(c.UserContext(), a, a.UserID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}
