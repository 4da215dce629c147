package migrations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/migrations"
)

func TestGenerate(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		var log strings.Builder
		opt := migrations.GenerateOptions{Artisans: 3000, Months: 13, Until: "2026-10", Seed: 7, BatchRows: 97, Log: &log}
		res, err := migrations.Generate(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(log.String(), "loading in WAL mode") {
			t.Errorf("the load stayed in WAL mode:\n%s", log.String())
		}
		for table, want := range res.Rows {
			if n, err := db.NewSelect().Table(table).Count(ctx); err != nil || int64(n) != want {
				t.Errorf("%s: %d rows, %v; generator wrote %d", table, n, err, want)
			}
		}
		if res.Rows["artisans"] != 3000 || res.Rows["sales"] < 3000*13/5 || res.Rows["enrolments"] == 0 ||
			res.Rows["onboardings"] == 0 || res.Rows["listings"] == 0 || res.Rows["product_photos"] == 0 {
			t.Errorf("rows = %v", res.Rows)
		}
		genCountsExact(t, db)
		genKeysHold(t, db)
		genShapeRealistic(t, db)
		genSessionsNormal(t, db)
		if _, err := migrations.Generate(ctx, db, opt); err == nil || !strings.Contains(err.Error(), "empty database") {
			t.Errorf("second run: err = %v, want a refusal", err)
		}
	})
}

func genCountsExact(t *testing.T, db *bun.DB) {
	ctx := context.Background()
	var bad int
	err := db.NewRaw("SELECT COUNT(*) FROM (SELECT district, status, COUNT(*) AS n FROM artisans GROUP BY district, status) r "+
		"LEFT JOIN artisan_counts c USING (district, status) WHERE c.n IS NULL OR c.n <> r.n").Scan(ctx, &bad)
	if err != nil || bad != 0 {
		t.Errorf("artisan_counts differ from COUNT(*) in %d groups (%v)", bad, err)
	}
	var searchCounts int
	if err := db.NewRaw("SELECT COUNT(*) FROM artisan_search_counts").Scan(ctx, &searchCounts); err != nil || searchCounts == 0 {
		t.Errorf("artisan_search_counts holds %d rows (%v); the generator tallies them", searchCounts, err)
	}
	drift, err := app.SearchCountsDrift(ctx, db)
	if err != nil || len(drift) > 0 {
		t.Errorf("artisan_search_counts differ from a recount: %v (%v)", drift, err)
	}
	statusDrift, err := app.ArtisanStatusMonthsDrift(ctx, db)
	if err != nil || len(statusDrift) > 0 {
		t.Errorf("artisan_status_months differ from a recount: %v (%v)", statusDrift, err)
	}
	var salesMonths int
	if err := db.NewRaw("SELECT COUNT(*) FROM sales_months").Scan(ctx, &salesMonths); err != nil || salesMonths == 0 {
		t.Errorf("sales_months holds %d rows (%v); the generator tallies them", salesMonths, err)
	}
	if drift, err := app.SalesMonthsDrift(ctx, db); err != nil || len(drift) > 0 {
		t.Errorf("sales_months differ from a recount: %v (%v)", drift, err)
	}
	// The state report reads a record's stage from it when reached before the month end.
	if ids, err := app.OnboardingStageDrift(ctx, db); err != nil || len(ids) > 0 {
		t.Errorf("%d onboarding records disagree with their history (%v)", len(ids), err)
	}
	// The district report reads an artisan's status at a month end from the record when it
	// was set before then, and the catalogue and records by their copy of the district.
	if ids, err := app.ArtisanStatusSinceDrift(ctx, db); err != nil || len(ids) > 0 {
		t.Errorf("%d artisans' status disagrees with their history (%v)", len(ids), err)
	}
	for _, table := range []string{"products", "onboardings"} {
		var n, moved int
		if err := db.NewRaw("SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.district <> a.district THEN 1 ELSE 0 END), 0) FROM "+
			table+" AS x JOIN artisans AS a ON a.id = x.artisan_id").Scan(ctx, &n, &moved); err != nil || n == 0 || moved != 0 {
			t.Errorf("%s: %d of %d out of their artisan's district (%v)", table, moved, n, err)
		}
	}
	var ready int
	if err := db.NewRaw("SELECT COUNT(*) FROM artisan_readiness").Scan(ctx, &ready); err != nil || ready == 0 {
		t.Errorf("artisan_readiness holds %d rows (%v)", ready, err)
	}
	if ids, err := app.ReadinessFactsDrift(ctx, db); err != nil || len(ids) > 0 {
		t.Errorf("%d artisans' readiness facts differ from their live facts (%v)", len(ids), err)
	}
}

