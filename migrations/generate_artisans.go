package migrations

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"shilpkosh/app"
)

var (
	genArtisans = &genTable{name: "artisans", cols: []string{"id", "registration_no", "name", "name_key", "name_hi",
		"relative_name", "gender", "date_of_birth", "social_category", "disability", "mobile", "aadhaar_last4",
		"district", "tehsil", "village", "pin_code", "primary_craft", "years_in_craft", "weaver_id", "udyam", "pan",
		"bank_account", "ifsc", "organisation_id", "status", "status_changed_at", "deactivation_reason",
		"created_at", "updated_at", "version"}}
	genArtisanCrafts = &genTable{name: "artisan_crafts", cols: []string{"artisan_id", "craft"}, parent: genArtisans}
	genArtisanEvents = &genTable{name: "artisan_events", cols: []string{"id", "artisan_id", "at", "actor_name",
		"from_status", "to_status", "action", "reason"}, parent: genArtisans}
	genSearchTerms = &genTable{name: "artisan_search_terms", cols: []string{"term", "district", "artisan_id", "created_at"}}
)

// genStatuses is the share of each status in a registry several years old: most records
// approved, a tail still in the workflow, some deactivated.
var genStatuses = genWeightedOf(map[string]float64{
	app.ArtisanApproved: 70, app.ArtisanInactive: 6, app.ArtisanSubmitted: 8, app.ArtisanVerified: 5,
	app.ArtisanDraft: 7, app.ArtisanRejected: 4,
})

var genCategories = genWeightedOf(map[string]float64{"obc": 38, "sc": 22, "st": 16, "mbc": 8, "general": 12, "ews": 4})

func genWeightedOf(m map[string]float64) genWeighted[string] {
	var w genWeighted[string]
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.add(k, m[k])
	}
	return w
}

// genSellers are the approved artisans of a district in id (and so registration-time)
// order, for sales and enrolments.
type genSeller struct {
	id      int64
	craft   string
	created time.Time
}

type genRegKey struct {
	district string
	year     int
}

// genTermRow is a search-index row held compactly until every artisan is made, so the
// index is written once in key order.
type genTermRow struct {
	term     uint32
	district uint16
	artisan  uint32
}

// generator holds the state of one run.
type generator struct {
	opt   GenerateOptions
	ref   *genReference
	w     *bulkWriter
	rnd   *rand.Rand
	until app.Month
	logf  func(string, ...any)

	counts  map[[2]string]int64
	regSeq  map[genRegKey]int64
	sellers map[string][]genSeller
	orgs    map[string][]int64
	stores  map[string][]int64

	termIDs   map[string]uint32
	termNames []string
	termCache map[string][]uint32
	terms     []genTermRow
	created   []string // each artisan's created_at as written, by id, for its search terms
	eventID   int64
	// searchCounts tallies artisan_search_counts as the terms are made, so the roll-up
	// is written once at the end instead of recounted from 13 million terms.
	searchCounts *app.SearchCountTally
	statusMonths *app.StatusMonthsTally // artisan_status_months, likewise
	salesMonths  *app.SalesMonthsTally  // sales_months, likewise (from millions of lines)
}

func (g *generator) run() error {
	g.counts, g.regSeq, g.sellers = map[[2]string]int64{}, map[genRegKey]int64{}, map[string][]genSeller{}
	g.termIDs, g.termCache = map[string]uint32{}, map[string][]uint32{}
	g.searchCounts = app.NewSearchCountTally()
	g.statusMonths = app.NewStatusMonthsTally()
	g.salesMonths = app.NewSalesMonthsTally()
	g.makeOrganisations()
	g.makeStores()
	g.w.flush(genOrganisations, genStores)
	g.logf("organisations and stores queued")
	g.makeArtisans()
	g.logf("%d artisans queued", g.opt.Artisans)
	g.writeTerms()
	g.logf("%d search terms queued", len(g.terms))
	g.terms = nil
	g.makeEnrolments()
	g.logf("enrolments queued")
	g.makeCatalogue()
	g.logf("onboarding, products and listings queued")
	g.makeSales()
	g.logf("sales queued")
	return nil
}

// registryStart is when the oldest generated record was made: the registry's records
// are spread evenly from it to the end of the last month of sales.
func (g *generator) registryStart() time.Time {
	return g.until.AddMonths(-(g.opt.Months + 48)).Start()
}

func (g *generator) makeArtisans() {
	start, end := g.registryStart(), g.until.End()
	g.created = make([]string, g.opt.Artisans+1)
	step := end.Sub(start) / time.Duration(g.opt.Artisans+1)
	for i := range g.opt.Artisans {
		id := int64(i + 1)
		created := start.Add(step*time.Duration(i) + time.Duration(g.rnd.IntN(int(step/time.Second)+1))*time.Second)
		g.makeArtisan(id, created, end)
	}
	g.w.flush(genArtisans, genArtisanCrafts, genArtisanEvents)
}

