package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/handlers"
	"shilpkosh/policies"
)

// fuzzServer is one server over one SQLite database for a whole fuzz run (a fresh one per
// input would cost a second each): the state admin, a Jodhpur DIC officer, and one Jaipur
// artisan whose name no Jodhpur answer may carry.
type fuzzServer struct {
	srv    *handlers.Server
	tokens map[string]string
	lists  []string // the GET routes without parameters: lists, counts, exports, reports
}

func newFuzzServer(f *testing.F) *fuzzServer {
	ctx := context.Background()
	db := apptest.MustOpenDB(f, "sqlite")
	authz, err := policies.New(ctx, db)
	if err != nil {
		f.Fatal(err)
	}
	cfg := app.Config{Secret: []byte("test-secret-test-secret-test-secret!"), Addr: ":0", DataDir: f.TempDir()}
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz, Logger: slog.New(slog.DiscardHandler)})
	users := &app.Users{DB: db, Authz: authz}
	if _, _, err := users.Bootstrap(ctx, testPassword); err != nil {
		f.Fatal(err)
	}
	if _, err := users.Create(ctx, app.System, app.NewUser{Username: "dic.jodhpur", Name: "DIC Jodhpur", Role: "dic_officer",
		Districts: []string{"jodhpur"}, Password: testPassword}); err != nil {
		f.Fatal(err)
	}
	artisans := &app.Artisans{DB: db, Authz: authz, Keys: app.NewKeys(cfg.Secret)}
	if _, err := artisans.Create(ctx, app.System, app.ArtisanInput{Name: attackMark + " Devi", RelativeName: "Ram", Gender: "female",
		DateOfBirth: "1982-03-09", SocialCategory: "obc", Mobile: "9829011111", District: "jaipur",
		PINCode: "302029", PrimaryCraft: "sanganeri-block-print"}); err != nil {
		f.Fatal(err)
	}
	fs := &fuzzServer{srv: srv, tokens: map[string]string{}}
	for _, u := range []string{"admin", "dic.jodhpur"} {
		tok, _, err := srv.Auth().Login(ctx, u, testPassword, "127.0.0.1", "fuzz")
		if err != nil {
			f.Fatal(err)
		}
		fs.tokens[u] = tok.AccessToken
	}
	for _, r := range srv.Routes() {
		if r.Method == "GET" && !r.Public && !r.Web && !strings.Contains(r.Path, ":") {
			fs.lists = append(fs.lists, r.Path)
		}
	}
	return fs
}

// fuzzQuery turns fuzz text into a well-formed query string: "&"-separated pairs, each
// key and value encoded, so every input reaches the handler rather than the HTTP parser.
func fuzzQuery(raw string) string {
	v := url.Values{}
	for pair := range strings.SplitSeq(raw, "&") {
		k, val, _ := strings.Cut(pair, "=")
		v.Add(k, val)
	}
	return v.Encode()
}

// FuzzListQueries sends fuzzed query strings to every list, count, summary and export of
// the API: the answer is a success or a 4xx error in the API's shape, never a 5xx, and a
// Jodhpur officer's answer never names the Jaipur artisan, whatever district it asks for.
func FuzzListQueries(f *testing.F) {
	seeds := []string{"", "q=Zqxmark", "district=jaipur", "district=*", "district=jaipur&district=jodhpur",
		"q=9829011111", "q=RJ-JAIPUR", "sort=name&cursor=e30", "limit=-1", "limit=99999999999999999999",
		"from=2026-13&to=April", "month=2026-10&format=xlsx", "format=csv&lang=hi", "has_gstin=maybe",
		"status=approved&gender=female&social_category=obc&craft=dabu-print", "q=%00", "q=' OR 1=1 --", "group=month"}
	fs := newFuzzServer(f)
	// Every route gets a seed and every seed a route, so the plain test run covers both.
	for i := range max(len(fs.lists), len(seeds)) {
		f.Add(uint8(i%len(fs.lists)), seeds[i%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, route uint8, raw string) {
		path := fs.lists[int(route)%len(fs.lists)] + "?" + fuzzQuery(raw)
		for _, user := range []string{"admin", "dic.jodhpur"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+fs.tokens[user])
			resp, err := fs.srv.App().Test(req, 30_000)
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("GET %s as %s: %d %s", path, user, resp.StatusCode, truncateBody(body))
			}
			if resp.StatusCode >= 400 && resp.StatusCode != http.StatusForbidden &&
				!strings.Contains(string(body), `"code":"invalid"`) && !strings.Contains(string(body), `"code":"not_found"`) {
				t.Errorf("GET %s as %s: %d without an API error: %s", path, user, resp.StatusCode, truncateBody(body))
			}
			if user == "dic.jodhpur" && strings.Contains(string(body), attackMark) {
				t.Errorf("GET %s as dic.jodhpur names the Jaipur artisan", path)
			}
		}
	})
}
