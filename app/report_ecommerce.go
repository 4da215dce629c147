package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// The e-commerce section of the district report. Onboarding is replayed from its history to
// the end of the report month; the catalogue (readiness, price flags, live listings) keeps
// no history, so it is shown as it stands, dated by its latest change.

// Limits of the e-commerce section.
const (
	// ReportFlaggedListings is how many price-flagged listings the report names.
	ReportFlaggedListings = 10
	// ListNextCrafts is how many crafts "where to list next" names.
	ListNextCrafts = 5
	// ListNextFewListings: a craft with fewer live listings than this has few.
	ListNextFewListings = 10
)

// PlatformFunnel is one platform's funnel in the district for the report month: the stage
// of every artisan × platform pair at the month's end, the moves during it, the pairs
// blocked at its end by reason, and how many ever reached listed, first sale and active.
type PlatformFunnel struct {
	Platform   Name             `json:"platform"`
	Stages     []StageCount     `json:"stages"` // every stage in order, at month end
	Moves      int64            `json:"moves"`
	Blocked    []FunnelReason   `json:"blocked"` // every reason, at month end
	Conversion FunnelConversion `json:"conversion"`
}

// StageCount returns the count of stage.
func (p PlatformFunnel) StageCount(stage string) int64 {
	for _, s := range p.Stages {
		if s.Stage == stage {
			return s.Count
		}
	}
	return 0
}

// PlatformFlags counts a platform's price-flagged listings in the district.
type PlatformFlags struct {
	Platform Name  `json:"platform"`
	Count    int64 `json:"count"`
}

// FlaggedListing is one listing priced out of step with the store price.
type FlaggedListing struct {
	ListingID         int64   `json:"listing_id"`
	Platform          Name    `json:"platform"`
	Artisan           string  `json:"artisan"`
	Product           string  `json:"product"`
	StorePrice        Paise   `json:"store_price_paise"`
	ListedPrice       Paise   `json:"listed_price_paise"`
	DifferencePercent float64 `json:"difference_percent"`
}

// ListNextRow is a craft that sells in government stores but has few live listings online.
type ListNextRow struct {
	Craft        Name  `json:"craft"`
	Month        Paise `json:"month"`
	FYTD         Paise `json:"fytd"`
	LiveListings int64 `json:"live_listings"`
}

// EcommerceSection is the district's onboarding and catalogue.
type EcommerceSection struct {
	Platforms []PlatformFunnel `json:"platforms"`
	Total     PlatformFunnel   `json:"total"` // every platform together
	// Approved is the artisans approved at month end; Listed how many of them stood at
	// listed or beyond on at least one platform; Progress the share, percent.
	Approved int64   `json:"approved"`
	Listed   int64   `json:"listed"`
	Progress float64 `json:"progress"`

	// CatalogueAsOf is the latest change of the district's products and listings (zero
	// when it has none): the catalogue figures below are as of then.
	CatalogueAsOf time.Time        `json:"catalogue_as_of"`
	Readiness     []ReadinessRow   `json:"readiness"`
	PriceFlags    []PlatformFlags  `json:"price_flags"` // every platform
	FlaggedTotal  int64            `json:"flagged_total"`
	Flagged       []FlaggedListing `json:"flagged"` // the largest differences first
	ListNext      []ListNextRow    `json:"list_next"`
}

// OnboardingShare is the onboarding progress of the reports: listed of approved, percent
// with one decimal.
func OnboardingShare(listed, approved int64) float64 { return funnelPercent(listed, approved) }

// listedStages are the stages at which an artisan counts as selling online.
var listedStages = []string{StageListed, StageFirstSale, StageActive}

// stageAtEnd is how many records of a platform stood at a stage (blocked for a reason) at
// the month end, by whether their artisan was approved then.
type stageAtEnd struct {
	Platform string `bun:"platform"`
	Stage    string `bun:"stage"`
	Reason   string `bun:"reason"`
	Approved bool   `bun:"approved"`
	N        int64  `bun:"n"`
}

