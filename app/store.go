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

// StoreTypes are the kinds of outlet that sell artisans' work.
var StoreTypes = []string{"rajasthali", "khadi_bhandar", "handloom_outlet", "exhibition"}

const storeObject = "store"

// Store is an emporium, khadi bhandar, handloom outlet or exhibition stall of one district,
// run by an agency. A store manager (users.store_id) works for exactly one store.
type Store struct {
	bun.BaseModel `bun:"table:stores,alias:st"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	Name      string    `bun:"name" json:"name"`
	Type      string    `bun:"type" json:"type"`
	Agency    string    `bun:"agency" json:"agency"`
	District  string    `bun:"district" json:"district"`
	Address   string    `bun:"address" json:"address"`
	Active    bool      `bun:"active" json:"active"`
	Version   int64     `bun:"version" json:"version"`
	CreatedAt time.Time `bun:"created_at" json:"-"`
	UpdatedAt time.Time `bun:"updated_at" json:"-"`
}

// StoreInput is what Create and Update take. Active nil means active on Create and
// unchanged on Update; Version must be the version read (Update only).
type StoreInput struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Agency   string `json:"agency"`
	District string `json:"district"`
	Address  string `json:"address"`
	Active   *bool  `json:"active"`
	Version  int64  `json:"version"`
}

// StoreFilter selects stores; zero fields select all in scope.
type StoreFilter struct {
	District string
	Type     string
	Active   *bool
}

// Stores manages the stores: reading needs store:read, changes store:manage, in the
// store's district. A store manager reads only the store they work for.
type Stores struct {
	DB    *bun.DB
	Authz Authorizer
}

// recordScope is where an actor may act on store-bound records: a store manager's one
// store, or otherwise the districts of their grant. A store manager is never widened to
// the district of their grant, and an empty scope still means nothing.
type recordScope struct {
	Districts Scope
	StoreID   *int64
}

// apply restricts q to rows whose store or district lies in the scope.
func (r recordScope) apply(q *bun.SelectQuery, storeColumn, districtColumn string) *bun.SelectQuery {
	if r.Districts.Empty() {
		return q.Where("1 = 0")
	}
	if r.StoreID != nil {
		return q.Where("? = ?", bun.Ident(storeColumn), *r.StoreID)
	}
	return r.Districts.Apply(q, districtColumn)
}

// includes reports whether a store of district lies in the scope.
func (r recordScope) includes(storeID int64, district string) bool {
	if r.Districts.Empty() {
		return false
	}
	if r.StoreID != nil {
		return *r.StoreID == storeID
	}
	return r.Districts.Includes(district)
}

// storeScope returns the actor's scope for action on object, reading users.store_id.
func storeScope(ctx context.Context, db bun.IDB, authz Authorizer, actor Actor, object, action string) (recordScope, error) {
	if actor.system {
		return recordScope{Districts: AllDistricts}, nil
	}
	r := recordScope{Districts: authz.Scope(actor.UserID, object, action)}
	if r.Districts.Empty() {
		return r, nil
	}
	var storeID sql.NullInt64
	err := db.NewSelect().Table("users").Column("store_id").Where("id = ?", actor.UserID).Scan(ctx, &storeID)
	if errors.Is(err, sql.ErrNoRows) {
		return recordScope{}, nil
	}
	if err != nil {
		return recordScope{}, fmt.Errorf("stores: actor's store: %w", err)
	}
	if storeID.Valid {
		id := storeID.Int64
		r.StoreID = &id
	}
	return r, nil
}

func (s *Stores) scope(ctx context.Context, db bun.IDB, actor Actor, action string) (recordScope, error) {
	return storeScope(ctx, db, s.Authz, actor, storeObject, action)
}

// Create adds a store.
func (s *Stores) Create(ctx context.Context, actor Actor, in StoreInput) (*Store, error) {
	sc, err := s.scope(ctx, s.DB, actor, "manage")
	if err != nil {
		return nil, err
	}
	if sc.Districts.Empty() {
		return nil, ErrForbidden
	}
	in.normalize()
	if err := validateStore(ctx, s.DB, &in); err != nil {
		return nil, err
	}
	if sc.StoreID != nil || !sc.Districts.Includes(in.District) {
		return nil, ErrForbidden
	}
	now := Now()
	st := &Store{Active: in.Active == nil || *in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	in.applyTo(st)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(st).Exec(ctx); err != nil {
			return fmt.Errorf("stores: insert: %w", err)
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: storeObject, EntityID: idString(st.ID),
			Action: "create", District: st.District, After: st})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Update changes a store under optimistic locking. It may not move to another district
// once it has sales, whose district and month close follow the store's district.
func (s *Stores) Update(ctx context.Context, actor Actor, id int64, in StoreInput) (*Store, error) {
	in.normalize()
	var out *Store
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		sc, err := s.scope(ctx, tx, actor, "manage")
		if err != nil {
			return err
		}
		if sc.StoreID != nil || !sc.Districts.Includes(cur.District) {
			return ErrForbidden
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		if err := validateStore(ctx, tx, &in); err != nil {
			return err
		}
		if in.District != cur.District {
			if !sc.Districts.Includes(in.District) {
				return ErrForbidden
			}
			n, err := tx.NewSelect().Table("sales").Where("store_id = ?", id).Count(ctx)
			if err != nil {
				return fmt.Errorf("stores: sales: %w", err)
			}
			if n > 0 {
				return Invalid{"district": Msg("store.has_sales")}.Err()
			}
		}
		next := *cur
		in.applyTo(&next)
		if in.Active != nil {
			next.Active = *in.Active
		}
		next.UpdatedAt = Now()
		if err := updateVersioned(ctx, tx, &next, "id", id, cur.Version, "name", "type", "agency", "district", "address", "active", "updated_at"); err != nil {
			return err
		}
		next.Version++
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: storeObject, EntityID: idString(id),
			Action: "update", District: next.District, Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns one store in the actor's read scope.
func (s *Stores) Get(ctx context.Context, actor Actor, id int64) (*Store, error) {
	return s.find(ctx, s.DB, actor, id)
}

// List returns the stores in the actor's read scope by district and name.
func (s *Stores) List(ctx context.Context, actor Actor, f StoreFilter) ([]Store, error) {
	sc, err := s.scope(ctx, s.DB, actor, "read")
	if err != nil {
		return nil, err
	}
	out := []Store{}
	q := sc.apply(s.DB.NewSelect().Model(&out), "st.id", "st.district")
	if f.District != "" {
		q = q.Where("st.district = ?", f.District)
	}
	if f.Type != "" {
		q = q.Where("st.type = ?", f.Type)
	}
	if f.Active != nil {
		q = q.Where("st.active = ?", *f.Active)
	}
	if err := q.OrderExpr("st.district, st.name, st.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("stores: list: %w", err)
	}
	return out, nil
}

func (s *Stores) find(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Store, error) {
	sc, err := s.scope(ctx, db, actor, "read")
	if err != nil {
		return nil, err
	}
	st := new(Store)
	err = sc.apply(db.NewSelect().Model(st), "st.id", "st.district").Where("st.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("stores: find: %w", err)
	}
	return st, nil
}

func (in *StoreInput) normalize() {
	in.Name = artisanCleanText(in.Name)
	in.Type = strings.ToLower(strings.TrimSpace(in.Type))
	in.Agency = strings.ToLower(strings.TrimSpace(in.Agency))
	in.District = strings.ToLower(strings.TrimSpace(in.District))
	in.Address = strings.TrimSpace(in.Address)
}

func (in *StoreInput) applyTo(st *Store) {
	st.Name, st.Type, st.Agency, st.District, st.Address = in.Name, in.Type, in.Agency, in.District, in.Address
}

func validateStore(ctx context.Context, db bun.IDB, in *StoreInput) error {
	v := Invalid{}
	Required(v, "name", in.Name)
	MaxLen(v, "name", in.Name, 200)
	artisanChoice(v, "type", in.Type, StoreTypes)
	MaxLen(v, "address", in.Address, 500)
	Required(v, "agency", in.Agency)
	if in.Agency != "" {
		n, err := db.NewSelect().Table("agencies").Where("slug = ?", in.Agency).Count(ctx)
		if err != nil {
			return fmt.Errorf("stores: agency: %w", err)
		}
		if n == 0 {
			v.Add("agency", "store.unknown_agency")
		}
	}
	Required(v, "district", in.District)
	if in.District != "" {
		n, err := db.NewSelect().Model((*District)(nil)).Where("slug = ? AND active = ?", in.District, true).Count(ctx)
		if err != nil {
			return fmt.Errorf("stores: district: %w", err)
		}
		if n == 0 {
			v.Add("district", artisanKeyUnknownDist)
		}
	}
	return v.Err()
}
