package app

import (
	"context"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"
)

// EnrolmentCounts are a scheme's enrolments by status with the money sanctioned (on the
// enrolments sanctioned or paid) and paid out.
type EnrolmentCounts struct {
	Applied         int64 `bun:"applied" json:"applied"`
	Verified        int64 `bun:"verified" json:"verified"`
	Sanctioned      int64 `bun:"sanctioned" json:"sanctioned"`
	Disbursed       int64 `bun:"disbursed" json:"disbursed"`
	Rejected        int64 `bun:"rejected" json:"rejected"`
	SanctionedPaise Paise `bun:"sanctioned_paise" json:"sanctioned_paise"`
	DisbursedPaise  Paise `bun:"disbursed_paise" json:"disbursed_paise"`
}

// Total is the number of enrolments counted, whatever their status.
func (c EnrolmentCounts) Total() int64 {
	return c.Applied + c.Verified + c.Sanctioned + c.Disbursed + c.Rejected
}

// SchemeStats is a scheme with the counts of its enrolments.
type SchemeStats struct {
	SchemeDetail
	EnrolmentCounts `json:"enrolments"`
}

// SchemeStats returns every scheme (or only the one named by slug, when not "") by English
// name, each with its enrolments counted over the districts where the actor may read
// enrolments: a DIC officer's counts cover their own districts, and an actor who may read
// no enrolment sees zeros. One query, however many schemes.
func (s *SchemeAdmin) SchemeStats(ctx context.Context, actor Actor, slug string) ([]SchemeStats, error) {
	scope := AllDistricts
	if !actor.system {
		scope = s.Authz.Scope(actor.UserID, enrolmentObject, "read")
	}
	counts := s.DB.NewSelect().TableExpr("enrolments AS e").ColumnExpr("e.scheme")
	for _, st := range EnrolmentStatuses() {
		counts = counts.ColumnExpr("SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS ?", st, bun.Ident(st))
	}
	counts = counts.
		ColumnExpr("SUM(CASE WHEN e.status IN (?) THEN e.sanctioned_paise ELSE 0 END) AS sanctioned_paise",
			bun.In([]string{EnrolmentSanctioned, EnrolmentDisbursed})).
		ColumnExpr("SUM(e.disbursed_paise) AS disbursed_paise").
		GroupExpr("e.scheme")
	counts = scope.Apply(counts, "e.district")

	out := []SchemeStats{}
	q := s.DB.NewSelect().TableExpr("schemes AS sc").
		Join("LEFT JOIN (?) AS st ON st.scheme = sc.slug", counts).OrderExpr("sc.name_en, sc.slug")
	for _, f := range s.DB.Table(reflect.TypeFor[SchemeDetail]()).Fields {
		q = q.ColumnExpr("sc.?", bun.Ident(f.Name))
	}
	for _, st := range EnrolmentStatuses() {
		q = q.ColumnExpr("CAST(COALESCE(st.?, 0) AS BIGINT) AS ?", bun.Ident(st), bun.Ident(st))
	}
	q = q.ColumnExpr("CAST(COALESCE(st.sanctioned_paise, 0) AS BIGINT) AS sanctioned_paise").
		ColumnExpr("CAST(COALESCE(st.disbursed_paise, 0) AS BIGINT) AS disbursed_paise")
	if slug != "" {
		q = q.Where("sc.slug = ?", slug)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("schemes: stats: %w", err)
	}
	return out, nil
}
