package views

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
)

const csrf = "tok-3f9a"

type renderCase struct {
	name, page string
	p          Page
}

// cases returns every page in one language with realistic data, texts translated the way
// the handlers will translate them.
func cases(lang string) []renderCase {
	tr := func(key string, args ...string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(args); i += 2 {
			m[args[i]] = args[i+1]
		}
		return T(lang, key, m)
	}
	name, district := "Meena Sharma", "Jaipur"
	if lang == "hi" {
		name, district = "मीना शर्मा", "जयपुर"
	}
	user := &User{Name: name, Username: "meena.dic", Roles: []string{
		tr("role.dic_officer") + " — " + district, tr("role.data_entry") + " — " + district}}
	nav := []NavItem{{"/", tr("nav.home"), true}, {"/artisans", tr("nav.artisans"), false},
		{"/inbox", tr("nav.inbox"), false}, {"/schemes", tr("nav.schemes"), false},
		{"/sales", tr("nav.sales"), false}, {"/onboarding", tr("nav.onboarding"), false},
		{"/reports", tr("nav.reports"), false}, {"/users", tr("nav.users"), false},
		{"/audit", tr("nav.audit"), false}, {"/reference", tr("nav.reference"), false}}
	base := func(title string) Page {
		return Page{Lang: lang, Title: title, CSRF: csrf, Path: "/artisans?district=jaipur&page=2", RequestID: "req-7c1e2a"}
	}

	login := base(tr("login.title"))
	login.Flash = []Flash{{"info", tr("login.signed_out")}}
	login.Data = Form{Values: map[string]string{"next": "/artisans"}}

	loginErr := base(tr("login.title"))
	loginErr.Data = &Form{
		Values: map[string]string{"username": "meena.dic", "password": "secret-never-shown", "next": "/inbox"},
		Errors: map[string]string{"password": tr("validation.required")},
		Error:  tr("login.failed"),
	}

	home := base(tr("nav.home"))
	home.User, home.Nav = user, nav
	home.Flash = []Flash{{"success", tr("lang.switched")}, {"error", tr("error.csrf")}, {"info", tr("login.signed_out")}}
	home.Data = HomeData{Greeting: tr("login.welcome", "name", name), Grants: user.Roles}

	homeEmpty := base(tr("nav.home"))
	homeEmpty.User = &User{Name: name, Username: "meena.dic"}

	errPage := base(tr("error.title.404"))
	errPage.User, errPage.Nav = user, nav
	errPage.Data = ErrorData{Status: 404, Title: tr("error.title.404"), Message: tr("error.not_found")}

	errSignedOut := base(tr("error.title.500"))
	errSignedOut.Data = &ErrorData{Status: 500, Title: tr("error.title.500"), Message: tr("error.internal")}

	return []renderCase{
		{"login", "auth/login", login},
		{"login-errors", "auth/login", loginErr},
		{"home", "home/index", home},
		{"home-no-grants", "home/index", homeEmpty},
		{"error-404", "errors/error", errPage},
		{"error-500-signed-out", "errors/error", errSignedOut},
	}
}

func render(t *testing.T, page string, p Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, page, p); err != nil {
		t.Fatalf("Render(%s, %s): %v", page, p.Lang, err)
	}
	return b.String()
}

func TestRenderEveryPageInBothLanguages(t *testing.T) {
	used := templateKeys(t)
	for _, lang := range Languages() {
		for _, c := range cases(lang) {
			t.Run(lang+"/"+c.name, func(t *testing.T) {
				out := render(t, c.page, c.p)
				doc := parseDoc(t, out)
				checkDocument(t, doc, out, c.p)
				if lang == "hi" {
					checkNoEnglish(t, out, used)
				} else {
					checkNoDevanagari(t, doc, out)
				}
			})
		}
	}
}

// Every page the templates folder holds must render, even with an empty Page.
func TestRenderAllPagesWithZeroData(t *testing.T) {
	for _, lang := range Languages() {
		for name := range pages[lang] {
			out := render(t, name, Page{Lang: lang})
			checkDocument(t, parseDoc(t, out), out, Page{Lang: lang})
		}
	}
}

