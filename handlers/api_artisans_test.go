package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// Helpers of the registry API tests (artisans, organisations, reference admin). Every
// request goes through artAPICall, which checks the answer against openapi.json.

// artAPIAadhaar builds a made-up Aadhaar number with a valid Verhoeff check digit from the
// last seven digits of a mobile number, so each test artisan has its own; never a real one.
func artAPIAadhaar(mobile string) string {
	digits := "2345" + mobile[3:]
	return digits + string(app.VerhoeffCheckDigit(digits))
}

// artAPIGSTIN completes the first fourteen characters of a GSTIN with its check character.
func artAPIGSTIN(t *testing.T, first14 string) string {
	t.Helper()
	c, ok := app.GSTINCheckChar(first14)
	if !ok {
		t.Fatalf("GSTINCheckChar(%q)", first14)
	}
	return first14 + string(c)
}

// artAPIBody is a valid new artisan: a Jaipur block printer with every optional detail —
// Aadhaar, PAN, a GSTIN of Rajasthan holding that PAN, Udyam and a bank account.
func artAPIBody(t *testing.T, name, mobile string) map[string]any {
	return map[string]any{
		"name": name, "name_hi": "", "relative_name": "Ramesh Chand", "gender": "male",
		"date_of_birth": "1980-05-17", "social_category": "obc", "disability": false,
		"mobile": mobile, "aadhaar": artAPIAadhaar(mobile),
		"district": "jaipur", "tehsil": "Sanganer", "village": "Sanganer", "pin_code": "302029",
		"primary_craft": "sanganeri-block-print", "crafts": []string{"bagru-block-print"}, "years_in_craft": 20,
		"udyam": "UDYAM-RJ-17-0001234", "pan": "ABCPE1234F", "gstin": artAPIGSTIN(t, "08ABCPE1234F1Z"),
		"bank_account": "123456789012", "ifsc": "SBIN0001234",
	}
}

// artAPIJodhpurBody is a valid new artisan of Jodhpur.
func artAPIJodhpurBody(t *testing.T, name, mobile string) map[string]any {
	b := artAPIBody(t, name, mobile)
	b["district"], b["tehsil"], b["village"], b["pin_code"] = "jodhpur", "Luni", "Salawas", "342802"
	return b
}

// artAPICall sends one request, fails unless the status is want, and checks the answer
// against openapi.json — and the request too when it is meant to be valid (want below
// 300). header is name, value pairs. It returns the decoded JSON body and the raw one.
func artAPICall(e *env, method, path, token string, body any, want int, header ...string) (map[string]any, string) {
	e.t.Helper()
	var raw []byte
	if body != nil {
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			var err error
			if raw, err = json.Marshal(body); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	if want < 300 {
		req := httptest.NewRequest(method, path, bytes.NewReader(raw))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if err := openAPIRequestError(e.t, req, raw); err != nil {
			e.t.Errorf("%s %s: request does not match openapi.json: %v", method, path, err)
		}
	}
	var sent any
	if body != nil {
		sent = string(raw)
	}
	resp := e.request(method, path, token, sent, header...)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, want, truncateBody(out))
	}
	checkAgainstOpenAPI(e.t, resp.Request, resp, out)
	decoded := map[string]any{}
	if len(out) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out, &decoded); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, truncateBody(out), err)
		}
	}
	return decoded, string(out)
}

// artAPIDo is artAPICall as a named test user ("" for no token), for the decoded body.
func artAPIDo(e *env, who, method, path string, body any, want int) map[string]any {
	e.t.Helper()
	token := ""
	if who != "" {
		token = e.token(who)
	}
	out, _ := artAPICall(e, method, path, token, body, want)
	return out
}

// artAPIID returns the id of a decoded record as a path segment.
func artAPIID(rec map[string]any) string {
	id, _ := rec["id"].(float64)
	return strconv.FormatInt(int64(id), 10)
}

// artAPIPath is the path of an artisan, with an optional suffix ("/submit").
func artAPIPath(rec map[string]any, suffix string) string {
	return "/api/v1/artisans/" + artAPIID(rec) + suffix
}

// artAPIStep runs one workflow step on rec, at the version rec holds.
func artAPIStep(e *env, who string, rec map[string]any, step string, want int, extra ...string) map[string]any {
	e.t.Helper()
	body := map[string]any{"version": rec["version"]}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i]] = extra[i+1]
	}
	return artAPIDo(e, who, "POST", artAPIPath(rec, "/"+step), body, want)
}

// artAPIFields returns the field messages of an error body.
func artAPIFields(out map[string]any) map[string]any {
	errObj, _ := out["error"].(map[string]any)
	fields, _ := errObj["fields"].(map[string]any)
	return fields
}

