package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// salesAPI sends JSON requests as users, checking every answer against openapi.json.
type salesAPI struct {
	e   *env
	rec *openAPIRecorder
}

func newSalesAPI(e *env) *salesAPI { return &salesAPI{e: e, rec: &openAPIRecorder{}} }

func (a *salesAPI) do(who, method, path string, body any, want int) map[string]any {
	a.e.t.Helper()
	token := ""
	if who != "" {
		token = a.e.token(who)
	}
	return a.e.openAPICall(a.rec, method, path, token, body, want, want < 300)
}

// upload sends a statement to POST /api/v1/imports/sales as who.
func (a *salesAPI) upload(who, csv string, want int) map[string]any {
	t := a.e.t
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if csv != "" {
		part, err := w.CreateFormFile("file", "statement.csv")
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(csv))
	}
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports/sales", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+a.e.token(who))
	resp, err := a.e.srv.App().Test(req, 30_000)
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

func saleStore(name, typ, district string) map[string]any {
	return map[string]any{"name": name, "type": typ, "agency": "rhdc", "district": district, "address": "Main bazaar"}
}

func saleBody(store int, date, invoice string, amount int64) map[string]any {
	return map[string]any{"store_id": store, "date": date, "craft": "sanganeri-block-print", "product": "Block-printed dupatta",
		"quantity": 2, "amount_paise": amount, "payment_mode": "upi", "invoice_no": invoice}
}

// salesStores creates store 1 in Ajmer (store.ajmer's), store 2 in Jaipur and store 3 in
// Ajmer, so a store manager's scope can be told from their district's.
func salesStores(a *salesAPI) {
	a.e.t.Helper()
	for i, s := range []map[string]any{saleStore("Rajasthali Ajmer", "rajasthali", "ajmer"),
		saleStore("Khadi Bhandar Jaipur", "khadi_bhandar", "jaipur"), saleStore("Handloom Outlet Ajmer", "handloom_outlet", "ajmer")} {
		out := a.do("admin", "POST", "/api/v1/stores", s, 201)
		if out["id"] != float64(i+1) {
			a.e.t.Fatalf("store %d got id %v", i+1, out["id"])
		}
	}
}

func saleItems(out map[string]any) []map[string]any {
	var res []map[string]any
	for _, it := range out["items"].([]any) {
		res = append(res, it.(map[string]any))
	}
	return res
}

func saleError(out map[string]any) (msg string, fields map[string]any) {
	e, _ := out["error"].(map[string]any)
	msg, _ = e["message"].(string)
	fields, _ = e["fields"].(map[string]any)
	return msg, fields
}

func TestStoresAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		a.do("dic.jaipur", "POST", "/api/v1/stores", saleStore("X", "rajasthali", "jaipur"), 403)
		out := a.do("admin", "POST", "/api/v1/stores", map[string]any{"name": "", "type": "mall", "agency": "nobody", "district": "atlantis"}, 422)
		if _, f := saleError(out); len(f) != 4 {
			t.Errorf("invalid store fields = %v", f)
		}
		a.do("", "GET", "/api/v1/stores", nil, 401)
		a.do("admin", "GET", "/api/v1/stores?active=maybe", nil, 422)
		if n := len(saleItems(a.do("admin", "GET", "/api/v1/stores", nil, 200))); n != 3 {
			t.Errorf("admin lists %d stores", n)
		}
		if items := saleItems(a.do("store.ajmer", "GET", "/api/v1/stores", nil, 200)); len(items) != 1 || items[0]["id"] != float64(1) {
			t.Errorf("store manager lists %v", items)
		}
		if items := saleItems(a.do("dic.jaipur", "GET", "/api/v1/stores?type=khadi_bhandar", nil, 200)); len(items) != 1 || items[0]["district"] != "jaipur" {
			t.Errorf("jaipur officer lists %v", items)
		}
		a.do("store.ajmer", "GET", "/api/v1/stores/1", nil, 200)
		a.do("store.ajmer", "GET", "/api/v1/stores/3", nil, 404) // same district, not their store
		a.do("dic.jaipur", "GET", "/api/v1/stores/1", nil, 404)
		a.do("entry.jaipur", "GET", "/api/v1/stores/1", nil, 403) // data entry has no store:read

		got := a.do("admin", "PATCH", "/api/v1/stores/2", map[string]any{"address": "MI Road", "version": 1}, 200)
		if got["address"] != "MI Road" || got["version"] != float64(2) || got["name"] != "Khadi Bhandar Jaipur" {
			t.Errorf("patched = %v", got)
		}
		a.do("admin", "PATCH", "/api/v1/stores/2", map[string]any{"address": "Stale", "version": 1}, 409)
		a.do("admin", "PATCH", "/api/v1/stores/2", map[string]any{"type": "kiosk", "version": 2}, 422)
		a.do("admin", "PATCH", "/api/v1/stores/99", map[string]any{"version": 1}, 404)
		a.do("dic.jaipur", "PATCH", "/api/v1/stores/2", map[string]any{"version": 2}, 403)
		var n int
		if err := e.db.NewSelect().Table("audit_log").ColumnExpr("COUNT(*)").Where("entity = 'store'").Scan(t.Context(), &n); err != nil || n != 4 {
			t.Errorf("store audit entries = %d, %v; want 4", n, err)
		}
	})
}

func TestSalesAPIStoreManagerScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		own := a.do("store.ajmer", "POST", "/api/v1/sales", saleBody(1, "2026-10-03", "AJM-001", 150000), 201)
		if own["store_id"] != float64(1) || own["amount_paise"] != float64(150000) || own["artisan_id"] != nil || own["district"] != "ajmer" {
			t.Errorf("created = %v", own)
		}
		// Store 3 is in the manager's district but is not their store.
		out := a.do("store.ajmer", "POST", "/api/v1/sales", saleBody(3, "2026-10-03", "OUT-001", 1000), 422)
		if _, f := saleError(out); f["store_id"] == nil {
			t.Errorf("another store's sale: %v", out)
		}
		other := a.do("admin", "POST", "/api/v1/sales", saleBody(3, "2026-10-04", "OUT-001", 99900), 201)
		a.do("admin", "POST", "/api/v1/sales", saleBody(2, "2026-10-04", "JPR-001", 50000), 201)

		a.do("store.ajmer", "GET", "/api/v1/sales/"+artAPIID(own), nil, 200)
		a.do("store.ajmer", "GET", "/api/v1/sales/"+artAPIID(other), nil, 404)
		a.do("dic.jaipur", "GET", "/api/v1/sales/"+artAPIID(own), nil, 404)
		a.do("entry.jaipur", "GET", "/api/v1/sales/"+artAPIID(own), nil, 403)
		a.do("", "GET", "/api/v1/sales", nil, 401)

		if items := saleItems(a.do("store.ajmer", "GET", "/api/v1/sales", nil, 200)); len(items) != 1 || items[0]["invoice_no"] != "AJM-001" {
			t.Errorf("store manager lists %v", items)
		}
		// Filters cannot widen the scope.
		if items := saleItems(a.do("store.ajmer", "GET", "/api/v1/sales?store_id=3", nil, 200)); len(items) != 0 {
			t.Errorf("store manager lists store 3: %v", items)
		}
		if items := saleItems(a.do("dic.jaipur", "GET", "/api/v1/sales?district=ajmer", nil, 200)); len(items) != 0 {
			t.Errorf("jaipur officer lists ajmer: %v", items)
		}
		page := a.do("board", "GET", "/api/v1/sales?limit=2", nil, 200)
		if len(saleItems(page)) != 2 || page["next_cursor"] == nil {
			t.Fatalf("first page = %v", page)
		}
		if items := saleItems(a.do("board", "GET", "/api/v1/sales?limit=2&cursor="+page["next_cursor"].(string), nil, 200)); len(items) != 1 {
			t.Errorf("second page = %v", items)
		}
		a.do("board", "GET", "/api/v1/sales?month=October", nil, 422)
		a.do("board", "GET", "/api/v1/sales?limit=0", nil, 422)

		rows := saleItems(a.do("store.ajmer", "GET", "/api/v1/sales/summary?group=district", nil, 200))
		if len(rows) != 1 || rows[0]["key"] != "ajmer" || rows[0]["count"] != float64(1) || rows[0]["amount_paise"] != float64(150000) {
			t.Errorf("store manager's totals = %v", rows)
		}

		// Invoice numbers are unique per store, not across stores.
		out = a.do("store.ajmer", "POST", "/api/v1/sales", saleBody(1, "2026-10-05", "AJM-001", 1000), 422)
		if msg, f := saleError(out); f["invoice_no"] == nil || !strings.Contains(f["invoice_no"].(string), "AJM-001") {
			t.Errorf("duplicate invoice: %s %v", msg, f)
		}
		a.do("admin", "POST", "/api/v1/sales", saleBody(3, "2026-10-05", "AJM-001", 1000), 201)
		a.do("dic.jaipur", "POST", "/api/v1/sales", saleBody(2, "2026-10-05", "JPR-009", 1000), 403)
		a.do("store.ajmer", "POST", "/api/v1/sales", `{"store_id": "one"}`, 422)
		bad := saleBody(1, "2026-13-01", "", 0)
		bad["payment_mode"], bad["craft"] = "barter", "no-such-craft"
		out = a.do("store.ajmer", "POST", "/api/v1/sales", bad, 422)
		if _, f := saleError(out); len(f) != 5 {
			t.Errorf("invalid sale fields = %v", f)
		}
	})
}

