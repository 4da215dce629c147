package browser_test

import (
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"shilpkosh/app"
	"shilpkosh/views"
)

// axeSource is axe-core from the npm registry (testdata/README says which version).
//
//go:embed testdata/axe.min.js
var axeSource string

// axeRun lists the serious and critical WCAG 2.1 A/AA violations of the page.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
	.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`

// hindiText is the page's visible text without what is not the app's wording: names and
// usernames in the header, codes and raw records, and anything marked as English.
const hindiText = `(() => { const b = document.body.cloneNode(true);
	b.querySelectorAll(".account, code, pre, [lang=en], .lang-switch, script").forEach(e => e.remove());
	return b.innerText; })()`

// seedRecord adds a Jaipur artisan through the registry service, so every count and
// search table knows it, and returns the path of its page.
func (s *site) seedRecord(t *testing.T) string {
	t.Helper()
	svc := &app.Artisans{DB: s.db, Authz: s.authz, Keys: app.NewKeys(siteSecret)}
	a, err := svc.Create(context.Background(), app.System, app.ArtisanInput{Name: "Meera Devi", NameHi: "मीरा देवी",
		RelativeName: "Ramesh Kumar", Gender: "female", DateOfBirth: "1980-01-01", SocialCategory: "obc",
		Mobile: "9876543210", District: "jaipur", PrimaryCraft: "blue-pottery"})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/artisans/%d", a.ID)
}

// mainPages are the menu entries of a state administrator, then forms and record pages.
func (sess *session) mainPages(extra ...string) []string {
	menu := eval[[]string](sess, `Array.from(document.querySelectorAll(".site-nav a")).map(a => a.getAttribute("href"))`)
	for _, p := range extra {
		if !slices.Contains(menu, p) {
			menu = append(menu, p)
		}
	}
	return menu
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

func pageName(path string) string {
	if path == "/" {
		return "home"
	}
	return strings.Trim(slugRE.ReplaceAllString(path, "-"), "-")
}

// TestMainPages walks every main page in English and Hindi (in parallel, a tab each):
// Hindi pages carry no English label or raw key, nothing scrolls sideways at 360 px, and
// on the first database axe-core finds no serious or critical violation and screenshots
// at 1280 px and 360 px are saved. Rendering does not depend on the database, so the
// second one only checks that every page still answers and reads right.
func TestMainPages(t *testing.T) {
	first := true
	eachSite(t, func(t *testing.T, s *site) {
		thorough := first
		first = false
		record := s.seedRecord(t)
		for _, lang := range []string{"en", "hi"} {
			t.Run(lang, func(t *testing.T) {
				t.Parallel()
				admin := s.signIn(t, "admin")
				if thorough {
					admin.do(addScript(axeSource))
				}
				admin.switchLanguage(lang) // also the account's language, which the other tab changes
				for _, path := range admin.mainPages("/artisans/new", record, "/organisations/new", "/users/new") {
					status := admin.visit(path)
					if status == 404 || status == 501 {
						t.Logf("%s: %d, not built yet; skipped", path, status)
						continue
					}
					if status != 200 {
						t.Errorf("%s %s: status %d", lang, path, status)
						continue
					}
					admin.checkPage(lang, path, thorough)
				}
				guest := s.open(t)
				if thorough {
					guest.do(addScript(axeSource))
				}
				guest.visit("/login")
				guest.switchLanguage(lang)
				guest.checkPage(lang, "/login", thorough)
			})
		}
	})
	if dir, err := screenshotDir(); err == nil {
		t.Logf("screenshots in %s", dir)
	}
}

// addScript runs src in every page the tab loads from now on, before the page's own
// scripts: axe-core is sent to the browser once, not once a page.
func addScript(src string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

// checkPage checks the page loaded at 1280 px, then at 360 px; thorough adds axe-core and
// the screenshots.
func (sess *session) checkPage(lang, path string, thorough bool) {
	t := sess.t
	t.Helper()
	name := pageName(path) + "-" + lang
	if got := eval[string](sess, "document.documentElement.lang"); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", path, got, lang)
	}
	if title := eval[string](sess, "document.title"); !strings.HasSuffix(title, " · "+views.T(lang, "app.name", nil)) {
		t.Errorf("%s %s: page title %q names no page", lang, path, title)
	}
	if size := eval[float64](sess, "new Blob([document.documentElement.outerHTML]).size"); size > 100_000 {
		t.Errorf("%s %s: page is %.0f bytes, over 100 KB", lang, path, size)
	}
	if lang == "hi" {
		checkHindi(t, path, eval[string](sess, hindiText))
	}
	if thorough {
		for _, v := range eval[[]string](sess, axeRun) {
			t.Errorf("%s %s: axe: %s", lang, path, v)
		}
		sess.screenshot(name + "-1280")
	}
	sess.do(chromedp.EmulateViewport(360, 780))
	if w := eval[float64](sess, "document.scrollingElement.scrollWidth"); w > 360 {
		wide := eval[[]string](sess, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 361)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className)`)
		t.Errorf("%s %s: scrolls sideways at 360 px (width %.0f): %v", lang, path, w, wide)
	}
	if thorough {
		sess.screenshot(name + "-360")
	}
	sess.do(chromedp.EmulateViewport(1280, 900))
}

// dottedKey looks like a catalogue key that reached the page untranslated.
var dottedKey = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\.[a-z0-9_.]+\b`)

// dataNames are people's names in the test data, which no page translates.
var dataNames = []string{"State administrator", "Board", "Auditor", "DIC Jaipur", "DIC Jodhpur", "Entry Jaipur", "Meera Devi"}

// acronym is an all-capitals label (GSTIN, IFSC) that Hindi forms print as it is.
var acronym = regexp.MustCompile(`^[A-Z0-9 /-]+$`)

// checkHindi fails on a raw key or on the English wording of any catalogue entry.
func checkHindi(t *testing.T, path, text string) {
	t.Helper()
	for _, n := range dataNames {
		text = strings.ReplaceAll(text, n, "")
	}
	if k := dottedKey.FindString(text); k != "" {
		t.Errorf("hi %s: raw key %q", path, k)
	}
	for _, k := range views.Keys() {
		en, hi := views.T("en", k, nil), views.T("hi", k, nil)
		if en == hi || len(en) < 5 || strings.Contains(en, "{") || acronym.MatchString(en) {
			continue
		}
		if strings.Contains(text, en) {
			t.Errorf("hi %s: English %q (%s)", path, en, k)
		}
	}
}
