package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// User is a person who signs in. Password hashes never leave this package's structs in JSON.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID                int64     `bun:"id,pk,autoincrement"`
	Username          string    `bun:"username"`
	Name              string    `bun:"name"`
	PasswordHash      string    `bun:"password_hash"`
	Lang              string    `bun:"lang"`
	Active            bool      `bun:"active"`
	StoreID           *int64    `bun:"store_id"`
	PasswordChangedAt time.Time `bun:"password_changed_at"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
	Version           int64     `bun:"version"`
}

// UserView is what the API and the audit log show of a user.
type UserView struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Districts []string  `json:"districts"`
	StoreID   *int64    `json:"store_id"`
	Active    bool      `json:"active"`
	Lang      string    `json:"lang"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

func viewOf(u *User, grants []Grant) UserView {
	v := UserView{ID: u.ID, Username: u.Username, Name: u.Name, StoreID: u.StoreID, Active: u.Active,
		Lang: u.Lang, Version: u.Version, CreatedAt: u.CreatedAt, Districts: []string{}}
	for _, g := range grants {
		v.Role = g.Role
		v.Districts = append(v.Districts, g.District)
	}
	return v
}

// NewUser is the input of Users.Create.
type NewUser struct {
	Username  string   `json:"username"`
	Password  string   `json:"password"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Districts []string `json:"districts"`
	StoreID   *int64   `json:"store_id"`
}

// UserUpdate changes a user; nil fields stay as they are. Version must be the one read.
type UserUpdate struct {
	Name      *string   `json:"name"`
	Password  *string   `json:"password"`
	Role      *string   `json:"role"`
	Districts *[]string `json:"districts"`
	StoreID   *int64    `json:"store_id"`
	Active    *bool     `json:"active"`
	Lang      *string   `json:"lang"`
	Version   int64     `json:"version"`
}

// Users manages accounts and their role grants.
type Users struct {
	DB    *bun.DB
	Authz Authorizer
}

var errUsernameTaken = &Error{Code: EINVALID, Message: Msg("error.invalid"),
	Fields: map[string]Message{"username": Msg("user.username_taken")}}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// Create adds a user with one role in the given districts.
func (s *Users) Create(ctx context.Context, actor Actor, in NewUser) (*UserView, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	v := Invalid{}
	if !usernamePattern.MatchString(in.Username) {
		v.Add("username", "user.username_invalid")
	}
	if len(in.Password) < MinPasswordLength {
		v.Add("password", "user.password_too_short", "min", strconv.Itoa(MinPasswordLength))
	}
	Required(v, "name", in.Name)
	MaxLen(v, "name", in.Name, 100)
	districts, err := s.checkGrant(ctx, s.DB, v, in.Role, in.Districts, in.StoreID)
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := Now()
	u := &User{Username: in.Username, Name: in.Name, PasswordHash: hash, Lang: "en", Active: true,
		StoreID: in.StoreID, PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
	var view UserView
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*User)(nil)).Where("username = ?", u.Username).Count(ctx)
		if err != nil {
			return fmt.Errorf("users: check username: %w", err)
		}
		if n > 0 {
			return errUsernameTaken
		}
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			if IsUniqueViolation(err) {
				return errUsernameTaken
			}
			return fmt.Errorf("users: insert: %w", err)
		}
		if err := replaceGrants(ctx, tx, u.ID, in.Role, districts); err != nil {
			return err
		}
		view = viewOf(u, grantsOf(in.Role, districts))
		return RecordAudit(ctx, tx, actor, Change{Entity: "user", EntityID: idString(u.ID), Action: "create", After: view})
	})
	if err != nil {
		return nil, err
	}
	return &view, s.Authz.Reload(ctx)
}

// List returns every user with their grants, by username.
func (s *Users) List(ctx context.Context, actor Actor) ([]UserView, error) {
	if !s.Authz.Can(actor.UserID, AllDistrictsDomain, "user", "read") {
		return nil, ErrForbidden
	}
	return s.ListAll(ctx)
}

// Get returns one user.
func (s *Users) Get(ctx context.Context, actor Actor, id int64) (*UserView, error) {
	if id != actor.UserID && !s.Authz.Can(actor.UserID, AllDistrictsDomain, "user", "read") {
		return nil, ErrNotFound
	}
	u, err := findUser(ctx, s.DB, "id = ?", id)
	if err != nil {
		return nil, err
	}
	grants, err := userGrants(ctx, s.DB, u.ID)
	if err != nil {
		return nil, err
	}
	v := viewOf(u, grants)
	return &v, nil
}

// Update changes a user under optimistic locking. A new password or deactivation ends every
// session of the user at once.
func (s *Users) Update(ctx context.Context, actor Actor, id int64, upd UserUpdate) (*UserView, error) {
	if err := s.mayManage(actor); err != nil {
		return nil, err
	}
	var view UserView
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := findUser(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		grants, err := userGrants(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		before := viewOf(u, grants)
		if upd.Version != u.Version {
			return ErrStale
		}
		endSessions, newGrants, err := s.apply(ctx, tx, u, before, upd)
		if err != nil {
			return err
		}
		u.UpdatedAt = Now()
		res, err := tx.NewUpdate().Model(u).
			Column("name", "password_hash", "password_changed_at", "active", "store_id", "lang", "updated_at").
			Set("version = version + 1").Where("id = ? AND version = ?", u.ID, upd.Version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("users: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrStale
		}
		u.Version++
		if newGrants != nil {
			if err := replaceGrants(ctx, tx, u.ID, newGrants[0].Role, districtsOf(newGrants)); err != nil {
				return err
			}
			grants = newGrants
		}
		if endSessions {
			if err := revokeUserSessions(ctx, tx, u.ID, "account_changed"); err != nil {
				return err
			}
		}
		view = viewOf(u, grants)
		return RecordAudit(ctx, tx, actor, Change{Entity: "user", EntityID: idString(u.ID), Action: "update", Before: before, After: view})
	})
	if err != nil {
		return nil, err
	}
	return &view, s.Authz.Reload(ctx)
}

// apply validates upd and copies it onto u. It reports whether sessions must end and, when
// the role or districts change, the new grants.
func (s *Users) apply(ctx context.Context, tx bun.IDB, u *User, before UserView, upd UserUpdate) (bool, []Grant, error) {
	v := Invalid{}
	endSessions := false
	if upd.Name != nil {
		Required(v, "name", *upd.Name)
		MaxLen(v, "name", *upd.Name, 100)
		u.Name = *upd.Name
	}
	if upd.Lang != nil {
		if *upd.Lang != "en" && *upd.Lang != "hi" {
			v.Add("lang", "validation.lang")
		}
		u.Lang = *upd.Lang
	}
	if upd.Password != nil {
		if len(*upd.Password) < MinPasswordLength {
			v.Add("password", "user.password_too_short", "min", strconv.Itoa(MinPasswordLength))
		} else {
			hash, err := HashPassword(*upd.Password)
			if err != nil {
				return false, nil, err
			}
			u.PasswordHash, u.PasswordChangedAt, endSessions = hash, Now(), true
		}
	}
	if upd.Active != nil {
		endSessions = endSessions || (u.Active && !*upd.Active)
		u.Active = *upd.Active
	}
	if upd.StoreID != nil {
		u.StoreID = upd.StoreID
	}
	var grants []Grant
	if upd.Role != nil || upd.Districts != nil {
		role, districts := before.Role, before.Districts
		if upd.Role != nil {
			role = *upd.Role
		}
		if upd.Districts != nil {
			districts = *upd.Districts
		}
		checked, err := s.checkGrant(ctx, tx, v, role, districts, u.StoreID)
		if err != nil {
			return false, nil, err
		}
		grants = grantsOf(role, checked)
	}
	return endSessions, grants, v.Err()
}

// checkGrant validates a role and its districts against the roles table and returns the
// districts to grant: "*" for a state-wide role.
func (s *Users) checkGrant(ctx context.Context, db bun.IDB, v Invalid, role string, districts []string, storeID *int64) ([]string, error) {
	var r Role
	err := db.NewSelect().Model(&r).Where("slug = ?", role).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add("role", "user.unknown_role")
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("users: role: %w", err)
	}
	switch r.ScopeKind {
	case "state":
		if len(districts) > 1 || (len(districts) == 1 && districts[0] != AllDistrictsDomain) {
			v.Add("districts", "user.state_role_no_district")
		}
		return []string{AllDistrictsDomain}, nil
	case "store":
		if storeID == nil || *storeID <= 0 {
			v.Add("store_id", "user.store_required")
		}
		if len(districts) != 1 {
			v.Add("districts", "user.district_required")
		}
	default:
		if len(districts) == 0 {
			v.Add("districts", "user.district_required")
		}
	}
	for _, d := range districts {
		n, err := db.NewSelect().Model((*District)(nil)).Where("slug = ?", d).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("users: district: %w", err)
		}
		if n == 0 {
			v.Add("districts", "user.unknown_district", "district", d)
		}
	}
	return districts, nil
}

func (s *Users) mayManage(actor Actor) error {
	if actor.system || s.Authz.Can(actor.UserID, AllDistrictsDomain, "user", "manage") {
		return nil
	}
	return ErrForbidden
}

func findUser(ctx context.Context, db bun.IDB, where string, arg any) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("users: find: %w", err)
	}
	return u, nil
}

func grantsOf(role string, districts []string) []Grant {
	out := make([]Grant, 0, len(districts))
	for _, d := range districts {
		out = append(out, Grant{Role: role, District: d})
	}
	return out
}

func districtsOf(grants []Grant) []string {
	out := make([]string, 0, len(grants))
	for _, g := range grants {
		out = append(out, g.District)
	}
	return out
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