func (g *generator) makeArtisan(id int64, created, end time.Time) {
	r := g.rnd
	d := g.ref.byPop.pick(r.Float64())
	craft := d.crafts.pick(r.Float64())
	gender := "female"
	if r.IntN(100) >= 55 {
		gender = "male"
	}
	name, nameHi, relative := g.makeName(gender)
	status := genStatuses.pick(r.Float64())
	history := g.history(status, created, end)
	last := history[len(history)-1]
	age := 18 + r.IntN(55)
	village := d.nameEn
	if places := d.places[craft]; len(places) > 0 && r.IntN(3) > 0 {
		village = places[r.IntN(len(places))]
	}
	var regNo, org any
	if status == app.ArtisanApproved || status == app.ArtisanInactive {
		k := genRegKey{d.slug, history[3].at.Year()}
		g.regSeq[k]++
		regNo = app.ArtisanRegistrationNo(d.slug, k.year, g.regSeq[k])
	}
	if orgs := g.orgs[d.slug]; len(orgs) > 0 && r.IntN(100) < 35 {
		org = orgs[r.IntN(len(orgs))]
	}
	bank, ifsc, pan, udyam, weaver := "", "", "", "", ""
	if r.IntN(100) < 65 {
		bank, ifsc = fmt.Sprintf("%d%010d", 3+r.IntN(6), r.Int64N(1e10)), fmt.Sprintf("SBIN00%05d", r.IntN(100000))
	}
	if r.IntN(100) < 10 {
		pan = fmt.Sprintf("%c%c%cP%c%04d%c", 'A'+r.IntN(26), 'A'+r.IntN(26), 'A'+r.IntN(26), name[0], r.IntN(10000), 'A'+r.IntN(26))
	}
	if r.IntN(100) < 5 {
		udyam = fmt.Sprintf("UDYAM-RJ-%02d-%07d", 1+d.index%40, r.IntN(10000000))
	}
	if g.ref.crafts[craft].sector == "handloom" && r.IntN(2) == 0 {
		weaver = fmt.Sprintf("RJW%08d", id)
	}
	reason := ""
	if status == app.ArtisanInactive {
		reason = []string{"deceased", "migrated", "other"}[r.IntN(3)]
	}
	dob := created.AddDate(-age, 0, -r.IntN(365)).Format(time.DateOnly)
	category := genCategories.pick(r.Float64())
	g.created[id] = genTime(created)
	g.w.add(genArtisans, id, regNo, name, app.ArtisanNameKey(name), nameHi, relative, gender, dob,
		category, r.IntN(100) < 3, genMobile(id), "", d.slug, d.nameEn, village,
		fmt.Sprintf("3%02d%03d", 1+d.index, r.IntN(1000)), craft, r.IntN(max(1, age-14)), weaver, udyam, pan, bank, ifsc,
		org, status, genTime(last.at), reason, g.created[id], genTime(last.at), int64(len(history)))
	if other := d.crafts.pick(r.Float64()); r.IntN(5) == 0 && other != craft {
		g.w.add(genArtisanCrafts, id, other)
	}
	g.writeHistory(id, d.slug, history)
	g.tallyStatusMonths(d.slug, craft, gender, category, history)
	g.indexName(id, d.index, name, nameHi, relative)
	g.counts[[2]string{d.slug, status}]++
	if status == app.ArtisanApproved {
		g.sellers[d.slug] = append(g.sellers[d.slug], genSeller{id: id, craft: craft, created: history[3].at})
	}
}

// genMobile gives every artisan a distinct ten-digit mobile number starting 6 to 9.
func genMobile(id int64) string {
	return fmt.Sprintf("%d", 6000000000+(id*2654435761)%3999999999)
}

func (g *generator) makeName(gender string) (name, nameHi, relative string) {
	r, n := g.rnd, g.ref.names
	pick := func(kind string) genNamePart { xs := n[kind]; return xs[r.IntN(len(xs))] }
	first, last, father := pick(gender), pick("surname"), pick("male")
	parts := []genNamePart{first}
	if r.IntN(2) == 0 {
		parts = append(parts, pick(gender+"_middle"))
	}
	parts = append(parts, last)
	en, hi := make([]string, len(parts)), make([]string, len(parts))
	for i, p := range parts {
		en[i], hi[i] = p.en, p.hi
	}
	return strings.Join(en, " "), strings.Join(hi, " "), father.en + " " + last.en
}

type genStep struct {
	at       time.Time
	from, to string
	action   string
	reason   string
}

