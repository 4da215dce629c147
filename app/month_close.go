package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

const monthObject = "month"

// MonthClose is the close of one district's month: once closed, sales dated in that month
// in that district are neither added nor changed; a correction in an open month amends
// them. ReopenedAt set means the month was reopened and is open again.
type MonthClose struct {
	bun.BaseModel `bun:"table:month_closes,alias:mc"`

	ID           int64      `bun:"id,pk,autoincrement" json:"-"`
	District     string     `bun:"district" json:"district"`
	Month        string     `bun:"month" json:"month"`
	Closed       bool       `bun:"-" json:"closed"`
	ClosedAt     time.Time  `bun:"closed_at" json:"closed_at"`
	ClosedBy     *int64     `bun:"closed_by" json:"closed_by"`
	ReopenedAt   *time.Time `bun:"reopened_at" json:"reopened_at"`
	ReopenedBy   *int64     `bun:"reopened_by" json:"reopened_by"`
	ReopenReason string     `bun:"reopen_reason" json:"reopen_reason"`
}

// MonthCloses closes and reopens districts' months: closing needs month:close in the
// district (state admins, DIC officers), reopening month:reopen (state admins).
type MonthCloses struct {
	DB    *bun.DB
	Authz Authorizer
	// Renderer draws the month's reports, frozen as the month closes (report_freeze.go);
	// without one a month cannot be closed.
	Renderer ReportRenderer
}

func (s *MonthCloses) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, monthObject, action)
}

// List returns the closes of the districts where the actor may read months, newest month
// first; district "" means all of them.
func (s *MonthCloses) List(ctx context.Context, actor Actor, district string) ([]MonthClose, error) {
	scope := AllDistricts
	if !actor.system {
		scope = s.Authz.Scope(actor.UserID, monthObject, "read")
	}
	out := []MonthClose{}
	q := scope.Apply(s.DB.NewSelect().Model(&out), "mc.district")
	if district = strings.ToLower(strings.TrimSpace(district)); district != "" {
		q = q.Where("mc.district = ?", district)
	}
	if err := q.OrderExpr("mc.month DESC, mc.district").Scan(ctx); err != nil {
		return nil, fmt.Errorf("months: list: %w", err)
	}
	for i := range out {
		out[i].Closed = out[i].ReopenedAt == nil
	}
	return out, nil
}

