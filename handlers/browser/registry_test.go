package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"shilpkosh/views"
)

// saveButton is the artisan form's own submit button, not the header's language or
// sign-out buttons.
const saveButton = `main form[method=post] .form-actions button[type=submit]`

// fillArtisan types a new artisan of Jaipur with the given mobile number.
func (s *session) fillArtisan(mobile string) {
	s.t.Helper()
	s.do(
		chromedp.SendKeys(chromedp.ID("f-name"), "Kamla Devi"),
		chromedp.SendKeys(chromedp.ID("f-relative_name"), "Ramesh Kumar"),
		chromedp.SetValue(chromedp.ID("f-gender"), "female"),
		chromedp.SendKeys(chromedp.ID("f-date_of_birth"), "12-04-1985"),
		chromedp.SetValue(chromedp.ID("f-social_category"), "obc"),
		chromedp.SetValue(chromedp.ID("f-district"), "jaipur"),
		chromedp.SetValue(chromedp.ID("f-primary_craft"), "blue-pottery"),
		chromedp.SendKeys(chromedp.ID("f-mobile"), mobile),
	)
}

// checkMobileError finds the mobile number's error next to its field, in lang, and tied
// to the input for screen readers.
func (s *session) checkMobileError(lang string) {
	s.t.Helper()
	want := views.T(lang, "validation.mobile", nil)
	if got := s.text("#f-mobile-error"); !strings.Contains(got, want) {
		s.t.Errorf("%s: mobile error %q, want %q", lang, got, want)
	}
	wired := eval[bool](s, `(() => { const i = document.getElementById("f-mobile");
		return i.getAttribute("aria-invalid") === "true" && i.getAttribute("aria-describedby").split(" ").includes("f-mobile-error"); })()`)
	if !wired {
		s.t.Errorf("%s: the mobile error is not tied to its input", lang)
	}
	if focused := eval[string](s, `document.activeElement.className`); !strings.Contains(focused, "error-summary") {
		s.t.Errorf("%s: focus is on %q, not the error summary", lang, focused)
	}
}

// TestRegistryWorkflow: a data entry operator adds an artisan with a bad mobile number,
// reads the error in English and, after the header switch, in Hindi, fixes it, saves and
// submits; Jaipur's DIC officer verifies; Jodhpur's gets the not-found page.
func TestRegistryWorkflow(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		entry := s.signIn(t, "entry.jaipur")
		entry.visit("/artisans/new")
		entry.fillArtisan("12345")
		if status := entry.submit(saveButton); status != 422 {
			t.Fatalf("bad mobile: status %d, want 422", status)
		}
		entry.checkMobileError("en")

		entry.switchLanguage("hi")
		if p := entry.path(); p != "/artisans/new" {
			t.Fatalf("the language switch returned to %s", p)
		}
		entry.fillArtisan("12345")
		if status := entry.submit(saveButton); status != 422 {
			t.Fatalf("bad mobile in Hindi: status %d, want 422", status)
		}
		entry.checkMobileError("hi")

		// Fix the number: everything else typed is still there.
		entry.do(chromedp.Clear(chromedp.ID("f-mobile")), chromedp.SendKeys(chromedp.ID("f-mobile"), "9876543210"))
		if status := entry.submit(saveButton); status != 200 || !strings.HasPrefix(entry.path(), "/artisans/") {
			t.Fatalf("save: status %d at %s", status, entry.path())
		}
		record := entry.path()
		if status := entry.submit(`form[action="` + record + `/submit"] button[type=submit]`); status != 200 {
			t.Fatalf("submit: status %d", status)
		}
		if got, want := entry.text(".page-head .badge"), views.T("hi", "artisan.status.submitted", nil); got != want {
			t.Errorf("after submit the badge reads %q, want %q", got, want)
		}

		dic := s.signIn(t, "dic.jaipur")
		dic.visit(record)
		if status := dic.submit(`form[action="` + record + `/verify"] button[type=submit]`); status != 200 {
			t.Fatalf("verify: status %d", status)
		}
		if got, want := dic.text(".page-head .badge"), views.T("en", "artisan.status.verified", nil); got != want {
			t.Errorf("after verify the badge reads %q, want %q", got, want)
		}

		other := s.signIn(t, "dic.jodhpur")
		if status := other.visit(record); status != 404 {
			t.Errorf("another district's officer: status %d, want 404", status)
		}
		if got, want := other.text("h1"), views.T("en", "error.title.404", nil); got != want {
			t.Errorf("another district's officer reads %q, want %q", got, want)
		}
	})
}

// TestKeyboardSkipLink: the first Tab on a page lands on the skip link, which shows, with
// a visible focus ring; following it moves focus to the main content.
func TestKeyboardSkipLink(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		sess := s.signIn(t, "dic.jaipur")
		sess.visit("/artisans")
		sess.do(chromedp.KeyEvent("\t"))
		focus := eval[map[string]any](sess, `(() => { const a = document.activeElement, st = getComputedStyle(a), r = a.getBoundingClientRect();
			return {cls: a.className, href: a.getAttribute("href") || "", outline: st.outlineStyle, width: parseFloat(st.outlineWidth), top: r.top, bottom: r.bottom}; })()`)
		if focus["cls"] != "skip" || focus["href"] != "#main" {
			t.Fatalf("first Tab focuses %v, want the skip link", focus)
		}
		if focus["outline"] == "none" || focus["width"].(float64) < 2 || focus["top"].(float64) < 0 || focus["bottom"].(float64) <= 0 {
			t.Errorf("the focused skip link is not visibly focused on screen: %v", focus)
		}
		sess.do(chromedp.KeyEvent("\r"))
		if id := eval[string](sess, "document.activeElement.id"); id != "main" {
			t.Errorf("after the skip link focus is on %q, want main", id)
		}
	})
}
