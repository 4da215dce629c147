package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"shilpkosh/views"
)

// TestPriceToleranceForm: the state admin sets the tolerance on the price-flag page; an
// out-of-range value is refused by its field in the reader's language, a stale form is a
// conflict, and nobody else sees the form.
func TestPriceToleranceForm(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, body := e.page("GET", "/listings/price-flags", "admin", nil, false)
		if !strings.Contains(body, `action="/settings/price-tolerance"`) || !strings.Contains(body, `id="f-percent"`) {
			t.Fatalf("admin sees no tolerance form:\n%s", body)
		}
		_, body = e.page("GET", "/listings/price-flags", "dic.jaipur", nil, false)
		if strings.Contains(body, `action="/settings/price-tolerance"`) {
			t.Errorf("a DIC officer sees the tolerance form")
		}

		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("POST", "/settings/price-tolerance", "admin", url.Values{"percent": {"150"}, "version": {"1"}}, true,
				&http.Cookie{Name: "sk_lang", Value: lang})
			want := views.T(lang, "setting.tolerance_range", map[string]string{"max": "100"})
			if resp.StatusCode != 422 || !strings.Contains(body, `id="f-percent-error"`) || !strings.Contains(body, want) ||
				!strings.Contains(body, `value="150"`) {
				t.Errorf("%s: 150%%: %d, want 422 with %q by the field", lang, resp.StatusCode, want)
			}
		}
		resp, body := e.page("POST", "/settings/price-tolerance", "admin", url.Values{"percent": {""}, "version": {"1"}}, true)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="f-percent-error"`) {
			t.Errorf("empty: %d, want 422 by the field", resp.StatusCode)
		}

		resp, _ = e.page("POST", "/settings/price-tolerance", "admin", url.Values{"percent": {"15"}, "version": {"1"}}, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/listings/price-flags" {
			t.Fatalf("save 15%%: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body = e.page("GET", "/listings/price-flags", "admin", nil, false)
		if !strings.Contains(body, `value="15"`) || !strings.Contains(body, `name="version" value="2"`) {
			t.Errorf("after the save the form does not show 15%% at version 2")
		}
		resp, body = e.page("POST", "/settings/price-tolerance", "admin", url.Values{"percent": {"20"}, "version": {"1"}}, true)
		if resp.StatusCode != 409 || !strings.Contains(body, views.T("en", "registry.reload", nil)) {
			t.Errorf("stale form: %d, want 409 with a reload link", resp.StatusCode)
		}
		resp, _ = e.page("POST", "/settings/price-tolerance", "dic.jaipur", url.Values{"percent": {"20"}, "version": {"2"}}, true)
		if resp.StatusCode != 403 {
			t.Errorf("DIC officer: %d, want 403", resp.StatusCode)
		}
	})
}
