package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"shilpkosh/views"
)

var hindi = &http.Cookie{Name: "sk_lang", Value: "hi"}

// testAadhaar is made up, with a valid check digit.
const testAadhaar = "234567890124"

// artisanFormValues is a complete, valid artisan of Jaipur as the form posts it.
func artisanFormValues(changes ...string) url.Values {
	v := url.Values{
		"name": {"Meera Devi"}, "name_hi": {"मीरा देवी"}, "relative_name": {"Ramesh Chhipa"},
		"gender": {"female"}, "date_of_birth": {"12/4/1985"}, "social_category": {"obc"},
		"mobile": {"9829012345"}, "district": {"jaipur"}, "tehsil": {"Sanganer"}, "village": {"Sanganer"},
		"pin_code": {"302029"}, "primary_craft": {"sanganeri-block-print"}, "crafts": {"bagru-block-print", "natural-dyeing"},
		"years_in_craft": {"20"}, "aadhaar": {testAadhaar}, "pan": {"ABCPD1234F"},
		"bank_account": {"123456789012"}, "ifsc": {"SBIN0001234"},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

var (
	versionRE   = regexp.MustCompile(`name="version" value="(\d+)"`)
	rawKeyRE    = regexp.MustCompile(`\b(artisan|organisation|craft|inbox|registry|nav|form|validation|error|role|scope|flash|lang)\.[a-z_]+(\.[a-z_]+)*\b`)
	idAttrRE    = regexp.MustCompile(`\sid="([^"]+)"`)
	inputTagRE  = regexp.MustCompile(`<(input|select|textarea)\s[^>]*>`)
	registryRE  = regexp.MustCompile(`RJ-JAIPUR-\d{4}-000001`)
	errorIDOfRE = func(id string) *regexp.Regexp {
		return regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(id) + `-error">(.*?)</p>`)
	}
)

// versionOf reads the record version from the first form of a page.
func versionOf(t *testing.T, body string) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version field on the page")
	}
	return m[1]
}

// checkPage fails on what no page may show: untranslated keys, template leaks, ids used
// twice, and inputs without a label.
func checkPage(t *testing.T, what, body string) {
	t.Helper()
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))
	if k := rawKeyRE.FindString(text); k != "" {
		t.Errorf("%s: untranslated key %q", what, k)
	}
	for _, bad := range []string{"<no value>", "%!", "&lt;nil&gt;"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: contains %q", what, bad)
		}
	}
	seen := map[string]bool{}
	for _, m := range idAttrRE.FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("%s: id %q used twice", what, m[1])
		}
		seen[m[1]] = true
	}
	for _, tag := range inputTagRE.FindAllString(body, -1) {
		if strings.Contains(tag, `type="hidden"`) {
			continue
		}
		id := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(tag)
		if id == nil || !strings.Contains(body, `<label for="`+id[1]+`"`) {
			t.Errorf("%s: control without a label: %s", what, tag)
		}
	}
}

// fieldError returns the error shown next to the control with id, or "".
func fieldError(body, id string) string {
	m := errorIDOfRE(id).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], ""))
}

