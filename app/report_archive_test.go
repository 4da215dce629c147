package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/reports"
)

func rptArchive(e *artEnv) *app.ReportArchive {
	return &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: reports.Renderer{BaseURL: "https://shilpkosh.example"}}
}

func rptExec(t *testing.T, e *artEnv, q string, args ...any) {
	t.Helper()
	if _, err := e.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// rptCatalogue brings what the app keeps of the catalogue and onboarding up to date after
// rows written straight into the tables, as the generator does: each product's and
// onboarding record's district and the readiness facts.
func rptCatalogue(t *testing.T, e *artEnv) {
	t.Helper()
	for _, table := range []string{"products", "onboardings"} {
		rptExec(t, e, "UPDATE "+table+" SET district = (SELECT a.district FROM artisans AS a WHERE a.id = "+table+".artisan_id)")
	}
	if err := app.RebuildReadinessFacts(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
}

// rptSale writes sale lines straight into the table and recounts the reports' monthly
// roll-up of sales, as the generator tallies it for the lines it writes.
func rptSale(t *testing.T, e *artEnv, q string, args ...any) {
	t.Helper()
	rptExec(t, e, q, args...)
	if err := app.RebuildSalesMonths(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
}

func rptArtisan(t *testing.T, e *artEnv, name string) int64 {
	t.Helper()
	var id int64
	if err := e.db.NewRaw("INSERT INTO artisans (name, name_key, name_hi, gender, date_of_birth, social_category, district, "+
		"primary_craft, status, status_changed_at, created_at, updated_at) VALUES (?, ?, '', 'female', '1980-01-01', 'general', "+
		"'jaipur', 'blue-pottery', 'draft', ?, ?, ?) RETURNING id", name, strings.ToLower(name),
		rptTime("2026-01-01T00:00:00Z"), rptTime("2026-01-01T00:00:00Z"), rptTime("2026-01-01T00:00:00Z")).
		Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDistrictMonthlyReplaysHistoryInIST: the registry figures are the statuses of the
// month's end replayed from the history, with months cut at midnight in India.
func TestDistrictMonthlyReplaysHistoryInIST(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		rptFixture(t, e)
		// Approved in September, deactivated in November: approved at October's end.
		gone := rptArtisan(t, e, "Deactivated Since")
		rptEvent(t, e, gone, "", "submitted", rptTime("2026-09-10T10:00:00Z"))
		rptEvent(t, e, gone, "submitted", "approved", rptTime("2026-09-20T10:00:00Z"))
		rptEvent(t, e, gone, "approved", "approved", rptTime("2026-10-05T10:00:00Z")) // an edit
		rptEvent(t, e, gone, "approved", "inactive", rptTime("2026-11-10T10:00:00Z"))
		rptExec(t, e, "UPDATE artisans SET status = 'inactive', status_changed_at = ? WHERE id = ?", rptTime("2026-11-10T10:00:00Z"), gone)
		// 30 September 19:00 UTC is 1 October 00:30 in Jaipur: October's approval.
		early := rptArtisan(t, e, "Early October")
		rptEvent(t, e, early, "", "submitted", rptTime("2026-09-25T10:00:00Z"))
		rptEvent(t, e, early, "submitted", "approved", rptTime("2026-09-30T19:00:00Z"))
		// 31 October 20:00 UTC is already 1 November in Jaipur.
		late := rptArtisan(t, e, "Late October UTC")
		rptEvent(t, e, late, "", "submitted", rptTime("2026-10-20T10:00:00Z"))
		rptEvent(t, e, late, "submitted", "approved", rptTime("2026-10-31T20:00:00Z"))

		r, err := app.BuildDistrictMonthly(context.Background(), e.db, "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		// Fixture: 3 approved, 2 new, 3 pending; plus Deactivated Since and Early October
		// approved; Late October UTC still pending (submitted 20 October, 11 days).
		g := r.Registry
		if g.Approved != 5 || g.NewApprovals != 3 || g.Pending != 4 || g.PendingAge != [3]int64{1, 2, 1} {
			t.Errorf("registry = %+v", g)
		}
		// October ended in India at 31 October 18:30 UTC: the 20:00 UTC approval and
		// November's deactivation are not included; the latest change is the fixture's.
		if want := rptTime("2026-10-28T10:00:00Z"); !r.AsOf.Equal(want) {
			t.Errorf("as of %v, want %v", r.AsOf, want)
		}
		sept, err := app.BuildDistrictMonthly(context.Background(), e.db, "jaipur", app.Month{Year: 2026, M: time.September})
		if err != nil {
			t.Fatal(err)
		}
		if sept.Registry.Approved != 2 || sept.Registry.NewApprovals != 1 {
			t.Errorf("september registry = %+v", sept.Registry)
		}
	})
}

// TestClosedMonthReportIsFixed: a closed month gives the same bytes every time, even
// after changes dated the next month.
func TestClosedMonthReportIsFixed(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ctx := context.Background()
		ar := rptArchive(e)
		rptExec(t, e, "INSERT INTO month_closes (district, month, closed_at) VALUES ('jaipur', '2026-10', ?)", rptTime("2026-11-02T09:30:00Z"))
		q := app.GenerateRequest{District: "jaipur", Month: "2026-10", Lang: "en"}
		first, err := ar.Generate(ctx, e.actor("dic.jaipur"), "generate", q)
		if err != nil {
			t.Fatal(err)
		}
		second, err := ar.Generate(ctx, e.actor("board"), "generate", q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Content, second.Content) || first.ID != second.ID || first.Code != second.Code {
			t.Fatalf("closed month regenerated: ids %d %d codes %s %s", first.ID, second.ID, first.Code, second.Code)
		}
		// November: a pending artisan is approved, a sale is made.
		rptEvent(t, e, ids["Pending Middle"], "submitted", "approved", rptTime("2026-11-03T10:00:00Z"))
		rptSale(t, e, "INSERT INTO sales (store_id, district, sale_date, month, craft, product, quantity, amount_paise, payment_mode, "+
			"invoice_no, created_at) SELECT id, 'jaipur', '2026-11-04', '2026-11', 'blue-pottery', 'Vase', 1, 99900, 'cash', 'NOV-1', ? "+
			"FROM stores WHERE district = 'jaipur'", rptTime("2026-11-04T12:00:00Z"))
		third, err := ar.Generate(ctx, e.actor("dic.jaipur"), "generate", q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Content, third.Content) || third.ID != first.ID {
			t.Error("a change dated November altered the closed October report")
		}
		text := pdfText(t, first.Content)
		for _, s := range []string{"Figures as of 02-11-2026 15:00 IST (month closed)", "Verification code: " + app.FormatCode(first.Code),
			"https://shilpkosh.example/verify/" + first.Code} {
			if !strings.Contains(text, s) {
				t.Errorf("closed report lacks %q", s)
			}
		}
		if strings.Contains(text, "Name of dic.jaipur") || strings.Contains(text, "Name of board") {
			t.Error("the PDF names who generated it")
		}
	})
}

// TestReportArchive: a changed report supersedes the archived one, codes verify, and a
// DIC officer reaches only their district's reports.
func TestReportArchive(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		rptFixture(t, e)
		ctx := context.Background()
		ar := rptArchive(e)
		q := app.GenerateRequest{District: "jaipur", Month: "2026-10", Lang: "hi"}
		old, err := ar.Generate(ctx, e.actor("dic.jaipur"), "generate", q)
		if err != nil {
			t.Fatal(err)
		}
		if len(old.Code) != 12 || old.GeneratedByName != "Name of dic.jaipur" || old.SupersededAt != nil {
			t.Fatalf("archived = %+v", old)
		}
		htext := pdfText(t, old.Content)
		for _, s := range []string{"सत्यापन कोड: " + app.FormatCode(old.Code), "जिला मासिक प्रगति रिपोर्ट", "सुनीता कुमारी"} {
			if !strings.Contains(htext, s) {
				t.Errorf("Hindi report lacks %q", s)
			}
		}
		// A late October sale changes the open month's report.
		rptSale(t, e, "INSERT INTO sales (store_id, district, sale_date, month, craft, product, quantity, amount_paise, payment_mode, "+
			"invoice_no, created_at) SELECT id, 'jaipur', '2026-10-30', '2026-10', 'blue-pottery', 'Bowl', 1, 50000, 'cash', 'LATE-1', ? "+
			"FROM stores WHERE district = 'jaipur'", rptTime("2026-11-02T12:00:00Z"))
		cur, err := ar.Generate(ctx, e.actor("board"), "generate", q)
		if err != nil {
			t.Fatal(err)
		}
		if cur.ID == old.ID || cur.Code == old.Code {
			t.Fatal("a changed report did not get a new archive entry")
		}
		v, err := ar.Verify(ctx, strings.ToLower(app.FormatCode(old.Code)))
		if err != nil {
			t.Fatal(err)
		}
		if v.Report.ID != old.ID || v.Report.SupersededAt == nil || v.Report.SupersededBy == nil ||
			*v.Report.SupersededBy != cur.ID || v.Current == nil || v.Current.ID != cur.ID {
			t.Errorf("verify old = %+v current %+v", v.Report, v.Current)
		}
		if v, err := ar.Verify(ctx, cur.Code); err != nil || v.Current != nil || v.Report.GeneratedByName != "Name of board" {
			t.Errorf("verify current = %+v, %v", v, err)
		}
		if _, err := ar.Verify(ctx, "0000-0000-0000"); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("unknown code: %v", err)
		}
		// The old file is kept, not overwritten.
		f, err := ar.File(ctx, e.actor("dic.jaipur"), old.ID)
		if err != nil || !bytes.Equal(f.Content, old.Content) {
			t.Fatalf("old file: %v", err)
		}

		// Scope.
		jodhpur := e.actor("dic.jodhpur")
		if _, err := ar.File(ctx, jodhpur, old.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("jodhpur officer reads jaipur's file: %v", err)
		}
		if _, err := ar.Generate(ctx, jodhpur, "generate", q); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("jodhpur officer generates jaipur's report: %v", err)
		}
		if _, err := ar.Generate(ctx, jodhpur, "generate", app.GenerateRequest{Kind: "state", Month: "2026-10"}); !errors.Is(err, app.ErrForbidden) {
			t.Errorf("jodhpur officer generates the state summary: %v", err)
		}
		if list, err := ar.List(ctx, jodhpur, app.ArchiveFilter{}); err != nil || len(list) != 0 {
			t.Errorf("jodhpur officer's archive: %d rows, %v", len(list), err)
		}
		list, err := ar.List(ctx, e.actor("dic.jaipur"), app.ArchiveFilter{Month: "2026-10"})
		if err != nil || len(list) != 2 || list[0].ID != cur.ID || list[0].Content != nil {
			t.Errorf("jaipur officer's archive: %+v, %v", list, err)
		}
		if _, err := ar.Generate(ctx, e.actor("board"), "generate", app.GenerateRequest{District: "jaipur", Month: "Oct", Lang: "fr"}); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("bad request: %v", err)
		}
	})
}

