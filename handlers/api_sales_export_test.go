package handlers_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
)

// saleExport downloads GET /api/v1/sales/export?query as who, checked against the document.
func saleExport(e *env, who, query string, want int) (string, []byte) {
	e.t.Helper()
	resp := e.request("GET", "/api/v1/sales/export?"+query, e.token(who), nil)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("export %s as %s: %d, want %d; %s", query, who, resp.StatusCode, want, raw)
	}
	checkAgainstOpenAPI(e.t, resp.Request, resp, raw)
	return resp.Header.Get("Content-Type"), raw
}

// TestSalesAPIExport: the export has the list's filters and the caller's scope, and
// neutralises formulas.
func TestSalesAPIExport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		evil := saleBody(1, "2026-09-03", "AJM-001", 150050)
		evil["product"] = "=cmd|' /C calc'!A0"
		a.do("store.ajmer", "POST", "/api/v1/sales", evil, 201)
		a.do("store.ajmer", "POST", "/api/v1/sales", saleBody(1, "2026-10-03", "AJM-002", 2500), 201)
		a.do("admin", "POST", "/api/v1/sales", saleBody(3, "2026-10-04", "OUT-001", 99900), 201)

		mime, raw := saleExport(e, "store.ajmer", "format=csv", 200)
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF")))).ReadAll()
		if err != nil || !strings.HasPrefix(mime, "text/csv") || len(recs) != 3 {
			t.Fatalf("manager's export (%s) = %v, %v", mime, recs, err)
		}
		if recs[1][7] != "'=cmd|' /C calc'!A0" || recs[1][9] != "1500.50" || recs[2][9] != "25.00" {
			t.Errorf("rows = %v", recs[1:])
		}
		_, raw = saleExport(e, "board", "from=2026-10&to=2026-10&district=ajmer", 200)
		if n := strings.Count(string(raw), "\n"); n != 3 {
			t.Errorf("october ajmer export has %d lines: %s", n, raw)
		}
		mime, raw = saleExport(e, "admin", "format=xlsx&store_id=3", 200)
		if !strings.Contains(mime, "spreadsheetml") || !bytes.HasPrefix(raw, []byte("PK")) {
			t.Errorf("xlsx export: %s", mime)
		}
		saleExport(e, "admin", "format=pdf", 422)
		saleExport(e, "admin", "from=April", 422)
		saleExport(e, "entry.jaipur", "", 403)
		rows := saleItems(a.do("board", "GET", "/api/v1/sales?from=2026-10", nil, 200))
		if len(rows) != 2 {
			t.Errorf("list from october = %v", rows)
		}
		a.do("board", "GET", "/api/v1/sales/summary?group=month&to=2026-09", nil, 200)
		a.do("board", "GET", "/api/v1/sales?to=Sept", nil, 422)
	})
}
