package app

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Scheme sponsors and benefit types, in the order forms show them. loan_subsidy covers a
// loan and an interest subsidy on a loan alike.
var (
	SchemeSponsors     = []string{"central", "state"}
	SchemeBenefitTypes = []string{"grant", "loan_subsidy", "insurance", "toolkit", "training", "marketing", "award"}
)

const schemeObject = "scheme"

// PipeList is a list of slugs stored as one "|"-separated text column, so a list-valued
// rule is one column on both databases. It marshals as a JSON array.
type PipeList []string

// Value implements driver.Valuer.
func (l PipeList) Value() (driver.Value, error) { return strings.Join(l, "|"), nil }

// MarshalJSON writes an empty list as [], never null.
func (l PipeList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(l))
}

// Scan implements sql.Scanner.
func (l *PipeList) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("pipelist: cannot scan %T", src)
	}
	*l = PipeList{}
	for _, x := range strings.Split(s, "|") {
		if x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

// SchemeDetail is a scheme with everything an administrator edits: the reference list's
// Scheme plus its benefit type, eligibility rules and dates. An empty rule list or a zero
// age limit restricts nothing.
type SchemeDetail struct {
	bun.BaseModel `bun:"table:schemes"`

	Slug            string   `bun:"slug,pk" json:"slug"`
	NameEn          string   `bun:"name_en" json:"name"`
	NameHi          string   `bun:"name_hi" json:"name_hi"`
	Sponsor         string   `bun:"sponsor" json:"sponsor"`
	Agency          string   `bun:"agency" json:"agency"`
	Sectors         string   `bun:"sectors" json:"sectors"`
	Eligibility     string   `bun:"eligibility" json:"eligibility"`
	Benefit         string   `bun:"benefit" json:"benefit"`
	Stages          string   `bun:"stages" json:"stages"`
	BenefitType     string   `bun:"benefit_type" json:"benefit_type"`
	RuleSectors     PipeList `bun:"rule_sectors,type:text" json:"rule_sectors"`
	RuleCrafts      PipeList `bun:"rule_crafts,type:text" json:"rule_crafts"`
	RuleMinAge      int      `bun:"rule_min_age" json:"rule_min_age"`
	RuleMaxAge      int      `bun:"rule_max_age" json:"rule_max_age"`
	RuleGenders     PipeList `bun:"rule_genders,type:text" json:"rule_genders"`
	RuleCategories  PipeList `bun:"rule_categories,type:text" json:"rule_social_categories"`
	RuleDistricts   PipeList `bun:"rule_districts,type:text" json:"rule_districts"`
	RuleApproved    bool     `bun:"rule_approved" json:"rule_must_be_approved"`
	RuleBankAccount bool     `bun:"rule_bank_account" json:"rule_needs_bank_account"`
	StartsOn        string   `bun:"starts_on" json:"starts_on"`
	EndsOn          string   `bun:"ends_on" json:"ends_on"`
	Active          bool     `bun:"active" json:"active"`
	Version         int64    `bun:"version" json:"version"`
}

// SchemeInput adds or changes a scheme; on update nil fields stay as they are.
type SchemeInput struct {
	Slug            string    `json:"slug"`
	Name            *string   `json:"name"`
	NameHi          *string   `json:"name_hi"`
	Sponsor         *string   `json:"sponsor"`
	Agency          *string   `json:"agency"`
	Sectors         *string   `json:"sectors"`
	Eligibility     *string   `json:"eligibility"`
	Benefit         *string   `json:"benefit"`
	Stages          *string   `json:"stages"`
	BenefitType     *string   `json:"benefit_type"`
	RuleSectors     *[]string `json:"rule_sectors"`
	RuleCrafts      *[]string `json:"rule_crafts"`
	RuleMinAge      *int      `json:"rule_min_age"`
	RuleMaxAge      *int      `json:"rule_max_age"`
	RuleGenders     *[]string `json:"rule_genders"`
	RuleCategories  *[]string `json:"rule_social_categories"`
	RuleDistricts   *[]string `json:"rule_districts"`
	RuleApproved    *bool     `json:"rule_must_be_approved"`
	RuleBankAccount *bool     `json:"rule_needs_bank_account"`
	StartsOn        *string   `json:"starts_on"`
	EndsOn          *string   `json:"ends_on"`
	Active          *bool     `json:"active"`
	Version         int64     `json:"version"`
}

// Message keys of scheme validation.
const (
	schemeKeySlugTaken     = "scheme.slug_taken"
	schemeKeyUnknown       = "scheme.unknown_choice"
	schemeKeyAgeRange      = "scheme.age_range"
	schemeKeyDateRange     = "scheme.date_range"
	schemeKeyUnknownAgency = "scheme.unknown_agency"
)

// SchemeAdmin lets state administrators and board officials add and edit schemes
// (scheme:manage, state-wide).
type SchemeAdmin struct {
	DB    *bun.DB
	Authz Authorizer
}

func (s *SchemeAdmin) mayManage(actor Actor) error {
	if actor.system || s.Authz.Can(actor.UserID, AllDistrictsDomain, schemeObject, "manage") {
		return nil
	}
	return ErrForbidden
}

// GetScheme returns one scheme with its rules.
func (s *SchemeAdmin) GetScheme(ctx context.Context, slug string) (*SchemeDetail, error) {
	return findScheme(ctx, s.DB, slug)
}

func findScheme(ctx context.Context, db bun.IDB, slug string) (*SchemeDetail, error) {
	sc := new(SchemeDetail)
	if err := db.NewSelect().Model(sc).Where("slug = ?", slug).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("schemes: find: %w", err)
	}
	return sc, nil
}

