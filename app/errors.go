package app

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The HTTP layer maps each to one status in one place.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
	EUNAVAILABLE  = "unavailable" // the database cannot be reached: try again shortly
)

// Message is a user-facing text by catalogue key, so the HTTP layer can render it in the
// reader's language. Args fill {name} placeholders in the catalogue text.
type Message struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
}

// Msg builds a Message from a key and alternating name/value pairs.
func Msg(key string, pairs ...string) Message {
	m := Message{Key: key}
	if len(pairs) > 1 {
		m.Args = make(map[string]string, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			m.Args[pairs[i]] = pairs[i+1]
		}
	}
	return m
}

// Error is the one error type that crosses from app to the handlers. Internal details
// stay in Err and are logged, never shown.
type Error struct {
	Code    string
	Message Message
	Fields  map[string]Message
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message.Key, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message.Key)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a catalogue key.
func Errorf(code, key string, pairs ...string) *Error {
	return &Error{Code: code, Message: Msg(key, pairs...)}
}

// ErrorCode returns the code of an *Error anywhere in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// Common errors.
var (
	ErrNotFound     = Errorf(ENOTFOUND, "error.not_found")
	ErrForbidden    = Errorf(EFORBIDDEN, "error.forbidden")
	ErrUnauthorized = Errorf(EUNAUTHORIZED, "error.unauthorized")
	ErrStale        = Errorf(ECONFLICT, "error.stale")
	ErrUnavailable  = Errorf(EUNAVAILABLE, "error.unavailable")
)

// Invalid collects field errors; Err() returns nil when there are none, so validation reads
// as a list of checks followed by one return.
type Invalid map[string]Message

// Add records the first problem found for a field.
func (v Invalid) Add(field, key string, pairs ...string) {
	if _, ok := v[field]; !ok {
		v[field] = Msg(key, pairs...)
	}
}

// Err returns an EINVALID *Error holding the field errors, or nil.
func (v Invalid) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: Msg("error.invalid"), Fields: map[string]Message(v)}
}
