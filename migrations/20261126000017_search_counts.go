package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"shilpkosh/app"
)

// Migration 17 adds artisan_search_counts: per district, how many artisans each short
// name prefix ("kis", "कि") matches, so a name search's exact total is one row read
// instead of a count of every matching search term (app/artisan_search_count.go). The
// counts are filled from the search terms already written, so a database loaded before
// (or by the generator, which writes the terms directly) has exact totals from the start.
//
// It is written in Go, unlike the others: the fill reads the terms artisan by artisan
// and tallies in memory. The same count in SQL (every prefix of every term, then
// DISTINCT per artisan) took 17 s of CPU at 100,000 artisans on SQLite, about ten times
// more at 1,000,000, and on PostgreSQL ran past the driver's 10 s read timeout.
func init() {
	Migrations.MustRegister(upSearchCounts, downSearchCounts) // named after this file
}

func upSearchCounts(ctx context.Context, db *bun.DB) error {
	collate, rowid := `COLLATE "C" `, ""
	if db.Dialect().Name() != dialect.PG {
		collate, rowid = "", " WITHOUT ROWID"
	}
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS artisan_search_counts (\n"+
		"\tdistrict TEXT NOT NULL,\n"+
		"\tprefix TEXT "+collate+"NOT NULL,\n"+
		"\tn BIGINT NOT NULL DEFAULT 0,\n"+
		"\tPRIMARY KEY (district, prefix)\n"+
		")"+rowid)
	if err != nil {
		return fmt.Errorf("create artisan_search_counts: %w", err)
	}
	return app.RebuildSearchCounts(ctx, db)
}

func downSearchCounts(ctx context.Context, db *bun.DB) error {
	if _, err := db.ExecContext(ctx, "DROP TABLE artisan_search_counts"); err != nil {
		return fmt.Errorf("drop artisan_search_counts: %w", err)
	}
	return nil
}