// artAPIMessage returns the message of an error body.
func artAPIMessage(out map[string]any) string {
	errObj, _ := out["error"].(map[string]any)
	msg, _ := errObj["message"].(string)
	return msg
}

// artAPIItems returns the items of a list body.
func artAPIItems(out map[string]any) []map[string]any {
	raw, _ := out["items"].([]any)
	items := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		m, _ := it.(map[string]any)
		items = append(items, m)
	}
	return items
}

// artAPINames lists the names of a page's artisans.
func artAPINames(out map[string]any) string {
	var names []string
	for _, it := range artAPIItems(out) {
		names = append(names, fmt.Sprint(it["name"]))
	}
	return strings.Join(names, ", ")
}

var devanagari = regexp.MustCompile(`\p{Devanagari}`)

// artAPIEnglish fails unless msg is an English sentence: not a catalogue key left
// untranslated, no Devanagari.
func artAPIEnglish(t *testing.T, what, msg string) {
	t.Helper()
	if msg == "" || devanagari.MatchString(msg) || regexp.MustCompile(`^[a-z_]+\.[a-z_.]+$`).MatchString(msg) {
		t.Errorf("%s: message %q is not English text", what, msg)
	}
}

// artAPISaveLang saves a user's language, as an admin does through the API.
func artAPISaveLang(e *env, username, lang string) {
	e.t.Helper()
	for _, u := range artAPIItems(artAPIDo(e, "admin", "GET", "/api/v1/users", nil, 200)) {
		if u["username"] == username {
			artAPIDo(e, "admin", "PATCH", "/api/v1/users/"+artAPIID(u), map[string]any{"lang": lang, "version": u["version"]}, 200)
			return
		}
	}
	e.t.Fatalf("no user %s", username)
}

// artAPIHindi fails unless msg (parts separated by " / ") is in Devanagari.
func artAPIHindi(t *testing.T, what, msg string) {
	t.Helper()
	for _, part := range strings.Split(msg, " / ") {
		if !devanagari.MatchString(part) {
			t.Errorf("%s: message %q is not in Hindi", what, msg)
			return
		}
	}
}

// TestArtisanAPICreate: a valid artisan is created as a draft; the Aadhaar number never
// comes back in any answer; duplicates and unauthorised creators are refused.
func TestArtisanAPICreate(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := artAPIBody(t, "  Kishan   Lal ", "+91 98290 12345")
		aadhaar := artAPIAadhaar("9829012345")
		body["aadhaar"] = aadhaar[:4] + " " + aadhaar[4:8] + " " + aadhaar[8:] // as printed on the card
		body["pan"] = "abcpe 1234 f"
		created, raw := artAPICall(e, "POST", "/api/v1/artisans", e.token("entry.jaipur"), body, 201)
		if strings.Contains(raw, aadhaar) || strings.Contains(raw, `"aadhaar"`) {
			t.Errorf("create answer holds the Aadhaar number: %s", raw)
		}
		want := map[string]any{
			"name": "Kishan Lal", "mobile": "9829012345", "pan": "ABCPE1234F", "status": "draft", "version": float64(1),
			"aadhaar_last4": aadhaar[8:], "district": "jaipur", "sector": "handicraft", "registration_no": nil,
			"masked": false, "gstin": body["gstin"], "bank_account": "123456789012", "pin_code": "302029",
		}
		for k, v := range want {
			if created[k] != v {
				t.Errorf("created %s = %#v, want %#v", k, created[k], v)
			}
		}
		if last4, _ := created["aadhaar_last4"].(string); len(last4) != 4 {
			t.Errorf("aadhaar_last4 = %q, want four digits", last4)
		}
		if crafts := fmt.Sprint(created["crafts"]); crafts != "[bagru-block-print]" {
			t.Errorf("crafts = %s", crafts)
		}

		// Every way of reading the record leaves the number out.
		for _, path := range []string{artAPIPath(created, ""), artAPIPath(created, "/history"), "/api/v1/artisans",
			"/api/v1/artisans?q=kishan"} {
			_, raw := artAPICall(e, "GET", path, e.token("dic.jaipur"), nil, 200)
			if strings.Contains(raw, aadhaar) {
				t.Errorf("GET %s holds the Aadhaar number: %s", path, raw)
			}
		}
		submitted := artAPIStep(e, "entry.jaipur", created, "submit", 200)
		_, raw = artAPICall(e, "GET", "/api/v1/inbox", e.token("dic.jaipur"), nil, 200)
		if strings.Contains(raw, aadhaar) || submitted["aadhaar_last4"] != aadhaar[8:] {
			t.Errorf("inbox or step answer holds the Aadhaar number: %s", raw)
		}

		// The same Aadhaar again is a conflict naming the field; so is the same mobile with a
		// similar name, until the creator confirms they are different people.
		again := artAPIBody(t, "Gopal Das", "9829099999")
		again["aadhaar"] = aadhaar
		out := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", again, 409)
		if errorCode(out) != "conflict" || artAPIFields(out)["aadhaar"] == nil {
			t.Errorf("duplicate Aadhaar = %v", out)
		}
		if _, raw := artAPICall(e, "POST", "/api/v1/artisans", e.token("entry.jaipur"), again, 409); strings.Contains(raw, aadhaar) {
			t.Errorf("duplicate answer holds the Aadhaar number: %s", raw)
		}
		similar := artAPIBody(t, "Kishan Lall", "9829012345")
		similar["aadhaar"] = artAPIAadhaar("9829055555")
		out = artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", similar, 409)
		if artAPIFields(out)["name"] == nil {
			t.Errorf("possible duplicate = %v", out)
		}
		similar["confirm_duplicate"] = true
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", similar, 201)

		// Who may not create: signed out, a reader only, an officer of another district.
		fresh := artAPIBody(t, "Mohan Prajapat", "9829033333")
		artAPIDo(e, "", "POST", "/api/v1/artisans", fresh, 401)
		artAPIDo(e, "auditor", "POST", "/api/v1/artisans", fresh, 403)
		artAPIDo(e, "board", "POST", "/api/v1/artisans", fresh, 403)
		artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/artisans", fresh, 403)
		// Malformed bodies.
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", `{"name":`, 422)
		typo := artAPIBody(t, "Mohan Prajapat", "9829033333")
		typo["aadhar"] = typo["aadhaar"]
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", typo, 422)

		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans/999999", nil, 404)
		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans/not-a-number", nil, 404)
		artAPIDo(e, "", "GET", artAPIPath(created, ""), nil, 401)
		artAPIDo(e, "store.ajmer", "GET", artAPIPath(created, ""), nil, 403)
		if list := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans", nil, 200); list["total"] != float64(2) {
			t.Errorf("total = %v, want 2", list["total"])
		}
	})
}