func TestSalesAPIMonthClose(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		orig := a.do("admin", "POST", "/api/v1/sales", saleBody(2, "2026-10-10", "JPR-100", 200000), 201)

		a.do("dic.jodhpur", "POST", "/api/v1/months/jaipur/2026-10/close", nil, 403)
		a.do("dic.jaipur", "POST", "/api/v1/months/jaipur/October/close", nil, 422)
		closed := a.do("dic.jaipur", "POST", "/api/v1/months/jaipur/2026-10/close", nil, 200)
		if closed["closed"] != true || closed["month"] != "2026-10" || closed["reopened_at"] != nil {
			t.Errorf("closed = %v", closed)
		}
		a.do("dic.jaipur", "POST", "/api/v1/months/jaipur/2026-10/close", nil, 409)
		a.do("admin", "POST", "/api/v1/months/atlantis/2026-10/close", nil, 404)

		out := a.do("admin", "POST", "/api/v1/sales", saleBody(2, "2026-10-31", "JPR-101", 5000), 422)
		if msg, f := saleError(out); !strings.Contains(msg, "2026-10") || f["date"] == nil {
			t.Errorf("sale in a closed month: %q %v", msg, f)
		}
		// Another district's same month is open.
		a.do("admin", "POST", "/api/v1/sales", saleBody(1, "2026-10-31", "AJM-101", 5000), 201)

		corr := saleBody(2, "2026-11-02", "JPR-100-C1", -50000)
		corr["quantity"], corr["corrects_sale_id"] = -1, orig["id"]
		got := a.do("admin", "POST", "/api/v1/sales", corr, 201)
		if got["corrects_sale_id"] != orig["id"] || got["amount_paise"] != float64(-50000) {
			t.Errorf("correction = %v", got)
		}
		corr["invoice_no"], corr["corrects_sale_id"] = "JPR-100-C2", 999999
		a.do("admin", "POST", "/api/v1/sales", corr, 422)
		neg := saleBody(2, "2026-11-03", "JPR-102", -100)
		a.do("admin", "POST", "/api/v1/sales", neg, 422) // negative only in a correction
		// A correction dated in the closed month is refused too.
		corr["invoice_no"], corr["corrects_sale_id"], corr["date"] = "JPR-100-C3", orig["id"], "2026-10-30"
		a.do("admin", "POST", "/api/v1/sales", corr, 422)

		rows := saleItems(a.do("dic.jaipur", "GET", "/api/v1/sales/summary?group=district", nil, 200))
		if len(rows) != 1 || rows[0]["amount_paise"] != float64(150000) || rows[0]["count"] != float64(2) {
			t.Errorf("jaipur totals with the correction = %v", rows)
		}

		a.do("dic.jaipur", "POST", "/api/v1/months/jaipur/2026-10/reopen", map[string]any{"reason": "Late bills"}, 403)
		a.do("admin", "POST", "/api/v1/months/jaipur/2026-10/reopen", map[string]any{"reason": "  "}, 422)
		a.do("admin", "POST", "/api/v1/months/jaipur/2026-10/reopen", nil, 422)
		a.do("admin", "POST", "/api/v1/months/jaipur/2026-09/reopen", map[string]any{"reason": "Late bills"}, 409)
		a.do("admin", "POST", "/api/v1/months/atlantis/2026-10/reopen", map[string]any{"reason": "Late bills"}, 404)
		re := a.do("admin", "POST", "/api/v1/months/jaipur/2026-10/reopen", map[string]any{"reason": "Late bills from the fair"}, 200)
		if re["closed"] != false || re["reopen_reason"] != "Late bills from the fair" || re["reopened_at"] == nil {
			t.Errorf("reopened = %v", re)
		}
		var after string
		if err := e.db.NewSelect().Table("audit_log").Column("after_json").
			Where("entity = 'month' AND action = 'reopen' AND entity_id = 'jaipur/2026-10' AND district = 'jaipur'").
			Scan(t.Context(), &after); err != nil || !strings.Contains(after, "Late bills from the fair") {
			t.Errorf("reopen audit = %q, %v", after, err)
		}
		a.do("admin", "POST", "/api/v1/sales", saleBody(2, "2026-10-31", "JPR-101", 5000), 201)

		months := saleItems(a.do("auditor", "GET", "/api/v1/months?district=jaipur", nil, 200))
		if len(months) != 1 || months[0]["closed"] != false {
			t.Errorf("months = %v", months)
		}
		if n := len(saleItems(a.do("dic.jodhpur", "GET", "/api/v1/months", nil, 200))); n != 0 {
			t.Errorf("jodhpur officer sees %d jaipur months", n)
		}
		a.do("store.ajmer", "GET", "/api/v1/months", nil, 403)
		a.do("", "GET", "/api/v1/months", nil, 401)
		// Closing again after a reopen closes it.
		a.do("admin", "POST", "/api/v1/months/jaipur/2026-10/close", nil, 200)
		a.do("admin", "POST", "/api/v1/sales", saleBody(2, "2026-10-31", "JPR-102", 5000), 422)
	})
}