func TestArtisanPagesWorkflow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// A bad mobile number: the form comes back with the error next to the field, in
		// English and in Hindi, the values refilled and the Aadhaar number never echoed.
		bad := artisanFormValues("mobile", "12345")
		for _, lang := range []string{"en", "hi"} {
			var cookies []*http.Cookie
			if lang == "hi" {
				cookies = append(cookies, hindi)
			}
			resp, body := e.page("POST", "/artisans", "entry.jaipur", bad, true, cookies...)
			if resp.StatusCode != 422 {
				t.Fatalf("%s: bad mobile: %d\n%s", lang, resp.StatusCode, body)
			}
			want := views.T(lang, "validation.mobile", nil)
			if got := fieldError(body, "f-mobile"); !strings.Contains(got, want) {
				t.Errorf("%s: mobile error = %q, want %q", lang, got, want)
			}
			if !strings.Contains(body, `aria-describedby="f-mobile-hint f-mobile-error" aria-invalid="true"`) {
				t.Errorf("%s: mobile input not tied to its error", lang)
			}
			if !strings.Contains(body, `<a href="#f-mobile">`+html.EscapeString(views.T(lang, "artisan.field.mobile", nil)+": "+want)) {
				t.Errorf("%s: error summary does not link to the mobile field", lang)
			}
			if !strings.Contains(body, `value="Meera Devi"`) || !strings.Contains(body, `value="bagru-block-print" checked`) {
				t.Errorf("%s: values not refilled", lang)
			}
			if strings.Contains(body, testAadhaar) || strings.Contains(body, "7890124") {
				t.Errorf("%s: the Aadhaar number was sent back", lang)
			}
			checkPage(t, lang+" form with errors", body)
		}

		// Fixed, it saves as a draft and shows the record.
		resp, _ := e.page("POST", "/artisans", "entry.jaipur", artisanFormValues(), true)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !regexp.MustCompile(`^/artisans/\d+$`).MatchString(loc) {
			t.Fatalf("create: %d %q", resp.StatusCode, loc)
		}
		id := strings.TrimPrefix(loc, "/artisans/")
		resp, body := e.page("GET", loc, "entry.jaipur", nil, false, &http.Cookie{Name: "sk_flash", Value: "success:artisan.flash.created"})
		if resp.StatusCode != 200 || !strings.Contains(body, "Meera Devi") || !strings.Contains(body, "XXXX XXXX 0124") ||
			!strings.Contains(body, views.T("en", "artisan.flash.created", nil)) {
			t.Fatalf("record: %d\n%s", resp.StatusCode, body)
		}
		if !strings.Contains(body, "<dd>12-04-1985</dd>") {
			t.Errorf("date of birth typed day first not saved as 12 April 1985")
		}
		if !strings.Contains(body, `action="/artisans/`+id+`/submit"`) || strings.Contains(body, "/verify") {
			t.Errorf("draft of entry.jaipur: want the submit button only")
		}
		submit := url.Values{"version": {versionOf(t, body)}}
		if resp, _ := e.page("POST", loc+"/submit", "entry.jaipur", submit, true); resp.StatusCode != 303 {
			t.Fatalf("submit: %d", resp.StatusCode)
		}

		// The clerk who entered it sees no verify button and may not verify.
		_, body = e.page("GET", loc, "entry.jaipur", nil, false)
		if strings.Contains(body, `/verify"`) {
			t.Errorf("entry.jaipur sees a verify button")
		}
		if resp, _ := e.page("POST", loc+"/verify", "entry.jaipur", url.Values{"version": {"2"}}, true); resp.StatusCode != 403 {
			t.Errorf("verify as entry.jaipur: %d, want 403", resp.StatusCode)
		}

		// It waits in the DIC officer's inbox; three days later it says so.
		_, err := e.db.NewUpdate().Table("artisans").Set("status_changed_at = ?", time.Now().Add(-75*time.Hour)).
			Where("id = ?", id).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "hi"} {
			cookies := []*http.Cookie{}
			if lang == "hi" {
				cookies = append(cookies, hindi)
			}
			resp, body = e.page("GET", "/inbox", "dic.jaipur", nil, false, cookies...)
			age := views.T(lang, "inbox.age.many", map[string]string{"n": "3"})
			if resp.StatusCode != 200 || !strings.Contains(body, `href="/artisans/`+id+`"`) || !strings.Contains(body, age) ||
				!strings.Contains(body, views.T(lang, "inbox.task.verify", nil)) {
				t.Errorf("%s inbox of dic.jaipur: %d, want the record waiting %q\n%s", lang, resp.StatusCode, age, body)
			}
			checkPage(t, lang+" inbox", body)
		}
		if _, body := e.page("GET", "/inbox", "dic.jodhpur", nil, false); !strings.Contains(body, views.T("en", "inbox.empty", nil)) {
			t.Errorf("inbox of dic.jodhpur is not empty")
		}

		// The DIC officer verifies; a stale version is refused on the page, not with a 500.
		_, body = e.page("GET", loc, "dic.jaipur", nil, false)
		if !strings.Contains(body, `action="/artisans/`+id+`/verify"`) || !strings.Contains(body, `action="/artisans/`+id+`/reject"`) {
			t.Fatalf("dic.jaipur: no verify or reject button")
		}
		resp, stale := e.page("POST", loc+"/verify", "dic.jaipur", url.Values{"version": {"1"}}, true)
		if resp.StatusCode != 409 || !strings.Contains(stale, html.EscapeString(views.T("en", "error.stale", nil))) {
			t.Errorf("stale verify: %d", resp.StatusCode)
		}
		// Reject needs a reason, shown next to its box.
		resp, body = e.page("POST", loc+"/reject", "dic.jaipur", url.Values{"version": {versionOf(t, body)}}, true)
		if resp.StatusCode != 422 || fieldError(body, "f-reject-reason") == "" || !strings.Contains(body, `<details class="step" open>`) {
			t.Errorf("reject without reason: %d\n%s", resp.StatusCode, body)
		}
		checkPage(t, "record with a step error", body)
		resp, _ = e.page("POST", loc+"/verify", "dic.jaipur", url.Values{"version": {versionOf(t, body)}}, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != loc {
			t.Fatalf("verify: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}

		// The board approves: the record gets its registration number.
		_, body = e.page("GET", loc, "board", nil, false)
		resp, _ = e.page("POST", loc+"/approve", "board", url.Values{"version": {versionOf(t, body)}}, true)
		if resp.StatusCode != 303 {
			t.Fatalf("approve: %d", resp.StatusCode)
		}
		_, body = e.page("GET", loc, "board", nil, false)
		regNo := registryRE.FindString(body)
		if regNo == "" || !strings.Contains(body, `badge-approved`) {
			t.Fatalf("approved record shows no registration number\n%s", body)
		}
		for _, ev := range []string{"artisan.event.create", "artisan.event.submit", "artisan.event.verify", "artisan.event.approve"} {
			if !strings.Contains(body, views.T("en", ev, nil)) {
				t.Errorf("history lacks %s", ev)
			}
		}
		if strings.Contains(body, "9829012345") || !strings.Contains(body, "XXXXXX2345") {
			t.Errorf("board sees the mobile number unmasked")
		}

		// The list shows it with the exact total; a Hindi prefix finds it.
		for _, path := range []string{"/artisans", "/artisans?q=" + url.QueryEscape("मीर"), "/artisans?district=jaipur&status=approved&sort=name"} {
			resp, body = e.page("GET", path, "dic.jaipur", nil, false)
			if resp.StatusCode != 200 || !strings.Contains(body, regNo) || !strings.Contains(body, "1 artisan<") {
				t.Errorf("list %s: %d, want %s and a total of 1\n%s", path, resp.StatusCode, regNo, body)
			}
		}
		if !strings.Contains(body, `href="/artisans/export?format=csv&amp;district=jaipur&amp;sort=name&amp;status=approved"`) {
			t.Errorf("export link does not carry the filter")
		}
		if !strings.Contains(body, `href="/artisans/new"`) || !strings.Contains(body, `href="/imports/artisans"`) {
			t.Errorf("dic.jaipur: new and import buttons missing")
		}
		_, body = e.page("GET", "/artisans?q=xyzzy", "dic.jaipur", nil, false)
		if strings.Contains(body, regNo) || !strings.Contains(body, views.T("en", "artisan.list.empty_filtered", nil)) {
			t.Errorf("a search that matches nothing shows records or no empty state")
		}
		_, body = e.page("GET", "/artisans", "board", nil, false)
		if strings.Contains(body, `href="/artisans/new"`) || strings.Contains(body, `href="/imports/artisans"`) ||
			!strings.Contains(body, "/artisans/export?format=xlsx") {
			t.Errorf("board: wants export but not new or import")
		}
		_, body = e.page("GET", "/artisans?cursor=nonsense", "dic.jaipur", nil, false)
		if !strings.Contains(body, views.T("en", "artisan.bad_cursor", nil)) {
			t.Errorf("a broken page link is not explained")
		}

		// Another district's officer cannot see it at all.
		resp, body = e.page("GET", loc, "dic.jodhpur", nil, false)
		if resp.StatusCode != 404 || strings.Contains(body, "Meera") {
			t.Errorf("dic.jodhpur record: %d", resp.StatusCode)
		}
		resp, body = e.page("GET", "/artisans", "dic.jodhpur", nil, false)
		if resp.StatusCode != 200 || strings.Contains(body, "Meera") || !strings.Contains(body, "0 artisans") ||
			!strings.Contains(body, views.T("en", "artisan.list.empty", nil)) {
			t.Errorf("dic.jodhpur list: %d", resp.StatusCode)
		}
		if strings.Contains(body, `<option value="jaipur"`) {
			t.Errorf("dic.jodhpur may filter by Jaipur")
		}

		// Deactivating needs one of the listed reasons; afterwards the record shows why and
		// can no longer be edited.
		_, body = e.page("GET", loc, "dic.jaipur", nil, false)
		version := versionOf(t, body)
		resp, body = e.page("POST", loc+"/deactivate", "dic.jaipur", url.Values{"version": {version}}, true, hindi)
		if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-deactivate-reason"), views.T("hi", "validation.required", nil)) {
			t.Errorf("deactivate without reason: %d", resp.StatusCode)
		}
		resp, _ = e.page("POST", loc+"/deactivate", "dic.jaipur", url.Values{"version": {version}, "reason": {"migrated"}, "note": {"Moved to Surat"}}, true)
		if resp.StatusCode != 303 {
			t.Fatalf("deactivate: %d", resp.StatusCode)
		}
		_, body = e.page("GET", loc, "dic.jaipur", nil, false)
		if !strings.Contains(body, "badge-inactive") || !strings.Contains(body, views.T("en", "artisan.deactivate_reason.migrated", nil)+" — Moved to Surat") ||
			strings.Contains(body, loc+"/edit") || strings.Contains(body, `method="post" action="`+loc) {
			t.Errorf("inactive record: wants its reason, no edit link and no steps")
		}
	})
}

