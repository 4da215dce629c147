package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Readiness thresholds. An artisan is ready for a platform when they hold every document the
// platform asks for, have at least MinCatalogueProducts products, each with at least
// MinProductPhotos photos that pass the quality bar, and no listing priced out of step with
// the store price.
const (
	MinCatalogueProducts = 3
)

// Readiness bands: ready when every check passes, nearly when exactly one fails (one thing
// for the DIC to chase), far when two or more fail.
const (
	BandReady  = "ready"
	BandNearly = "nearly"
	BandFar    = "far"
)

// Readiness checks besides the documents.
const (
	CheckDocument = "document"
	CheckPhotos   = "photos"
	CheckProducts = "products"
	CheckPrices   = "prices"
)

// readinessDocuments are the document codes of platform_documents (migration 000008, see
// DocumentCodes) that readiness checks one by one, in DocumentCodes order. The codes photos
// and catalogue are not documents: the photos and products checks stand for them.
func readinessDocuments() []string {
	return slices.DeleteFunc(slices.Clone(DocumentCodes), func(c string) bool { return c == DocPhotos || c == DocCatalogue })
}

// requiredDocuments reads which documents each platform needs, from platform_documents,
// in the order of readinessDocuments.
func requiredDocuments(ctx context.Context, db bun.IDB) (map[string][]string, error) {
	var rows []struct {
		Platform string `bun:"platform"`
		Document string `bun:"document"`
	}
	if err := db.NewSelect().Table("platform_documents").Column("platform", "document").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("readiness: platform documents: %w", err)
	}
	need := map[string]map[string]bool{}
	for _, r := range rows {
		if need[r.Platform] == nil {
			need[r.Platform] = map[string]bool{}
		}
		need[r.Platform][r.Document] = true
	}
	out := map[string][]string{}
	for platform, docs := range need {
		for _, d := range readinessDocuments() {
			if docs[d] {
				out[platform] = append(out[platform], d)
			}
		}
	}
	return out, nil
}

// ReadinessCheck is one line of the checklist. Next is the catalogue key of what to do when
// the check fails, empty when it passes.
type ReadinessCheck struct {
	Check    string `json:"check"`
	Document string `json:"document,omitempty"`
	Passed   bool   `json:"passed"`
	Next     string `json:"next,omitempty"`
}

// PlatformReadiness is an artisan's checklist for one platform, its score (passed / total)
// and its band.
type PlatformReadiness struct {
	Platform string           `json:"platform"`
	NameEn   string           `json:"name"`
	NameHi   string           `json:"name_hi"`
	Checks   []ReadinessCheck `json:"checks"`
	Passed   int              `json:"passed"`
	Total    int              `json:"total"`
	Score    float64          `json:"score"`
	Band     string           `json:"band"`
}

// ReadinessRow counts a district's approved artisans in each band for one platform.
type ReadinessRow struct {
	Platform string `json:"platform"`
	NameEn   string `json:"name"`
	NameHi   string `json:"name_hi"`
	Ready    int    `json:"ready"`
	Nearly   int    `json:"nearly"`
	Far      int    `json:"far"`
}

// Readiness computes how close artisans are to selling on each platform. Reading it needs
// artisan:read in the artisan's district; anything outside is ErrNotFound.
type Readiness struct {
	DB    *bun.DB
	Authz Authorizer
}

// artisanFacts is what readiness needs of one artisan, read in one query; the documents are
// flags, so no PAN or account number leaves the database for this.
type artisanFacts struct {
	ID                int64 `bun:"id"`
	HasPAN            int   `bun:"has_pan"`
	HasGSTIN          int   `bun:"has_gstin"`
	HasBank           int   `bun:"has_bank"`
	HasAadhaar        int   `bun:"has_aadhaar"`
	HasMobile         int   `bun:"has_mobile"`
	HasUdyam          int   `bun:"has_udyam"`
	HasArtisanID      int   `bun:"has_artisan_id"`
	HasIDProof        int   `bun:"has_id_proof"`
	Products          int   `bun:"products"`
	ProductsPhotoPoor int   `bun:"products_photo_poor"`
	FlaggedListings   int   `bun:"flagged_listings"`
}