// recordAtSQL is what onboarding record o held in one column at an instant, its two
// arguments (the same instant twice): the record's own column (stage or reason) when its
// stage was reached before the instant, else that column of its last move before it
// (moveColumn: to_stage or reason), one backward seek of onboarding_events_onboarding_idx.
// A move writes its event and stage_since together, so no later move exists; it is exact
// while OnboardingStageDrift is empty.
func recordAtSQL(recordColumn, moveColumn string) string {
	return "(CASE WHEN o.stage_since < ? THEN o." + recordColumn + " ELSE (SELECT e." + moveColumn +
		" FROM onboarding_events e WHERE e.onboarding_id = o.id AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1) END)"
}

// stagesAtEnd counts the district's records with a move before the month end by platform,
// stage and reason after that move, and by whether the artisan was approved then
// (statusAtSQL), in the database: the report read every move before. A record's stage and
// reason at the month end come from recordAtSQL, as in onboardingProgress. It also returns how many artisans approved then stood at listed or beyond on at least one
// active platform: one more row, of no platform, from the same records (a CTE used twice,
// which both databases compute once).
func (b *reportBuilder) stagesAtEnd(ctx context.Context, end time.Time) (stages []stageAtEnd, listed int64, err error) {
	var rows []stageAtEnd
	if err := b.db.NewRaw("WITH r AS (SELECT o.platform, o.artisan_id, "+
		recordAtSQL("stage", "to_stage")+" AS stage, "+recordAtSQL("reason", "reason")+" AS reason, "+
		"CASE WHEN "+statusAtSQL("a")+" = ? THEN 1 ELSE 0 END AS approved "+
		"FROM onboardings o JOIN artisans a ON a.id = o.artisan_id WHERE o.district = ? "+
		"AND EXISTS (SELECT 1 FROM onboarding_events e WHERE e.onboarding_id = o.id AND e.at < ?)) "+
		"SELECT platform, stage, reason, approved, COUNT(*) AS n FROM r GROUP BY platform, stage, reason, approved "+
		"UNION ALL SELECT '', '', '', 1, COUNT(DISTINCT r.artisan_id) FROM r JOIN platforms p ON p.slug = r.platform AND p.active "+
		"WHERE r.approved = 1 AND r.stage IN (?)",
		end, end, end, end, end, end, ArtisanApproved, b.district, end, bun.In(listedStages)).
		Scan(ctx, &rows); err != nil && !errNoRows(err) {
		return nil, 0, fmt.Errorf("onboarding stages: %w", err)
	}
	for _, r := range rows {
		if r.Platform == "" {
			listed += r.N
		} else {
			stages = append(stages, r)
		}
	}
	return stages, listed, nil
}

// platformMoves is one platform's moves in the report month and its conversion: how many
// records ever reached listed, first sale and active before the month end.
type platformMoves struct {
	Platform  string `bun:"platform"`
	Moves     int64  `bun:"moves"`
	Listed    int64  `bun:"listed"`
	FirstSale int64  `bun:"first_sale"`
	Active    int64  `bun:"active"`
}

// movesAndConversion counts, per platform, the district's moves during the month and the
// records that reached listed, first sale and active before its end, as Funnel's addMoves
// and addConversion do, summed in the database over the moves.
func (b *reportBuilder) movesAndConversion(ctx context.Context, start, end time.Time) ([]platformMoves, error) {
	rank := "CASE e.to_stage"
	for _, st := range []string{StageListed, StageFirstSale, StageActive} {
		rank += fmt.Sprintf(" WHEN '%s' THEN %d", st, stageRank(st))
	}
	rank += " ELSE 0 END"
	var out []platformMoves
	if err := b.db.NewRaw(fmt.Sprintf("SELECT platform, CAST(SUM(moves) AS BIGINT) AS moves, "+
		"CAST(SUM(CASE WHEN top >= %d THEN 1 ELSE 0 END) AS BIGINT) AS listed, "+
		"CAST(SUM(CASE WHEN top >= %d THEN 1 ELSE 0 END) AS BIGINT) AS first_sale, "+
		"CAST(SUM(CASE WHEN top >= %d THEN 1 ELSE 0 END) AS BIGINT) AS active FROM ("+
		"SELECT o.platform, SUM(CASE WHEN e.at >= ? THEN 1 ELSE 0 END) AS moves, MAX(%s) AS top "+
		"FROM onboardings o JOIN onboarding_events e ON e.onboarding_id = o.id "+
		"WHERE o.district = ? AND e.at < ? GROUP BY o.id, o.platform) AS r GROUP BY platform",
		stageRank(StageListed), stageRank(StageFirstSale), stageRank(StageActive), rank), start.UTC(), b.district, end.UTC()).
		Scan(ctx, &out); err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("onboarding moves: %w", err)
	}
	return out, nil
}

