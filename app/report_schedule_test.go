package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"shilpkosh/app"
)

// fakeRenderer stands in for the PDF renderer: the schedule is under test, not the
// drawing, and 42 real PDFs per database would make the test slow.
type fakeRenderer struct{}

func (fakeRenderer) DistrictPDF(r *app.DistrictReport, lang, code string) ([]byte, error) {
	b, err := json.Marshal(r)
	return append(b, []byte(lang+code)...), err
}

func (fakeRenderer) Layout() string { return "fake" }

func (fakeRenderer) StatePDF(r *app.StateReport, lang, code string) ([]byte, error) {
	b, err := json.Marshal(r)
	return append(b, []byte(lang+code)...), err
}

// TestReportScheduleRunsOnce: two instances on one database, both looking on
// 1 November: October's reports are archived once. A claim left by a crash is taken over
// once its lease has passed, and not before.
func TestReportScheduleRunsOnce(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 0, 10, 0, 0, app.ReportZone()) // 31 October 18:40 UTC
		clock := func() time.Time { return now }
		sched := func(name string) *app.ReportSchedule {
			return &app.ReportSchedule{Archive: &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: fakeRenderer{}},
				Now: clock, Instance: name, Lease: 15 * time.Minute, Langs: []string{"en"}, Workers: 4}
		}
		a, b := sched("a"), sched("b")
		var wg sync.WaitGroup
		ran := make([]bool, 2)
		for i, s := range []*app.ReportSchedule{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, ok, err := s.RunDue(ctx)
				if err != nil || m.String() != "2026-10" {
					t.Errorf("run: %s %v", m, err)
				}
				ran[i] = ok
			}()
		}
		wg.Wait()
		if ran[0] == ran[1] {
			t.Fatalf("ran = %v, want exactly one", ran)
		}
		count := func() int64 {
			n, err := e.db.NewSelect().Model((*app.ArchivedReport)(nil)).Where("month = '2026-10'").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 42 {
			t.Errorf("%d reports archived, want 41 districts and the state", n)
		}
		var run app.ReportRun
		if err := e.db.NewSelect().Model(&run).Where("month = '2026-10'").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if run.FinishedAt == nil || run.Done != 42 || run.Attempts != 1 {
			t.Errorf("run = %+v", run)
		}
		// Later the same month: nothing more to do.
		now = now.Add(48 * time.Hour)
		if _, ok, err := a.RunDue(ctx); ok || err != nil || count() != 42 {
			t.Errorf("second look ran again: %v %v", ok, err)
		}

		// December: an instance claimed November and died after a few reports.
		now = time.Date(2026, 12, 1, 0, 5, 0, 0, app.ReportZone())
		if _, err := e.db.NewRaw("INSERT INTO report_runs (month, claimed_by, claimed_at, lease_until, attempts, done) "+
			"VALUES ('2026-11', 'dead/1', ?, ?, 1, 3)", now.UTC(), now.UTC().Add(10*time.Minute)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := b.RunDue(ctx); ok || err != nil {
			t.Errorf("took over a live claim: %v %v", ok, err)
		}
		now = now.Add(20 * time.Minute) // the lease has run out
		if m, ok, err := b.RunDue(ctx); !ok || err != nil || m.String() != "2026-11" {
			t.Fatalf("did not take over the dead claim: %s %v %v", m, ok, err)
		}
		if err := e.db.NewSelect().Model(&run).Where("month = '2026-11'").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if run.FinishedAt == nil || run.Attempts != 2 || run.Done != 42 {
			t.Errorf("retried run = %+v", run)
		}
	})
}

// stallingRenderer draws `after` district reports, then blocks on the next until wake is
// closed (the rest it draws at once): to the database, a runner whose process froze or
// was killed mid-run.
type stallingRenderer struct {
	fakeRenderer
	after   int
	drawn   int // one worker draws, so no lock
	stalled chan struct{}
	wake    chan struct{}
}

func (s *stallingRenderer) DistrictPDF(r *app.DistrictReport, lang, code string) ([]byte, error) {
	if s.drawn++; s.drawn == s.after+1 {
		close(s.stalled)
		<-s.wake
	}
	return s.fakeRenderer.DistrictPDF(r, lang, code)
}

// TestReportScheduleTakesOverAStalledRun: an instance claims November and stops after
// archiving five reports, holding its claim. Another instance leaves it alone while the
// lease lasts, then takes over and archives the month: 42 reports, the five already
// archived found unchanged rather than added twice. When the stalled runner wakes, it
// finds its claim lost and stops without touching the new claim.
func TestReportScheduleTakesOverAStalledRun(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		var mu sync.Mutex
		now := time.Date(2026, 12, 1, 0, 5, 0, 0, app.ReportZone())
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		sched := func(name string, r app.ReportRenderer) *app.ReportSchedule {
			return &app.ReportSchedule{Archive: &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: r},
				Now: clock, Instance: name, Lease: 15 * time.Minute, Langs: []string{"en"}, Workers: 1}
		}
		stall := &stallingRenderer{after: 5, stalled: make(chan struct{}), wake: make(chan struct{})}
		stalledErr := make(chan error, 1)
		go func() {
			_, _, err := sched("stalled", stall).RunDue(ctx)
			stalledErr <- err
		}()
		<-stall.stalled
		live := sched("live", fakeRenderer{})
		if _, ok, err := live.RunDue(ctx); ok || err != nil {
			t.Fatalf("took over a claim within its lease: %v %v", ok, err)
		}
		mu.Lock()
		now = now.Add(20 * time.Minute)
		mu.Unlock()
		if m, ok, err := live.RunDue(ctx); !ok || err != nil || m.String() != "2026-11" {
			t.Fatalf("did not take over the stalled claim: %s %v %v", m, ok, err)
		}
		close(stall.wake)
		if err := <-stalledErr; err == nil {
			t.Error("the stalled runner finished a month it no longer held")
		}
		var run app.ReportRun
		if err := e.db.NewSelect().Model(&run).Where("month = '2026-11'").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if run.FinishedAt == nil || run.Attempts != 2 || run.Done != 42 || !strings.HasPrefix(run.ClaimedBy, "live/") ||
			run.LastError != "" {
			t.Errorf("run after the takeover = %+v", run)
		}
		n, err := e.db.NewSelect().Model((*app.ArchivedReport)(nil)).Where("month = '2026-11'").Count(ctx)
		if err != nil || n != 42 {
			t.Errorf("%d reports archived for November (%v), want 42 with none twice", n, err)
		}
	})
}
