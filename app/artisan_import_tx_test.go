package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// TestImportTxWidensTheCacheOnlyForItself: on SQLite an import's transaction works with a
// large page cache, and the connection goes back to the pool with its own; on both
// databases what fn wrote before failing is not kept.
func TestImportTxWidensTheCacheOnlyForItself(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		db.SetMaxOpenConns(1) // so the connection read afterwards is the import's
		sqlite := !app.IsPostgres(db)
		var before int64
		if sqlite {
			if err := db.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&before); err != nil {
				t.Fatal(err)
			}
		}
		failed := errors.New("row 7 is wrong")
		err := app.RunImportTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			if sqlite {
				var during int64
				if err := tx.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&during); err != nil {
					return err
				}
				if during != -64*1024 {
					t.Errorf("cache_size during the import = %d, want %d", during, -64*1024)
				}
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO districts (slug, name_en, name_hi, division) VALUES ('test-district', 'Test', 'परीक्षा', 'Jaipur')"); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("err = %v, want %v", err, failed)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM districts WHERE slug = 'test-district'").Scan(&n); err != nil || n != 0 {
			t.Errorf("rows kept after the failed import: %d (%v)", n, err)
		}
		if sqlite {
			var after int64
			if err := db.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&after); err != nil || after != before {
				t.Errorf("cache_size after the import = %d (%v), want %d as before", after, err, before)
			}
		}
	})
}
