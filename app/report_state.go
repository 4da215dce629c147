package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"
)

// StateRow is one district's key figures in the state summary, or a division's or the
// state's sum of them.
type StateRow struct {
	District     Name  `json:"district"` // the division or "Total" on a subtotal row
	Division     Name  `json:"division"`
	Approved     int64 `json:"approved"`
	NewApprovals int64 `json:"new_approvals"`
	Pending      int64 `json:"pending"`
	Applications int64 `json:"applications"`
	Sanctioned   Paise `json:"sanctioned_paise"`
	Disbursed    Paise `json:"disbursed_paise"`
	Sales        Paise `json:"sales_paise"`
	SalesLY      Paise `json:"sales_last_year_paise"` // the same month last year
	SalesFYTD    Paise `json:"sales_fytd_paise"`
	// SalesGrowth is the month's sales against the same month last year, in percent;
	// nil where last year had none.
	SalesGrowth *float64 `json:"sales_growth"`
	// Listed counts the approved artisans at listed or beyond on at least one platform at
	// month end; Onboarding is their share of Approved, percent (OnboardingShare).
	Listed         int64   `json:"listed"`
	Onboarding     float64 `json:"onboarding"`
	RankOnboarding int     `json:"rank_onboarding"`
	RankGrowth     int     `json:"rank_growth"`
}

func (r *StateRow) add(o StateRow) {
	r.Approved += o.Approved
	r.NewApprovals += o.NewApprovals
	r.Pending += o.Pending
	r.Applications += o.Applications
	r.Sanctioned += o.Sanctioned
	r.Disbursed += o.Disbursed
	r.Sales += o.Sales
	r.SalesLY += o.SalesLY
	r.SalesFYTD += o.SalesFYTD
	r.Listed += o.Listed
}

// StateReport is the state summary of a month: one row per district, ranked, with
// division subtotals and the state total.
type StateReport struct {
	Month Month `json:"month"`
	FY    FY    `json:"fy"`
	// AsOf is the latest close when every district has closed the month, else the
	// latest change included.
	AsOf      time.Time  `json:"as_of"`
	Closed    bool       `json:"closed"`
	Rows      []StateRow `json:"rows"` // ranked: onboarding progress, then sales growth
	Divisions []StateRow `json:"divisions"`
	Total     StateRow   `json:"total"`
}

// StateMonthly builds the state summary; it needs report:read state-wide.
func (s *Reports) StateMonthly(ctx context.Context, actor Actor, m Month) (*StateReport, error) {
	if !s.CanReadState(actor) {
		return nil, ErrForbidden
	}
	return BuildStateMonthly(ctx, s.DB, m)
}

// CanReadState reports whether actor may read the state summary: report:read in every
// district. A DIC officer may not.
func (s *Reports) CanReadState(actor Actor) bool {
	return actor.system || (s.Authz != nil && s.Authz.Scope(actor.UserID, reportObject, "read").All)
}

type districtCount struct {
	District string `bun:"district"`
	N        int64  `bun:"n"`
	Paise    int64  `bun:"paise"`
}

// BuildStateMonthly builds the state summary without a permission check, for the command
// line and the schedule. Each figure is one grouped query over all districts.
func BuildStateMonthly(ctx context.Context, db bun.IDB, m Month) (*StateReport, error) {
	r := &StateReport{Month: m, FY: FinancialYear(m)}
	var ds []struct {
		Slug     string `bun:"slug"`
		NameEN   string `bun:"name_en"`
		NameHI   string `bun:"name_hi"`
		Division string `bun:"division"`
	}
	if err := db.NewRaw("SELECT slug, name_en, name_hi, division FROM districts ORDER BY slug").Scan(ctx, &ds); err != nil {
		return nil, fmt.Errorf("report: state: districts: %w", err)
	}
	hi := map[string]string{}
	for _, d := range ds {
		hi[d.NameEN] = d.NameHI
	}
	rows := map[string]*StateRow{}
	for _, d := range ds {
		rows[d.Slug] = &StateRow{District: Name{Key: d.Slug, EN: d.NameEN, HI: d.NameHI},
			Division: Name{Key: d.Division, EN: d.Division, HI: hi[d.Division]}}
	}
	if err := stateFigures(ctx, db, m, rows); err != nil {
		return nil, fmt.Errorf("report: state %s: %w", m, err)
	}
	if err := onboardingProgress(ctx, db, m, rows); err != nil {
		return nil, fmt.Errorf("report: state %s: onboarding: %w", m, err)
	}
	for _, row := range rows {
		row.SalesGrowth = Growth(row.Sales, row.SalesLY)
		r.Rows = append(r.Rows, *row)
	}
	rankState(r.Rows)
	r.Divisions, r.Total = divisionTotals(r.Rows)
	if err := stateAsOf(ctx, db, m, len(ds), r); err != nil {
		return nil, fmt.Errorf("report: state %s: as of: %w", m, err)
	}
	return r, nil
}

