package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"shilpkosh/handlers"
)

// The OpenAPI document is loaded, validated and routed once per test binary; every test that
// checks a response against it shares the result.
var (
	openAPIOnce   sync.Once
	openAPIDoc    *openapi3.T
	openAPIRouter routers.Router
	openAPIErr    error
)

func loadOpenAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	openAPIOnce.Do(func() {
		ctx := context.Background()
		doc, err := openapi3.NewLoader().LoadFromData(handlers.OpenAPIDocument())
		if err != nil {
			openAPIErr = fmt.Errorf("load: %w", err)
			return
		}
		if err := doc.Validate(ctx); err != nil {
			openAPIErr = fmt.Errorf("validate: %w", err)
			return
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			openAPIErr = fmt.Errorf("router: %w", err)
			return
		}
		openAPIDoc, openAPIRouter = doc, router
	})
	if openAPIErr != nil {
		t.Fatalf("openapi.json: %v", openAPIErr)
	}
	return openAPIDoc, openAPIRouter
}

var openAPIOptions = &openapi3filter.Options{
	IncludeResponseStatus: true, // a status the document does not list is an error
	// The server has already authenticated the request; the document only says how.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
}

// checkAgainstOpenAPI fails t unless resp (whose body, already read, is body) is one the
// document allows for req: a documented path, method and status, the documented headers,
// and a body that matches the schema, or no body where none is documented. Call it from
// any test of an /api/v1 route; fiber's app.Test keeps the request in resp.Request:
//
//	resp := e.request("GET", "/api/v1/things", token, nil)
//	body, _ := io.ReadAll(resp.Body)
//	checkAgainstOpenAPI(t, resp.Request, resp, body)
//
// or use e.openAPICall, which sends, checks the status and the document, and decodes.
func checkAgainstOpenAPI(t *testing.T, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if _, router := loadOpenAPI(t); router != nil {
		if route, _, err := router.FindRoute(req); err == nil {
			openAPICoverage.note(req.Method+" "+route.Path, resp.StatusCode)
		}
	}
	if err := openAPIResponseError(t, req, resp.StatusCode, resp.Header, body); err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\nbody: %s", req.Method, req.URL.RequestURI(), resp.StatusCode, err, truncateBody(body))
	}
}

// openAPIResponseError is checkAgainstOpenAPI's verdict as an error, so a test can show that
// a wrong response is caught.
func openAPIResponseError(t testing.TB, req *http.Request, status int, header http.Header, body []byte) error {
	t.Helper()
	_, router := loadOpenAPI(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no documented operation: %w", err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route, Options: openAPIOptions,
		},
		Status:  status,
		Header:  header,
		Options: openAPIOptions,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	// ValidateResponse lets any body through where the document describes none (a 204).
	if ref := route.Operation.Responses.Status(status); ref != nil && len(ref.Value.Content) == 0 && len(body) > 0 {
		return fmt.Errorf("status %d is documented without a body, but one was sent", status)
	}
	return nil
}

// openAPIRequestError checks a request against the document: its path, method, parameters
// and body. Only requests meant to be valid are checked, since error-path tests send
// malformed ones on purpose.
func openAPIRequestError(t testing.TB, req *http.Request, body []byte) error {
	t.Helper()
	_, router := loadOpenAPI(t)
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no documented operation: %w", err)
	}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route, Options: openAPIOptions,
	})
}

func truncateBody(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// openAPIRecorder notes which documented statuses of which operations a test exercised.
type openAPIRecorder struct {
	mu   sync.Mutex
	seen map[string]map[int]bool // "GET /api/v1/users/{id}" → statuses
}

func (r *openAPIRecorder) note(op string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]map[int]bool{}
	}
	if r.seen[op] == nil {
		r.seen[op] = map[int]bool{}
	}
	r.seen[op][status] = true
}

