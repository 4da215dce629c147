package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"shilpkosh/views"
)

func storeForm(name, district string, changes ...string) url.Values {
	v := url.Values{"name": {name}, "type": {"rajasthali"}, "agency": {"rhdc"}, "district": {district}, "address": {"MI Road"}}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func saleForm(store, date, invoice, amount string) url.Values {
	return url.Values{"store_id": {store}, "date": {date}, "invoice_no": {invoice}, "craft": {"sanganeri-block-print"},
		"product": {"Block-printed dupatta"}, "quantity": {"2"}, "amount": {amount}, "payment_mode": {"upi"}}
}

// webStores creates, through the pages, store 1 in Ajmer (store.ajmer's) and store 2 in
// Jaipur.
func webStores(t *testing.T, e *env) {
	t.Helper()
	for _, f := range []url.Values{storeForm("Rajasthali Ajmer", "ajmer"), storeForm("Rajasthali Jaipur", "jaipur")} {
		if resp, body := postPage(e, "admin", "/stores", f); resp.StatusCode != 303 {
			t.Fatalf("store: %d\n%s", resp.StatusCode, body)
		}
	}
}

func TestStorePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp, body := postPage(e, "admin", "/stores", storeForm("", "ajmer", "type", "bazaar"))
		if resp.StatusCode != 422 || fieldError(body, "f-name") == "" || fieldError(body, "f-type") == "" {
			t.Fatalf("bad store: %d", resp.StatusCode)
		}
		checkFeaturePage(t, "store form with errors", body)
		webStores(t, e)
		body = getPage(t, e, "admin", "/stores/2/edit", "hi")
		version := versionOf(t, body)
		edit := storeForm("Rajasthali Jaipur MI Road", "jaipur", "version", version, "active", "1")
		if resp, _ := postPage(e, "admin", "/stores/2", edit); resp.StatusCode != 303 {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "admin", "/stores/2", edit); resp.StatusCode != 409 {
			t.Errorf("stale edit: %d", resp.StatusCode)
		}
		// Each sees the stores of their scope: the manager their own, the DIC their district's.
		if body := getPage(t, e, "store.ajmer", "/stores", "en"); !strings.Contains(body, "Rajasthali Ajmer") || strings.Contains(body, "Rajasthali Jaipur") {
			t.Errorf("store.ajmer's stores")
		}
		body = getPage(t, e, "dic.jaipur", "/stores", "hi")
		if !strings.Contains(body, "Rajasthali Jaipur MI Road") || strings.Contains(body, "Rajasthali Ajmer") || strings.Contains(body, "/edit") {
			t.Errorf("dic.jaipur's stores")
		}
	})
}

func TestSalePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		webStores(t, e)
		// The manager's form offers their store only; a bad amount is refused by its field.
		body := getPage(t, e, "store.ajmer", "/sales/new", "hi")
		if !strings.Contains(body, `<option value="1" selected>`) || strings.Contains(body, `<option value="2"`) {
			t.Errorf("store.ajmer's sale form offers other stores")
		}
		resp, body := postPage(e, "store.ajmer", "/sales", saleForm("1", "05-10-2026", "A-1", "12.345"))
		if resp.StatusCode != 422 || !strings.Contains(fieldError(body, "f-amount"), views.T("en", "validation.amount", nil)) {
			t.Errorf("bad amount: %d %q", resp.StatusCode, fieldError(body, "f-amount"))
		}
		checkFeaturePage(t, "sale form with errors", body)
		if resp, _ := postPage(e, "store.ajmer", "/sales", saleForm("1", "05-10-2026", "A-1", "1,500.50")); resp.StatusCode != 303 {
			t.Fatalf("sale: %d", resp.StatusCode)
		}
		resp, body = postPage(e, "store.ajmer", "/sales", saleForm("1", "06-10-2026", "A-1", "100"))
		if resp.StatusCode != 422 || fieldError(body, "f-invoice_no") == "" {
			t.Errorf("repeated invoice: %d", resp.StatusCode)
		}
		// Another store's sales: neither entered nor seen.
		resp, body = postPage(e, "store.ajmer", "/sales", saleForm("2", "05-10-2026", "J-1", "100"))
		if resp.StatusCode != 422 || fieldError(body, "f-store_id") == "" {
			t.Errorf("sale in another store: %d", resp.StatusCode)
		}
		if resp, _ := postPage(e, "admin", "/sales", saleForm("2", "07-10-2026", "J-1", "2500")); resp.StatusCode != 303 {
			t.Fatalf("admin sale: %d", resp.StatusCode)
		}
		if resp, body := e.page("GET", "/sales?store_id=2", "store.ajmer", nil, false); resp.StatusCode != 404 || strings.Contains(body, "J-1") {
			t.Errorf("store.ajmer on store 2's sales: %d", resp.StatusCode)
		}
		body = getPage(t, e, "store.ajmer", "/sales", "en")
		if !strings.Contains(body, "A-1") || strings.Contains(body, "J-1") || !strings.Contains(body, "1 sales, ₹1,500.50 in all") {
			t.Errorf("store.ajmer's sales list\n%s", body)
		}
		// Totals by store for the admin, filtered by month range; export carries the filter.
		body = getPage(t, e, "admin", "/sales?from=2026-10&to=2026-10&group=store", "hi")
		if !strings.Contains(body, "₹2,500") || !strings.Contains(body, "₹4,000.50") ||
			!strings.Contains(body, `href="/sales/export?format=csv&amp;from=2026-10&amp;to=2026-10"`) {
			t.Errorf("admin totals by store")
		}
		resp, body = e.page("GET", "/sales?from=Oct", "admin", nil, false)
		if resp.StatusCode != 422 || fieldError(body, "f-from") == "" {
			t.Errorf("bad month: %d", resp.StatusCode)
		}
		if body := getPage(t, e, "dic.jodhpur", "/sales", "en"); strings.Contains(body, "J-1") || strings.Contains(body, "A-1") {
			t.Errorf("dic.jodhpur sees sales of other districts")
		}
		resp, body = e.page("GET", "/sales/export?format=csv", "store.ajmer", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(body, "A-1") || strings.Contains(body, "J-1") {
			t.Errorf("store.ajmer's export: %d\n%s", resp.StatusCode, body)
		}
	})
}

func TestSaleStatementPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		webStores(t, e)
		getPage(t, e, "store.ajmer", "/sales/statement", "hi")
		count := func() int {
			n, err := e.db.NewSelect().Table("sales").Count(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		bad := saleStatementHeader +
			"2026-10-01,B-1,sanganeri-block-print,Dupatta,2,\"1,500.50\",cash\n" +
			"02-10-2026,B-2,no-such-craft,Saree,1,2500,upi\n"
		resp, body := e.xferPage("/sales/statement", "store.ajmer", "statement.csv", []byte(bad), true)
		if resp.StatusCode != 422 || !strings.Contains(body, `<td data-label="Row" class="num">3</td>`) || count() != 0 {
			t.Errorf("bad statement: %d, %d saved\n%s", resp.StatusCode, count(), body)
		}
		checkFeaturePage(t, "statement refused", body)
		good := strings.Replace(bad, "no-such-craft", "dabu-print", 1)
		for _, want := range []string{"2 sales saved; 0 were", "0 sales saved; 2 were"} {
			resp, body = e.xferPage("/sales/statement", "store.ajmer", "statement.csv", []byte(good), true)
			if resp.StatusCode != 200 || !strings.Contains(body, want) || count() != 2 {
				t.Errorf("statement: %d, %d saved, want %q", resp.StatusCode, count(), want)
			}
		}
		resp, body = e.xferPage("/sales/statement", "store.ajmer", "statement.csv", nil, true)
		if resp.StatusCode != 422 || fieldError(body, "f-file") == "" {
			t.Errorf("no file: %d", resp.StatusCode)
		}
	})
}
