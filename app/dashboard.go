package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Dashboard is the home page's figures for one actor, each block within the actor's scope
// for that block's object. A block the actor may not read is nil, so the page shows only
// what the policy lets the reader open.
type Dashboard struct {
	Month    Month              `json:"month"` // the current month (India's clock)
	Registry *DashboardRegistry `json:"registry,omitempty"`
	Inbox    *DashboardInbox    `json:"inbox,omitempty"`
	Schemes  *DashboardSchemes  `json:"schemes,omitempty"`
	Sales    *DashboardSales    `json:"sales,omitempty"`
	Months   *DashboardMonths   `json:"months,omitempty"`
	// The e-commerce blocks (dashboard_ecommerce.go) and the latest reports.
	Onboarding *DashboardOnboarding `json:"onboarding,omitempty"`
	Readiness  *DashboardReadiness  `json:"readiness,omitempty"`
	PriceFlags *DashboardPriceFlags `json:"price_flags,omitempty"`
	Reports    *DashboardReports    `json:"reports,omitempty"`
}

// DashboardRegistry is the artisan registry in the actor's districts.
type DashboardRegistry struct {
	Approved          int64 `json:"approved"`            // approved now
	NewThisMonth      int64 `json:"new_this_month"`      // records created this month
	ApprovedThisMonth int64 `json:"approved_this_month"` // records approved this month
}

// DashboardInbox is what waits for the actor.
type DashboardInbox struct {
	Pending    int64 `json:"pending"` // at most ArtisanInboxLimit
	Capped     bool  `json:"capped"`  // Pending reached the limit: there may be more
	OldestDays int   `json:"oldest_days"`
}

// DashboardSchemes are the month's sanctions and disbursements.
type DashboardSchemes struct {
	Sanctioned      int64 `json:"sanctioned"`
	SanctionedPaise Paise `json:"sanctioned_paise"`
	Disbursed       int64 `json:"disbursed"` // instalments paid
	DisbursedPaise  Paise `json:"disbursed_paise"`
}

// DashboardSales are store sales this month against the same month last year, and the
// trend of the thirteen months ending with this one.
type DashboardSales struct {
	Month    Paise        `json:"month"`
	LastYear Paise        `json:"last_year"`
	Trend    []MonthSales `json:"trend"`
}

// DashboardMonths is the close of last month in the actor's districts.
type DashboardMonths struct {
	Month     Month    `json:"month"`     // the month that should be closed by now
	Districts int64    `json:"districts"` // active districts in scope
	Closed    int64    `json:"closed"`
	Open      []string `json:"open"` // slugs of districts still open, when few
}

// dashboardOpenListed is how many open districts the months block names; beyond it the
// count says enough.
const dashboardOpenListed = 5

// Dashboards builds the dashboard. It only reads.
type Dashboards struct {
	DB       *bun.DB
	Authz    Authorizer
	Artisans *Artisans // for the inbox, so its rules live in one place
}

// dashboardBlock builds one block when the actor holds object:action somewhere.
type dashboardBlock struct {
	object, action string
	build          func(s *Dashboards, ctx context.Context, actor Actor, scope Scope, d *Dashboard) error
}

// dashboardBlocks are the blocks in page order. A new feature adds its block here.
var dashboardBlocks = []dashboardBlock{
	{"artisan", "read", (*Dashboards).inbox},
	{"artisan", "read", (*Dashboards).registry},
	{"enrolment", "read", (*Dashboards).schemes},
	{"sale", "read", (*Dashboards).sales},
	{"month", "read", (*Dashboards).months},
	{"onboarding", "read", (*Dashboards).onboarding},
	{"product", "read", (*Dashboards).readiness},
	{"listing", "read", (*Dashboards).priceFlags},
	{"report", "read", (*Dashboards).reports},
}

// Build returns the dashboard of actor as of now.
func (s *Dashboards) Build(ctx context.Context, actor Actor, now time.Time) (*Dashboard, error) {
	d := &Dashboard{Month: MonthOf(now.In(artisanIST))}
	for _, b := range dashboardBlocks {
		scope := s.Authz.Scope(actor.UserID, b.object, b.action)
		if scope.Empty() {
			continue
		}
		if err := b.build(s, ctx, actor, scope, d); err != nil {
			return nil, fmt.Errorf("dashboard: %s: %w", b.object, err)
		}
	}
	return d, nil
}

func (s *Dashboards) count(ctx context.Context, q *bun.SelectQuery) (int64, error) {
	n, err := q.Count(ctx)
	return int64(n), err
}

