package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// ArtisanCountDrift is a district and status whose kept count (artisan_counts) differs
// from the number of artisans there.
type ArtisanCountDrift struct {
	District string `bun:"district"`
	Status   string `bun:"status"`
	Kept     int64  `bun:"kept"`
	Actual   int64  `bun:"actual"`
}

// ArtisanCountsDrift compares the roll-up the list's totals come from with COUNT(*) over
// the registry, in one statement (one snapshot). Every change to artisans moves the
// roll-up in its own transaction, so the answer is empty unless a write bypassed the app.
func ArtisanCountsDrift(ctx context.Context, db bun.IDB) ([]ArtisanCountDrift, error) {
	var out []ArtisanCountDrift
	err := db.NewRaw("SELECT district, status, SUM(kept) AS kept, SUM(actual) AS actual FROM ("+
		"SELECT district, status, n AS kept, 0 AS actual FROM artisan_counts "+
		"UNION ALL SELECT district, status, 0, COUNT(*) FROM artisans GROUP BY district, status"+
		") AS both_sides GROUP BY district, status HAVING SUM(kept) <> SUM(actual) ORDER BY district, status").
		Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("artisans: count drift: %w", err)
	}
	return out, nil
}
