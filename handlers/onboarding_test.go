package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"shilpkosh/app"
)

// onbArtisan registers and approves an artisan as the system; with documents it holds
// PAN, GSTIN and a bank account.
func onbArtisan(t *testing.T, e *env, name, mobile, district string, documents bool) int64 {
	t.Helper()
	ctx := context.Background()
	svc := &app.Artisans{DB: e.db, Authz: e.authz, Keys: app.NewKeys([]byte("onboarding-test-secret-onboarding"))}
	in := app.ArtisanInput{Name: name, RelativeName: "Ramesh Chand", Gender: "female", DateOfBirth: "1980-05-17",
		SocialCategory: "obc", Mobile: mobile, District: district, Tehsil: "Sanganer", Village: "Sanganer",
		PINCode: "302029", PrimaryCraft: "sanganeri-block-print", YearsInCraft: 20}
	if district == "jodhpur" {
		in.Tehsil, in.Village, in.PINCode = "Luni", "Salawas", "342802"
	}
	if documents {
		in.PAN, in.BankAccount, in.IFSC = "ABCPE1234F", "12345678901", "SBIN0001234"
		in.GSTIN = artAPIGSTIN(t, "08ABCPE1234F1Z")
	}
	a, err := svc.Create(ctx, app.System, in)
	if err == nil {
		a, err = svc.Submit(ctx, app.System, a.ID, a.Version, "")
	}
	if err == nil {
		a, err = svc.Verify(ctx, app.System, a.ID, a.Version, "")
	}
	if err == nil {
		a, err = svc.Approve(ctx, app.System, a.ID, a.Version, "")
	}
	if err != nil {
		t.Fatalf("artisan %s: %v", name, err)
	}
	return a.ID
}

func onbUpload(t *testing.T, e *env, rec *openAPIRecorder, who, csv string, want int) map[string]any {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", "sellers.csv")
	part.Write([]byte(csv))
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports/onboarding", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token(who))
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("upload as %s: %d, want %d: %s", who, resp.StatusCode, want, raw)
	}
	checkAgainstOpenAPI(t, resp.Request, resp, raw)
	rec.note("POST /api/v1/imports/onboarding", resp.StatusCode)
	out := map[string]any{}
	json.Unmarshal(raw, &out)
	return out
}

func TestOnboardingAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rec := &openAPIRecorder{}
		do := func(who, method, path string, body any, want int) map[string]any {
			t.Helper()
			return e.openAPICall(rec, method, path, e.token(who), body, want, want < 300)
		}
		bare := onbArtisan(t, e, "Bare Jaipur Artisan", "9876540001", "jaipur", false)
		docs := onbArtisan(t, e, "Documented Jaipur Artisan", "9876540002", "jaipur", true)
		jodhpur := onbArtisan(t, e, "Jodhpur Artisan", "9876540003", "jodhpur", true)
		base := "/api/v1/artisans/" + strconv.FormatInt(bare, 10) + "/onboarding/amazon"

		got := do("dic.jaipur", "GET", base, nil, 200)
		if got["stage"] != "not_started" || got["version"].(float64) != 0 {
			t.Errorf("fresh record %v", got)
		}
		do("entry.jaipur", "PUT", base, map[string]any{"stage": "documents", "version": 0}, 200)
		// Amazon's account needs PAN: the refusal names it.
		out := do("dic.jaipur", "PUT", base, map[string]any{"stage": "account_created", "version": 1}, 422)
		fields, _ := out["error"].(map[string]any)["fields"].(map[string]any)
		if pan, _ := fields["documents.pan"].(string); !strings.Contains(pan, "PAN") {
			t.Errorf("refusal does not name PAN: %v", out)
		}
		do("dic.jaipur", "PUT", base, map[string]any{"stage": "blocked", "reason": "no_pan", "note": "applied", "version": 1}, 200)
		do("dic.jaipur", "PUT", base, map[string]any{"stage": "training", "version": 1}, 409)
		got = do("auditor", "GET", base, nil, 200)
		hist, _ := got["history"].([]any)
		if len(hist) != 2 || got["reason"] != "no_pan" || hist[1].(map[string]any)["by"] != "dic.jaipur" {
			t.Errorf("after block: %v", got)
		}
		do("dic.jaipur", "GET", "/api/v1/artisans/"+strconv.FormatInt(docs, 10)+"/onboarding", nil, 200)
		do("dic.jaipur", "GET", "/api/v1/artisans/999999/onboarding", nil, 404)
		do("dic.jaipur", "GET", "/api/v1/artisans/"+strconv.FormatInt(docs, 10)+"/onboarding/no-such", nil, 404)

		// Jodhpur's DIC finds nothing of Jaipur's artisans, on every route.
		do("dic.jodhpur", "GET", base, nil, 404)
		do("dic.jodhpur", "PUT", base, map[string]any{"stage": "training", "version": 2}, 404)
		do("dic.jodhpur", "GET", "/api/v1/artisans/"+strconv.FormatInt(bare, 10)+"/onboarding", nil, 404)
		do("dic.jodhpur", "GET", "/api/v1/onboarding/funnel?district=jaipur", nil, 404)
		list := do("dic.jodhpur", "GET", "/api/v1/onboarding?platform=amazon", nil, 200)
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["artisan_id"].(float64) != float64(jodhpur) {
			t.Errorf("jodhpur's list: %v", items)
		}
		resp, _ := e.page("GET", "/artisans/"+strconv.FormatInt(bare, 10)+"/onboarding", "dic.jodhpur", nil, false)
		if resp.StatusCode != 404 {
			t.Errorf("jodhpur's tab of a jaipur artisan: %d", resp.StatusCode)
		}
		resp, _ = e.page("POST", "/artisans/"+strconv.FormatInt(bare, 10)+"/onboarding/amazon", "dic.jodhpur",
			url.Values{"stage": {"training"}, "version": {"2"}}, true)
		if resp.StatusCode != 404 {
			t.Errorf("jodhpur's move of a jaipur artisan: %d", resp.StatusCode)
		}

		list = do("board", "GET", "/api/v1/onboarding?platform=amazon&stage=blocked", nil, 200)
		if items := list["items"].([]any); len(items) != 1 {
			t.Errorf("blocked on amazon: %v", items)
		}
		do("board", "GET", "/api/v1/onboarding?stage=nowhere", nil, 422)
		f := do("admin", "GET", "/api/v1/onboarding/funnel?district=jaipur&platform=amazon", nil, 200)
		if stages := f["stages"].([]any); stages[8].(map[string]any)["count"].(float64) != 1 {
			t.Errorf("funnel %v", f)
		}
		do("admin", "GET", "/api/v1/onboarding/funnel?month=2026-13", nil, 422)

		csv := "artisan_id,platform,stage,seller_id,live_listings,note\n" +
			strconv.FormatInt(docs, 10) + ",flipkart,account_created,FK-1,0,\n"
		onbUpload(t, e, rec, "dic.jaipur", csv+strconv.FormatInt(bare, 10)+",flipkart,listed,,,\n", 422)
		if n, _ := e.db.NewSelect().Table("onboardings").Where("platform = 'flipkart'").Count(context.Background()); n != 0 {
			t.Errorf("refused upload saved %d", n)
		}
		res := onbUpload(t, e, rec, "dic.jaipur", csv, 200)
		again := onbUpload(t, e, rec, "dic.jaipur", csv, 200)
		if res["updated"].(float64) != 1 || again["updated"].(float64) != 0 || again["unchanged"].(float64) != 1 {
			t.Errorf("imports %v then %v", res, again)
		}

		p := do("admin", "GET", "/api/v1/platforms/gem", nil, 200)
		do("admin", "GET", "/api/v1/platforms/nowhere", nil, 404)
		do("admin", "PATCH", "/api/v1/platforms/gem", map[string]any{"required_documents": []string{"pan", "udyam"}, "version": p["version"]}, 200)
		do("admin", "PATCH", "/api/v1/platforms/gem", map[string]any{"required_documents": []string{"pan"}, "version": p["version"]}, 409)
	})
}

func TestOnboardingPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := onbArtisan(t, e, "Board Artisan", "9876550001", "jaipur", true)
		for _, lang := range []string{"en", "hi"} {
			resp, body := e.page("GET", "/onboarding?platform=flipkart&district=jaipur", "dic.jaipur", nil, false,
				&http.Cookie{Name: "sk_lang", Value: lang})
			want := map[string]string{"en": "Not started", "hi": "शुरू नहीं"}[lang]
			if resp.StatusCode != 200 || !strings.Contains(body, want) || !strings.Contains(body, "Board Artisan") ||
				!strings.Contains(body, "js/onboarding.") {
				t.Errorf("board in %s: %d %s", lang, resp.StatusCode, body)
			}
		}
		// The no-JavaScript move: a plain form post, then back to the board.
		path := "/artisans/" + strconv.FormatInt(id, 10) + "/onboarding/flipkart"
		resp, _ := e.page("POST", path, "entry.jaipur", url.Values{"stage": {"training"}, "version": {"0"},
			"next": {"/onboarding?platform=flipkart"}}, true)
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/onboarding?platform=flipkart" {
			t.Fatalf("move: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body := e.page("GET", "/artisans/"+strconv.FormatInt(id, 10)+"/onboarding", "dic.jaipur", nil, false)
		if !strings.Contains(body, "entry.jaipur") || !strings.Contains(body, "Training") {
			t.Errorf("tab after the move: %s", body)
		}
		// Without the CSRF token the move is refused; a stale version gets the refusal page.
		resp, _ = e.page("POST", path, "entry.jaipur", url.Values{"stage": {"listed"}, "version": {"1"}}, false)
		if resp.StatusCode != 403 {
			t.Errorf("no csrf: %d", resp.StatusCode)
		}
		resp, _ = e.page("POST", path, "entry.jaipur", url.Values{"stage": {"documents"}, "version": {"0"}}, true)
		if resp.StatusCode != 409 {
			t.Errorf("stale form: %d", resp.StatusCode)
		}
	})
}
