package app_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// ecomMove is one move of an artisan on a platform; the record ends at the last move.
type ecomMove struct {
	artisan, platform, at, to, reason string
}

// ecomFixture adds Jaipur's onboarding history and catalogue to rptFixture's data, straight
// into the tables. At October's end: Meera first sale on Amazon (listed 3 October, sold 20
// October) and blocked on Flipkart for want of a GSTIN; Ramesh active on Amazon since
// 10 October; Sunita in training on GeM since 25 October, then on to documents on
// 10 November (after the month). Meera has three live Amazon listings at store price;
// Ramesh one live Flipkart listing 50% over his store price: the one flagged.
func ecomFixture(t *testing.T, e *artEnv, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	moves := []ecomMove{
		{"Meera Devi", "amazon", "2026-09-10T06:00:00Z", "documents", ""},
		{"Meera Devi", "amazon", "2026-10-03T06:00:00Z", "listed", ""},
		{"Meera Devi", "amazon", "2026-10-20T06:00:00Z", "first_sale", ""},
		{"Meera Devi", "flipkart", "2026-10-05T06:00:00Z", "documents", ""},
		{"Meera Devi", "flipkart", "2026-10-15T06:00:00Z", "blocked", "no_gstin"},
		{"Ramesh Chhipa", "amazon", "2026-08-01T06:00:00Z", "listed", ""},
		{"Ramesh Chhipa", "amazon", "2026-09-01T06:00:00Z", "first_sale", ""},
		{"Ramesh Chhipa", "amazon", "2026-10-10T06:00:00Z", "active", ""},
		{"Sunita Kumari", "gem", "2026-10-25T06:00:00Z", "training", ""},
		{"Sunita Kumari", "gem", "2026-11-10T06:00:00Z", "documents", ""},
	}
	records := map[string]int64{}
	from := map[string]string{}
	for _, m := range moves {
		key := m.artisan + "/" + m.platform
		at := rptTime(m.at)
		if records[key] == 0 {
			var id int64
			if err := e.db.NewRaw("INSERT INTO onboardings (artisan_id, platform, stage, reason, stage_since, created_at, updated_at) "+
				"VALUES (?, ?, 'not_started', '', ?, ?, ?) RETURNING id", ids[m.artisan], m.platform, at, at, at).Scan(ctx, &id); err != nil {
				t.Fatal(err)
			}
			records[key], from[key] = id, "not_started"
		}
		rptExec(t, e, "UPDATE onboardings SET stage = ?, reason = ?, stage_since = ?, updated_at = ? WHERE id = ?",
			m.to, m.reason, at, at, records[key])
		rptExec(t, e, "INSERT INTO onboarding_events (onboarding_id, at, actor_name, from_stage, to_stage, reason) VALUES (?, ?, 'fixture', ?, ?, ?)",
			records[key], at, from[key], m.to, m.reason)
		from[key] = m.to
	}

	catalogued := rptTime("2026-10-12T06:30:00Z") // 12-10-2026 12:00 IST
	product := func(artisan, title, craft string, price int64) int64 {
		var id int64
		if err := e.db.NewRaw("INSERT INTO products (artisan_id, title_en, craft, store_price_paise, created_at, updated_at) "+
			"VALUES (?, ?, ?, ?, ?, ?) RETURNING id", ids[artisan], title, craft, price, catalogued, catalogued).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	listing := func(productID int64, platform string, price int64) {
		rptExec(t, e, "INSERT INTO listings (product_id, platform, listed_price_paise, status, created_at, updated_at) "+
			"VALUES (?, ?, ?, 'live', ?, ?)", productID, platform, price, catalogued, catalogued)
	}
	for i := 1; i <= 3; i++ {
		listing(product("Meera Devi", fmt.Sprintf("Blue vase %d", i), "blue-pottery", 80000), "amazon", 80000)
	}
	listing(product("Ramesh Chhipa", "Block print dupatta", "sanganeri-block-print", 100000), "flipkart", 150000)
	rptCatalogue(t, e)
}

// TestDistrictReportEcommerce: the e-commerce figures of the report, as the PDF prints
// them, are the month's end replayed from the onboarding history, and equal what the
// onboarding and catalogue services show for the same district and month.
func TestDistrictReportEcommerce(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ecomFixture(t, e, ids)
		ctx := context.Background()
		r, err := app.BuildDistrictMonthly(ctx, e.db, "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		ec := r.Ecommerce
		if ec.Approved != 3 || ec.Listed != 2 || ec.Progress != 66.7 {
			t.Errorf("progress %d of %d = %v", ec.Listed, ec.Approved, ec.Progress)
		}
		// The same month from the onboarding service, platform by platform.
		onb := &app.Onboarding{DB: e.db, Authz: e.authz}
		for _, p := range ec.Platforms {
			f, err := onb.Funnel(ctx, e.actor("dic.jaipur"), app.FunnelFilter{District: "jaipur", Platform: p.Platform.Key, Month: "2026-10"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Moves != f.Moves || p.Conversion != f.Conversion {
				t.Errorf("%s: report %d %+v, funnel %d %+v", p.Platform.Key, p.Moves, p.Conversion, f.Moves, f.Conversion)
			}
		}
		readiness, err := (&app.Readiness{DB: e.db, Authz: e.authz}).DistrictTable(ctx, e.actor("dic.jaipur"), "jaipur")
		if err != nil || fmt.Sprint(readiness) != fmt.Sprint(ec.Readiness) {
			t.Errorf("readiness %+v, service %+v %v", ec.Readiness, readiness, err)
		}
		flags, err := (&app.Listings{DB: e.db, Authz: e.authz}).PriceFlags(ctx, e.actor("dic.jaipur"), "jaipur")
		if err != nil || len(flags) != 1 || ec.FlaggedTotal != 1 || len(ec.Flagged) != 1 || ec.Flagged[0].ListingID != flags[0].ID {
			t.Errorf("flags %+v, service %+v %v", ec.Flagged, flags, err)
		}

		ar := rptArchive(e)
		gen := func(lang string) []byte {
			a, err := ar.Generate(ctx, e.actor("dic.jaipur"), "generate", app.GenerateRequest{District: "jaipur", Month: "2026-10", Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			return a.Content
		}
		en := gen("en")
		rd := reports.Renderer{BaseURL: "https://shilpkosh.example"}
		code, _ := app.ReportCode(rd.Layout(), app.ReportDistrict, "en", r)
		if again, _ := rd.DistrictPDF(r, "en", code); !bytes.Equal(en, again) {
			t.Error("two generations of the report differ")
		}
		text := pdfText(t, en)
		for _, row := range []string{
			"Approved artisans listed on at least one platform at month end: 2 of 3 (66.7%).",
			// Stages at October's end: Amazon, Flipkart, GeM, India Handmade, ONDC, Walmart Vriddhi, total.
			"Not started 1 2 2 3 3 3 14", "Documents 0 0 0 0 0 0 0", "Training 0 0 1 0 0 0 1", "Listed 0 0 0 0 0 0 0",
			"First sale 1 0 0 0 0 0 1", "Active 1 0 0 0 0 0 1", "Blocked 0 1 0 0 0 0 1",
			// Moves in October, ever listed, first sale, active and the rates.
			"Amazon.in 3 2 2 1 100.0% 50.0% 50.0%", "Flipkart 2 0 0 0 0.0% 0.0% 0.0%", "Government e-Marketplace 1 0 0 0",
			"Total 6 2 2 1 100.0% 50.0% 50.0%",
			"No GSTIN or GST enrolment ID 0 1 0 0 0 0 1",
			"Readiness, price flags and live listings are the catalogue as of 12-10-2026 12:00 IST",
			"Amazon.in 0 0 4", "Walmart Vriddhi 0 1 3",
			"Flipkart 1", "Total 1",
			"Flipkart Ramesh Chhipa Block print dupatta ₹1,000 ₹1,500 +50.0%",
			"Sanganeri hand block print ₹12,500 ₹22,500 1", "Blue pottery ₹3,000 ₹7,000 3",
		} {
			if !hasRow(text, row) {
				t.Errorf("English report lacks the line %q", row)
			}
		}
		if !strings.Contains(text, "Onboarding funnel at month end, all platforms") {
			t.Error("no funnel chart heading")
		}
		if t.Failed() {
			t.Logf("text:\n%s", text)
		}
		hi := gen("hi")
		htext := pdfText(t, hi)
		for _, s := range []string{"4. ई-कॉमर्स ऑनबोर्डिंग", "माह के अंत में ऑनबोर्डिंग फ़नल", "स्वीकृत कारीगरों की तैयारी",
			"मूल्य बेमेल लिस्टिंग", "आगे कहां सूचीबद्ध करें", "जीएसटीआईएन"} {
			if !strings.Contains(htext, s) {
				t.Errorf("Hindi report lacks %q", s)
			}
		}
		if !hasRow(htext, "शुरू नहीं 1 2 2 3 3 3 14") || !hasRow(htext, "कुल 6 2 2 1 100.0% 50.0% 50.0%") {
			t.Errorf("Hindi funnel rows missing:\n%s", htext)
		}

		// November: the report's stages are the onboarding board's, as nothing moved since.
		nov, err := app.BuildDistrictMonthly(ctx, e.db, "jaipur", october.Next())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range nov.Ecommerce.Platforms {
			f, err := onb.Funnel(ctx, e.actor("dic.jaipur"), app.FunnelFilter{District: "jaipur", Platform: p.Platform.Key, Month: "2026-11"})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range f.Stages {
				if p.StageCount(s.Stage) != s.Count {
					t.Errorf("november %s %s: report %d, board %d", p.Platform.Key, s.Stage, p.StageCount(s.Stage), s.Count)
				}
			}
			if p.Moves != f.Moves || fmt.Sprint(p.Blocked) != fmt.Sprint(f.Blocked) {
				t.Errorf("november %s: moves %d/%d blocked %v/%v", p.Platform.Key, p.Moves, f.Moves, p.Blocked, f.Blocked)
			}
		}
		if nov.Ecommerce.Total.Moves != 1 || nov.Ecommerce.Approved != 4 {
			t.Errorf("november total %+v", nov.Ecommerce.Total)
		}
	})
}

// TestStateReportRanksOnboarding: a district with artisans listed online ranks above one
// without, though the other's sales grew more, and the note that onboarding is not reported
// is gone.
func TestStateReportRanksOnboarding(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ecomFixture(t, e, ids)
		rptExec(t, e, "INSERT INTO stores (name, type, agency, district, created_at, updated_at) VALUES ('Rajasthali Jodhpur', "+
			"'rajasthali', 'rhdc', 'jodhpur', ?, ?)", rptTime("2025-01-01T00:00:00Z"), rptTime("2025-01-01T00:00:00Z"))
		for i, s := range []struct {
			date  string
			paise int64
		}{{"2025-10-09", 100000}, {"2026-10-09", 900000}} {
			rptSale(t, e, "INSERT INTO sales (store_id, district, sale_date, month, artisan_id, craft, product, quantity, amount_paise, "+
				"payment_mode, invoice_no, created_at) SELECT id, 'jodhpur', ?, ?, ?, 'blue-pottery', 'Item', 1, ?, 'upi', ?, ? "+
				"FROM stores WHERE district = 'jodhpur'", s.date, s.date[:7], ids["Jodhpur Weaver"], s.paise, fmt.Sprint("JDH-", i),
				rptTime(s.date+"T12:00:00Z"))
		}
		r, err := app.BuildStateMonthly(context.Background(), e.db, october)
		if err != nil {
			t.Fatal(err)
		}
		j, d := r.Rows[0], r.Rows[1]
		if j.District.Key != "jaipur" || j.Listed != 2 || j.Onboarding != 66.7 || j.RankOnboarding != 1 || j.RankGrowth != 2 {
			t.Errorf("first row %+v", j)
		}
		if d.District.Key != "jodhpur" || d.Onboarding != 0 || d.RankOnboarding != 2 || d.RankGrowth != 1 {
			t.Errorf("second row %+v", d)
		}
		if r.Total.Listed != 2 || r.Total.Onboarding != 50 {
			t.Errorf("total %+v", r.Total)
		}
		dr, err := app.BuildDistrictMonthly(context.Background(), e.db, "jaipur", october)
		if err != nil || dr.Ecommerce.Progress != j.Onboarding {
			t.Errorf("district report progress %v, state %v (%v)", dr.Ecommerce.Progress, j.Onboarding, err)
		}
		pdf, err := reports.StateMonthly(r, "en")
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		if !hasRow(text, "1 2 Jaipur Jaipur 3 2 3 1 ₹25,000 ₹12,500 ₹15,500 ₹8,000 +93.8% ₹29,500 66.7%") ||
			!hasRow(text, "2 1 Jodhpur Jodhpur 1 1 0 0 ₹0 ₹0 ₹9,000 ₹1,000 +800.0% ₹9,000 0.0%") {
			t.Errorf("state PDF rows:\n%s", text)
		}
		if strings.Contains(text, "not yet reported") {
			t.Error("the state summary still says onboarding is not reported")
		}
	})
}