func stateFigures(ctx context.Context, db bun.IDB, m Month, rows map[string]*StateRow) error {
	start, end := monthStartIST(m), monthEndIST(m)
	ly := m.SameMonthLastYear()
	fyStart := Month{FinancialYear(m).StartYear, time.April}
	queries := []struct {
		q    string
		args []any
		set  func(r *StateRow, c districtCount)
	}{
		// The registry from the monthly roll-up of status changes (artisan_status_months):
		// the artisans with a status at the month end, and those approved during it.
		{"SELECT district, CAST(SUM(n) AS BIGINT) AS n, 0 AS paise FROM artisan_status_months " +
			"WHERE month <= ? AND status = 'approved' GROUP BY district",
			[]any{m.String()}, func(r *StateRow, c districtCount) { r.Approved = c.N }},
		{"SELECT district, CAST(SUM(n) AS BIGINT) AS n, 0 AS paise FROM artisan_status_months " +
			"WHERE month <= ? AND status = 'submitted' GROUP BY district",
			[]any{m.String()}, func(r *StateRow, c districtCount) { r.Pending = c.N }},
		{"SELECT district, CAST(SUM(approvals) AS BIGINT) AS n, 0 AS paise FROM artisan_status_months " +
			"WHERE month = ? AND status = 'approved' GROUP BY district",
			[]any{m.String()}, func(r *StateRow, c districtCount) { r.NewApprovals = c.N }},
		{"SELECT district, COUNT(*) AS n, 0 AS paise FROM enrolments WHERE applied_at >= ? AND applied_at < ? GROUP BY district",
			[]any{start, end}, func(r *StateRow, c districtCount) { r.Applications = c.N }},
		{"SELECT e.district, COUNT(*) AS n, CAST(COALESCE(SUM(ev.amount_paise), 0) AS BIGINT) AS paise FROM enrolment_events ev " +
			"JOIN enrolments e ON e.id = ev.enrolment_id WHERE ev.action = 'sanction' AND ev.at >= ? AND ev.at < ? GROUP BY e.district",
			[]any{start, end}, func(r *StateRow, c districtCount) { r.Sanctioned = Paise(c.Paise) }},
		{"SELECT e.district, COUNT(CASE WHEN d.corrects_id IS NULL THEN 1 END) AS n, CAST(COALESCE(SUM(d.amount_paise), 0) AS BIGINT) AS paise FROM enrolment_disbursements d " +
			"JOIN enrolments e ON e.id = d.enrolment_id WHERE d.at >= ? AND d.at < ? GROUP BY e.district",
			[]any{start, end}, func(r *StateRow, c districtCount) { r.Disbursed = Paise(c.Paise) }},
		{"SELECT district, 0 AS n, CAST(SUM(paise) AS BIGINT) AS paise FROM sales_months WHERE month = ? GROUP BY district",
			[]any{m.String()}, func(r *StateRow, c districtCount) { r.Sales = Paise(c.Paise) }},
		{"SELECT district, 0 AS n, CAST(SUM(paise) AS BIGINT) AS paise FROM sales_months WHERE month = ? GROUP BY district",
			[]any{ly.String()}, func(r *StateRow, c districtCount) { r.SalesLY = Paise(c.Paise) }},
		{"SELECT district, 0 AS n, CAST(SUM(paise) AS BIGINT) AS paise FROM sales_months WHERE month >= ? AND month <= ? GROUP BY district",
			[]any{fyStart.String(), m.String()}, func(r *StateRow, c districtCount) { r.SalesFYTD = Paise(c.Paise) }},
	}
	for _, q := range queries {
		var got []districtCount
		if err := db.NewRaw(q.q, q.args...).Scan(ctx, &got); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		for _, c := range got {
			if row := rows[c.District]; row != nil {
				q.set(row, c)
			}
		}
	}
	return nil
}