// Close closes district's month and freezes its reports in the same transaction
// (report_freeze.go). Closing a closed month is a conflict; closing a reopened one closes
// it again.
func (s *MonthCloses) Close(ctx context.Context, actor Actor, district, month string) (*MonthClose, error) {
	m, err := s.check(ctx, actor, district, month, "close")
	if err != nil {
		return nil, err
	}
	var out *MonthClose
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockDistrictMonths(ctx, tx, district, true); err != nil {
			return err
		}
		cur, err := findMonthClose(ctx, tx, district, m)
		if err != nil {
			return err
		}
		now := Now()
		next := &MonthClose{District: district, Month: m, Closed: true, ClosedAt: now, ClosedBy: actorID(actor)}
		switch {
		case cur == nil:
			if _, err := tx.NewInsert().Model(next).Exec(ctx); err != nil {
				return fmt.Errorf("months: close: %w", err)
			}
		case cur.ReopenedAt == nil:
			return Errorf(ECONFLICT, "month.already_closed", "month", m)
		default:
			next.ID = cur.ID
			if _, err := tx.NewUpdate().Model(next).Column("closed_at", "closed_by", "reopened_at", "reopened_by", "reopen_reason").
				WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("months: close again: %w", err)
			}
		}
		out = next
		if err := RecordAudit(ctx, tx, actor, Change{Entity: monthObject, EntityID: district + "/" + m,
			Action: "close", District: district, Before: cur, After: next}); err != nil {
			return err
		}
		return s.freezeReports(ctx, tx, actor, district, m, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Reopen opens a closed month again; the reason is required and kept with the record and
// in the audit log.
func (s *MonthCloses) Reopen(ctx context.Context, actor Actor, district, month, reason string) (*MonthClose, error) {
	m, err := s.check(ctx, actor, district, month, "reopen")
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	v := Invalid{}
	Required(v, "reason", reason)
	MaxLen(v, "reason", reason, 1000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *MonthClose
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockDistrictMonths(ctx, tx, district, true); err != nil {
			return err
		}
		cur, err := findMonthClose(ctx, tx, district, m)
		if err != nil {
			return err
		}
		if cur == nil || cur.ReopenedAt != nil {
			return Errorf(ECONFLICT, "month.not_closed", "month", m)
		}
		next := *cur
		now := Now()
		next.ReopenedAt, next.ReopenedBy, next.ReopenReason, next.Closed = &now, actorID(actor), reason, false
		if _, err := tx.NewUpdate().Model(&next).Column("reopened_at", "reopened_by", "reopen_reason").
			WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("months: reopen: %w", err)
		}
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: monthObject, EntityID: district + "/" + m,
			Action: "reopen", District: district, Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// check authorises action and validates the district and month, returning the month as
// YYYY-MM.
func (s *MonthCloses) check(ctx context.Context, actor Actor, district, month, action string) (string, error) {
	if !s.can(actor, district, action) {
		return "", ErrForbidden
	}
	m, err := ParseMonth(month)
	if err != nil {
		return "", Invalid{"month": Msg(KeyMonth)}.Err()
	}
	n, err := s.DB.NewSelect().Model((*District)(nil)).Where("slug = ?", district).Count(ctx)
	if err != nil {
		return "", fmt.Errorf("months: district: %w", err)
	}
	if n == 0 {
		return "", ErrNotFound
	}
	return m.String(), nil
}

// findMonthClose returns the close record of district's month, or nil when it was never
// closed.
func findMonthClose(ctx context.Context, db bun.IDB, district, month string) (*MonthClose, error) {
	mc := new(MonthClose)
	err := db.NewSelect().Model(mc).Where("mc.district = ? AND mc.month = ?", district, month).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("months: find: %w", err)
	}
	mc.Closed = mc.ReopenedAt == nil
	return mc, nil
}

// monthClosed reports whether district's month is closed now, and keeps it so until the
// caller's transaction ends.
func monthClosed(ctx context.Context, db bun.IDB, district, month string) (bool, error) {
	if err := lockDistrictMonths(ctx, db, district, false); err != nil {
		return false, err
	}
	n, err := db.NewSelect().Model((*MonthClose)(nil)).
		Where("mc.district = ? AND mc.month = ? AND mc.reopened_at IS NULL", district, month).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("months: closed: %w", err)
	}
	return n > 0, nil
}

func actorID(actor Actor) *int64 {
	if actor.UserID == 0 {
		return nil
	}
	id := actor.UserID
	return &id
}

// lockDistrictMonths orders a month close against the sales being entered in the same
// district on PostgreSQL: a close takes the district row exclusively, a sale shares it,
// so a sale either commits before the close or sees it. SQLite runs one writer at a time
// and needs no lock. NO KEY UPDATE leaves inserts that merely reference the district
// (artisans, documents) unblocked.
func lockDistrictMonths(ctx context.Context, db bun.IDB, district string, exclusive bool) error {
	if db.Dialect().Name() != dialect.PG {
		return nil
	}
	mode := "SHARE"
	if exclusive {
		mode = "NO KEY UPDATE"
	}
	var slug string
	err := db.NewSelect().Table("districts").Column("slug").Where("slug = ?", district).For(mode).Scan(ctx, &slug)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("months: lock %s: %w", district, err)
	}
	return nil
}

// Message key of a registration refused by a month close.
const monthKeyRegistrationClosed = "month.registration_closed" // args: month, district

