package migrations

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// GenerateOptions size a generated registry. The same options give the same rows.
type GenerateOptions struct {
	Artisans int
	Months   int    // months of sales, ending with Until
	Until    string // last month of sales, YYYY-MM
	Seed     uint64
	Log      io.Writer // progress, one line a stage
	// BatchRows is how many rows go in one transaction (0: 20,000); tests make it small
	// so that batches of rows and of the rows they refer to interleave.
	BatchRows int
}

// GenerateResult counts the rows written, table by table.
type GenerateResult struct {
	Rows    map[string]int64
	Total   int64
	Elapsed time.Duration
}

// genLoadedTables are the tables the generator fills; their secondary indexes (and on
// PostgreSQL their foreign keys) are dropped during the load and put back at its end.
var genLoadedTables = []string{"organisations", "artisans", "artisan_crafts", "artisan_events",
	"artisan_search_terms", "stores", "sales", "enrolments", "enrolment_events", "enrolment_disbursements",
	"onboardings", "onboarding_events", "products", "product_photos", "listings"}

// Generate fills an empty registry (reference data loaded, no artisans, organisations,
// stores or sales) with a realistic state-scale data set: artisans spread over districts
// by population, crafts from their real centres, Hindi and English names, workflow
// histories, organisations, stores, seasonal sales, scheme enrolments, e-commerce
// onboarding histories, products with their photos' metadata, and listings. Rows go in
// batches, one transaction each (COPY on PostgreSQL), with indexes built at the end.
func Generate(ctx context.Context, db *bun.DB, opt GenerateOptions) (GenerateResult, error) {
	res := GenerateResult{Rows: map[string]int64{}}
	start := time.Now()
	if opt.Artisans < 1 || opt.Months < 1 {
		return res, fmt.Errorf("generate: --artisans and --months must be at least 1")
	}
	until, err := app.ParseMonth(opt.Until)
	if err != nil {
		return res, fmt.Errorf("generate: until %q: %w", opt.Until, err)
	}
	if err := genRefuseNonEmpty(ctx, db); err != nil {
		return res, err
	}
	ref, err := loadGenReference(ctx, db)
	if err != nil {
		return res, err
	}
	w, err := newBulkWriter(ctx, db, opt.BatchRows)
	if err != nil {
		return res, err
	}
	defer w.closeConns()
	// Rows are made and dropped by the million: collecting less often leaves more CPU to
	// the database's goroutine, which each collection also stops.
	defer debug.SetGCPercent(debug.SetGCPercent(300))
	if err := genSetUpSessions(ctx, w); err != nil {
		return res, err
	}
	defer genResetSessions(w)
	logf := func(format string, a ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "%7.1fs  "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
		}
	}
	var journal *genJournal
	if !w.pg {
		journal = genLeaveWAL(ctx, db, w.conns[0], logf)
		// Also after a failure; should even this fail, the app's next connection to the
		// file sets WAL mode again (app.OpenDB).
		defer journal.backToWAL() //nolint:errcheck // the load's own error is the one to report
	}
	// On the loading connection: the pool opens no other while the database is out of WAL.
	schema, err := genTakeOffSchema(ctx, w.conns[0])
	if err != nil {
		return res, err
	}
	w.start(ctx)
	g := &generator{opt: opt, ref: ref, w: w, rnd: rand.New(rand.NewPCG(opt.Seed, 0x5eed)), until: until, logf: logf}
	genErr := g.run()
	if err := w.close(); genErr == nil {
		genErr = err
	}
	g.logf("rows written: building indexes")
	// Built even after a failure or a cancelled context, so a half-loaded database is slow
	// and partial, never without the indexes its unique rules live in or its keys.
	if err := schema.putBack(context.WithoutCancel(ctx), w.conns, w.pg, w.counts, g.logf); genErr == nil {
		genErr = err
	}
	if err := journal.backToWAL(); genErr == nil {
		genErr = err
	}
	if genErr != nil {
		return res, genErr
	}
	if err := genFinish(ctx, db, g, w.conns); err != nil {
		return res, err
	}
	for k, v := range w.counts {
		res.Rows[k] = v
		res.Total += v
	}
	res.Elapsed = time.Since(start)
	g.logf("done: %d rows, %.0f rows/s", res.Total, float64(res.Total)/res.Elapsed.Seconds())
	return res, nil
}

// genRefuseNonEmpty keeps the generator off a registry that holds data of its own.
func genRefuseNonEmpty(ctx context.Context, db *bun.DB) error {
	for _, table := range []string{"artisans", "organisations", "stores", "sales", "enrolments"} {
		n, err := db.NewSelect().Table(table).Limit(1).Count(ctx)
		if err != nil {
			return fmt.Errorf("generate: check %s: %w", table, err)
		}
		if n > 0 {
			return fmt.Errorf("generate: the database already holds %s; generate into an empty database", table)
		}
	}
	return nil
}

// genFinish writes what is known only after every row: the counts, the registration
// sequences, the identity sequences on PostgreSQL and the planner's statistics.
func genFinish(ctx context.Context, db *bun.DB, g *generator, conns []bun.Conn) error {
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for k, n := range g.counts {
			if _, err := tx.NewRaw("INSERT INTO artisan_counts (district, status, n) VALUES (?, ?, ?)", k[0], k[1], n).Exec(ctx); err != nil {
				return fmt.Errorf("generate: counts: %w", err)
			}
		}
		for k, n := range g.regSeq {
			if _, err := tx.NewRaw("INSERT INTO registration_sequences (district, year, last_seq) VALUES (?, ?, ?)",
				k.district, k.year, n).Exec(ctx); err != nil {
				return fmt.Errorf("generate: registration sequences: %w", err)
			}
		}
		if !app.IsPostgres(tx) {
			return nil
		}
		for _, t := range []string{"organisations", "artisans", "artisan_events", "stores", "sales", "month_closes",
			"enrolments", "enrolment_events", "enrolment_disbursements", "onboardings", "onboarding_events", "products",
			"product_photos", "listings"} {
			q := "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM " + t + "), 0) + 1, false)"
			if _, err := tx.NewRaw(q, t).Exec(ctx); err != nil {
				return fmt.Errorf("generate: sequence of %s: %w", t, err)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := g.searchCounts.Replace(ctx, db); err != nil {
		return err
	}
	if err := g.statusMonths.Replace(ctx, db); err != nil {
		return err
	}
	if err := g.salesMonths.Replace(ctx, db); err != nil {
		return err
	}
	// The readiness facts of the approved artisans, from the rows written: set-based, once.
	if err := app.RebuildReadinessFacts(ctx, db); err != nil {
		return err
	}
	return genAnalyze(ctx, db, conns)
}

// genAnalyze gathers the planner's statistics of every table on PostgreSQL and sets its
// visibility map (VACUUM), one table per connection at a time side by side: without the
// map an index-only scan still reads the table for every row it returns.
func genAnalyze(ctx context.Context, db *bun.DB, conns []bun.Conn) error {
	if !app.IsPostgres(db) {
		return nil
	}
	var tables []genDef
	if err := db.NewRaw("SELECT quote_ident(tablename) AS name, 'VACUUM (ANALYZE) ' || quote_ident(tablename) AS def, tablename AS tbl "+
		"FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").Scan(ctx, &tables); err != nil {
		return fmt.Errorf("generate: list tables: %w", err)
	}
	return genRunEach(ctx, conns, tables, func(ctx context.Context, c bun.Conn, d genDef) error {
		if _, err := c.ExecContext(ctx, d.SQL); err != nil {
			return fmt.Errorf("generate: analyze %s: %w", d.Name, err)
		}
		return nil
	})
}
