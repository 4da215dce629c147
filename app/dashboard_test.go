package app_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"shilpkosh/app"
)

// TestDashboardFigures checks each block against the report fixture (Jaipur, October
// 2026, plus one Jodhpur artisan), as a state-wide reader and as the two DIC officers.
func TestDashboardFigures(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		rptFixture(t, e)
		ctx := context.Background()
		if _, err := e.db.NewRaw("INSERT INTO month_closes (district, month, closed_at) VALUES ('jaipur', '2026-09', ?)",
			rptTime("2026-10-03T10:00:00Z")).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		svc := &app.Dashboards{DB: e.db, Authz: e.authz, Artisans: e.svc}
		now := rptTime("2026-10-28T12:00:00Z")
		build := func(who string) *app.Dashboard {
			t.Helper()
			d, err := svc.Build(ctx, e.actor(who), now)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			return d
		}

		jaipur := build("dic.jaipur")
		if jaipur.Month != october {
			t.Errorf("month %v, want %v", jaipur.Month, october)
		}
		if got, want := *jaipur.Registry, (app.DashboardRegistry{Approved: 4, NewThisMonth: 4, ApprovedThisMonth: 2}); got != want {
			t.Errorf("jaipur registry %+v, want %+v", got, want)
		}
		if jaipur.Inbox.Pending != 3 || jaipur.Inbox.OldestDays < 80 {
			t.Errorf("jaipur inbox %+v, want 3 pending, the oldest since 1 September", *jaipur.Inbox)
		}
		wantSchemes := app.DashboardSchemes{Sanctioned: 1, SanctionedPaise: 2500000, Disbursed: 1, DisbursedPaise: 1250000}
		if *jaipur.Schemes != wantSchemes {
			t.Errorf("jaipur schemes %+v, want %+v", *jaipur.Schemes, wantSchemes)
		}
		s := jaipur.Sales
		if s.Month != 1550000 || s.LastYear != 800000 || len(s.Trend) != 13 {
			t.Errorf("jaipur sales %d vs %d over %d months, want 1550000 vs 800000 over 13", s.Month, s.LastYear, len(s.Trend))
		} else if s.Trend[11] != (app.MonthSales{Month: october.Prev(), Paise: 1000000}) || s.Trend[7].Paise != 400000 {
			t.Errorf("jaipur trend %+v", s.Trend)
		}
		wantMonths := app.DashboardMonths{Month: october.Prev(), Districts: 1, Closed: 1}
		if m := *jaipur.Months; m.Month != wantMonths.Month || m.Districts != 1 || m.Closed != 1 || len(m.Open) != 0 {
			t.Errorf("jaipur months %+v, want %+v", m, wantMonths)
		}

		// Jodhpur's officer sees only Jodhpur: one approved artisan, nothing else of Jaipur.
		jodhpur := build("dic.jodhpur")
		if got, want := *jodhpur.Registry, (app.DashboardRegistry{Approved: 1, NewThisMonth: 1, ApprovedThisMonth: 1}); got != want {
			t.Errorf("jodhpur registry %+v, want %+v", got, want)
		}
		if jodhpur.Inbox.Pending != 0 || *jodhpur.Schemes != (app.DashboardSchemes{}) || jodhpur.Sales.Month != 0 ||
			jodhpur.Sales.LastYear != 0 {
			t.Errorf("jodhpur sees Jaipur's figures: inbox %+v schemes %+v sales %+v", *jodhpur.Inbox, *jodhpur.Schemes, *jodhpur.Sales)
		}
		if m := *jodhpur.Months; m.Districts != 1 || m.Closed != 0 || !reflect.DeepEqual(m.Open, []string{"jodhpur"}) {
			t.Errorf("jodhpur months %+v", m)
		}

		// State-wide: both districts; every active district counts for the close.
		board := build("board")
		if got, want := *board.Registry, (app.DashboardRegistry{Approved: 5, NewThisMonth: 5, ApprovedThisMonth: 3}); got != want {
			t.Errorf("board registry %+v, want %+v", got, want)
		}
		if board.Months.Districts < 33 || board.Months.Closed != 1 || len(board.Months.Open) != 5 {
			t.Errorf("board months %+v", *board.Months)
		}
		if board.Sales.Month != 1550000 {
			t.Errorf("board sales %d", board.Sales.Month)
		}

		// Data entry reads artisans and schemes but not sales or month close.
		entry := build("entry.jaipur")
		if entry.Registry == nil || entry.Schemes == nil || entry.Sales != nil || entry.Months != nil {
			t.Errorf("entry.jaipur blocks: registry %v schemes %v sales %v months %v",
				entry.Registry != nil, entry.Schemes != nil, entry.Sales != nil, entry.Months != nil)
		}
	})
}

