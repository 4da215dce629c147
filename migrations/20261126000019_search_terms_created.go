package migrations

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// Migration 19 stores each artisan's created_at in its search terms and indexes them by
// (district, term, created_at, artisan_id), so a name search's first page, newest first,
// reads the newest few matches of each matching word from the index instead of walking the
// district's artisans or every match (app/artisan_search_page.go). The index replaces
// (district, term, artisan_id), which it serves as well.
//
// The table is copied, not altered: on PostgreSQL an UPDATE of its 26 million rows at
// 1,000,000 artisans writes every row and index entry twice, and on SQLite it splits every
// page of the table as each row grows. The copy reads the terms in key order and looks up
// each artisan by id, so rows go in at the end of the new table's key. It is written in
// Go so that PostgreSQL can VACUUM the new table after the copy's transaction: without the
// visibility map an index-only scan reads the table for every entry.
func init() {
	Migrations.MustRegister(upSearchTermsCreated, downSearchTermsCreated) // named after this file
}

func upSearchTermsCreated(ctx context.Context, db *bun.DB) error {
	pg := db.Dialect().Name() == dialect.PG
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, s := range searchTermsCopySteps(pg) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("search terms created_at: %w", err)
			}
		}
		return nil
	})
	if err != nil || !pg {
		return err
	}
	if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE) artisan_search_terms"); err != nil {
		return fmt.Errorf("search terms created_at: vacuum: %w", err)
	}
	return nil
}

// searchTermsCopySteps are the statements of the copy, run in one transaction.
func searchTermsCopySteps(pg bool) []string {
	collate, ts, key, rowid := `COLLATE "C" `, "TIMESTAMPTZ", "", ""
	if !pg {
		collate, ts, key, rowid = "", "TIMESTAMP", ",\n\tPRIMARY KEY (term, district, artisan_id)", " WITHOUT ROWID"
	}
	steps := []string{
		"CREATE TABLE artisan_search_terms_copy (\n" +
			"\tterm TEXT " + collate + "NOT NULL,\n" +
			"\tdistrict TEXT NOT NULL,\n" +
			"\tartisan_id BIGINT NOT NULL,\n" +
			"\tcreated_at " + ts + " NOT NULL" + key + "\n" +
			")" + rowid,
		// CROSS JOIN keeps SQLite reading the terms in key order (artisans looked up by id).
		"INSERT INTO artisan_search_terms_copy (term, district, artisan_id, created_at) " +
			"SELECT t.term, t.district, t.artisan_id, a.created_at FROM artisan_search_terms AS t " +
			"CROSS JOIN artisans AS a WHERE a.id = t.artisan_id",
		"DROP TABLE artisan_search_terms",
		"ALTER TABLE artisan_search_terms_copy RENAME TO artisan_search_terms",
	}
	if pg {
		// Each index is built by one sort; in memory it takes about a third of the time.
		steps = append([]string{"SET LOCAL maintenance_work_mem = '512MB'"}, steps...)
		steps = append(steps,
			"ALTER TABLE artisan_search_terms ADD CONSTRAINT artisan_search_terms_pkey PRIMARY KEY (term, district, artisan_id)",
			// As migration 2 set it: a long list of common words for the planner.
			"ALTER TABLE artisan_search_terms ALTER COLUMN term SET STATISTICS 1000")
	}
	steps = append(steps,
		"CREATE INDEX artisan_search_terms_artisan_idx ON artisan_search_terms (artisan_id, term)",
		"CREATE INDEX artisan_search_terms_created_idx ON artisan_search_terms (district, term, created_at, artisan_id)")
	if !pg {
		// Each term looks its artisan up by id: in a table of ids and dates alone that is a
		// seek in 40 MB instead of in the whole artisans table (copy 112 s -> 80 s).
		steps = append([]string{"CREATE TEMP TABLE artisan_created (id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL)",
			"INSERT INTO artisan_created (id, created_at) SELECT id, created_at FROM artisans"}, steps...)
		for i, st := range steps {
			steps[i] = strings.Replace(st, "CROSS JOIN artisans AS a", "CROSS JOIN artisan_created AS a", 1)
		}
		// SQLite sorts an index build within its page cache (2 MB by default) and merges
		// runs from temporary files beyond it; the cache is the connection's, and put back.
		steps = append([]string{"PRAGMA cache_size = -524288"}, append(steps, "DROP TABLE artisan_created", "PRAGMA cache_size = -2000")...)
	}
	return steps
}

// downSearchTermsCreated puts back the index of migration 14 and drops the column.
func downSearchTermsCreated(ctx context.Context, db *bun.DB) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, s := range []string{
			"DROP INDEX artisan_search_terms_created_idx",
			"CREATE INDEX artisan_search_terms_district_idx ON artisan_search_terms (district, term, artisan_id)",
			"ALTER TABLE artisan_search_terms DROP COLUMN created_at",
		} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("search terms created_at down: %w", err)
			}
		}
		return nil
	})
}
