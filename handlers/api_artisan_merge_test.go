package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestArtisanAPIMerge(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		keepBody := artAPIBody(t, "Mohan Lal Chhipa", "9829011111")
		delete(keepBody, "aadhaar")
		keep := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", keepBody, 201)
		dropBody := artAPIBody(t, "Mohanlal Chipa", "9829022222")
		drop := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", dropBody, 201)
		merge := map[string]any{"duplicate_id": drop["id"]}

		artAPIDo(e, "dic.jaipur", "POST", artAPIPath(keep, "/merge"), merge, 403)
		artAPIDo(e, "admin", "POST", artAPIPath(keep, "/merge"), map[string]any{"duplicate_id": keep["id"]}, 422)
		artAPIDo(e, "admin", "POST", artAPIPath(keep, "/merge"), map[string]any{}, 422)

		kept := artAPIDo(e, "admin", "POST", artAPIPath(keep, "/merge"), merge, 200)
		if kept["aadhaar_last4"] != drop["aadhaar_last4"] || kept["aadhaar_last4"] == "" {
			t.Errorf("kept record did not take over the Aadhaar: %v vs %v", kept["aadhaar_last4"], drop["aadhaar_last4"])
		}
		dropped := artAPIDo(e, "admin", "GET", artAPIPath(drop, ""), nil, 200)
		if dropped["status"] != "inactive" || dropped["deactivation_reason"] != "duplicate" || dropped["merged_into"] != keep["id"] {
			t.Errorf("dropped record = %v", dropped)
		}
		history := artAPIDo(e, "admin", "GET", artAPIPath(drop, "/history"), nil, 200)
		if items, _ := history["items"].([]any); len(items) < 2 {
			t.Errorf("dropped record's history lost: %v", history)
		}
		// A merged record cannot be merged again.
		artAPIDo(e, "admin", "POST", artAPIPath(keep, "/merge"), merge, 409)
	})
}

// TestAadhaarNeverInLogs sends Aadhaar numbers, good and bad, through the API and checks
// that no log line carries them.
func TestAadhaarNeverInLogs(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := artAPIBody(t, "Hari Om Prajapat", "9829033333")
		good := body["aadhaar"].(string)
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", body, 201)
		bad := body
		bad["mobile"], bad["aadhaar"] = "9829044444", good[:11]+string('0'+(good[11]-'0'+1)%10)
		out := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", bad, 422)
		if raw := strings.Join([]string{e.logs.String(), toJSON(t, out)}, "\n"); strings.Contains(raw, good) ||
			strings.Contains(raw, bad["aadhaar"].(string)) || strings.Contains(raw, good[:8]) {
			t.Errorf("an Aadhaar number reached the logs or the error answer")
		}
		if !strings.Contains(e.logs.String(), "/api/v1/artisans") {
			t.Error("the requests were not logged at all, so the check above proves nothing")
		}
	})
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestArtisanPageMerge merges a duplicate from the record page: only a state admin sees
// the form, and a bad number shows the error by the field.
func TestArtisanPageMerge(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		keep := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Lalit Kumar Chhipa", "9829055555"), 201)
		drop := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Lalit Chhipa", "9829066666"), 201)
		page := "/artisans/" + artAPIID(keep)

		if _, body := e.page("GET", page, "dic.jaipur", nil, false); strings.Contains(body, `action="`+page+`/merge"`) {
			t.Error("a DIC officer is offered the merge form")
		}
		_, body := e.page("GET", page, "admin", nil, false)
		if !strings.Contains(body, `action="`+page+`/merge"`) || !strings.Contains(body, `name="duplicate_id"`) {
			t.Fatal("the state admin is not offered the merge form")
		}
		resp, body := e.page("POST", page+"/merge", "admin", url.Values{"duplicate_id": {artAPIID(keep)}}, true)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="f-merge-duplicate-error"`) {
			t.Errorf("merging a record into itself: %d, field error shown: %v", resp.StatusCode, strings.Contains(body, "f-merge-duplicate-error"))
		}
		resp, _ = e.page("POST", page+"/merge", "admin", url.Values{"duplicate_id": {artAPIID(drop)}}, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != page {
			t.Fatalf("merge: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		dropped := artAPIDo(e, "admin", "GET", artAPIPath(drop, ""), nil, 200)
		if dropped["status"] != "inactive" || dropped["merged_into"] != keep["id"] {
			t.Errorf("dropped record = %v", dropped)
		}
		if resp, _ := e.page("POST", page+"/merge", "dic.jaipur", url.Values{"duplicate_id": {artAPIID(drop)}}, true); resp.StatusCode != 403 {
			t.Errorf("merge as DIC officer: %d", resp.StatusCode)
		}
	})
}
