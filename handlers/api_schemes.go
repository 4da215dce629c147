package handlers

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// schemeAdmin and enrolments build their services on demand: they hold nothing but the
// database and the enforcer, so a new value per request costs nothing.
func (s *Server) schemeAdmin() *app.SchemeAdmin { return &app.SchemeAdmin{DB: s.db, Authz: s.authz} }

func (s *Server) enrolments() *app.Enrolments { return &app.Enrolments{DB: s.db, Authz: s.authz} }

func (s *Server) apiSchemeCreate(c *fiber.Ctx) error {
	var in app.SchemeInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sc, err := s.schemeAdmin().CreateScheme(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sc)
}

// apiSchemeUpdate changes the fields the body names; the body must carry the version read.
func (s *Server) apiSchemeUpdate(c *fiber.Ctx) error {
	if err := schemeNeedVersion(c); err != nil {
		return err
	}
	var in app.SchemeInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Slug != "" && in.Slug != c.Params("slug") {
		return app.Invalid{"slug": app.Msg("scheme.slug_fixed")}.Err()
	}
	sc, err := s.schemeAdmin().UpdateScheme(c.UserContext(), actor(c), c.Params("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

// schemeNeedVersion refuses a body without a version: optimistic locking cannot work blind.
func schemeNeedVersion(c *fiber.Ctx) error {
	var probe struct {
		Version *int64 `json:"version"`
	}
	if err := json.Unmarshal(c.Body(), &probe); err != nil {
		return app.Errorf(app.EINVALID, "validation.json")
	}
	if probe.Version == nil {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	return nil
}

func (s *Server) apiSchemeEligible(c *fiber.Ctx) error {
	v := app.Invalid{}
	after := positiveQuery(c, v, "cursor", "validation.number")
	limit := positiveQuery(c, v, "limit", "validation.limit")
	if err := v.Err(); err != nil {
		return err
	}
	out, next, err := s.enrolments().Eligible(c.UserContext(), actor(c), c.Params("slug"), after, int(limit))
	if err != nil {
		return err
	}
	return c.JSON(schemeListPage(out, next))
}

// schemeListPage is a list with the cursor of the next page, if any.
func schemeListPage[T any](v []T, next int64) list[T] {
	l := items(v)
	if next > 0 {
		l.NextCursor = strconv.FormatInt(next, 10)
	}
	return l
}

func (s *Server) apiEnrolmentList(c *fiber.Ctx) error {
	v := app.Invalid{}
	f := app.EnrolmentFilter{
		Scheme: c.Query("scheme"), District: c.Query("district"), Month: c.Query("month"),
		ArtisanID: positiveQuery(c, v, "artisan_id", "validation.number"),
		BeforeID:  positiveQuery(c, v, "cursor", "validation.number"),
		Limit:     int(positiveQuery(c, v, "limit", "validation.limit")),
	}
	for _, st := range strings.Split(c.Query("status"), ",") {
		if st = strings.TrimSpace(st); st != "" {
			f.Statuses = append(f.Statuses, st)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	out, next, err := s.enrolments().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(schemeListPage(out, next))
}

func (s *Server) apiEnrolmentCreate(c *fiber.Ctx) error {
	var in app.EnrolmentInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	en, err := s.enrolments().Apply(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(en)
}

func (s *Server) apiEnrolmentGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	en, err := s.enrolments().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(en)
}

// apiEnrolmentStep runs one workflow step; the route table names which.
func (s *Server) apiEnrolmentStep(step string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if err := schemeNeedVersion(c); err != nil {
			return err
		}
		var in app.EnrolmentStep
		if err := bindJSON(c, &in); err != nil {
			return err
		}
		en, err := s.enrolments().Step(c.UserContext(), actor(c), id, step, in)
		if err != nil {
			return err
		}
		return c.JSON(en)
	}
}

// apiEnrolmentCorrect records a correction of a payment; the body must carry the version
// read.
func (s *Server) apiEnrolmentCorrect(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := schemeNeedVersion(c); err != nil {
		return err
	}
	var in app.EnrolmentCorrection
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	en, err := s.enrolments().Correct(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(en)
}