// openAPICall sends one request, checks its status and checks the response against the
// document; validRequest also checks the request. It returns the decoded JSON body.
func (e *env) openAPICall(rec *openAPIRecorder, method, path, token string, body any, wantStatus int, validRequest bool) map[string]any {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	newReq := func() *http.Request {
		req := httptest.NewRequest(method, path, bytes.NewReader(raw))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req
	}
	if validRequest {
		if err := openAPIRequestError(e.t, newReq(), raw); err != nil {
			e.t.Errorf("%s %s: request does not match openapi.json: %v", method, path, err)
		}
	}
	resp, err := e.srv.App().Test(newReq(), 30_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, wantStatus, truncateBody(out))
	}
	req := resp.Request
	checkAgainstOpenAPI(e.t, req, resp, out)
	if rec != nil {
		if _, router := loadOpenAPI(e.t); router != nil {
			if route, _, err := router.FindRoute(req); err == nil {
				rec.note(route.Method+" "+route.Path, resp.StatusCode)
				openAPICoverage.note(route.Method+" "+route.Path, resp.StatusCode)
			}
		}
	}
	decoded := map[string]any{}
	if len(out) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out, &decoded); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, truncateBody(out), err)
		}
	}
	return decoded
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if doc.Info == nil || doc.Info.Title != "Shilpkosh API" || doc.Info.Version == "" ||
		!strings.Contains(doc.Info.Description, "Department of Industries & Commerce") {
		t.Errorf("info = %+v", doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers = %v", doc.Servers)
	}
	if ss := doc.Components.SecuritySchemes["bearerAuth"]; ss == nil || ss.Value.Type != "http" ||
		ss.Value.Scheme != "bearer" || ss.Value.BearerFormat != "JWT" {
		t.Errorf("bearerAuth = %+v", ss)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearerAuth"] == nil {
		t.Errorf("global security = %v", doc.Security)
	}
	// The error codes the document promises are exactly the ones the server maps.
	codes := doc.Components.Schemas["Error"].Value.Properties["error"].Value.Properties["code"].Value.Enum
	want := []any{"invalid", "unauthorized", "forbidden", "not_found", "conflict", "rate_limited", "internal", "unavailable"}
	if !slices.Equal(codes, want) {
		t.Errorf("error codes = %v, want %v", codes, want)
	}
}

var fiberParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// openAPIPath turns a fiber route path into an OpenAPI one: /users/:id → /users/{id}.
func openAPIPath(fiberPath string) string { return fiberParam.ReplaceAllString(fiberPath, "{$1}") }

// TestOpenAPIMatchesRouteTable: every /api/v1 route is documented, every documented
// operation is a route, and what the document says of authentication matches the table.
func TestOpenAPIMatchesRouteTable(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	eachEnv(t, func(t *testing.T, e *env) {
		routes := map[string]handlers.RouteInfo{}
		for _, r := range e.srv.Routes() {
			if r.Path == "/api/v1" || strings.HasPrefix(r.Path, "/api/v1/") {
				routes[r.Method+" "+openAPIPath(r.Path)] = r
			}
		}
		documented := map[string]*openapi3.Operation{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				documented[method+" "+path] = op
			}
		}
		for key := range routes {
			if documented[key] == nil {
				t.Errorf("route %s is not in openapi.json", key)
			}
		}
		for key := range documented {
			if _, ok := routes[key]; !ok {
				t.Errorf("openapi.json documents %s, which is no route", key)
			}
		}
		for key, r := range routes {
			op := documented[key]
			if op == nil {
				continue
			}
			public := op.Security != nil && len(*op.Security) == 0
			if public != r.Public {
				t.Errorf("%s: public in openapi.json = %v, in the route table = %v", key, public, r.Public)
			}
			if !r.Public {
				for _, status := range []int{401, 403} {
					if op.Responses.Status(status) == nil {
						t.Errorf("%s needs a signed-in, permitted user but documents no %d", key, status)
					}
				}
			}
			if strings.Contains(key, "{") {
				for _, p := range fiberParam.FindAllStringSubmatch(r.Path, -1) {
					if doc.Paths.Value(strings.SplitN(key, " ", 2)[1]).Parameters.GetByInAndName("path", p[1]) == nil &&
						op.Parameters.GetByInAndName("path", p[1]) == nil {
						t.Errorf("%s: path parameter %s is not described", key, p[1])
					}
				}
			}
		}
	})
}

