package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"shilpkosh/app"
)

// TestArtisanImportMonthClose: with Jaipur's current month closed, an import whose Jaipur
// rows would register in it is refused row by row with the month named, nothing of its
// Jodhpur row saved either; a row already registered is not refused; after the reopen the
// same import goes through.
func TestArtisanImportMonthClose(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		this, _ := enrolMonths()
		rows := artImportRows()[:2]
		jodhpur := artInput("Far Away", "9414099999")
		jodhpur.District, jodhpur.Tehsil, jodhpur.PINCode = "jodhpur", "Jodhpur", "342001"
		rows = append(rows, jodhpur)
		present, err := e.svc.CreateMany(ctx, e.actor("admin"), rows[:1])
		if err != nil || present.Created != 1 {
			t.Fatalf("first row: %+v, %v", present, err)
		}
		if _, err := e.months().Close(ctx, e.actor("dic.jaipur"), "jaipur", this); err != nil {
			t.Fatal(err)
		}
		before, _ := e.db.NewSelect().Table("artisans").Count(ctx)

		_, err = e.svc.CreateMany(ctx, e.actor("admin"), rows)
		artWant(t, "import into a closed month", err, app.EINVALID, "artisan.import_invalid")
		var rowErrs app.RowErrors
		if !errors.As(err, &rowErrs) || len(rowErrs) != 1 {
			t.Fatalf("row errors = %v, want one", err)
		}
		if r := rowErrs[0]; r.Row != 2 || r.Field != "district" || r.Key != "month.registration_closed" ||
			r.Args["month"] != this || r.Args["district"] != "jaipur" {
			t.Errorf("row error = %+v, want row 2 district month.registration_closed naming %s", r, this)
		}
		if n, _ := e.db.NewSelect().Table("artisans").Count(ctx); n != before {
			t.Errorf("%d artisans after a refused import, want %d", n, before)
		}

		if _, err := e.months().Reopen(ctx, e.actor("admin"), "jaipur", this, "late camp records"); err != nil {
			t.Fatal(err)
		}
		res, err := e.svc.CreateMany(ctx, e.actor("admin"), rows)
		if err != nil || res.Created != 2 || res.Present != 1 {
			t.Errorf("after the reopen: %s, %v", fmt.Sprintf("%+v", res), err)
		}
	})
}