// A month starts in India's clock: 31 October 20:00 UTC is already November in Jaipur.
func TestDashboardMonthInIndia(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		svc := &app.Dashboards{DB: e.db, Authz: e.authz, Artisans: e.svc}
		d, err := svc.Build(context.Background(), e.actor("auditor"), time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if want := october.Next(); d.Month != want {
			t.Errorf("month %v, want %v", d.Month, want)
		}
	})
}

// dashEcomFixture adds to the report fixtures a Jodhpur artisan listed on Amazon with one
// listing priced at double the store price, and archived reports: six current Jaipur
// months, a superseded Jaipur one, Jodhpur's October and the state summary, newest last.
func dashEcomFixture(t *testing.T, e *artEnv, ids map[string]int64) {
	t.Helper()
	at := rptTime("2026-10-06T06:00:00Z")
	rptExec(t, e, "INSERT INTO onboardings (artisan_id, platform, stage, reason, stage_since, created_at, updated_at) "+
		"VALUES (?, 'amazon', 'listed', '', ?, ?, ?)", ids["Jodhpur Weaver"], at, at, at)
	var product int64
	if err := e.db.NewRaw("INSERT INTO products (artisan_id, title_en, craft, store_price_paise, created_at, updated_at) "+
		"VALUES (?, 'Durrie', 'blue-pottery', 100000, ?, ?) RETURNING id", ids["Jodhpur Weaver"], at, at).
		Scan(context.Background(), &product); err != nil {
		t.Fatal(err)
	}
	rptExec(t, e, "INSERT INTO listings (product_id, platform, listed_price_paise, status, created_at, updated_at) "+
		"VALUES (?, 'amazon', 200000, 'live', ?, ?)", product, at, at)
	rptCatalogue(t, e)

	report := func(kind, district, month, lang string, hour int, superseded bool) {
		t.Helper()
		generated := rptTime("2026-11-01T00:00:00Z").Add(time.Duration(hour) * time.Hour)
		var supersededAt any
		if superseded {
			supersededAt = generated.Add(time.Minute)
		}
		rptExec(t, e, "INSERT INTO report_archive (kind, district, month, lang, sha256, code, size_bytes, content, "+
			"generated_by_name, generated_at, superseded_at) VALUES (?, ?, ?, ?, 'sha', ?, 4, ?, 'fixture', ?, ?)",
			kind, district, month, lang, fmt.Sprintf("CODE%d", hour), []byte("%PDF"), generated, supersededAt)
	}
	for i, m := range []string{"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"} {
		report(app.ReportDistrict, "jaipur", m, "en", i, false)
	}
	report(app.ReportDistrict, "jaipur", "2026-10", "hi", 6, true)
	report(app.ReportDistrict, "jodhpur", "2026-10", "en", 7, false)
	report(app.ReportState, "", "2026-10", "en", 8, false)
}

