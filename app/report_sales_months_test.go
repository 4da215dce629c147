package app_test

import (
	"context"
	"testing"

	"shilpkosh/app"
)

// TestSalesMonthsFollowEveryChange enters, corrects, voids and imports sales, refused ones
// included, and checks after each that the reports' monthly roll-up of sales equals a
// recount from the lines.
func TestSalesMonthsFollowEveryChange(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		sales, manager := saleEnv(t, e)
		exact := func(after string) {
			t.Helper()
			drift, err := app.SalesMonthsDrift(ctx, e.db)
			if err != nil || len(drift) > 0 {
				t.Fatalf("after %s: drift %+v, %v", after, drift, err)
			}
		}
		sale := func(store int64, date, craft, invoice string, qty int64, paise app.Paise, corrects *int64) (*app.Sale, error) {
			return sales.Create(ctx, e.actor("admin"), app.SaleInput{StoreID: store, Date: date, Craft: craft, Product: "Chadar",
				Quantity: qty, AmountPaise: paise, PaymentMode: "cash", InvoiceNo: invoice, CorrectsSaleID: corrects})
		}
		first, err := sale(1, "2026-10-03", "dabu-print", "A1", 1, 125050, nil)
		if err != nil {
			t.Fatal(err)
		}
		exact("create")
		if _, err := sale(1, "2026-10-09", "dabu-print", "A2", 2, 90000, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := sale(2, "2026-09-30", "bagru-block-print", "B1", 1, 40000, nil); err != nil {
			t.Fatal(err)
		}
		exact("sales in two stores, two months, two crafts")
		if _, err := sale(1, "2026-10-10", "dabu-print", "A1", 1, 500, nil); err == nil {
			t.Fatal("a duplicate invoice saved")
		}
		if _, err := sale(1, "2026-10-10", "dabu-print", "A9", 0, 0, nil); err == nil {
			t.Fatal("an empty sale saved")
		}
		exact("refused sales")
		// An edit is a correction line; a void is one that takes the whole amount back, so
		// the row stays with zero paise.
		if _, err := sale(1, "2026-10-03", "dabu-print", "A1-C", 0, -5000, &first.ID); err != nil {
			t.Fatal(err)
		}
		exact("correction")
		if _, err := sale(1, "2026-10-03", "dabu-print", "A1-V", -1, -120050, &first.ID); err != nil {
			t.Fatal(err)
		}
		exact("void")

		csv := "date,invoice_no,craft,product,quantity,amount,payment_mode\n" +
			"2026-10-05,I1,dabu-print,Chadar,1,1250.50,cash\n" +
			"2026-10-06,I2,dabu-print,Chadar,3,900,upi\n" +
			"2026-08-06,I3,bagru-block-print,Kurta,1,450,upi\n" +
			"2026-10-07,A2,dabu-print,Chadar,1,100,cash\n" // recorded already: skipped
		res, err := sales.ImportSales(ctx, manager, []byte(csv))
		if err != nil || res.Created != 3 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		exact("import")
		if _, err := sales.ImportSales(ctx, manager, []byte("date,invoice_no,craft,product,quantity,amount,payment_mode\n"+
			"2026-10-05,I4,dabu-print,Chadar,1,100,cash\n2026-10-05,I5,dabu-print,Chadar,0,0,cash\n")); err == nil {
			t.Fatal("a bad import saved")
		}
		exact("refused import")

		// The report reads the roll-up: its store and craft rows add up to the lines.
		oct, _ := app.ParseMonth("2026-10")
		r, err := app.BuildDistrictMonthly(ctx, e.db, "ajmer", oct)
		if err != nil {
			t.Fatal(err)
		}
		want := app.Paise(90000 + 125050 + 90000 + 125050 - 5000 - 120050)
		if r.Sales.Month != want || r.Sales.Prev != 40000 {
			t.Errorf("report month %d prev %d, want %d and 40000", r.Sales.Month, r.Sales.Prev, want)
		}
		var stores, crafts app.Paise
		for _, s := range r.Sales.ByStore {
			stores += s.Month
		}
		for _, c := range r.Sales.ByCraft {
			crafts += c.Month
		}
		if stores != want || crafts != want {
			t.Errorf("by store %d, by craft %d, want %d", stores, crafts, want)
		}
	})
}
