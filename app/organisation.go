package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// OrganisationKinds are the kinds of bodies artisans belong to.
var OrganisationKinds = []string{"cooperative", "shg", "khadi_institution", "producer_company"}

const organisationObject = "organisation"

// Organisation is a cooperative, self-help group, khadi institution or producer company of
// one district. Artisans are its members through Artisan.OrganisationID.
type Organisation struct {
	bun.BaseModel `bun:"table:organisations,alias:o"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	Name           string    `bun:"name" json:"name"`
	NameHi         string    `bun:"name_hi" json:"name_hi"`
	Kind           string    `bun:"kind" json:"kind"`
	District       string    `bun:"district" json:"district"`
	RegistrationNo string    `bun:"registration_no" json:"registration_no"`
	Address        string    `bun:"address" json:"address"`
	Active         bool      `bun:"active" json:"active"`
	Version        int64     `bun:"version" json:"version"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at" json:"updated_at"`
	CreatedBy      *int64    `bun:"created_by" json:"created_by"`
}

// OrganisationInput is what Create and Update take. Active nil means active on Create and
// unchanged on Update; Version must be the version read (Update only).
type OrganisationInput struct {
	Name           string `json:"name"`
	NameHi         string `json:"name_hi"`
	Kind           string `json:"kind"`
	District       string `json:"district"`
	RegistrationNo string `json:"registration_no"`
	Address        string `json:"address"`
	Active         *bool  `json:"active"`
	Version        int64  `json:"version"`
}

// OrganisationFilter selects organisations; zero fields select all in scope.
type OrganisationFilter struct {
	District string `json:"district"`
	Kind     string `json:"kind"`
	Active   *bool  `json:"active"`
	Q        string `json:"q"` // part of the English or Hindi name
}

// Organisations manages the organisations, scoped by district like artisans: reading
// needs organisation:read, changes organisation:manage, in the organisation's district.
type Organisations struct {
	DB    *bun.DB
	Authz Authorizer
}

func (s *Organisations) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, organisationObject, action)
}

func (s *Organisations) scope(actor Actor, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, organisationObject, action)
}

// Create adds an organisation.
func (s *Organisations) Create(ctx context.Context, actor Actor, in OrganisationInput) (*Organisation, error) {
	if s.scope(actor, "manage").Empty() {
		return nil, ErrForbidden
	}
	in.normalize()
	if err := s.validate(ctx, s.DB, &in); err != nil {
		return nil, err
	}
	if !s.can(actor, in.District, "manage") {
		return nil, ErrForbidden
	}
	now := Now()
	o := &Organisation{Active: in.Active == nil || *in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	if actor.UserID != 0 {
		id := actor.UserID
		o.CreatedBy = &id
	}
	in.applyTo(o)
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return fmt.Errorf("organisations: insert: %w", err)
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: organisationObject, EntityID: idString(o.ID),
			Action: "create", District: o.District, After: o})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Update changes an organisation under optimistic locking. It may not move to another
// district while it has members, who must belong to an organisation of their district.
func (s *Organisations) Update(ctx context.Context, actor Actor, id int64, in OrganisationInput) (*Organisation, error) {
	in.normalize()
	var out *Organisation
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, cur.District, "manage") {
			return ErrForbidden
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		if err := s.validate(ctx, tx, &in); err != nil {
			return err
		}
		if in.District != cur.District {
			if !s.can(actor, in.District, "manage") {
				return ErrForbidden
			}
			n, err := tx.NewSelect().Model((*Artisan)(nil)).Where("organisation_id = ?", id).Count(ctx)
			if err != nil {
				return fmt.Errorf("organisations: members: %w", err)
			}
			if n > 0 {
				return Invalid{"district": Msg("organisation.has_members")}.Err()
			}
		}
		next := *cur
		in.applyTo(&next)
		if in.Active != nil {
			next.Active = *in.Active
		}
		next.UpdatedAt = Now()
		if err := updateVersioned(ctx, tx, &next, "id", id, cur.Version, "name", "name_hi", "kind", "district", "registration_no", "address", "active", "updated_at"); err != nil {
			return err
		}
		next.Version++
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: organisationObject, EntityID: idString(id),
			Action: "update", District: next.District, Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns one organisation in the actor's read scope.
func (s *Organisations) Get(ctx context.Context, actor Actor, id int64) (*Organisation, error) {
	return s.find(ctx, s.DB, actor, id)
}

// List returns the organisations in the actor's read scope by district and name.
func (s *Organisations) List(ctx context.Context, actor Actor, f OrganisationFilter) ([]Organisation, error) {
	out := []Organisation{}
	q := s.scope(actor, "read").Apply(s.DB.NewSelect().Model(&out), "o.district")
	if f.District != "" {
		q = q.Where("o.district = ?", f.District)
	}
	if f.Kind != "" {
		q = q.Where("o.kind = ?", f.Kind)
	}
	if f.Active != nil {
		q = q.Where("o.active = ?", *f.Active)
	}
	if needle := strings.ToLower(strings.TrimSpace(f.Q)); needle != "" {
		like := "%" + organisationEscapeLike(needle) + "%"
		q = q.Where("(LOWER(o.name) LIKE ? ESCAPE '\\' OR o.name_hi LIKE ? ESCAPE '\\')", like, like)
	}
	if err := q.OrderExpr("o.district, o.name, o.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("organisations: list: %w", err)
	}
	return out, nil
}

func (s *Organisations) find(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Organisation, error) {
	o := new(Organisation)
	q := s.scope(actor, "read").Apply(db.NewSelect().Model(o), "o.district")
	err := q.Where("o.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("organisations: find: %w", err)
	}
	return o, nil
}

func (in *OrganisationInput) normalize() {
	in.Name = artisanCleanText(in.Name)
	in.NameHi = artisanCleanText(in.NameHi)
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	in.District = strings.ToLower(strings.TrimSpace(in.District))
	in.RegistrationNo = strings.TrimSpace(in.RegistrationNo)
	in.Address = strings.TrimSpace(in.Address)
}

func (in *OrganisationInput) applyTo(o *Organisation) {
	o.Name, o.NameHi, o.Kind, o.District = in.Name, in.NameHi, in.Kind, in.District
	o.RegistrationNo, o.Address = in.RegistrationNo, in.Address
}

func (s *Organisations) validate(ctx context.Context, db bun.IDB, in *OrganisationInput) error {
	v := Invalid{}
	Required(v, "name", in.Name)
	MaxLen(v, "name", in.Name, 200)
	MaxLen(v, "name_hi", in.NameHi, 200)
	artisanChoice(v, "kind", in.Kind, OrganisationKinds)
	MaxLen(v, "registration_no", in.RegistrationNo, 50)
	MaxLen(v, "address", in.Address, 500)
	Required(v, "district", in.District)
	if in.District != "" {
		n, err := db.NewSelect().Model((*District)(nil)).Where("slug = ? AND active = ?", in.District, true).Count(ctx)
		if err != nil {
			return fmt.Errorf("organisations: district: %w", err)
		}
		if n == 0 {
			v.Add("district", artisanKeyUnknownDist)
		}
	}
	return v.Err()
}

// organisationEscapeLike escapes LIKE's wildcards so a search for "50%" means the text.
func organisationEscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
