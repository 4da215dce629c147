package handlers

// Listings of products on platforms, the price-flag list and the price tolerance.

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) listings() *app.Listings { return &app.Listings{DB: s.db, Authz: s.authz} }
func (s *Server) settings() *app.Settings { return &app.Settings{DB: s.db, Authz: s.authz} }

func (s *Server) apiListingList(c *fiber.Ctx) error {
	v := app.Invalid{}
	f := app.ListingFilter{District: c.Query("district"), Platform: c.Query("platform"), Status: c.Query("status"),
		ProductID: int64Query(c, v, "product_id")}
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.listings().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

func (s *Server) apiListingCreate(c *fiber.Ctx) error {
	var in app.ListingInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	l, err := s.listings().Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(l)
}

// apiListingUpdate is a partial update like apiProductUpdate; product and platform stay.
func (s *Server) apiListingUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.listings().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	in := cur.Input()
	in.Version = 0
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	l, err := s.listings().Update(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (s *Server) apiPriceFlags(c *fiber.Ctx) error {
	out, err := s.listings().PriceFlags(c.UserContext(), actor(c), c.Query("district"))
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

// toleranceInput is the body of PUT /settings/price-tolerance.
type toleranceInput struct {
	Percent *int  `json:"percent"`
	Version int64 `json:"version"`
}

func (s *Server) apiPriceToleranceSet(c *fiber.Ctx) error {
	var in toleranceInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v := app.Invalid{}
	if in.Percent == nil {
		v.Add("percent", "validation.required")
	}
	if in.Version == 0 {
		v.Add("version", "validation.required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	st, err := s.settings().SetPriceTolerance(c.UserContext(), actor(c), *in.Percent, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(st)
}
