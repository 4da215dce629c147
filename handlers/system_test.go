package handlers_test

import "testing"

// The no-op answers once the token and the policy check pass, and nothing else: it is the
// benchmarks' measure of authentication and authorization alone.
func TestSystemPing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rec := &openAPIRecorder{}
		e.openAPICall(rec, "GET", "/api/v1/system/ping", e.token("store.ajmer"), nil, 204, true)
		e.openAPICall(rec, "GET", "/api/v1/system/ping", "", nil, 401, false)
		e.openAPICall(rec, "GET", "/api/v1/system/ping", "not-a-token", nil, 401, false)
	})
}
