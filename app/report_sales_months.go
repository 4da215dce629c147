package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// sales_months (migration 20) sums the sale lines per district, month, store and craft, so
// the reports read a few hundred rows instead of every line of 13–19 months (hundreds of
// thousands for a large district at 1,000,000 artisans). Sales are never updated or
// deleted (a correction is another line), so each line adds to its row once, in the
// transaction that inserts it; lines counts them, so a row whose lines sum to zero still
// stands, as the store or craft did in the reports' GROUP BY over the lines.

// salesMonthKey is one row of sales_months.
type salesMonthKey struct {
	District string
	Month    string
	StoreID  int64
	Craft    string
}

// salesMonthSum is what the lines of one key add.
type salesMonthSum struct {
	Paise int64
	Lines int64
}

// salesMonthsAdder gathers the lines of one transaction (or of the generator) by key.
type salesMonthsAdder map[salesMonthKey]salesMonthSum

func (d salesMonthsAdder) add(s *Sale) {
	k := salesMonthKey{District: s.District, Month: s.Month, StoreID: s.StoreID, Craft: s.Craft}
	cur := d[k]
	cur.Paise += int64(s.AmountPaise)
	cur.Lines++
	d[k] = cur
}

// write upserts the sums, in statements of 500 rows, in a fixed order so that concurrent
// transactions lock the rows in the same order.
func (d salesMonthsAdder) write(ctx context.Context, tx bun.IDB) error {
	keys := make([]salesMonthKey, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y salesMonthKey) int {
		return cmp.Or(strings.Compare(x.District, y.District), strings.Compare(x.Month, y.Month),
			cmp.Compare(x.StoreID, y.StoreID), strings.Compare(x.Craft, y.Craft))
	})
	for chunk := range slices.Chunk(keys, 500) {
		var sb strings.Builder
		args := make([]any, 0, len(chunk)*6)
		sb.WriteString("INSERT INTO sales_months (district, month, store_id, craft, paise, lines) VALUES ")
		for i, k := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?)")
			v := d[k]
			args = append(args, k.District, k.Month, k.StoreID, k.Craft, v.Paise, v.Lines)
		}
		sb.WriteString(" ON CONFLICT (district, month, store_id, craft) DO UPDATE SET " +
			"paise = sales_months.paise + excluded.paise, lines = sales_months.lines + excluded.lines")
		if _, err := tx.NewRaw(sb.String(), args...).Exec(ctx); err != nil {
			return fmt.Errorf("sales: sales months: %w", err)
		}
	}
	return nil
}

// addSalesMonths counts sale lines just inserted by tx into sales_months.
func addSalesMonths(ctx context.Context, tx bun.IDB, sales ...*Sale) error {
	d := salesMonthsAdder{}
	for _, s := range sales {
		d.add(s)
	}
	return d.write(ctx, tx)
}

// salesMonthsRecountSelect is sales_months counted again from the lines.
const salesMonthsRecountSelect = "SELECT district, month, store_id, craft, CAST(SUM(amount_paise) AS BIGINT) AS paise, " +
	"COUNT(*) AS lines FROM sales GROUP BY district, month, store_id, craft"

// RebuildSalesMonths recounts sales_months from the sale lines, for data written by other
// means than the app.
func RebuildSalesMonths(ctx context.Context, db bun.IDB) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM sales_months"); err != nil {
		return fmt.Errorf("sales: clear sales months: %w", err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO sales_months (district, month, store_id, craft, paise, lines) "+
		salesMonthsRecountSelect); err != nil {
		return fmt.Errorf("sales: rebuild sales months: %w", err)
	}
	return nil
}

// SalesMonthDrift is one row of sales_months that differs from a recount.
type SalesMonthDrift struct {
	District    string `bun:"district"`
	Month       string `bun:"month"`
	StoreID     int64  `bun:"store_id"`
	Craft       string `bun:"craft"`
	KeptPaise   int64  `bun:"kept_paise"`
	ActualPaise int64  `bun:"actual_paise"`
	KeptLines   int64  `bun:"kept_lines"`
	ActualLines int64  `bun:"actual_lines"`
}

// SalesMonthsDrift compares sales_months with a recount from the lines, in one statement
// (one snapshot); empty unless a write bypassed the app.
func SalesMonthsDrift(ctx context.Context, db bun.IDB) ([]SalesMonthDrift, error) {
	var out []SalesMonthDrift
	err := db.NewRaw("SELECT district, month, store_id, craft, CAST(SUM(kp) AS BIGINT) AS kept_paise, "+
		"CAST(SUM(ap) AS BIGINT) AS actual_paise, CAST(SUM(kl) AS BIGINT) AS kept_lines, CAST(SUM(al) AS BIGINT) AS actual_lines FROM ("+
		"SELECT district, month, store_id, craft, paise AS kp, 0 AS ap, lines AS kl, 0 AS al FROM sales_months "+
		"UNION ALL SELECT district, month, store_id, craft, 0, paise, 0, lines FROM ("+salesMonthsRecountSelect+") AS recount"+
		") AS both_sides GROUP BY district, month, store_id, craft "+
		"HAVING SUM(kp) <> SUM(ap) OR SUM(kl) <> SUM(al) ORDER BY district, month, store_id, craft").Scan(ctx, &out)
	if err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("sales: sales months drift: %w", err)
	}
	return out, nil
}

// SalesMonthsTally adds up sales_months for lines written by other means than the app (the
// generator), so the roll-up is written once at the end instead of recounted.
type SalesMonthsTally struct{ d salesMonthsAdder }

// NewSalesMonthsTally returns an empty tally.
func NewSalesMonthsTally() *SalesMonthsTally { return &SalesMonthsTally{d: salesMonthsAdder{}} }

// Add counts one sale line.
func (t *SalesMonthsTally) Add(district, month string, storeID int64, craft string, paise int64) {
	t.d.add(&Sale{District: district, Month: month, StoreID: storeID, Craft: craft, AmountPaise: Paise(paise)})
}

// Replace writes the tally as the whole of sales_months, in one transaction.
func (t *SalesMonthsTally) Replace(ctx context.Context, db *bun.DB) error {
	return replaceRollup(ctx, db, "sales_months", t.d.write)
}