// TestOpenAPIServed: the document is served as it is embedded.
func TestOpenAPIServed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp := e.request("GET", "/api/v1/openapi.json", "", nil)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(body, handlers.OpenAPIDocument()) {
			t.Fatalf("GET openapi.json: %d, %d bytes", resp.StatusCode, len(body))
		}
		checkAgainstOpenAPI(t, httptest.NewRequest("GET", "/api/v1/openapi.json", nil), resp, body)
	})
}

// TestOpenAPICheckerCatchesMismatches shows the check has teeth: responses the document
// does not allow are reported.
func TestOpenAPICheckerCatchesMismatches(t *testing.T) {
	user := `{"id":1,"username":"admin","name":"A","role":"state_admin","districts":["*"],"store_id":null,` +
		`"active":true,"lang":"en","version":1,"created_at":"2026-11-26T10:00:00Z"}`
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	get := func(path string) *http.Request { return httptest.NewRequest("GET", path, nil) }
	if err := openAPIResponseError(t, get("/api/v1/me"), 200, jsonHeader, []byte(user)); err != nil {
		t.Fatalf("a good response is refused: %v", err)
	}
	bad := []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
	}{
		{"undocumented status", get("/api/v1/me"), 418, jsonHeader, `{"error":{"code":"invalid","message":"m"}}`},
		{"undocumented error status", get("/api/v1/me"), 409, jsonHeader, `{"error":{"code":"conflict","message":"m"}}`},
		{"missing field", get("/api/v1/me"), 200, jsonHeader, strings.Replace(user, `"lang":"en",`, "", 1)},
		{"extra field", get("/api/v1/me"), 200, jsonHeader, strings.Replace(user, `"lang":"en"`, `"lang":"en","password_hash":"x"`, 1)},
		{"wrong type", get("/api/v1/me"), 200, jsonHeader, strings.Replace(user, `"version":1`, `"version":"1"`, 1)},
		{"unknown role", get("/api/v1/me"), 200, jsonHeader, strings.Replace(user, `"state_admin"`, `"wizard"`, 1)},
		{"bad date", get("/api/v1/me"), 200, jsonHeader, strings.Replace(user, `2026-11-26T10:00:00Z`, `yesterday`, 1)},
		{"not JSON", get("/api/v1/me"), 200, http.Header{"Content-Type": {"text/html"}}, `<p>hi</p>`},
		{"code of another status", get("/api/v1/users/1"), 404, jsonHeader, `{"error":{"code":"invalid","message":"m"}}`},
		{"401 without challenge", get("/api/v1/me"), 401, jsonHeader, `{"error":{"code":"unauthorized","message":"m"}}`},
		{"body on 204", httptest.NewRequest("POST", "/api/v1/auth/logout", nil), 204, jsonHeader, `{}`},
		{"undocumented path", get("/api/v1/nothing"), 200, jsonHeader, `{}`},
		{"undocumented method", httptest.NewRequest("DELETE", "/api/v1/me", nil), 204, nil, ``},
	}
	for _, c := range bad {
		if err := openAPIResponseError(t, c.req, c.status, c.header, []byte(c.body)); err == nil {
			t.Errorf("%s: accepted", c.name)
		} else {
			t.Logf("%s: refused: %s", c.name, strings.SplitN(err.Error(), "\n", 2)[0])
		}
	}
}

