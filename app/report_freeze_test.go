package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"

	"shilpkosh/app"
	"shilpkosh/reports"
)

func freezeMonths(e *artEnv, r app.ReportRenderer) *app.MonthCloses {
	return &app.MonthCloses{DB: e.db, Authz: e.authz, Renderer: r}
}

// freezeCatalogueChange adds, after the close, what the catalogue keeps no history of:
// a product of Meera's and a live listing of it 40% over its store price (flagged).
func freezeCatalogueChange(t *testing.T, e *artEnv, ids map[string]int64) {
	t.Helper()
	var product int64
	at := rptTime("2026-11-20T06:30:00Z")
	if err := e.db.NewRaw("INSERT INTO products (artisan_id, title_en, craft, store_price_paise, created_at, updated_at) "+
		"VALUES (?, 'Frozen test jug', 'blue-pottery', 100000, ?, ?) RETURNING id", ids["Meera Devi"], at, at).
		Scan(context.Background(), &product); err != nil {
		t.Fatal(err)
	}
	rptExec(t, e, "INSERT INTO listings (product_id, platform, listed_price_paise, status, created_at, updated_at) "+
		"VALUES (?, 'amazon', 140000, 'live', ?, ?)", product, at, at)
	rptCatalogue(t, e)
}

// TestClosedMonthReportIsFrozen: closing October draws and archives Jaipur's report in
// English and Hindi; a catalogue change after the close (a product added, a listing
// flagged) leaves every later request with the same bytes; reopening unfreezes: the next
// report shows the change and supersedes the frozen one, whose code then verifies as
// superseded.
func TestClosedMonthReportIsFrozen(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ecomFixture(t, e, ids)
		ctx := context.Background()
		months := freezeMonths(e, reports.Renderer{BaseURL: "https://shilpkosh.example"})
		mc, err := months.Close(ctx, e.actor("dic.jaipur"), "jaipur", "2026-10")
		if err != nil {
			t.Fatal(err)
		}
		frozen, err := rptArchive(e).List(ctx, e.actor("admin"), app.ArchiveFilter{District: "jaipur", Month: "2026-10", Current: true})
		if err != nil || len(frozen) != 2 {
			t.Fatalf("archived at close: %+v, %v", frozen, err)
		}
		for _, a := range frozen {
			if a.GeneratedByName != "Name of dic.jaipur" || a.GeneratedAt.Before(mc.ClosedAt) {
				t.Errorf("frozen %s report = %+v", a.Lang, a)
			}
		}

		// Drawn in the close's transaction, the report is the one the closed month gives.
		after, err := app.BuildDistrictMonthly(ctx, e.db, "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		rd := reports.Renderer{BaseURL: "https://shilpkosh.example"}
		code, _ := app.ReportCode(rd.Layout(), app.ReportDistrict, frozen[0].Lang, after)
		if pdf, err := rd.DistrictPDF(after, frozen[0].Lang, code); err != nil || code != frozen[0].Code ||
			fmt.Sprintf("%x", sha256.Sum256(pdf)) != frozen[0].SHA256 {
			t.Errorf("frozen report differs from the closed month's: code %s, want %s; %v", frozen[0].Code, code, err)
		}

		freezeCatalogueChange(t, e, ids)
		if r, err := app.BuildDistrictMonthly(ctx, e.db, "jaipur", october); err != nil || r.Ecommerce.FlaggedTotal != 2 {
			t.Fatalf("the catalogue change is not in a fresh build: %v", err)
		}
		ar := rptArchive(e)
		q := app.GenerateRequest{District: "jaipur", Month: "2026-10", Lang: "en"}
		first, err := ar.Generate(ctx, e.actor("board"), "read", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "hi"} {
			q.Lang = lang
			for _, who := range []string{"dic.jaipur", "board"} {
				a, err := ar.Generate(ctx, e.actor(who), "generate", q)
				if err != nil {
					t.Fatal(err)
				}
				want := frozen[0]
				if want.Lang != lang {
					want = frozen[1]
				}
				if a.ID != want.ID || !a.Unchanged || a.SHA256 != want.SHA256 || len(a.Content) != int(want.SizeBytes) {
					t.Errorf("%s by %s: got report %d, want the frozen %d", lang, who, a.ID, want.ID)
				}
			}
		}
		text := pdfText(t, first.Content)
		if !strings.Contains(text, "(month closed)") || strings.Contains(text, "Frozen test jug") {
			t.Errorf("frozen report:\n%s", text)
		}
		if n, _ := e.db.NewSelect().Model((*app.ArchivedReport)(nil)).Where("month = '2026-10'").Count(ctx); n != 2 {
			t.Errorf("%d reports archived, want the 2 frozen", n)
		}

		if _, err := months.Reopen(ctx, e.actor("admin"), "jaipur", "2026-10", "late correction"); err != nil {
			t.Fatal(err)
		}
		q.Lang = "en"
		next, err := ar.Generate(ctx, e.actor("board"), "read", q)
		if err != nil {
			t.Fatal(err)
		}
		if next.ID == first.ID || next.Unchanged || bytes.Equal(next.Content, first.Content) {
			t.Fatalf("reopened month served the frozen report")
		}
		if text := pdfText(t, next.Content); !strings.Contains(text, "Frozen test jug") || strings.Contains(text, "(month closed)") {
			t.Errorf("report after reopening lacks the change:\n%s", text)
		}
		v, err := ar.Verify(ctx, first.Code)
		if err != nil || v.Report.SupersededAt == nil || v.Current == nil || v.Current.ID != next.ID {
			t.Errorf("verify frozen code after reopening: %+v %v", v, err)
		}
	})
}

