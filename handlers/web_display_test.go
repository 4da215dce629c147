package handlers_test

// How the pages show months, the system as an author, artisans' Hindi names, sectors and
// the age of the oldest inbox item: in the reader's language, never raw.

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// displayWant fetches path as user in each language and wants the English or Hindi text.
func displayWant(t *testing.T, e *env, user, path string, want map[string]string) {
	t.Helper()
	for lang, text := range want {
		if body := getPage(t, e, user, path, lang); !strings.Contains(body, text) {
			t.Errorf("%s %s %s: want %q", user, lang, path, text)
		}
	}
}

func TestDisplayMonthNames(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e) // a Jaipur sale in October 2026
		displayWant(t, e, "admin", "/sales?group=month", map[string]string{"en": "October 2026", "hi": "अक्टूबर 2026"})
		displayWant(t, e, "admin", "/months?month=2026-10", map[string]string{"en": "Districts for October 2026", "hi": "अक्टूबर 2026 के ज़िले"})
		displayWant(t, e, "dic.jaipur", "/reports?month=2026-10", map[string]string{"en": "spreadsheets, October 2026", "hi": "स्प्रेडशीट के रूप में, अक्टूबर 2026"})
	})
}

func TestDisplaySystemAuthor(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		archive := &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: reports.Renderer{}}
		r, err := archive.Generate(context.Background(), app.System, "generate",
			app.GenerateRequest{Kind: app.ReportDistrict, District: "jaipur", Month: "2026-10", Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		system := map[string]string{"en": "System (scheduled)", "hi": "सिस्टम (स्वचालित)"}
		displayWant(t, e, "dic.jaipur", "/reports", system)
		displayWant(t, e, "auditor", "/audit", system)
		for lang, text := range system {
			resp, body := e.page("GET", "/verify/"+r.Code, "", nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 200 || !strings.Contains(body, text) || strings.Contains(body, ">system<") {
				t.Errorf("verify %s: %d, want %q", lang, resp.StatusCode, text)
			}
		}
	})
}

func TestDisplayEnrolmentHindiName(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx, now := context.Background(), app.Now()
		var artisan int64
		if err := e.db.NewRaw("INSERT INTO artisans (name, name_key, name_hi, gender, date_of_birth, social_category, "+
			"district, primary_craft, status, status_changed_at, created_at, updated_at) VALUES ('Kishan Lal', 'kishan lal', "+
			"'किशन लाल', 'male', '1980-01-01', 'general', 'jaipur', 'blue-pottery', 'approved', ?, ?, ?) RETURNING id",
			now, now, now).Scan(ctx, &artisan); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.NewRaw("INSERT INTO enrolments (artisan_id, scheme, district, status, applied_at, status_changed_at) "+
			"VALUES (?, 'mlupy', 'jaipur', 'applied', ?, ?)", artisan, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		displayWant(t, e, "dic.jaipur", "/enrolments", map[string]string{"en": "Kishan Lal", "hi": "किशन लाल"})
		if body := getPage(t, e, "dic.jaipur", "/enrolments", "hi"); strings.Contains(body, "Kishan Lal") {
			t.Error("the Hindi enrolment list shows the English name")
		}
	})
}

func TestDisplaySchemeSectors(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// The seed lists mlupy's sectors as "handicraft;handloom;khadi".
		displayWant(t, e, "admin", "/schemes/mlupy", map[string]string{"en": "Handicraft, Handloom, Khadi",
			"hi": "हस्तशिल्प, हथकरघा, खादी"})
	})
}

func TestDisplayDashboardOldestWaiting(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		homeArtisan(t, e, "000001", "jaipur", "submitted")
		displayWant(t, e, "dic.jaipur", "/", map[string]string{"en": "Oldest arrived today", "hi": "सबसे पुराना आज आया"})
		for _, c := range []struct {
			days   int
			en, hi string
		}{{1, "Oldest waiting 1 day", "सबसे पुराना 1 दिन से लंबित"}, {2, "Oldest waiting 2 days", "सबसे पुराना 2 दिन से लंबित"}} {
			since := app.Now().Add(-time.Duration(c.days)*24*time.Hour - time.Hour)
			if _, err := e.db.NewRaw("UPDATE artisans SET status_changed_at = ?", since).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			displayWant(t, e, "dic.jaipur", "/", map[string]string{"en": c.en, "hi": c.hi})
		}
	})
}
