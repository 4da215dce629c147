package app

import (
	"context"
	"fmt"
)

// priceFlagSQL is true for a listing l of product p whose price differs from the store price
// by more than the tolerance (the one argument, whole percent). It is PriceFlagged in SQL,
// in integers, so both agree to the paisa: exactly at the tolerance is not flagged.
const priceFlagSQL = "ABS(l.listed_price_paise - p.store_price_paise) * 100 > ? * p.store_price_paise"

// PriceFlagged reports whether a listed price differs from the store price by more than
// tolerancePercent of the store price.
func PriceFlagged(listed, store Paise, tolerancePercent int) bool {
	diff := listed - store
	if diff < 0 {
		diff = -diff
	}
	return int64(diff)*100 > int64(tolerancePercent)*int64(store)
}

// PriceFlags lists the flagged listings (removed ones aside) in the districts where the
// actor may read listings, limited to district when it is given, by artisan and product.
func (s *Listings) PriceFlags(ctx context.Context, actor Actor, district string) ([]Listing, error) {
	tol, err := PriceTolerance(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := []Listing{}
	q := s.selectListings(s.DB, actor, "read", &out).Where("l.status <> 'removed'").Where(priceFlagSQL, tol).
		OrderExpr("a.district, a.name, p.id, l.platform")
	if district != "" {
		// The product's copy of the district, indexed: the district's products are one
		// range (a.district drove a probe of every product of every artisan there).
		q = q.Where("p.district = ?", district)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("listings: price flags: %w", err)
	}
	for i := range out {
		out[i].flag(tol)
	}
	return out, nil
}
