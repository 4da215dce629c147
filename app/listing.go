package app

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

const listingObject = "listing"

// ListingStatuses are the states of a listing on a platform.
var ListingStatuses = []string{"draft", "live", "paused", "removed"}

// Listing is a product offered on a platform. The product's store price, district and
// artisan come along for reading; PriceFlagged compares the two prices under the tolerance
// in force when the listing was read.
type Listing struct {
	bun.BaseModel `bun:"table:listings,alias:l"`

	ID                int64     `bun:"id,pk,autoincrement" json:"id"`
	ProductID         int64     `bun:"product_id" json:"product_id"`
	Platform          string    `bun:"platform" json:"platform"`
	PlatformProductID string    `bun:"platform_product_id" json:"platform_product_id"`
	URL               string    `bun:"url" json:"url"`
	ListedPricePaise  Paise     `bun:"listed_price_paise" json:"listed_price_paise"`
	Status            string    `bun:"status" json:"status"`
	LastCheckedOn     string    `bun:"last_checked_on" json:"last_checked_on"`
	Version           int64     `bun:"version" json:"version"`
	CreatedAt         time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at" json:"updated_at"`

	StorePricePaise   Paise   `bun:"store_price_paise,scanonly" json:"store_price_paise"`
	District          string  `bun:"district,scanonly" json:"district"`
	ProductTitle      string  `bun:"product_title,scanonly" json:"product_title"`
	ArtisanID         int64   `bun:"artisan_id,scanonly" json:"artisan_id"`
	ArtisanName       string  `bun:"artisan_name,scanonly" json:"artisan_name"`
	PriceFlagged      bool    `bun:"-" json:"price_flagged"`
	DifferencePercent float64 `bun:"-" json:"difference_percent"`
}

// ListingInput is what Create and Update take; Version is the one read (Update only).
type ListingInput struct {
	ProductID         int64  `json:"product_id"`
	Platform          string `json:"platform"`
	PlatformProductID string `json:"platform_product_id"`
	URL               string `json:"url"`
	ListedPricePaise  Paise  `json:"listed_price_paise"`
	Status            string `json:"status"`
	LastCheckedOn     string `json:"last_checked_on"`
	Version           int64  `json:"version"`
}

// ListingFilter selects listings; zero fields select all in scope.
type ListingFilter struct {
	District  string
	ProductID int64
	Platform  string
	Status    string
}

// Listings manages the listings of products on platforms: listing:read to read and
// listing:edit to change, in the district of the product's artisan.
type Listings struct {
	DB    *bun.DB
	Authz Authorizer
}

// Input returns the listing as an input for an update, at its version.
func (l *Listing) Input() ListingInput {
	return ListingInput{ProductID: l.ProductID, Platform: l.Platform, PlatformProductID: l.PlatformProductID,
		URL: l.URL, ListedPricePaise: l.ListedPricePaise, Status: l.Status, LastCheckedOn: l.LastCheckedOn, Version: l.Version}
}

