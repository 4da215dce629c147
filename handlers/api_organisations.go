package handlers

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiOrganisationList(c *fiber.Ctx) error {
	v := app.Invalid{}
	f := app.OrganisationFilter{District: c.Query("district"), Kind: c.Query("kind"), Q: c.Query("q"),
		Active: boolQuery(c, v, "active")}
	if err := v.Err(); err != nil {
		return err
	}
	orgs, err := s.organisations.List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(items(orgs))
}

func (s *Server) apiOrganisationCreate(c *fiber.Ctx) error {
	var in app.OrganisationInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	o, err := s.organisations.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (s *Server) apiOrganisationGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	o, err := s.organisations.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (s *Server) apiOrganisationUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	// A partial update: start from the stored record and let the body overwrite the fields
	// it names. The version in the body still guards against a concurrent change.
	cur, err := s.organisations.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	active := cur.Active
	in := app.OrganisationInput{Name: cur.Name, NameHi: cur.NameHi, Kind: cur.Kind, District: cur.District,
		RegistrationNo: cur.RegistrationNo, Address: cur.Address, Active: &active}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	o, err := s.organisations.Update(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(o)
}
