package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"shilpkosh/views"
)

// featureKeyRE finds untranslated keys of the scheme and sale pages, which checkPage's
// pattern does not know.
var featureKeyRE = regexp.MustCompile(`\b(schemes|enrolments|stores|sales|months|imports)\.[a-z_]+(\.[a-z_]+)*\b`)

// getPage fetches a page as user in lang, wants 200, and checks it as checkPage does.
func getPage(t *testing.T, e *env, user, path, lang string) string {
	t.Helper()
	resp, body := e.page("GET", path, user, nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s %s: %d\n%s", user, lang, path, resp.StatusCode, body)
	}
	checkFeaturePage(t, user+" "+lang+" "+path, body)
	if !strings.Contains(body, `<html lang="`+lang+`">`) {
		t.Errorf("%s %s: not in %s", user, path, lang)
	}
	return body
}

func checkFeaturePage(t *testing.T, what, body string) {
	t.Helper()
	checkPage(t, what, body)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))
	if k := featureKeyRE.FindString(text); k != "" {
		t.Errorf("%s: untranslated key %q", what, k)
	}
}

// postPage posts a form as user in English.
func postPage(e *env, user, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	return e.page("POST", path, user, form, true)
}

func schemeForm(changes ...string) url.Values {
	v := url.Values{"slug": {"rj-toolkit"}, "name": {"Toolkit"}, "name_hi": {"औज़ार किट योजना"}, "sponsor": {"state"},
		"agency": {"doic"}, "benefit_type": {"toolkit"}, "rule_min_age": {"18"}, "rule_max_age": {"60"},
		"rule_districts": {"jaipur", "jodhpur"}, "rule_must_be_approved": {"1"}, "rule_needs_bank_account": {"1"},
		"starts_on": {"01-04-2020"}}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func TestSchemePagesForm(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Field errors, in both languages, next to their fields.
		for _, lang := range []string{"en", "hi"} {
			bad := schemeForm("name", "", "rule_min_age", "70")
			bad.Set("_csrf", csrfToken())
			resp, body := e.page("POST", "/schemes", "board", bad, false, &http.Cookie{Name: "sk_lang", Value: lang})
			if resp.StatusCode != 422 {
				t.Fatalf("%s: bad scheme: %d", lang, resp.StatusCode)
			}
			if got := fieldError(body, "f-name"); !strings.Contains(got, views.T(lang, "validation.required", nil)) {
				t.Errorf("%s: name error = %q", lang, got)
			}
			if fieldError(body, "f-rule_min_age") == "" || !strings.Contains(body, `aria-describedby="f-rule_min_age-hint f-rule_min_age-error"`) {
				t.Errorf("%s: age range error not tied to its field", lang)
			}
			if !strings.Contains(body, `value="jodhpur" checked`) || !strings.Contains(body, `value="औज़ार किट योजना"`) {
				t.Errorf("%s: values not refilled", lang)
			}
			checkFeaturePage(t, lang+" scheme form with errors", body)
		}

		resp, _ := postPage(e, "board", "/schemes", schemeForm())
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/schemes/rj-toolkit" {
			t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		body := getPage(t, e, "board", "/schemes/rj-toolkit/edit", "en")
		version := versionOf(t, body)
		if !strings.Contains(body, `value="01-04-2020"`) || !strings.Contains(body, `id="f-rule_districts-jaipur" name="rule_districts" type="checkbox" value="jaipur" checked`) {
			t.Errorf("edit form does not show the saved scheme")
		}
		edit := schemeForm("version", version, "name", "Toolkit scheme", "active", "1")
		if resp, _ := postPage(e, "board", "/schemes/rj-toolkit", edit); resp.StatusCode != 303 {
			t.Fatalf("update: %d", resp.StatusCode)
		}
		// The same version again is stale: refused on the form with a way to reload.
		resp, body = postPage(e, "board", "/schemes/rj-toolkit", edit)
		if resp.StatusCode != 409 || !strings.Contains(body, `href="/schemes/rj-toolkit/edit"`) {
			t.Errorf("stale update: %d", resp.StatusCode)
		}
		body = getPage(t, e, "auditor", "/schemes", "hi")
		if !strings.Contains(body, "औज़ार किट योजना") || strings.Contains(body, `href="/schemes/new"`) {
			t.Errorf("scheme list for the auditor")
		}
		if !strings.Contains(getPage(t, e, "admin", "/schemes", "en"), `href="/schemes/new"`) {
			t.Errorf("admin has no add button")
		}
		if resp, _ := e.page("GET", "/schemes/no-such", "admin", nil, false); resp.StatusCode != 404 {
			t.Errorf("unknown scheme: %d", resp.StatusCode)
		}
	})
}

