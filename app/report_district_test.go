package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/reports"
)

func rptTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// rptFixture writes Jaipur's figures for October 2026 straight into the tables, with
// backdated timestamps, and returns the artisan ids by name.
func rptFixture(t testing.TB, e *artEnv) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ids := map[string]int64{}
	artisans := []struct{ name, hi, district, craft, gender, category, status, at, regNo string }{
		{"Meera Devi", "मीरा देवी", "jaipur", "blue-pottery", "female", "obc", "approved", "2026-08-15T10:00:00Z", "RJ-JPR-2026-000001"},
		{"Ramesh Chhipa", "रमेश छीपा", "jaipur", "sanganeri-block-print", "male", "sc", "approved", "2026-10-10T10:00:00Z", "RJ-JPR-2026-000002"},
		{"Sunita Kumari", "सुनीता कुमारी", "jaipur", "blue-pottery", "female", "general", "approved", "2026-10-20T10:00:00Z", "RJ-JPR-2026-000003"},
		{"Later Approved", "", "jaipur", "blue-pottery", "male", "general", "approved", "2026-11-05T10:00:00Z", "RJ-JPR-2026-000004"},
		{"Pending Fresh", "", "jaipur", "blue-pottery", "female", "st", "submitted", "2026-10-28T10:00:00Z", ""},
		{"Pending Middle", "", "jaipur", "blue-pottery", "female", "st", "submitted", "2026-10-10T10:00:00Z", ""},
		{"Pending Old", "", "jaipur", "blue-pottery", "male", "st", "submitted", "2026-09-01T10:00:00Z", ""},
		{"Jodhpur Weaver", "", "jodhpur", "blue-pottery", "male", "general", "approved", "2026-10-05T10:00:00Z", "RJ-JDH-2026-000001"},
	}
	for _, a := range artisans {
		at := rptTime(a.at)
		var regNo any
		if a.regNo != "" {
			regNo = a.regNo
		}
		var id int64
		if err := e.db.NewRaw("INSERT INTO artisans (registration_no, name, name_key, name_hi, gender, date_of_birth, "+
			"social_category, district, primary_craft, status, status_changed_at, created_at, updated_at) "+
			"VALUES (?, ?, ?, ?, ?, '1980-01-01', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			regNo, a.name, strings.ToLower(a.name), a.hi, a.gender, a.category, a.district, a.craft, a.status,
			at, at.AddDate(0, 0, -3), at).Scan(ctx, &id); err != nil {
			t.Fatalf("insert %s: %v", a.name, err)
		}
		ids[a.name] = id
		// The history the report replays: submitted three days before an approval, or
		// at the time given for a pending record.
		if a.status == "approved" {
			rptEvent(t, e, id, "", "submitted", at.AddDate(0, 0, -3))
			rptEvent(t, e, id, "submitted", "approved", at)
		} else {
			rptEvent(t, e, id, "", a.status, at)
		}
	}

	// Two enrolments: Ramesh's MLUPY applied, sanctioned ₹25,000 and paid ₹12,500 in
	// October; Meera's PM Vishwakarma applied in May.
	enrol := func(artisan int64, scheme, status, applied string, sanctioned, disbursed int64) int64 {
		var id int64
		if err := e.db.NewRaw("INSERT INTO enrolments (artisan_id, scheme, district, status, applied_at, status_changed_at, "+
			"sanctioned_paise, disbursed_paise) VALUES (?, ?, 'jaipur', ?, ?, ?, ?, ?) RETURNING id",
			artisan, scheme, status, rptTime(applied), rptTime(applied), sanctioned, disbursed).Scan(ctx, &id); err != nil {
			t.Fatalf("enrol: %v", err)
		}
		return id
	}
	en := enrol(ids["Ramesh Chhipa"], "mlupy", "sanctioned", "2026-10-02T09:00:00Z", 2500000, 1250000)
	enrol(ids["Meera Devi"], "pm-vishwakarma", "applied", "2026-05-10T09:00:00Z", 0, 0)
	exec("INSERT INTO enrolment_events (enrolment_id, at, actor_name, from_status, to_status, action, amount_paise) "+
		"VALUES (?, ?, 'DIC', 'verified', 'sanctioned', 'sanction', 2500000)", en, rptTime("2026-10-12T11:00:00Z"))
	exec("INSERT INTO enrolment_disbursements (enrolment_id, amount_paise, paid_on, reference, at) "+
		"VALUES (?, 1250000, '2026-10-25', 'UTR-1', ?)", en, rptTime("2026-10-25T11:00:00Z"))

	var store int64
	if err := e.db.NewRaw("INSERT INTO stores (name, type, agency, district, created_at, updated_at) "+
		"VALUES ('Rajasthali Jaipur', 'rajasthali', 'rhdc', 'jaipur', ?, ?) RETURNING id",
		rptTime("2025-01-01T00:00:00Z"), rptTime("2025-01-01T00:00:00Z")).Scan(ctx, &store); err != nil {
		t.Fatal(err)
	}
	sales := []struct {
		date    string
		artisan int64
		craft   string
		paise   int64
	}{
		{"2026-10-05", ids["Ramesh Chhipa"], "sanganeri-block-print", 1250000},
		{"2026-10-18", ids["Sunita Kumari"], "blue-pottery", 300000},
		{"2026-09-12", ids["Ramesh Chhipa"], "sanganeri-block-print", 1000000},
		{"2025-10-07", ids["Meera Devi"], "blue-pottery", 800000},
		{"2026-05-20", ids["Meera Devi"], "blue-pottery", 400000},
	}
	for i, s := range sales {
		created := rptTime(s.date+"T18:00:00Z").AddDate(0, 0, 1)
		exec("INSERT INTO sales (store_id, district, sale_date, month, artisan_id, craft, product, quantity, amount_paise, "+
			"payment_mode, invoice_no, created_at) VALUES (?, 'jaipur', ?, ?, ?, ?, 'Item', 1, ?, 'upi', ?, ?)",
			store, s.date, s.date[:7], s.artisan, s.craft, s.paise, "INV-"+string(rune('A'+i)), created)
	}
	// Written straight into the table, so the roll-up is recounted as the generator's is.
	if err := app.RebuildSalesMonths(ctx, e.db); err != nil {
		t.Fatal(err)
	}
	return ids
}