// genKeysHold checks every reference the generator wrote with key checks switched off.
func genKeysHold(t *testing.T, db *bun.DB) {
	ctx := context.Background()
	for _, q := range []string{
		"SELECT COUNT(*) FROM artisans a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.organisation_id IS NOT NULL AND o.id IS NULL",
		"SELECT COUNT(*) FROM artisan_events e LEFT JOIN artisans a ON a.id = e.artisan_id WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM artisan_search_terms s LEFT JOIN artisans a ON a.id = s.artisan_id AND a.district = s.district WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM sales s LEFT JOIN artisans a ON a.id = s.artisan_id AND a.district = s.district AND a.status = 'approved' WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM sales s LEFT JOIN stores st ON st.id = s.store_id AND st.district = s.district WHERE st.id IS NULL",
		"SELECT COUNT(*) FROM enrolments e LEFT JOIN artisans a ON a.id = e.artisan_id WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM enrolments WHERE disbursed_paise > sanctioned_paise",
		"SELECT COUNT(*) FROM onboardings o LEFT JOIN artisans a ON a.id = o.artisan_id AND a.status = 'approved' WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM onboarding_events e LEFT JOIN onboardings o ON o.id = e.onboarding_id WHERE o.id IS NULL",
		"SELECT COUNT(*) FROM products p LEFT JOIN artisans a ON a.id = p.artisan_id WHERE a.id IS NULL",
		"SELECT COUNT(*) FROM product_photos f LEFT JOIN products p ON p.id = f.product_id WHERE p.id IS NULL",
		"SELECT COUNT(*) FROM listings l LEFT JOIN products p ON p.id = l.product_id WHERE p.id IS NULL",
		"SELECT COUNT(*) FROM artisans WHERE (registration_no IS NULL) = (status IN ('approved', 'inactive'))",
	} {
		var n int
		if err := db.NewRaw(q).Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("%s = %d (%v), want 0", q, n, err)
		}
	}
	if !app.IsPostgres(db) {
		var broken []struct{ Table string }
		if err := db.NewRaw("SELECT \"table\" FROM pragma_foreign_key_check").Scan(ctx, &broken); err != nil || len(broken) > 0 {
			t.Errorf("foreign_key_check: %v, %v", broken, err)
		}
	}
}

