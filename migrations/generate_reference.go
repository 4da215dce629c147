package migrations

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// genDistrict is a district with what the generator draws from it: its share of the
// population, the crafts practised there (weighted) and the places they centre on.
type genDistrict struct {
	slug, nameEn string
	index        int
	population   int64
	crafts       genWeighted[string]
	places       map[string][]string // craft → villages or towns named as its centre here
}

type genCraft struct {
	slug, sector, nameEn, nameHi string
	giTag                        bool
	products                     []genProduct
}

type genProduct struct {
	name        string
	pricePaise  int64
	craftSector string
}

type genNamePart struct{ en, hi string }

// genReference is everything the generator reads before writing a row.
type genReference struct {
	districts []*genDistrict
	byPop     genWeighted[*genDistrict]
	crafts    map[string]*genCraft
	names     map[string][]genNamePart // female, male, female_middle, male_middle, surname
	schemes   []genScheme
	platforms []string
}

type genScheme struct{ Slug, Sectors string }

// genWeighted draws items in proportion to their weights by binary search over the
// running sum.
type genWeighted[T any] struct {
	items []T
	cum   []float64
}

func (w *genWeighted[T]) add(item T, weight float64) {
	if weight <= 0 {
		return
	}
	total := weight
	if n := len(w.cum); n > 0 {
		total += w.cum[n-1]
	}
	w.items, w.cum = append(w.items, item), append(w.cum, total)
}

func (w *genWeighted[T]) pick(u float64) T {
	x := u * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.items[lo]
}

// Weights of a craft in a district: its own centre, or a craft practised statewide.
const (
	genCentreWeight    = 10
	genStatewideWeight = 3
)

func loadGenReference(ctx context.Context, db *bun.DB) (*genReference, error) {
	ref := &genReference{crafts: map[string]*genCraft{}, names: map[string][]genNamePart{}}
	var districts []struct{ Slug, NameEn string }
	if err := db.NewSelect().Table("districts").Column("slug", "name_en").Where("active").OrderExpr("slug").
		Scan(ctx, &districts); err != nil {
		return nil, fmt.Errorf("generate: districts: %w", err)
	}
	pops, err := readCSV("generate_districts.csv")
	if err != nil {
		return nil, err
	}
	popOf := map[string]int64{}
	for _, r := range pops {
		popOf[r["slug"]], _ = strconv.ParseInt(r["population"], 10, 64)
	}
	bySlug := map[string]*genDistrict{}
	for i, d := range districts {
		gd := &genDistrict{slug: d.Slug, nameEn: d.NameEn, index: i, population: max(popOf[d.Slug], 500000),
			places: map[string][]string{}}
		ref.districts = append(ref.districts, gd)
		ref.byPop.add(gd, float64(gd.population))
		bySlug[d.Slug] = gd
	}
	if err := loadGenCrafts(ctx, db, ref, bySlug); err != nil {
		return nil, err
	}
	names, err := readCSV("generate_names.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range names {
		ref.names[r["kind"]] = append(ref.names[r["kind"]], genNamePart{r["en"], r["hi"]})
	}
	if err := db.NewSelect().Table("schemes").Column("slug", "sectors").Where("active").OrderExpr("slug").
		Scan(ctx, &ref.schemes); err != nil {
		return nil, fmt.Errorf("generate: schemes: %w", err)
	}
	if err := db.NewSelect().Table("platforms").Column("slug").Where("active").OrderExpr("slug").
		Scan(ctx, &ref.platforms); err != nil {
		return nil, fmt.Errorf("generate: platforms: %w", err)
	}
	return ref, nil
}

// loadGenCrafts reads the crafts and their main centres ("Sanganer (jaipur); bundi;
// statewide") into each district's weighted list.
func loadGenCrafts(ctx context.Context, db *bun.DB, ref *genReference, bySlug map[string]*genDistrict) error {
	var crafts []struct {
		Slug, Sector, NameEn, NameHi, MainCentres string
		GITag                                     bool `bun:"gi_tag"`
	}
	if err := db.NewSelect().Table("crafts").Column("slug", "sector", "name_en", "name_hi", "main_centres", "gi_tag").Where("active").
		OrderExpr("slug").Scan(ctx, &crafts); err != nil {
		return fmt.Errorf("generate: crafts: %w", err)
	}
	products, err := readCSV("generate_products.csv")
	if err != nil {
		return err
	}
	for _, c := range crafts {
		ref.crafts[c.Slug] = &genCraft{slug: c.Slug, sector: c.Sector, nameEn: c.NameEn, nameHi: c.NameHi, giTag: c.GITag}
	}
	for _, p := range products {
		if c := ref.crafts[p["craft"]]; c != nil {
			rupees, _ := strconv.ParseInt(p["price_rupees"], 10, 64)
			c.products = append(c.products, genProduct{name: p["product_en"], pricePaise: rupees * 100})
		}
	}
	for _, c := range crafts {
		if len(ref.crafts[c.Slug].products) == 0 {
			ref.crafts[c.Slug].products = []genProduct{{name: c.NameEn, pricePaise: 50000}}
		}
		for centre := range strings.SplitSeq(c.MainCentres, ";") {
			place, district := genCentre(strings.TrimSpace(centre))
			if district == "statewide" {
				for _, d := range ref.districts {
					d.crafts.add(c.Slug, genStatewideWeight)
				}
				continue
			}
			if d := bySlug[district]; d != nil {
				d.crafts.add(c.Slug, genCentreWeight)
				if place != "" {
					d.places[c.Slug] = append(d.places[c.Slug], place)
				}
			}
		}
	}
	return nil
}

// genCentre splits "Sanganer (jaipur)" into its place and district; "bundi" is a
// district alone.
func genCentre(s string) (place, district string) {
	if i := strings.Index(s, "("); i > 0 && strings.HasSuffix(s, ")") {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return "", s
}
