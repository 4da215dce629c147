package bench_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/bench"
)

// TestImportFilesAreImportable: the rows the import benchmark uploads read back from its
// CSV and XLSX files as valid registrations (every district and craft spelling recognised,
// every cell read), with distinct mobiles, so the benchmark times a whole import and not a
// refusal.
func TestImportFilesAreImportable(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		known := func(table string) map[string]bool {
			var slugs []string
			if err := db.NewRaw("SELECT slug FROM "+table).Scan(ctx, &slugs); err != nil {
				t.Fatal(err)
			}
			set := map[string]bool{}
			for _, s := range slugs {
				set[s] = true
			}
			return set
		}
		districts, crafts := known("districts"), known("crafts")
		rows := bench.ImportRows(7, 60)
		csv, err := bench.ImportCSV(rows)
		if err != nil {
			t.Fatal(err)
		}
		xlsx, err := bench.ImportXLSX(rows)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{"bench.csv": csv, "bench.xlsx": xlsx} {
			file, err := app.ReadArtisanFile(ctx, db, bytes.NewReader(data), name, nil)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(file.Inputs) != len(rows) || len(file.Problems) > 0 {
				t.Fatalf("%s: %d rows read of %d, problems %v", name, len(file.Inputs), len(rows), file.Problems)
			}
			mobiles := map[string]bool{}
			for i, in := range file.Inputs {
				if !districts[in.District] || !crafts[in.PrimaryCraft] || mobiles[in.Mobile] {
					t.Errorf("%s row %d: district %q, craft %q, mobile %q (repeated: %v)", name, i+1,
						in.District, in.PrimaryCraft, in.Mobile, mobiles[in.Mobile])
				}
				mobiles[in.Mobile] = true
			}
		}
	})
}
