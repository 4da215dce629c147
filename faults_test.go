package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// TestKillDuringImportLeavesNothing kills the server with SIGKILL while an import is
// saving its rows: after a restart no artisan of the file exists, the job is marked failed,
// the audit chain holds, and the same file imports in full.
func TestKillDuringImportLeavesNothing(t *testing.T) {
	bin := buildBinary(t)
	const rows = 10000
	file := artisanCSV(rows)
	for _, dialect := range apptest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			databaseURL, dataDir := apptest.URL(t, dialect), t.TempDir()
			srv := startServer(t, bin, databaseURL, dataDir)
			token := srv.login(t, app.AdminUsername, testAdminPassword).AccessToken
			db := openURL(t, databaseURL)

			srv.uploadInBackground(t, "/api/v1/imports/artisans", token, "big.csv", file)
			waitFor(t, 60*time.Second, "the import to start saving", func() bool {
				var status string
				db.NewRaw("SELECT status FROM import_jobs ORDER BY id DESC LIMIT 1").Scan(t.Context(), &status) //nolint:errcheck
				return status == app.ImportSaving
			})
			time.Sleep(50 * time.Millisecond) // well inside the save's transaction
			srv.kill(t)

			if n := db.strings(t, "SELECT CAST(COUNT(*) AS TEXT) FROM artisans"); n[0] != "0" {
				t.Fatalf("artisans after the kill: %s", n[0])
			}
			srv = startServer(t, bin, databaseURL, dataDir)
			if got := db.strings(t, "SELECT status || ' ' || message FROM import_jobs ORDER BY id"); len(got) != 1 ||
				!strings.HasPrefix(got[0], "failed ") || !strings.Contains(got[0], "interrupted") {
				t.Errorf("job after restart: %q", got)
			}
			var res struct{ Created int }
			if st := srv.upload(t, "/api/v1/imports/artisans", token, "big.csv", file, &res); st != http.StatusCreated || res.Created != rows {
				t.Errorf("import again: %d %+v", st, res)
			}
			if n := db.strings(t, "SELECT CAST(COUNT(*) AS TEXT) FROM artisans"); n[0] != "10000" {
				t.Errorf("artisans after the second import: %s", n[0])
			}
			verify := exec.Command(bin, "audit", "verify")
			verify.Env = append(verify.Environ(), "DATABASE_URL="+databaseURL)
			if out, err := verify.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "OK") {
				t.Errorf("audit verify: %v %s", err, out)
			}
		})
	}
}

// TestDatabaseOutageAnswers503 cuts the server off its PostgreSQL (through a proxy, so the
// shared test server keeps running) and restores it: while cut, requests answer 503
// `unavailable` at once and /readyz says not ready; afterwards the same server serves again.
func TestDatabaseOutageAnswers503(t *testing.T) {
	if !strings.Contains(strings.Join(apptest.Dialects(t), " "), "postgres") {
		t.Skip("needs PostgreSQL (SHILPKOSH_TEST_PG): SQLite is a file, it has no outage")
	}
	bin := buildBinary(t)
	databaseURL := apptest.URL(t, "postgres")
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, u.Host)
	u.Host = proxy.addr()
	srv := startServer(t, bin, u.String(), t.TempDir())
	token := srv.login(t, app.AdminUsername, testAdminPassword).AccessToken
	if st, _ := srv.get(t, "/api/v1/me", token); st != http.StatusOK {
		t.Fatalf("/me before the outage: %d", st)
	}

	proxy.cut()
	for _, path := range []string{"/api/v1/me", "/api/v1/artisans", "/api/v1/users"} {
		start := time.Now()
		st, code := srv.get(t, path, token)
		if st != http.StatusServiceUnavailable || code != app.EUNAVAILABLE || time.Since(start) > 20*time.Second { // a bound on hanging, not a speed target
			t.Errorf("%s during the outage: %d %q after %v", path, st, code, time.Since(start))
		}
	}
	if st := srv.postJSON(t, "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "x"}, nil); st != http.StatusServiceUnavailable {
		t.Errorf("login during the outage: %d", st)
	}
	if st, _ := srv.get(t, "/readyz", ""); st != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %d", st)
	}
	if st, _ := srv.get(t, "/healthz", ""); st != http.StatusOK {
		t.Errorf("/healthz during the outage: %d", st)
	}

	proxy.restore()
	waitFor(t, 15*time.Second, "/readyz after the outage", func() bool {
		st, _ := srv.get(t, "/readyz", "")
		return st == http.StatusOK
	})
	if st, _ := srv.get(t, "/api/v1/me", token); st != http.StatusOK {
		t.Errorf("/me after the outage: %d\n%s", st, srv.log.String())
	}
	if strings.Contains(srv.log.String(), "status=500") {
		t.Errorf("a request answered 500:\n%s", srv.log.String())
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// tcpProxy forwards connections to a database; cut closes every connection and refuses
// new ones (accepts and closes them at once) until restore.
type tcpProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *tcpProxy) forward(c net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		c.Close()
		return
	}
	d, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.track(c, d)
	go func() { io.Copy(d, c); d.Close() }() //nolint:errcheck // ends when either side closes
	io.Copy(c, d)                            //nolint:errcheck
	c.Close()
}

func (p *tcpProxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		if p.down {
			c.Close()
		}
		p.conns[c] = struct{}{}
	}
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

func (p *tcpProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}
