package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// The reports count artisans by their status at a month's end: an artisan's status then is
// the one its latest status change before the end (India time; of two at one instant, the
// later written) moved it to. artisan_status_months (migration 18) keeps, per month and
// status, how many artisans entered (+1) and left (-1) it, by the artisan's current
// district, primary craft, gender and social category; the count at the end of m is the
// sum over the months up to m. It is moved in the transaction of every change that writes
// a status change or edits one of those four fields, so it is never stale: the reports
// read a few thousand rows instead of replaying every event of a district.

// statusAttrs are the fields of an artisan the roll-up is keyed by.
type statusAttrs struct {
	District, Craft, Gender, Category string
}

func attrsOf(a *Artisan) statusAttrs {
	return statusAttrs{District: a.District, Craft: a.PrimaryCraft, Gender: a.Gender, Category: a.SocialCategory}
}

// monthStatus is a month (YYYY-MM, India time) and a status.
type monthStatus struct{ Month, Status string }

// statusDelta is one artisan's contribution to a month and status: N entered minus left,
// Approvals 1 if the artisan was approved during the month.
type statusDelta struct{ N, Approvals int64 }

// statusChange is one event of an artisan that changed its status.
type statusChange struct {
	ID     int64     `bun:"id"`
	At     time.Time `bun:"at"`
	Status string    `bun:"to_status"`
}

// foldStatusChanges turns one artisan's status changes into its contributions per month
// and status: +1 where each change enters a status, -1 where it leaves the status the
// change before it entered. Edits that repeat the status are not changes.
func foldStatusChanges(changes []statusChange) map[monthStatus]statusDelta {
	changes = slices.Clone(changes)
	slices.SortFunc(changes, func(x, y statusChange) int {
		return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.ID, y.ID))
	})
	out := map[monthStatus]statusDelta{}
	for i, c := range changes {
		month := MonthInIST(c.At).String()
		in := out[monthStatus{month, c.Status}]
		in.N++
		if c.Status == ArtisanApproved {
			in.Approvals = 1
		}
		out[monthStatus{month, c.Status}] = in
		if i > 0 {
			left := out[monthStatus{month, changes[i-1].Status}]
			left.N--
			out[monthStatus{month, changes[i-1].Status}] = left
		}
	}
	return out
}

// statusChangesOf reads an artisan's status changes.
func statusChangesOf(ctx context.Context, tx bun.IDB, artisanID int64) ([]statusChange, error) {
	var out []statusChange
	if err := tx.NewRaw("SELECT id, at, to_status FROM artisan_events WHERE artisan_id = ? AND from_status <> to_status "+
		"ORDER BY at, id", artisanID).Scan(ctx, &out); err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("artisans: status changes: %w", err)
	}
	return out, nil
}

// statusMonthRow is one row of artisan_status_months (a delta when written).
type statusMonthRow struct {
	District  string `bun:"district"`
	Month     string `bun:"month"`
	Status    string `bun:"status"`
	Craft     string `bun:"primary_craft"`
	Gender    string `bun:"gender"`
	Category  string `bun:"social_category"`
	N         int64  `bun:"n"`
	Approvals int64  `bun:"approvals"`
}

// statusMonthsAdder gathers deltas by key, so each key is written once per statement (a
// PostgreSQL upsert may not touch a row twice).
type statusMonthsAdder map[statusMonthRow]statusDelta

func (d statusMonthsAdder) add(at statusAttrs, deltas map[monthStatus]statusDelta, sign int64) {
	for k, v := range deltas {
		key := statusMonthRow{District: at.District, Month: k.Month, Status: k.Status, Craft: at.Craft, Gender: at.Gender,
			Category: at.Category}
		cur := d[key]
		cur.N += sign * v.N
		cur.Approvals += sign * v.Approvals
		d[key] = cur
	}
}