func (b *reportBuilder) ecommerce(ctx context.Context, r *DistrictReport) error {
	e := &r.Ecommerce
	platforms, _, err := platformsAndDocuments(ctx, b.db)
	if err != nil {
		return err
	}
	if err := b.funnels(ctx, e, platforms); err != nil {
		return err
	}
	if err := b.readiness(ctx, e, platforms); err != nil {
		return err
	}
	return b.listNext(ctx, r)
}

// funnels fills the funnel of every platform, their total and the onboarding progress.
func (b *reportBuilder) funnels(ctx context.Context, e *EcommerceSection, platforms []Platform) error {
	approved, err := b.approvedAt(ctx, b.m)
	if err != nil {
		return fmt.Errorf("approved: %w", err)
	}
	start, end := monthStartIST(b.m), monthEndIST(b.m)
	stages, listed, err := b.stagesAtEnd(ctx, end)
	if err != nil {
		return err
	}
	moves, err := b.movesAndConversion(ctx, start, end)
	if err != nil {
		return err
	}
	e.Total = PlatformFunnel{Platform: Name{Key: "total", EN: "Total", HI: "कुल"}}
	for _, p := range platforms {
		pf := PlatformFunnel{Platform: Name{Key: p.Slug, EN: p.NameEn, HI: p.NameHi}}
		for _, m := range moves {
			if m.Platform == p.Slug {
				pf.Moves = m.Moves
				pf.Conversion = FunnelConversion{Listed: m.Listed, FirstSale: m.FirstSale, Active: m.Active}
			}
		}
		pf.Conversion.rates()
		pf.Stages, pf.Blocked = platformStagesAtEnd(stages, p.Slug, approved)
		e.Platforms = append(e.Platforms, pf)
		e.Total.add(pf)
	}
	e.Total.Conversion.rates()
	e.Approved, e.Listed = approved, listed
	e.Progress = OnboardingShare(e.Listed, e.Approved)
	return nil
}

// rates sets the conversion percentages from the counts.
func (c *FunnelConversion) rates() {
	c.ListedToFirstSale = funnelPercent(c.FirstSale, c.Listed)
	c.FirstSaleToActive = funnelPercent(c.Active, c.FirstSale)
	c.ListedToActive = funnelPercent(c.Active, c.Listed)
}

// platformStagesAtEnd counts a platform's records by stage and the blocked ones by reason,
// as the onboarding board does: every artisan approved at month end stands somewhere (not
// started if no move of theirs came before), and so does anyone else with a move. approved
// is how many artisans were approved at month end; an artisan has one record a platform.
func platformStagesAtEnd(rows []stageAtEnd, platform string, approved int64) ([]StageCount, []FunnelReason) {
	counts := map[string]int64{}
	reasons := map[string]int64{}
	startedApproved := int64(0)
	for _, r := range rows {
		if r.Platform != platform {
			continue
		}
		counts[r.Stage] += r.N
		if r.Stage == StageBlocked {
			reasons[r.Reason] += r.N
		}
		if r.Approved {
			startedApproved += r.N
		}
	}
	if notStarted := approved - startedApproved; notStarted != 0 {
		counts[StageNotStarted] += notStarted
	}
	stages := make([]StageCount, 0, len(OnboardingStages()))
	for _, st := range OnboardingStages() {
		stages = append(stages, StageCount{Stage: st, Count: counts[st]})
	}
	blocked := make([]FunnelReason, 0, len(OnboardingReasons))
	for _, reason := range OnboardingReasons {
		blocked = append(blocked, FunnelReason{Reason: reason, Count: reasons[reason]})
	}
	return stages, blocked
}