func checkDocument(t *testing.T, doc *document, out string, p Page) {
	t.Helper()
	if !strings.HasPrefix(out, "<!doctype html>\n<html lang=\""+p.Lang+"\">") {
		t.Errorf("document does not start with doctype and <html lang=%q>", p.Lang)
	}
	wantTitle := T(p.Lang, "app.name", nil)
	if p.Title != "" {
		wantTitle = p.Title + " · " + wantTitle
	}
	if got := html.UnescapeString(doc.first("title").inner); got != wantTitle {
		t.Errorf("<title> = %q, want %q", got, wantTitle)
	}
	for _, name := range []string{"html", "head", "body", "main", "h1", "title", "footer"} {
		if n := len(doc.all(name)); n != 1 {
			t.Errorf("%d <%s> elements, want 1", n, name)
		}
	}
	if m := doc.first("main"); m == nil || m.attrs["id"] != "main" {
		t.Errorf("no <main id=\"main\">")
	}
	if a := doc.first("a"); a == nil || a.attrs["href"] != "#main" {
		t.Errorf("first link is not the skip link to #main")
	}

	// CSP: no inline styles, no inline scripts.
	if strings.Contains(strings.ToLower(out), "style=") || strings.Contains(out, "<style") {
		t.Errorf("output has a style attribute or element")
	}
	for _, s := range doc.all("script") {
		if s.attrs["src"] == "" || strings.TrimSpace(s.inner) != "" {
			t.Errorf("inline script: %s", s.tag)
		}
		if _, ok := s.attrs["defer"]; !ok {
			t.Errorf("script without defer: %s", s.tag)
		}
	}
	for _, e := range doc.elems {
		for a := range e.attrs {
			if strings.HasPrefix(a, "on") {
				t.Errorf("inline event handler: %s", e.tag)
			}
		}
	}

	// Every POST form carries the CSRF token.
	forms := 0
	for _, f := range doc.all("form") {
		if !strings.EqualFold(f.attrs["method"], "post") {
			t.Errorf("form without method=post: %s", f.tag)
			continue
		}
		forms++
		if !strings.Contains(f.inner, `<input type="hidden" name="_csrf" value="`+p.CSRF+`">`) {
			t.Errorf("form %s lacks the CSRF field", f.tag)
		}
	}
	if forms == 0 {
		t.Errorf("no POST form (the language switch is always there)")
	}

	// The language switch posts back to the current path, without JavaScript.
	sw := doc.find(func(e *elem) bool { return e.name == "form" && e.attrs["action"] == "/lang" })
	if sw == nil {
		t.Errorf("no language switch form")
	} else {
		if !strings.Contains(sw.inner, `name="next" value="`+html.EscapeString(p.Path)+`"`) &&
			!strings.Contains(sw.inner, `name="next" value="`+strings.ReplaceAll(p.Path, "&", "&amp;")+`"`) {
			t.Errorf("language switch has no next=%q", p.Path)
		}
		for _, l := range Languages() {
			b := doc.find(func(e *elem) bool { return e.name == "button" && e.attrs["value"] == l })
			if b == nil || b.attrs["name"] != "lang" || b.attrs["lang"] != l {
				t.Errorf("no lang=%s button", l)
			} else if _, cur := b.attrs["aria-current"]; cur != (l == p.Lang) {
				t.Errorf("lang button %s: aria-current=%v", l, cur)
			}
		}
	}

	// Signed out: no nav, no logout. Signed in: both, with the user's name.
	hasNav := doc.first("nav") != nil
	hasLogout := doc.find(func(e *elem) bool { return e.name == "form" && e.attrs["action"] == "/logout" }) != nil
	if p.User == nil && (hasNav || hasLogout) {
		t.Errorf("signed out page shows nav=%v logout=%v", hasNav, hasLogout)
	}
	if p.User != nil {
		if !hasLogout || hasNav != (len(p.Nav) > 0) {
			t.Errorf("signed in page: nav=%v logout=%v", hasNav, hasLogout)
		}
		if !strings.Contains(out, html.EscapeString(p.User.Name)) {
			t.Errorf("user name missing")
		}
		for _, r := range p.User.Roles {
			if !strings.Contains(out, "<li>"+html.EscapeString(r)+"</li>") {
				t.Errorf("role %q missing", r)
			}
		}
	}
	for _, n := range p.Nav {
		if p.User == nil {
			break
		}
		a := doc.find(func(e *elem) bool {
			return e.name == "a" && e.attrs["href"] == n.Href && html.UnescapeString(e.inner) == n.Label
		})
		if a == nil {
			t.Errorf("nav item %q missing", n.Label)
			continue
		}
		if cur := a.attrs["aria-current"]; (cur == "page") != n.Active {
			t.Errorf("nav item %q: aria-current=%q, active=%v", n.Label, cur, n.Active)
		}
	}

	// Flash messages: errors interrupt (alert), the rest wait (status).
	for _, f := range p.Flash {
		e := doc.find(func(e *elem) bool {
			return strings.HasPrefix(e.attrs["class"], "flash ") && strings.Contains(e.inner, html.EscapeString(f.Text))
		})
		want := "status"
		if f.Kind == "error" {
			want = "alert"
		}
		if e == nil || e.attrs["role"] != want {
			t.Errorf("flash %q: want role=%s", f.Text, want)
		}
	}

	// ids unique; every id reference resolves.
	ids := map[string]int{}
	for _, e := range doc.elems {
		if id, ok := e.attrs["id"]; ok {
			ids[id]++
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	for _, e := range doc.elems {
		for _, a := range []string{"for", "aria-describedby", "aria-labelledby"} {
			v, ok := e.attrs[a]
			if !ok || (a == "for" && e.name != "label") {
				continue
			}
			for _, id := range strings.Fields(v) {
				if ids[id] == 0 {
					t.Errorf("%s=%q points at no element", a, id)
				}
			}
		}
		if h := e.attrs["href"]; e.name == "a" && strings.HasPrefix(h, "#") && ids[h[1:]] == 0 {
			t.Errorf("link to %q points at no element", h)
		}
		if e.name == "input" && e.attrs["type"] != "hidden" {
			id := e.attrs["id"]
			if doc.find(func(l *elem) bool { return l.name == "label" && l.attrs["for"] == id }) == nil {
				t.Errorf("input %s has no <label for>", e.tag)
			}
		}
		if e.name == "button" && e.attrs["type"] == "" {
			t.Errorf("button without type: %s", e.tag)
		}
	}

	// Leaks of template plumbing or untranslated keys.
	for _, bad := range []string{"<no value>", "<nil>", "%!", "&lt;no value&gt;", "&lt;nil&gt;"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	text := html.UnescapeString(doc.text)
	for _, k := range Keys() {
		if strings.Contains(text, k) {
			t.Errorf("output contains the raw key %q", k)
		}
	}
}

// checkNoEnglish fails when a Hindi page shows the English text of a key the templates use.
func checkNoEnglish(t *testing.T, out string, used []string) {
	t.Helper()
	text := html.UnescapeString(out)
	keys := append([]string{}, used...)
	keys = append(keys, requiredKeys...) // what handlers put into Title, Nav, Flash, Data
	for _, k := range keys {
		en, hi := T("en", k, nil), T("hi", k, nil)
		if en == hi || len(en) < 4 {
			continue
		}
		if strings.Contains(text, en) {
			t.Errorf("Hindi page contains English text of %s: %q", k, en)
		}
	}
}

// checkNoDevanagari fails when an English page shows Hindi outside the switch's "हिन्दी".
func checkNoDevanagari(t *testing.T, doc *document, out string) {
	t.Helper()
	text := strings.ReplaceAll(html.UnescapeString(doc.text), T("en", "lang.name.hi", nil), "")
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Devanagari, r) }) {
		t.Errorf("English page contains Devanagari text")
	}
}