// TestClosingTheLastDistrictFreezesTheStateSummary: the close that completes October in
// every district archives the state summary, which is then served unchanged; a reopen
// unfreezes it.
func TestClosingTheLastDistrictFreezesTheStateSummary(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ecomFixture(t, e, rptFixture(t, e))
		ctx := context.Background()
		rptExec(t, e, "INSERT INTO month_closes (district, month, closed_at) SELECT slug, '2026-10', ? FROM districts WHERE slug <> 'jaipur'",
			rptTime("2026-11-02T09:30:00Z"))
		months := freezeMonths(e, fakeRenderer{})
		if _, err := months.Close(ctx, e.actor("admin"), "jaipur", "2026-10"); err != nil {
			t.Fatal(err)
		}
		state, err := rptArchive(e).List(ctx, e.actor("admin"), app.ArchiveFilter{Kind: app.ReportState, Month: "2026-10"})
		if err != nil || len(state) != 2 {
			t.Fatalf("state summaries archived at the last close: %+v, %v", state, err)
		}
		ar := &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: fakeRenderer{}}
		q := app.GenerateRequest{Kind: app.ReportState, Month: "2026-10", Lang: "hi"}
		// A platform switched off after the close would change the summary's onboarding.
		rptExec(t, e, "UPDATE platforms SET active = ? WHERE slug = 'amazon'", false)
		if r, err := app.BuildStateMonthly(ctx, e.db, october); err != nil || r.Total.Listed != 0 {
			t.Fatalf("switching Amazon off does not show in a fresh build: %v", err)
		}
		a, err := ar.Generate(ctx, e.actor("board"), "read", q)
		if err != nil || !a.Unchanged || (a.ID != state[0].ID && a.ID != state[1].ID) {
			t.Fatalf("state summary of a closed month: %+v, %v", a, err)
		}
		if _, err := months.Reopen(ctx, e.actor("admin"), "jodhpur", "2026-10", "late sales"); err != nil {
			t.Fatal(err)
		}
		b, err := ar.Generate(ctx, e.actor("board"), "read", q)
		if err != nil || b.ID == a.ID || b.Unchanged {
			t.Errorf("state summary after a reopen: %+v, %v", b, err)
		}
	})
}

type failingRenderer struct{ fakeRenderer }

func (failingRenderer) DistrictPDF(*app.DistrictReport, string, string) ([]byte, error) {
	return nil, errors.New("renderer out of fonts")
}

// TestCloseFailsWithoutItsFrozenReport: when the report cannot be drawn, or there is no
// renderer, the close fails and leaves nothing behind: no close, no report, no audit.
func TestCloseFailsWithoutItsFrozenReport(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		for _, months := range []*app.MonthCloses{freezeMonths(e, failingRenderer{}), freezeMonths(e, nil)} {
			if _, err := months.Close(ctx, e.actor("dic.jaipur"), "jaipur", "2026-10"); err == nil {
				t.Error("closed without a frozen report")
			}
		}
		for _, table := range []string{"month_closes", "report_archive", "audit_log"} {
			var n int
			if err := e.db.NewRaw("SELECT COUNT(*) FROM "+table).Scan(ctx, &n); err != nil || n != 0 {
				t.Errorf("%s: %d rows, %v", table, n, err)
			}
		}
	})
}
