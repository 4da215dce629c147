package app_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// saleEnv adds store 1 in Ajmer and a store manager of it to an artisan test env.
func saleEnv(t *testing.T, e *artEnv) (*app.Sales, app.Actor) {
	t.Helper()
	ctx := context.Background()
	stores := &app.Stores{DB: e.db, Authz: e.authz}
	for _, d := range []string{"ajmer", "ajmer"} {
		if _, err := stores.Create(ctx, e.actor("admin"), app.StoreInput{Name: "Rajasthali " + d, Type: "rajasthali",
			Agency: "rhdc", District: d}); err != nil {
			t.Fatal(err)
		}
	}
	now := app.Now()
	one := int64(1)
	user := &app.User{Username: "store.ajmer", Name: "Store", PasswordHash: "-", Lang: "en", Active: true,
		StoreID: &one, PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
	if _, err := e.db.NewInsert().Model(user).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.NewRaw("INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, 'store_manager', 'ajmer')",
		app.Subject(user.ID)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return &app.Sales{DB: e.db, Authz: e.authz}, app.Actor{UserID: user.ID, Username: user.Username}
}

func TestSaleImportXLSXWithHindiHeaders(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		sales, manager := saleEnv(t, e)
		f := excelize.NewFile()
		rows := [][]any{
			{"दिनांक", "बिल संख्या", "शिल्प", "उत्पाद", "मात्रा", "राशि (₹)", "भुगतान"},
			{46299, 1001, "dabu-print", "दाबू चादर", 1, "₹ 1,250.50", "Bank Transfer"},
			{"05/10/2026", "1002", "bagru-block-print", "Bagru kurta", "2.0", "900", "UPI"},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		res, err := sales.ImportSales(context.Background(), manager, buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 {
			t.Fatalf("created %d", res.Created)
		}
		got, _, err := sales.List(context.Background(), manager, app.SaleFilter{})
		if err != nil || len(got) != 2 {
			t.Fatalf("list = %v, %v", got, err)
		}
		// Newest entry first: row 3, then row 2 (Excel day 46299 is 2026-10-04).
		if got[1].Date != "2026-10-04" || got[1].AmountPaise != 125050 || got[1].PaymentMode != "bank_transfer" ||
			got[1].InvoiceNo != "1001" || got[1].StoreID != 1 {
			t.Errorf("row 2 = %+v", got[1])
		}
		if got[0].Date != "2026-10-05" || got[0].Quantity != 2 || got[0].PaymentMode != "upi" {
			t.Errorf("row 3 = %+v", got[0])
		}
	})
}

func TestSaleScopeFailsClosed(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		sales, manager := saleEnv(t, e)
		ctx := context.Background()
		if _, err := sales.Create(ctx, e.actor("admin"), app.SaleInput{StoreID: 2, Date: "2026-10-01", Craft: "dabu-print",
			Product: "Rug", Quantity: 1, AmountPaise: 100, PaymentMode: "cash", InvoiceNo: "A"}); err != nil {
			t.Fatal(err)
		}
		for name, a := range map[string]app.Actor{"nobody": {}, "unknown user": {UserID: 999999}, "data entry": e.actor("entry.jaipur"), "manager": manager} {
			list, _, err := sales.List(ctx, a, app.SaleFilter{})
			if err != nil || len(list) != 0 {
				t.Errorf("%s lists %d sales (%v)", name, len(list), err)
			}
			rows, err := sales.Summary(ctx, a, "store", app.SaleFilter{})
			if err != nil || len(rows) != 0 {
				t.Errorf("%s totals %v (%v)", name, rows, err)
			}
		}
		_, err := sales.Create(ctx, app.Actor{}, app.SaleInput{StoreID: 1})
		if !errors.Is(err, app.ErrForbidden) {
			t.Errorf("nobody creates: %v", err)
		}
	})
}