func TestLoginFieldErrorsAreWired(t *testing.T) {
	for _, lang := range Languages() {
		c := cases(lang)[1]
		out := render(t, c.page, c.p)
		doc := parseDoc(t, out)
		pw := doc.byID("f-password")
		if pw == nil {
			t.Fatalf("%s: no password input", lang)
		}
		if pw.attrs["aria-invalid"] != "true" || pw.attrs["aria-describedby"] != "f-password-error" {
			t.Errorf("%s: password input not wired to its error: %s", lang, pw.tag)
		}
		if e := doc.byID("f-password-error"); e == nil || !strings.Contains(e.inner, html.EscapeString(T(lang, "validation.required", nil))) {
			t.Errorf("%s: error text not in #f-password-error", lang)
		}
		if _, ok := pw.attrs["value"]; ok || strings.Contains(out, "secret-never-shown") {
			t.Errorf("%s: the password was sent back to the browser", lang)
		}
		if pw.attrs["autocomplete"] != "current-password" || pw.attrs["type"] != "password" {
			t.Errorf("%s: password input: %s", lang, pw.tag)
		}
		user := doc.byID("f-username")
		if user == nil {
			t.Fatalf("%s: no username input", lang)
		}
		if user.attrs["value"] != "meena.dic" || user.attrs["autocomplete"] != "username" {
			t.Errorf("%s: username input: %s", lang, user.tag)
		}
		if _, ok := user.attrs["aria-invalid"]; ok {
			t.Errorf("%s: a valid field is marked invalid", lang)
		}
		if _, ok := user.attrs["aria-describedby"]; ok {
			t.Errorf("%s: a valid field without hint has aria-describedby", lang)
		}
		sum := doc.find(func(e *elem) bool { return e.attrs["class"] == "error-summary" })
		if sum == nil || sum.attrs["role"] != "alert" || !strings.Contains(sum.inner, html.EscapeString(T(lang, "login.failed", nil))) {
			t.Errorf("%s: no form-level error box with login.failed", lang)
		}
		if !strings.Contains(sum.inner, `href="#f-password"`) {
			t.Errorf("%s: error summary does not link to the field", lang)
		}
		login := doc.find(func(e *elem) bool { return e.name == "form" && e.attrs["action"] == "/login" })
		if login == nil || !strings.Contains(login.inner, `name="next" value="/inbox"`) {
			t.Errorf("%s: login form lacks next", lang)
		}
	}
	// Without errors: no summary.
	out := render(t, "auth/login", cases("en")[0].p)
	if strings.Contains(out, "error-summary") || strings.Contains(out, "aria-invalid") {
		t.Errorf("clean login form shows errors")
	}
}

