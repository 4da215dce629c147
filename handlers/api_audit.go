package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiAudit(c *fiber.Ctx) error {
	f := app.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Limit: 100}
	v := app.Invalid{}
	f.ActorID = positiveQuery(c, v, "actor_id", "validation.number")
	f.BeforeID = positiveQuery(c, v, "cursor", "validation.cursor")
	if c.Query("limit") != "" {
		f.Limit = int(positiveQuery(c, v, "limit", "validation.limit"))
		if f.Limit > app.MaxPageSize {
			v.Add("limit", "validation.limit")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	entries, next, err := s.audit.List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	out := items(entries)
	if next > 0 {
		out.NextCursor = strconv.FormatInt(next, 10)
	}
	return c.JSON(out)
}

// positiveQuery reads an optional positive integer query parameter; a malformed one is a
// field error rather than silently ignored, so a client's typo does not widen its query.
func positiveQuery(c *fiber.Ctx, v app.Invalid, name, key string) int64 {
	raw := c.Query(name)
	if raw == "" {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		v.Add(name, key)
		return 0
	}
	return n
}
