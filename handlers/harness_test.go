package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/handlers"
	"shilpkosh/policies"
)

const testPassword = "correct-horse-battery"

// env is one server over one fresh database, with a user of every role.
type env struct {
	t      *testing.T
	db     *bun.DB
	srv    *handlers.Server
	authz  *policies.Enforcer
	users  *app.Users
	tokens map[string]string // username → access token, filled by login
	logs   *bytes.Buffer
}

// testUsers: one of every role, district officers in two districts.
var testUsers = []app.NewUser{
	{Username: "board", Name: "Board", Role: "board_official"},
	{Username: "auditor", Name: "Auditor", Role: "auditor"},
	{Username: "dic.jaipur", Name: "DIC Jaipur", Role: "dic_officer", Districts: []string{"jaipur"}},
	{Username: "dic.jodhpur", Name: "DIC Jodhpur", Role: "dic_officer", Districts: []string{"jodhpur"}},
	{Username: "entry.jaipur", Name: "Entry Jaipur", Role: "data_entry", Districts: []string{"jaipur"}},
	{Username: "store.ajmer", Name: "Store Ajmer", Role: "store_manager", Districts: []string{"ajmer"}, StoreID: ptr(int64(1))},
}

func ptr[T any](v T) *T { return &v }

func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		fn(t, newEnv(t, db))
	})
}

func newEnv(t *testing.T, db *bun.DB) *env {
	t.Helper()
	ctx := context.Background()
	authz, err := policies.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cfg := app.Config{Secret: []byte("test-secret-test-secret-test-secret!"), Addr: ":0", DataDir: t.TempDir()}
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	srv.Auth().Throttle.Sleep = func(context.Context, time.Duration) {}
	users := &app.Users{DB: db, Authz: authz}
	if _, _, err := users.Bootstrap(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	for _, u := range testUsers {
		u.Password = testPassword
		if _, err := users.Create(ctx, app.System, u); err != nil {
			t.Fatalf("create %s: %v", u.Username, err)
		}
	}
	return &env{t: t, db: db, srv: srv, authz: authz, users: users, tokens: map[string]string{}, logs: logs}
}

// request sends one request to the in-process server.
func (e *env) request(method, path, token string, body any, header ...string) *http.Response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// call sends a request and decodes a JSON answer, checking the status.
func (e *env) call(method, path, token string, body any, wantStatus int) map[string]any {
	e.t.Helper()
	resp := e.request(method, path, token, body)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, wantStatus, raw)
	}
	out := map[string]any{}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return out
}

// login signs a user in through the API and returns the token pair.
func (e *env) login(username string) (access, refresh string) {
	e.t.Helper()
	out := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": testPassword}, 200)
	access, _ = out["access_token"].(string)
	refresh, _ = out["refresh_token"].(string)
	if access == "" || refresh == "" {
		e.t.Fatalf("login %s: %v", username, out)
	}
	e.tokens[username] = access
	return access, refresh
}

// token returns a cached access token for username.
func (e *env) token(username string) string {
	if t, ok := e.tokens[username]; ok {
		return t
	}
	a, _ := e.login(username)
	return a
}

func errorCode(out map[string]any) string {
	errObj, _ := out["error"].(map[string]any)
	code, _ := errObj["code"].(string)
	return code
}