func TestErrorPage(t *testing.T) {
	c := cases("hi")[4]
	out := render(t, c.page, c.p)
	for _, want := range []string{"त्रुटि 404", T("hi", "error.title.404", nil), T("hi", "error.not_found", nil),
		"<code>req-7c1e2a</code>", `href="/"`} {
		if !strings.Contains(out, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
}

func TestRenderEscapesAndFallsBack(t *testing.T) {
	out := render(t, "errors/error", Page{Lang: "fr", Title: `<script>alert(1)</script>`, Path: `/x?"><b>`,
		Data: ErrorData{Status: 400, Title: `<i>t</i>`, Message: `"m"`}})
	if !strings.Contains(out, `<html lang="en">`) {
		t.Errorf("unknown language did not fall back to en")
	}
	if strings.Contains(out, "<script>alert") || strings.Contains(out, "<i>t</i>") || strings.Contains(out, `"><b>`) {
		t.Errorf("user text was not escaped")
	}
	if err := Render(&bytes.Buffer{}, "no/such", Page{}); err == nil {
		t.Errorf("unknown page rendered without error")
	}
}

// A failing template must not leave half a page on the writer: the header is written
// before the page body fails on a Data without the fields it needs.
func TestRenderWritesNothingOnError(t *testing.T) {
	var b bytes.Buffer
	err := Render(&b, "home/index", Page{Lang: "hi", Data: struct{ Other int }{}})
	if err == nil {
		t.Fatal("Render accepted Data without Greeting")
	}
	if b.Len() != 0 {
		t.Errorf("Render wrote %d bytes before failing", b.Len())
	}
}

func TestRenderConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			lang := Languages()[i%2]
			for _, c := range cases(lang) {
				if err := Render(&bytes.Buffer{}, c.page, c.p); err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
			}
		}(i)
	}
	wg.Wait()
}

var tKeyRE = regexp.MustCompile(`(?:\{\{-?\s*|\()t\s+"([^"]+)"`)