func (f artisanFacts) has(doc string) bool {
	v := map[string]int{DocPAN: f.HasPAN, DocGSTIN: f.HasGSTIN, DocBankAccount: f.HasBank, DocAadhaar: f.HasAadhaar,
		DocMobile: f.HasMobile, DocUdyam: f.HasUdyam, DocPehchan: f.HasArtisanID, DocIDProofFile: f.HasIDProof}[doc]
	return v > 0
}

// ForArtisan returns the artisan's checklist for every active platform.
func (s *Readiness) ForArtisan(ctx context.Context, actor Actor, artisanID int64) ([]PlatformReadiness, error) {
	tol, err := PriceTolerance(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var facts []artisanFacts
	q := s.factsQuery(tol, &facts).Where("a.id = ?", artisanID)
	if err := s.scope(actor).Apply(q, "a.district").Scan(ctx); err != nil {
		return nil, fmt.Errorf("readiness: artisan: %w", err)
	}
	if len(facts) == 0 {
		return nil, ErrNotFound
	}
	platforms, docs, err := platformsAndDocuments(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := make([]PlatformReadiness, 0, len(platforms))
	for _, p := range platforms {
		r := evaluate(p.Slug, docs[p.Slug], facts[0])
		r.NameEn, r.NameHi = p.NameEn, p.NameHi
		out = append(out, r)
	}
	return out, nil
}

// DistrictTable counts, for every active platform, the district's approved artisans that are
// ready, nearly ready and far.
func (s *Readiness) DistrictTable(ctx context.Context, actor Actor, district string) ([]ReadinessRow, error) {
	if !s.scope(actor).Includes(district) {
		return nil, ErrNotFound
	}
	rows, err := bandCounts(ctx, s.DB, Scope{Districts: []string{district}})
	if err != nil {
		return nil, fmt.Errorf("readiness: district: %w", err)
	}
	return rows, nil
}

func (s *Readiness) scope(actor Actor) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, artisanObject, "read")
}

// factsQuery selects artisanFacts; the caller adds which artisans. It looks each artisan's
// uploads, products and listings up one by one, which suits one artisan; counting many goes
// through bandCounts.
func (s *Readiness) factsQuery(tolerancePercent int, dest any) *bun.SelectQuery {
	q := s.DB.NewSelect().Model(dest).ModelTableExpr("artisans AS a").Column("a.id")
	return documentColumns(q, hasUpload(DocBankPassbook), hasUpload(DocIDProof)).
		ColumnExpr("(SELECT COUNT(*) FROM products AS p WHERE p.artisan_id = a.id) AS products").
		ColumnExpr(`(SELECT COUNT(*) FROM products AS p WHERE p.artisan_id = a.id AND
			(SELECT COUNT(*) FROM product_photos AS ph WHERE ph.product_id = p.id AND ph.quality_flags = '') < ?) AS products_photo_poor`,
			MinProductPhotos).
		ColumnExpr(`(SELECT COUNT(*) FROM listings AS l JOIN products AS p ON p.id = l.product_id
			WHERE p.artisan_id = a.id AND l.status <> 'removed' AND `+priceFlagSQL+`) AS flagged_listings`, tolerancePercent)
}

// documentColumns adds the has_* flags of artisanFacts for artisan a, given the conditions
// that a bank passbook and an ID proof are uploaded.
func documentColumns(q *bun.SelectQuery, passbookUploaded, idProofUploaded string) *bun.SelectQuery {
	flag := func(cond string) string { return "CASE WHEN " + cond + " THEN 1 ELSE 0 END" }
	return q.ColumnExpr(flag("a.pan <> ''") + " AS has_pan").
		ColumnExpr(flag("a.gstin <> ''") + " AS has_gstin").
		ColumnExpr(flag(passbookUploaded+" OR a.bank_account <> ''") + " AS has_bank").
		ColumnExpr(flag("a.aadhaar_last4 <> ''") + " AS has_aadhaar").
		ColumnExpr(flag("a.mobile <> ''") + " AS has_mobile").
		ColumnExpr(flag("a.udyam <> ''") + " AS has_udyam").
		ColumnExpr(flag("a.pehchan_id <> '' OR a.weaver_id <> ''") + " AS has_artisan_id").
		ColumnExpr(flag(idProofUploaded) + " AS has_id_proof")
}

