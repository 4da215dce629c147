// Package browser_test drives the real server in Debian's Chromium: sign-in, the registry
// workflow in English and Hindi, keyboard use, phones at 360 px, axe-core accessibility
// checks and screenshots of every main page. One headless browser serves every test; each
// database gets a server of its own on a free loopback port, and the browser may reach
// nothing else.
package browser_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/handlers"
	"shilpkosh/policies"
)

const testPassword = "correct-horse-battery"

var siteSecret = []byte("browser-secret-browser-secret-browser!")

// testUsers are the harness's users: one of every role, district officers in two districts.
var testUsers = []app.NewUser{
	{Username: "board", Name: "Board", Role: "board_official"},
	{Username: "auditor", Name: "Auditor", Role: "auditor"},
	{Username: "dic.jaipur", Name: "DIC Jaipur", Role: "dic_officer", Districts: []string{"jaipur"}},
	{Username: "dic.jodhpur", Name: "DIC Jodhpur", Role: "dic_officer", Districts: []string{"jodhpur"}},
	{Username: "entry.jaipur", Name: "Entry Jaipur", Role: "data_entry", Districts: []string{"jaipur"}},
}

// chromiumPaths are where Debian and other systems put the browser.
var chromiumPaths = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	os.Exit(code)
}

// theBrowser starts the one headless Chromium of the run, or skips the test when there is
// none outside CI (in CI a missing browser fails).
func theBrowser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, p := range chromiumPaths {
		if found, err := exec.LookPath(p); err == nil {
			path = found
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("browser tests: CI is set but Chromium is not installed (apt-get install chromium)")
		}
		t.Skip("browser tests: Chromium not found (apt-get install chromium); set CI=true to make this a failure")
	}
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox, // CI runs as root
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("font-render-hinting", "none"),
			// Nothing but the app on loopback: any other host fails to resolve.
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
			chromedp.WindowSize(1280, 900),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browserCtx, browserCancel = ctx, func() { cancel(); cancelAlloc() }
		browserErr = chromedp.Do(ctx) // starts the browser
	})
	if browserErr != nil {
		t.Fatalf("browser tests: start Chromium at %s: %v", path, browserErr)
	}
	return browserCtx
}

// site is the app served over one fresh database.
type site struct {
	t     *testing.T
	db    *bun.DB
	authz *policies.Enforcer
	base  string // http://127.0.0.1:port
}

// eachSite runs fn on a fresh site per database of the run.
func eachSite(t *testing.T, fn func(t *testing.T, s *site)) {
	theBrowser(t)
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		fn(t, startSite(t, db))
	})
}

func startSite(t *testing.T, db *bun.DB) *site {
	t.Helper()
	ctx := context.Background()
	authz, err := policies.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{Secret: siteSecret, Addr: "127.0.0.1:0", DataDir: t.TempDir()}
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := srv.App().Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return &site{t: t, db: db, authz: authz, base: "http://" + ln.Addr().String()}
}

// session is one user's browser: a browser context of its own (cookies apart), one tab.
type session struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// open starts a signed-out session in a fresh browser context.
func (s *site) open(t *testing.T) *session {
	t.Helper()
	ctx, cancel := chromedp.NewContext(theBrowser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// A guard against a hung browser, not a time limit: the thorough walk of every main
	// page (axe-core, screenshots at two widths) in two tabs at once takes over a minute
	// under -race on two cores.
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancelTimeout)
	sess := &session{t: t, ctx: ctx, base: s.base}
	sess.do(chromedp.EmulateViewport(1280, 900))
	return sess
}

// signIn opens a session signed in as username, in English.
func (s *site) signIn(t *testing.T, username string) *session {
	t.Helper()
	sess := s.open(t)
	sess.visit("/login")
	sess.do(
		chromedp.SendKeys(chromedp.ID("f-username"), username),
		chromedp.SendKeys(chromedp.ID("f-password"), testPassword),
	)
	if status := sess.submit(`form[action="/login"] button[type=submit]`); status != 200 {
		t.Fatalf("sign in as %s: status %d", username, status)
	}
	if p := sess.path(); p != "/" {
		t.Fatalf("sign in as %s: landed on %s", username, p)
	}
	return sess
}

func (s *session) do(steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, steps...); err != nil {
		s.t.Fatalf("browser: %v", err)
	}
}

// visit loads path and returns the HTTP status of the page.
func (s *session) visit(path string) int64 {
	s.t.Helper()
	resp, err := chromedp.Run(s.ctx, chromedp.NavigateResponse(s.base+path))
	if err != nil {
		s.t.Fatalf("visit %s: %v", path, err)
	}
	return resp.Status
}

// submit clicks a submit button and waits for the page it leads to; it returns its status.
func (s *session) submit(button string) int64 {
	s.t.Helper()
	resp, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		s.t.Fatalf("submit %s: %v", button, err)
	}
	return resp.Status
}

func (s *session) text(css string) string {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		s.t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(v)
}

// eval runs JavaScript in the page and returns its value.
func eval[T any](s *session, js string) T {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		s.t.Fatalf("eval %.60s: %v", js, err)
	}
	return v
}

func (s *session) path() string { return eval[string](s, "location.pathname") }

// switchLanguage presses the header's language button and waits for the page in lang.
func (s *session) switchLanguage(lang string) {
	s.t.Helper()
	if status := s.submit(`.lang-switch button[value="` + lang + `"]`); status != 200 {
		s.t.Fatalf("switch to %s: status %d", lang, status)
	}
	if got := eval[string](s, "document.documentElement.lang"); got != lang {
		s.t.Fatalf("after the switch the page is in %q, want %q", got, lang)
	}
}

// screenshotDir is where screenshots go: $SHILPKOSH_SCREENSHOTS, or a temporary folder
// kept after the run so the pictures can be looked at.
var screenshotDir = sync.OnceValues(func() (string, error) {
	if d := os.Getenv("SHILPKOSH_SCREENSHOTS"); d != "" {
		return d, os.MkdirAll(d, 0o755)
	}
	return os.MkdirTemp("", "shilpkosh-screens-")
})

func (s *session) screenshot(name string) {
	s.t.Helper()
	dir, err := screenshotDir()
	if err != nil {
		s.t.Fatal(err)
	}
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}
