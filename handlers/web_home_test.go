package handlers_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// homeArtisan writes an artisan straight into the table, created now.
func homeArtisan(t *testing.T, e *env, name, district, status string) {
	t.Helper()
	now := app.Now()
	var regNo any
	if status == "approved" {
		regNo = "RJ-" + strings.ToUpper(district) + "-2026-" + name
	}
	if _, err := e.db.NewRaw("INSERT INTO artisans (registration_no, name, name_key, name_hi, gender, date_of_birth, "+
		"social_category, district, primary_craft, status, status_changed_at, created_at, updated_at) "+
		"VALUES (?, ?, ?, '', 'female', '1980-01-01', 'general', ?, 'blue-pottery', ?, ?, ?, ?)",
		regNo, name, strings.ToLower(name), district, status, now, now, now).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// figureRE reads a dashboard figure: the number shown in a link to its list.
func figure(body, href string) string {
	re := regexp.MustCompile(`<a class="figure-link" href="` + regexp.QuoteMeta(href) + `"><span class="figure-value">([^<]*)</span>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func TestHomeDashboardByScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		homeArtisan(t, e, "000001", "jaipur", "approved")
		homeArtisan(t, e, "000002", "jaipur", "approved")
		homeArtisan(t, e, "000003", "jaipur", "submitted")
		homeArtisan(t, e, "000004", "jodhpur", "approved")
		month := app.MonthOf(app.Now().In(time.FixedZone("IST", 5*3600+1800))).String()
		ctx := context.Background()
		var store int64
		if err := e.db.NewRaw("INSERT INTO stores (name, type, agency, district, created_at, updated_at) "+
			"VALUES ('Rajasthali Jaipur', 'rajasthali', 'rhdc', 'jaipur', ?, ?) RETURNING id", app.Now(), app.Now()).Scan(ctx, &store); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.NewRaw("INSERT INTO sales (store_id, district, sale_date, month, craft, product, quantity, amount_paise, "+
			"payment_mode, invoice_no, created_at) VALUES (?, 'jaipur', ?, ?, 'blue-pottery', 'Vase', 1, 150000, 'upi', 'INV-1', ?)",
			store, month+"-01", month, app.Now()).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct{ user, approved, inbox, sales string }{
			{"dic.jaipur", "2", "1", "₹1,500"}, {"dic.jodhpur", "1", "0", "₹0"}, {"board", "3", "0", "₹1,500"},
		} {
			for _, lang := range []string{"en", "hi"} {
				resp, body := e.page("GET", "/", c.user, nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
				if resp.StatusCode != 200 {
					t.Fatalf("%s %s: %d\n%s", c.user, lang, resp.StatusCode, body)
				}
				checkPage(t, c.user+" "+lang, body)
				if got := figure(body, "/artisans?status=approved"); got != c.approved {
					t.Errorf("%s %s: approved %q, want %s", c.user, lang, got, c.approved)
				}
				if got := figure(body, "/inbox"); got != c.inbox {
					t.Errorf("%s %s: inbox %q, want %s", c.user, lang, got, c.inbox)
				}
				if got := figure(body, "/sales?from="+month+"&amp;to="+month); got != c.sales {
					t.Errorf("%s %s: sales %q, want %s", c.user, lang, got, c.sales)
				}
				chart := strings.Contains(body, `<svg class="bars"`) && strings.Contains(body, `<details class="chart-data">`)
				if chart != (c.sales != "₹0") {
					t.Errorf("%s %s: sales chart with its table shown: %v", c.user, lang, chart)
				}
			}
		}

		// A store manager reads sales, not the registry; a data entry operator the registry, not sales.
		_, body := e.page("GET", "/", "store.ajmer", nil, false)
		if strings.Contains(body, `id="dash-registry"`) || !strings.Contains(body, `id="dash-sales"`) {
			t.Errorf("store manager: registry shown or sales missing")
		}
		if !strings.Contains(body, `href="/sales?from=`) {
			t.Errorf("store manager: sales figure does not open the sales list")
		}
		for _, id := range []string{"dash-onboarding", "dash-readiness", "dash-flags", "dash-reports"} {
			if strings.Contains(body, `id="`+id+`"`) {
				t.Errorf("store manager: %s shown", id)
			}
		}
		_, body = e.page("GET", "/", "entry.jaipur", nil, false)
		if !strings.Contains(body, `id="dash-registry"`) || strings.Contains(body, `id="dash-sales"`) || strings.Contains(body, `id="dash-months"`) {
			t.Errorf("data entry: wrong blocks")
		}
		if !strings.Contains(body, `id="dash-onboarding"`) || !strings.Contains(body, `id="dash-flags"`) || strings.Contains(body, `id="dash-reports"`) {
			t.Errorf("data entry: e-commerce blocks missing or reports shown")
		}
	})
}

// TestHomeDashboardLinks: the figures' links open their lists filtered as the figure says
// (the list pages read those parameters), and the e-commerce blocks count in scope.
func TestHomeDashboardLinks(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		homeArtisan(t, e, "000001", "jaipur", "approved")
		homeArtisan(t, e, "000002", "jodhpur", "approved")
		month := app.MonthOf(app.Now().In(time.FixedZone("IST", 5*3600+1800))).String()
		_, body := e.page("GET", "/", "dic.jaipur", nil, false)
		checkPage(t, "dic.jaipur", body)
		if got := figure(body, "/onboarding?platform=amazon"); got != "0" {
			t.Errorf("onboarding on Amazon: %q, want 0 listed", got)
		}
		if !strings.Contains(body, "Not started 1") {
			t.Errorf("onboarding block does not count Jaipur's one approved artisan as not started")
		}
		if got := figure(body, "/listings/price-flags"); got != "0" {
			t.Errorf("price flags %q, want 0", got)
		}
		if !strings.Contains(body, `id="dash-reports"`) || !strings.Contains(body, `href="/readiness"`) {
			t.Errorf("reports or readiness block missing")
		}
		// The list pages keep the filter the dashboard sets.
		_, body = e.page("GET", "/sales?from="+month+"&to="+month, "dic.jaipur", nil, false)
		if !strings.Contains(body, `value="`+month+`"`) {
			t.Errorf("sales list does not show the month it was opened for")
		}
		_, body = e.page("GET", "/enrolments?status=sanctioned", "dic.jaipur", nil, false)
		if !regexp.MustCompile(`<option value="sanctioned"\s+selected`).MatchString(body) {
			t.Errorf("enrolment list does not show the status it was opened for")
		}
	})
}
