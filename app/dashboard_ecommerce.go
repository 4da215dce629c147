package app

import (
	"context"
	"fmt"
)

// DashboardOnboarding is where the artisans in scope stand on each active platform: the
// board's counts (approved artisans with no record count as not started).
type DashboardOnboarding struct {
	Platforms []DashboardFunnel `json:"platforms"`
}

// DashboardFunnel is one platform's count of artisan × platform pairs in every stage, in
// OnboardingStages order.
type DashboardFunnel struct {
	Platform string       `json:"platform"`
	NameEn   string       `json:"name"`
	NameHi   string       `json:"name_hi"`
	Stages   []StageCount `json:"stages"`
}

// Count is the number of pairs in stage.
func (f DashboardFunnel) Count(stage string) int64 {
	for _, s := range f.Stages {
		if s.Stage == stage {
			return s.Count
		}
	}
	return 0
}

// DashboardReadiness counts the approved artisans in scope that are ready, nearly ready and
// far from each active platform, as Readiness.DistrictTable does for one district.
type DashboardReadiness struct {
	Platforms []ReadinessRow `json:"platforms"`
}

// DashboardPriceFlags counts the listings in scope priced out of step with the store price.
type DashboardPriceFlags struct {
	Flagged          int64 `json:"flagged"`
	TolerancePercent int   `json:"tolerance_percent"`
}

// DashboardReports are the newest current reports the actor may read.
type DashboardReports struct {
	Latest []ArchivedReport `json:"latest"`
}

// dashboardReportsShown is how many reports the dashboard lists; the reports page has them all.
const dashboardReportsShown = 5

func (s *Dashboards) onboarding(ctx context.Context, actor Actor, _ Scope, d *Dashboard) error {
	platforms, err := activePlatforms(ctx, s)
	if err != nil {
		return err
	}
	var rows []struct {
		Platform string `bun:"platform"`
		Stage    string `bun:"stage"`
		Count    int64  `bun:"count"`
	}
	onb := &Onboarding{DB: s.DB, Authz: s.Authz}
	if err := onb.pairs(s.DB, actor, OnboardingFilter{}).
		ColumnExpr("p.slug AS platform, "+onboardingStageExpr+" AS stage, COUNT(*) AS count").
		GroupExpr("p.slug, "+onboardingStageExpr).Scan(ctx, &rows); err != nil {
		return fmt.Errorf("onboarding counts: %w", err)
	}
	out := &DashboardOnboarding{}
	for _, p := range platforms {
		f := DashboardFunnel{Platform: p.Slug, NameEn: p.NameEn, NameHi: p.NameHi}
		for _, st := range OnboardingStages() {
			c := StageCount{Stage: st}
			for _, r := range rows {
				if r.Platform == p.Slug && r.Stage == st {
					c.Count = r.Count
				}
			}
			f.Stages = append(f.Stages, c)
		}
		out.Platforms = append(out.Platforms, f)
	}
	d.Onboarding = out
	return nil
}

func activePlatforms(ctx context.Context, s *Dashboards) ([]Platform, error) {
	var out []Platform
	if err := s.DB.NewSelect().Model(&out).Where("active = ?", true).OrderExpr("slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("platforms: %w", err)
	}
	return out, nil
}

// readiness bands every approved artisan in scope with the rules of Readiness (bandCounts).
func (s *Dashboards) readiness(ctx context.Context, _ Actor, scope Scope, d *Dashboard) error {
	rows, err := bandCounts(ctx, s.DB, scope)
	if err != nil {
		return fmt.Errorf("readiness: %w", err)
	}
	d.Readiness = &DashboardReadiness{Platforms: rows}
	return nil
}

// priceFlags counts what Listings.PriceFlags lists.
func (s *Dashboards) priceFlags(ctx context.Context, _ Actor, scope Scope, d *Dashboard) error {
	tol, err := PriceTolerance(ctx, s.DB)
	if err != nil {
		return err
	}
	q := s.DB.NewSelect().TableExpr("listings AS l").
		Join("JOIN products AS p ON p.id = l.product_id").
		Join("JOIN artisans AS a ON a.id = p.artisan_id").
		Where("l.status <> 'removed'").Where(priceFlagSQL, tol)
	n, err := s.count(ctx, scope.Apply(q, "a.district"))
	if err != nil {
		return fmt.Errorf("price flags: %w", err)
	}
	d.PriceFlags = &DashboardPriceFlags{Flagged: n, TolerancePercent: tol}
	return nil
}

func (s *Dashboards) reports(ctx context.Context, actor Actor, _ Scope, d *Dashboard) error {
	latest, err := (&ReportArchive{DB: s.DB, Authz: s.Authz}).List(ctx, actor,
		ArchiveFilter{Current: true, Limit: dashboardReportsShown})
	if err != nil {
		return err
	}
	d.Reports = &DashboardReports{Latest: latest}
	return nil
}