// TestOpenAPIResponses drives every documented operation through the real server, on the
// happy path and on its error paths, and checks every answer against the document.
func TestOpenAPIResponses(t *testing.T) {
	_, _ = loadOpenAPI(t)
	eachEnv(t, func(t *testing.T, e *env) {
		rec := &openAPIRecorder{}
		call := func(method, path, token string, body any, want int) map[string]any {
			t.Helper()
			return e.openAPICall(rec, method, path, token, body, want, want < 300)
		}
		bad := func(method, path, token string, body any, want int) map[string]any {
			t.Helper()
			return e.openAPICall(rec, method, path, token, body, want, false)
		}

		call("GET", "/api/v1/openapi.json", "", nil, 200)

		// Sign in and out.
		tokens := call("POST", "/api/v1/auth/login", "", map[string]string{"username": "dic.jaipur", "password": testPassword}, 200)
		access, refresh := tokens["access_token"].(string), tokens["refresh_token"].(string)
		bad("POST", "/api/v1/auth/login", "", map[string]string{"username": "dic.jaipur", "password": "wrong-password"}, 401)
		bad("POST", "/api/v1/auth/login", "", `{"username":`, 422)
		bad("POST", "/api/v1/auth/login", "", map[string]string{"username": "dic.jaipur", "pasword": "typo"}, 422)
		for range 10 {
			bad("POST", "/api/v1/auth/login", "", map[string]string{"username": "locked.out", "password": "wrong-password"}, 401)
		}
		bad("POST", "/api/v1/auth/login", "", map[string]string{"username": "locked.out", "password": "wrong-password"}, 429)

		call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}, 200)
		bad("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}, 401) // spent: the session is revoked
		bad("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": ""}, 401)
		bad("POST", "/api/v1/auth/refresh", "", `[]`, 422)
		bad("GET", "/api/v1/me", access, nil, 401) // revoked with its session

		admin := e.token("admin")
		entry := e.token("entry.jaipur")
		auditor := e.token("auditor")
		store := e.token("store.ajmer")

		me := call("GET", "/api/v1/me", store, nil, 200)
		if me["store_id"] == nil {
			t.Errorf("store manager's store_id = %v", me["store_id"])
		}
		call("GET", "/api/v1/me", admin, nil, 200)
		bad("GET", "/api/v1/me", "", nil, 401)
		bad("GET", "/api/v1/me", "not-a-jwt", nil, 401)

		for _, list := range []string{"districts", "crafts", "agencies", "schemes", "platforms", "roles"} {
			out := call("GET", "/api/v1/"+list, entry, nil, 200)
			if items, _ := out["items"].([]any); len(items) == 0 {
				t.Errorf("%s: no items", list)
			}
			bad("GET", "/api/v1/"+list, "", nil, 401)
		}

		// Users.
		call("GET", "/api/v1/users", admin, nil, 200)
		bad("GET", "/api/v1/users", entry, nil, 403)
		bad("GET", "/api/v1/users", "", nil, 401)

		created := call("POST", "/api/v1/users", admin, map[string]any{
			"username": "dic.udaipur", "password": "long-enough-password", "name": "DIC Udaipur",
			"role": "dic_officer", "districts": []string{"udaipur"},
		}, 201)
		call("POST", "/api/v1/users", admin, map[string]any{
			"username": "store.jaipur", "password": "long-enough-password", "name": "Store Jaipur",
			"role": "store_manager", "districts": []string{"jaipur"}, "store_id": 2,
		}, 201)
		call("POST", "/api/v1/users", admin, map[string]any{
			"username": "board2", "password": "long-enough-password", "name": "Board Two", "role": "board_official", "store_id": nil,
		}, 201)
		invalid := bad("POST", "/api/v1/users", admin, map[string]any{
			"username": "X", "password": "short", "name": "", "role": "dic_officer", "districts": []string{"atlantis"},
		}, 422)
		if fields, _ := invalid["error"].(map[string]any)["fields"].(map[string]any); len(fields) == 0 {
			t.Errorf("422 names no fields: %v", invalid)
		}
		bad("POST", "/api/v1/users", admin, map[string]any{"username": "typo", "pasword": "x"}, 422)
		bad("POST", "/api/v1/users", entry, map[string]any{
			"username": "sneaky", "password": "long-enough-password", "name": "S", "role": "state_admin",
		}, 403)
		bad("POST", "/api/v1/users", "", map[string]any{}, 401)

		id := strconv.Itoa(int(created["id"].(float64)))
		got := call("GET", "/api/v1/users/"+id, admin, nil, 200)
		bad("GET", "/api/v1/users/999999", admin, nil, 404)
		bad("GET", "/api/v1/users/not-a-number", admin, nil, 404)
		bad("GET", "/api/v1/users/"+id, entry, nil, 403)
		bad("GET", "/api/v1/users/"+id, "", nil, 401)

		call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"name": "Renamed", "lang": "hi", "version": got["version"]}, 200)
		bad("PATCH", "/api/v1/users/"+id, admin, map[string]any{"name": "Stale", "version": got["version"]}, 409)
		bad("PATCH", "/api/v1/users/"+id, admin, map[string]any{"lang": "fr", "version": got["version"].(float64) + 1}, 422)
		bad("PATCH", "/api/v1/users/"+id, admin, map[string]any{"nmae": "typo", "version": 2}, 422)
		bad("PATCH", "/api/v1/users/999999", admin, map[string]any{"name": "Nobody", "version": 1}, 404)
		bad("PATCH", "/api/v1/users/"+id, entry, map[string]any{"active": false, "version": 2}, 403)
		bad("PATCH", "/api/v1/users/"+id, "", map[string]any{"version": 2}, 401)
		call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"active": false, "version": 2}, 200)

		// Audit, paged by cursor.
		page := call("GET", "/api/v1/audit?limit=2", admin, nil, 200)
		cursor, _ := page["next_cursor"].(string)
		if cursor == "" {
			t.Fatalf("first page has no next_cursor: %v", page)
		}
		call("GET", "/api/v1/audit?limit=2&cursor="+cursor, admin, nil, 200)
		last := call("GET", "/api/v1/audit?entity=user&entity_id="+id+"&actor_id=1", auditor, nil, 200)
		if _, ok := last["next_cursor"]; ok {
			t.Errorf("last page has a next_cursor: %v", last)
		}
		call("GET", "/api/v1/audit", auditor, nil, 200)
		bad("GET", "/api/v1/audit?cursor=abc", admin, nil, 422)
		bad("GET", "/api/v1/audit", entry, nil, 403)
		bad("GET", "/api/v1/audit", "", nil, 401)

		// Sign out last, with a session of its own.
		fresh, _ := e.login("board")
		call("POST", "/api/v1/auth/logout", fresh, nil, 204)
		bad("POST", "/api/v1/auth/logout", fresh, nil, 401)

	})
}

