// Package apptest opens real databases for tests: SQLite always, PostgreSQL when
// SHILPKOSH_TEST_PG names a server. Each test gets its own empty, migrated database.
package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/migrations"
)

// Dialects lists the databases the current run covers.
func Dialects(t testing.TB) []string {
	out := []string{"sqlite"}
	if os.Getenv("SHILPKOSH_TEST_PG") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("CI") == "true" {
		// In CI a PostgreSQL test that silently skips would hide a broken half of the app.
		t.Fatal("apptest: CI=true but SHILPKOSH_TEST_PG is not set")
	}
	return out
}

// EachDB runs fn as a subtest on every database of the run, each migrated and seeded with
// the reference data.
func EachDB(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, name := range Dialects(t) {
		t.Run(name, func(t *testing.T) {
			fn(t, MustOpenDB(t, name))
		})
	}
}

// MustOpenDB opens a fresh, migrated and reference-seeded database of the named dialect.
func MustOpenDB(t testing.TB, dialect string) *bun.DB {
	t.Helper()
	db := MustOpenEmptyDB(t, dialect)
	ctx := context.Background()
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := migrations.SeedReference(ctx, db); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return db
}

// MustOpenEmptyDB opens a fresh database with nothing in it.
func MustOpenEmptyDB(t testing.TB, dialect string) *bun.DB {
	t.Helper()
	url := URL(t, dialect)
	db, err := app.OpenDB(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// URL returns the address of a fresh, empty database: a new SQLite file, or a new schema on
// the PostgreSQL server that is dropped when the test ends.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv("SHILPKOSH_TEST_PG")
	if base == "" {
		t.Fatal("apptest: SHILPKOSH_TEST_PG is not set")
	}
	schema := "t_" + randomHex(8)
	admin, err := app.OpenDB(context.Background(), base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE") //nolint:errcheck // best effort
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
	return hex.EncodeToString(b)
}
