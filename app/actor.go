package app

import "context"

// Actor is the signed-in user on whose behalf a service acts. Every change is recorded
// against an Actor; the zero Actor is nobody and is granted nothing.
type Actor struct {
	UserID    int64
	Username  string
	Name      string
	SessionID string
	Lang      string
	IP        string

	system bool // set only on System: the binary acting for itself, never a request
}

// System is the actor for changes made by the binary itself (seeding, bootstrap).
var System = Actor{Username: "system", Name: "system", system: true}

// Authorizer answers what an actor may do. policies.Enforcer implements it; app uses it to
// turn a permission into a district filter inside every query.
type Authorizer interface {
	// Can reports whether the user may perform action on object in district ("*" = any).
	Can(userID int64, district, object, action string) bool
	// Scope returns the districts in which the user may perform action on object.
	Scope(userID int64, object, action string) Scope
	// Reload rereads the rules after a change to roles or policy.
	Reload(ctx context.Context) error
}
