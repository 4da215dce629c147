package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"shilpkosh/views"
)

func TestMonthPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		webStores(t, e)
		// A DIC officer sees their district only, with the close button.
		body := getPage(t, e, "dic.jaipur", "/months?month=2026-10", "hi")
		if !strings.Contains(body, `action="/months/jaipur/2026-10/close"`) || strings.Contains(body, "/months/jodhpur/") {
			t.Errorf("dic.jaipur's month page")
		}
		if resp, _ := postPage(e, "dic.jodhpur", "/months/jaipur/2026-10/close", nil); resp.StatusCode != 403 {
			t.Errorf("dic.jodhpur closes Jaipur: %d", resp.StatusCode)
		}
		resp, _ := postPage(e, "dic.jaipur", "/months/jaipur/2026-10/close", nil)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/months?month=2026-10" {
			t.Fatalf("close: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = e.page("GET", "/months?month=2026-10", "dic.jaipur", nil, false, &http.Cookie{Name: "sk_flash", Value: "success:months.flash.closed"})
		if resp.StatusCode != 200 || !strings.Contains(body, views.T("en", "months.flash.closed", nil)) ||
			!strings.Contains(body, views.T("en", "months.state.closed", nil)) || strings.Contains(body, "/close\"") || strings.Contains(body, "/reopen\"") {
			t.Errorf("closed month for dic.jaipur: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "dic.jaipur", "/months/jaipur/2026-10/close", nil); resp.StatusCode != 409 {
			t.Errorf("closing twice: %d", resp.StatusCode)
		}

		// A sale dated in the closed month is refused by its date, saying why.
		resp, body = postPage(e, "admin", "/sales", saleForm("2", "07-10-2026", "J-1", "2500"))
		want := views.T("en", "sale.month_closed", map[string]string{"month": "2026-10"})
		if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-date"), want) {
			t.Errorf("sale in a closed month: %d %q", resp.StatusCode, fieldError(body, "f-date"))
		}

		// Reopening needs a reason, shown on that district's form; then it is audited.
		body = getPage(t, e, "admin", "/months?month=2026-10", "en")
		if !strings.Contains(body, `action="/months/jaipur/2026-10/reopen"`) || !strings.Contains(body, `action="/months/jodhpur/2026-10/close"`) {
			t.Errorf("admin's month page lacks reopen or close")
		}
		for _, lang := range []string{"en", "hi"} {
			form := url.Values{"reason": {"  "}, "_csrf": {csrfToken()}}
			resp, body = e.page("POST", "/months/jaipur/2026-10/reopen", "admin", form, false, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-reason-jaipur"), views.T(lang, "validation.required", nil)) ||
				!strings.Contains(body, `<details class="step" open>`) {
				t.Errorf("%s reopen without a reason: %d", lang, resp.StatusCode)
			}
			checkFeaturePage(t, lang+" reopen refused", body)
		}
		if resp, _ := postPage(e, "dic.jaipur", "/months/jaipur/2026-10/reopen", url.Values{"reason": {"x"}}); resp.StatusCode != 403 {
			t.Errorf("dic.jaipur reopens: %d", resp.StatusCode)
		}
		resp, _ = postPage(e, "admin", "/months/jaipur/2026-10/reopen", url.Values{"reason": {"Late bills from the Jaipur showroom"}})
		if resp.StatusCode != 303 {
			t.Fatalf("reopen: %d", resp.StatusCode)
		}
		body = getPage(t, e, "admin", "/months?month=2026-10", "hi")
		if !strings.Contains(body, "Late bills from the Jaipur showroom") || !strings.Contains(body, `action="/months/jaipur/2026-10/close"`) {
			t.Errorf("reopened month not shown as open with its reason")
		}
		n, err := e.db.NewSelect().Table("audit_log").Where("entity = ? AND action = ?", "month", "reopen").Count(t.Context())
		if err != nil || n != 1 {
			t.Errorf("reopen audit entries: %d %v", n, err)
		}
		if resp, _ := postPage(e, "admin", "/sales", saleForm("2", "07-10-2026", "J-1", "2500")); resp.StatusCode != 303 {
			t.Errorf("sale after reopening: %d", resp.StatusCode)
		}
		resp, body = e.page("GET", "/months?month=2026-13", "admin", nil, false)
		if resp.StatusCode != 422 || fieldError(body, "f-month") == "" {
			t.Errorf("bad month: %d", resp.StatusCode)
		}
		getPage(t, e, "auditor", "/months", "hi")
	})
}