// TestStateMonthly: one row per district, division subtotals that add up, a PDF and an
// XLSX.
func TestStateMonthly(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		rptFixture(t, e)
		ctx := context.Background()
		svc := &app.Reports{DB: e.db, Authz: e.authz}
		if _, err := svc.StateMonthly(ctx, e.actor("dic.jaipur"), october); !errors.Is(err, app.ErrForbidden) {
			t.Errorf("dic officer: %v", err)
		}
		r, err := svc.StateMonthly(ctx, e.actor("auditor"), october)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 41 {
			t.Fatalf("%d rows, want 41", len(r.Rows))
		}
		// Jaipur is the only district with sales last October, so it ranks first on growth.
		j := r.Rows[0]
		if j.District.Key != "jaipur" || j.RankGrowth != 1 || j.Approved != 3 || j.NewApprovals != 2 || j.Pending != 3 ||
			j.Applications != 1 || j.Sanctioned != 2500000 || j.Disbursed != 1250000 || j.Sales != 1550000 ||
			j.SalesLY != 800000 || j.SalesFYTD != 2950000 || j.SalesGrowth == nil {
			t.Errorf("first row = %+v", j)
		}
		if r.Total.Approved != 4 || r.Total.Sales != 1550000 {
			t.Errorf("total = %+v", r.Total)
		}
		var sum app.StateRow
		for _, d := range r.Divisions {
			sum.Approved += d.Approved
			sum.Sales += d.Sales
		}
		if len(r.Divisions) != 7 || sum.Approved != r.Total.Approved || sum.Sales != r.Total.Sales {
			t.Errorf("%d divisions summing to %+v", len(r.Divisions), sum)
		}
		pdf, err := reports.StateMonthly(r, "en")
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		if !hasRow(text, "1 1 Jaipur Jaipur 3 2 3 1 ₹25,000 ₹12,500 ₹15,500 ₹8,000 +93.8% ₹29,500 0.0%") {
			t.Errorf("state PDF lacks Jaipur's row:\n%s", text)
		}
		if !hasRow(text, "Total 4 3 3 1 ₹25,000 ₹12,500 ₹15,500 ₹8,000 +93.8% ₹29,500") {
			t.Errorf("state PDF lacks the total:\n%s", text)
		}
		hi, err := reports.StateMonthly(r, "hi")
		if err != nil {
			t.Fatal(err)
		}
		if htext := pdfText(t, hi); !strings.Contains(htext, "जिलों की प्रगति का राज्य सारांश") || !strings.Contains(htext, "जोधपुर") {
			t.Error("Hindi state summary lacks its title or a district")
		}
	})
}