// TestArtisanAPIValidation: each rule refuses a bad value with a 422 naming the field, in
// English and, for a reader asking for Hindi, in Hindi; nothing is saved.
func TestArtisanAPIValidation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.token("admin")
		artAPISaveLang(e, "dic.jaipur", "hi")
		jodhpurOrg := artAPIDo(e, "admin", "POST", "/api/v1/organisations",
			map[string]any{"name": "Salawas Durrie Weavers", "kind": "cooperative", "district": "jodhpur"}, 201)
		closedOrg := artAPIDo(e, "admin", "POST", "/api/v1/organisations",
			map[string]any{"name": "Closed SHG", "kind": "shg", "district": "jaipur", "active": false}, 201)
		today := time.Now().In(time.FixedZone("IST", 5*3600+1800))
		good := artAPIAadhaar("9829012345")
		badCheck := good[:11] + strconv.Itoa((int(good[11]-'0')+1)%10)
		gstin := artAPIGSTIN(t, "08ABCPE1234F1Z")
		badGSTIN := gstin[:14] + map[bool]string{true: "B", false: "A"}[gstin[14] == 'A']

		cases := []struct {
			field string
			value any
		}{
			{"name", "  "},
			{"name", strings.Repeat("a", 101)},
			{"name_hi", strings.Repeat("क", 101)},
			{"relative_name", ""},
			{"gender", "m"},
			{"date_of_birth", ""},
			{"date_of_birth", "17/05/1980"},
			{"date_of_birth", "1980-02-30"},
			{"date_of_birth", today.AddDate(-14, 0, 1).Format(time.DateOnly)},
			{"date_of_birth", today.AddDate(-101, 0, 0).Format(time.DateOnly)},
			{"social_category", "bc"},
			{"mobile", ""},
			{"mobile", "98290123"},
			{"mobile", "5829012345"},
			{"aadhaar", badCheck},
			{"aadhaar", good[:11]},
			{"district", ""},
			{"district", "lahore"},
			{"pin_code", "110001"},
			{"pin_code", "30202"},
			{"primary_craft", ""},
			{"primary_craft", "pottery-x"},
			{"crafts", []string{"bagru-block-print", "nope"}},
			{"years_in_craft", -1},
			{"years_in_craft", 60},
			{"pehchan_id", "AB#12"},
			{"weaver_id", strings.Repeat("1", 31)},
			{"udyam", "UDYAM-MH-12-0001234"},
			{"pan", "ABCDE1234"},
			{"gstin", badGSTIN},
			{"gstin", artAPIGSTIN(t, "27ABCPE1234F1Z")},
			{"gstin", artAPIGSTIN(t, "08ABCPE9999F1Z")}, // another PAN than the artisan's
			{"bank_account", "12345678X"},
			{"bank_account", "12345678"},
			{"ifsc", ""}, // a bank account needs its IFSC
			{"ifsc", "SBIN1001234"},
			{"organisation_id", 99999},
			{"organisation_id", jodhpurOrg["id"]},
			{"organisation_id", closedOrg["id"]},
		}
		for _, c := range cases {
			what := fmt.Sprintf("%s = %v", c.field, c.value)
			body := artAPIBody(t, "Kishan Lal", "9829012345")
			body[c.field] = c.value
			out, _ := artAPICall(e, "POST", "/api/v1/artisans", admin, body, 422)
			if errorCode(out) != "invalid" {
				t.Errorf("%s: code = %q", what, errorCode(out))
			}
			msg, _ := artAPIFields(out)[c.field].(string)
			if msg == "" {
				t.Errorf("%s: field not named: %v", what, out)
				continue
			}
			artAPIEnglish(t, what, msg)
			artAPIEnglish(t, what+" (message)", artAPIMessage(out))

			// A reader who asks for Hindi by Accept-Language, and one whose saved language is
			// Hindi, read the same refusal in Devanagari.
			for how, call := range map[string]func() map[string]any{
				"Accept-Language: hi": func() map[string]any {
					out, _ := artAPICall(e, "POST", "/api/v1/artisans", admin, body, 422, "Accept-Language", "hi")
					return out
				},
				"saved language hi": func() map[string]any {
					return artAPIDo(e, "dic.jaipur", "POST", "/api/v1/artisans", body, 422)
				},
			} {
				hindi := call()
				hiMsg, _ := artAPIFields(hindi)[c.field].(string)
				artAPIHindi(t, what+" ["+how+"]", hiMsg+" / "+artAPIMessage(hindi))
			}
		}
		if list := artAPIDo(e, "admin", "GET", "/api/v1/artisans", nil, 200); list["total"] != float64(0) {
			t.Errorf("invalid input saved %v artisans", list["total"])
		}
	})
}