// write upserts the non-zero deltas, in statements of 500 rows.
func (d statusMonthsAdder) write(ctx context.Context, tx bun.IDB) error {
	rows := make([]statusMonthRow, 0, len(d))
	for k, v := range d {
		if v.N != 0 || v.Approvals != 0 {
			k.N, k.Approvals = v.N, v.Approvals
			rows = append(rows, k)
		}
	}
	// A fixed order, so concurrent transactions lock the rows in the same order.
	slices.SortFunc(rows, func(x, y statusMonthRow) int {
		return cmp.Or(strings.Compare(x.District, y.District), strings.Compare(x.Month, y.Month),
			strings.Compare(x.Status, y.Status), strings.Compare(x.Craft, y.Craft), strings.Compare(x.Gender, y.Gender),
			strings.Compare(x.Category, y.Category))
	})
	for chunk := range slices.Chunk(rows, 500) {
		var sb strings.Builder
		args := make([]any, 0, len(chunk)*8)
		sb.WriteString("INSERT INTO artisan_status_months (district, month, status, primary_craft, gender, social_category, n, approvals) VALUES ")
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, r.District, r.Month, r.Status, r.Craft, r.Gender, r.Category, r.N, r.Approvals)
		}
		sb.WriteString(" ON CONFLICT (district, month, status, primary_craft, gender, social_category) DO UPDATE SET " +
			"n = artisan_status_months.n + excluded.n, approvals = artisan_status_months.approvals + excluded.approvals")
		if _, err := tx.NewRaw(sb.String(), args...).Exec(ctx); err != nil {
			return fmt.Errorf("artisans: status months: %w", err)
		}
	}
	return nil
}

// moveStatusMonths moves an artisan's whole contribution from its old district, craft,
// gender and category to the new ones, when one of them changed.
func moveStatusMonths(ctx context.Context, tx bun.IDB, cur, next *Artisan) error {
	from, to := attrsOf(cur), attrsOf(next)
	if from == to {
		return nil
	}
	changes, err := statusChangesOf(ctx, tx, cur.ID)
	if err != nil {
		return err
	}
	deltas := foldStatusChanges(changes)
	d := statusMonthsAdder{}
	d.add(from, deltas, -1)
	d.add(to, deltas, 1)
	return d.write(ctx, tx)
}

