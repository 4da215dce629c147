package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

const productObject = "product"

// MaxProductList is the most products one list returns, newest first.
const MaxProductList = 500

// Product is an artisan's item for sale. Its district is its artisan's, read through a join,
// never stored. QualityFlags are those of the product as a whole (too_few_angles); each
// photo carries its own.
type Product struct {
	bun.BaseModel `bun:"table:products,alias:p"`

	ID              int64     `bun:"id,pk,autoincrement" json:"id"`
	ArtisanID       int64     `bun:"artisan_id" json:"artisan_id"`
	TitleEn         string    `bun:"title_en" json:"title_en"`
	TitleHi         string    `bun:"title_hi" json:"title_hi"`
	Craft           string    `bun:"craft" json:"craft"`
	Description     string    `bun:"description" json:"description"`
	Material        string    `bun:"material" json:"material"`
	Dimensions      string    `bun:"dimensions" json:"dimensions"`
	WeightGrams     int64     `bun:"weight_grams" json:"weight_grams"`
	HSNCode         string    `bun:"hsn_code" json:"hsn_code"`
	GITag           bool      `bun:"gi_tag" json:"gi_tag"`
	HandloomMark    bool      `bun:"handloom_mark" json:"handloom_mark"`
	KhadiMark       bool      `bun:"khadi_mark" json:"khadi_mark"`
	StorePricePaise Paise     `bun:"store_price_paise" json:"store_price_paise"`
	Version         int64     `bun:"version" json:"version"`
	CreatedAt       time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at" json:"updated_at"`

	// District is the artisan's, kept with the product (moved with the artisan) so that a
	// district's catalogue is one index range (migration 21).
	District     string         `bun:"district" json:"district"`
	ArtisanName  string         `bun:"artisan_name,scanonly" json:"artisan_name"`
	PhotoCount   int            `bun:"photo_count,scanonly" json:"photo_count"`
	QualityFlags []string       `bun:"-" json:"quality_flags"`
	Photos       []ProductPhoto `bun:"-" json:"photos,omitempty"`
}

// ProductInput is what Create and Update take; Version is the one read (Update only).
type ProductInput struct {
	ArtisanID       int64  `json:"artisan_id"`
	TitleEn         string `json:"title_en"`
	TitleHi         string `json:"title_hi"`
	Craft           string `json:"craft"`
	Description     string `json:"description"`
	Material        string `json:"material"`
	Dimensions      string `json:"dimensions"`
	WeightGrams     int64  `json:"weight_grams"`
	HSNCode         string `json:"hsn_code"`
	GITag           bool   `json:"gi_tag"`
	HandloomMark    bool   `json:"handloom_mark"`
	KhadiMark       bool   `json:"khadi_mark"`
	StorePricePaise Paise  `json:"store_price_paise"`
	Version         int64  `json:"version"`
}

// ProductFilter selects products; zero fields select all in scope.
type ProductFilter struct {
	District  string
	ArtisanID int64
	Craft     string
}

// Products manages the catalogue. Reading needs product:read and changing product:edit, in
// the district of the product's artisan; a product outside is ErrNotFound.
type Products struct {
	DB    *bun.DB
	Authz Authorizer
}

// Input returns the product as an input for an update, at its version.
func (p *Product) Input() ProductInput {
	return ProductInput{ArtisanID: p.ArtisanID, TitleEn: p.TitleEn, TitleHi: p.TitleHi, Craft: p.Craft,
		Description: p.Description, Material: p.Material, Dimensions: p.Dimensions, WeightGrams: p.WeightGrams,
		HSNCode: p.HSNCode, GITag: p.GITag, HandloomMark: p.HandloomMark, KhadiMark: p.KhadiMark,
		StorePricePaise: p.StorePricePaise, Version: p.Version}
}