// checkRegistrationOpen refuses a change to the registrations of a closed month: creating
// an artisan (cur nil) registers it today, so today's month must be open in its district;
// moving one to another district changes the registrations of the month it was registered
// in (created, and approved when it is) in both districts, so those must be open. The
// registration date itself is never edited, so nothing else can move a registration.
func checkRegistrationOpen(ctx context.Context, db bun.IDB, cur, next *Artisan) error {
	var dates []time.Time
	var districts []string
	switch {
	case cur == nil:
		dates, districts = []time.Time{next.CreatedAt}, []string{next.District}
	case cur.District != next.District:
		dates, districts = []time.Time{cur.CreatedAt}, []string{cur.District, next.District}
		if cur.Status == ArtisanApproved {
			dates = append(dates, cur.StatusChangedAt)
		}
	}
	for _, d := range districts {
		for _, t := range dates {
			month := MonthOf(t.In(artisanIST)).String()
			closed, err := monthClosed(ctx, db, d, month)
			if err != nil {
				return err
			}
			if closed {
				m := Msg(monthKeyRegistrationClosed, "month", month, "district", d)
				return &Error{Code: EINVALID, Message: m, Fields: map[string]Message{"district": m}}
			}
		}
	}
	return nil
}

// DistrictMonthStatus is one district's state for a month, for the month-close page:
// open (never closed, or reopened) or closed, with who closed it and when, and the
// reason of the last reopening.
type DistrictMonthStatus struct {
	District       string     `bun:"district" json:"district"`
	DistrictName   string     `bun:"district_name" json:"district_name"`
	DistrictNameHi string     `bun:"district_name_hi" json:"district_name_hi"`
	Month          string     `bun:"-" json:"month"`
	Closed         bool       `bun:"-" json:"closed"`
	ClosedAt       *time.Time `bun:"closed_at" json:"closed_at"`
	ClosedBy       *int64     `bun:"closed_by" json:"closed_by"`
	ClosedByName   string     `bun:"closed_by_name" json:"closed_by_name"`
	ReopenedAt     *time.Time `bun:"reopened_at" json:"reopened_at"`
	ReopenedByName string     `bun:"reopened_by_name" json:"reopened_by_name"`
	ReopenReason   string     `bun:"reopen_reason" json:"reopen_reason"`
}

// Status lists every active district where the actor may read months, by English name,
// with its state for month (YYYY-MM).
func (s *MonthCloses) Status(ctx context.Context, actor Actor, month string) ([]DistrictMonthStatus, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return nil, Invalid{"month": Msg(KeyMonth)}.Err()
	}
	scope := AllDistricts
	if !actor.system {
		scope = s.Authz.Scope(actor.UserID, monthObject, "read")
	}
	out := []DistrictMonthStatus{}
	q := s.DB.NewSelect().TableExpr("districts AS d").
		ColumnExpr("d.slug AS district, d.name_en AS district_name, d.name_hi AS district_name_hi").
		ColumnExpr("mc.closed_at, mc.closed_by, COALESCE(cu.name, '') AS closed_by_name").
		ColumnExpr("mc.reopened_at, COALESCE(ru.name, '') AS reopened_by_name, COALESCE(mc.reopen_reason, '') AS reopen_reason").
		Join("LEFT JOIN month_closes AS mc ON mc.district = d.slug AND mc.month = ?", m.String()).
		Join("LEFT JOIN users AS cu ON cu.id = mc.closed_by").
		Join("LEFT JOIN users AS ru ON ru.id = mc.reopened_by").
		Where("d.active = ?", true).OrderExpr("d.name_en")
	if err := scope.Apply(q, "d.slug").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("months: status: %w", err)
	}
	for i := range out {
		out[i].Month = m.String()
		out[i].Closed = out[i].ClosedAt != nil && out[i].ReopenedAt == nil
	}
	return out, nil
}
