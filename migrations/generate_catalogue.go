package migrations

import (
	"fmt"
	"slices"
	"time"
)

var (
	genOnboardings = &genTable{name: "onboardings", cols: []string{"id", "artisan_id", "district", "platform", "stage", "reason",
		"seller_id", "live_listings", "last_sale_on", "stage_since", "version", "created_at", "updated_at"}}
	genOnboardingEvents = &genTable{name: "onboarding_events", cols: []string{"id", "onboarding_id", "at", "actor_name",
		"from_stage", "to_stage", "reason"}, parent: genOnboardings}
	genProducts = &genTable{name: "products", cols: []string{"id", "artisan_id", "district", "title_en", "title_hi", "craft",
		"material", "weight_grams", "gi_tag", "handloom_mark", "khadi_mark", "store_price_paise", "created_at", "updated_at"}}
	genPhotos = &genTable{name: "product_photos", cols: []string{"id", "product_id", "storage_key", "file_name",
		"content_type", "size_bytes", "width", "height", "mean_brightness", "quality_flags", "uploaded_at"}, parent: genProducts}
	genListings = &genTable{name: "listings", cols: []string{"id", "product_id", "platform", "platform_product_id", "url",
		"listed_price_paise", "status", "last_checked_on", "created_at", "updated_at"}, parent: genProducts}
)

// genStages are the onboarding stages in order; an artisan's record reaches one of them
// (blocked ones stop at documents).
var genStages = []string{"not_started", "documents", "training", "account_created", "catalogue", "listed",
	"first_sale", "active"}

var genStageReached = genWeightedOf(map[string]float64{"documents": 20, "training": 12, "account_created": 12,
	"catalogue": 10, "listed": 15, "first_sale": 10, "active": 15, "blocked": 6})

// Shares of approved artisans: a quarter onboarding on a platform or two, a tenth more
// with products in the catalogue though on no platform yet.
const (
	genOnboardPercent       = 25
	genCatalogueOnlyPercent = 10
)

// genCatalogue holds the last id given in each catalogue table.
type genCatalogue struct {
	onboarding, event, product, photo, listing int64
}

// makeCatalogue writes onboarding histories, products with their photos' metadata (the
// files themselves are not made) and listings on the platforms an artisan is listed on.
func (g *generator) makeCatalogue() {
	var ids genCatalogue
	end := g.until.End()
	for _, d := range g.ref.districts {
		for _, s := range g.sellers[d.slug] {
			roll := g.rnd.IntN(100)
			if roll >= genOnboardPercent+genCatalogueOnlyPercent {
				continue
			}
			var listedOn []string
			if roll < genOnboardPercent {
				listedOn = g.makeOnboardings(&ids, d.slug, s, end)
			}
			if roll >= genOnboardPercent || len(listedOn) > 0 {
				g.makeProducts(&ids, d.slug, s, listedOn, end)
			}
		}
	}
	g.w.flush(genOnboardings, genOnboardingEvents, genProducts, genPhotos, genListings)
}

// makeOnboardings returns the platforms the artisan has reached "listed" or beyond on.
func (g *generator) makeOnboardings(ids *genCatalogue, district string, s genSeller, end time.Time) []string {
	r := g.rnd
	var listed []string
	platforms := slices.Clone(g.ref.platforms)
	r.Shuffle(len(platforms), func(i, j int) { platforms[i], platforms[j] = platforms[j], platforms[i] })
	for _, platform := range platforms[:1+r.IntN(2)] {
		reached := genStageReached.pick(r.Float64())
		at := s.created.Add(time.Duration(r.IntN(300*24)) * time.Hour)
		if !at.Before(end) {
			continue
		}
		ids.onboarding++
		created := at
		path := append(slices.Clone(genStages[1:2]), "blocked")
		if reached != "blocked" {
			path = genStages[1 : slices.Index(genStages, reached)+1]
		}
		times := make([]time.Time, len(path))
		for i := range path {
			times[i] = at
			if next := at.Add(time.Duration(1+r.IntN(30*24)) * time.Hour); next.Before(end) {
				at = next
			}
		}
		last, lastAt := path[len(path)-1], times[len(times)-1]
		seller, live, lastSale, reason := "", int64(0), "", ""
		stage := slices.Index(genStages, last)
		if stage >= slices.Index(genStages, "account_created") {
			seller = fmt.Sprintf("%s-%08d", platform, s.id)
		}
		if stage >= slices.Index(genStages, "listed") {
			live = int64(1 + r.IntN(10))
			listed = append(listed, platform)
		}
		if stage >= slices.Index(genStages, "first_sale") {
			lastSale = lastAt.Format(time.DateOnly)
		}
		if last == "blocked" {
			reason = "documents_missing"
		}
		// The record before its events: a batch of events sends the records' batch first.
		g.w.add(genOnboardings, ids.onboarding, s.id, district, platform, last, reason, seller, live, lastSale, genTime(lastAt),
			int64(len(path)+1), genTime(created), genTime(lastAt))
		from := "not_started"
		for i, to := range path {
			ids.event++
			why := ""
			if to == "blocked" {
				why = reason
			}
			g.w.add(genOnboardingEvents, ids.event, ids.onboarding, genTime(times[i]), "dic."+district, from, to, why)
			from = to
		}
	}
	return listed
}

func (g *generator) makeProducts(ids *genCatalogue, district string, s genSeller, listedOn []string, end time.Time) {
	r := g.rnd
	craft := g.ref.crafts[s.craft]
	at := s.created.Add(time.Duration(r.IntN(200*24)) * time.Hour)
	if !at.Before(end) {
		return
	}
	for range 1 + r.IntN(3) {
		ids.product++
		p := craft.products[r.IntN(len(craft.products))]
		price := p.pricePaise * int64(80+r.IntN(41)) / 100 / 100 * 100
		g.w.add(genProducts, ids.product, s.id, district, p.name, craft.nameHi, craft.slug, craft.material(),
			int64(200+r.IntN(1800)), craft.giTag, craft.sector == "handloom", craft.sector == "khadi", price,
			genTime(at), genTime(at))
		for range 1 + r.IntN(3) {
			ids.photo++
			w, h := 1200+100*r.IntN(20), 1200+100*r.IntN(20)
			flags := ""
			if r.IntN(20) == 0 {
				w, h, flags = 480, 360, "too_small"
			}
			g.w.add(genPhotos, ids.photo, ids.product, fmt.Sprintf("gen-%010d", ids.photo),
				fmt.Sprintf("IMG_%04d.jpg", r.IntN(10000)), "image/jpeg", int64(150000+r.IntN(2000000)), w, h,
				60+r.IntN(150), flags, genTime(at))
		}
		for _, platform := range listedOn {
			ids.listing++
			status := []string{"live", "live", "live", "live", "paused", "draft", "removed"}[r.IntN(7)]
			listPrice := price * int64(95+r.IntN(25)) / 100
			g.w.add(genListings, ids.listing, ids.product, platform, fmt.Sprintf("%s-P%09d", platform, ids.listing),
				"", listPrice, status, end.AddDate(0, 0, -1-r.IntN(60)).Format(time.DateOnly), genTime(at), genTime(at))
		}
	}
}

// material names what a craft's products are made of, by sector.
func (c *genCraft) material() string {
	switch c.sector {
	case "handloom", "khadi":
		return "cotton"
	}
	return ""
}