const saleStatementHeader = "date,invoice_no,craft,product,quantity,amount,payment_mode\n"

func TestSalesAPIImport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		count := func() int {
			n, err := e.db.NewSelect().Table("sales").Count(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		bad := saleStatementHeader +
			"2026-10-01,B-1,sanganeri-block-print,Dupatta,2,\"1,500.50\",cash\n" +
			"02-10-2026,B-2,no-such-craft,Saree,1,2500,upi\n" +
			"2026-10-03,B-3,dabu-print,Bedsheet,1,1200,card\n"
		out := a.upload("store.ajmer", bad, 422)
		errBody := out["error"].(map[string]any)
		rows, _ := errBody["rows"].([]any)
		if len(rows) != 1 || rows[0].(map[string]any)["row"] != float64(3) || rows[0].(map[string]any)["column"] != "craft" {
			t.Errorf("problems = %v", errBody)
		}
		if n := count(); n != 0 {
			t.Fatalf("a refused statement saved %d sales", n)
		}

		good := strings.Replace(bad, "no-such-craft", "bagru-block-print", 1)
		res := a.upload("store.ajmer", good, 201)
		if res["created"] != float64(3) || res["existing"] != float64(0) {
			t.Errorf("first upload = %v", res)
		}
		res = a.upload("store.ajmer", good, 201)
		if res["created"] != float64(0) || res["existing"] != float64(3) || count() != 3 {
			t.Errorf("second upload = %v, %d sales", res, count())
		}
		sales := saleItems(a.do("store.ajmer", "GET", "/api/v1/sales?month=2026-10", nil, 200))
		var total float64
		for _, s := range sales {
			total += s["amount_paise"].(float64)
			if s["store_id"] != float64(1) {
				t.Errorf("imported into store %v", s["store_id"])
			}
		}
		if len(sales) != 3 || total != 150050+250000+120000 {
			t.Errorf("imported %d sales totalling %v", len(sales), total)
		}

		// A store manager's statement naming another store is refused.
		out = a.upload("store.ajmer", "store_id,"+saleStatementHeader+"3,2026-10-04,X-1,dabu-print,Rug,1,100,cash\n", 422)
		if n := count(); n != 3 {
			t.Errorf("another store's statement saved: %d sales, %v", n, out)
		}
		// A closed month refuses new rows, and repeats in the file are caught.
		a.do("admin", "POST", "/api/v1/months/ajmer/2026-09/close", nil, 200)
		out = a.upload("admin", "store_id,"+saleStatementHeader+
			"3,2026-09-30,Y-1,dabu-print,Rug,1,100,cash\n3,2026-10-01,Y-2,dabu-print,Rug,1,100,cash\n3,2026-10-01,Y-2,dabu-print,Rug,1,100,cash\n", 422)
		if msg := out["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "2") {
			t.Errorf("message = %q", msg)
		}
		if rows := out["error"].(map[string]any)["rows"].([]any); len(rows) != 2 ||
			!strings.Contains(rows[0].(map[string]any)["message"].(string), "2026-09") {
			t.Errorf("closed month and repeat = %v", rows)
		}
		a.upload("store.ajmer", "name,place\nx,y\n", 422)
		a.upload("store.ajmer", "", 422)
		a.upload("dic.jaipur", good, 403)
		if n := count(); n != 3 {
			t.Errorf("refused uploads saved: %d", n)
		}
	})
}

