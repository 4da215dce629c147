package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// TestSaleExport: the export has the list's filters and scope, amounts in rupees with
// paise (negative for a correction), and no cell a spreadsheet would run as a formula.
func TestSaleExport(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		sales, manager := saleEnv(t, e)
		ctx := context.Background()
		admin := e.actor("admin")
		add := func(store int64, date, invoice, product string, amount app.Paise, corrects *int64) *app.Sale {
			t.Helper()
			qty := int64(1)
			if amount < 0 {
				qty = -1
			}
			s, err := sales.Create(ctx, admin, app.SaleInput{StoreID: store, Date: date, Craft: "dabu-print", Product: product,
				Quantity: qty, AmountPaise: amount, PaymentMode: "cash", InvoiceNo: invoice, CorrectsSaleID: corrects})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		first := add(1, "2026-09-10", "A-1", "=HYPERLINK(\"http://evil\")", 150050, nil)
		add(1, "2026-10-02", "A-2", "@SUM(A1)", 99, nil)
		add(1, "2026-11-02", "A-1-C", "+correction", -50000, &first.ID)
		add(2, "2026-10-03", "B-1", "Rug", 100000, nil) // another store: never the manager's

		export := func(who app.Actor, f app.SaleFilter, format string) []byte {
			t.Helper()
			var b bytes.Buffer
			if err := sales.Export(ctx, who, f, format, &b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(export(manager, app.SaleFilter{}, "csv"), []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[0][9] != "amount (rupees)" {
			t.Fatalf("manager's export = %v", recs)
		}
		if recs[1][7] != `'=HYPERLINK("http://evil")` || recs[2][7] != "'@SUM(A1)" || recs[3][7] != "'+correction" {
			t.Errorf("products not neutralised: %q %q %q", recs[1][7], recs[2][7], recs[3][7])
		}
		if recs[1][9] != "1500.50" || recs[2][9] != "0.99" || recs[3][9] != "-500.00" || recs[3][12] != recs[1][0] || recs[1][3] != "Rajasthali ajmer" {
			t.Errorf("rows = %v", recs[1:])
		}

		// A month range, as the list reads it.
		recs, _ = csv.NewReader(bytes.NewReader(export(admin, app.SaleFilter{From: "2026-10", To: "2026-10"}, "csv"))).ReadAll()
		if len(recs) != 3 {
			t.Errorf("october export = %v", recs)
		}
		list, _, err := sales.List(ctx, admin, app.SaleFilter{From: "2026-10"})
		if err != nil || len(list) != 3 {
			t.Errorf("list from october = %d, %v", len(list), err)
		}

		f, err := excelize.OpenReader(bytes.NewReader(export(admin, app.SaleFilter{StoreID: 1}, "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Sales", excelize.Options{RawCellValue: true})
		if err != nil || len(rows) != 4 || rows[1][9] != "1500.5" || rows[3][9] != "-500" || !strings.HasPrefix(rows[1][7], "'=") {
			t.Errorf("xlsx rows = %v, %v", rows, err)
		}

		var b bytes.Buffer
		err = sales.Export(ctx, admin, app.SaleFilter{}, "pdf", &b)
		if enrolFieldKey(err, "format") == "" {
			t.Errorf("pdf export: %v", err)
		}
		err = sales.Export(ctx, admin, app.SaleFilter{To: "2026-13"}, "csv", &b)
		if enrolFieldKey(err, "to") != app.KeyMonth || b.Len() != 0 {
			t.Errorf("bad month range: %v, %d bytes written", err, b.Len())
		}
		if n, err := e.db.NewSelect().Table("audit_log").Where("entity = 'sale' AND action = 'export'").Count(ctx); err != nil || n != 3 {
			t.Errorf("export audit entries = %d, %v", n, err)
		}
	})
}
