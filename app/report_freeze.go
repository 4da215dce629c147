package app

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Closed months' reports are frozen.
//
// Most of a district's report is replayed from history (registry, enrolment and
// onboarding events, sales by month), so a closed month's figures stay put. The
// e-commerce section's readiness table, price flags and live listings are today's
// catalogue, which keeps no history: drawn again after the close they would change. So
// the report is drawn when the month is closed, in every language of ReportLangs, and
// archived in the close's own transaction; while the month stays closed every request
// for it (API, reports page, command line, schedule: all go through
// ReportArchive.Generate) is answered with that file. Reopening the month unfreezes it:
// the next generation draws the open month and supersedes the frozen report, as any
// changed report does.
//
// Why in the close's transaction: the close and its frozen reports commit together or
// not at all, so a close never succeeds without them; when drawing fails the close fails
// with the error, nothing is kept, and it can be tried again. The price is that the close
// holds the district's month lock (on SQLite the write lock) while two PDFs are drawn;
// closes are rare.
//
// The state summary is replayed from history alone (only the names of districts and
// which platforms are active are today's), so it is consistent anyway; it is frozen too,
// by the close that completes the month in every district, and served from the archive
// while every district stays closed.
//
// A month closed before freezing existed, or a state summary whose last two districts
// closed at the same moment (neither close saw the other), has no frozen report: the
// first report archived after the close is the frozen one.

// freezeReports draws district's report of month as closed at closedAt in every
// language and archives it in tx, the close's transaction; when that close completes the
// month in every district, the state summary too.
func (s *MonthCloses) freezeReports(ctx context.Context, tx bun.Tx, actor Actor, district, month string, closedAt time.Time) error {
	if s.Renderer == nil {
		return fmt.Errorf("months: close %s %s: no renderer to freeze the month's report", district, month)
	}
	m, err := ParseMonth(month)
	if err != nil {
		return fmt.Errorf("months: freeze %s %s: %w", district, month, err)
	}
	arch := &ReportArchive{DB: s.DB, Authz: s.Authz, Renderer: s.Renderer}
	r, err := BuildDistrictMonthly(ctx, s.DB, district, m)
	if err != nil {
		return fmt.Errorf("months: freeze %s %s: %w", district, month, err)
	}
	// The builder reads through the pool (the catalogue services it calls take a
	// *bun.DB), which cannot see this transaction's close yet: say of the month what the
	// report says of a closed one. The rest it reads is what the close freezes: on
	// PostgreSQL the district lock tx holds keeps the district's new sales, enrolments
	// and registrations waiting; SQLite has one writer.
	r.AsOf, r.Closed = closedAt.UTC(), true
	for _, lang := range ReportLangs {
		pdf, code, err := arch.drawDistrict(r, lang)
		if err != nil {
			return fmt.Errorf("months: freeze %s %s %s: %w", district, month, lang, err)
		}
		q := GenerateRequest{Kind: ReportDistrict, District: district, Month: month, Lang: lang}
		if err := freezeReport(ctx, tx, actor, q, pdf, code); err != nil {
			return err
		}
	}
	return freezeStateReport(ctx, tx, actor, arch, m)
}

// freezeStateReport archives the state summary of m in tx when every district has
// closed m, as tx sees it.
func freezeStateReport(ctx context.Context, tx bun.Tx, actor Actor, arch *ReportArchive, m Month) error {
	if _, all, err := monthClosedEverywhere(ctx, tx, m.String()); err != nil || !all {
		return err
	}
	r, err := BuildStateMonthly(ctx, tx, m)
	if err != nil {
		return fmt.Errorf("months: freeze state %s: %w", m, err)
	}
	for _, lang := range ReportLangs {
		pdf, code, err := arch.drawState(r, lang)
		if err != nil {
			return fmt.Errorf("months: freeze state %s %s: %w", m, lang, err)
		}
		q := GenerateRequest{Kind: ReportState, Month: m.String(), Lang: lang}
		if err := freezeReport(ctx, tx, actor, q, pdf, code); err != nil {
			return err
		}
	}
	return nil
}

func freezeReport(ctx context.Context, tx bun.Tx, actor Actor, q GenerateRequest, pdf []byte, code string) error {
	if err := lockReportKey(ctx, tx, q); err != nil {
		return fmt.Errorf("months: freeze %s %s %s: %w", q.Kind, q.District, q.Month, err)
	}
	if _, err := storeReport(ctx, tx, actor, q, pdf, code); err != nil {
		return fmt.Errorf("months: freeze %s %s %s: %w", q.Kind, q.District, q.Month, err)
	}
	return nil
}

// frozenReport returns, with its file, the report frozen for q's month: the current
// archived one, when the month is closed (for the state summary, in every district) and
// the report was archived since. nil means there is none, and the caller draws the
// report.
func frozenReport(ctx context.Context, db bun.IDB, q GenerateRequest) (*ArchivedReport, error) {
	closedAt, closed, err := reportMonthClosed(ctx, db, q)
	if err != nil || !closed {
		return nil, err
	}
	cur, err := currentReport(ctx, db, q)
	if err != nil || cur == nil || cur.GeneratedAt.Before(closedAt) {
		return nil, err
	}
	if err := db.NewRaw("SELECT content FROM report_archive WHERE id = ?", cur.ID).Scan(ctx, &cur.Content); err != nil {
		return nil, fmt.Errorf("reports: frozen %d: %w", cur.ID, err)
	}
	cur.Unchanged = true
	return cur, nil
}

// reportMonthClosed tells whether q's month is closed and since when: the district's
// close, or for the state summary the last close once every district has closed.
func reportMonthClosed(ctx context.Context, db bun.IDB, q GenerateRequest) (time.Time, bool, error) {
	if q.Kind == ReportState {
		return monthClosedEverywhere(ctx, db, q.Month)
	}
	var at []time.Time
	if err := db.NewRaw("SELECT closed_at FROM month_closes WHERE district = ? AND month = ? AND reopened_at IS NULL",
		q.District, q.Month).Scan(ctx, &at); err != nil && !errNoRows(err) {
		return time.Time{}, false, fmt.Errorf("reports: closed %s %s: %w", q.District, q.Month, err)
	}
	if len(at) == 0 {
		return time.Time{}, false, nil
	}
	return at[0], true, nil
}

// monthClosedEverywhere tells whether every district has closed month, as the state
// summary counts them (stateAsOf), and when the last one did.
func monthClosedEverywhere(ctx context.Context, db bun.IDB, month string) (time.Time, bool, error) {
	var closes []time.Time
	if err := db.NewRaw("SELECT closed_at FROM month_closes WHERE month = ? AND reopened_at IS NULL ORDER BY closed_at DESC",
		month).Scan(ctx, &closes); err != nil && !errNoRows(err) {
		return time.Time{}, false, fmt.Errorf("reports: closed %s: %w", month, err)
	}
	var n int
	if err := db.NewRaw("SELECT COUNT(*) FROM districts").Scan(ctx, &n); err != nil {
		return time.Time{}, false, fmt.Errorf("reports: districts: %w", err)
	}
	if n == 0 || len(closes) != n {
		return time.Time{}, false, nil
	}
	return closes[0], true, nil
}
