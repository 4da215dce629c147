package migrations

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"shilpkosh/app"
)

var (
	genOrganisations = &genTable{name: "organisations", cols: []string{"id", "name", "name_hi", "kind", "district",
		"registration_no", "address", "created_at", "updated_at"}}
	genStores = &genTable{name: "stores", cols: []string{"id", "name", "type", "agency", "district", "address",
		"created_at", "updated_at"}}
	genSales = &genTable{name: "sales", cols: []string{"id", "store_id", "district", "sale_date", "month", "artisan_id",
		"craft", "product", "quantity", "amount_paise", "payment_mode", "invoice_no", "created_at"}}
	genMonthCloses = &genTable{name: "month_closes", cols: []string{"id", "district", "month", "closed_at"}}
	genEnrolments  = &genTable{name: "enrolments", cols: []string{"id", "artisan_id", "scheme", "district", "status",
		"applied_at", "status_changed_at", "sanctioned_paise", "disbursed_paise", "reject_reason", "version"}}
	genEnrolmentEvents = &genTable{name: "enrolment_events", cols: []string{"id", "enrolment_id", "at", "actor_name",
		"from_status", "to_status", "action", "amount_paise", "reason"}, parent: genEnrolments}
	genDisbursements = &genTable{name: "enrolment_disbursements", cols: []string{"id", "enrolment_id", "amount_paise",
		"paid_on", "reference", "at"}, parent: genEnrolments}
)

// Sizes, per artisan: one organisation per 250 artisans, about 5.2 sale lines per artisan
// over 24 months (5,000,000 for the state-scale set), a fifth of approved artisans enrolled.
const (
	genArtisansPerOrg     = 250
	genSaleLinesPerMonth  = 0.217
	genEnrolPercent       = 20
	genArtisansPerStore   = 8000
	genStoresPerDistrict  = 2
	genOpenMonthsAtTheEnd = 1
)

// genSeason weighs each month's sales: Diwali and the wedding season (October, November)
// highest, the monsoon lowest, Teej and Rakhi lifting August.
var genSeason = map[time.Month]float64{time.January: 1.0, time.February: 0.95, time.March: 1.05,
	time.April: 0.8, time.May: 0.7, time.June: 0.6, time.July: 0.65, time.August: 0.95, time.September: 1.0,
	time.October: 1.8, time.November: 1.7, time.December: 1.2}

var genOrgKinds = []struct{ kind, en, hi string }{
	{"cooperative", "Bunkar Sahakari Samiti", "बुनकर सहकारी समिति"},
	{"shg", "Hastshilp Swayam Sahayata Samooh", "हस्तशिल्प स्वयं सहायता समूह"},
	{"khadi_institution", "Khadi Gramodyog Sansthan", "खादी ग्रामोद्योग संस्थान"},
	{"producer_company", "Artisans Producer Company", "कारीगर उत्पादक कंपनी"},
}

var genPayments = genWeightedOf(map[string]float64{"upi": 45, "cash": 35, "card": 12, "bank_transfer": 5,
	"cheque": 2, "other": 1})

func (g *generator) makeOrganisations() {
	g.orgs = map[string][]int64{}
	at := genTime(g.registryStart())
	id := int64(0)
	for _, d := range g.ref.districts {
		n := max(2, int(g.districtShare(d)*float64(g.opt.Artisans)/genArtisansPerOrg))
		for i := range n {
			id++
			k := genOrgKinds[i%len(genOrgKinds)]
			g.w.add(genOrganisations, id, fmt.Sprintf("%s %s %d", d.nameEn, k.en, i/len(genOrgKinds)+1),
				fmt.Sprintf("%s %d", k.hi, i/len(genOrgKinds)+1), k.kind, d.slug,
				fmt.Sprintf("RJ/%s/%d/%04d", strings.ToUpper(d.slug[:3]), 2000+i%25, id), d.nameEn, at, at)
			g.orgs[d.slug] = append(g.orgs[d.slug], id)
		}
	}
}

