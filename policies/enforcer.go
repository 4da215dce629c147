package policies

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/util"
	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// ErrInvalidRules reports rows of casbin_rule that were skipped on load.
var ErrInvalidRules = errors.New("policies: invalid rules skipped")

// Grant is one role a user holds, in a district or StateWide.
type Grant struct {
	Role     string
	District string
}

// Enforcer answers permission questions from the rules in casbin_rule. It is safe for
// concurrent use. Answers are memoised per rule generation (see decisions), never across
// a Reload.
type Enforcer struct {
	se      *casbin.SyncedEnforcer
	adapter *Adapter
	memo    *decisions
	db      *bun.DB
	// loaded is the policy_state version the rules in memory were read at.
	loaded atomic.Int64
	// reload serialises Reload: casbin reads the rows and swaps the model in two steps,
	// so two overlapping reloads could finish with the older snapshot.
	reload sync.Mutex
}

var _ app.Authorizer = (*Enforcer)(nil)

// New seeds the default policy into an empty casbin_rule table and loads every rule. It
// fails if any stored rule is invalid, so a damaged table is noticed at startup.
func New(ctx context.Context, db *bun.DB) (*Enforcer, error) {
	if err := seedDefaults(ctx, db); err != nil {
		return nil, err
	}
	m, err := newModel()
	if err != nil {
		return nil, err
	}
	// Built without the adapter so the domain matching function is in place before the
	// first load builds the role links.
	se, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("policies: enforcer: %w", err)
	}
	// casbin v2.135 also adds this itself when the matcher contains keyMatch(r.dom, p.dom);
	// said here so the "*" grant does not hang on that heuristic.
	se.AddNamedDomainMatchingFunc("g", "keyMatch", util.KeyMatch)
	e := &Enforcer{se: se, adapter: NewAdapter(db), memo: newDecisions(), db: db}
	se.SetAdapter(e.adapter)
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// Reload rereads every rule from the database. Valid rules take effect even when it
// returns ErrInvalidRules, so a bad row elsewhere never delays a revocation; on any other
// error (database unreachable) the previous rules stay in force.
func (e *Enforcer) Reload(ctx context.Context) error {
	e.reload.Lock()
	defer e.reload.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	// Read the version before the rules: a change committed in between leaves the version
	// read older than the rules, and the next Watch tick reloads once more, harmlessly.
	version, verr := e.policyVersion(ctx)
	err := e.se.LoadPolicy()
	if err == nil && verr == nil {
		e.loaded.Store(version)
	}
	// Forget every answer even when the load failed part-way: casbin may have swapped in
	// some of the new rules already.
	e.memo.reset()
	if err != nil {
		return fmt.Errorf("policies: reload: %w", err)
	}
	if bad := e.adapter.lastInvalid(); len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidRules, strings.Join(bad, "; "))
	}
	return nil
}

// Can reports whether the user may perform action on object in district; district
// StateWide asks for the whole state. Anything unknown or malformed is a denial.
func (e *Enforcer) Can(userID int64, district, object, action string) (ok bool) {
	if e == nil || userID <= 0 || object == "" || action == "" || !validDistrict(district) {
		return false
	}
	key := Subject(userID) + "|" + district + "|" + object + "|" + action
	ok, found, gen := e.memo.lookupCan(key)
	if found {
		return ok
	}
	ok = e.enforce(Subject(userID), district, object, action)
	e.memo.storeCan(key, ok, gen)
	return ok
}

// enforce asks casbin. Authorisation fails closed: a panic inside casbin becomes a denial,
// not a 500 that a caller might treat differently.
func (e *Enforcer) enforce(sub, district, object, action string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ok, err := e.se.Enforce(sub, district, object, action)
	return err == nil && ok
}

// validDistrict admits a slug or StateWide; another "*" would be read as a pattern.
func validDistrict(d string) bool {
	return d == StateWide || (d != "" && !strings.Contains(d, "*"))
}

// Scope returns where the user may perform action on object: all districts for a
// state-wide permission, else the sorted districts where it is allowed, else nothing.
func (e *Enforcer) Scope(userID int64, object, action string) app.Scope {
	if e == nil || userID <= 0 {
		return app.Scope{}
	}
	key := Subject(userID) + "|" + object + "|" + action
	s, found, gen := e.memo.lookupScope(key)
	if found {
		return cloneScope(s)
	}
	s = e.computeScope(userID, object, action)
	e.memo.storeScope(key, s, gen)
	return cloneScope(s)
}

func (e *Enforcer) computeScope(userID int64, object, action string) app.Scope {
	if e.Can(userID, StateWide, object, action) {
		return app.AllDistricts
	}
	var ds []string
	for _, d := range e.candidateDistricts(userID) {
		if e.Can(userID, d, object, action) {
			ds = append(ds, d)
		}
	}
	return app.Scope{Districts: ds}
}

// cloneScope hands out a copy so a caller that appends to Districts cannot change the memo.
func cloneScope(s app.Scope) app.Scope {
	return app.Scope{All: s.All, Districts: slices.Clone(s.Districts)}
}

// candidateDistricts lists, sorted, every district a permission of the user could name:
// those of the user's grants, and those of p rules written for one district.
func (e *Enforcer) candidateDistricts(userID int64) []string {
	if e == nil || userID <= 0 {
		return nil
	}
	var ds []string
	if gs, err := e.se.GetFilteredNamedGroupingPolicy("g", 0, Subject(userID)); err == nil {
		for _, g := range gs {
			ds = append(ds, g[2])
		}
	}
	if ps, err := e.se.GetNamedPolicy("p"); err == nil {
		for _, p := range ps {
			ds = append(ds, p[1])
		}
	}
	slices.Sort(ds)
	ds = slices.Compact(ds)
	return slices.DeleteFunc(ds, func(d string) bool { return d == StateWide })
}

// Allowed reports whether the user may perform action on object in at least one district;
// the route middleware asks it for routes that name no district.
func (e *Enforcer) Allowed(userID int64, object, action string) bool {
	return !e.Scope(userID, object, action).Empty()
}

// Grants returns the roles the user holds, sorted by role, then district.
func (e *Enforcer) Grants(userID int64) []Grant {
	if e == nil || userID <= 0 {
		return nil
	}
	gs, err := e.se.GetFilteredNamedGroupingPolicy("g", 0, Subject(userID))
	if err != nil {
		return nil
	}
	out := make([]Grant, 0, len(gs))
	for _, g := range gs {
		out = append(out, Grant{Role: g[1], District: g[2]})
	}
	slices.SortFunc(out, func(a, b Grant) int {
		return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.District, b.District))
	})
	return out
}

// Rules returns a sorted copy of the p rules: role, domain, object, action.
func (e *Enforcer) Rules() [][]string {
	if e == nil {
		return nil
	}
	ps, err := e.se.GetNamedPolicy("p")
	if err != nil {
		return nil
	}
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p)
	}
	slices.SortFunc(out, slices.Compare)
	return out
}
