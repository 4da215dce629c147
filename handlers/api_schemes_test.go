package handlers_test

import (
	"testing"
	"time"
)

// schAPIApproved creates an artisan through the API and takes it to approved.
func schAPIApproved(e *env, creator, verifier string, body map[string]any) map[string]any {
	e.t.Helper()
	a := artAPIDo(e, creator, "POST", "/api/v1/artisans", body, 201)
	a = artAPIStep(e, creator, a, "submit", 200)
	a = artAPIStep(e, verifier, a, "verify", 200)
	return artAPIStep(e, "board", a, "approve", 200)
}

// schAPIStep runs an enrolment step with extra body fields.
func schAPIStep(e *env, who string, en map[string]any, step string, want int, extra map[string]any) map[string]any {
	e.t.Helper()
	body := map[string]any{"version": en["version"]}
	for k, v := range extra {
		body[k] = v
	}
	return artAPIDo(e, who, "POST", "/api/v1/enrolments/"+artAPIID(en)+"/"+step, body, want)
}

// schAPIField returns the message of one field of an error body, in English.
func schAPIField(out map[string]any, field string) string {
	msg, _ := artAPIFields(out)[field].(string)
	return msg
}

func TestSchemeAPIAdmin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		newScheme := map[string]any{"slug": "rj-toolkit", "name": "Toolkit", "name_hi": "औज़ार किट योजना",
			"sponsor": "state", "agency": "doic", "benefit_type": "toolkit",
			"rule_min_age": 18, "rule_max_age": 60, "rule_districts": []string{"jaipur", "jodhpur"}}
		sc := artAPIDo(e, "admin", "POST", "/api/v1/schemes", newScheme, 201)
		if sc["version"] != float64(1) || sc["rule_must_be_approved"] != true || sc["active"] != true {
			t.Errorf("created = %v", sc)
		}
		artAPIDo(e, "", "POST", "/api/v1/schemes", newScheme, 401)
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/schemes", newScheme, 403)
		bad := map[string]any{"slug": "bad", "name": "x", "name_hi": "य", "sponsor": "city", "agency": "doic", "benefit_type": "toolkit"}
		if out := artAPIDo(e, "admin", "POST", "/api/v1/schemes", bad, 422); schAPIField(out, "sponsor") != "“city” is not one of the choices." {
			t.Errorf("bad sponsor: %v", out)
		}

		up := artAPIDo(e, "board", "PATCH", "/api/v1/schemes/rj-toolkit", map[string]any{"version": 1, "rule_needs_bank_account": true}, 200)
		if up["version"] != float64(2) || up["rule_needs_bank_account"] != true || up["rule_min_age"] != float64(18) {
			t.Errorf("updated = %v", up)
		}
		artAPIDo(e, "board", "PATCH", "/api/v1/schemes/rj-toolkit", map[string]any{"version": 1, "active": false}, 409)
		artAPIDo(e, "board", "PATCH", "/api/v1/schemes/no-such", map[string]any{"version": 1}, 404)
		artAPIDo(e, "board", "PATCH", "/api/v1/schemes/rj-toolkit", map[string]any{"active": false}, 422)
		artAPIDo(e, "auditor", "PATCH", "/api/v1/schemes/rj-toolkit", map[string]any{"version": 2}, 403)
		artAPIDo(e, "", "PATCH", "/api/v1/schemes/rj-toolkit", map[string]any{"version": 2}, 401)
		// The reference list still answers with the seeded and the new scheme.
		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/schemes", nil, 200)
	})
}

func TestEnrolmentAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		jaipur := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Kishan Lal", "9829012345"))
		jodhpur := schAPIApproved(e, "admin", "dic.jodhpur", artAPIJodhpurBody(t, "Bhanwar Lal", "9829012346"))
		artAPIDo(e, "admin", "POST", "/api/v1/schemes", map[string]any{"slug": "rj-toolkit", "name": "Toolkit",
			"name_hi": "औज़ार किट योजना", "sponsor": "state", "agency": "doic", "benefit_type": "toolkit",
			"rule_genders": []string{"male"}, "rule_needs_bank_account": true}, 201)
		artAPIDo(e, "admin", "POST", "/api/v1/schemes", map[string]any{"slug": "women-only", "name": "Women artisans",
			"name_hi": "महिला कारीगर योजना", "sponsor": "state", "agency": "doic", "benefit_type": "grant",
			"rule_genders": []string{"female"}}, 201)

		// Eligible: each officer sees only their district's artisans.
		el := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/schemes/rj-toolkit/eligible?limit=10", nil, 200)
		if items := artAPIItems(el); len(items) != 1 || artAPIID(items[0]) != artAPIID(jaipur) {
			t.Errorf("jaipur eligible = %v", el)
		}
		all := artAPIDo(e, "admin", "GET", "/api/v1/schemes/rj-toolkit/eligible?limit=1", nil, 200)
		if items := artAPIItems(all); len(items) != 1 || all["next_cursor"] != artAPIID(jaipur) {
			t.Errorf("admin eligible page 1 = %v", all)
		}
		all = artAPIDo(e, "admin", "GET", "/api/v1/schemes/rj-toolkit/eligible?limit=1&cursor="+artAPIID(jaipur), nil, 200)
		if items := artAPIItems(all); len(items) != 1 || artAPIID(items[0]) != artAPIID(jodhpur) || all["next_cursor"] != nil {
			t.Errorf("admin eligible page 2 = %v", all)
		}
		artAPIDo(e, "admin", "GET", "/api/v1/schemes/no-such/eligible", nil, 404)
		artAPIDo(e, "admin", "GET", "/api/v1/schemes/rj-toolkit/eligible?limit=x", nil, 422)
		artAPIDo(e, "store.ajmer", "GET", "/api/v1/schemes/rj-toolkit/eligible", nil, 403)
		artAPIDo(e, "", "GET", "/api/v1/schemes/rj-toolkit/eligible", nil, 401)

		// Apply: an ineligible artisan is refused with the failed rule named.
		out := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "women-only"}, 422)
		if schAPIField(out, "gender") != "This scheme is for female artisans; this artisan is male." {
			t.Errorf("ineligible = %v", out)
		}
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit", "x": 1}, 422)
		artAPIDo(e, "auditor", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit"}, 403)
		artAPIDo(e, "", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit"}, 401)
		en := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit"}, 201)
		if en["status"] != "applied" || en["scheme"] != "rj-toolkit" || en["district"] != "jaipur" || en["sanctioned_paise"] != float64(0) {
			t.Fatalf("applied = %v", en)
		}
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit"}, 409)
		other := artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jodhpur["id"], "scheme": "rj-toolkit"}, 201)

		// Scope: dic.jodhpur neither sees nor moves the Jaipur enrolment.
		path := "/api/v1/enrolments/" + artAPIID(en)
		artAPIDo(e, "dic.jodhpur", "GET", path, nil, 404)
		schAPIStep(e, "dic.jodhpur", en, "verify", 404, nil)
		if items := artAPIItems(artAPIDo(e, "dic.jodhpur", "GET", "/api/v1/enrolments", nil, 200)); len(items) != 1 || artAPIID(items[0]) != artAPIID(other) {
			t.Errorf("jodhpur list = %v", items)
		}
		artAPIDo(e, "store.ajmer", "GET", "/api/v1/enrolments", nil, 403)
		artAPIDo(e, "", "GET", path, nil, 401)
		artAPIDo(e, "store.ajmer", "GET", path, nil, 403)

		// Steps and their permissions.
		schAPIStep(e, "board", en, "verify", 403, nil)
		schAPIStep(e, "", en, "verify", 401, nil)
		artAPIDo(e, "dic.jaipur", "POST", path+"/verify", map[string]any{"version": 9}, 409)
		artAPIDo(e, "dic.jaipur", "POST", path+"/verify", map[string]any{}, 422)
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/enrolments/999999/verify", map[string]any{"version": 1}, 404)
		en = schAPIStep(e, "dic.jaipur", en, "verify", 200, nil)
		schAPIStep(e, "dic.jaipur", en, "sanction", 403, map[string]any{"amount_paise": 1500000})
		schAPIStep(e, "", en, "sanction", 401, map[string]any{"amount_paise": 1500000})
		schAPIStep(e, "board", en, "sanction", 422, map[string]any{"amount_paise": 0})
		artAPIDo(e, "board", "POST", path+"/sanction", map[string]any{"version": 1, "amount_paise": 1500000}, 409)
		artAPIDo(e, "board", "POST", "/api/v1/enrolments/999999/sanction", map[string]any{"version": 1, "amount_paise": 1}, 404)
		en = schAPIStep(e, "board", en, "sanction", 200, map[string]any{"amount_paise": 1500000})
		if en["status"] != "sanctioned" || en["sanctioned_paise"] != float64(1500000) {
			t.Fatalf("sanctioned = %v", en)
		}
		today := time.Now().Format(time.DateOnly)
		over := schAPIStep(e, "board", en, "disburse", 422, map[string]any{"amount_paise": 1500001, "paid_on": today, "reference": "UTR1"})
		if schAPIField(over, "amount_paise") != "This is more than the sanction allows: only ₹15,000 of ₹15,000 is left to pay." {
			t.Errorf("over-disbursement = %v", over)
		}
		schAPIStep(e, "dic.jaipur", en, "disburse", 403, map[string]any{"amount_paise": 1, "paid_on": today, "reference": "UTR1"})
		schAPIStep(e, "", en, "disburse", 401, map[string]any{"amount_paise": 1, "paid_on": today, "reference": "UTR1"})
		artAPIDo(e, "board", "POST", path+"/disburse", map[string]any{"version": 1, "amount_paise": 1, "paid_on": today, "reference": "UTR1"}, 409)
		artAPIDo(e, "board", "POST", "/api/v1/enrolments/999999/disburse", map[string]any{"version": 1, "amount_paise": 1, "paid_on": today, "reference": "UTR1"}, 404)
		en = schAPIStep(e, "board", en, "disburse", 200, map[string]any{"amount_paise": 500000, "paid_on": today, "reference": "UTR1"})
		if en["status"] != "sanctioned" || en["disbursed_paise"] != float64(500000) {
			t.Fatalf("partly disbursed = %v", en)
		}
		en = schAPIStep(e, "board", en, "disburse", 200, map[string]any{"amount_paise": 1000000, "paid_on": today, "reference": "UTR2"})
		if en["status"] != "disbursed" || en["disbursed_paise"] != float64(1500000) {
			t.Fatalf("disbursed = %v", en)
		}
		got := artAPIDo(e, "auditor", "GET", path, nil, 200)
		if d, _ := got["disbursements"].([]any); len(d) != 2 {
			t.Errorf("disbursements = %v", got["disbursements"])
		}
		if h, _ := got["history"].([]any); len(h) != 5 {
			t.Errorf("history = %v", got["history"])
		}
		artAPIDo(e, "auditor", "GET", "/api/v1/enrolments/0", nil, 404)

		// Reject: the DIC may, with a reason; data entry may not.
		schAPIStep(e, "entry.jaipur", other, "reject", 403, map[string]any{"reason": "x"})
		schAPIStep(e, "", other, "reject", 401, map[string]any{"reason": "x"})
		schAPIStep(e, "dic.jodhpur", other, "reject", 422, nil)
		schAPIStep(e, "dic.jodhpur", en, "reject", 404, map[string]any{"reason": "x"})
		artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/enrolments/"+artAPIID(other)+"/reject", map[string]any{"version": 7, "reason": "x"}, 409)
		other = schAPIStep(e, "dic.jodhpur", other, "reject", 200, map[string]any{"reason": "Bank account closed"})
		if other["status"] != "rejected" || other["reject_reason"] != "Bank account closed" {
			t.Errorf("rejected = %v", other)
		}

		// Lists: beneficiaries, month, bad filters.
		ben := artAPIDo(e, "admin", "GET", "/api/v1/enrolments?scheme=rj-toolkit&status=sanctioned,disbursed", nil, 200)
		if items := artAPIItems(ben); len(items) != 1 || artAPIID(items[0]) != artAPIID(en) {
			t.Errorf("beneficiaries = %v", ben)
		}
		month := time.Now().In(time.FixedZone("IST", 5*3600+1800)).Format("2006-01")
		if items := artAPIItems(artAPIDo(e, "admin", "GET", "/api/v1/enrolments?month="+month+"&limit=1", nil, 200)); len(items) != 1 {
			t.Errorf("month page = %v", items)
		}
		if items := artAPIItems(artAPIDo(e, "admin", "GET", "/api/v1/enrolments?district=jodhpur&artisan_id="+artAPIID(jodhpur), nil, 200)); len(items) != 1 {
			t.Errorf("jodhpur artisan list = %v", items)
		}
		out = artAPIDo(e, "admin", "GET", "/api/v1/enrolments?month=2026-13&status=paid", nil, 422)
		if schAPIField(out, "month") == "" || schAPIField(out, "status") == "" {
			t.Errorf("bad filter = %v", out)
		}
	})
}