// TestArtisanAPIWorkflow takes records through the workflow over the API: who may make
// each move, the registration number, and the moves the status forbids.
func TestArtisanAPIWorkflow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Kishan Lal", "9829012345"), 201)
		a = artAPIStep(e, "entry.jaipur", a, "submit", 200, "note", "all papers seen")
		if a["status"] != "submitted" || a["version"] != float64(2) {
			t.Fatalf("submitted = %v", a)
		}
		// The inbox of the district's officer shows it, to verify.
		inbox := artAPIItems(artAPIDo(e, "dic.jaipur", "GET", "/api/v1/inbox", nil, 200))
		if len(inbox) != 1 || inbox[0]["task"] != "verify" || artAPIID(inbox[0]["artisan"].(map[string]any)) != artAPIID(a) {
			t.Errorf("dic.jaipur inbox = %v", inbox)
		}
		if got := artAPIItems(artAPIDo(e, "dic.jodhpur", "GET", "/api/v1/inbox", nil, 200)); len(got) != 0 {
			t.Errorf("dic.jodhpur inbox = %v", got)
		}
		artAPIDo(e, "", "GET", "/api/v1/inbox", nil, 401)
		artAPIDo(e, "store.ajmer", "GET", "/api/v1/inbox", nil, 403)

		// A data entry operator is no verifier.
		artAPIStep(e, "entry.jaipur", a, "verify", 403)
		artAPIStep(e, "", a, "verify", 401)
		// A stale version is refused and changes nothing.
		stale := map[string]any{"version": float64(1)}
		artAPIDo(e, "dic.jaipur", "POST", artAPIPath(a, "/verify"), stale, 409)
		a = artAPIStep(e, "dic.jaipur", a, "verify", 200)
		if a["status"] != "verified" || a["registration_no"] != nil {
			t.Fatalf("verified = %v", a)
		}
		if inbox := artAPIItems(artAPIDo(e, "board", "GET", "/api/v1/inbox", nil, 200)); len(inbox) != 1 || inbox[0]["task"] != "approve" {
			t.Errorf("board inbox = %v", inbox)
		}
		artAPIStep(e, "dic.jaipur", a, "approve", 403) // officers do not approve
		a = artAPIStep(e, "board", a, "approve", 200)
		year := time.Now().In(time.FixedZone("IST", 5*3600+1800)).Year()
		if want := fmt.Sprintf("RJ-JAIPUR-%d-000001", year); a["status"] != "approved" || a["registration_no"] != want {
			t.Errorf("approved = %v %v, want registration_no %s", a["status"], a["registration_no"], want)
		}

		// Moves the status forbids: verify an approved record, approve a draft.
		artAPIStep(e, "dic.jaipur", a, "verify", 409)
		draft := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Gopal Das", "9829022222"), 201)
		out := artAPIStep(e, "board", draft, "approve", 409)
		artAPIEnglish(t, "approve a draft", artAPIMessage(out))
		artAPIStep(e, "dic.jaipur", draft, "reject", 409, "reason", "not submitted")
		artAPIStep(e, "dic.jaipur", draft, "deactivate", 409, "reason", "migrated")

		// An officer who created a record may not verify it.
		own := artAPIDo(e, "dic.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Mohan Prajapat", "9829033333"), 201)
		own = artAPIStep(e, "dic.jaipur", own, "submit", 200)
		generic := artAPIStep(e, "entry.jaipur", own, "verify", 403)
		self := artAPIStep(e, "dic.jaipur", own, "verify", 403)
		if errorCode(self) != "forbidden" || artAPIMessage(self) == artAPIMessage(generic) {
			t.Errorf("self-verify = %v, want its own message (not %q)", self, artAPIMessage(generic))
		}
		// ... and it is not in the officer's inbox to verify.
		for _, it := range artAPIItems(artAPIDo(e, "dic.jaipur", "GET", "/api/v1/inbox", nil, 200)) {
			if artAPIID(it["artisan"].(map[string]any)) == artAPIID(own) {
				t.Errorf("own record in the creator's inbox: %v", it)
			}
		}

		// Sending back needs a reason; the record then waits for its author to fix.
		out = artAPIStep(e, "dic.jaipur", own, "reject", 422)
		if artAPIFields(out)["reason"] == nil {
			t.Errorf("reject without reason = %v", out)
		}
		own = artAPIStep(e, "board", own, "reject", 200, "reason", "Photo missing")
		if own["status"] != "rejected" {
			t.Errorf("rejected = %v", own)
		}
		fix := artAPIItems(artAPIDo(e, "dic.jaipur", "GET", "/api/v1/inbox", nil, 200))
		if len(fix) != 1 || fix[0]["task"] != "fix" {
			t.Errorf("author's inbox after reject = %v", fix)
		}
		own = artAPIStep(e, "dic.jaipur", own, "submit", 200)

		// Deactivation takes a listed reason; the record then keeps its number and can no
		// longer be edited.
		out = artAPIStep(e, "dic.jaipur", a, "deactivate", 422, "reason", "bored")
		if artAPIFields(out)["reason"] == nil {
			t.Errorf("deactivate with a bad reason = %v", out)
		}
		artAPIStep(e, "board", a, "deactivate", 403)
		gone := artAPIStep(e, "dic.jaipur", a, "deactivate", 200, "reason", "migrated", "note", "moved to Surat")
		if gone["status"] != "inactive" || gone["deactivation_reason"] != "migrated" || gone["deactivation_note"] != "moved to Surat" ||
			gone["registration_no"] != a["registration_no"] {
			t.Errorf("deactivated = %v", gone)
		}
		artAPIDo(e, "dic.jaipur", "PATCH", artAPIPath(gone, ""), map[string]any{"village": "Surat", "version": gone["version"]}, 409)

		// Every step: signed out, without the right, an unknown record, a malformed body.
		artAPIStep(e, "entry.jaipur", own, "submit", 409) // submitted already
		for step, who := range map[string]string{"submit": "entry.jaipur", "verify": "dic.jaipur", "approve": "board",
			"reject": "board", "deactivate": "admin"} {
			artAPIStep(e, "", own, step, 401)
			artAPIStep(e, "store.ajmer", own, step, 403)
			artAPIDo(e, who, "POST", "/api/v1/artisans/999999/"+step, map[string]any{"version": 1}, 404)
			artAPIDo(e, who, "POST", artAPIPath(own, "/"+step), `{"version":"two"}`, 422)
			artAPIDo(e, who, "POST", artAPIPath(own, "/"+step), map[string]any{"version": own["version"], "remark": "x"}, 422)
		}
		if got := artAPIDo(e, "dic.jaipur", "GET", artAPIPath(own, ""), nil, 200); got["version"] != own["version"] {
			t.Errorf("refused steps changed the record: %v", got)
		}

		// The history tells the story, oldest first.
		hist := artAPIItems(artAPIDo(e, "auditor", "GET", artAPIPath(a, "/history"), nil, 200))
		var steps []string
		for _, ev := range hist {
			steps = append(steps, fmt.Sprintf("%s:%s>%s", ev["action"], ev["from_status"], ev["to_status"]))
		}
		want := "create:>draft submit:draft>submitted verify:submitted>verified approve:verified>approved deactivate:approved>inactive"
		if strings.Join(steps, " ") != want {
			t.Errorf("history = %s\nwant      %s", strings.Join(steps, " "), want)
		}
		if len(hist) > 1 && (hist[1]["note"] != "all papers seen" || hist[1]["actor_name"] != "Entry Jaipur") {
			t.Errorf("submit event = %v", hist[1])
		}
		artAPIDo(e, "", "GET", artAPIPath(a, "/history"), nil, 401)
		artAPIDo(e, "store.ajmer", "GET", artAPIPath(a, "/history"), nil, 403)
		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans/999999/history", nil, 404)
	})
}

