package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// onboarding is the onboarding service; it holds only the database and the enforcer.
func (s *Server) onboarding() *app.Onboarding { return &app.Onboarding{DB: s.db, Authz: s.authz} }

func (s *Server) apiOnboardingGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.onboarding().Get(c.UserContext(), actor(c), id, c.Params("platform"))
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiOnboardingForArtisan(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	out, err := s.onboarding().ForArtisan(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

// apiOnboardingMove takes {"stage", "reason", "note", "seller_id", "live_listings",
// "last_sale_on", "version"}; version 0 is for a pair with no record yet.
func (s *Server) apiOnboardingMove(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.OnboardingMove
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	r, err := s.onboarding().Move(c.UserContext(), actor(c), id, c.Params("platform"), in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiOnboardingList(c *fiber.Ctx) error {
	f := app.OnboardingFilter{District: c.Query("district"), Platform: c.Query("platform"), Stage: c.Query("stage"),
		Craft: c.Query("craft"), After: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > app.MaxPageSize {
			return app.Invalid{"limit": app.Msg("validation.limit")}.Err()
		}
		f.Limit = n
	}
	out, next, err := s.onboarding().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	body := items(out)
	body.NextCursor = next
	return c.JSON(body)
}

func (s *Server) apiOnboardingFunnel(c *fiber.Ctx) error {
	f, err := s.onboarding().Funnel(c.UserContext(), actor(c),
		app.FunnelFilter{District: c.Query("district"), Platform: c.Query("platform"), Month: c.Query("month")})
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// apiOnboardingImport applies a platform's list of sellers: 200 with the counts, or 422
// with the problems by row and nothing saved.
func (s *Server) apiOnboardingImport(c *fiber.Ctx) error {
	_, data, err := readUpload(c)
	if err != nil {
		return err
	}
	res, err := s.onboarding().Import(c.UserContext(), actor(c), data)
	var rows app.RowErrors
	if err != nil && errors.As(err, &rows) {
		lang := s.lang(c)
		var body apiSaleImportError
		body.Error.Code = app.EINVALID
		body.Error.Message = views.T(lang, "onboarding.import_failed", map[string]string{"count": app.FormatIndian(int64(len(rows)))})
		body.Error.RowsTotal = len(rows)
		for _, p := range rows[:min(len(rows), apiImportRowsMax)] {
			body.Error.Rows = append(body.Error.Rows, apiImportRow{Row: p.Row, Column: p.Field,
				Message: localize(lang, app.Message{Key: p.Key, Args: p.Args})})
		}
		return c.Status(fiber.StatusUnprocessableEntity).JSON(body)
	}
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) apiPlatformGet(c *fiber.Ctx) error {
	p, err := s.onboarding().Platform(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiPlatformUpdate changes a platform; the body names the fields it changes and the
// version read.
func (s *Server) apiPlatformUpdate(c *fiber.Ctx) error {
	var in app.PlatformInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	p, err := s.onboarding().UpdatePlatform(c.UserContext(), actor(c), c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