// hasUpload is true when artisan a has a document of docType that is not deleted.
func hasUpload(docType string) string {
	return "EXISTS (SELECT 1 FROM documents AS d WHERE d.artisan_id = a.id AND d.doc_type = '" + docType + "' AND d.deleted_at IS NULL)"
}

// factsGroup is a set of artisans whose facts evaluate alike: the counts are capped where
// evaluate stops looking (products at MinCatalogueProducts, poor photos and flagged
// listings at 1), so a district collapses into a few dozen rows.
type factsGroup struct {
	artisanFacts
	Artisans int `bun:"artisans"`
}

// bandCounts counts the approved artisans in scope in each band of every active platform,
// from their facts kept in artisan_readiness (readiness_facts.go): the district's rows
// grouped into factsGroups, each evaluated as ForArtisan evaluates one artisan.
func bandCounts(ctx context.Context, db *bun.DB, scope Scope) ([]ReadinessRow, error) {
	var groups []factsGroup
	q := db.NewSelect().TableExpr("artisan_readiness AS r").ColumnExpr(readinessFactColumns).
		ColumnExpr("COUNT(*) AS artisans").GroupExpr(readinessFactColumns)
	if err := scope.Apply(q, "r.district").Scan(ctx, &groups); err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("band counts: %w", err)
	}
	platforms, docs, err := platformsAndDocuments(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make([]ReadinessRow, 0, len(platforms))
	for _, p := range platforms {
		row := ReadinessRow{Platform: p.Slug, NameEn: p.NameEn, NameHi: p.NameHi}
		for _, g := range groups {
			switch evaluate(p.Slug, docs[p.Slug], g.artisanFacts).Band {
			case BandReady:
				row.Ready += g.Artisans
			case BandNearly:
				row.Nearly += g.Artisans
			default:
				row.Far += g.Artisans
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// evaluate builds the checklist of one artisan for one platform.
func evaluate(platform string, documents []string, f artisanFacts) PlatformReadiness {
	r := PlatformReadiness{Platform: platform}
	for _, doc := range documents {
		r.Checks = append(r.Checks, check(CheckDocument, doc, f.has(doc), "readiness.next.document."+doc))
	}
	r.Checks = append(r.Checks,
		check(CheckProducts, "", f.Products >= MinCatalogueProducts, "readiness.next.products"),
		check(CheckPhotos, "", f.Products > 0 && f.ProductsPhotoPoor == 0, "readiness.next.photos"),
		check(CheckPrices, "", f.FlaggedListings == 0, "readiness.next.prices"))
	for _, c := range r.Checks {
		if c.Passed {
			r.Passed++
		}
	}
	r.Total = len(r.Checks)
	r.Score = float64(r.Passed) / float64(r.Total)
	switch r.Total - r.Passed {
	case 0:
		r.Band = BandReady
	case 1:
		r.Band = BandNearly
	default:
		r.Band = BandFar
	}
	return r
}

func check(name, doc string, passed bool, next string) ReadinessCheck {
	c := ReadinessCheck{Check: name, Document: doc, Passed: passed}
	if !passed {
		c.Next = next
	}
	return c
}

// platformsAndDocuments lists the platforms in use, by slug, and the documents each needs.
func platformsAndDocuments(ctx context.Context, db bun.IDB) ([]Platform, map[string][]string, error) {
	var out []Platform
	if err := db.NewSelect().Model(&out).Where("active = ?", true).OrderExpr("slug").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("readiness: platforms: %w", err)
	}
	docs, err := requiredDocuments(ctx, db)
	return out, docs, err
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
