package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// eachDatabaseURL runs fn once per database of the run with DATABASE_URL naming a fresh,
// empty database (a SQLite file, or a schema on the PostgreSQL test server) and
// SHILPKOSH_DATA_DIR an empty folder.
func eachDatabaseURL(t *testing.T, fn func(t *testing.T, dialect, databaseURL string)) {
	for _, dialect := range apptest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			u := apptest.URL(t, dialect)
			t.Setenv("DATABASE_URL", u)
			t.Setenv("SHILPKOSH_DATA_DIR", t.TempDir())
			t.Setenv("SHILPKOSH_ADMIN_PASSWORD", "")
			fn(t, dialect, u)
		})
	}
}

// emptyTarget names an empty database to restore into: a new SQLite file, or a new
// PostgreSQL database (dropped when the test ends) in which the dump recreates its schema.
func emptyTarget(t *testing.T, dialect, source string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "restored.db")
	}
	admin := apptest.MustOpenEmptyDB(t, "postgres")
	name := "restore_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") }) //nolint:errcheck
	u, err := url.Parse(source)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// testDB reads a database named by URL, for comparing two of them.
type testDB struct{ *bun.DB }

func openURL(t *testing.T, databaseURL string) testDB {
	t.Helper()
	db, err := app.OpenDB(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{db}
}

func (db testDB) rows(t *testing.T) map[string]int64 {
	t.Helper()
	rows, err := app.TableRows(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func (db testDB) strings(t *testing.T, query string) []string {
	t.Helper()
	var out []string
	if err := db.NewRaw(query).Scan(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupRestoresEveryRecord backs up a database with the demo data and an uploaded
// file, restores it into an empty database and data folder, and finds every row and file.
func TestBackupRestoresEveryRecord(t *testing.T) {
	eachDatabaseURL(t, func(t *testing.T, dialect, source string) {
		if code, out, errOut := cli(t, "", "seed", "demo"); code != 0 {
			t.Fatalf("seed demo: %d %q %q", code, out, errOut)
		}
		doc := filepath.Join("documents", "ab", "ab12cd34")
		content := []byte("%PDF-1.4 passbook")
		writeFile(t, filepath.Join(os.Getenv("SHILPKOSH_DATA_DIR"), doc), content)
		file := filepath.Join(t.TempDir(), "backup.tar.gz")
		code, out, errOut := cli(t, "", "backup", "--out", file)
		if code != 0 || !strings.Contains(out, "1 files") {
			t.Fatalf("backup: %d %q %q", code, out, errOut)
		}

		target, dataDir := emptyTarget(t, dialect, source), t.TempDir()
		t.Setenv("DATABASE_URL", target)
		t.Setenv("SHILPKOSH_DATA_DIR", dataDir)
		if code, out, errOut := cli(t, "", "restore", file); code != 0 || !strings.Contains(out, "row counts match") {
			t.Fatalf("restore: %d %q %q", code, out, errOut)
		}
		src, dst := openURL(t, source), openURL(t, target)
		if a, b := src.rows(t), dst.rows(t); !reflect.DeepEqual(a, b) || a["artisans"] != 16 || a["audit_log"] == 0 {
			t.Errorf("rows per table differ:\nsource %v\nrestored %v", a, b)
		}
		for _, q := range []string{
			"SELECT registration_no || '|' || name || '|' || name_hi || '|' || district || '|' || status FROM artisans ORDER BY id",
			"SELECT username || '|' || password_hash FROM users ORDER BY id",
			"SELECT hash FROM audit_log ORDER BY id",
		} {
			if a, b := src.strings(t, q), dst.strings(t, q); !reflect.DeepEqual(a, b) || len(a) == 0 {
				t.Errorf("%s:\nsource %q\nrestored %q", q, a, b)
			}
		}
		if b, err := os.ReadFile(filepath.Join(dataDir, doc)); err != nil || !bytes.Equal(b, content) {
			t.Errorf("restored file: %q %v", b, err)
		}
		if code, out, errOut := cli(t, "", "audit", "verify"); code != 0 || !strings.HasPrefix(out, "OK") {
			t.Errorf("audit verify on the restored database: %d %q %q", code, out, errOut)
		}
		if code, _, errOut := cli(t, "", "restore", file); code != 1 || !strings.Contains(errOut, "not empty") {
			t.Errorf("restore over a full database: %d %q", code, errOut)
		}
		if code, out, errOut := cli(t, "", "restore", "--force", file); code != 0 {
			t.Errorf("restore --force: %d %q %q", code, out, errOut)
		}
	})
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	useTempDatabase(t)
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	writeFile(t, bad, []byte("not a backup"))
	if code, _, errOut := cli(t, "", "restore", bad); code != 1 || !strings.Contains(errOut, "not a Shilpkosh backup") {
		t.Errorf("restore of junk: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, "", "backup"); code != 1 {
		t.Errorf("backup without --out: %d", code)
	}
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
