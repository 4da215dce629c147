package policies

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// seedDefaults writes policy.csv into casbin_rule when the table holds no p rule at all: a
// fresh install. Once any p row exists the table belongs to the admins, so a rule they
// removed stays removed across restarts.
func seedDefaults(ctx context.Context, db *bun.DB) error {
	rules, err := defaultRules()
	if err != nil {
		return err
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*casbinRule)(nil)).Where("ptype = ?", "p").Count(ctx)
		if err != nil {
			return fmt.Errorf("policies: seed: count rules: %w", err)
		}
		if n > 0 {
			return nil
		}
		rows := make([]casbinRule, len(rules))
		for i, r := range rules {
			rows[i] = newRow("p", r)
		}
		return insertRows(ctx, tx, rows)
	})
}