// TestDashboardEcommerce checks the onboarding, readiness, price-flag and report blocks on
// the e-commerce fixture: Jaipur's officer sees Jaipur only, Jodhpur's Jodhpur only, the
// board both; data entry reads no reports.
func TestDashboardEcommerce(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ecomFixture(t, e, ids)
		dashEcomFixture(t, e, ids)
		ctx := context.Background()
		svc := &app.Dashboards{DB: e.db, Authz: e.authz, Artisans: e.svc}
		build := func(who string) *app.Dashboard {
			t.Helper()
			d, err := svc.Build(ctx, e.actor(who), rptTime("2026-11-02T12:00:00Z"))
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			return d
		}
		funnel := func(d *app.Dashboard, platform string) map[string]int64 {
			t.Helper()
			out := map[string]int64{}
			for _, p := range d.Onboarding.Platforms {
				if p.Platform == platform {
					for _, s := range p.Stages {
						if s.Count > 0 {
							out[s.Stage] = s.Count
						}
					}
				}
			}
			return out
		}
		reports := func(d *app.Dashboard) []string {
			var out []string
			for _, r := range d.Reports.Latest {
				out = append(out, r.Kind+":"+r.District+":"+r.Month+":"+r.Lang)
			}
			return out
		}

		jaipur := build("dic.jaipur")
		for platform, want := range map[string]map[string]int64{
			"amazon":   {"not_started": 2, "first_sale": 1, "active": 1},
			"flipkart": {"not_started": 3, "blocked": 1},
			"gem":      {"not_started": 3, "documents": 1},
			"ondc":     {"not_started": 4},
		} {
			if got := funnel(jaipur, platform); !reflect.DeepEqual(got, want) {
				t.Errorf("jaipur %s funnel %v, want %v", platform, got, want)
			}
		}
		if jaipur.PriceFlags.Flagged != 1 || jaipur.PriceFlags.TolerancePercent != app.DefaultPriceTolerance {
			t.Errorf("jaipur price flags %+v, want 1 at 10%%", *jaipur.PriceFlags)
		}
		if got, want := reports(jaipur), []string{"district:jaipur:2026-10:en", "district:jaipur:2026-09:en",
			"district:jaipur:2026-08:en", "district:jaipur:2026-07:en", "district:jaipur:2026-06:en"}; !reflect.DeepEqual(got, want) {
			t.Errorf("jaipur reports %v, want %v", got, want)
		}

		jodhpur := build("dic.jodhpur")
		if got, want := funnel(jodhpur, "amazon"), map[string]int64{"listed": 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("jodhpur amazon funnel %v, want %v", got, want)
		}
		if jodhpur.PriceFlags.Flagged != 1 {
			t.Errorf("jodhpur price flags %d, want 1", jodhpur.PriceFlags.Flagged)
		}
		if got, want := reports(jodhpur), []string{"district:jodhpur:2026-10:en"}; !reflect.DeepEqual(got, want) {
			t.Errorf("jodhpur reports %v, want %v", got, want)
		}

		board := build("board")
		if got, want := funnel(board, "amazon"), map[string]int64{"not_started": 2, "listed": 1, "first_sale": 1, "active": 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("board amazon funnel %v, want %v", got, want)
		}
		if board.PriceFlags.Flagged != 2 {
			t.Errorf("board price flags %d, want 2", board.PriceFlags.Flagged)
		}
		if got, want := reports(board), []string{"state::2026-10:en", "district:jodhpur:2026-10:en",
			"district:jaipur:2026-10:en", "district:jaipur:2026-09:en", "district:jaipur:2026-08:en"}; !reflect.DeepEqual(got, want) {
			t.Errorf("board reports %v, want %v", got, want)
		}

		// Readiness is the district table's, summed over the districts in scope.
		table := func(district string) []app.ReadinessRow {
			rows, err := (&app.Readiness{DB: e.db, Authz: e.authz}).DistrictTable(ctx, e.actor("board"), district)
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		jaipurTable, jodhpurTable := table("jaipur"), table("jodhpur")
		if !reflect.DeepEqual(jaipur.Readiness.Platforms, jaipurTable) || !reflect.DeepEqual(jodhpur.Readiness.Platforms, jodhpurTable) {
			t.Errorf("readiness jaipur %+v jodhpur %+v, want the district tables %+v %+v",
				jaipur.Readiness.Platforms, jodhpur.Readiness.Platforms, jaipurTable, jodhpurTable)
		}
		for i, r := range board.Readiness.Platforms {
			j, k := jaipurTable[i], jodhpurTable[i]
			if r.Ready != j.Ready+k.Ready || r.Nearly != j.Nearly+k.Nearly || r.Far != j.Far+k.Far {
				t.Errorf("board readiness %+v, want jaipur %+v + jodhpur %+v", r, j, k)
			}
			if j.Ready+j.Nearly+j.Far != 4 {
				t.Errorf("jaipur readiness %+v counts other than its 4 approved artisans", j)
			}
		}

		entry := build("entry.jaipur")
		if entry.Reports != nil || entry.Onboarding == nil || entry.PriceFlags == nil {
			t.Errorf("entry.jaipur blocks: reports %v onboarding %v flags %v", entry.Reports != nil, entry.Onboarding != nil, entry.PriceFlags != nil)
		}
	})
}
