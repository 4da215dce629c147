// Package bench measures Shilpkosh the way its users load it: HTTP requests with a JWT
// against a running server on loopback (vegeta as a library), next to the floor of the
// same SQL run alone through the driver. cmd/shilpkosh-bench prints the figures of a
// running server; the Go benchmarks in this package run the same requests in-process.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"shilpkosh/app"
)

// Workload is one request the benchmarks repeat.
type Workload struct {
	Name string
	Path string // under the server's base URL, query included
}

// Workloads are the requests the targets name: the list with its exact total
// and the name-prefix search over the largest district, and the authenticated no-op.
func Workloads(district string) []Workload {
	return []Workload{
		{"list " + district + " with total", "/api/v1/artisans?district=" + district},
		{"search English prefix", "/api/v1/artisans?district=" + district + "&q=kis"},
		{"search Hindi prefix", "/api/v1/artisans?district=" + district + "&q=" + "%E0%A4%95%E0%A4%BF"}, // कि
		{"authenticated no-op", "/api/v1/system/ping"},
	}
}

// Login signs in and returns the access token.
func Login(baseURL, username, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password}) //nolint:errchkjson // strings
	res, err := http.Post(baseURL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("bench: login: %w", err)
	}
	defer res.Body.Close()
	var tokens struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tokens); err != nil || tokens.AccessToken == "" {
		return "", fmt.Errorf("bench: login: status %d, %v", res.StatusCode, err)
	}
	return tokens.AccessToken, nil
}

// Result is one load run's figures.
type Result struct {
	Requests      uint64
	Success       float64 // share of 2xx answers
	Throughput    float64 // successful requests a second
	P50, P95, P99 time.Duration
	Errors        []string
	ServerCPU     time.Duration // the server's CPU time per request, when measured
}

func (r Result) String() string {
	s := fmt.Sprintf("p50 %s  p95 %s  p99 %s  %.0f req/s  (%d requests, %.1f%% ok)",
		ms(r.P50), ms(r.P95), ms(r.P99), r.Throughput, r.Requests, 100*r.Success)
	if r.ServerCPU > 0 {
		s += fmt.Sprintf("  server CPU %.0f µs/req", float64(r.ServerCPU)/1e3)
	}
	if len(r.Errors) > 0 {
		s += "  errors: " + strings.Join(r.Errors, "; ")
	}
	return s
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + " ms" }

// Attack runs GET url with the token for d: at a fixed rate when perSecond > 0, else as
// fast as clients concurrent clients can.
func Attack(url, token string, clients, perSecond int, d time.Duration) Result {
	target := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: url,
		Header: http.Header{"Authorization": {"Bearer " + token}}})
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Connections(max(clients, 8))}
	rate := vegeta.Rate{Freq: perSecond, Per: time.Second}
	if perSecond > 0 {
		opts = append(opts, vegeta.Workers(uint64(max(clients, 1))))
	} else {
		opts = append(opts, vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)))
	}
	attacker := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	for res := range attacker.Attack(target, rate, d, "bench") {
		m.Add(res)
	}
	m.Close()
	return Result{Requests: m.Requests, Success: m.Success, Throughput: m.Throughput,
		P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99, Errors: firstErrors(m.Errors, 3)}
}

func firstErrors(errs []string, n int) []string {
	return slices.Clone(errs[:min(n, len(errs))])
}

// PeakRSS reads the peak resident memory of a process (pid 0: this one) in MiB.
func PeakRSS(pid int) (float64, error) {
	path := "/proc/self/status"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("bench: peak rss: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("bench: no VmHWM in %s", path)
}

// CPUTime reads the user and system CPU time a process (pid 0: this one) has used. The
// server's CPU per request does not depend on how busy the rest of the machine is, so it
// compares two builds fairly on a shared machine, where latencies mostly measure the wait
// for a core.
func CPUTime(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("bench: cpu time: %w", err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces:
	// utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("bench: cpu time: short %s", path)
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bench: cpu time: bad %s", path)
	}
	return time.Duration(user+sys) * 10 * time.Millisecond, nil
}

// Floor times fn, run alone n times one after another, and returns its median.
func Floor(n int, fn func() error) (time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// ListPageSQL is the statement of the list of a district's newest artisans, exactly as
// the app runs it (app.ArtisanListPageSQL: the page, one row more than shown to know
// whether a next page exists, each row's other crafts and the exact total from the
// roll-up), prepared once as the app prepares it, to be run alone through the driver.
type ListPageSQL struct {
	stmt *sql.Stmt
	args []any
}

// PrepareListPage prepares the list page's statement on db.
func PrepareListPage(ctx context.Context, db *sql.DB, pg bool, district string) (*ListPageSQL, error) {
	text, args := app.ArtisanListPageSQL(pg, district)
	stmt, err := db.PrepareContext(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("bench: floor: %w", err)
	}
	return &ListPageSQL{stmt: stmt, args: args}, nil
}

// Run runs the statement once and reads every column of every row.
func (l *ListPageSQL) Run(ctx context.Context) error {
	rows, err := l.stmt.QueryContext(ctx, l.args...)
	if err != nil {
		return fmt.Errorf("bench: floor page: %w", err)
	}
	ids, err := drainIDs(rows)
	if err == nil && len(ids) == 0 {
		err = errors.New("bench: floor page: no rows")
	}
	return err
}

// Close releases the prepared statement.
func (l *ListPageSQL) Close() error { return l.stmt.Close() }

// SessionSQL runs the per-request session check of app.Auth.Authenticate alone.
func SessionSQL(ctx context.Context, db *sql.DB, pg bool, sessionID string, userID int64) error {
	q := "SELECT u.username, u.name, u.lang, u.active, s.revoked_at, s.expires_at FROM sessions AS s " +
		"JOIN users AS u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?"
	if pg {
		q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
	}
	rows, err := db.QueryContext(ctx, q, sessionID, userID)
	if err != nil {
		return fmt.Errorf("bench: session: %w", err)
	}
	_, err = drainIDs(rows)
	return err
}

// drainIDs reads every column of every row, as a handler scanning them would, and
// returns the first column read as an id.
func drainIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(sql.RawBytes)
	}
	var ids []int64
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return nil, fmt.Errorf("bench: scan: %w", err)
		}
		id, _ := strconv.ParseInt(string(*vals[0].(*sql.RawBytes)), 10, 64)
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Get fetches url with the token once and returns the body, for checks.
func Get(url, token string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return b, fmt.Errorf("bench: GET %s: status %d: %.200s", url, res.StatusCode, b)
	}
	return b, err
}
