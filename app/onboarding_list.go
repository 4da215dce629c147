package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// OnboardingFilter selects artisan × platform pairs. Pairs of approved artisans with no
// record count as not_started, so the board's first column and the funnel see everyone
// who could start.
type OnboardingFilter struct {
	District string
	Platform string
	Stage    string
	Craft    string
	After    string // keyset cursor from the previous page: "artisan_id/platform"
	Limit    int
}

// pairs starts a query over every active platform for every artisan in read scope that is
// approved or has a record there, with the record's columns (stage not_started where none).
func (s *Onboarding) pairs(db bun.IDB, actor Actor, f OnboardingFilter) *bun.SelectQuery {
	q := db.NewSelect().TableExpr("artisans AS a").
		Join("CROSS JOIN platforms AS p").
		Join("LEFT JOIN onboardings AS o ON o.artisan_id = a.id AND o.platform = p.slug").
		Where("p.active").
		Where("(a.status = ? OR o.id IS NOT NULL)", ArtisanApproved)
	q = s.scope(actor, "read").Apply(q, "a.district")
	if f.District != "" {
		q = q.Where("a.district = ?", f.District)
	}
	if f.Platform != "" {
		q = q.Where("p.slug = ?", f.Platform)
	}
	if f.Craft != "" {
		q = q.Where("a.primary_craft = ?", f.Craft)
	}
	return q
}

const onboardingStageExpr = "COALESCE(o.stage, 'not_started')"

func (f OnboardingFilter) check() error {
	v := Invalid{}
	if f.Stage != "" && !slices.Contains(OnboardingStages(), f.Stage) {
		v.Add("stage", onboardingKeyStage)
	}
	if f.After != "" {
		if _, _, ok := parseOnboardingCursor(f.After); !ok {
			v.Add("cursor", "validation.cursor")
		}
	}
	return v.Err()
}

func parseOnboardingCursor(s string) (int64, string, bool) {
	id, platform, ok := strings.Cut(s, "/")
	n, err := strconv.ParseInt(id, 10, 64)
	return n, platform, ok && err == nil && n > 0 && platform != ""
}

// List returns a page of pairs by artisan and platform, and the cursor of the next page
// ("" at the end). Records listed carry no history.
func (s *Onboarding) List(ctx context.Context, actor Actor, f OnboardingFilter) ([]OnboardingRecord, string, error) {
	if err := f.check(); err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 100
	}
	out := []OnboardingRecord{}
	q := s.pairs(s.DB, actor, f).
		ColumnExpr("COALESCE(o.id, 0) AS id, a.id AS artisan_id, p.slug AS platform").
		ColumnExpr(onboardingStageExpr + " AS stage").
		ColumnExpr("COALESCE(o.reason, '') AS reason, COALESCE(o.note, '') AS note").
		ColumnExpr("COALESCE(o.seller_id, '') AS seller_id, COALESCE(o.live_listings, 0) AS live_listings").
		ColumnExpr("COALESCE(o.last_sale_on, '') AS last_sale_on, COALESCE(o.version, 0) AS version").
		ColumnExpr("o.stage_since, o.updated_at").
		ColumnExpr("a.name AS artisan_name, a.name_hi AS artisan_name_hi, a.district AS district, a.primary_craft AS craft").
		OrderExpr("a.id, p.slug").Limit(int64(f.Limit) + 1)
	if f.Stage != "" {
		q = q.Where(onboardingStageExpr+" = ?", f.Stage)
	}
	if id, platform, ok := parseOnboardingCursor(f.After); ok {
		q = q.Where("(a.id > ? OR (a.id = ? AND p.slug > ?))", id, id, platform)
	}
	// A pair with no record reads NULL times, which scan as zero times.
	if err := q.Scan(ctx, &out); err != nil {
		return nil, "", fmt.Errorf("onboarding: list: %w", err)
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[f.Limit-1]
		return out, idString(last.ArtisanID) + "/" + last.Platform, nil
	}
	return out, "", nil
}

// StageCount is how many pairs stand in a stage.
type StageCount struct {
	Stage string `json:"stage"`
	Count int64  `json:"count"`
}

// Counts returns the number of pairs in each stage, every stage listed in order.
func (s *Onboarding) Counts(ctx context.Context, actor Actor, f OnboardingFilter) ([]StageCount, error) {
	var rows []StageCount
	if err := s.pairs(s.DB, actor, f).ColumnExpr(onboardingStageExpr+" AS stage, COUNT(*) AS count").
		GroupExpr(onboardingStageExpr).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("onboarding: counts: %w", err)
	}
	out := make([]StageCount, 0, len(OnboardingStages()))
	for _, st := range OnboardingStages() {
		c := StageCount{Stage: st}
		for _, r := range rows {
			if r.Stage == st {
				c.Count = r.Count
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// BoardColumn is one stage of the board: its count and the first cards.
type BoardColumn struct {
	Stage string
	Count int64
	Cards []OnboardingRecord
}

// BoardCardsPerColumn is how many cards a board column shows; the count says how many more.
const BoardCardsPerColumn = 50

// Board returns a platform's pairs column by column.
func (s *Onboarding) Board(ctx context.Context, actor Actor, f OnboardingFilter) ([]BoardColumn, error) {
	if _, err := findPlatform(ctx, s.DB, f.Platform); err != nil {
		return nil, err
	}
	counts, err := s.Counts(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	out := make([]BoardColumn, 0, len(counts))
	for _, c := range counts {
		col := BoardColumn{Stage: c.Stage, Count: c.Count}
		if c.Count > 0 {
			g := f
			g.Stage, g.Limit, g.After = c.Stage, BoardCardsPerColumn, ""
			if col.Cards, _, err = s.List(ctx, actor, g); err != nil {
				return nil, err
			}
		}
		out = append(out, col)
	}
	return out, nil
}
