package app

import "github.com/uptrace/bun"

// Scope is the set of districts an actor may touch for one action. Its zero value means
// nothing: a missing or unknown scope must fail closed, never open.
type Scope struct {
	All       bool
	Districts []string
}

// AllDistricts is the scope of a state-wide grant.
var AllDistricts = Scope{All: true}

// Includes reports whether district lies inside the scope.
func (s Scope) Includes(district string) bool {
	if s.All {
		return true
	}
	for _, d := range s.Districts {
		if d == district {
			return true
		}
	}
	return false
}

// Empty reports whether the scope grants no district at all.
func (s Scope) Empty() bool { return !s.All && len(s.Districts) == 0 }

// Apply restricts q to rows whose column lies in the scope; an empty scope yields no rows.
func (s Scope) Apply(q *bun.SelectQuery, column string) *bun.SelectQuery {
	switch {
	case s.All:
		return q
	case len(s.Districts) == 0:
		return q.Where("1 = 0")
	default:
		return q.Where("? IN (?)", bun.Ident(column), bun.In(s.Districts))
	}
}