// CreateScheme adds a scheme. Schemes are never deleted (enrolments point at them).
func (s *SchemeAdmin) CreateScheme(ctx context.Context, actor Actor, in SchemeInput) (*SchemeDetail, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	sc := &SchemeDetail{Slug: in.Slug, Active: true, RuleApproved: true, Version: 1}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v := Invalid{}
		if !ValidSlug(in.Slug) {
			v.Add("slug", KeySlug)
		}
		if err := applyScheme(ctx, tx, v, sc, in, true); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(sc).Exec(ctx); err != nil {
			if IsUniqueViolation(err) {
				return Invalid{"slug": Msg(schemeKeySlugTaken)}.Err()
			}
			return fmt.Errorf("schemes: insert: %w", err)
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: schemeObject, EntityID: sc.Slug, Action: "create", After: sc})
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// UpdateScheme changes a scheme under optimistic locking. The slug never changes.
func (s *SchemeAdmin) UpdateScheme(ctx context.Context, actor Actor, slug string, in SchemeInput) (*SchemeDetail, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	var out *SchemeDetail
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sc, err := findScheme(ctx, tx, slug)
		if err != nil {
			return err
		}
		before := *sc
		v := Invalid{}
		if err := applyScheme(ctx, tx, v, sc, in, false); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := updateVersioned(ctx, tx, sc, "slug", slug, in.Version,
			"name_en", "name_hi", "sponsor", "agency", "sectors", "eligibility", "benefit", "stages",
			"benefit_type", "rule_sectors", "rule_crafts", "rule_min_age", "rule_max_age", "rule_genders",
			"rule_categories", "rule_districts", "rule_approved", "rule_bank_account", "starts_on", "ends_on",
			"active"); err != nil {
			return err
		}
		sc.Version++
		out = sc
		return RecordAudit(ctx, tx, actor, Change{Entity: schemeObject, EntityID: slug, Action: "update", Before: before, After: sc})
	})
	return out, err
}

