package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// Migration 21 keeps the catalogue and onboarding by district, for the district report
// (issue 9): at 1,000,000 artisans its e-commerce section read every approved artisan of
// the district with their documents, products, photos and listings (readiness, 1.0–1.4 s
// for Jaipur on SQLite) and found the district's products and onboarding records through
// its 86,000 artisans (price flags, the catalogue's date, live listings, the funnels).
//
//   - products.district and onboardings.district: the artisan's district, written with the
//     row and moved with the artisan (app/product.go, app/onboarding.go,
//     app/artisan_save.go), indexed.
//   - artisan_readiness: the readiness facts of every approved artisan, refreshed by every
//     write that changes one (app/readiness_facts.go), indexed by district and facts so a
//     district's readiness table is one index range.
//
// Both are filled from the data already there. It is written in Go so that the readiness
// facts are filled by the app's own statement (app.RebuildReadinessFacts).
func init() {
	Migrations.MustRegister(upCatalogueByDistrict, downCatalogueByDistrict) // named after this file
}

func upCatalogueByDistrict(ctx context.Context, db *bun.DB) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, stmt := range []string{
			"ALTER TABLE products ADD COLUMN district TEXT NOT NULL DEFAULT ''",
			"UPDATE products SET district = (SELECT a.district FROM artisans AS a WHERE a.id = products.artisan_id)",
			"CREATE INDEX products_district_idx ON products (district, updated_at)",
			"ALTER TABLE onboardings ADD COLUMN district TEXT NOT NULL DEFAULT ''",
			"UPDATE onboardings SET district = (SELECT a.district FROM artisans AS a WHERE a.id = onboardings.artisan_id)",
			"CREATE INDEX onboardings_district_idx ON onboardings (district, platform, artisan_id, id)",
			// The district's artisans whose status changed since an instant: the report's
			// pending ages (app.reportBuilder.pendingAge).
			"CREATE INDEX artisans_district_status_idx ON artisans (district, status_changed_at)",
			"CREATE TABLE artisan_readiness (\n" +
				"\tartisan_id BIGINT PRIMARY KEY REFERENCES artisans (id) ON DELETE CASCADE,\n" +
				"\tdistrict TEXT NOT NULL,\n" +
				"\thas_pan INTEGER NOT NULL, has_gstin INTEGER NOT NULL, has_bank INTEGER NOT NULL,\n" +
				"\thas_aadhaar INTEGER NOT NULL, has_mobile INTEGER NOT NULL, has_udyam INTEGER NOT NULL,\n" +
				"\thas_artisan_id INTEGER NOT NULL, has_id_proof INTEGER NOT NULL,\n" +
				"\tproducts INTEGER NOT NULL, products_photo_poor INTEGER NOT NULL, flagged_listings INTEGER NOT NULL\n" +
				")",
			"CREATE INDEX artisan_readiness_district_idx ON artisan_readiness (district, has_pan, has_gstin, has_bank, " +
				"has_aadhaar, has_mobile, has_udyam, has_artisan_id, has_id_proof, products, products_photo_poor, flagged_listings)",
		} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("catalogue by district: %w", err)
			}
		}
		return app.RebuildReadinessFacts(ctx, tx)
	})
}

func downCatalogueByDistrict(ctx context.Context, db *bun.DB) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, stmt := range []string{
			"DROP TABLE artisan_readiness",
			"DROP INDEX artisans_district_status_idx",
			"DROP INDEX products_district_idx",
			"ALTER TABLE products DROP COLUMN district",
			"DROP INDEX onboardings_district_idx",
			"ALTER TABLE onboardings DROP COLUMN district",
		} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("catalogue by district: down: %w", err)
			}
		}
		return nil
	})
}
