package handlers

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiArtisanList(c *fiber.Ctx) error {
	f, err := artisanFilterOf(c)
	if err != nil {
		return err
	}
	page, err := s.artisans.List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	if page.Items == nil {
		page.Items = []app.Artisan{}
	}
	return c.JSON(page)
}

// artisanFilterOf reads the list filter from the query string; the web list and the
// export read the same parameters, so a filtered page exports what it shows.
func artisanFilterOf(c *fiber.Ctx) (app.ArtisanFilter, error) {
	v := app.Invalid{}
	f := app.ArtisanFilter{
		District: c.Query("district"), Craft: c.Query("craft"), Sector: c.Query("sector"),
		Status: c.Query("status"), Gender: c.Query("gender"), SocialCategory: c.Query("social_category"),
		Q: c.Query("q"), Sort: c.Query("sort"), Cursor: c.Query("cursor"),
		OrganisationID: positiveQuery(c, v, "organisation_id", "validation.number"),
		HasGSTIN:       boolQuery(c, v, "has_gstin"), HasPAN: boolQuery(c, v, "has_pan"), HasBank: boolQuery(c, v, "has_bank"),
	}
	if c.Query("limit") != "" {
		f.Limit = int(positiveQuery(c, v, "limit", "validation.limit"))
	}
	return f, v.Err()
}

// boolQuery reads an optional true/false parameter; anything else is a field error.
func boolQuery(c *fiber.Ctx, v app.Invalid, name string) *bool {
	switch c.Query(name) {
	case "":
		return nil
	case "true", "1", "yes":
		t := true
		return &t
	case "false", "0", "no":
		f := false
		return &f
	}
	v.Add(name, "validation.bool")
	return nil
}

func (s *Server) apiArtisanCreate(c *fiber.Ctx) error {
	var in app.ArtisanInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	a, err := s.artisans.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (s *Server) apiArtisanGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := s.artisans.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// apiArtisanUpdate applies a partial update: the fields the body names change, the others
// keep their stored values. The body must carry the version the client read.
func (s *Server) apiArtisanUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var probe struct {
		Version *int64 `json:"version"`
	}
	if err := json.Unmarshal(c.Body(), &probe); err != nil {
		return app.Errorf(app.EINVALID, "validation.json")
	}
	if probe.Version == nil {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	a, err := s.artisans.Patch(c.UserContext(), actor(c), id, func(in *app.ArtisanInput) error {
		return bindJSON(c, in)
	})
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) apiArtisanHistory(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	events, err := s.artisans.History(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(items(events))
}

// workflowRequest is the body of every workflow step.
type workflowRequest struct {
	Version int64  `json:"version"`
	Note    string `json:"note"`
	Reason  string `json:"reason"`
	// DuplicateID is the record a merge folds in; the API takes it in its own request.
	DuplicateID int64 `json:"-"`
}

// apiArtisanStep runs one workflow step; the route table names which.
func (s *Server) apiArtisanStep(step string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var req workflowRequest
		if err := bindJSON(c, &req); err != nil {
			return err
		}
		a, err := s.artisanStep(c, step, id, req)
		if err != nil {
			return err
		}
		return c.JSON(a)
	}
}

// artisanStep is shared by the API and the pages' workflow buttons.
func (s *Server) artisanStep(c *fiber.Ctx, step string, id int64, req workflowRequest) (*app.Artisan, error) {
	ctx, a := c.UserContext(), actor(c)
	switch step {
	case "submit":
		return s.artisans.Submit(ctx, a, id, req.Version, req.Note)
	case "verify":
		return s.artisans.Verify(ctx, a, id, req.Version, req.Note)
	case "approve":
		return s.artisans.Approve(ctx, a, id, req.Version, req.Note)
	case "reject":
		return s.artisans.Reject(ctx, a, id, req.Version, req.Reason)
	case "deactivate":
		return s.artisans.Deactivate(ctx, a, id, req.Version, req.Reason, req.Note)
	case "merge":
		if req.DuplicateID <= 0 {
			return nil, app.Invalid{"duplicate_id": app.Msg("validation.required")}.Err()
		}
		return s.artisans.Merge(ctx, a, id, req.DuplicateID)
	}
	return nil, app.ErrNotFound
}

type mergeRequest struct {
	DuplicateID int64 `json:"duplicate_id"`
}

// apiArtisanMerge folds the record named in the body into the one in the path.
func (s *Server) apiArtisanMerge(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req mergeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	a, err := s.artisanStep(c, "merge", id, workflowRequest{DuplicateID: req.DuplicateID})
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) apiInbox(c *fiber.Ctx) error {
	inbox, err := s.artisans.Inbox(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(items(inbox))
}

// idString formats a record id for a path.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
