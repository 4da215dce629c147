package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Sectors are the three sectors crafts belong to.
var Sectors = []string{"handicraft", "handloom", "khadi"}

// CraftInput adds or changes a craft type; on update nil fields stay as they are.
type CraftInput struct {
	Slug        string  `json:"slug"`
	Sector      *string `json:"sector"`
	Name        *string `json:"name"`
	NameHi      *string `json:"name_hi"`
	MainCentres *string `json:"main_centres"`
	GITag       *bool   `json:"gi_tag"`
	Active      *bool   `json:"active"`
	Version     int64   `json:"version"`
}

// DistrictInput changes a district's editable fields (names, codes, aliases, active).
type DistrictInput struct {
	Name           *string `json:"name"`
	NameHi         *string `json:"name_hi"`
	LGDCode        *string `json:"lgd_code"`
	Census2011Code *string `json:"census2011_code"`
	RTOCode        *string `json:"rto_code"`
	Aliases        *string `json:"aliases"`
	Active         *bool   `json:"active"`
	Version        int64   `json:"version"`
}

// ReferenceAdmin lets state admins edit crafts and districts: reference data changes by
// notification, so it is data, not code.
type ReferenceAdmin struct {
	DB    *bun.DB
	Authz Authorizer
}

func (s *ReferenceAdmin) mayManage(actor Actor) error {
	if actor.system || s.Authz.Can(actor.UserID, AllDistrictsDomain, "reference", "manage") {
		return nil
	}
	return ErrForbidden
}

// CreateCraft adds a craft type. Crafts are never deleted (artisans point at them); an
// admin deactivates one instead.
func (s *ReferenceAdmin) CreateCraft(ctx context.Context, actor Actor, in CraftInput) (*Craft, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	c := &Craft{Slug: in.Slug, Active: true, Version: 1}
	v := Invalid{}
	if !ValidSlug(in.Slug) {
		v.Add("slug", KeySlug)
	}
	applyCraft(v, c, in, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			if IsUniqueViolation(err) {
				return Invalid{"slug": Msg("reference.slug_taken")}.Err()
			}
			return fmt.Errorf("reference: insert craft: %w", err)
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: "craft", EntityID: c.Slug, Action: "create", After: c})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCraft changes a craft under optimistic locking.
func (s *ReferenceAdmin) UpdateCraft(ctx context.Context, actor Actor, slug string, in CraftInput) (*Craft, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	var out *Craft
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c := new(Craft)
		if err := tx.NewSelect().Model(c).Where("slug = ?", slug).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("reference: find craft: %w", err)
		}
		before := *c
		v := Invalid{}
		applyCraft(v, c, in, false)
		if err := v.Err(); err != nil {
			return err
		}
		if err := updateVersioned(ctx, tx, c, "slug", slug, in.Version,
			"sector", "name_en", "name_hi", "main_centres", "gi_tag", "active"); err != nil {
			return err
		}
		c.Version++
		out = c
		return RecordAudit(ctx, tx, actor, Change{Entity: "craft", EntityID: slug, Action: "update", Before: before, After: c})
	})
	return out, err
}

func applyCraft(v Invalid, c *Craft, in CraftInput, creating bool) {
	set := func(dst *string, src *string, field string, max int) {
		if src != nil {
			*dst = *src
		}
		if creating || src != nil {
			Required(v, field, *dst)
			MaxLen(v, field, *dst, max)
		}
	}
	set(&c.Sector, in.Sector, "sector", 20)
	set(&c.NameEn, in.Name, "name", 100)
	set(&c.NameHi, in.NameHi, "name_hi", 100)
	if in.MainCentres != nil {
		c.MainCentres = *in.MainCentres
		MaxLen(v, "main_centres", c.MainCentres, 500)
	}
	if in.GITag != nil {
		c.GITag = *in.GITag
	}
	if in.Active != nil {
		c.Active = *in.Active
	}
	if c.Sector != "" && !slices.Contains(Sectors, c.Sector) {
		v.Add("sector", "reference.unknown_sector")
	}
}

// UpdateDistrict changes a district's names, codes, aliases or active flag. The slug is the
// stable key every record points at, so it never changes.
func (s *ReferenceAdmin) UpdateDistrict(ctx context.Context, actor Actor, slug string, in DistrictInput) (*District, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	var out *District
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		d := new(District)
		if err := tx.NewSelect().Model(d).Where("slug = ?", slug).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("reference: find district: %w", err)
		}
		before := *d
		v := Invalid{}
		for _, f := range []struct {
			dst   *string
			src   *string
			field string
			req   bool
		}{
			{&d.NameEn, in.Name, "name", true}, {&d.NameHi, in.NameHi, "name_hi", true},
			{&d.LGDCode, in.LGDCode, "lgd_code", false}, {&d.Census2011Code, in.Census2011Code, "census2011_code", false},
			{&d.RTOCode, in.RTOCode, "rto_code", false}, {&d.Aliases, in.Aliases, "aliases", false},
		} {
			if f.src == nil {
				continue
			}
			*f.dst = *f.src
			if f.req {
				Required(v, f.field, *f.dst)
			}
			MaxLen(v, f.field, *f.dst, 200)
		}
		if in.Active != nil {
			d.Active = *in.Active
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := updateVersioned(ctx, tx, d, "slug", slug, in.Version,
			"name_en", "name_hi", "lgd_code", "census2011_code", "rto_code", "aliases", "active"); err != nil {
			return err
		}
		d.Version++
		out = d
		return RecordAudit(ctx, tx, actor, Change{Entity: "district", EntityID: slug, Action: "update", Before: before, After: d})
	})
	return out, err
}

// updateVersioned writes columns of model where key = id only if the row still has the
// version the caller read; otherwise someone else changed it first.
func updateVersioned(ctx context.Context, tx bun.IDB, model any, key string, id any, version int64, columns ...string) error {
	res, err := tx.NewUpdate().Model(model).Column(columns...).Set("version = version + 1").
		Where("? = ? AND version = ?", bun.Ident(key), id, version).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrStale
	}
	return nil
}
