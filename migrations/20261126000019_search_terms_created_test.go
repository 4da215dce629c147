package migrations_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/migrations"
)

// TestSearchTermsCreated checks that the generator writes each search term with its
// artisan's created_at, and that migration 19 fills created_at on a registry whose terms
// were written before it: every row kept, each with its artisan's created_at and district,
// the counts still equal to a recount.
func TestSearchTermsCreated(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		opt := migrations.GenerateOptions{Artisans: 400, Months: 2, Until: "2026-10", Seed: 3, BatchRows: 53}
		if _, err := migrations.Generate(ctx, db, opt); err != nil {
			t.Fatal(err)
		}
		rows := searchTermsAsArtisans(t, db, "generated")

		// Back to the terms of migration 18, as a registry loaded before 19 has them.
		for _, q := range []string{
			"DROP INDEX artisan_search_terms_created_idx",
			"CREATE INDEX artisan_search_terms_district_idx ON artisan_search_terms (district, term, artisan_id)",
			"ALTER TABLE artisan_search_terms DROP COLUMN created_at",
			"DELETE FROM bun_migrations WHERE name = '20261126000019'",
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		group, err := migrations.Up(ctx, db)
		if err != nil || len(group.Migrations) != 1 {
			t.Fatalf("up applied %v, %v; want migration 19 alone", group, err)
		}
		if again := searchTermsAsArtisans(t, db, "migrated"); again != rows {
			t.Errorf("migrated terms = %d, want %d", again, rows)
		}
		var indexes []string
		q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'artisan_search_terms' AND sql IS NOT NULL ORDER BY name"
		if app.IsPostgres(db) {
			q = "SELECT indexname FROM pg_indexes WHERE tablename = 'artisan_search_terms' AND schemaname = current_schema() ORDER BY indexname"
		}
		if err := db.NewRaw(q).Scan(ctx, &indexes); err != nil {
			t.Fatal(err)
		}
		want := "[artisan_search_terms_artisan_idx artisan_search_terms_created_idx]"
		if app.IsPostgres(db) {
			want = "[artisan_search_terms_artisan_idx artisan_search_terms_created_idx artisan_search_terms_pkey]"
		}
		if got := fmt.Sprint(indexes); got != want {
			t.Errorf("indexes = %s, want %s", got, want)
		}
		if drift, err := app.SearchCountsDrift(ctx, db); err != nil || len(drift) > 0 {
			t.Errorf("search counts drift after the migration: %v, %v", drift, err)
		}
	})
}

// searchTermsAsArtisans checks that every search term carries its artisan's district and
// created_at, and returns the number of terms.
func searchTermsAsArtisans(t *testing.T, db *bun.DB, when string) int {
	t.Helper()
	ctx := context.Background()
	var wrong, all int
	err := db.NewRaw("SELECT COUNT(*) FROM artisan_search_terms s LEFT JOIN artisans a ON a.id = s.artisan_id "+
		"AND a.district = s.district AND a.created_at = s.created_at WHERE a.id IS NULL").Scan(ctx, &wrong)
	if err != nil || wrong != 0 {
		t.Errorf("%s: %d terms without their artisan's district and created_at (%v)", when, wrong, err)
	}
	if err := db.NewRaw("SELECT COUNT(*) FROM artisan_search_terms").Scan(ctx, &all); err != nil || all == 0 {
		t.Fatalf("%s: %d terms (%v)", when, all, err)
	}
	return all
}
