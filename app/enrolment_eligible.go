package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// EligibleArtisan is an artisan who may apply to a scheme: enough to pick them, no
// personal details.
type EligibleArtisan struct {
	bun.BaseModel `bun:"table:artisans,alias:a"`

	ID             int64   `bun:"id" json:"id"`
	RegistrationNo *string `bun:"registration_no" json:"registration_no"`
	Name           string  `bun:"name" json:"name"`
	NameHi         string  `bun:"name_hi" json:"name_hi"`
	District       string  `bun:"district" json:"district"`
	PrimaryCraft   string  `bun:"primary_craft" json:"primary_craft"`
	Sector         string  `bun:"sector,scanonly" json:"sector"`
	Status         string  `bun:"status" json:"status"`
}

// Eligible returns a page of artisans, within the actor's enrolment read scope, who meet
// every rule of the scheme and have no enrolment in it other than rejected ones, in id
// order, with the cursor of the next page (0 at the end). The rules are the ones Check
// applies, written in SQL: an age limit compares the date of birth with today's date
// shifted by whole years, which is exactly ArtisanAge.
func (s *Enrolments) Eligible(ctx context.Context, actor Actor, slug string, afterID int64, limit int) ([]EligibleArtisan, int64, error) {
	sc, err := findScheme(ctx, s.DB, slug)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxPageSize {
		limit = 100
	}
	out := []EligibleArtisan{}
	q := s.DB.NewSelect().Model(&out).ColumnExpr("a.id, a.registration_no, a.name, a.name_hi, a.district, a.primary_craft, a.status").
		ColumnExpr("c.sector AS sector").Join("JOIN crafts AS c ON c.slug = a.primary_craft").
		Where("a.id > ?", afterID).OrderExpr("a.id").Limit(int64(limit) + 1)
	q = s.scope(actor, "read").Apply(q, "a.district")
	if sc.RuleApproved {
		q = q.Where("a.status = ?", ArtisanApproved)
	} else {
		q = q.Where("a.status <> ?", ArtisanInactive)
	}
	for col, l := range map[string]PipeList{"a.gender": sc.RuleGenders, "a.social_category": sc.RuleCategories,
		"a.district": sc.RuleDistricts, "c.sector": sc.RuleSectors} {
		if len(l) > 0 {
			q = q.Where("? IN (?)", bun.Ident(col), bun.In(l))
		}
	}
	if len(sc.RuleCrafts) > 0 {
		q = q.Where("(a.primary_craft IN (?) OR EXISTS (SELECT 1 FROM artisan_crafts AS ac WHERE ac.artisan_id = a.id AND ac.craft IN (?)))",
			bun.In(sc.RuleCrafts), bun.In(sc.RuleCrafts))
	}
	today := artisanToday()
	yearsAgo := func(n int) string { // not normalised: 29 Feb stays 29 Feb, as ArtisanAge counts
		return fmt.Sprintf("%04d-%02d-%02d", today.Year()-n, int(today.Month()), today.Day())
	}
	if sc.RuleMinAge > 0 {
		q = q.Where("a.date_of_birth <= ?", yearsAgo(sc.RuleMinAge))
	}
	if sc.RuleMaxAge > 0 {
		q = q.Where("a.date_of_birth > ?", yearsAgo(sc.RuleMaxAge+1))
	}
	if sc.RuleBankAccount {
		q = q.Where("a.bank_account <> ''")
	}
	q = q.Where("NOT EXISTS (SELECT 1 FROM enrolments AS en WHERE en.artisan_id = a.id AND en.scheme = ? AND en.status <> ?)",
		sc.Slug, EnrolmentRejected)
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("enrolments: eligible: %w", err)
	}
	if len(out) > limit {
		out = out[:limit]
		return out, out[limit-1].ID, nil
	}
	return out, 0, nil
}
