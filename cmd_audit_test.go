package main

import (
	"fmt"
	"strings"
	"testing"

	"shilpkosh/app"
)

// TestAuditVerifyFindsAnEditedEntry edits an audit entry directly in the database, as
// someone with database access who first drops the append-only trigger could, and sees
// `shilpkosh audit verify` name it.
func TestAuditVerifyFindsAnEditedEntry(t *testing.T) {
	eachDatabaseURL(t, func(t *testing.T, dialect, databaseURL string) {
		if code, out, errOut := cli(t, "", "seed", "demo"); code != 0 {
			t.Fatalf("seed demo: %d %q %q", code, out, errOut)
		}
		code, out, errOut := cli(t, "", "audit", "verify")
		if code != 0 || !strings.HasPrefix(out, "OK: ") || !strings.Contains(out, "entries chained, head ") {
			t.Fatalf("verify: %d %q %q", code, out, errOut)
		}
		db := openURL(t, databaseURL)
		drop := "DROP TRIGGER audit_log_no_update"
		if app.IsPostgres(db) {
			drop = "DROP TRIGGER audit_log_append_only ON audit_log"
		}
		var id int64
		if err := db.NewRaw("SELECT id FROM audit_log WHERE entity = 'artisan' ORDER BY id LIMIT 1 OFFSET 3").Scan(t.Context(), &id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE audit_log SET actor_name = 'someone' WHERE id = ?", id); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := db.Exec(drop); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE audit_log SET actor_name = 'someone' WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		code, _, errOut = cli(t, "", "audit", "verify")
		if want := fmt.Sprintf("broken at entry %d: the entry was changed", id); code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("verify after the edit: %d %q, want %q", code, errOut, want)
		}
	})
}