// history is the record's workflow from creation to its status, each step some days
// after the one before and none after end.
func (g *generator) history(status string, created, end time.Time) []genStep {
	at := created
	steps := []genStep{{at: at, to: app.ArtisanDraft, action: "create"}}
	next := func(days int, from, to, action, reason string) {
		at = at.Add(time.Duration(1+g.rnd.IntN(days*24*3600)) * time.Second)
		if at.After(end) {
			at = end.Add(-time.Second)
		}
		steps = append(steps, genStep{at: at, from: from, to: to, action: action, reason: reason})
	}
	if status == app.ArtisanDraft {
		return steps
	}
	next(10, app.ArtisanDraft, app.ArtisanSubmitted, "submit", "")
	switch status {
	case app.ArtisanRejected:
		next(30, app.ArtisanSubmitted, app.ArtisanRejected, "reject", "documents unreadable")
		return steps
	case app.ArtisanSubmitted:
		return steps
	}
	next(30, app.ArtisanSubmitted, app.ArtisanVerified, "verify", "")
	if status == app.ArtisanVerified {
		return steps
	}
	next(15, app.ArtisanVerified, app.ArtisanApproved, "approve", "")
	if status == app.ArtisanInactive {
		next(700, app.ArtisanApproved, app.ArtisanInactive, "deactivate", "")
	}
	return steps
}

// tallyStatusMonths counts the record's status changes in the reports' monthly roll-up;
// every step of a generated history changes the status.
func (g *generator) tallyStatusMonths(district, craft, gender, category string, steps []genStep) {
	at, statuses := make([]time.Time, len(steps)), make([]string, len(steps))
	for i, s := range steps {
		at[i], statuses[i] = s.at, s.to
	}
	g.statusMonths.Add(district, craft, gender, category, at, statuses)
}

func (g *generator) writeHistory(id int64, district string, steps []genStep) {
	for i, s := range steps {
		g.eventID++
		actor := "entry." + district
		if i > 1 {
			actor = "dic." + district
		}
		g.w.add(genArtisanEvents, g.eventID, id, genTime(s.at), actor, s.from, s.to, s.action, s.reason)
	}
}

// indexName keeps the record's search terms; the words of a name repeat a lot, so the
// terms of each name are worked out once.
func (g *generator) indexName(id int64, district int, name, nameHi, relative string) {
	own := g.termsOf("n|"+name+"|"+nameHi, &app.Artisan{Name: name, NameHi: nameHi})
	rel := g.termsOf("r|"+relative, &app.Artisan{RelativeName: relative})
	for _, t := range own {
		g.terms = append(g.terms, genTermRow{t, uint16(district), uint32(id)})
	}
	for _, t := range rel {
		if !slices.Contains(own, t) {
			g.terms = append(g.terms, genTermRow{t, uint16(district), uint32(id)})
		}
	}
	words := make([]string, 0, len(own)+len(rel))
	for _, t := range slices.Concat(own, rel) {
		words = append(words, g.termNames[t])
	}
	g.searchCounts.Add(g.ref.districts[district].slug, words)
}

func (g *generator) termsOf(key string, a *app.Artisan) []uint32 {
	if ids, ok := g.termCache[key]; ok {
		return ids
	}
	var ids []uint32
	for _, t := range app.ArtisanSearchTerms(a) {
		id, ok := g.termIDs[t]
		if !ok {
			id = uint32(len(g.termNames))
			g.termIDs[t] = id
			g.termNames = append(g.termNames, t)
		}
		ids = append(ids, id)
	}
	g.termCache[key] = ids
	return ids
}

// writeTerms queues the search index in its primary key order, so each batch extends
// the index at its end instead of splitting pages all over it.
func (g *generator) writeTerms() {
	order := make([]uint32, len(g.termNames))
	for rank, id := range slices.SortedFunc(func(yield func(uint32) bool) {
		for id := range g.termNames {
			if !yield(uint32(id)) {
				return
			}
		}
	}, func(a, b uint32) int { return strings.Compare(g.termNames[a], g.termNames[b]) }) {
		order[id] = uint32(rank)
	}
	// Districts are numbered in slug order, so their numbers sort as their slugs do.
	slices.SortFunc(g.terms, func(a, b genTermRow) int {
		return cmp.Or(cmp.Compare(order[a.term], order[b.term]), cmp.Compare(a.district, b.district),
			cmp.Compare(a.artisan, b.artisan))
	})
	for _, t := range g.terms {
		g.w.add(genSearchTerms, g.termNames[t.term], g.ref.districts[t.district].slug, int64(t.artisan), g.created[t.artisan])
	}
	g.w.flush(genSearchTerms)
	g.created = nil
}
