package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// replaceRollup makes what write adds the whole of a roll-up table, in one transaction:
// how the generator stores a tally it kept while writing the rows the roll-up sums
// (artisan_search_counts, artisan_status_months, sales_months), instead of recounting them.
func replaceRollup(ctx context.Context, db *bun.DB, table string, write func(context.Context, bun.IDB) error) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("roll-ups: clear %s: %w", table, err)
		}
		return write(ctx, tx)
	})
}