// List returns the products in scope that match f, newest first, at most MaxProductList.
func (s *Products) List(ctx context.Context, actor Actor, f ProductFilter) ([]Product, error) {
	out := []Product{}
	q := s.selectProducts(s.DB, actor, "read", &out).OrderExpr("p.id DESC").Limit(MaxProductList)
	if f.District != "" {
		q = q.Where("a.district = ?", f.District)
	}
	if f.ArtisanID != 0 {
		q = q.Where("p.artisan_id = ?", f.ArtisanID)
	}
	if f.Craft != "" {
		q = q.Where("p.craft = ?", f.Craft)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("products: list: %w", err)
	}
	for i := range out {
		out[i].QualityFlags = productFlags(out[i].PhotoCount)
	}
	return out, nil
}

// Get returns one product with its photos.
func (s *Products) Get(ctx context.Context, actor Actor, id int64) (*Product, error) {
	p, err := findProduct(ctx, s.DB, s.Authz, actor, "read", id)
	if err != nil {
		return nil, err
	}
	p.Photos = []ProductPhoto{}
	if err := s.DB.NewSelect().Model(&p.Photos).Where("ph.product_id = ?", id).OrderExpr("ph.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("products: photos: %w", err)
	}
	return p, nil
}

// Create adds a product to an artisan in the actor's scope.
func (s *Products) Create(ctx context.Context, actor Actor, in ProductInput) (*Product, error) {
	in.normalize()
	if err := validateProduct(ctx, s.DB, &in); err != nil {
		return nil, err
	}
	var out *Product
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		district, err := s.artisanDistrict(ctx, tx, actor, in.ArtisanID)
		if err != nil {
			return err
		}
		now := Now()
		p := &Product{District: district, Version: 1, CreatedAt: now, UpdatedAt: now}
		in.applyTo(p)
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return fmt.Errorf("products: insert: %w", err)
		}
		if err := refreshReadiness(ctx, tx, p.ArtisanID); err != nil {
			return err
		}
		out = p
		return RecordAudit(ctx, tx, actor, Change{Entity: productObject, EntityID: idString(p.ID),
			Action: "create", District: district, After: p})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, out.ID)
}

