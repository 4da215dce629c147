package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// FunnelFilter selects the funnel of a district (empty: every district of the actor's
// scope) and a platform (empty: every platform) for a month (YYYY-MM; empty: this month).
type FunnelFilter struct {
	District string
	Platform string
	Month    string
}

// Funnel is where artisans stand on the platforms and how they moved in a month. Counts
// are of artisan × platform pairs; history is read up to the end of the month.
type Funnel struct {
	District     string           `json:"district"`
	Platform     string           `json:"platform"`
	Month        string           `json:"month"`
	Stages       []FunnelStage    `json:"stages"`
	Moves        int64            `json:"moves"`
	Blocked      []FunnelReason   `json:"blocked"`
	Conversion   FunnelConversion `json:"conversion"`
	ActiveLapsed int64            `json:"active_lapsed"` // active with no sale in ActiveSaleDays
}

// FunnelStage is one stage: how many stand in it now, how many moves entered and left it
// during the month, and the median days of the completed stays in it.
type FunnelStage struct {
	Stage      string   `json:"stage"`
	Count      int64    `json:"count"`
	Entered    int64    `json:"entered"`
	Left       int64    `json:"left"`
	MedianDays *float64 `json:"median_days"` // nil when no one has left the stage yet
	Stays      int      `json:"stays"`       // completed stays the median is taken over
}

// FunnelReason counts the pairs blocked now for one reason.
type FunnelReason struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// FunnelConversion counts the pairs that ever reached listed, first_sale and active (or a
// later stage), and the rates between them in percent, one decimal.
type FunnelConversion struct {
	Listed            int64   `json:"listed"`
	FirstSale         int64   `json:"first_sale"`
	Active            int64   `json:"active"`
	ListedToFirstSale float64 `json:"listed_to_first_sale"`
	FirstSaleToActive float64 `json:"first_sale_to_active"`
	ListedToActive    float64 `json:"listed_to_active"`
}

// funnelEvent is what the funnel reads of one move.
type funnelEvent struct {
	OnboardingID int64     `bun:"onboarding_id"`
	At           time.Time `bun:"at"`
	FromStage    string    `bun:"from_stage"`
	ToStage      string    `bun:"to_stage"`
}

// Funnel computes the funnel; the monthly report reuses it. A district outside the actor's
// scope is ErrNotFound.
func (s *Onboarding) Funnel(ctx context.Context, actor Actor, f FunnelFilter) (*Funnel, error) {
	sc := s.scope(actor, "read")
	if sc.Empty() {
		return nil, ErrForbidden
	}
	if f.District != "" && !sc.Includes(f.District) {
		return nil, ErrNotFound
	}
	month := MonthOf(s.now().In(artisanIST))
	if f.Month != "" {
		var err error
		if month, err = ParseMonth(f.Month); err != nil {
			return nil, Invalid{"month": Msg(KeyMonth)}.Err()
		}
	}
	if f.Platform != "" {
		if _, err := findPlatform(ctx, s.DB, f.Platform); err != nil {
			return nil, err
		}
	}
	out := &Funnel{District: f.District, Platform: f.Platform, Month: month.String()}
	counts, err := s.Counts(ctx, actor, OnboardingFilter{District: f.District, Platform: f.Platform})
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		out.Stages = append(out.Stages, FunnelStage{Stage: c.Stage, Count: c.Count})
	}
	if err := s.funnelNow(ctx, actor, f, out); err != nil {
		return nil, err
	}
	start := time.Date(month.Year, month.M, 1, 0, 0, 0, 0, artisanIST)
	events, err := s.funnelEvents(ctx, actor, f, start.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	out.addMoves(events, start)
	out.addStays(events)
	out.addConversion(events)
	return out, nil
}

// records starts a query over stored records in the actor's scope and the filter.
func (s *Onboarding) records(db bun.IDB, actor Actor, f FunnelFilter) *bun.SelectQuery {
	q := db.NewSelect().TableExpr("onboardings AS o").Join("JOIN artisans AS a ON a.id = o.artisan_id")
	q = s.scope(actor, "read").Apply(q, "a.district")
	if f.District != "" {
		q = q.Where("a.district = ?", f.District)
	}
	if f.Platform != "" {
		q = q.Where("o.platform = ?", f.Platform)
	}
	return q
}