// rptEvent adds a status change to an artisan's history, backdated, and recounts the
// reports' monthly roll-up as the generator does after writing straight into the tables.
func rptEvent(t testing.TB, e *artEnv, artisan int64, from, to string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.db.NewRaw("INSERT INTO artisan_events (artisan_id, at, actor_name, from_status, to_status, action) "+
		"VALUES (?, ?, 'fixture', ?, ?, ?)", artisan, at, from, to, "set-"+to).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// The record's status follows its latest status change, as the app keeps it
	// (app.ArtisanStatusSinceDrift).
	if _, err := e.db.NewRaw("UPDATE artisans SET status = ?, status_changed_at = ? WHERE id = ? AND ? <> ? AND status_changed_at <= ?",
		to, at, artisan, from, to, at).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.RebuildArtisanStatusMonths(ctx, e.db); err != nil {
		t.Fatal(err)
	}
}

var october = app.Month{Year: 2026, M: time.October}

func TestDistrictMonthlyFigures(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ids := rptFixture(t, e)
		ctx := context.Background()
		svc := &app.Reports{DB: e.db, Authz: e.authz}
		if _, err := svc.DistrictMonthly(ctx, e.actor("dic.jodhpur"), "jaipur", october); !errors.Is(err, app.ErrNotFound) {
			t.Fatalf("jodhpur officer on jaipur: %v, want not found", err)
		}
		if _, err := svc.DistrictMonthly(ctx, e.actor("board"), "atlantis", october); !errors.Is(err, app.ErrNotFound) {
			t.Fatalf("unknown district: %v, want not found", err)
		}
		r, err := svc.DistrictMonthly(ctx, e.actor("dic.jaipur"), "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		if r.District.EN != "Jaipur" || r.District.HI != "जयपुर" || r.Division.EN != "Jaipur" || r.Division.HI != "जयपुर" || r.FY.String() != "2026-27" {
			t.Errorf("header = %+v %+v %s", r.District, r.Division, r.FY)
		}
		if want := rptTime("2026-10-28T10:00:00Z"); !r.AsOf.Equal(want) || r.Closed {
			t.Errorf("as of %v closed %v, want %v open", r.AsOf, r.Closed, want)
		}
		g := r.Registry
		if g.Approved != 3 || g.NewApprovals != 2 || g.Pending != 3 || g.PendingAge != [3]int64{1, 1, 1} {
			t.Errorf("registry = %+v", g)
		}
		if len(g.ByCraft) != 2 || g.ByCraft[0].Key != "blue-pottery" || g.ByCraft[0].N != 2 || g.ByCraft[1].N != 1 {
			t.Errorf("by craft = %+v", g.ByCraft)
		}
		if len(g.BySector) != 1 || g.BySector[0].Key != "handicraft" || g.BySector[0].N != 3 {
			t.Errorf("by sector = %+v", g.BySector)
		}
		if len(g.ByGender) != 2 || g.ByGender[0].Key != "female" || g.ByGender[0].N != 2 {
			t.Errorf("by gender = %+v", g.ByGender)
		}
		if len(r.Schemes) != 2 {
			t.Fatalf("schemes = %+v", r.Schemes)
		}
		tot := r.SchemesTotal
		if tot.Month != (app.SchemeFigures{Applications: 1, Sanctioned: 1, SanctionedPaise: 2500000, Disbursed: 1, DisbursedPaise: 1250000}) ||
			tot.FYTD.Applications != 2 || tot.FYTD.DisbursedPaise != 1250000 {
			t.Errorf("schemes total = %+v", tot)
		}
		s := r.Sales
		if s.Month != 1550000 || s.Prev != 1000000 || s.LastYear != 800000 || s.FYTD != 2950000 || s.FYTDLastYear != 800000 {
			t.Errorf("sales = %+v", s)
		}
		if s.GrowthPrev == nil || *s.GrowthPrev != 55 {
			t.Errorf("growth on previous month = %v", s.GrowthPrev)
		}
		if len(s.Trend) != 13 || s.Trend[0].Paise != 800000 || s.Trend[12].Paise != 1550000 || s.Trend[11].Paise != 1000000 {
			t.Errorf("trend = %+v", s.Trend)
		}
		if len(s.ByStore) != 1 || s.ByStore[0].FYTD != 2950000 || s.ByStore[0].LastYear != 800000 {
			t.Errorf("by store = %+v", s.ByStore)
		}
		if len(s.TopArtisans) != 2 || s.TopArtisans[0].ArtisanID != ids["Ramesh Chhipa"] || s.TopArtisans[0].Paise != 1250000 ||
			s.TopArtisans[0].RegistrationNo != "RJ-JPR-2026-000002" {
			t.Errorf("top artisans = %+v", s.TopArtisans)
		}
		sum := map[string]app.Figure{}
		for _, f := range r.Summary {
			sum[f.Key] = f
		}
		if f := sum[app.FigApproved]; f.Value != 3 || f.Prev != 1 || f.LastYear != 0 {
			t.Errorf("summary approved = %+v", f)
		}
		if f := sum[app.FigSales]; f.Value != 1550000 || f.Prev != 1000000 || f.LastYear != 800000 {
			t.Errorf("summary sales = %+v", f)
		}

		// A closed month is as of its close.
		if _, err := e.db.NewRaw("INSERT INTO month_closes (district, month, closed_at) VALUES ('jaipur', '2026-10', ?)",
			rptTime("2026-11-02T09:30:00Z")).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		r2, err := svc.DistrictMonthly(ctx, e.actor("dic.jaipur"), "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		if !r2.Closed || !r2.AsOf.Equal(rptTime("2026-11-02T09:30:00Z")) {
			t.Errorf("closed month: as of %v closed %v", r2.AsOf, r2.Closed)
		}
	})
}