func (g *generator) districtShare(d *genDistrict) float64 {
	return float64(d.population) / g.ref.byPop.cum[len(g.ref.byPop.cum)-1]
}

// makeStores opens a khadi bhandar and a handloom outlet in every district, a Rajasthali
// showroom where the registry is large, and more outlets as it grows.
func (g *generator) makeStores() {
	g.stores = map[string][]int64{}
	at := genTime(g.registryStart())
	id := int64(0)
	types := []struct{ kind, agency, name string }{
		{"khadi_bhandar", "kvib", "Khadi Bhandar"}, {"handloom_outlet", "rhdc", "Handloom Outlet"},
		{"rajasthali", "rajsico", "Rajasthali"}, {"exhibition", "doic", "Hastshilp Bazaar"},
	}
	for _, d := range g.ref.districts {
		n := genStoresPerDistrict + int(g.districtShare(d)*float64(g.opt.Artisans)/genArtisansPerStore)
		for i := range n {
			id++
			t := types[i%len(types)]
			g.w.add(genStores, id, fmt.Sprintf("%s %s %d", t.name, d.nameEn, i/len(types)+1), t.kind, t.agency,
				d.slug, d.nameEn, at, at)
			g.stores[d.slug] = append(g.stores[d.slug], id)
		}
	}
}

// makeSales writes each month's lines district by district, in proportion to the
// approved artisans there, each sold by an artisan approved before the month.
func (g *generator) makeSales() {
	first := g.until.AddMonths(1 - g.opt.Months)
	var mean float64
	for _, w := range genSeason {
		mean += w
	}
	mean /= 12
	var approved int
	for _, s := range g.sellers {
		approved += len(s)
	}
	id, closeID := int64(0), int64(0)
	invoice := map[int64]int64{}
	tally := g.salesMonths
	for m := first; !g.until.Before(m); m = m.Next() {
		lines := genSaleLinesPerMonth * float64(g.opt.Artisans) * genSeason[m.M] / mean
		for _, d := range g.ref.districts {
			sellers := g.sellers[d.slug]
			ready := sort.Search(len(sellers), func(i int) bool { return !sellers[i].created.Before(m.Start()) })
			if ready == 0 || approved == 0 {
				continue
			}
			n := int(lines*float64(len(sellers))/float64(approved) + g.rnd.Float64())
			for range n {
				id++
				g.makeSale(id, d, m, sellers[g.rnd.IntN(ready)], invoice, tally)
			}
			if g.until.AddMonths(-genOpenMonthsAtTheEnd).Before(m) {
				continue
			}
			closeID++
			g.w.add(genMonthCloses, closeID, d.slug, m.String(), genTime(m.End().Add(5*24*time.Hour)))
		}
	}
}

func (g *generator) makeSale(id int64, d *genDistrict, m app.Month, s genSeller, invoice map[int64]int64,
	tally *app.SalesMonthsTally) {
	r := g.rnd
	stores := g.stores[d.slug]
	store := stores[r.IntN(len(stores))]
	invoice[store]++
	day := m.Start().AddDate(0, 0, r.IntN(int(m.End().Sub(m.Start()).Hours()/24)))
	products := g.ref.crafts[s.craft].products
	p := products[r.IntN(len(products))]
	qty := int64(1 + r.IntN(3))
	// Prices vary by a quarter either way and end in whole rupees.
	price := p.pricePaise * int64(75+r.IntN(51)) / 100 / 100 * 100
	at := day.Add(time.Duration(10*3600+r.IntN(9*3600)) * time.Second)
	g.w.add(genSales, id, store, d.slug, day.Format(time.DateOnly), m.String(), s.id, s.craft, p.name, qty,
		qty*price, genPayments.pick(r.Float64()), fmt.Sprintf("%d/%s/%06d", store, m.String(), invoice[store]), genTime(at))
	tally.Add(d.slug, m.String(), store, s.craft, qty*price)
}