// funnelNow fills the blocked reasons and the lapsed active sellers.
func (s *Onboarding) funnelNow(ctx context.Context, actor Actor, f FunnelFilter, out *Funnel) error {
	var blocked []FunnelReason
	if err := s.records(s.DB, actor, f).ColumnExpr("o.reason AS reason, COUNT(*) AS count").
		Where("o.stage = ?", StageBlocked).GroupExpr("o.reason").Scan(ctx, &blocked); err != nil {
		return fmt.Errorf("onboarding: funnel: blocked: %w", err)
	}
	for _, reason := range OnboardingReasons {
		r := FunnelReason{Reason: reason}
		for _, b := range blocked {
			if b.Reason == reason {
				r.Count = b.Count
			}
		}
		out.Blocked = append(out.Blocked, r)
	}
	n, err := s.records(s.DB, actor, f).Where("o.stage = ? AND o.last_sale_on < ?", StageActive, activeSince(s.now())).Count(ctx)
	if err != nil {
		return fmt.Errorf("onboarding: funnel: lapsed: %w", err)
	}
	out.ActiveLapsed = int64(n)
	return nil
}

// funnelEvents reads the moves before end, record by record in order.
func (s *Onboarding) funnelEvents(ctx context.Context, actor Actor, f FunnelFilter, end time.Time) ([]funnelEvent, error) {
	var events []funnelEvent
	err := s.records(s.DB, actor, f).Join("JOIN onboarding_events AS e ON e.onboarding_id = o.id").
		ColumnExpr("e.onboarding_id, e.at, e.from_stage, e.to_stage").
		Where("e.at < ?", end.UTC()).OrderExpr("e.onboarding_id, e.at, e.id").Scan(ctx, &events)
	if err != nil {
		return nil, fmt.Errorf("onboarding: funnel: events: %w", err)
	}
	return events, nil
}

func (f *Funnel) stage(name string) *FunnelStage {
	for i := range f.Stages {
		if f.Stages[i].Stage == name {
			return &f.Stages[i]
		}
	}
	return &FunnelStage{} // a stage no longer listed: counted nowhere
}

// addMoves counts the moves from start on (events end with the month).
func (f *Funnel) addMoves(events []funnelEvent, start time.Time) {
	for _, e := range events {
		if e.At.Before(start) {
			continue
		}
		f.Moves++
		f.stage(e.ToStage).Entered++
		f.stage(e.FromStage).Left++
	}
}

// addStays takes the median of the completed stays in each stage: from the move into it
// to the next move of the same record.
func (f *Funnel) addStays(events []funnelEvent) {
	days := map[string][]float64{}
	for i := 1; i < len(events); i++ {
		prev, cur := events[i-1], events[i]
		if prev.OnboardingID == cur.OnboardingID {
			days[prev.ToStage] = append(days[prev.ToStage], cur.At.Sub(prev.At).Hours()/24)
		}
	}
	for stage, d := range days {
		st := f.stage(stage)
		m := funnelMedian(d)
		st.MedianDays, st.Stays = &m, len(d)
	}
}

// addConversion counts the records that ever reached listed, first_sale and active.
func (f *Funnel) addConversion(events []funnelEvent) {
	reached := map[int64]int{} // record → highest stage rank reached
	for _, e := range events {
		reached[e.OnboardingID] = max(reached[e.OnboardingID], stageRank(e.ToStage))
	}
	c := &f.Conversion
	for _, r := range reached {
		if r >= stageRank(StageListed) {
			c.Listed++
		}
		if r >= stageRank(StageFirstSale) {
			c.FirstSale++
		}
		if r >= stageRank(StageActive) {
			c.Active++
		}
	}
	c.ListedToFirstSale = funnelPercent(c.FirstSale, c.Listed)
	c.FirstSaleToActive = funnelPercent(c.Active, c.FirstSale)
	c.ListedToActive = funnelPercent(c.Active, c.Listed)
}

func funnelMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return math.Round(m*10) / 10
}

func funnelPercent(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}
