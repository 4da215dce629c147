package handlers_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
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
}

func TestDistrictMonthlyReportAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		rptAPIFixture(e)
		rec := &openAPIRecorder{}
		path := "/api/v1/reports/districts/jaipur/monthly?month=2026-10"

		get := func(who, path string) []byte {
			t.Helper()
			resp := e.request("GET", path, e.token(who), nil)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s as %s: %d %s", path, who, resp.StatusCode, body)
			}
			checkAgainstOpenAPI(t, resp.Request, resp, body)
			if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("content type %q", ct)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="jaipur-2026-10.pdf"` {
				t.Errorf("content disposition %q", cd)
			}
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Errorf("body is not a PDF: %.20q", body)
			}
			return body
		}
		en := get("dic.jaipur", path)
		if again := get("board", path+"&lang=en"); !bytes.Equal(en, again) {
			t.Error("the same report twice gives different bytes")
		}
		hi := get("dic.jaipur", path+"&lang=hi")
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
	})
}