// TestArtisanAPIPatch: a partial update changes what it names and keeps the rest; a stale
// version is refused and changes nothing.
func TestArtisanAPIPatch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		aadhaar := artAPIAadhaar("9829012345")
		created := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Kishan Lal", "9829012345"), 201)
		path := artAPIPath(created, "")

		changed := artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"village": "Bagru", "version": created["version"]}, 200)
		if changed["village"] != "Bagru" || changed["version"] != float64(2) {
			t.Errorf("patched = %v", changed)
		}
		// Every other field, the personal ones included, is as it was.
		got := artAPIDo(e, "dic.jaipur", "GET", path, nil, 200)
		for k, v := range created {
			switch k {
			case "village", "version", "updated_at":
				continue
			}
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Errorf("after patching village, %s = %v, was %v", k, got[k], v)
			}
		}
		if got["aadhaar_last4"] != aadhaar[8:] || got["pan"] != "ABCPE1234F" || got["mobile"] != "9829012345" ||
			got["bank_account"] != "123456789012" {
			t.Errorf("personal details after a partial update = %v", got)
		}

		// A stale version: 409, nothing changed.
		out := artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"name": "Stale Name", "version": created["version"]}, 409)
		if errorCode(out) != "conflict" {
			t.Errorf("stale = %v", out)
		}
		if again := artAPIDo(e, "dic.jaipur", "GET", path, nil, 200); again["name"] != "Kishan Lal" || again["version"] != float64(2) {
			t.Errorf("after a stale update: %v %v", again["name"], again["version"])
		}

		// The version is required; unknown fields and bad values are refused.
		out = artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"village": "Chomu"}, 422)
		if artAPIFields(out)["version"] == nil {
			t.Errorf("without version = %v", out)
		}
		artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"vilage": "Chomu", "version": 2}, 422)
		artAPIDo(e, "entry.jaipur", "PATCH", path, `[]`, 422)
		out = artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"pin_code": "110001", "version": 2}, 422)
		if artAPIFields(out)["pin_code"] == nil {
			t.Errorf("bad PIN = %v", out)
		}

		// A new Aadhaar replaces the old one and is not sent back either.
		next := artAPIAadhaar("9829077777")
		changed, raw := artAPICall(e, "PATCH", path, e.token("entry.jaipur"), map[string]any{"aadhaar": next, "version": 2}, 200)
		if strings.Contains(raw, next) || changed["aadhaar_last4"] != next[8:] {
			t.Errorf("after a new Aadhaar: %s", raw)
		}

		// Joining and leaving an organisation.
		org := artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations",
			map[string]any{"name": "Sanganer Printers", "kind": "cooperative", "district": "jaipur"}, 201)
		changed = artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"organisation_id": org["id"], "version": changed["version"]}, 200)
		if changed["organisation_id"] != org["id"] {
			t.Errorf("organisation_id = %v", changed["organisation_id"])
		}
		members := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans?organisation_id="+artAPIID(org), nil, 200)
		if members["total"] != float64(1) {
			t.Errorf("members = %v", members)
		}
		changed = artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"organisation_id": nil, "version": changed["version"]}, 200)
		if changed["organisation_id"] != nil || changed["village"] != "Bagru" {
			t.Errorf("after leaving: %v", changed)
		}

		// Editing a verified record sends it back for verification.
		sub := artAPIStep(e, "entry.jaipur", changed, "submit", 200)
		ver := artAPIStep(e, "dic.jaipur", sub, "verify", 200)
		back := artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"tehsil": "Chaksu", "version": ver["version"]}, 200)
		if back["status"] != "submitted" {
			t.Errorf("edited verified record status = %v", back["status"])
		}

		// Who may not edit.
		artAPIDo(e, "", "PATCH", path, map[string]any{"village": "X", "version": back["version"]}, 401)
		artAPIDo(e, "auditor", "PATCH", path, map[string]any{"village": "X", "version": back["version"]}, 403)
		artAPIDo(e, "board", "PATCH", path, map[string]any{"village": "X", "version": back["version"]}, 403)
		// Moving it to a district the editor does not work in.
		artAPIDo(e, "entry.jaipur", "PATCH", path, map[string]any{"district": "jodhpur", "pin_code": "342802", "version": back["version"]}, 403)
		artAPIDo(e, "entry.jaipur", "PATCH", "/api/v1/artisans/999999", map[string]any{"village": "X", "version": 1}, 404)
	})
}

