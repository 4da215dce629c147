package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// statusOf maps an app error code to its HTTP status: the one place that knows both.
var statusOf = map[string]int{
	app.EINVALID:      fiber.StatusUnprocessableEntity,
	app.EUNAUTHORIZED: fiber.StatusUnauthorized,
	app.EFORBIDDEN:    fiber.StatusForbidden,
	app.ENOTFOUND:     fiber.StatusNotFound,
	app.ECONFLICT:     fiber.StatusConflict,
	app.ERATELIMITED:  fiber.StatusTooManyRequests,
	app.EINTERNAL:     fiber.StatusInternalServerError,
	app.EUNAVAILABLE:  fiber.StatusServiceUnavailable,
}

// apiError is the JSON error body every API failure uses.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError is fiber's error handler: it classifies the error once and answers in the
// caller's format, JSON for the API and a page for the web.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	e := classify(err)
	status := statusOf[e.Code]
	var ferr *fiber.Error
	if errors.As(err, &ferr) {
		status = ferr.Code
	}
	if status >= 500 {
		s.log.Error("request failed", "request_id", requestIDOf(c), "path", c.Path(), "error", err.Error())
	}
	lang := s.lang(c)
	if isAPI(c) {
		body := apiErrorBody{Code: e.Code, Message: localize(lang, e.Message)}
		if len(e.Fields) > 0 {
			body.Fields = make(map[string]string, len(e.Fields))
			for f, m := range e.Fields {
				body.Fields[f] = localize(lang, m)
			}
		}
		if status == fiber.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="shilpkosh"`)
		}
		if status == fiber.StatusServiceUnavailable {
			c.Set(fiber.HeaderRetryAfter, "5")
		}
		return c.Status(status).JSON(apiError{Error: body})
	}
	if status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return loginRedirect(c)
	}
	return s.render(c, status, "errors/error", "error.title."+strconv.Itoa(status), views.ErrorData{
		Status: status, Title: views.T(lang, "error.title."+strconv.Itoa(status), nil),
		Message: localize(lang, e.Message),
	})
}

// classify turns any error into an *app.Error; a database that cannot be reached becomes
// unavailable (503, worth retrying); other unknown errors become internal ones whose
// details are logged, never shown.
func classify(err error) *app.Error {
	var e *app.Error
	if errors.As(err, &e) && (e.Code != app.EINTERNAL || !app.IsUnavailable(err)) {
		return e
	}
	if app.IsUnavailable(err) {
		return &app.Error{Code: app.EUNAVAILABLE, Message: app.Msg("error.unavailable"), Err: err}
	}
	var ferr *fiber.Error
	if errors.As(err, &ferr) {
		switch {
		case ferr.Code == fiber.StatusNotFound || ferr.Code == fiber.StatusMethodNotAllowed:
			return app.Errorf(app.ENOTFOUND, "error.not_found")
		case ferr.Code == fiber.StatusTooManyRequests:
			return app.Errorf(app.ERATELIMITED, "error.rate_limited")
		case ferr.Code < 500:
			return app.Errorf(app.EINVALID, "error.bad_request")
		}
	}
	return &app.Error{Code: app.EINTERNAL, Message: app.Msg("error.internal"), Err: err}
}