// openAPICoverage collects, across every test of the package, which documented operations
// answered with which statuses.
var openAPICoverage openAPIRecorder

// TestMain runs the tests, then, when the whole package ran, fails if a documented
// operation was never exercised on a success and on a failure: a gap in the API tests
// shows up instead of hiding.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && !flagSet("test.run") && !flagSet("test.skip") {
		if gaps := openAPICoverageGaps(); len(gaps) > 0 {
			fmt.Println("OpenAPI operations not exercised by any test:")
			for _, g := range gaps {
				fmt.Println("  " + g)
			}
			code = 1
		}
	}
	os.Exit(code)
}

func flagSet(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() != ""
}

func openAPICoverageGaps() []string {
	doc, err := openapi3.NewLoader().LoadFromData(handlers.OpenAPIDocument())
	if err != nil {
		return []string{err.Error()}
	}
	var gaps []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			key := method + " " + path
			ok, failed := false, false
			for status := range openAPICoverage.seen[key] {
				ok = ok || status < 300
				failed = failed || status >= 400
			}
			if !ok {
				gaps = append(gaps, key+": no successful response checked")
			}
			if !failed && key != "GET /api/v1/openapi.json" {
				gaps = append(gaps, key+": no error response checked")
			}
		}
	}
	sort.Strings(gaps)
	return gaps
}