// TestArtisanAPIDistrictScope: an officer of another district cannot tell a record exists:
// every artisan route answers 404, lists and counts leave it out, search does not find it.
func TestArtisanAPIDistrictScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		j := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Kishan Lal", "9829012345"), 201)
		j = artAPIStep(e, "entry.jaipur", j, "submit", 200)
		d := artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/artisans", artAPIJodhpurBody(t, "Bhanwar Lal", "9829022222"), 201)

		for _, c := range []struct {
			method, suffix string
			body           any
		}{
			{"GET", "", nil},
			{"PATCH", "", map[string]any{"village": "Luni", "version": j["version"]}},
			{"GET", "/history", nil},
			{"POST", "/submit", map[string]any{"version": j["version"]}},
			{"POST", "/verify", map[string]any{"version": j["version"]}},
			{"POST", "/reject", map[string]any{"version": j["version"], "reason": "x"}},
			{"POST", "/deactivate", map[string]any{"version": j["version"], "reason": "other"}},
		} {
			out := artAPIDo(e, "dic.jodhpur", c.method, artAPIPath(j, c.suffix), c.body, 404)
			if errorCode(out) != "not_found" {
				t.Errorf("%s %s: %v", c.method, c.suffix, out)
			}
		}
		// Nothing was changed by those attempts.
		if got := artAPIDo(e, "dic.jaipur", "GET", artAPIPath(j, ""), nil, 200); got["version"] != j["version"] || got["status"] != "submitted" {
			t.Errorf("after the refused attempts: %v", got)
		}

		for _, q := range []string{"", "?status=submitted", "?district=jaipur", "?q=kishan", "?q=9829012345", "?q=lal", "?sector=handicraft"} {
			list := artAPIDo(e, "dic.jodhpur", "GET", "/api/v1/artisans"+q, nil, 200)
			for _, it := range artAPIItems(list) {
				if it["district"] != "jodhpur" {
					t.Errorf("dic.jodhpur lists %v for %q", it["name"], q)
				}
			}
			if total, n := list["total"], float64(len(artAPIItems(list))); total != n {
				t.Errorf("dic.jodhpur %q: total %v for %v items", q, total, n)
			}
		}
		if list := artAPIDo(e, "dic.jodhpur", "GET", "/api/v1/artisans", nil, 200); list["total"] != float64(1) || artAPINames(list) != "Bhanwar Lal" {
			t.Errorf("dic.jodhpur list = %v", list)
		}
		if list := artAPIDo(e, "dic.jodhpur", "GET", "/api/v1/artisans?q=kishan", nil, 200); list["total"] != float64(0) {
			t.Errorf("dic.jodhpur finds the Jaipur record: %v", list)
		}
		if list := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans?q=lal", nil, 200); artAPINames(list) != "Kishan Lal" || list["total"] != float64(1) {
			t.Errorf("dic.jaipur search lal = %v", list)
		}
		if list := artAPIDo(e, "board", "GET", "/api/v1/artisans?sort=name", nil, 200); artAPINames(list) != "Bhanwar Lal, Kishan Lal" || list["total"] != float64(2) {
			t.Errorf("board list = %v", list)
		}
		artAPIDo(e, "dic.jaipur", "GET", artAPIPath(d, ""), nil, 404)
	})
}

