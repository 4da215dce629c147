package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/uptrace/bun"
)

// artisan_readiness keeps the readiness facts (artisanFacts, capped as factsGroup caps
// them) of every approved artisan, one row each, so that a district's readiness table is a
// scan of one narrow index instead of reading every approved artisan's record, documents,
// products, photos and listings (1.0–1.4 s for Jaipur at 1,000,000 artisans on SQLite).
// Every write that can change a fact refreshes the artisan's row in its own transaction:
// the record (its document fields, status and district), documents, products, photos,
// listings, and the price tolerance (every row's flag). ReadinessFactsDrift compares the
// table with the facts read live.

// readinessFactColumns are artisan_readiness's columns after artisan_id and district, in
// the order of the facts SELECT.
const readinessFactColumns = "has_pan, has_gstin, has_bank, has_aadhaar, has_mobile, has_udyam, has_artisan_id, " +
	"has_id_proof, products, products_photo_poor, flagged_listings"

// readinessFactsSelect selects artisan_id, district and the capped facts of the approved
// artisans a that where (an SQL condition on a, with its arguments) keeps; the first
// argument is the price tolerance in whole percent.
func readinessFactsSelect(where string) string {
	flag := func(cond string) string { return "CASE WHEN " + cond + " THEN 1 ELSE 0 END" }
	return "SELECT a.id AS artisan_id, a.district, " +
		flag("a.pan <> ''") + ", " +
		flag("a.gstin <> ''") + ", " +
		flag(hasUpload(DocBankPassbook)+" OR a.bank_account <> ''") + ", " +
		flag("a.aadhaar_last4 <> ''") + ", " +
		flag("a.mobile <> ''") + ", " +
		flag("a.udyam <> ''") + ", " +
		flag("a.pehchan_id <> '' OR a.weaver_id <> ''") + ", " +
		flag(hasUpload(DocIDProof)) + ", " +
		"(SELECT COUNT(*) FROM (SELECT 1 FROM products AS p WHERE p.artisan_id = a.id LIMIT " +
		strconv.Itoa(MinCatalogueProducts) + ") AS capped), " +
		flag("EXISTS (SELECT 1 FROM products AS p WHERE p.artisan_id = a.id AND "+
			"(SELECT COUNT(*) FROM product_photos AS ph WHERE ph.product_id = p.id AND ph.quality_flags = '') < "+
			strconv.Itoa(MinProductPhotos)+")") + ", " +
		flag("EXISTS (SELECT 1 FROM products AS p JOIN listings AS l ON l.product_id = p.id "+
			"WHERE p.artisan_id = a.id AND l.status <> 'removed' AND "+priceFlagSQL+")") +
		" FROM artisans AS a WHERE a.status = '" + ArtisanApproved + "' AND " + where
}

// refreshReadiness rewrites the readiness rows of the artisans ids inside tx: a row for
// each that is approved, none for the others.
func refreshReadiness(ctx context.Context, tx bun.IDB, ids ...int64) error {
	tol, err := PriceTolerance(ctx, tx)
	if err != nil {
		return err
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for chunk := range slices.Chunk(ids, 500) {
		if _, err := tx.NewRaw("DELETE FROM artisan_readiness WHERE artisan_id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
			return fmt.Errorf("readiness: clear: %w", err)
		}
		if _, err := tx.NewRaw("INSERT INTO artisan_readiness (artisan_id, district, "+readinessFactColumns+") "+
			readinessFactsSelect("a.id IN (?)"), tol, bun.In(chunk)).Exec(ctx); err != nil {
			return fmt.Errorf("readiness: refresh: %w", err)
		}
	}
	return nil
}

// RebuildReadinessFacts writes every approved artisan's row afresh: for the migration that
// adds the table and the generator, which writes the registry and catalogue directly.
func RebuildReadinessFacts(ctx context.Context, db bun.IDB) error {
	tol, err := PriceTolerance(ctx, db)
	if err != nil {
		return err
	}
	return rebuildReadinessFacts(ctx, db, tol)
}

func rebuildReadinessFacts(ctx context.Context, db bun.IDB, tolerancePercent int) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM artisan_readiness"); err != nil {
		return fmt.Errorf("readiness: clear all: %w", err)
	}
	if _, err := db.NewRaw("INSERT INTO artisan_readiness (artisan_id, district, "+readinessFactColumns+") "+
		readinessFactsSelect("1 = 1"), tolerancePercent).Exec(ctx); err != nil {
		return fmt.Errorf("readiness: rebuild: %w", err)
	}
	return nil
}

// refreshReadinessFlags sets every approved artisan's price flag for a new tolerance. Only
// an artisan with a listing can be flagged, so only those rows are rewritten.
func refreshReadinessFlags(ctx context.Context, tx bun.IDB, tolerancePercent int) error {
	if _, err := tx.NewRaw("UPDATE artisan_readiness SET flagged_listings = CASE WHEN EXISTS (SELECT 1 FROM products AS p "+
		"JOIN listings AS l ON l.product_id = p.id WHERE p.artisan_id = artisan_readiness.artisan_id AND l.status <> 'removed' AND "+
		priceFlagSQL+") THEN 1 ELSE 0 END WHERE artisan_id IN (SELECT p.artisan_id FROM products AS p JOIN listings AS l ON l.product_id = p.id)",
		tolerancePercent).Exec(ctx); err != nil {
		return fmt.Errorf("readiness: price flags: %w", err)
	}
	return nil
}

// readinessRow is one artisan_readiness row.
type readinessRow struct {
	ArtisanID int64  `bun:"artisan_id"`
	District  string `bun:"district"`
	artisanFacts
}

// ReadinessFactsDrift lists the artisans whose artisan_readiness row is missing, extra or
// differs from their facts read live, one artisan at a time, by the query the artisan's
// own checklist uses (factsQuery), capped as the district table caps them; empty unless a
// write bypassed the refresh. It reads every approved artisan: for tests and checks.
func ReadinessFactsDrift(ctx context.Context, db *bun.DB) ([]int64, error) {
	tol, err := PriceTolerance(ctx, db)
	if err != nil {
		return nil, err
	}
	var kept []readinessRow
	if err := db.NewRaw("SELECT artisan_id, district, "+readinessFactColumns+" FROM artisan_readiness").
		Scan(ctx, &kept); err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("readiness: drift: kept: %w", err)
	}
	byID := make(map[int64]readinessRow, len(kept))
	for _, r := range kept {
		byID[r.ArtisanID] = r
	}
	var live []struct {
		artisanFacts
		District string `bun:"district"`
	}
	q := (&Readiness{DB: db}).factsQuery(tol, &live).Column("a.district").Where("a.status = ?", ArtisanApproved)
	if err := q.Scan(ctx); err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("readiness: drift: live: %w", err)
	}
	var drift []int64
	for _, l := range live {
		want := readinessRow{ArtisanID: l.ID, District: l.District, artisanFacts: capFacts(l.artisanFacts)}
		got, ok := byID[l.ID]
		got.ID = l.ID
		if !ok || got != want {
			drift = append(drift, l.ID)
		}
		delete(byID, l.ID)
	}
	for id := range byID {
		drift = append(drift, id)
	}
	slices.Sort(drift)
	return drift, nil
}

// capFacts caps the counts where evaluate stops looking, as artisan_readiness keeps them.
func capFacts(f artisanFacts) artisanFacts {
	f.Products = min(f.Products, MinCatalogueProducts)
	f.ProductsPhotoPoor = min(f.ProductsPhotoPoor, 1)
	f.FlaggedListings = min(f.FlaggedListings, 1)
	return f
}