// List returns the listings in scope matching f, by product and platform, at most
// MaxProductList.
func (s *Listings) List(ctx context.Context, actor Actor, f ListingFilter) ([]Listing, error) {
	tol, err := PriceTolerance(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := []Listing{}
	q := s.selectListings(s.DB, actor, "read", &out).OrderExpr("l.product_id DESC, l.platform").Limit(MaxProductList)
	for col, v := range map[string]string{"a.district": f.District, "l.platform": f.Platform, "l.status": f.Status} {
		if v != "" {
			q = q.Where("? = ?", bun.Ident(col), v)
		}
	}
	if f.ProductID != 0 {
		q = q.Where("l.product_id = ?", f.ProductID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("listings: list: %w", err)
	}
	for i := range out {
		out[i].flag(tol)
	}
	return out, nil
}

// Get returns one listing.
func (s *Listings) Get(ctx context.Context, actor Actor, id int64) (*Listing, error) {
	return s.find(ctx, s.DB, actor, "read", id)
}

// Create lists a product on a platform; a product has one listing per platform.
func (s *Listings) Create(ctx context.Context, actor Actor, in ListingInput) (*Listing, error) {
	in.normalize()
	if err := validateListing(ctx, s.DB, &in); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := findProduct(ctx, tx, s.Authz, actor, "read", in.ProductID)
		if errNoRows(err) || ErrorCode(err) == ENOTFOUND {
			return Invalid{"product_id": Msg("listing.unknown_product")}.Err()
		}
		if err != nil {
			return err
		}
		if !scopeOf(s.Authz, actor, listingObject, "edit").Includes(p.District) {
			return ErrForbidden
		}
		n, err := tx.NewSelect().Table("listings").Where("product_id = ? AND platform = ?", in.ProductID, in.Platform).Count(ctx)
		if err != nil {
			return fmt.Errorf("listings: duplicate: %w", err)
		}
		if n > 0 {
			return Invalid{"platform": Msg("listing.duplicate")}.Err()
		}
		now := Now()
		l := &Listing{Version: 1, CreatedAt: now, UpdatedAt: now}
		in.applyTo(l)
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return fmt.Errorf("listings: insert: %w", err)
		}
		id = l.ID
		if err := refreshReadiness(ctx, tx, p.ArtisanID); err != nil {
			return err
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: listingObject, EntityID: idString(l.ID),
			Action: "create", District: p.District, After: l})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// Update changes a listing under optimistic locking; it stays with its product and platform.
func (s *Listings) Update(ctx context.Context, actor Actor, id int64, in ListingInput) (*Listing, error) {
	in.normalize()
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, "edit", id)
		if err != nil {
			return err
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		in.ProductID, in.Platform = cur.ProductID, cur.Platform
		if err := validateListing(ctx, tx, &in); err != nil {
			return err
		}
		next := *cur
		in.applyTo(&next)
		next.UpdatedAt = Now()
		if err := updateVersioned(ctx, tx, &next, "id", id, cur.Version, "platform_product_id", "url",
			"listed_price_paise", "status", "last_checked_on", "updated_at"); err != nil {
			return err
		}
		next.Version++
		if err := refreshReadiness(ctx, tx, cur.ArtisanID); err != nil {
			return err
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: listingObject, EntityID: idString(id),
			Action: "update", District: cur.District, Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// selectListings starts a query over listings with their product and artisan, limited to
// where the actor may read listings.
func (s *Listings) selectListings(db bun.IDB, actor Actor, action string, dest any) *bun.SelectQuery {
	q := db.NewSelect().Model(dest).ColumnExpr("l.*").
		ColumnExpr("p.store_price_paise, p.title_en AS product_title, p.artisan_id").
		ColumnExpr("a.district AS district, a.name AS artisan_name").
		Join("JOIN products AS p ON p.id = l.product_id").
		Join("JOIN artisans AS a ON a.id = p.artisan_id")
	return scopeOf(s.Authz, actor, listingObject, action).Apply(q, "a.district")
}

// find loads one listing the actor may read; one they may read but not change (for an
// action other than read) is ErrForbidden.
func (s *Listings) find(ctx context.Context, db bun.IDB, actor Actor, action string, id int64) (*Listing, error) {
	l := new(Listing)
	err := s.selectListings(db, actor, "read", l).Where("l.id = ?", id).Scan(ctx)
	if errNoRows(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("listings: find: %w", err)
	}
	if action != "read" && !scopeOf(s.Authz, actor, listingObject, action).Includes(l.District) {
		return nil, ErrForbidden
	}
	tol, err := PriceTolerance(ctx, db)
	if err != nil {
		return nil, err
	}
	l.flag(tol)
	return l, nil
}

// flag sets PriceFlagged and DifferencePercent (one decimal) under the tolerance.
func (l *Listing) flag(tolerancePercent int) {
	if l.StorePricePaise <= 0 {
		return
	}
	l.PriceFlagged = l.Status != "removed" && PriceFlagged(l.ListedPricePaise, l.StorePricePaise, tolerancePercent)
	pct := float64(l.ListedPricePaise-l.StorePricePaise) * 100 / float64(l.StorePricePaise)
	l.DifferencePercent = math.Round(pct*10) / 10
}

func (in *ListingInput) normalize() {
	for _, s := range []*string{&in.Platform, &in.PlatformProductID, &in.URL, &in.Status, &in.LastCheckedOn} {
		*s = strings.TrimSpace(*s)
	}
	if in.Status == "" {
		in.Status = "draft"
	}
}

func (in *ListingInput) applyTo(l *Listing) {
	l.ProductID, l.Platform, l.PlatformProductID, l.URL = in.ProductID, in.Platform, in.PlatformProductID, in.URL
	l.ListedPricePaise, l.Status, l.LastCheckedOn = in.ListedPricePaise, in.Status, in.LastCheckedOn
}

func validateListing(ctx context.Context, db bun.IDB, in *ListingInput) error {
	v := Invalid{}
	if in.ProductID <= 0 {
		v.Add("product_id", KeyRequired)
	}
	if in.ListedPricePaise <= 0 {
		v.Add("listed_price_paise", "product.price")
	}
	if !slices.Contains(ListingStatuses, in.Status) {
		v.Add("status", artisanKeyChoice)
	}
	MaxLen(v, "platform_product_id", in.PlatformProductID, 100)
	MaxLen(v, "url", in.URL, 500)
	if in.URL != "" {
		if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add("url", "listing.url")
		}
	}
	if in.Status == "live" && in.PlatformProductID == "" && in.URL == "" {
		v.Add("platform_product_id", "listing.live_needs_id")
	}
	if in.LastCheckedOn != "" {
		if d, err := time.Parse(time.DateOnly, in.LastCheckedOn); err != nil || d.After(Now()) {
			v.Add("last_checked_on", KeyDate)
		}
	}
	Required(v, "platform", in.Platform)
	if in.Platform != "" {
		n, err := db.NewSelect().Model((*Platform)(nil)).Where("slug = ? AND active = ?", in.Platform, true).Count(ctx)
		if err != nil {
			return fmt.Errorf("listings: platform: %w", err)
		}
		if n == 0 {
			v.Add("platform", "listing.unknown_platform")
		}
	}
	return v.Err()
}