// TestArtisanAPIMasking: readers without personal access in the district see mobile, PAN
// and bank account masked; the district's officer sees them whole.
func TestArtisanAPIMasking(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		created := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Kishan Lal", "9829012345"), 201)
		path := artAPIPath(created, "")
		masked := map[string]any{"masked": true, "mobile": "XXXXXX2345", "pan": "XXXXXX234F", "bank_account": "XXXXXXXX9012"}
		whole := map[string]any{"masked": false, "mobile": "9829012345", "pan": "ABCPE1234F", "bank_account": "123456789012"}
		for who, want := range map[string]map[string]any{"auditor": masked, "board": masked, "dic.jaipur": whole, "entry.jaipur": whole} {
			got := artAPIDo(e, who, "GET", path, nil, 200)
			listed := artAPIItems(artAPIDo(e, who, "GET", "/api/v1/artisans", nil, 200))
			if len(listed) != 1 {
				t.Fatalf("%s lists %d", who, len(listed))
			}
			for k, v := range want {
				if got[k] != v || listed[0][k] != v {
					t.Errorf("%s sees %s = %v (listed %v), want %v", who, k, got[k], listed[0][k], v)
				}
			}
			if last4, _ := got["aadhaar_last4"].(string); last4 != artAPIAadhaar("9829012345")[8:] {
				t.Errorf("%s sees aadhaar_last4 = %q", who, last4)
			}
		}
	})
}