// add sums o's counts into p (the rates are the caller's).
func (p *PlatformFunnel) add(o PlatformFunnel) {
	if p.Stages == nil {
		p.Stages = slices.Clone(o.Stages)
		p.Blocked = slices.Clone(o.Blocked)
	} else {
		for i := range p.Stages {
			p.Stages[i].Count += o.Stages[i].Count
		}
		for i := range p.Blocked {
			p.Blocked[i].Count += o.Blocked[i].Count
		}
	}
	p.Moves += o.Moves
	p.Conversion.Listed += o.Conversion.Listed
	p.Conversion.FirstSale += o.Conversion.FirstSale
	p.Conversion.Active += o.Conversion.Active
}

// readiness fills the readiness table and the price flags, from the catalogue services.
func (b *reportBuilder) readiness(ctx context.Context, e *EcommerceSection, platforms []Platform) error {
	var err error
	if e.Readiness, err = (&Readiness{DB: b.db}).DistrictTable(ctx, System, b.district); err != nil {
		return err
	}
	flags, err := (&Listings{DB: b.db}).PriceFlags(ctx, System, b.district)
	if err != nil {
		return err
	}
	names := map[string]Name{}
	for _, p := range platforms {
		names[p.Slug] = Name{Key: p.Slug, EN: p.NameEn, HI: p.NameHi}
	}
	per := map[string]int64{}
	for _, l := range flags {
		per[l.Platform]++
		e.Flagged = append(e.Flagged, FlaggedListing{ListingID: l.ID, Platform: labelOf(names, l.Platform), Artisan: l.ArtisanName,
			Product: l.ProductTitle, StorePrice: l.StorePricePaise, ListedPrice: l.ListedPricePaise, DifferencePercent: l.DifferencePercent})
	}
	e.FlaggedTotal = int64(len(flags))
	for _, p := range platforms {
		e.PriceFlags = append(e.PriceFlags, PlatformFlags{Platform: names[p.Slug], Count: per[p.Slug]})
	}
	abs := func(f float64) float64 { return max(f, -f) }
	slices.SortStableFunc(e.Flagged, func(x, y FlaggedListing) int {
		return cmp.Or(cmp.Compare(abs(y.DifferencePercent), abs(x.DifferencePercent)), cmp.Compare(x.ListingID, y.ListingID))
	})
	e.Flagged = e.Flagged[:min(len(e.Flagged), ReportFlaggedListings)]
	if e.Flagged == nil {
		e.Flagged = []FlaggedListing{}
	}
	var latest []time.Time
	// The district's products are one range of products_district_idx (products.district).
	if err := b.db.NewRaw("SELECT MAX(t) FROM (SELECT p.updated_at AS t FROM products p WHERE p.district = ? "+
		"UNION ALL SELECT l.updated_at FROM products p JOIN listings l ON l.product_id = p.id WHERE p.district = ?) c",
		b.district, b.district).Scan(ctx, &latest); err != nil &&
		!errNoRows(err) {
		return fmt.Errorf("catalogue as of: %w", err)
	}
	if len(latest) == 1 {
		e.CatalogueAsOf = latest[0].UTC().Truncate(time.Second)
	}
	return nil
}