func TestArtisanFormDuplicateAndEdit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if resp, _ := e.page("POST", "/artisans", "entry.jaipur", artisanFormValues(), true); resp.StatusCode != 303 {
			t.Fatalf("first: %d", resp.StatusCode)
		}
		// Same mobile, similar name: a warning and a box to save anyway.
		twin := artisanFormValues("name", "Meera Devii", "aadhaar", "")
		resp, body := e.page("POST", "/artisans", "entry.jaipur", twin, true)
		if resp.StatusCode != 409 || !strings.Contains(body, `name="confirm_duplicate"`) ||
			!strings.Contains(body, html.EscapeString(views.T("en", "artisan.possible_duplicate_of", map[string]string{"existing": ""})[:40])) {
			t.Fatalf("possible duplicate: %d\n%s", resp.StatusCode, body)
		}
		checkPage(t, "duplicate warning", body)
		twin.Set("confirm_duplicate", "1")
		resp, _ = e.page("POST", "/artisans", "entry.jaipur", twin, true)
		if resp.StatusCode != 303 {
			t.Fatalf("save anyway: %d", resp.StatusCode)
		}
		loc := resp.Header.Get("Location")

		// The edit form is refilled from the record, without the Aadhaar number.
		resp, body = e.page("GET", loc+"/edit", "entry.jaipur", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="Meera Devii"`) || !strings.Contains(body, `name="version" value="1"`) ||
			!strings.Contains(body, `value="12-04-1985"`) {
			t.Fatalf("edit page: %d", resp.StatusCode)
		}
		checkPage(t, "edit page", body)
		for _, lang := range []string{"en", "hi"} {
			_, body := e.page("GET", loc+"/edit", "entry.jaipur", nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
			checkPage(t, lang+" edit page", body)
		}
		edit := artisanFormValues("name", "Meera Devii", "aadhaar", "", "village", "Bagru", "version", "1", "confirm_duplicate", "1")
		resp, _ = e.page("POST", loc, "entry.jaipur", edit, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != loc {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		_, body = e.page("GET", loc, "entry.jaipur", nil, false)
		if !strings.Contains(body, "Bagru") || !strings.Contains(body, "9829012345") {
			t.Errorf("edit not saved, or the mobile lost")
		}
		// The same form again carries a version that has moved on.
		resp, body = e.page("POST", loc, "entry.jaipur", edit, true)
		if resp.StatusCode != 409 || !strings.Contains(body, html.EscapeString(views.T("en", "error.stale", nil))) ||
			!strings.Contains(body, `href="`+loc+`/edit"`) {
			t.Errorf("stale edit: %d\n%s", resp.StatusCode, body)
		}
		// Rejected, it tells its author why and waits in their inbox to be fixed.
		_, body = e.page("GET", loc, "entry.jaipur", nil, false)
		e.page("POST", loc+"/submit", "entry.jaipur", url.Values{"version": {versionOf(t, body)}}, true)
		_, body = e.page("GET", loc, "dic.jaipur", nil, false)
		reason := "Photo of the Pehchan card missing"
		resp, _ = e.page("POST", loc+"/reject", "dic.jaipur", url.Values{"version": {versionOf(t, body)}, "reason": {reason}}, true)
		if resp.StatusCode != 303 {
			t.Fatalf("reject: %d", resp.StatusCode)
		}
		_, body = e.page("GET", loc, "entry.jaipur", nil, false, hindi)
		if !strings.Contains(body, views.T("hi", "artisan.rejected_because", nil)+"</strong> "+reason) {
			t.Errorf("rejected record does not show why")
		}
		_, body = e.page("GET", "/inbox", "entry.jaipur", nil, false)
		if !strings.Contains(body, views.T("en", "inbox.task.fix", nil)) || !strings.Contains(body, `href="`+loc+`"`) {
			t.Errorf("rejected record not in its author's inbox")
		}

		// A reader who may not edit gets no edit link and no form.
		_, body = e.page("GET", loc, "board", nil, false)
		if strings.Contains(body, loc+"/edit") {
			t.Errorf("board sees an edit link")
		}
		if resp, _ := e.page("GET", loc+"/edit", "dic.jodhpur", nil, false); resp.StatusCode != 404 {
			t.Errorf("dic.jodhpur edit: %d, want 404", resp.StatusCode)
		}
	})
}

func TestOrganisationPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		form := url.Values{"name": {""}, "kind": {"cooperative"}, "district": {"jaipur"}}
		resp, body := e.page("POST", "/organisations", "dic.jaipur", form, true, hindi)
		if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-name"), views.T("hi", "validation.required", nil)) {
			t.Fatalf("missing name: %d\n%s", resp.StatusCode, body)
		}
		form.Set("name", "Sanganer Chhipa Cooperative")
		form.Set("name_hi", "सांगानेर छीपा सहकारी समिति")
		if resp, _ := e.page("POST", "/organisations", "dic.jaipur", form, true); resp.StatusCode != 303 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		_, body = e.page("GET", "/organisations", "dic.jaipur", nil, false)
		m := regexp.MustCompile(`href="/organisations/(\d+)/edit"`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, "Sanganer Chhipa Cooperative") {
			t.Fatalf("list: no edit link\n%s", body)
		}
		edit := "/organisations/" + m[1]
		resp, body = e.page("GET", edit+"/edit", "dic.jaipur", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, `name="active" type="checkbox" value="1" checked`) {
			t.Fatalf("edit page: %d", resp.StatusCode)
		}
		form.Set("version", "1")
		form.Set("active", "1")
		form.Set("address", "Sanganer, Jaipur")
		if resp, _ := e.page("POST", edit, "dic.jaipur", form, true); resp.StatusCode != 303 {
			t.Fatalf("update: %d", resp.StatusCode)
		}
		for _, lang := range []string{"en", "hi"} {
			resp, body = e.page("POST", edit, "dic.jaipur", form, true, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 409 || !strings.Contains(body, html.EscapeString(views.T(lang, "error.stale", nil))) ||
				!strings.Contains(body, `href="`+edit+`/edit"`) {
				t.Errorf("%s stale update: %d\n%s", lang, resp.StatusCode, body)
			}
			checkPage(t, lang+" organisation conflict", body)
		}
		// Others' districts are invisible; readers without manage get no buttons.
		if _, body := e.page("GET", "/organisations", "dic.jodhpur", nil, false); strings.Contains(body, "Sanganer") {
			t.Errorf("dic.jodhpur sees Jaipur's organisation")
		}
		_, body = e.page("GET", "/organisations", "board", nil, false)
		if !strings.Contains(body, "Sanganer") || strings.Contains(body, "/edit") || strings.Contains(body, `href="/organisations/new"`) {
			t.Errorf("board: wants the list without edit or new")
		}
		// The artisan form offers it, and the list can filter by it.
		_, body = e.page("GET", "/artisans/new", "entry.jaipur", nil, false)
		if !strings.Contains(body, `<option value="`+m[1]+`" data-district="jaipur">`) {
			t.Errorf("artisan form does not offer the organisation")
		}
		_, body = e.page("GET", "/artisans?organisation_id="+m[1], "dic.jaipur", nil, false)
		if !strings.Contains(body, `<option value="`+m[1]+`" data-district="jaipur" selected>`) {
			t.Errorf("list filter by organisation not refilled")
		}
	})
}

func TestCraftPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		add := url.Values{"slug": {"test-weave"}, "sector": {"handloom"}, "name": {"Test weave"},
			"name_hi": {"परीक्षण बुनाई"}, "main_centres": {"Kaithoon (kota)"}, "gi_tag": {"1"}}
		if resp, _ := e.page("POST", "/crafts", "dic.jaipur", add, true); resp.StatusCode != 403 {
			t.Errorf("add as dic.jaipur: %d, want 403", resp.StatusCode)
		}
		_, body := e.page("GET", "/crafts", "dic.jaipur", nil, false)
		if strings.Contains(body, `action="/crafts"`) || strings.Contains(body, "?edit=") || !strings.Contains(body, "Kota Doria") {
			t.Errorf("dic.jaipur: wants the list without forms")
		}
		resp, body := e.page("POST", "/crafts", "admin", url.Values{"slug": {"Bad Slug"}, "sector": {"pottery"}}, true)
		if resp.StatusCode != 422 || fieldError(body, "f-slug") == "" || fieldError(body, "f-sector") == "" || fieldError(body, "f-name") == "" {
			t.Errorf("bad craft: %d\n%s", resp.StatusCode, body)
		}
		if resp, _ := e.page("POST", "/crafts", "admin", add, true); resp.StatusCode != 303 {
			t.Fatalf("add: %d", resp.StatusCode)
		}
		_, body = e.page("GET", "/crafts?edit=test-weave", "admin", nil, false)
		if !strings.Contains(body, "परीक्षण बुनाई") || !strings.Contains(body, `action="/crafts/test-weave"`) {
			t.Fatalf("edit form missing\n%s", body)
		}
		checkPage(t, "craft edit", body)
		upd := url.Values{"sector": {"handloom"}, "name": {"Test weave"}, "name_hi": {"परीक्षण बुनाई"},
			"main_centres": {"Kaithoon (kota)"}, "version": {versionOf(t, body)}} // active unticked: deactivate
		if resp, _ := e.page("POST", "/crafts/test-weave", "admin", upd, true); resp.StatusCode != 303 {
			t.Fatalf("deactivate: %d", resp.StatusCode)
		}
		resp, body = e.page("POST", "/crafts/test-weave", "admin", upd, true)
		if resp.StatusCode != 409 || !strings.Contains(body, html.EscapeString(views.T("en", "error.stale", nil))) {
			t.Errorf("stale craft: %d", resp.StatusCode)
		}
		// A deactivated craft is no longer offered for new artisans.
		_, body = e.page("GET", "/artisans/new", "entry.jaipur", nil, false)
		if strings.Contains(body, `value="test-weave"`) || !strings.Contains(body, `value="kota-doria"`) {
			t.Errorf("artisan form: inactive craft offered or active one missing")
		}
	})
}

// Every registry page in both languages, for a reader who may change things and one who
// may not: no untranslated key, no template leak, labelled controls, unique ids.
func TestRegistryPagesTranslated(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp, _ := e.page("POST", "/artisans", "entry.jaipur", artisanFormValues(), true)
		rec := resp.Header.Get("Location")
		e.page("POST", "/organisations", "dic.jaipur", url.Values{"name": {"Bagru Printers SHG"}, "kind": {"shg"}, "district": {"jaipur"}}, true)
		pages := map[string][]string{
			"admin":        {"/artisans", "/artisans?district=jaipur", "/artisans/new", rec, rec + "/edit", "/inbox", "/organisations", "/organisations/new", "/crafts", "/crafts?edit=kota-doria"},
			"dic.jaipur":   {"/artisans", rec, "/inbox", "/organisations", "/crafts"},
			"entry.jaipur": {"/artisans/new", rec, "/inbox"},
			"auditor":      {"/artisans", rec, "/organisations", "/crafts"},
		}
		for user, paths := range pages {
			for _, p := range paths {
				for _, lang := range []string{"en", "hi"} {
					resp, body := e.page("GET", p, user, nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
					if resp.StatusCode != 200 {
						t.Errorf("%s %s %s: %d", user, lang, p, resp.StatusCode)
						continue
					}
					checkPage(t, user+" "+lang+" "+p, body)
					if lang == "hi" && !strings.Contains(body, `<html lang="hi">`) {
						t.Errorf("%s %s: not in Hindi", user, p)
					}
				}
			}
		}
	})
}