// Update changes a product under optimistic locking. It stays with its artisan.
func (s *Products) Update(ctx context.Context, actor Actor, id int64, in ProductInput) (*Product, error) {
	in.normalize()
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := findProduct(ctx, tx, s.Authz, actor, "edit", id)
		if err != nil {
			return err
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		in.ArtisanID = cur.ArtisanID
		if err := validateProduct(ctx, tx, &in); err != nil {
			return err
		}
		next := *cur
		in.applyTo(&next)
		next.UpdatedAt = Now()
		if err := updateVersioned(ctx, tx, &next, "id", id, cur.Version, "title_en", "title_hi", "craft",
			"description", "material", "dimensions", "weight_grams", "hsn_code", "gi_tag", "handloom_mark",
			"khadi_mark", "store_price_paise", "updated_at"); err != nil {
			return err
		}
		next.Version++
		if err := refreshReadiness(ctx, tx, cur.ArtisanID); err != nil {
			return err
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: productObject, EntityID: idString(id),
			Action: "update", District: cur.District, Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// artisanDistrict returns the district of an artisan whose products the actor may edit: an
// artisan the actor cannot read products of is ErrNotFound, one they may only read is
// ErrForbidden.
func (s *Products) artisanDistrict(ctx context.Context, db bun.IDB, actor Actor, artisanID int64) (string, error) {
	var districts []string
	q := db.NewSelect().Table("artisans").Column("district").Where("id = ?", artisanID)
	if err := scopeOf(s.Authz, actor, productObject, "read").Apply(q, "district").Scan(ctx, &districts); err != nil {
		return "", fmt.Errorf("products: artisan: %w", err)
	}
	if len(districts) == 0 {
		return "", Invalid{"artisan_id": Msg("product.unknown_artisan")}.Err()
	}
	if !scopeOf(s.Authz, actor, productObject, "edit").Includes(districts[0]) {
		return "", ErrForbidden
	}
	return districts[0], nil
}

// selectProducts starts a query over products with their artisan's district and name and
// their photo count, limited to where the actor may perform action on products.
func (s *Products) selectProducts(db bun.IDB, actor Actor, action string, dest any) *bun.SelectQuery {
	return selectProducts(db, s.Authz, actor, action, dest)
}

func selectProducts(db bun.IDB, authz Authorizer, actor Actor, action string, dest any) *bun.SelectQuery {
	q := db.NewSelect().Model(dest).ColumnExpr("p.*").
		ColumnExpr("a.name AS artisan_name").
		ColumnExpr("(SELECT COUNT(*) FROM product_photos AS ph WHERE ph.product_id = p.id) AS photo_count").
		Join("JOIN artisans AS a ON a.id = p.artisan_id")
	return scopeOf(authz, actor, productObject, action).Apply(q, "a.district")
}

// findProduct loads one product where the actor may perform action on products; a product
// the actor may read but not edit is ErrForbidden, one they cannot read ErrNotFound.
func findProduct(ctx context.Context, db bun.IDB, authz Authorizer, actor Actor, action string, id int64) (*Product, error) {
	p := new(Product)
	err := selectProducts(db, authz, actor, "read", p).Where("p.id = ?", id).Scan(ctx)
	if errNoRows(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("products: find: %w", err)
	}
	if action != "read" && !scopeOf(authz, actor, productObject, action).Includes(p.District) {
		return nil, ErrForbidden
	}
	p.QualityFlags = productFlags(p.PhotoCount)
	return p, nil
}

// productFlags are the quality flags of a product as a whole.
func productFlags(photos int) []string {
	if photos < MinProductPhotos {
		return []string{FlagTooFewAngles}
	}
	return []string{}
}

// scopeOf returns where the actor may perform action on object; System may everywhere.
func scopeOf(authz Authorizer, actor Actor, object, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return authz.Scope(actor.UserID, object, action)
}

func (in *ProductInput) normalize() {
	for _, s := range []*string{&in.TitleEn, &in.TitleHi, &in.Craft, &in.Description, &in.Material, &in.Dimensions, &in.HSNCode} {
		*s = strings.TrimSpace(*s)
	}
	in.HSNCode = strings.ReplaceAll(in.HSNCode, " ", "")
}

func (in *ProductInput) applyTo(p *Product) {
	p.ArtisanID, p.TitleEn, p.TitleHi, p.Craft = in.ArtisanID, in.TitleEn, in.TitleHi, in.Craft
	p.Description, p.Material, p.Dimensions, p.WeightGrams = in.Description, in.Material, in.Dimensions, in.WeightGrams
	p.HSNCode, p.GITag, p.HandloomMark, p.KhadiMark = in.HSNCode, in.GITag, in.HandloomMark, in.KhadiMark
	p.StorePricePaise = in.StorePricePaise
}

// hsnPattern: an HSN code of 4, 6 or 8 digits, as GST invoices and platforms take it.
var hsnPattern = regexp.MustCompile(`^(\d{4}|\d{6}|\d{8})$`)

func validateProduct(ctx context.Context, db bun.IDB, in *ProductInput) error {
	v := Invalid{}
	if in.ArtisanID <= 0 {
		v.Add("artisan_id", KeyRequired)
	}
	Required(v, "title_en", in.TitleEn)
	MaxLen(v, "title_en", in.TitleEn, 200)
	MaxLen(v, "title_hi", in.TitleHi, 200)
	MaxLen(v, "description", in.Description, 4000)
	MaxLen(v, "material", in.Material, 200)
	MaxLen(v, "dimensions", in.Dimensions, 200)
	if in.WeightGrams < 0 || in.WeightGrams > 1_000_000 {
		v.Add("weight_grams", "product.weight")
	}
	if in.HSNCode != "" && !hsnPattern.MatchString(in.HSNCode) {
		v.Add("hsn_code", "product.hsn")
	}
	if in.StorePricePaise <= 0 {
		v.Add("store_price_paise", "product.price")
	}
	Required(v, "craft", in.Craft)
	if in.Craft != "" {
		n, err := db.NewSelect().Model((*Craft)(nil)).Where("slug = ?", in.Craft).Count(ctx)
		if err != nil {
			return fmt.Errorf("products: craft: %w", err)
		}
		if n == 0 {
			v.Add("craft", "product.unknown_craft")
		}
	}
	return v.Err()
}