func (s *Dashboards) registry(ctx context.Context, _ Actor, scope Scope, d *Dashboard) error {
	artisans := func() *bun.SelectQuery {
		return scope.Apply(s.DB.NewSelect().TableExpr("artisans AS a"), "a.district")
	}
	from, to := d.Month.Start(), d.Month.End()
	r := &DashboardRegistry{}
	var err error
	if r.Approved, err = s.count(ctx, artisans().Where("a.status = ?", ArtisanApproved)); err != nil {
		return err
	}
	if r.NewThisMonth, err = s.count(ctx, artisans().Where("a.created_at >= ? AND a.created_at < ?", from, to)); err != nil {
		return err
	}
	if r.ApprovedThisMonth, err = s.count(ctx, artisans().Where("a.status = ?", ArtisanApproved).
		Where("a.status_changed_at >= ? AND a.status_changed_at < ?", from, to)); err != nil {
		return err
	}
	d.Registry = r
	return nil
}

func (s *Dashboards) inbox(ctx context.Context, actor Actor, _ Scope, d *Dashboard) error {
	items, err := s.Artisans.Inbox(ctx, actor)
	if err != nil {
		return err
	}
	in := &DashboardInbox{Pending: int64(len(items)), Capped: len(items) >= ArtisanInboxLimit}
	if len(items) > 0 {
		in.OldestDays = items[0].AgeDays // oldest first
	}
	d.Inbox = in
	return nil
}

type dashboardSum struct {
	N     int64 `bun:"n"`
	Paise int64 `bun:"paise"`
}

func (s *Dashboards) schemes(ctx context.Context, _ Actor, scope Scope, d *Dashboard) error {
	from, to := d.Month.Start(), d.Month.End()
	var sanctioned, disbursed dashboardSum
	q := scope.Apply(s.DB.NewSelect().TableExpr("enrolment_events AS ev").
		Join("JOIN enrolments AS e ON e.id = ev.enrolment_id").
		ColumnExpr("COUNT(*) AS n, CAST(COALESCE(SUM(ev.amount_paise), 0) AS BIGINT) AS paise").
		Where("ev.action = 'sanction' AND ev.at >= ? AND ev.at < ?", from, to), "e.district")
	if err := q.Scan(ctx, &sanctioned); err != nil {
		return err
	}
	q = scope.Apply(s.DB.NewSelect().TableExpr("enrolment_disbursements AS dis").
		Join("JOIN enrolments AS e ON e.id = dis.enrolment_id").
		// A correction nets into the amount but is not another payment.
		ColumnExpr("COUNT(CASE WHEN dis.corrects_id IS NULL THEN 1 END) AS n, CAST(COALESCE(SUM(dis.amount_paise), 0) AS BIGINT) AS paise").
		Where("dis.at >= ? AND dis.at < ?", from, to), "e.district")
	if err := q.Scan(ctx, &disbursed); err != nil {
		return err
	}
	d.Schemes = &DashboardSchemes{Sanctioned: sanctioned.N, SanctionedPaise: Paise(sanctioned.Paise),
		Disbursed: disbursed.N, DisbursedPaise: Paise(disbursed.Paise)}
	return nil
}

func (s *Dashboards) sales(ctx context.Context, actor Actor, _ Scope, d *Dashboard) error {
	sc, err := storeScope(ctx, s.DB, s.Authz, actor, "sale", "read")
	if err != nil {
		return err
	}
	months := Last13Months(d.Month)
	var rows []struct {
		Month string `bun:"month"`
		Paise int64  `bun:"paise"`
	}
	q := sc.apply(s.DB.NewSelect().TableExpr("sales AS s"), "s.store_id", "s.district").
		ColumnExpr("s.month, CAST(COALESCE(SUM(s.amount_paise), 0) AS BIGINT) AS paise").
		Where("s.month >= ? AND s.month <= ?", months[0].String(), d.Month.String()).
		GroupExpr("s.month")
	if err := q.Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	byMonth := map[string]Paise{}
	for _, r := range rows {
		byMonth[r.Month] = Paise(r.Paise)
	}
	out := &DashboardSales{Month: byMonth[d.Month.String()], LastYear: byMonth[months[0].String()]}
	for _, m := range months {
		out.Trend = append(out.Trend, MonthSales{Month: m, Paise: byMonth[m.String()]})
	}
	d.Sales = out
	return nil
}

func (s *Dashboards) months(ctx context.Context, _ Actor, scope Scope, d *Dashboard) error {
	m := &DashboardMonths{Month: d.Month.Prev()}
	var districts []string
	q := scope.Apply(s.DB.NewSelect().Table("districts").Column("slug").Where("active"), "slug").OrderExpr("slug")
	if err := q.Scan(ctx, &districts); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var closed []string
	q = scope.Apply(s.DB.NewSelect().Table("month_closes").Column("district").
		Where("month = ? AND reopened_at IS NULL", m.Month.String()), "district")
	if err := q.Scan(ctx, &closed); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	isClosed := map[string]bool{}
	for _, c := range closed {
		isClosed[c] = true
	}
	m.Districts = int64(len(districts))
	for _, slug := range districts {
		if isClosed[slug] {
			m.Closed++
		} else if len(m.Open) < dashboardOpenListed {
			m.Open = append(m.Open, slug)
		}
	}
	d.Months = m
	return nil
}