// TestEnrolmentPages takes an application from the form to payment: eligibility refused
// on the form, the steps each role may take, amounts in rupees, and district scope.
func TestEnrolmentPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		jaipur := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Kishan Lal", "9829012345"))
		if resp, _ := postPage(e, "admin", "/schemes", schemeForm()); resp.StatusCode != 303 {
			t.Fatalf("scheme: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "admin", "/schemes", schemeForm("slug", "women-only", "rule_genders", "female")); resp.StatusCode != 303 {
			t.Fatalf("scheme: %d", resp.StatusCode)
		}
		id := artAPIID(jaipur)

		// The eligible list offers the artisan, with a link to the filled-in form.
		body := getPage(t, e, "dic.jaipur", "/schemes/rj-toolkit/eligible", "en")
		apply := "/enrolments/new?artisan_id=" + id + "&amp;scheme=rj-toolkit"
		if !strings.Contains(body, "Kishan Lal") || !strings.Contains(body, apply) {
			t.Errorf("eligible list lacks the artisan or the apply link")
		}
		if body := getPage(t, e, "dic.jodhpur", "/schemes/rj-toolkit/eligible", "hi"); strings.Contains(body, "Kishan Lal") {
			t.Errorf("dic.jodhpur sees a Jaipur artisan as eligible")
		}

		// Ineligible: the rule is named next to the artisan field, in each language.
		for _, lang := range []string{"en", "hi"} {
			form := url.Values{"artisan_id": {id}, "scheme": {"women-only"}, "_csrf": {csrfToken()}}
			resp, body := e.page("POST", "/enrolments", "entry.jaipur", form, false, &http.Cookie{Name: "sk_lang", Value: lang})
			want := views.T(lang, "enrolment.ineligible.gender", map[string]string{"allowed": "female", "value": "male"})
			if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-artisan_id"), want) {
				t.Errorf("%s ineligible: %d %q", lang, resp.StatusCode, fieldError(body, "f-artisan_id"))
			}
			checkFeaturePage(t, lang+" apply refused", body)
		}
		resp, body := postPage(e, "entry.jaipur", "/enrolments", url.Values{"artisan_id": {"abc"}})
		if resp.StatusCode != 422 || fieldError(body, "f-artisan_id") == "" || fieldError(body, "f-scheme") == "" {
			t.Errorf("apply with nothing readable: %d", resp.StatusCode)
		}
		resp, _ = postPage(e, "entry.jaipur", "/enrolments", url.Values{"artisan_id": {id}, "scheme": {"rj-toolkit"}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !regexp.MustCompile(`^/enrolments/\d+$`).MatchString(loc) {
			t.Fatalf("apply: %d %s", resp.StatusCode, loc)
		}

		// Another district's officer gets 404; the right one verifies.
		if resp, body := e.page("GET", loc, "dic.jodhpur", nil, false); resp.StatusCode != 404 || strings.Contains(body, "Kishan") {
			t.Errorf("dic.jodhpur enrolment page: %d", resp.StatusCode)
		}
		body = getPage(t, e, "dic.jaipur", loc, "hi")
		if !strings.Contains(body, `action="`+loc+`/verify"`) || strings.Contains(body, `/sanction"`) {
			t.Errorf("dic.jaipur: want verify, not sanction")
		}
		if resp, _ := postPage(e, "dic.jodhpur", loc+"/verify", url.Values{"version": {"1"}}); resp.StatusCode != 404 {
			t.Errorf("verify by dic.jodhpur: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "dic.jaipur", loc+"/verify", url.Values{"version": {versionOf(t, body)}}); resp.StatusCode != 303 {
			t.Fatalf("verify: %d", resp.StatusCode)
		}

		// The board sanctions in rupees; a bad amount is refused by its field.
		body = getPage(t, e, "board", loc, "en")
		version := versionOf(t, body)
		resp, body = postPage(e, "board", loc+"/sanction", url.Values{"version": {version}, "amount": {"10,0000"}})
		if resp.StatusCode != 422 || fieldError(body, "f-sanction-amount") != "Error: "+views.T("en", "validation.amount", nil) ||
			!strings.Contains(body, `<details class="step" open>`) {
			t.Errorf("bad amount: %d %q", resp.StatusCode, fieldError(body, "f-sanction-amount"))
		}
		checkFeaturePage(t, "sanction refused", body)
		if resp, _ := postPage(e, "board", loc+"/sanction", url.Values{"version": {version}, "amount": {"15,000"}}); resp.StatusCode != 303 {
			t.Fatalf("sanction: %d", resp.StatusCode)
		}

		// Disbursed in two instalments; more than is left is refused.
		body = getPage(t, e, "board", loc, "en")
		if !strings.Contains(body, "₹15,000") {
			t.Errorf("sanction not shown in rupees")
		}
		pay := url.Values{"version": {versionOf(t, body)}, "amount": {"20000"}, "paid_on": {"05-10-2026"}, "reference": {"PFMS-1"}}
		resp, body = postPage(e, "board", loc+"/disburse", pay)
		if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-disburse-amount"), "₹15,000") || !strings.Contains(body, `value="PFMS-1"`) {
			t.Errorf("over-payment: %d %q", resp.StatusCode, fieldError(body, "f-disburse-amount"))
		}
		pay.Set("amount", "5000")
		if resp, _ := postPage(e, "board", loc+"/disburse", pay); resp.StatusCode != 303 {
			t.Fatalf("instalment 1: %d", resp.StatusCode)
		}
		body = getPage(t, e, "board", loc, "en")
		pay.Set("version", versionOf(t, body))
		pay.Set("amount", "10000")
		pay.Set("reference", "PFMS-2")
		if resp, _ := postPage(e, "board", loc+"/disburse", pay); resp.StatusCode != 303 {
			t.Fatalf("instalment 2: %d", resp.StatusCode)
		}
		body = getPage(t, e, "admin", loc, "hi")
		if !strings.Contains(body, "PFMS-2") || !strings.Contains(body, views.T("hi", "enrolments.status.disbursed", nil)) ||
			strings.Contains(body, `/reject"`) {
			t.Errorf("paid enrolment page")
		}

		// Lists: the beneficiaries of the scheme, and the filtered enrolment list.
		if body := getPage(t, e, "dic.jaipur", "/schemes/rj-toolkit", "en"); !strings.Contains(body, `href="`+loc+`"`) {
			t.Errorf("beneficiaries lack the enrolment")
		}
		body = getPage(t, e, "dic.jaipur", "/enrolments?scheme=rj-toolkit&status=disbursed&district=jaipur", "en")
		if !strings.Contains(body, `href="`+loc+`"`) {
			t.Errorf("filtered list lacks the enrolment")
		}
		if body := getPage(t, e, "dic.jodhpur", "/enrolments", "hi"); strings.Contains(body, `href="`+loc+`"`) {
			t.Errorf("dic.jodhpur lists a Jaipur enrolment")
		}
		resp, body = e.page("GET", "/enrolments?month=October", "dic.jaipur", nil, false)
		if resp.StatusCode != 422 || fieldError(body, "f-month") == "" {
			t.Errorf("bad month filter: %d", resp.StatusCode)
		}

		// A second application is rejected with a reason, behind its confirmation.
		if resp, _ := postPage(e, "admin", "/schemes", schemeForm("slug", "second", "rule_needs_bank_account", "")); resp.StatusCode != 303 {
			t.Fatalf("scheme: %d", resp.StatusCode)
		}
		resp, _ = postPage(e, "dic.jaipur", "/enrolments", url.Values{"artisan_id": {id}, "scheme": {"second"}})
		second := resp.Header.Get("Location")
		body = getPage(t, e, "dic.jaipur", second, "en")
		resp, body = postPage(e, "dic.jaipur", second+"/reject", url.Values{"version": {versionOf(t, body)}})
		if resp.StatusCode != 422 || fieldError(body, "f-reject-reason") == "" {
			t.Errorf("reject without reason: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "dic.jaipur", second+"/reject", url.Values{"version": {"1"}, "reason": {"Duplicate application"}}); resp.StatusCode != 303 {
			t.Errorf("reject: %d", resp.StatusCode)
		}
		if body := getPage(t, e, "dic.jaipur", second, "en"); !strings.Contains(body, "Duplicate application") {
			t.Errorf("reject reason not shown")
		}
	})
}