// templateKeys scans the template sources for {{t "key"}} and (t "key").
func templateKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range tKeyRE.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
			if !HasKey(m[1]) {
				t.Errorf("%s: {{t %q}}: key missing from %v", path, m[1], missingIn(m[1]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestTemplateKeysExist(t *testing.T) {
	if keys := templateKeys(t); len(keys) < 20 {
		t.Errorf("found only %d t calls; is the scan broken?", len(keys))
	}
}

func TestCheckFindsBrokenTemplates(t *testing.T) {
	set := template.Must(template.New("").Funcs(funcs("en")).New("pages/x/y").Parse(
		`{{template "partials/nope" .}}{{t "no.such.key"}}{{if .}}{{t "nav.home" "odd"}}{{end}}<a href="{{asset "css/nope.css"}}">{{t "nav.home" "a" (t "nav.ghost")}}</a>`))
	got := strings.Join(check(set), "\n")
	for _, want := range []string{`"partials/nope"`, `"no.such.key"`, `{{t "nav.home" ...}}`, `"css/nope.css"`, `"nav.ghost"`, "templates/pages/x/y.html:1:"} {
		if !strings.Contains(got, want) {
			t.Errorf("check did not report %s; got:\n%s", want, got)
		}
	}
	err := checkUniqueNames([]source{
		{name: "partials/a", path: "templates/partials/a.html", text: `{{define "row"}}x{{end}}`},
		{name: "pages/b/c", path: "templates/pages/b/c.html", text: `{{define "row"}}y{{end}}`},
		{name: "pages/b/d", path: "templates/pages/b/d.html", text: `{{define "content"}}y{{end}}`},
	})
	if err == nil || !strings.Contains(err.Error(), `"row"`) || !strings.Contains(err.Error(), `"content"`) {
		t.Errorf("duplicate defines not reported: %v", err)
	}
}

func TestField(t *testing.T) {
	f := Form{Values: map[string]string{"mobile": "98290"}, Errors: map[string]string{"mobile": "bad"}}
	fd, err := newField(f, "mobile", "Mobile", "inputmode", "numeric", "hint", "10 digits", "required")
	if err != nil {
		t.Fatal(err)
	}
	if fd.Value != "98290" || fd.Error != "bad" || !fd.Required || fd.InputMode != "numeric" ||
		fd.DescribedBy() != "f-mobile-hint f-mobile-error" {
		t.Errorf("field = %+v, describedby %q", fd, fd.DescribedBy())
	}
	if _, err := newField(f, "mobile", "Mobile", "inputmod", "numeric"); err == nil {
		t.Errorf("unknown option accepted")
	}
	if _, err := newField(f, "mobile", "Mobile", "type"); err == nil {
		t.Errorf("option without value accepted")
	}
	if got := formOf(nil); got.Values != nil {
		t.Errorf("formOf(nil) = %+v", got)
	}
}

func TestStatic(t *testing.T) {
	st := Static()
	for _, name := range []string{"css/app.css", "js/app.js", "img/mark.svg", "fonts/OFL.txt",
		"fonts/NotoSansDevanagari-Regular.ttf", "fonts/NotoSansDevanagari-Bold.ttf",
		"fonts/NotoSansDevanagari-Regular.woff2", "fonts/NotoSansDevanagari-Bold.woff2"} {
		if _, err := fs.Stat(st, name); err != nil {
			t.Errorf("static %s: %v", name, err)
		}
	}
	css, err := fs.ReadFile(st, "css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	if len(css) > 28*1024 { // one stylesheet, cached, for every page; pages stay far under 100 KB
		t.Errorf("app.css is %d bytes, budget 28 KiB", len(css))
	}
	s := string(css)
	for _, want := range []string{"unicode-range: U+0900-097F, U+1CD0-1CFF, U+A8E0-A8FF, U+200C-200D, U+20B9, U+25CC;",
		`"Noto Sans Devanagari", "Nirmala UI"`, `"Mangal", sans-serif`, "@media print", ":focus-visible",
		".table-cards td::before { content: attr(data-label)", "--touch: 44px"} {
		if !strings.Contains(s, want) {
			t.Errorf("app.css lacks %q", want)
		}
	}
	for _, bad := range []string{"@import", "http:", "https:"} {
		if strings.Contains(s, bad) {
			t.Errorf("app.css loads from elsewhere: %q", bad)
		}
	}
	if v, err := asset("css/app.css"); err != nil || !strings.HasPrefix(v, "/static/css/app.css?v=") {
		t.Errorf("asset = %q, %v", v, err)
	}
}

// TestPaletteContrast keeps the colour tokens at WCAG AA: 4.5:1 for text, 3:1 for borders
// and focus rings.
func TestPaletteContrast(t *testing.T) {
	css, _ := fs.ReadFile(Static(), "css/app.css")
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6});`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"ink", "paper", 4.5}, {"ink", "paper-2", 4.5}, {"ink", "saffron", 4.5}, {"muted", "paper", 4.5},
		{"muted", "paper-2", 4.5}, {"muted", "surface", 4.5}, {"indigo", "paper", 4.5}, {"indigo", "surface", 4.5},
		{"white", "indigo", 4.5}, {"white", "indigo-dark", 4.5}, {"indigo-soft", "indigo", 4.5},
		{"white", "madder", 4.5}, {"madder", "madder-tint", 4.5}, {"madder", "surface", 4.5},
		{"green", "green-tint", 4.5}, {"indigo", "indigo-tint", 4.5}, {"indigo-dark", "paper", 4.5},
		{"field", "surface", 3}, {"focus", "paper", 3}, {"focus", "surface", 3}, {"saffron", "indigo", 3},
		{"saffron", "indigo-dark", 3},
	}
	for _, p := range pairs {
		fg, bg := vars[p.fg], vars[p.bg]
		if fg == "" || bg == "" {
			t.Errorf("colour token --%s or --%s not found", p.fg, p.bg)
			continue
		}
		if r := contrast(fg, bg); r < p.min {
			t.Errorf("--%s on --%s: %.2f:1, want >= %.1f:1", p.fg, p.bg, r, p.min)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// --- a small HTML checker: enough structure for these tests, not a parser. ---

type elem struct {
	name, tag, inner string
	attrs            map[string]string
}

type document struct {
	elems []*elem
	text  string // the text between tags
}

func (d *document) all(name string) []*elem {
	var out []*elem
	for _, e := range d.elems {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

func (d *document) find(ok func(*elem) bool) *elem {
	for _, e := range d.elems {
		if ok(e) {
			return e
		}
	}
	return nil
}

func (d *document) first(name string) *elem {
	return d.find(func(e *elem) bool { return e.name == name })
}

func (d *document) byID(id string) *elem {
	return d.find(func(e *elem) bool { return e.attrs["id"] == id })
}

var (
	tagRE  = regexp.MustCompile(`^<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?)*)\s*(/?)>`)
	attrRE = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)
	voids  = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
		"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}
	rawText = map[string]bool{"script": true, "style": true, "title": true, "textarea": true}
)

// parseDoc checks that every < and > belongs to a tag, tags nest and close, and no element
// repeats an attribute; it returns the elements with their attributes and inner HTML.
func parseDoc(t *testing.T, s string) *document {
	t.Helper()
	doc := &document{}
	type open struct {
		e     *elem
		start int
	}
	var stack []open
	var text strings.Builder
	i := 0
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		chunk := s[i:]
		if lt >= 0 {
			chunk = s[i : i+lt]
		}
		if strings.ContainsRune(chunk, '>') {
			t.Errorf("stray '>' in text near %q", snippet(s, i))
		}
		text.WriteString(chunk)
		text.WriteByte(' ')
		if lt < 0 {
			break
		}
		i += lt
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest, "-->")
			if end < 0 {
				t.Errorf("unclosed comment")
				return doc
			}
			i += end + 3
			continue
		case strings.HasPrefix(strings.ToLower(rest), "<!doctype"):
			i += strings.IndexByte(rest, '>') + 1
			continue
		}
		m := tagRE.FindStringSubmatch(rest)
		if m == nil {
			t.Errorf("malformed tag near %q", snippet(s, i))
			i++
			continue
		}
		tag, closing, name, selfClose := m[0], m[1] == "/", strings.ToLower(m[2]), m[4] == "/"
		i += len(tag)
		if closing {
			if len(stack) == 0 || stack[len(stack)-1].e.name != name {
				want := "(nothing)"
				if len(stack) > 0 {
					want = stack[len(stack)-1].e.name
				}
				t.Errorf("</%s> closes <%s> near %q", name, want, snippet(s, i))
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			top.e.inner = s[top.start : i-len(tag)]
			continue
		}
		e := &elem{name: name, tag: tag, attrs: map[string]string{}}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			k := strings.ToLower(a[1])
			if _, dup := e.attrs[k]; dup {
				t.Errorf("attribute %s repeated in %s", k, tag)
			}
			e.attrs[k] = html.UnescapeString(a[2] + a[3] + a[4])
		}
		doc.elems = append(doc.elems, e)
		switch {
		case voids[name] || selfClose:
		case rawText[name]:
			end := strings.Index(s[i:], "</"+name+">")
			if end < 0 {
				t.Errorf("<%s> never closed", name)
				return doc
			}
			e.inner = s[i : i+end]
			if name == "title" {
				text.WriteString(e.inner + " ")
			}
			i += end + len("</"+name+">")
		default:
			stack = append(stack, open{e, i})
		}
	}
	for _, o := range stack {
		t.Errorf("<%s> never closed", o.e.name)
	}
	doc.text = text.String()
	return doc
}

func snippet(s string, i int) string {
	lo, hi := max(0, i-40), min(len(s), i+40)
	return fmt.Sprint(s[lo:hi])
}
