package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// enrolUpload posts a file to path as who and checks the answer against the document.
func enrolUpload(e *env, who, path string, data []byte, want int) map[string]any {
	t := e.t
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if data != nil {
		part, err := w.CreateFormFile("file", "enrolments.csv")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(who))
	}
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("upload as %s: status %d, want %d; body %s", who, resp.StatusCode, want, raw)
	}
	checkAgainstOpenAPI(t, resp.Request, resp, raw)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("upload: decode %s: %v", raw, err)
	}
	return out
}

func enrolCount(e *env) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Table("enrolments").Count(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// TestEnrolmentAPIImport: a file with one ineligible row saves nothing and names the rule;
// the corrected file saves every row; the same file again adds nothing.
func TestEnrolmentAPIImport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		mohan := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Mohan Lal Chhipa", "9829012345"))
		gopal := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Gopal Das Chhipa", "9829012346"))
		women := map[string]any{"slug": "rj-women", "name": "Women artisans", "name_hi": "महिला कारीगर योजना",
			"sponsor": "state", "agency": "doic", "benefit_type": "grant", "rule_genders": []string{"female"}}
		artAPIDo(e, "admin", "POST", "/api/v1/schemes", women, 201)
		day := time.Now().In(time.FixedZone("IST", 19800)).AddDate(0, 0, -1).Format(time.DateOnly)
		file := func(second string) []byte {
			return []byte("कारीगर आईडी,योजना,आवेदन तिथि,टिप्पणी\n" +
				fmt.Sprintf("%s,pm-vishwakarma,%s,camp\n", artAPIID(mohan), day) +
				fmt.Sprintf("%s,%s,%s,\n", artAPIID(gopal), second, day))
		}
		const path = "/api/v1/imports/enrolments"
		out := enrolUpload(e, "entry.jaipur", path, file("rj-women"), 422)
		errBody := out["error"].(map[string]any)
		rows, _ := errBody["rows"].([]any)
		if len(rows) != 1 || rows[0].(map[string]any)["row"] != float64(3) || rows[0].(map[string]any)["column"] != "gender" ||
			!strings.Contains(rows[0].(map[string]any)["message"].(string), "female") {
			t.Errorf("problems = %v", errBody)
		}
		if n := enrolCount(e); n != 0 {
			t.Fatalf("a refused file saved %d enrolments", n)
		}
		res := enrolUpload(e, "entry.jaipur", path, file("pm-vishwakarma"), 201)
		if res["created"] != float64(2) || res["existing"] != float64(0) {
			t.Errorf("first upload = %v", res)
		}
		res = enrolUpload(e, "dic.jaipur", path, file("pm-vishwakarma"), 201)
		if res["created"] != float64(0) || res["existing"] != float64(2) || enrolCount(e) != 2 {
			t.Errorf("second upload = %v, %d enrolments", res, enrolCount(e))
		}
		enrolUpload(e, "board", path, file("pm-vishwakarma"), 403)
		enrolUpload(e, "dic.jodhpur", path, file("pm-vishwakarma"), 422) // jaipur's artisans are unknown there
		enrolUpload(e, "entry.jaipur", path, nil, 422)
		enrolUpload(e, "", path, file("pm-vishwakarma"), 401)

		resp := e.request("GET", path+"/template", e.token("entry.jaipur"), nil)
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.HasPrefix(raw, []byte("PK")) || !strings.Contains(resp.Header.Get("Content-Disposition"), "enrolments-template.xlsx") {
			t.Errorf("template: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		checkAgainstOpenAPI(t, resp.Request, resp, raw)
		artAPIDo(e, "board", "GET", path+"/template", nil, 403)
	})
}

// TestEnrolmentAPIMonthClose: an application dated in a closed month is refused with the
// month named on the field; GET /schemes answers every scheme in full.
func TestEnrolmentAPIMonthClose(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Mohan Lal Chhipa", "9829012345"))
		last := time.Now().In(time.FixedZone("IST", 19800)).AddDate(0, -1, 0).Format("2006-01")
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/months/jaipur/"+last+"/close", nil, 200)
		body := map[string]any{"artisan_id": a["id"], "scheme": "pm-vishwakarma", "applied_on": last + "-10"}
		out := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", body, 422)
		if msg := schAPIField(out, "applied_on"); !strings.Contains(msg, last) {
			t.Errorf("closed month: %v", out)
		}
		body["applied_on"] = time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
		en := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/enrolments", body, 201)
		for _, k := range []string{"id", "artisan_id", "scheme", "status", "sanctioned_paise", "disbursed_paise"} {
			if _, ok := en[k]; !ok {
				t.Errorf("enrolment lacks %s: %v", k, en)
			}
		}
		list := artAPIDo(e, "dic.jaipur", "GET", "/api/v1/enrolments?scheme=pm-vishwakarma&district=jaipur&status=applied&month="+body["applied_on"].(string)[:7], nil, 200)
		if items := list["items"].([]any); len(items) != 1 {
			t.Errorf("filtered list = %v", items)
		}

		schemes := artAPIDo(e, "store.ajmer", "GET", "/api/v1/schemes", nil, 200)["items"].([]any)
		if len(schemes) == 0 {
			t.Fatal("no schemes")
		}
		first := schemes[0].(map[string]any)
		for _, k := range []string{"slug", "name", "name_hi", "sponsor", "agency", "sectors", "benefit_type", "rule_sectors",
			"rule_crafts", "rule_min_age", "rule_genders", "rule_social_categories", "rule_districts", "rule_must_be_approved",
			"rule_needs_bank_account", "starts_on", "ends_on", "active", "version"} {
			if _, ok := first[k]; !ok {
				t.Errorf("scheme lacks %s: %v", k, first)
			}
		}
		artAPIDo(e, "", "GET", "/api/v1/schemes", nil, 401)
	})
}
