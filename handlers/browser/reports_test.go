package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReportGenerateAndDownload: a state administrator generates Jaipur's report for the
// month the form offers and downloads it through the archive's link: a PDF comes back.
func TestReportGenerateAndDownload(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		admin := s.signIn(t, "admin")
		admin.visit("/reports")
		admin.do(chromedp.Click(chromedp.CSS(`#f-district summary`)), chromedp.Click(chromedp.ID("f-district-jaipur")))
		if status := admin.submit(`form[action="/reports"] button[type=submit]`); status != 200 {
			t.Fatalf("generate: status %d", status)
		}
		if p := admin.path(); p != "/reports" {
			t.Fatalf("after generating the page is %s", p)
		}
		// The link is followed from the page, with the session's cookie, as a click would.
		file := eval[map[string]any](admin, `(async () => {
			const a = document.querySelector('main a[href^="/reports/"][href$="/file"]');
			if (!a) return {status: 0};
			const r = await fetch(a.href, {credentials: "same-origin"});
			const head = new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5));
			return {status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition") || "", head};
		})()`)
		if file["status"] != float64(200) || file["type"] != "application/pdf" || file["head"] != "%PDF-" ||
			!strings.Contains(file["disposition"].(string), "jaipur-") {
			t.Errorf("download: %v, want 200 application/pdf starting %%PDF- named for Jaipur", file)
		}
	})
}
