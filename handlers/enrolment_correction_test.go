package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/views"
)

// correctionFixture is an enrolment sanctioned ₹10,000 and paid ₹4,000 on the 15th of last
// month, which Jaipur's DIC has then closed. It returns the enrolment and its payment's id.
func correctionFixture(t *testing.T, e *env) (en map[string]any, paymentID float64, last string) {
	t.Helper()
	if resp, _ := postPage(e, "admin", "/schemes", schemeForm()); resp.StatusCode != 303 {
		t.Fatalf("scheme: %d", resp.StatusCode)
	}
	a := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Kishan Lal", "9829012345"))
	en = artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": a["id"], "scheme": "rj-toolkit"}, 201)
	en = schAPIStep(e, "dic.jaipur", en, "verify", 200, nil)
	en = schAPIStep(e, "board", en, "sanction", 200, map[string]any{"amount_paise": 10_000_00})
	last = app.MonthOf(time.Now().In(time.FixedZone("IST", 5*3600+1800))).Prev().String()
	en = schAPIStep(e, "board", en, "disburse", 200, map[string]any{"amount_paise": 4_000_00, "paid_on": last + "-15", "reference": "PFMS-1"})
	artAPIDo(e, "dic.jaipur", "POST", "/api/v1/months/jaipur/"+last+"/close", nil, 200)
	full := artAPIDo(e, "board", "GET", "/api/v1/enrolments/"+artAPIID(en), nil, 200)
	paymentID = full["disbursements"].([]any)[0].(map[string]any)["id"].(float64)
	return en, paymentID, last
}

// TestEnrolmentCorrectionAPI: a payment dated in the closed month is refused and the
// message points to a correction in an open month; the correction is refused to a DIC
// officer and when it takes back more than was paid, and accepted from the board.
func TestEnrolmentCorrectionAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		en, payment, last := correctionFixture(t, e)
		out := schAPIStep(e, "board", en, "disburse", 422, map[string]any{"amount_paise": 100, "paid_on": last + "-20", "reference": "PFMS-2"})
		if msg := schAPIField(out, "paid_on"); !strings.Contains(msg, "correction") {
			t.Errorf("closed-month payment: %q", msg)
		}
		path := "/api/v1/enrolments/" + artAPIID(en) + "/correct"
		body := map[string]any{"version": en["version"], "corrects_id": payment, "amount_paise": -1_500_00, "reason": "paid too much"}
		artAPIDo(e, "dic.jaipur", "POST", path, body, 403)
		artAPIDo(e, "board", "POST", path, map[string]any{"corrects_id": payment, "amount_paise": -1, "reason": "x"}, 422)
		too := map[string]any{"version": en["version"], "corrects_id": payment, "amount_paise": -4_000_01, "reason": "x"}
		if out := artAPIDo(e, "board", "POST", path, too, 422); !strings.Contains(schAPIField(out, "amount_paise"), "₹4,000") {
			t.Errorf("more than paid: %v", out)
		}
		got := artAPIDo(e, "board", "POST", path, body, 200)
		if got["disbursed_paise"].(float64) != 2_500_00 || got["status"] != "sanctioned" {
			t.Errorf("after the correction: %v", got)
		}
		artAPIDo(e, "board", "POST", path, body, 409) // the version read is stale now
		full := artAPIDo(e, "auditor", "GET", "/api/v1/enrolments/"+artAPIID(en), nil, 200)
		c := full["disbursements"].([]any)[1].(map[string]any)
		if c["amount_paise"].(float64) != -1_500_00 || c["corrects_id"].(float64) != payment || c["reason"] != "paid too much" {
			t.Errorf("correction entry: %v", c)
		}
	})
}

// TestEnrolmentCorrectionPage: the board sees the correction form on the enrolment page
// and a DIC officer does not; a bad amount comes back next to its field in rupees, and a
// good correction shows in the payments with the payment it corrects and why.
func TestEnrolmentCorrectionPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		en, payment, _ := correctionFixture(t, e)
		loc := "/enrolments/" + artAPIID(en)
		if body := getPage(t, e, "dic.jaipur", loc, "en"); strings.Contains(body, loc+`/correct"`) {
			t.Errorf("dic.jaipur is offered the correction form")
		}
		body := getPage(t, e, "board", loc, "hi")
		if !strings.Contains(body, `action="`+loc+`/correct"`) || !strings.Contains(body, views.T("hi", "enrolments.step.correct", nil)) {
			t.Fatalf("board has no correction form")
		}
		form := url.Values{"version": {versionOf(t, body)}, "corrects_id": {artAPIID(map[string]any{"id": payment})},
			"amount": {"-100"}, "reason": {"paid ₹1,500 too much"}}
		for _, lang := range []string{"en", "hi"} {
			form.Set("_csrf", csrfToken())
			resp, body := e.page("POST", loc+"/correct", "board", form, false, &http.Cookie{Name: "sk_lang", Value: lang})
			want := views.T(lang, "enrolments.correction_amount_rupees", nil)
			if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-correct-amount"), want) ||
				!strings.Contains(body, `value="paid ₹1,500 too much"`) && !strings.Contains(body, "paid ₹1,500 too much</textarea>") {
				t.Errorf("%s: negative rupees: %d %q", lang, resp.StatusCode, fieldError(body, "f-correct-amount"))
			}
			checkFeaturePage(t, lang+" correction refused", body)
		}
		form.Set("amount", "1,500")
		if resp, _ := postPage(e, "board", loc+"/correct", form); resp.StatusCode != 303 {
			t.Fatalf("correction: %d", resp.StatusCode)
		}
		body = getPage(t, e, "board", loc, "en")
		if !strings.Contains(body, "-₹1,500") || !strings.Contains(body, "Correction of the payment PFMS-1") ||
			!strings.Contains(body, "paid ₹1,500 too much") || !strings.Contains(body, "Payment corrected") {
			t.Errorf("the correction is not shown on the enrolment page")
		}
	})
}
