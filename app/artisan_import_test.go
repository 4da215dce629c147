package app_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"shilpkosh/app"
)

// artImportRows are five valid rows: three with Aadhaar, two without.
func artImportRows() []app.ArtisanInput {
	var rows []app.ArtisanInput
	for i, name := range []string{"Asha Devi", "Bhola Ram", "Chanda Bai", "Dhanraj", "Eshwar Lal"} {
		in := artInput(name, fmt.Sprintf("94140%05d", i))
		if i < 3 {
			in.Aadhaar = app.AadhaarNumber(artAadhaar(500 + i))
		}
		in.Crafts = []string{"bagru-block-print"}
		rows = append(rows, in)
	}
	return rows
}

func TestArtisanCreateManyAllOrNothing(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		rows := artImportRows()
		rows[3].Mobile = "12345"
		rows[1].PINCode, rows[1].Gender = "110001", "x"
		jodhpur := artInput("Far Away", "9414099999")
		jodhpur.District = "jodhpur"
		rows = append(rows, jodhpur)
		_, err := e.svc.CreateMany(ctx, e.actor("entry.jaipur"), rows)
		artWant(t, "import with bad rows", err, app.EINVALID, "artisan.import_invalid")
		var rowErrs app.RowErrors
		if !errors.As(err, &rowErrs) {
			t.Fatalf("err %v holds no RowErrors", err)
		}
		if ae := (*app.Error)(nil); errors.As(err, &ae) && ae.Message.Args["rows"] != "3" {
			t.Errorf("message args = %v, want 3 rows", ae.Message.Args)
		}
		want := "[{2 gender validation.choice} {2 pin_code validation.pin} {4 mobile validation.mobile} " +
			"{6 district artisan.district_forbidden}]"
		var got []string
		for _, r := range rowErrs {
			got = append(got, fmt.Sprintf("{%d %s %s}", r.Row, r.Field, r.Key))
		}
		if fmt.Sprint(got) != want {
			t.Errorf("row errors = %v\nwant %s", got, want)
		}
		for _, table := range []string{"artisans", "artisan_events", "audit_log", "artisan_search_terms", "artisan_crafts"} {
			if n, _ := e.db.NewSelect().Table(table).Count(ctx); n != 0 {
				t.Errorf("%d rows in %s after a refused import", n, table)
			}
		}
		if n, _ := e.db.NewSelect().Table("artisan_counts").Where("n <> 0").Count(ctx); n != 0 {
			t.Errorf("counts moved by a refused import")
		}
	})
}

func TestArtisanCreateManyIdempotent(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		rows := artImportRows()
		// The same person twice in one file is created once.
		rows = append(rows, rows[0], rows[4])
		rows[1].Name = " Bhola  Ram " // normalized for the save, but not in the caller's rows
		given := slices.Clone(rows)
		res, err := e.svc.CreateMany(ctx, e.actor("entry.jaipur"), rows)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rows, given) {
			t.Errorf("CreateMany changed the caller's rows:\n%+v\nwas\n%+v", rows, given)
		}
		rows[1].Name = "Bhola Ram"
		if res.Created != 5 || res.Present != 2 || len(res.IDs) != 5 || fmt.Sprint(res.PresentRows) != "[6 7]" {
			t.Fatalf("first import = %+v", res)
		}
		// Each id belongs to its row, and so do its event and audit entry.
		for i, id := range res.IDs {
			a, err := e.svc.Get(ctx, e.actor("dic.jaipur"), id)
			if err != nil || a.Name != rows[i].Name || a.Mobile != rows[i].Mobile {
				t.Errorf("row %d got id %d = %+v (%v)", i+1, id, a, err)
			}
			var after string
			if err := e.db.NewSelect().Table("audit_log").Column("after_json").
				Where("entity = 'artisan' AND entity_id = ?", fmt.Sprint(id)).Scan(ctx, &after); err != nil ||
				!strings.Contains(after, `"name":"`+rows[i].Name+`"`) {
				t.Errorf("audit of %d = %s (%v)", id, after, err)
			}
		}
		// Again: nothing new, every row present.
		res, err = e.svc.CreateMany(ctx, e.actor("dic.jaipur"), artImportRows())
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 0 || res.Present != 5 {
			t.Errorf("second import = %+v", res)
		}
		page, err := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Q: "bhola"})
		if err != nil || page.Total != 1 || page.Items[0].Crafts[0] != "bagru-block-print" {
			t.Errorf("imported record not searchable or incomplete: %+v %v", page, err)
		}
		h, _ := e.svc.History(ctx, e.actor("dic.jaipur"), page.Items[0].ID)
		if len(h) != 1 || h[0].Action != "import" || h[0].ToStatus != app.ArtisanDraft {
			t.Errorf("history = %+v", h)
		}

		// A similar name with the same mobile is a question, unless confirmed; so is a
		// similar name further down the same file.
		similar := artInput("Bhola Ram Meena", "9414000001")
		newcomer := artInput("Ganga Ram", "9414055555")
		newcomerAgain := artInput("Ganga Ramm", "9414055555")
		_, err = e.svc.CreateMany(ctx, e.actor("dic.jaipur"), []app.ArtisanInput{similar, newcomer, newcomerAgain})
		var rowErrs app.RowErrors
		if !errors.As(err, &rowErrs) || len(rowErrs) != 2 || rowErrs[0].Row != 1 || rowErrs[0].Key != "artisan.possible_duplicate" ||
			rowErrs[0].Args["existing"] == "" || rowErrs[1].Row != 3 || rowErrs[1].Args["row"] != "2" {
			t.Errorf("possible duplicates: %v %+v", err, rowErrs)
		}
		similar.ConfirmDuplicate, newcomerAgain.ConfirmDuplicate = true, true
		res, err = e.svc.CreateMany(ctx, e.actor("dic.jaipur"), []app.ArtisanInput{similar, newcomer, newcomerAgain})
		if err != nil || res.Created != 3 {
			t.Errorf("confirmed: %+v %v", res, err)
		}
		artCountsExact(t, e.db)
	})
}
