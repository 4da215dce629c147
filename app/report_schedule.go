package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// ReportLangs are the languages every scheduled report is archived in.
var ReportLangs = []string{"en", "hi"}

// MonthJobs lists the reports of month m: every district's in each language, then the
// state summary's.
func MonthJobs(ctx context.Context, db bun.IDB, m Month, langs []string) ([]GenerateRequest, error) {
	var slugs []string
	if err := db.NewRaw("SELECT slug FROM districts ORDER BY slug").Scan(ctx, &slugs); err != nil {
		return nil, fmt.Errorf("reports: districts: %w", err)
	}
	var out []GenerateRequest
	for _, lang := range langs {
		for _, d := range slugs {
			out = append(out, GenerateRequest{Kind: ReportDistrict, District: d, Month: m.String(), Lang: lang})
		}
		out = append(out, GenerateRequest{Kind: ReportState, Month: m.String(), Lang: lang})
	}
	return out, nil
}

// GenerateAll archives every job as actor, at most workers at a time (GOMAXPROCS when
// workers is 0), and calls done after each, from one goroutine at a time, in the order
// they finish. It stops at the first error, or when done returns false.
func (s *ReportArchive) GenerateAll(ctx context.Context, actor Actor, jobs []GenerateRequest, workers int,
	done func(q GenerateRequest, a *ArchivedReport) bool) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan GenerateRequest)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	stop := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
		cancel()
	}
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				a, err := s.Generate(ctx, actor, "generate", q)
				mu.Lock()
				switch {
				case err != nil:
					stop(err)
				case !done(q, a):
					stop(context.Canceled)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, q := range jobs {
		select {
		case next <- q:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return firstErr
}

// ReportSchedule archives the previous month's reports of every district and the state
// summary once a month, the first time it looks after midnight IST on the 1st. Several
// server instances may run it against one PostgreSQL database; the month is claimed in
// report_runs so that one instance runs it:
//
//   - The claim is an INSERT that does nothing on conflict: one instance's insert lands
//     and it runs the month; the others find the row and do nothing.
//   - The runner pushes lease_until forward after every report. An instance that dies
//     mid-run stops doing so; once the lease has passed (finished_at still empty), any
//     instance takes the claim over with a conditional UPDATE, which again only one
//     wins, and runs the month again.
//   - A rerun does no harm: a report whose data has not changed is found in the archive
//     unchanged (the same bytes), not added twice.
//   - A run that fails releases its lease at once, so the next look retries it.
type ReportSchedule struct {
	Archive *ReportArchive
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Instance names this server in report_runs (host and process by default).
	Instance string
	// Lease is how long a claim holds without progress before others may take it over.
	Lease time.Duration
	// Every is how often Start looks whether a month is due.
	Every time.Duration
	// Workers bounds the reports built at once; 0 is GOMAXPROCS.
	Workers int
	// Langs are the languages archived; nil is ReportLangs.
	Langs []string
	Log   *slog.Logger
}

// NewReportSchedule is the schedule cmd_serve starts.
func NewReportSchedule(db *bun.DB, authz Authorizer, r ReportRenderer, log *slog.Logger) *ReportSchedule {
	host, _ := os.Hostname()
	return &ReportSchedule{Archive: &ReportArchive{DB: db, Authz: authz, Renderer: r}, Now: time.Now,
		Instance: fmt.Sprintf("%s:%d", host, os.Getpid()), Lease: 15 * time.Minute, Every: 10 * time.Minute, Log: log}
}

// Start looks now and then every Every until ctx ends; failures are logged and retried.
func (s *ReportSchedule) Start(ctx context.Context) {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		if m, ran, err := s.RunDue(ctx); err != nil {
			s.Log.Error("scheduled reports failed; will retry", "month", m.String(), "err", err)
		} else if ran {
			s.Log.Info("scheduled reports archived", "month", m.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue runs the previous month's reports if no instance has, or is running them. It
// reports the month it looked at and whether this call ran it.
func (s *ReportSchedule) RunDue(ctx context.Context) (Month, bool, error) {
	due := MonthInIST(s.Now()).Prev()
	token, ok, err := s.claim(ctx, due)
	if err != nil || !ok {
		return due, false, err
	}
	langs := s.Langs
	if langs == nil {
		langs = ReportLangs
	}
	jobs, err := MonthJobs(ctx, s.Archive.DB, due, langs)
	if err == nil {
		n := 0
		err = s.Archive.GenerateAll(ctx, System, jobs, s.Workers, func(GenerateRequest, *ArchivedReport) bool {
			n++
			return s.renew(ctx, due, token, n)
		})
	}
	if err != nil {
		s.release(ctx, due, token, err)
		return due, false, fmt.Errorf("reports: scheduled %s: %w", due, err)
	}
	_, err = s.Archive.DB.NewRaw("UPDATE report_runs SET finished_at = ?, done = ? WHERE month = ? AND claimed_by = ?",
		Now(), len(jobs), due.String(), token).Exec(ctx)
	if err != nil {
		return due, false, fmt.Errorf("reports: scheduled %s: finish: %w", due, err)
	}
	return due, true, nil
}

// claim takes month m for this instance: a fresh insert, or the takeover of a claim
// whose run stopped without finishing. token identifies this claim.
func (s *ReportSchedule) claim(ctx context.Context, m Month) (token string, ok bool, err error) {
	nonce := make([]byte, 4)
	_, _ = rand.Read(nonce)
	token = s.Instance + "/" + hex.EncodeToString(nonce)
	now := s.Now().UTC()
	res, err := s.Archive.DB.NewRaw("INSERT INTO report_runs (month, claimed_by, claimed_at, lease_until, attempts) "+
		"VALUES (?, ?, ?, ?, 1) ON CONFLICT (month) DO NOTHING", m.String(), token, now, now.Add(s.Lease)).Exec(ctx)
	if err != nil {
		return "", false, fmt.Errorf("reports: claim %s: %w", m, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return token, true, nil
	}
	res, err = s.Archive.DB.NewRaw("UPDATE report_runs SET claimed_by = ?, claimed_at = ?, lease_until = ?, "+
		"attempts = attempts + 1, last_error = '' WHERE month = ? AND finished_at IS NULL AND lease_until < ?",
		token, now, now.Add(s.Lease), m.String(), now).Exec(ctx)
	if err != nil {
		return "", false, fmt.Errorf("reports: take over %s: %w", m, err)
	}
	n, _ := res.RowsAffected()
	return token, n == 1, nil
}

// renew extends the lease after a report; false means the claim was lost (taken over
// after the lease ran out) and this run should stop.
func (s *ReportSchedule) renew(ctx context.Context, m Month, token string, done int) bool {
	now := s.Now().UTC()
	res, err := s.Archive.DB.NewRaw("UPDATE report_runs SET lease_until = ?, done = ? WHERE month = ? AND claimed_by = ?",
		now.Add(s.Lease), done, m.String(), token).Exec(ctx)
	if err != nil {
		return false
	}
	n, _ := res.RowsAffected()
	return n == 1
}

// release ends a failed claim's lease now, so the next look (here or elsewhere) retries.
func (s *ReportSchedule) release(ctx context.Context, m Month, token string, cause error) {
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	if _, err := s.Archive.DB.NewRaw("UPDATE report_runs SET lease_until = ?, last_error = ? WHERE month = ? AND claimed_by = ?",
		s.Now().UTC().Add(-time.Second), msg, m.String(), token).Exec(context.WithoutCancel(ctx)); err != nil && s.Log != nil {
		s.Log.Error("scheduled reports: release claim", "month", m.String(), "err", err)
	}
}

// ReportRun is one month's row in report_runs.
type ReportRun struct {
	bun.BaseModel `bun:"table:report_runs"`

	Month      string     `bun:"month,pk" json:"month"`
	ClaimedBy  string     `bun:"claimed_by" json:"claimed_by"`
	ClaimedAt  time.Time  `bun:"claimed_at" json:"claimed_at"`
	LeaseUntil time.Time  `bun:"lease_until" json:"lease_until"`
	Attempts   int        `bun:"attempts" json:"attempts"`
	Done       int        `bun:"done" json:"done"`
	FinishedAt *time.Time `bun:"finished_at" json:"finished_at"`
	LastError  string     `bun:"last_error" json:"last_error"`
}