// genSessionsNormal checks, on SQLite, that the load left the database and every
// connection of the pool as the app sets them up (the load runs out of WAL mode, with
// key and CHECK constraints off and no syncs, on one of them), and that the rows keep
// the CHECK constraints the load did not evaluate (integrity_check tests them, and that
// every index holds what its table does).
func genSessionsNormal(t *testing.T, db *bun.DB) {
	if app.IsPostgres(db) {
		return
	}
	ctx := context.Background()
	// The pool closed its idle connections for the load; it keeps them again after it.
	if idle := db.Stats().Idle; idle == 0 {
		t.Errorf("the pool keeps no idle connection after the load")
	}
	var problems []string
	if err := db.NewRaw("PRAGMA integrity_check").Scan(ctx, &problems); err != nil || len(problems) != 1 || problems[0] != "ok" {
		t.Errorf("integrity_check: %v (%v)", problems, err)
	}
	// Holding as many connections as the pool may open checks each one it kept.
	conns := make([]bun.Conn, db.Stats().MaxOpenConnections)
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var journal string
		var keys, sync, ignoreChecks int
		if err := c.QueryRowContext(ctx, "SELECT journal_mode, foreign_keys, synchronous, ignore_check_constraints "+
			"FROM pragma_journal_mode, pragma_foreign_keys, pragma_synchronous, pragma_ignore_check_constraints").
			Scan(&journal, &keys, &sync, &ignoreChecks); err != nil {
			t.Fatal(err)
		}
		if journal != "wal" || keys != 1 || sync != 1 || ignoreChecks != 0 {
			t.Errorf("connection %d: journal_mode %s, foreign_keys %d, synchronous %d, ignore_check_constraints %d; "+
				"want wal, 1, 1 (NORMAL), 0", i, journal, keys, sync, ignoreChecks)
		}
	}
}

// genShapeRealistic checks the shape the issue asks for: Jaipur the largest district,
// festival months above the monsoon, names in both scripts.
func genShapeRealistic(t *testing.T, db *bun.DB) {
	ctx := context.Background()
	var top string
	if err := db.NewRaw("SELECT district FROM artisan_counts GROUP BY district ORDER BY SUM(n) DESC LIMIT 1").Scan(ctx, &top); err != nil || top != "jaipur" {
		t.Errorf("largest district = %q (%v), want jaipur", top, err)
	}
	var oct, jul int64
	if err := db.NewRaw("SELECT COUNT(*) FROM sales WHERE month = '2026-10'").Scan(ctx, &oct); err != nil {
		t.Fatal(err)
	}
	if err := db.NewRaw("SELECT COUNT(*) FROM sales WHERE month = '2026-07'").Scan(ctx, &jul); err != nil {
		t.Fatal(err)
	}
	if oct < jul*3/2 {
		t.Errorf("October %d sale lines, July %d: want the festival month well above", oct, jul)
	}
	var hi int
	if err := db.NewRaw("SELECT COUNT(*) FROM artisans WHERE name_hi = ''").Scan(ctx, &hi); err != nil || hi != 0 {
		t.Errorf("%d artisans without a Hindi name (%v)", hi, err)
	}
}

// TestGenerateFailurePutsSchemaBack makes the load fail half-way (a month already closed
// collides with the generated closes) and checks that every index and foreign key the
// generator took off for the load is back.
func TestGenerateFailurePutsSchemaBack(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		before := genSchemaOf(t, db)
		if _, err := db.NewRaw("INSERT INTO month_closes (district, month, closed_at) VALUES ('jaipur', '2026-01', ?)",
			"2026-02-05 00:00:00+00:00").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		opt := migrations.GenerateOptions{Artisans: 500, Months: 13, Until: "2026-10", Seed: 7, BatchRows: 97}
		if _, err := migrations.Generate(ctx, db, opt); err == nil {
			t.Fatal("Generate succeeded over a closed month, want a failure")
		}
		if after := genSchemaOf(t, db); after != before {
			t.Errorf("schema after a failed load:\n%s\nwant:\n%s", after, before)
		}
		genSessionsNormal(t, db)
	})
}

// genSchemaOf lists the indexes and foreign keys of the database, one a line.
func genSchemaOf(t *testing.T, db *bun.DB) string {
	q := "SELECT name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' " +
		"UNION ALL SELECT m.name || ' ' || f.\"table\" || ' ' || f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1"
	if app.IsPostgres(db) {
		q = "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() " +
			"UNION ALL SELECT conname || ' ' || convalidated::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint " +
			"WHERE connamespace = current_schema()::regnamespace ORDER BY 1"
	}
	var lines []string
	if err := db.NewRaw(q).Scan(context.Background(), &lines); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
