package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"shilpkosh/views"
)

var districtKeyRE = regexp.MustCompile(`\bdistrict\.[a-z0-9_]+(\.[a-z0-9_]+)*\b`)

// checkDistrictsPage adds to checkPage what the districts page may not show: a district.*
// key missing from the catalogue, or any catalogue key left untranslated.
func checkDistrictsPage(t *testing.T, what, body string) {
	t.Helper()
	checkPage(t, what, body)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))
	if k := districtKeyRE.FindString(text); k != "" {
		t.Errorf("%s: untranslated key %q", what, k)
	}
	for _, k := range views.Keys() {
		if strings.Contains(text, k) {
			t.Errorf("%s: raw catalogue key %q", what, k)
		}
	}
}

// districtForm is the edit form of Jalore as posted, with changes.
func districtForm(version string, changes ...string) url.Values {
	v := url.Values{"name": {"Jalore"}, "name_hi": {"जालौर"}, "lgd_code": {"104"}, "census2011_code": {"116"},
		"rto_code": {"RJ-16"}, "aliases": {"Jalor, जालोर"}, "active": {"1"}, "version": {version}}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func TestDistrictsPageLists(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("GET", "/districts", "dic.jaipur", nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d\n%s", lang, resp.StatusCode, body)
			}
			label := html.EscapeString(views.T(lang, "district.col.name", nil))
			if n := strings.Count(body, `<td data-label="`+label+`">`); n != 41 {
				t.Errorf("%s: %d district rows, want 41", lang, n)
			}
			count := views.T(lang, "district.list.count", map[string]string{"districts": "41", "divisions": "7"})
			if !strings.Contains(body, html.EscapeString(count)) {
				t.Errorf("%s: no count %q", lang, count)
			}
			// The reader's script first, the other below it.
			name := `<div>Jalore<br><span lang="hi">जालौर</span></div>`
			division := views.T(lang, "district.division", map[string]string{"name": "Jodhpur"})
			if lang == "hi" {
				name = `<div>जालौर<br><span lang="en">Jalore</span></div>`
				division = views.T(lang, "district.division", map[string]string{"name": "जोधपुर"})
			}
			if !strings.Contains(body, name) || !strings.Contains(body, "<caption><h2>"+html.EscapeString(division)+"</h2></caption>") {
				t.Errorf("%s: wants %s under %q", lang, name, division)
			}
			if n := strings.Count(body, "<caption>"); n != 7 {
				t.Errorf("%s: %d divisions, want 7", lang, n)
			}
			// Codes and aliases as a comma list; a new district without census code shows a dash.
			for _, want := range []string{">104<", ">116<", ">RJ-16<", ">Jalor, जालोर<", ">099<"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: lacks %s", lang, want)
				}
			}
			if !strings.Contains(body, `<a href="/districts"`) || !strings.Contains(body, html.EscapeString(views.T(lang, "nav.districts", nil))) {
				t.Errorf("%s: no menu entry for districts", lang)
			}
			if strings.Contains(body, "?edit=") || strings.Contains(body, `id="district-form"`) {
				t.Errorf("%s: dic.jaipur sees edit links or a form", lang)
			}
			checkDistrictsPage(t, lang+" districts", body)
		}
		// A DIC officer may not edit, even by asking for the form or posting it.
		_, body := e.page("GET", "/districts?edit=jalore", "dic.jaipur", nil, false)
		if strings.Contains(body, `action="/districts/jalore"`) {
			t.Errorf("dic.jaipur gets the edit form")
		}
		if resp, _ := e.page("POST", "/districts/jalore", "dic.jaipur", districtForm("1", "aliases", "Hacked"), true); resp.StatusCode != 403 {
			t.Errorf("POST as dic.jaipur: %d, want 403", resp.StatusCode)
		}
		_, body = e.page("GET", "/districts", "auditor", nil, false)
		if strings.Contains(body, "Hacked") || strings.Contains(body, "?edit=") {
			t.Errorf("auditor: the refused change shows, or edit links")
		}
	})
}