// TestArtisanAPIHindiSearch: a Hindi prefix matches by code point: "कि" finds किशन, not कीमत.
func TestArtisanAPIHindiSearch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, p := range []struct{ name, hi, mobile string }{
			{"Kishan Lal", "किशन लाल", "9829011111"},
			{"Kimat Singh", "कीमत सिंह", "9829022222"},
		} {
			body := artAPIBody(t, p.name, p.mobile)
			body["name_hi"] = p.hi
			artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", body, 201)
		}
		for q, want := range map[string]string{"कि": "Kishan Lal", "की": "Kimat Singh", "किशन": "Kishan Lal", "सिंह": "Kimat Singh", "क": "Kimat Singh, Kishan Lal"} {
			list := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans?sort=name&q="+url.QueryEscape(q), nil, 200)
			if got := artAPINames(list); got != want || list["total"] != float64(strings.Count(want, ",")+1) {
				t.Errorf("q=%s: %q (total %v), want %q", q, got, list["total"], want)
			}
		}
	})
}

// TestArtisanAPIListParameters: filters, sort orders and cursor paging, and the 422s of
// malformed parameters.
func TestArtisanAPIListParameters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for i, name := range []string{"Chandra", "Amar", "Bhola"} {
			body := artAPIBody(t, name, fmt.Sprintf("98290%05d", i+1))
			if name == "Bhola" {
				body["gender"], body["pan"], body["gstin"], body["social_category"] = "female", "", "", "sc"
				body["bank_account"], body["ifsc"], body["primary_craft"] = "", "", "kota-doria"
				body["crafts"] = []string{}
			}
			artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", body, 201)
		}
		get := func(q string) map[string]any {
			t.Helper()
			return artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans?"+q, nil, 200)
		}
		for q, want := range map[string]string{
			"sort=name":                              "Amar, Bhola, Chandra",
			"sort=created":                           "Bhola, Amar, Chandra",
			"sort=registration_no":                   "Chandra, Amar, Bhola",
			"gender=female":                          "Bhola",
			"social_category=obc&sort=name":          "Amar, Chandra",
			"has_pan=false":                          "Bhola",
			"has_gstin=true&sort=name":               "Amar, Chandra",
			"has_bank=0":                             "Bhola",
			"craft=bagru-block-print&sort=name":      "Amar, Chandra",
			"sector=handloom":                        "Bhola",
			"status=draft&district=jaipur&sort=name": "Amar, Bhola, Chandra",
			"status=approved":                        "",
		} {
			if got := artAPINames(get(q)); got != want {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}

		// Paging by cursor: every record once, the total on every page.
		var names []string
		q := "sort=name&limit=2"
		for page := 0; page < 5; page++ {
			out := get(q)
			if out["total"] != float64(3) {
				t.Errorf("page %d total = %v", page, out["total"])
			}
			names = append(names, artAPINames(out))
			cursor, _ := out["next_cursor"].(string)
			if cursor == "" {
				break
			}
			q = "sort=name&limit=2&cursor=" + url.QueryEscape(cursor)
		}
		if got := strings.Join(names, " | "); got != "Amar, Bhola | Chandra" {
			t.Errorf("pages = %q", got)
		}
		first := get("sort=name&limit=2")
		cursor, _ := first["next_cursor"].(string)

		for _, c := range []struct{ query, field string }{
			{"sort=age", "sort"},
			{"cursor=garbage", "cursor"},
			{"sort=created&cursor=" + url.QueryEscape(cursor), "cursor"}, // a cursor of another order
			{"limit=0", "limit"},
			{"limit=ten", "limit"},
			{"organisation_id=abc", "organisation_id"},
			{"has_gstin=maybe", "has_gstin"},
			{"has_pan=2", "has_pan"},
			{"has_bank=si", "has_bank"},
		} {
			out := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/artisans?"+c.query, nil, 422)
			if artAPIFields(out)[c.field] == nil {
				t.Errorf("%s: %v does not name %s", c.query, out, c.field)
			}
		}
		artAPIDo(e, "", "GET", "/api/v1/artisans", nil, 401)
		artAPIDo(e, "store.ajmer", "GET", "/api/v1/artisans", nil, 403)
	})
}
