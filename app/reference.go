package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// District is one of Rajasthan's 41 districts, addressed everywhere by its slug.
type District struct {
	bun.BaseModel `bun:"table:districts"`

	Slug           string `bun:"slug,pk" json:"slug"`
	NameEn         string `bun:"name_en" json:"name"`
	NameHi         string `bun:"name_hi" json:"name_hi"`
	Division       string `bun:"division" json:"division"`
	LGDCode        string `bun:"lgd_code" json:"lgd_code"`
	Census2011Code string `bun:"census2011_code" json:"census2011_code"`
	RTOCode        string `bun:"rto_code" json:"rto_code"`
	Aliases        string `bun:"aliases" json:"aliases"` // "|"-separated other spellings
	Active         bool   `bun:"active" json:"active"`
	Version        int64  `bun:"version" json:"version"`
}

// Craft is a craft type within a sector (handicraft, handloom, khadi).
type Craft struct {
	bun.BaseModel `bun:"table:crafts"`

	Slug        string `bun:"slug,pk" json:"slug"`
	Sector      string `bun:"sector" json:"sector"`
	NameEn      string `bun:"name_en" json:"name"`
	NameHi      string `bun:"name_hi" json:"name_hi"`
	MainCentres string `bun:"main_centres" json:"main_centres"`
	GITag       bool   `bun:"gi_tag" json:"gi_tag"`
	Active      bool   `bun:"active" json:"active"`
	Version     int64  `bun:"version" json:"version"`
}

// Agency is a state or central body in the artisan ecosystem.
type Agency struct {
	bun.BaseModel `bun:"table:agencies"`

	Slug   string `bun:"slug,pk" json:"slug"`
	NameEn string `bun:"name_en" json:"name"`
	NameHi string `bun:"name_hi" json:"name_hi"`
	Level  string `bun:"level" json:"level"`
	Role   string `bun:"role" json:"role"`
}

// Scheme is a government scheme artisans enrol in.
type Scheme struct {
	bun.BaseModel `bun:"table:schemes"`

	Slug        string `bun:"slug,pk" json:"slug"`
	NameEn      string `bun:"name_en" json:"name"`
	NameHi      string `bun:"name_hi" json:"name_hi"`
	Sponsor     string `bun:"sponsor" json:"sponsor"`
	Agency      string `bun:"agency" json:"agency"`
	Sectors     string `bun:"sectors" json:"sectors"`
	Eligibility string `bun:"eligibility" json:"eligibility"`
	Benefit     string `bun:"benefit" json:"benefit"`
	Stages      string `bun:"stages" json:"stages"`
	Active      bool   `bun:"active" json:"active"`
	Version     int64  `bun:"version" json:"version"`
}

// Platform is an e-commerce or market-linkage channel.
type Platform struct {
	bun.BaseModel `bun:"table:platforms"`

	Slug            string `bun:"slug,pk" json:"slug"`
	NameEn          string `bun:"name_en" json:"name"`
	NameHi          string `bun:"name_hi" json:"name_hi"`
	Programme       string `bun:"programme" json:"programme"`
	Kind            string `bun:"kind" json:"kind"`
	DocumentsNeeded string `bun:"documents_needed" json:"documents_needed"`
	Notes           string `bun:"notes" json:"notes"`
	Active          bool   `bun:"active" json:"active"`
	Version         int64  `bun:"version" json:"version"`
}

// Role is one of the fixed roles; what each may do lives in the casbin policy.
type Role struct {
	bun.BaseModel `bun:"table:roles"`

	Slug      string `bun:"slug,pk" json:"slug"`
	NameEn    string `bun:"name_en" json:"name"`
	NameHi    string `bun:"name_hi" json:"name_hi"`
	ScopeKind string `bun:"scope_kind" json:"scope_kind"` // state, district or store
}

// Reference reads the reference lists. They are readable by every signed-in user, so no
// scope applies.
type Reference struct{ DB *bun.DB }

// Districts lists the districts by English name.
func (r *Reference) Districts(ctx context.Context) ([]District, error) {
	var out []District
	return out, r.list(ctx, &out, "name_en")
}

// Crafts lists the craft types by sector and name.
func (r *Reference) Crafts(ctx context.Context) ([]Craft, error) {
	var out []Craft
	return out, r.list(ctx, &out, "sector, name_en")
}

// Agencies lists the agencies.
func (r *Reference) Agencies(ctx context.Context) ([]Agency, error) {
	var out []Agency
	return out, r.list(ctx, &out, "level DESC, name_en")
}

// Schemes lists the schemes.
func (r *Reference) Schemes(ctx context.Context) ([]Scheme, error) {
	var out []Scheme
	return out, r.list(ctx, &out, "name_en")
}

// Platforms lists the e-commerce platforms.
func (r *Reference) Platforms(ctx context.Context) ([]Platform, error) {
	var out []Platform
	return out, r.list(ctx, &out, "name_en")
}

// Roles lists the roles.
func (r *Reference) Roles(ctx context.Context) ([]Role, error) {
	var out []Role
	return out, r.list(ctx, &out, "slug")
}

func (r *Reference) list(ctx context.Context, dest any, order string) error {
	if err := r.DB.NewSelect().Model(dest).OrderExpr(order).Scan(ctx); err != nil {
		return fmt.Errorf("reference: list: %w", err)
	}
	return nil
}