func TestDistrictsPageEdit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		_, body := e.page("GET", "/districts", "admin", nil, false)
		if !strings.Contains(body, `href="/districts?edit=jalore#district-form"`) || strings.Contains(body, `id="district-form"`) {
			t.Fatalf("admin: wants edit links and no open form\n%s", body)
		}
		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("GET", "/districts?edit=jalore", "admin", nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 200 || !strings.Contains(body, `action="/districts/jalore"`) ||
				!strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, `value="Jalor, जालोर"`) ||
				!strings.Contains(body, `name="active" type="checkbox" value="1" checked`) ||
				!strings.Contains(body, html.EscapeString(views.T(lang, "district.hint.slug", nil))) {
				t.Fatalf("%s edit form: %d\n%s", lang, resp.StatusCode, body)
			}
			if strings.Contains(body, `name="slug"`) {
				t.Errorf("%s: the slug is editable", lang)
			}
			checkDistrictsPage(t, lang+" district edit", body)
		}

		// An empty name comes back with the error next to the field and the values kept.
		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("POST", "/districts/jalore", "admin", districtForm("1", "name", " ", "aliases", "Jalour"), true,
				&http.Cookie{Name: "sk_lang", Value: lang})
			want := views.T(lang, "validation.required", nil)
			if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-name"), want) {
				t.Fatalf("%s empty name: %d, want 422 with %q\n%s", lang, resp.StatusCode, want, body)
			}
			if !strings.Contains(body, `<a href="#f-name">`) || !strings.Contains(body, `value="Jalour"`) {
				t.Errorf("%s: error not summarised or values not refilled", lang)
			}
			checkDistrictsPage(t, lang+" district errors", body)
		}

		// Aliases typed with commas and bars are stored "|"-separated, repeats dropped.
		form := districtForm("1", "aliases", "Jalor, जालोर | Jalour, jalor,", "rto_code", "rj-१६")
		resp, _ := e.page("POST", "/districts/jalore", "admin", form, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/districts" {
			t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var aliases, rto string
		if err := e.db.NewSelect().Table("districts").Column("aliases", "rto_code").Where("slug = ?", "jalore").
			Scan(context.Background(), &aliases, &rto); err != nil {
			t.Fatal(err)
		}
		if aliases != "Jalor|जालोर|Jalour" || rto != "RJ-16" {
			t.Errorf("stored aliases %q, rto %q", aliases, rto)
		}
		flash := cookieNamed(resp, "sk_flash")
		if flash == nil {
			t.Fatalf("no flash after saving")
		}
		_, body = e.page("GET", "/districts", "admin", nil, false, flash, hindi)
		if !strings.Contains(body, ">Jalor, जालोर, Jalour<") || !strings.Contains(body, views.T("hi", "district.flash.saved", nil)) {
			t.Errorf("saved aliases or flash not shown\n%s", body)
		}

		// The version read before the save is stale now: a conflict, with a way to reload.
		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("POST", "/districts/jalore", "admin", districtForm("1", "aliases", "Jalor"), true,
				&http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 409 || !strings.Contains(body, html.EscapeString(views.T(lang, "error.stale", nil))) ||
				!strings.Contains(body, `href="/districts?edit=jalore#district-form"`) {
				t.Errorf("%s stale: %d\n%s", lang, resp.StatusCode, body)
			}
			checkDistrictsPage(t, lang+" district conflict", body)
		}
		_, body = e.page("GET", "/districts?edit=jalore", "admin", nil, false)
		if !strings.Contains(body, `name="version" value="2"`) || !strings.Contains(body, `value="Jalor, जालोर, Jalour"`) {
			t.Errorf("the conflicting save changed the record")
		}
		if resp, _ := e.page("POST", "/districts/no-such", "admin", districtForm("1"), true); resp.StatusCode != 404 {
			t.Errorf("unknown district: %d, want 404", resp.StatusCode)
		}
	})
}
