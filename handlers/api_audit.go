package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) apiAudit(c *fiber.Ctx) error {
	f := app.AuditFilter{
		Entity: c.Query("entity"), EntityID: c.Query("entity_id"),
		ActorID: int64(c.QueryInt("actor_id")), Limit: c.QueryInt("limit", 100),
	}
	if cur := c.Query("cursor"); cur != "" {
		id, err := strconv.ParseInt(cur, 10, 64)
		if err != nil || id <= 0 {
			return app.Invalid{"cursor": app.Msg("validation.cursor")}.Err()
		}
		f.BeforeID = id
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