func TestSchemePagesTranslated(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		pages := map[string][]string{
			"admin":        {"/schemes", "/schemes/new", "/schemes/pm-vishwakarma", "/schemes/pm-vishwakarma/edit", "/enrolments", "/enrolments/new", "/enrolments/import"},
			"board":        {"/schemes/pm-vishwakarma/eligible", "/enrolments?status=applied"},
			"entry.jaipur": {"/enrolments/new?scheme=pm-vishwakarma", "/enrolments/import"},
			"store.ajmer":  {"/schemes", "/schemes/pm-vishwakarma"},
		}
		for user, paths := range pages {
			for _, p := range paths {
				for _, lang := range []string{"en", "hi"} {
					getPage(t, e, user, p, lang)
				}
			}
		}
	})
}

func TestEnrolmentImportPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Kishan Lal", "9829012345"))
		if resp, _ := postPage(e, "admin", "/schemes", schemeForm()); resp.StatusCode != 303 {
			t.Fatalf("scheme: %d", resp.StatusCode)
		}
		bad := "artisan_id,scheme,applied_on\n" + artAPIID(a) + ",no-such-scheme,2026-10-01\n"
		resp, body := e.xferPage("/enrolments/import", "entry.jaipur", "enrolments.csv", []byte(bad), true)
		if resp.StatusCode != 422 || !strings.Contains(body, `<td data-label="Row" class="num">2</td>`) {
			t.Errorf("bad file: %d\n%s", resp.StatusCode, body)
		}
		checkFeaturePage(t, "enrolment import refused", body)
		good := strings.Replace(bad, "no-such-scheme", "rj-toolkit", 1)
		for _, want := range []string{"1 enrolments saved; 0 were", "0 enrolments saved; 1 were"} {
			resp, body = e.xferPage("/enrolments/import", "entry.jaipur", "enrolments.csv", []byte(good), true)
			if resp.StatusCode != 200 || !strings.Contains(body, want) {
				t.Errorf("import: %d, want %q\n%s", resp.StatusCode, want, body)
			}
		}
		if resp, _ := e.page("GET", "/enrolments/import/template", "entry.jaipur", nil, false); resp.StatusCode != 200 {
			t.Errorf("template: %d", resp.StatusCode)
		}
	})
}
