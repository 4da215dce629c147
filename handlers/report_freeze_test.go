package handlers_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// freezeCatalogueChange adds a Jaipur artisan's product listed on Amazon 40% over its
// store price: catalogue data, which keeps no history.
func freezeCatalogueChange(e *env) {
	e.t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 6, 30, 0, 0, time.UTC)
	var artisan, product int64
	if err := e.db.NewRaw("INSERT INTO artisans (name, name_key, name_hi, gender, date_of_birth, social_category, district, "+
		"primary_craft, status, status_changed_at, created_at, updated_at) VALUES ('Frozen Potter', 'frozen potter', '', 'female', "+
		"'1980-01-01', 'general', 'jaipur', 'blue-pottery', 'approved', ?, ?, ?) RETURNING id", at, at, at).Scan(ctx, &artisan); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.NewRaw("INSERT INTO products (artisan_id, district, title_en, craft, store_price_paise, created_at, updated_at) "+
		"VALUES (?, 'jaipur', 'Frozen test jug', 'blue-pottery', 100000, ?, ?) RETURNING id", artisan, at, at).Scan(ctx, &product); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.NewRaw("INSERT INTO listings (product_id, platform, listed_price_paise, status, created_at, updated_at) "+
		"VALUES (?, 'amazon', 140000, 'live', ?, ?)", product, at, at).Exec(ctx); err != nil {
		e.t.Fatal(err)
	}
	// Written directly, as the generator writes: the readiness facts are rebuilt as it does.
	if err := app.RebuildReadinessFacts(ctx, e.db); err != nil {
		e.t.Fatal(err)
	}
}

// TestClosedMonthReportServedFrozen: once Jaipur's October is closed through the API, the
// API download, a generation (API and reports page) and the archive all give the report
// frozen at the close, whatever the catalogue does since; after a reopen the next
// report is new and the verify page calls the frozen one superseded.
func TestClosedMonthReportServedFrozen(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		e.call("POST", "/api/v1/months/jaipur/2026-10/close", e.token("dic.jaipur"), nil, 200)
		list := e.call("GET", "/api/v1/reports?month=2026-10&district=jaipur", e.token("board"), nil, 200)
		if items, _ := list["items"].([]any); len(items) != 2 {
			t.Fatalf("archived at close: %v", list)
		}
		path := "/api/v1/reports/districts/jaipur/monthly?month=2026-10"
		frozen := rptGet(t, e, "dic.jaipur", path, "application/pdf", "jaipur-2026-10.pdf")

		freezeCatalogueChange(e)
		if again := rptGet(t, e, "board", path, "application/pdf", "jaipur-2026-10.pdf"); !bytes.Equal(frozen, again) {
			t.Error("a closed month's report changed with the catalogue")
		}
		made := e.call("POST", "/api/v1/reports", e.token("board"), map[string]any{"district": "jaipur", "month": "2026-10"}, 200)
		code, _ := made["code"].(string)
		if made["unchanged"] != true || len(code) != 12 {
			t.Errorf("generation of a closed month: %v", made)
		}
		form := url.Values{"district": {"jaipur"}, "month": {"2026-10"}, "lang": {"hi"}}
		if resp, _ := e.page("POST", "/reports", "dic.jaipur", form, true); resp.StatusCode != 303 {
			t.Errorf("reports page generation: %d", resp.StatusCode)
		}
		if items, _ := e.call("GET", "/api/v1/reports?month=2026-10", e.token("board"), nil, 200)["items"].([]any); len(items) != 2 {
			t.Errorf("%d reports archived, want the 2 frozen", len(items))
		}

		e.call("POST", "/api/v1/months/jaipur/2026-10/reopen", e.token("admin"), map[string]any{"reason": "Late bills"}, 200)
		if next := rptGet(t, e, "board", path, "application/pdf", "jaipur-2026-10.pdf"); bytes.Equal(frozen, next) {
			t.Error("a reopened month still served the frozen report")
		}
		resp, page := e.page("GET", "/verify/"+code, "", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(page, "was superseded on") {
			t.Errorf("verify page of the frozen report: %d\n%s", resp.StatusCode, page)
		}
	})
}
