package handlers

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// list is the envelope of every API list.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
	Total      *int64 `json:"total,omitempty"`
}

func items[T any](v []T) list[T] {
	if v == nil {
		v = []T{}
	}
	return list[T]{Items: v}
}

// bindJSON decodes the request body strictly: an unknown field is a client's mistake
// worth telling about, not something to ignore silently.
func bindJSON(c *fiber.Ctx, dest any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dest); err != nil {
		return app.Errorf(app.EINVALID, "validation.json")
	}
	return nil
}

// idParam reads a positive integer path parameter; anything else names no record.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.ErrNotFound
	}
	return id, nil
}
