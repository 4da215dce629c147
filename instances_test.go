package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/handlers"
	"shilpkosh/migrations"
	"shilpkosh/policies"
)

// startInstance runs one more server over databaseURL in this process, with its own
// connection pool and its own policy enforcer following the database every 200 ms, as a
// second server process would.
func startInstance(t *testing.T, databaseURL string) *serverProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := freePort(t)
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATABASE_URL": databaseURL, "SHILPKOSH_ADDR": addr,
			"SHILPKOSH_SECRET": testSecret, "SHILPKOSH_DATA_DIR": t.TempDir()}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := app.OpenDB(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	authz, err := policies.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	go authz.Watch(ctx, 200*time.Millisecond, nil)
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz, Logger: slog.New(slog.DiscardHandler)})
	srv.Auth().Throttle.Sleep = func(context.Context, time.Duration) {} // count, do not wait
	go srv.Listen(addr)                                                 //nolint:errcheck // ends at Shutdown
	t.Cleanup(func() {
		srv.Shutdown(context.Background()) //nolint:errcheck
		cancel()
		db.Close()
	})
	p := &serverProcess{base: "http://" + addr, log: &syncBuffer{}}
	waitFor(t, 10*time.Second, "the instance to listen", func() bool {
		st, _ := p.get(t, "/readyz", "")
		return st == http.StatusOK
	})
	return p
}

func (p *serverProcess) patchJSON(t *testing.T, path, token string, in any) int {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return p.do(t, http.MethodPatch, path, token, "application/json", bytes.NewReader(b), nil)
}

// TestPolicyChangeReachesTheOtherInstance removes a district grant through instance A and
// finds instance B enforcing it within seconds.
func TestPolicyChangeReachesTheOtherInstance(t *testing.T) {
	eachDatabaseURL(t, func(t *testing.T, _, databaseURL string) {
		loadDemo(t)
		a, b := startInstance(t, databaseURL), startInstance(t, databaseURL)
		db := openURL(t, databaseURL)
		admin := a.login(t, app.AdminUsername, testAdminPassword).AccessToken
		officer := b.login(t, "dic.jaipur", migrations.DemoPassword).AccessToken
		if n := jaipurArtisans(t, b, officer); n == 0 {
			t.Fatal("dic.jaipur sees no Jaipur artisans on B before the change")
		}
		var user struct{ ID, Version int64 }
		if err := db.NewRaw("SELECT id, version FROM users WHERE username = 'dic.jaipur'").Scan(t.Context(), &user.ID, &user.Version); err != nil {
			t.Fatal(err)
		}
		if st := a.patchJSON(t, "/api/v1/users/"+strconv.FormatInt(user.ID, 10), admin, map[string]any{"districts": []string{"kota"}, "version": user.Version}); st != http.StatusOK {
			t.Fatalf("remove the Jaipur grant on A: %d", st)
		}
		start := time.Now()
		waitFor(t, 5*time.Second, "B to enforce the removed grant", func() bool {
			return jaipurArtisans(t, b, officer) == 0
		})
		t.Logf("B enforced the change after %v", time.Since(start).Round(time.Millisecond))
	})
}

// jaipurArtisans counts the Jaipur artisans a user sees on an instance; an answer other
// than 200 sees none.
func jaipurArtisans(t *testing.T, p *serverProcess, token string) int64 {
	t.Helper()
	var page struct{ Total int64 }
	if st := p.do(t, http.MethodGet, "/api/v1/artisans?district=jaipur", token, "", nil, &page); st != http.StatusOK {
		return 0
	}
	return page.Total
}

// TestSessionsAndThrottlingAcrossInstances: a refresh token rotated on A is refused when
// replayed on B (and the chain is revoked), and failed logins on A and B add up.
func TestSessionsAndThrottlingAcrossInstances(t *testing.T) {
	eachDatabaseURL(t, func(t *testing.T, _, databaseURL string) {
		loadDemo(t)
		a, b := startInstance(t, databaseURL), startInstance(t, databaseURL)

		first := a.login(t, "dic.jodhpur", migrations.DemoPassword)
		var second tokenPair
		if st := a.postJSON(t, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}, &second); st != http.StatusOK {
			t.Fatalf("refresh on A: %d", st)
		}
		if st, _ := b.get(t, "/api/v1/me", second.AccessToken); st != http.StatusOK {
			t.Errorf("A's access token on B: %d", st)
		}
		if st := b.postJSON(t, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}, nil); st != http.StatusUnauthorized {
			t.Errorf("spent refresh token replayed on B: %d", st)
		}
		if st := b.postJSON(t, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": second.RefreshToken}, nil); st != http.StatusUnauthorized {
			t.Errorf("the chain's live token after the replay, on B: %d", st)
		}

		limit := app.DefaultThrottle.UserLimit
		for i := range limit {
			p := []*serverProcess{a, b}[i%2]
			if st := p.postJSON(t, "/api/v1/auth/login", "", map[string]string{"username": "dic.jaipur", "password": "wrong-password"}, nil); st != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, st)
			}
		}
		for name, p := range map[string]*serverProcess{"A": a, "B": b} {
			if st := p.postJSON(t, "/api/v1/auth/login", "", map[string]string{"username": "dic.jaipur", "password": migrations.DemoPassword}, nil); st != http.StatusTooManyRequests {
				t.Errorf("right password after %d failures split over A and B, on %s: %d", limit, name, st)
			}
		}
	})
}

// loadDemo loads the demo data set, with the administrator's password known to the test.
func loadDemo(t *testing.T) {
	t.Helper()
	t.Setenv("SHILPKOSH_ADMIN_PASSWORD", testAdminPassword)
	if code, out, errOut := cli(t, "", "seed", "demo"); code != 0 {
		t.Fatalf("seed demo: %d %q %q", code, out, errOut)
	}
}
