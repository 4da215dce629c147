package handlers_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// rptAPIFixture adds a Jaipur store with a sale in October 2026.
func rptAPIFixture(e *env) {
	e.t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 10, 6, 12, 0, 0, 0, time.UTC)
	var store int64
	if err := e.db.NewRaw("INSERT INTO stores (name, type, agency, district, created_at, updated_at) "+
		"VALUES ('Rajasthali Jaipur', 'rajasthali', 'rhdc', 'jaipur', ?, ?) RETURNING id", at, at).Scan(ctx, &store); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.NewRaw("INSERT INTO sales (store_id, district, sale_date, month, craft, product, quantity, amount_paise, "+
		"payment_mode, invoice_no, created_at) VALUES (?, 'jaipur', '2026-10-05', '2026-10', 'blue-pottery', 'Vase', 1, 1250000, "+
		"'upi', 'JPR-1', ?)", store, at).Exec(ctx); err != nil {
		e.t.Fatal(err)
	}
	// Written past the sales service, so its monthly roll-up is brought up to date by hand.
	if err := app.RebuildSalesMonths(ctx, e.db); err != nil {
		e.t.Fatal(err)
	}
}

// rptGet downloads path as who, expecting a 200 of contentType named filename.
func rptGet(t *testing.T, e *env, who, path, contentType, filename string) []byte {
	t.Helper()
	resp := e.request("GET", path, e.token(who), nil)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s as %s: %d %s", path, who, resp.StatusCode, body)
	}
	checkAgainstOpenAPI(t, resp.Request, resp, body)
	if ct := resp.Header.Get("Content-Type"); ct != contentType {
		t.Errorf("%s: content type %q", path, ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+filename+`"` {
		t.Errorf("%s: content disposition %q", path, cd)
	}
	return body
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func TestDistrictMonthlyReportAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		rec := &openAPIRecorder{}
		path := "/api/v1/reports/districts/jaipur/monthly?month=2026-10"
		en := rptGet(t, e, "dic.jaipur", path, "application/pdf", "jaipur-2026-10.pdf")
		if !bytes.HasPrefix(en, []byte("%PDF-")) {
			t.Errorf("body is not a PDF: %.20q", en)
		}
		if again := rptGet(t, e, "board", path+"&lang=en", "application/pdf", "jaipur-2026-10.pdf"); !bytes.Equal(en, again) {
			t.Error("the same report twice gives different bytes")
		}
		hi := rptGet(t, e, "dic.jaipur", path+"&lang=hi", "application/pdf", "jaipur-2026-10-hi.pdf")
		if bytes.Equal(en, hi) {
			t.Error("lang=hi gives the English report")
		}

		e.openAPICall(rec, "GET", path, "", nil, 401, true)
		out := e.openAPICall(rec, "GET", path, e.token("dic.jodhpur"), nil, 403, true)
		if errorCode(out) != "forbidden" {
			t.Errorf("jodhpur officer: %v", out)
		}
		e.openAPICall(rec, "GET", path, e.token("entry.jaipur"), nil, 403, true) // data entry has no report:read
		e.openAPICall(rec, "GET", "/api/v1/reports/districts/atlantis/monthly?month=2026-10", e.token("board"), nil, 404, true)
		for _, bad := range []string{"?month=October", "?month=2026-13", "", "?month=2026-10&lang=fr"} {
			out := e.openAPICall(rec, "GET", "/api/v1/reports/districts/jaipur/monthly"+bad, e.token("dic.jaipur"), nil, 422, false)
			if errorCode(out) != "invalid" {
				t.Errorf("%s: %v", bad, out)
			}
		}

		// The same tables as XLSX.
		x := rptGet(t, e, "dic.jaipur", "/api/v1/reports/districts/jaipur/monthly.xlsx?month=2026-10", xlsxType, "jaipur-2026-10.xlsx")
		if !bytes.HasPrefix(x, []byte("PK")) {
			t.Error("the XLSX is not a zip")
		}
		e.openAPICall(rec, "GET", "/api/v1/reports/districts/jaipur/monthly.xlsx?month=2026-10", e.token("dic.jodhpur"), nil, 403, true)
		e.openAPICall(rec, "GET", "/api/v1/reports/districts/atlantis/monthly.xlsx?month=2026-10", e.token("board"), nil, 404, true)
		e.openAPICall(rec, "GET", "/api/v1/reports/districts/jaipur/monthly.xlsx?month=26-10", e.token("board"), nil, 422, false)
		e.openAPICall(rec, "GET", "/api/v1/reports/districts/jaipur/monthly.xlsx?month=2026-10", "", nil, 401, true)
	})
}

func TestStateMonthlyReportAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		rec := &openAPIRecorder{}
		pdf := rptGet(t, e, "auditor", "/api/v1/reports/state/monthly?month=2026-10", "application/pdf", "rajasthan-2026-10.pdf")
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Error("not a PDF")
		}
		rptGet(t, e, "board", "/api/v1/reports/state/monthly.xlsx?month=2026-10&lang=hi", xlsxType, "rajasthan-2026-10.xlsx")
		for _, p := range []string{"/api/v1/reports/state/monthly?month=2026-10", "/api/v1/reports/state/monthly.xlsx?month=2026-10"} {
			e.openAPICall(rec, "GET", p, e.token("dic.jaipur"), nil, 403, true)
			e.openAPICall(rec, "GET", p, "", nil, 401, true)
			e.openAPICall(rec, "GET", strings.Replace(p, "2026-10", "2026-1", 1), e.token("board"), nil, 422, false)
		}
	})
}

func TestReportArchiveAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		rec := &openAPIRecorder{}
		body := map[string]any{"district": "jaipur", "month": "2026-10", "lang": "hi"}
		made := e.openAPICall(rec, "POST", "/api/v1/reports", e.token("dic.jaipur"), body, 201, true)
		code, _ := made["code"].(string)
		id := int64(made["id"].(float64))
		if len(code) != 12 || made["unchanged"] != false {
			t.Fatalf("generated = %v", made)
		}
		if again := e.openAPICall(rec, "POST", "/api/v1/reports", e.token("board"), body, 200, true); again["code"] != code {
			t.Errorf("unchanged report: %v", again)
		}
		e.openAPICall(rec, "POST", "/api/v1/reports", e.token("dic.jodhpur"), body, 404, true)
		e.openAPICall(rec, "POST", "/api/v1/reports", e.token("dic.jodhpur"), map[string]any{"kind": "state", "month": "2026-10"}, 403, true)
		e.openAPICall(rec, "POST", "/api/v1/reports", e.token("auditor"), body, 403, true)
		e.openAPICall(rec, "POST", "/api/v1/reports", "", body, 401, true)
		e.openAPICall(rec, "POST", "/api/v1/reports", e.token("board"), map[string]any{"district": "jaipur", "month": "10/2026"}, 422, false)

		list := e.openAPICall(rec, "GET", "/api/v1/reports?month=2026-10", e.token("dic.jaipur"), nil, 200, true)
		if items, _ := list["items"].([]any); len(items) != 1 {
			t.Errorf("jaipur officer's archive: %v", list)
		}
		if items, _ := e.openAPICall(rec, "GET", "/api/v1/reports", e.token("dic.jodhpur"), nil, 200, true)["items"].([]any); len(items) != 0 {
			t.Errorf("jodhpur officer sees %d reports", len(items))
		}
		e.openAPICall(rec, "GET", "/api/v1/reports?month=soon", e.token("board"), nil, 422, false)
		e.openAPICall(rec, "GET", "/api/v1/reports", e.token("entry.jaipur"), nil, 403, true)

		file := "/api/v1/reports/" + strconv.FormatInt(id, 10) + "/file"
		pdf := rptGet(t, e, "dic.jaipur", file, "application/pdf", "jaipur-2026-10-hi.pdf")
		e.openAPICall(rec, "GET", file, e.token("dic.jodhpur"), nil, 404, true)
		e.openAPICall(rec, "GET", "/api/v1/reports/999999/file", e.token("board"), nil, 404, true)
		e.openAPICall(rec, "GET", file, "", nil, 401, true)

		// The public verify page, signed out.
		resp, page := e.page("GET", "/verify/"+strings.ToLower(code), "", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(page, "Jaipur") || !strings.Contains(page, "October 2026") ||
			!strings.Contains(page, "DIC Jaipur") {
			t.Errorf("verify page: %d\n%s", resp.StatusCode, page)
		}
		if resp, _ := e.page("GET", "/verify/0000-0000-0000", "", nil, false); resp.StatusCode != 404 {
			t.Errorf("unknown code: %d", resp.StatusCode)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Error("archived file is not a PDF")
		}
	})
}

func TestReportsPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		resp, page := e.page("GET", "/reports?month=2026-10", "dic.jaipur", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(page, `name="district"`) || strings.Contains(page, `value="jodhpur"`) ||
			!strings.Contains(page, "/reports/districts/jaipur/monthly.xlsx?month=2026-10") {
			t.Fatalf("reports page: %d\n%s", resp.StatusCode, page)
		}
		form := url.Values{"district": {"jaipur"}, "month": {"2026-10"}, "lang": {"en"}}
		if resp, _ := e.page("POST", "/reports", "dic.jaipur", form, false); resp.StatusCode != 403 {
			t.Errorf("without CSRF: %d", resp.StatusCode)
		}
		if resp, _ := e.page("POST", "/reports", "dic.jaipur", form, true); resp.StatusCode != 303 {
			t.Fatalf("generate: %d", resp.StatusCode)
		}
		_, page = e.page("GET", "/reports", "dic.jaipur", nil, false)
		if !strings.Contains(page, "/verify/") || !strings.Contains(page, "/file") {
			t.Errorf("archive not listed:\n%s", page)
		}
		bad := url.Values{"district": {"jodhpur"}, "month": {"2026-10"}, "lang": {"en"}}
		if resp, _ := e.page("POST", "/reports", "dic.jaipur", bad, true); resp.StatusCode != 404 {
			t.Errorf("another district: %d", resp.StatusCode)
		}
		if resp, _ := e.page("POST", "/reports", "dic.jaipur", url.Values{"month": {"2026-10"}}, true); resp.StatusCode != 422 {
			t.Errorf("no district: %d", resp.StatusCode)
		}
		if resp, _ := e.page("GET", "/reports/districts/jodhpur/monthly.xlsx?month=2026-10", "dic.jaipur", nil, false); resp.StatusCode != 403 {
			t.Errorf("jodhpur xlsx as jaipur officer: %d", resp.StatusCode)
		}
		if _, hi := e.page("GET", "/reports", "board", nil, false, &http.Cookie{Name: "sk_lang", Value: "hi"}); !strings.Contains(hi, "राज्य सारांश") {
			t.Error("the Hindi page lacks the state summary choice")
		}
	})
}