// addStatusChange counts a status change just written (e, already in artisan_events) of
// artisan a: the artisan's contribution with it less its contribution without it, so a
// change dated before an earlier one is counted where it falls.
func addStatusChange(ctx context.Context, tx bun.IDB, a *Artisan, e *ArtisanEvent) error {
	if e.FromStatus == e.ToStatus {
		return nil
	}
	changes, err := statusChangesOf(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	without := slices.DeleteFunc(slices.Clone(changes), func(c statusChange) bool { return c.ID == e.ID })
	d := statusMonthsAdder{}
	d.add(attrsOf(a), foldStatusChanges(changes), 1)
	d.add(attrsOf(a), foldStatusChanges(without), -1)
	return d.write(ctx, tx)
}

// AddNewArtisansStatusMonths counts the events of artisans written in the same
// transaction with no history before (a bulk import): events are every event of those
// artisans, with their ids set. The bulk import calls it after inserting its events.
func AddNewArtisansStatusMonths(ctx context.Context, tx bun.IDB, artisans []*Artisan, events []*ArtisanEvent) error {
	byArtisan := map[int64][]statusChange{}
	for _, e := range events {
		if e.FromStatus != e.ToStatus {
			byArtisan[e.ArtisanID] = append(byArtisan[e.ArtisanID], statusChange{ID: e.ID, At: e.At, Status: e.ToStatus})
		}
	}
	d := statusMonthsAdder{}
	for _, a := range artisans {
		if changes := byArtisan[a.ID]; len(changes) > 0 {
			d.add(attrsOf(a), foldStatusChanges(changes), 1)
		}
	}
	return d.write(ctx, tx)
}

// statusMonthsRecountSQL recounts artisan_status_months from artisan_events and artisans:
// migration 18's statement, for RebuildArtisanStatusMonths and the drift check.
func statusMonthsRecountSQL(db bun.IDB) string {
	month := "strftime('%Y-%m', ev.at, '+330 minutes')"
	if db.Dialect().Name() == dialect.PG {
		month = "to_char((ev.at AT TIME ZONE 'UTC') + INTERVAL '330 minutes', 'YYYY-MM')"
	}
	return "WITH changes AS (SELECT ev.artisan_id, ev.to_status, " + month + " AS month, " +
		"LAG(ev.to_status) OVER (PARTITION BY ev.artisan_id ORDER BY ev.at, ev.id) AS prev_status " +
		"FROM artisan_events ev WHERE ev.from_status <> ev.to_status), " +
		"per_artisan AS (SELECT artisan_id, month, status, SUM(n) AS n, MAX(approval) AS approvals FROM (" +
		"SELECT artisan_id, month, to_status AS status, 1 AS n, CASE WHEN to_status = 'approved' THEN 1 ELSE 0 END AS approval FROM changes " +
		"UNION ALL SELECT artisan_id, month, prev_status, -1, 0 FROM changes WHERE prev_status IS NOT NULL" +
		") AS deltas GROUP BY artisan_id, month, status) "
}

const statusMonthsRecountSelect = "SELECT a.district, p.month, p.status, a.primary_craft, a.gender, a.social_category, " +
	"SUM(p.n) AS n, SUM(p.approvals) AS approvals FROM per_artisan p JOIN artisans a ON a.id = p.artisan_id " +
	"GROUP BY a.district, p.month, p.status, a.primary_craft, a.gender, a.social_category " +
	"HAVING SUM(p.n) <> 0 OR SUM(p.approvals) <> 0"

// RebuildArtisanStatusMonths recounts artisan_status_months from the registry, for a
// database loaded by other means than the app (the generator calls it at its end). It
// streams the status changes in artisan order (one scan of artisan_events_artisan_at_idx,
// no sort) and folds them in memory: the recount in SQL (migration 18) sorts and
// aggregates every event and takes minutes at 1,000,000 artisans.
func RebuildArtisanStatusMonths(ctx context.Context, db bun.IDB) error {
	attrs, err := artisanAttrs(ctx, db)
	if err != nil {
		return err
	}
	d := statusMonthsAdder{}
	rows, err := db.QueryContext(ctx, "SELECT artisan_id, id, at, to_status FROM artisan_events "+
		"WHERE from_status <> to_status ORDER BY artisan_id, at, id")
	if err != nil {
		return fmt.Errorf("artisans: status months: %w", err)
	}
	defer rows.Close()
	var cur int64
	var changes []statusChange
	flush := func() {
		if a, ok := attrs[cur]; ok && len(changes) > 0 {
			d.add(a, foldStatusChanges(changes), 1)
		}
		changes = changes[:0]
	}
	for rows.Next() {
		var artisan int64
		var c statusChange
		if err := rows.Scan(&artisan, &c.ID, &c.At, &c.Status); err != nil {
			return fmt.Errorf("artisans: status months: %w", err)
		}
		if artisan != cur {
			flush()
			cur = artisan
		}
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("artisans: status months: %w", err)
	}
	flush()
	if _, err := db.NewRaw("DELETE FROM artisan_status_months").Exec(ctx); err != nil {
		return fmt.Errorf("artisans: status months: %w", err)
	}
	return d.write(ctx, db)
}

// artisanAttrs reads every artisan's district, craft, gender and category, the strings
// shared (they take a few dozen values).
func artisanAttrs(ctx context.Context, db bun.IDB) (map[int64]statusAttrs, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, district, primary_craft, gender, social_category FROM artisans")
	if err != nil {
		return nil, fmt.Errorf("artisans: status months: %w", err)
	}
	defer rows.Close()
	interned := map[string]string{}
	intern := func(s string) string {
		if v, ok := interned[s]; ok {
			return v
		}
		interned[s] = s
		return s
	}
	out := map[int64]statusAttrs{}
	for rows.Next() {
		var id int64
		var a statusAttrs
		if err := rows.Scan(&id, &a.District, &a.Craft, &a.Gender, &a.Category); err != nil {
			return nil, fmt.Errorf("artisans: status months: %w", err)
		}
		out[id] = statusAttrs{intern(a.District), intern(a.Craft), intern(a.Gender), intern(a.Category)}
	}
	return out, rows.Err()
}

// StatusMonthDrift is a row where the kept roll-up and a recount differ.
type StatusMonthDrift struct {
	District       string `bun:"district"`
	Month          string `bun:"month"`
	Status         string `bun:"status"`
	Craft          string `bun:"primary_craft"`
	Gender         string `bun:"gender"`
	Category       string `bun:"social_category"`
	Kept           int64  `bun:"kept"`
	Actual         int64  `bun:"actual"`
	KeptApprovals  int64  `bun:"kept_approvals"`
	ActualApproved int64  `bun:"actual_approvals"`
}

// ArtisanStatusMonthsDrift compares artisan_status_months with a recount from the events,
// in one statement (one snapshot); empty unless a write bypassed the app.
func ArtisanStatusMonthsDrift(ctx context.Context, db bun.IDB) ([]StatusMonthDrift, error) {
	var out []StatusMonthDrift
	err := db.NewRaw(statusMonthsRecountSQL(db)+", recount AS ("+statusMonthsRecountSelect+") "+
		"SELECT district, month, status, primary_craft, gender, social_category, SUM(kept) AS kept, SUM(actual) AS actual, "+
		"SUM(kept_approvals) AS kept_approvals, SUM(actual_approvals) AS actual_approvals FROM ("+
		"SELECT district, month, status, primary_craft, gender, social_category, n AS kept, 0 AS actual, approvals AS kept_approvals, "+
		"0 AS actual_approvals FROM artisan_status_months "+
		"UNION ALL SELECT district, month, status, primary_craft, gender, social_category, 0, n, 0, approvals FROM recount"+
		") AS both_sides GROUP BY district, month, status, primary_craft, gender, social_category "+
		"HAVING SUM(kept) <> SUM(actual) OR SUM(kept_approvals) <> SUM(actual_approvals) "+
		"ORDER BY district, month, status, primary_craft, gender, social_category").Scan(ctx, &out)
	if err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("artisans: status months drift: %w", err)
	}
	return out, nil
}

// StatusMonthsTally adds up artisan_status_months for artisans written by other means than
// the app (the generator), one artisan at a time, so the roll-up is written once at the
// end instead of recounted from millions of events.
type StatusMonthsTally struct{ d statusMonthsAdder }

// NewStatusMonthsTally returns an empty tally.
func NewStatusMonthsTally() *StatusMonthsTally { return &StatusMonthsTally{d: statusMonthsAdder{}} }

// Add counts the status changes of one artisan with these current district, craft, gender
// and category: at[i] is when its i-th change (in the order written) moved it to
// statuses[i].
func (t *StatusMonthsTally) Add(district, craft, gender, category string, at []time.Time, statuses []string) {
	changes := make([]statusChange, len(at))
	for i := range at {
		changes[i] = statusChange{ID: int64(i), At: at[i], Status: statuses[i]}
	}
	t.d.add(statusAttrs{District: district, Craft: craft, Gender: gender, Category: category}, foldStatusChanges(changes), 1)
}

// Replace writes the tally as the whole of artisan_status_months, in one transaction.
func (t *StatusMonthsTally) Replace(ctx context.Context, db *bun.DB) error {
	return replaceRollup(ctx, db, "artisan_status_months", t.d.write)
}