func TestSalesAPISummary(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newSalesAPI(e)
		salesStores(a)
		artisan := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Mohan Lal Chhipa", "9829012345"), 201)
		artisanID, _ := strconv.ParseInt(artAPIID(artisan), 10, 64)
		fixture := []struct {
			store   int
			date    string
			craft   string
			amount  int64
			artisan bool
		}{
			{1, "2026-10-01", "sanganeri-block-print", 100000, true},
			{1, "2026-10-15", "dabu-print", 50000, false},
			{1, "2026-11-02", "sanganeri-block-print", 25000, false},
			{2, "2026-10-20", "sanganeri-block-print", 70000, true},
			{3, "2026-11-05", "dabu-print", 12345, false},
		}
		for i, f := range fixture {
			b := saleBody(f.store, f.date, "INV-"+strconv.Itoa(i), f.amount)
			b["craft"] = f.craft
			if f.artisan {
				b["artisan_id"] = artisanID
			}
			a.do("admin", "POST", "/api/v1/sales", b, 201)
		}
		type row struct {
			key    string
			count  float64
			amount float64
		}
		summary := func(who, query string) []row {
			t.Helper()
			var out []row
			for _, it := range saleItems(a.do(who, "GET", "/api/v1/sales/summary?"+query, nil, 200)) {
				out = append(out, row{it["key"].(string), it["count"].(float64), it["amount_paise"].(float64)})
			}
			return out
		}
		aid := artAPIID(artisan)
		for _, tc := range []struct {
			who, query string
			want       []row
		}{
			{"admin", "group=store", []row{{"1", 3, 175000}, {"2", 1, 70000}, {"3", 1, 12345}}},
			{"board", "group=district", []row{{"ajmer", 4, 187345}, {"jaipur", 1, 70000}}},
			{"auditor", "group=craft", []row{{"dabu-print", 2, 62345}, {"sanganeri-block-print", 3, 195000}}},
			{"admin", "group=month", []row{{"2026-10", 3, 220000}, {"2026-11", 2, 37345}}},
			{"admin", "group=artisan", []row{{"", 3, 87345}, {aid, 2, 170000}}},
			{"admin", "group=store&month=2026-10", []row{{"1", 2, 150000}, {"2", 1, 70000}}},
			{"admin", "group=month&district=ajmer&craft=dabu-print", []row{{"2026-10", 1, 50000}, {"2026-11", 1, 12345}}},
			{"admin", "group=craft&artisan_id=" + aid, []row{{"sanganeri-block-print", 2, 170000}}},
			{"admin", "group=district&store_id=3", []row{{"ajmer", 1, 12345}}},
			{"store.ajmer", "group=store", []row{{"1", 3, 175000}}},
			{"dic.jaipur", "group=month", []row{{"2026-10", 1, 70000}}},
			{"dic.jodhpur", "group=month", nil},
		} {
			got := summary(tc.who, tc.query)
			if len(got) != len(tc.want) {
				t.Errorf("%s %s = %v, want %v", tc.who, tc.query, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s %s = %v, want %v", tc.who, tc.query, got, tc.want)
					break
				}
			}
		}
		a.do("admin", "GET", "/api/v1/sales/summary?group=colour", nil, 422)
		a.do("admin", "GET", "/api/v1/sales/summary", nil, 422)
		a.do("entry.jaipur", "GET", "/api/v1/sales/summary?group=store", nil, 403)
		a.do("", "GET", "/api/v1/sales/summary?group=store", nil, 401)
	})
}