// applyScheme copies the given fields of in onto sc and validates the result; slugs in
// rules must name known districts and crafts.
func applyScheme(ctx context.Context, db bun.IDB, v Invalid, sc *SchemeDetail, in SchemeInput, creating bool) error {
	text := func(dst, src *string, field string, max int, required bool) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
		if creating || src != nil {
			if required {
				Required(v, field, *dst)
			}
			MaxLen(v, field, *dst, max)
		}
	}
	text(&sc.NameEn, in.Name, "name", 200, true)
	text(&sc.NameHi, in.NameHi, "name_hi", 200, true)
	text(&sc.Sponsor, in.Sponsor, "sponsor", 20, true)
	text(&sc.Agency, in.Agency, "agency", 64, true)
	text(&sc.Sectors, in.Sectors, "sectors", 200, false)
	text(&sc.Eligibility, in.Eligibility, "eligibility", 2000, false)
	text(&sc.Benefit, in.Benefit, "benefit", 2000, false)
	text(&sc.Stages, in.Stages, "stages", 2000, false)
	text(&sc.BenefitType, in.BenefitType, "benefit_type", 20, true)
	text(&sc.StartsOn, in.StartsOn, "starts_on", 10, false)
	text(&sc.EndsOn, in.EndsOn, "ends_on", 10, false)
	list := func(dst *PipeList, src *[]string) {
		if src != nil {
			*dst = PipeList{}
			for _, x := range *src {
				if x = strings.TrimSpace(x); x != "" && !slices.Contains(*dst, x) {
					*dst = append(*dst, x)
				}
			}
		}
	}
	list(&sc.RuleSectors, in.RuleSectors)
	list(&sc.RuleCrafts, in.RuleCrafts)
	list(&sc.RuleGenders, in.RuleGenders)
	list(&sc.RuleCategories, in.RuleCategories)
	list(&sc.RuleDistricts, in.RuleDistricts)
	for dst, src := range map[*int]*int{&sc.RuleMinAge: in.RuleMinAge, &sc.RuleMaxAge: in.RuleMaxAge} {
		if src != nil {
			*dst = *src
		}
	}
	for dst, src := range map[*bool]*bool{&sc.RuleApproved: in.RuleApproved, &sc.RuleBankAccount: in.RuleBankAccount, &sc.Active: in.Active} {
		if src != nil {
			*dst = *src
		}
	}

	choice := func(field, value string, choices []string) {
		if value != "" && !slices.Contains(choices, value) {
			v.Add(field, schemeKeyUnknown, "value", value)
		}
	}
	choice("sponsor", sc.Sponsor, SchemeSponsors)
	choice("benefit_type", sc.BenefitType, SchemeBenefitTypes)
	for _, x := range sc.RuleSectors {
		choice("rule_sectors", x, Sectors)
	}
	for _, x := range sc.RuleGenders {
		choice("rule_genders", x, ArtisanGenders)
	}
	for _, x := range sc.RuleCategories {
		choice("rule_social_categories", x, ArtisanSocialCategories)
	}
	if sc.RuleMinAge < 0 || sc.RuleMinAge > ArtisanMaxAge || sc.RuleMaxAge < 0 || sc.RuleMaxAge > ArtisanMaxAge ||
		sc.RuleMaxAge > 0 && sc.RuleMinAge > sc.RuleMaxAge {
		v.Add("rule_min_age", schemeKeyAgeRange, "max", strconv.Itoa(ArtisanMaxAge))
	}
	for field, d := range map[string]string{"starts_on": sc.StartsOn, "ends_on": sc.EndsOn} {
		if d != "" && !schemeValidDate(d) {
			v.Add(field, KeyDate)
		}
	}
	if sc.StartsOn != "" && sc.EndsOn != "" && sc.EndsOn < sc.StartsOn {
		v.Add("ends_on", schemeKeyDateRange)
	}
	for _, ref := range []struct {
		table, field string
		slugs        []string
	}{
		{"agencies", "agency", []string{sc.Agency}},
		{"districts", "rule_districts", sc.RuleDistricts},
		{"crafts", "rule_crafts", sc.RuleCrafts},
	} {
		if err := checkSlugsExist(ctx, db, v, ref.table, ref.field, ref.slugs); err != nil {
			return err
		}
	}
	return nil
}

// checkSlugsExist adds a field error naming the first slug not found in table.
func checkSlugsExist(ctx context.Context, db bun.IDB, v Invalid, table, field string, slugs []string) error {
	var want []string
	for _, s := range slugs {
		if s != "" {
			want = append(want, s)
		}
	}
	if len(want) == 0 {
		return nil
	}
	var found []string
	if err := db.NewSelect().Table(table).Column("slug").Where("slug IN (?)", bun.In(want)).Scan(ctx, &found); err != nil {
		return fmt.Errorf("schemes: check %s: %w", table, err)
	}
	for _, s := range want {
		if !slices.Contains(found, s) {
			key := schemeKeyUnknown
			if table == "agencies" {
				key = schemeKeyUnknownAgency
			}
			v.Add(field, key, "value", s)
			return nil
		}
	}
	return nil
}

// schemeValidDate reports whether s is a real YYYY-MM-DD date.
func schemeValidDate(s string) bool {
	d, err := time.Parse(time.DateOnly, s)
	return err == nil && d.Format(time.DateOnly) == s
}

// openOn reports whether applications are taken on date (YYYY-MM-DD in India).
func (sc *SchemeDetail) openOn(date string) bool {
	return sc.Active && (sc.StartsOn == "" || sc.StartsOn <= date) && (sc.EndsOn == "" || date <= sc.EndsOn)
}

// ListSchemes returns every scheme with its rules, by English name. Schemes are reference
// data every signed-in user reads, so no scope applies.
func (s *SchemeAdmin) ListSchemes(ctx context.Context) ([]SchemeDetail, error) {
	out := []SchemeDetail{}
	if err := s.DB.NewSelect().Model(&out).OrderExpr("name_en, slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("schemes: list: %w", err)
	}
	return out, nil
}
