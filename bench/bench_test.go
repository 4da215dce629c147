package bench_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/bench"
	"shilpkosh/handlers"
	"shilpkosh/migrations"
	"shilpkosh/policies"
)

// The benchmarks serve a generated registry of SHILPKOSH_BENCH_ARTISANS artisans (20,000
// unless set; CI runs 5,000) on loopback, on every database of the run, and time the
// issue's workloads through HTTP with a JWT, one client and eight, next to their SQL
// floor. bench/run.sh gives the same figures for a real server process with vegeta.

const benchPassword = "bench-admin-password"

func BenchmarkHTTP(b *testing.B) {
	eachServer(b, func(b *testing.B, s *benchServer) {
		for _, w := range bench.Workloads("jaipur") {
			url := s.url + w.Path
			if _, err := bench.Get(url, s.token); err != nil {
				b.Fatal(err)
			}
			b.Run(w.Name+"/1-client", func(b *testing.B) {
				for b.Loop() {
					s.get(b, url)
				}
			})
			b.Run(w.Name+"/8-clients", func(b *testing.B) {
				b.SetParallelism(max(1, 8/runtimeProcs()))
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						s.get(b, url)
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			})
		}
		rss, err := bench.PeakRSS(0)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("peak RSS of the benchmark process (server and client): %.0f MiB", rss)
	})
}

func BenchmarkSQLFloor(b *testing.B) {
	eachServer(b, func(b *testing.B, s *benchServer) {
		ctx := context.Background()
		pg := app.IsPostgres(s.db)
		page, err := bench.PrepareListPage(ctx, s.db.DB, pg, "jaipur")
		if err != nil {
			b.Fatal(err)
		}
		defer page.Close()
		b.Run("list-page", func(b *testing.B) {
			for b.Loop() {
				if err := page.Run(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		userID, sid := bench.TokenSession(s.token)
		b.Run("session-check", func(b *testing.B) {
			for b.Loop() {
				if err := bench.SessionSQL(ctx, s.db.DB, pg, sid, userID); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

type benchServer struct {
	db     *bun.DB
	url    string
	token  string
	client *http.Client
}

func (s *benchServer) get(b *testing.B, url string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := s.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		b.Fatalf("GET %s: %d", url, res.StatusCode)
	}
}

func runtimeProcs() int {
	if n, err := strconv.Atoi(os.Getenv("GOMAXPROCS")); err == nil && n > 0 {
		return n
	}
	return 2
}

// eachServer generates the registry on each database, serves it on loopback and signs
// the state administrator in.
func eachServer(b *testing.B, fn func(b *testing.B, s *benchServer)) {
	if testing.Short() {
		b.Skip("generates a registry")
	}
	n := 20000
	if v := os.Getenv("SHILPKOSH_BENCH_ARTISANS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SHILPKOSH_BENCH_ARTISANS=%q", v)
		}
	}
	for _, dialect := range apptest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			db := apptest.MustOpenDB(b, dialect)
			start := time.Now()
			if _, err := migrations.Generate(ctx, db, migrations.GenerateOptions{Artisans: n, Months: 3,
				Until: "2026-10", Seed: 1}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: generated %d artisans in %v", dialect, n, time.Since(start).Round(time.Millisecond))
			fn(b, serve(b, db))
		})
	}
}

func serve(b *testing.B, db *bun.DB) *benchServer {
	ctx := context.Background()
	authz, err := policies.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	cfg := app.Config{Secret: []byte("bench-secret-bench-secret-bench-secret-0123"), DataDir: b.TempDir()}
	if _, _, err := (&app.Users{DB: db, Authz: authz}).Bootstrap(ctx, benchPassword); err != nil {
		b.Fatal(err)
	}
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.App().Listener(ln) //nolint:errcheck // ends with Shutdown
	b.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	url := "http://" + ln.Addr().String()
	token, err := bench.Login(url, app.AdminUsername, benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	return &benchServer{db: db, url: url, token: token,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
}