// rankState orders the districts by onboarding progress, then sales growth (a district
// with no sales last year after every one with a growth figure), then name, and numbers
// each ranking; equal figures share a rank.
func rankState(rows []StateRow) {
	growth := func(r StateRow) (bool, float64) {
		if r.SalesGrowth == nil {
			return false, 0
		}
		return true, *r.SalesGrowth
	}
	growthLess := func(a, b StateRow) int { // -1: a ranks before b
		ha, ga := growth(a)
		hb, gb := growth(b)
		switch {
		case ha != hb:
			if ha {
				return -1
			}
			return 1
		case ga > gb:
			return -1
		case ga < gb:
			return 1
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if c := growthLess(rows[i], rows[j]); c != 0 {
			return c < 0
		}
		return rows[i].District.EN < rows[j].District.EN
	})
	for i := range rows {
		rows[i].RankGrowth = i + 1
		if i > 0 && growthLess(rows[i-1], rows[i]) == 0 {
			rows[i].RankGrowth = rows[i-1].RankGrowth
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Onboarding > rows[j].Onboarding })
	for i := range rows {
		rows[i].RankOnboarding = i + 1
		if i > 0 && rows[i-1].Onboarding == rows[i].Onboarding {
			rows[i].RankOnboarding = rows[i-1].RankOnboarding
		}
	}
}

// divisionTotals sums the rows by division (in division name order) and in all.
func divisionTotals(rows []StateRow) ([]StateRow, StateRow) {
	byDiv := map[string]*StateRow{}
	var names []string
	total := StateRow{District: Name{Key: "total", EN: "Total", HI: "कुल"}}
	for _, r := range rows {
		d := byDiv[r.Division.EN]
		if d == nil {
			d = &StateRow{District: r.Division, Division: r.Division}
			byDiv[r.Division.EN] = d
			names = append(names, r.Division.EN)
		}
		d.add(r)
		total.add(r)
	}
	sort.Strings(names)
	out := make([]StateRow, 0, len(names))
	for _, n := range names {
		d := byDiv[n]
		d.SalesGrowth = Growth(d.Sales, d.SalesLY)
		d.Onboarding = OnboardingShare(d.Listed, d.Approved)
		out = append(out, *d)
	}
	total.SalesGrowth = Growth(total.Sales, total.SalesLY)
	total.Onboarding = OnboardingShare(total.Listed, total.Approved)
	return out, total
}

// stateAsOf is the latest close when all n districts have closed m, else the latest
// change included anywhere.
func stateAsOf(ctx context.Context, db bun.IDB, m Month, n int, r *StateReport) error {
	var closes []time.Time
	if err := db.NewRaw("SELECT closed_at FROM month_closes WHERE month = ? AND reopened_at IS NULL ORDER BY closed_at DESC",
		m.String()).Scan(ctx, &closes); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if n > 0 && len(closes) == n {
		r.AsOf, r.Closed = closes[0].UTC(), true
		return nil
	}
	end := monthEndIST(m)
	latest := monthStartIST(m)
	for _, q := range []struct {
		q   string
		arg any
	}{
		{"SELECT at FROM artisan_events WHERE at < ? ORDER BY at DESC LIMIT 1", end},
		{"SELECT applied_at FROM enrolments WHERE applied_at < ? ORDER BY applied_at DESC LIMIT 1", end},
		{"SELECT at FROM enrolment_events WHERE at < ? ORDER BY at DESC LIMIT 1", end},
		{"SELECT at FROM enrolment_disbursements WHERE at < ? ORDER BY at DESC LIMIT 1", end},
		// Each district's latest, one backward walk of sales_district_created_idx each: every
		// sale has a district.
		{"SELECT t FROM (SELECT (SELECT s.created_at FROM sales s WHERE s.district = d.slug AND s.month <= ? " +
			"ORDER BY s.created_at DESC LIMIT 1) AS t FROM districts d) AS latest WHERE t IS NOT NULL ORDER BY t DESC LIMIT 1", m.String()},
	} {
		var ts []time.Time
		if err := db.NewRaw(q.q, q.arg).Scan(ctx, &ts); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if len(ts) > 0 && ts[0].After(latest) {
			latest = ts[0]
		}
	}
	r.AsOf = latest.UTC().Truncate(time.Second)
	return nil
}