// needPoppler finds a poppler tool; outside CI its absence skips the test.
func needPoppler(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (install poppler-utils): %v", name, err)
		}
		t.Skipf("%s not found (apt-get install poppler-utils)", name)
	}
	return p
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := needPoppler(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var spaces = regexp.MustCompile(`[ \t]+`)

// hasRow reports whether a line of text holds the cells in order, whatever the spacing.
func hasRow(text string, cells ...string) bool {
	for _, line := range strings.Split(text, "\n") {
		line = spaces.ReplaceAllString(strings.TrimSpace(line), " ")
		if strings.Contains(line, strings.Join(cells, " ")) {
			return true
		}
	}
	return false
}

func TestDistrictMonthlyPDF(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		rptFixture(t, e)
		ctx := context.Background()
		svc := &app.Reports{DB: e.db, Authz: e.authz}
		r, err := svc.DistrictMonthly(ctx, e.actor("dic.jaipur"), "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		en, err := reports.DistrictMonthly(r, "en")
		if err != nil {
			t.Fatal(err)
		}
		// Built again from the database: the same bytes.
		r2, err := svc.DistrictMonthly(ctx, e.actor("board"), "jaipur", october)
		if err != nil {
			t.Fatal(err)
		}
		en2, _ := reports.DistrictMonthly(r2, "en")
		if !bytes.Equal(en, en2) {
			t.Error("two generations of the same report differ")
		}
		text := pdfText(t, en)
		rows := [][]string{
			// Summary box: this month, previous month, change, same month last year, change.
			{"Approved artisans at month end 3 1 +200.0% 0 —"},
			{"New approvals this month 2 0 — 0 —"},
			{"Pending verification at month end 3 1 +200.0% 0 —"},
			{"Scheme applications 1 0 — 0 —"},
			{"Amount sanctioned ₹25,000 ₹0 — ₹0 —"},
			{"Amount disbursed ₹12,500 ₹0 — ₹0 —"},
			{"Government-store sales ₹15,500 ₹10,000 +55.0% ₹8,000 +93.8%"},
			// Registry.
			{"Pending 0–7 days 1"}, {"Pending 8–30 days 1"}, {"Pending over 30 days 1"},
			{"Handicraft 3"}, {"Female 2"}, {"Male 1"}, {"OBC 1"}, {"SC 1"}, {"General 1"},
			{"Blue pottery 2"}, {"Sanganeri hand block print 1"},
			// Schemes, month then FY to date.
			{"Mukhyamantri"}, {"1 1 ₹25,000 1 ₹12,500"},
			{"PM Vishwakarma 1 0 ₹0 0 ₹0"},
			{"Total 1 1 ₹25,000 1 ₹12,500"},
			{"Total 2 1 ₹25,000 1 ₹12,500"},
			// Sales.
			{"FY to date (FY 2026-27) ₹29,500"},
			{"FY to date, last year ₹8,000"},
			{"Growth on previous month +55.0%"},
			{"Growth on same month last year +93.8%"},
			{"Growth of FY to date on last year +268.8%"},
			{"Rajasthali Jaipur ₹15,500 ₹10,000 ₹8,000 ₹29,500"},
			{"Sanganeri hand block print ₹12,500 ₹10,000 ₹0 ₹22,500"},
			{"Blue pottery ₹3,000 ₹0 ₹8,000 ₹7,000"},
			{"1 Ramesh Chhipa RJ-JPR-2026-000002 Sanganeri hand block print ₹12,500"},
			{"2 Sunita Kumari RJ-JPR-2026-000003 Blue pottery ₹3,000"},
		}
		for _, row := range rows {
			if !hasRow(text, row...) {
				t.Errorf("English report lacks the line %q", row)
			}
		}
		for _, s := range []string{"District monthly progress report", "Jaipur / जयपुर", "October 2026", "FY 2026-27",
			"Figures as of 28-10-2026 15:30 IST", "Sales, last 13 months", "Oct 25", "Oct 26", "Page 1 of"} {
			if !strings.Contains(text, s) {
				t.Errorf("English report lacks %q", s)
			}
		}
		if t.Failed() {
			t.Logf("text:\n%s", text)
		}

		hi, err := reports.DistrictMonthly(r, "hi")
		if err != nil {
			t.Fatal(err)
		}
		htext := pdfText(t, hi)
		for _, s := range []string{"जयपुर", "जिला मासिक प्रगति रिपोर्ट", "अक्टूबर 2026", "सारांश", "मुख्यमंत्री लघु उद्योग प्रोत्साहन योजना",
			"₹12,500", "₹25,000", "पृष्ठ 1 /"} {
			if !strings.Contains(htext, s) {
				t.Errorf("Hindi report lacks %q", s)
			}
		}
		if !hasRow(htext, "माह के अंत में स्वीकृत कारीगर 3 1 +200.0% 0 —") {
			t.Errorf("Hindi summary lacks the approved row:\n%s", htext)
		}
		if dst := os.Getenv("DISTRICT_REPORT_PDF"); dst != "" {
			_ = os.WriteFile(dst+"-"+e.db.Dialect().Name().String()+"-en.pdf", en, 0o644)
			_ = os.WriteFile(dst+"-"+e.db.Dialect().Name().String()+"-hi.pdf", hi, 0o644)
		}
	})
}

// BenchmarkDistrictMonthly builds one report from SQLite and renders it in Hindi:
// go test ./app/ -run '^$' -bench DistrictMonthly -benchtime 20x
func BenchmarkDistrictMonthly(b *testing.B) {
	e := newArtEnv(b, apptest.MustOpenDB(b, "sqlite"))
	rptFixture(b, e)
	ctx := context.Background()
	svc := &app.Reports{DB: e.db, Authz: e.authz}
	for b.Loop() {
		r, err := svc.DistrictMonthly(ctx, e.actor("dic.jaipur"), "jaipur", october)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := reports.DistrictMonthly(r, "hi"); err != nil {
			b.Fatal(err)
		}
	}
}
