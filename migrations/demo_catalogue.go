package migrations

import (
	"context"
	"fmt"

	"shilpkosh/app"
)

// demoProduct is a product of the demo catalogue; prices are in rupees, listings map a
// platform to its listed price.
type demoProduct struct {
	artisan                      int
	titleEn, titleHi, craft, hsn string
	material, dimensions         string
	grams                        int64
	rupees                       app.Paise
	listings                     map[string]app.Paise
}

// seedDemoCatalogue gives the first two approved Jaipur artisans a few products and lists
// some on platforms, one priced out of step with the store price so the price-flag list has
// something to show; once, on a catalogue with no products. Photos need the data folder and
// are left to the visitor, so the products show the too_few_angles flag.
func seedDemoCatalogue(ctx context.Context, d Demo, actors map[string]app.Actor) error {
	db, authz := d.Artisans.DB, d.Artisans.Authz
	if n, err := db.NewSelect().Table("products").Count(ctx); err != nil || n > 0 {
		return err
	}
	var artisans []int64
	if err := db.NewSelect().Table("artisans").Column("id").Where("district = 'jaipur' AND status = 'approved'").
		OrderExpr("id").Limit(2).Scan(ctx, &artisans); err != nil {
		return fmt.Errorf("demo catalogue: artisans: %w", err)
	}
	if len(artisans) == 0 {
		return nil
	}
	products := &app.Products{DB: db, Authz: authz}
	listings := &app.Listings{DB: db, Authz: authz}
	items := []demoProduct{
		{0, "Hand block printed cotton saree", "हाथ ठप्पा छपाई सूती साड़ी", "sanganeri-block-print", "5208", "Cotton", "5.5 × 1.1 m", 450, 2450,
			map[string]app.Paise{"amazon": 2600, "flipkart": 2950}}, // flipkart is 20% above the store price
		{0, "Block printed dupatta", "ठप्पा छपाई दुपट्टा", "sanganeri-block-print", "6214", "Cotton mulmul", "2.25 × 1 m", 150, 850,
			map[string]app.Paise{"amazon": 850}},
		{0, "Bagru print bedsheet, double", "बगरू छपाई चादर, डबल", "bagru-block-print", "6304", "Cotton", "2.7 × 2.4 m", 900, 1850, nil},
	}
	if len(artisans) > 1 {
		items = append(items, demoProduct{1, "Blue pottery vase, 8 inch", "ब्लू पॉटरी फूलदान, 8 इंच", "blue-pottery", "6913", "Quartz stone paste", "20 × 12 cm", 700, 1200,
			map[string]app.Paise{"india-handmade": 1250}})
	}
	for _, it := range items {
		p, err := products.Create(ctx, actors["entry.jaipur"], app.ProductInput{ArtisanID: artisans[it.artisan], TitleEn: it.titleEn,
			TitleHi: it.titleHi, Craft: it.craft, HSNCode: it.hsn, Material: it.material, Dimensions: it.dimensions,
			WeightGrams: it.grams, StorePricePaise: it.rupees * 100, GITag: it.craft == "sanganeri-block-print" || it.craft == "bagru-block-print"})
		if err != nil {
			return fmt.Errorf("demo product: %w", err)
		}
		for platform, rupees := range it.listings {
			if _, err := listings.Create(ctx, actors["entry.jaipur"], app.ListingInput{ProductID: p.ID, Platform: platform,
				ListedPricePaise: rupees * 100, Status: "live", PlatformProductID: fmt.Sprintf("SHK-%d-%s", p.ID, platform)}); err != nil {
				return fmt.Errorf("demo listing: %w", err)
			}
		}
	}
	return nil
}
