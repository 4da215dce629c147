package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// TestArtisanAadhaarNeverStored saves, edits and imports artisans with Aadhaar numbers and
// then looks for the numbers everywhere they could have gone: every row of the tables the
// registry writes, the database file itself, the answers, and printed or logged input.
func TestArtisanAadhaarNeverStored(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		numbers := []string{artAadhaar(9001), artAadhaar(9002), artAadhaar(9003)}
		in := artInput("Kishan Lal", "9829012345")
		in.Aadhaar = app.AadhaarNumber(artSpaced(numbers[0]))
		a := e.create("entry.jaipur", in)
		if a.AadhaarLast4 != numbers[0][8:] {
			t.Errorf("aadhaar_last4 = %q", a.AadhaarLast4)
		}
		// A second number by edit, a third by import; a refused duplicate on the way.
		in.Aadhaar, in.Version = app.AadhaarNumber(numbers[1]), a.Version
		if _, err := e.svc.Update(ctx, e.actor("entry.jaipur"), a.ID, in); err != nil {
			t.Fatal(err)
		}
		dup := artInput("Other Person", "9829099999")
		dup.Aadhaar = app.AadhaarNumber(numbers[1])
		_, dupErr := e.svc.Create(ctx, e.actor("entry.jaipur"), dup)
		artWant(t, "duplicate", dupErr, app.ECONFLICT, "artisan.duplicate_aadhaar")
		imp := artInput("Imported Person", "9829088888")
		imp.Aadhaar = app.AadhaarNumber(numbers[2])
		if _, err := e.svc.CreateMany(ctx, e.actor("entry.jaipur"), []app.ArtisanInput{imp}); err != nil {
			t.Fatal(err)
		}
		got, _ := e.svc.Get(ctx, e.actor("entry.jaipur"), a.ID)
		answer, _ := json.Marshal(got)
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("input", "in", in, "aadhaar", in.Aadhaar)
		inJSON, _ := json.Marshal(in)
		printed := fmt.Sprintf("%v %+v %#v %s", in, in, in, in.Aadhaar) + dupErr.Error() + string(answer) +
			logged.String() + string(inJSON)

		dump := artDumpTables(t, e.db, "artisans", "artisan_events", "audit_log", "artisan_search_terms", "artisan_crafts")
		for _, n := range numbers {
			// The whole number, and its first eight digits (all but what aadhaar_last4 shows).
			for _, needle := range []string{n, n[:8], artSpaced(n)} {
				if strings.Contains(dump, needle) {
					t.Errorf("aadhaar %s found in the tables", needle)
				}
				if strings.Contains(printed, needle) {
					t.Errorf("aadhaar %s found in answers, logs or printed input", needle)
				}
			}
		}
		if !strings.Contains(dump, numbers[1][8:]) {
			t.Error("last four digits not stored: the dump is not looking at the right rows")
		}

		if e.db.Dialect().Name().String() != "sqlite" {
			return
		}
		// The raw database file and its write-ahead log.
		var seq int
		var name, file string
		if err := e.db.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(file + "*")
		if len(files) == 0 {
			t.Fatalf("no database files at %s", file)
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range numbers {
				if bytes.Contains(raw, []byte(n)) || bytes.Contains(raw, []byte(n[:8])) {
					t.Errorf("aadhaar %s found in %s", n, filepath.Base(f))
				}
			}
		}
	})
}

// artDumpTables renders every row of the tables as text.
func artDumpTables(t *testing.T, db *bun.DB, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range tables {
		var rows []map[string]any
		if err := db.NewSelect().Table(table).Scan(context.Background(), &rows); err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		for _, r := range rows {
			for k, v := range r {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%s.%s=%v\n", table, k, v)
			}
		}
	}
	return b.String()
}

func TestArtisanDuplicateAadhaar(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		number := artAadhaar(77)
		in := artInput("Kishan Lal", "9829012345")
		in.Aadhaar = app.AadhaarNumber(number)
		first := e.create("entry.jaipur", in)

		try := func(who, district string) *app.Error {
			t.Helper()
			other := artInput("Somebody Else", "9000011111")
			other.District, other.Aadhaar = district, app.AadhaarNumber(number)
			_, err := e.svc.Create(ctx, e.actor(who), other)
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Code != app.ECONFLICT || ae.Message.Key != "artisan.duplicate_aadhaar" ||
				ae.Fields["aadhaar"].Key != "artisan.duplicate_aadhaar" {
				t.Fatalf("%s: err = %v, want duplicate_aadhaar", who, err)
			}
			return ae
		}
		// Named by id to someone who may read it, before it has a number.
		if got := try("dic.jaipur", "jaipur").Message.Args["existing"]; got != strconv.FormatInt(first.ID, 10) {
			t.Errorf("names %q, want id %d", got, first.ID)
		}
		// Not named to an officer of another district: the record's existence is all they learn.
		ae := try("dic.jodhpur", "jodhpur")
		if len(ae.Message.Args) != 0 || len(ae.Fields["aadhaar"].Args) != 0 {
			t.Errorf("named to another district: %+v", ae)
		}
		if strings.Contains(ae.Error(), strconv.FormatInt(first.ID, 10)) {
			t.Errorf("error text names the record: %s", ae.Error())
		}
		// After approval, named by registration number.
		in.Version = first.Version
		a, _ := e.svc.Submit(ctx, e.actor("entry.jaipur"), first.ID, first.Version, "")
		a, _ = e.svc.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		a, err := e.svc.Approve(ctx, e.actor("board"), a.ID, a.Version, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := try("admin", "jaipur").Message.Args["existing"]; got != *a.RegistrationNo {
			t.Errorf("names %q, want %s", got, *a.RegistrationNo)
		}
		// Giving another record the number by edit is refused too.
		other := e.create("entry.jaipur", artInput("Third Person", "9000022222"))
		upd := artInput("Third Person", "9000022222")
		upd.Aadhaar, upd.Version = app.AadhaarNumber(number), other.Version
		_, err = e.svc.Update(ctx, e.actor("entry.jaipur"), other.ID, upd)
		artWant(t, "edit to a taken Aadhaar", err, app.ECONFLICT, "artisan.duplicate_aadhaar")
		// Saving a record again with its own number is fine.
		upd = artInput("Kishan Lal", "9829012345")
		upd.Aadhaar, upd.Version = app.AadhaarNumber(number), a.Version
		if _, err := e.svc.Update(ctx, e.actor("entry.jaipur"), a.ID, upd); err != nil {
			t.Errorf("re-save with own Aadhaar: %v", err)
		}
	})
}