// listNext names the crafts with store sales this financial year but few live listings in
// the district, the best sellers first.
func (b *reportBuilder) listNext(ctx context.Context, r *DistrictReport) error {
	var live []struct {
		Craft string `bun:"craft"`
		N     int64  `bun:"n"`
	}
	if err := b.db.NewRaw("SELECT p.craft, COUNT(*) AS n FROM products p JOIN listings l ON l.product_id = p.id "+
		"WHERE p.district = ? AND l.status = 'live' GROUP BY p.craft", b.district).
		Scan(ctx, &live); err != nil && !errNoRows(err) {
		return fmt.Errorf("live listings: %w", err)
	}
	n := map[string]int64{}
	for _, l := range live {
		n[l.Craft] = l.N
	}
	rows := []ListNextRow{}
	for _, c := range r.Sales.ByCraft {
		if c.FYTD > 0 && n[c.Key] < ListNextFewListings {
			rows = append(rows, ListNextRow{Craft: c.Name, Month: c.Month, FYTD: c.FYTD, LiveListings: n[c.Key]})
		}
	}
	slices.SortStableFunc(rows, func(x, y ListNextRow) int {
		return cmp.Or(cmp.Compare(y.FYTD, x.FYTD), cmp.Compare(y.Month, x.Month), cmp.Compare(x.Craft.Key, y.Craft.Key))
	})
	r.Ecommerce.ListNext = rows[:min(len(rows), ListNextCrafts)]
	return nil
}

// onboardingProgress is each district's share of approved artisans at the end of m who
// stood at listed or beyond on at least one active platform then, percent with one decimal
// (OnboardingShare); the district report's e-commerce section gives the same figure. Each
// record's stage at the month end is recordAtSQL's, its artisan's status statusAtSQL's:
// each reads the history only for what changed after the month end. Probing every
// record's history took seconds at 1,000,000 artisans; a replay of every history took more
// than 10 s on PostgreSQL at 100,000, past the driver's read timeout.
func onboardingProgress(ctx context.Context, db bun.IDB, m Month, rows map[string]*StateRow) error {
	end := monthEndIST(m)
	var got []districtCount
	if err := db.NewRaw("SELECT a.district, COUNT(DISTINCT o.artisan_id) AS n, 0 AS paise FROM onboardings o "+
		"JOIN platforms p ON p.slug = o.platform AND p.active JOIN artisans a ON a.id = o.artisan_id "+
		"WHERE "+recordAtSQL("stage", "to_stage")+" IN (?) AND "+statusAtSQL("a")+" = ? GROUP BY a.district",
		end, end, bun.In(listedStages), end, end, ArtisanApproved).
		Scan(ctx, &got); err != nil && !errNoRows(err) {
		return err
	}
	for _, c := range got {
		if row := rows[c.District]; row != nil {
			row.Listed = c.N
		}
	}
	for _, row := range rows {
		row.Onboarding = OnboardingShare(row.Listed, row.Approved)
	}
	return nil
}

// OnboardingStageDrift lists the onboarding records whose stage, reason or stage_since
// disagree with their history: the stage and reason must be the last move's (or not
// started, with no move) and stage_since no earlier than the last move, as Onboarding.apply
// and the generator write them. onboardingProgress and the district report read the stage
// at a month end from the record when it was reached before then, so they are exact only
// while this is empty.
func OnboardingStageDrift(ctx context.Context, db bun.IDB) ([]int64, error) {
	var ids []int64
	err := db.NewRaw("SELECT o.id FROM onboardings o WHERE "+
		"o.stage <> COALESCE((SELECT e.to_stage FROM onboarding_events e WHERE e.onboarding_id = o.id "+
		"ORDER BY e.at DESC, e.id DESC LIMIT 1), 'not_started') "+
		"OR o.reason <> COALESCE((SELECT e.reason FROM onboarding_events e WHERE e.onboarding_id = o.id "+
		"ORDER BY e.at DESC, e.id DESC LIMIT 1), '') "+
		"OR o.stage_since < (SELECT MAX(e.at) FROM onboarding_events e WHERE e.onboarding_id = o.id) ORDER BY o.id").
		Scan(ctx, &ids)
	if err != nil && !errNoRows(err) {
		return nil, fmt.Errorf("onboarding: stage drift: %w", err)
	}
	return ids, nil
}
