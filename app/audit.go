package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// AuditEntry is one change: who, when, what, and the record before and after.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	At        time.Time `bun:"at" json:"at"`
	ActorID   *int64    `bun:"actor_id" json:"actor_id"`
	ActorName string    `bun:"actor_name" json:"actor"`
	Entity    string    `bun:"entity" json:"entity"`
	EntityID  string    `bun:"entity_id" json:"entity_id"`
	Action    string    `bun:"action" json:"action"`
	District  string    `bun:"district" json:"district,omitempty"`
	Before    string    `bun:"before_json" json:"-"`
	After     string    `bun:"after_json" json:"-"`
	IP        string    `bun:"ip" json:"ip,omitempty"`
	PrevHash  string    `bun:"prev_hash" json:"-"`
	Hash      string    `bun:"hash" json:"-"`
}

// MarshalJSON shows the before and after records as JSON objects, not as strings of JSON.
func (e AuditEntry) MarshalJSON() ([]byte, error) {
	type plain AuditEntry // no methods, so no recursion
	return json.Marshal(struct {
		plain
		Before json.RawMessage `json:"before,omitempty"`
		After  json.RawMessage `json:"after,omitempty"`
	}{plain(e), rawOrNil(e.Before), rawOrNil(e.After)})
}

func rawOrNil(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// Change describes one audited change. Before and After are marshalled to JSON; callers pass
// the record's public view, so secrets (password hashes, Aadhaar) never reach the log.
type Change struct {
	Entity   string
	EntityID string
	Action   string
	District string
	Before   any
	After    any
}

// RecordAudit writes the change inside the caller's transaction, so a change and its audit
// entry commit or fail together. The entry is chained onto the log (audit_chain.go).
func RecordAudit(ctx context.Context, tx bun.IDB, actor Actor, c Change) error {
	e := &AuditEntry{
		At: Now(), ActorName: actor.Username, Entity: c.Entity, EntityID: c.EntityID,
		Action: c.Action, District: c.District, IP: actor.IP,
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	var err error
	if e.Before, err = marshalAudit(c.Before); err != nil {
		return err
	}
	if e.After, err = marshalAudit(c.After); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, e); err != nil {
		return fmt.Errorf("audit: record %s %s: %w", c.Entity, c.Action, err)
	}
	return nil
}

func marshalAudit(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: marshal: %w", err)
	}
	return string(b), nil
}

// MaxPageSize is the most rows one page of any list returns.
const MaxPageSize = 500

// AuditFilter selects audit entries; zero fields select everything in scope.
type AuditFilter struct {
	Entity   string
	EntityID string
	ActorID  int64
	Actor    string    // the actor's username, as the entry names it
	From, To time.Time // entries at or after From and before To; zero means unbounded
	BeforeID int64     // keyset cursor: entries older than this id
	Limit    int
}

// Audit reads the audit log.
type Audit struct {
	DB    *bun.DB
	Authz Authorizer
}

// List returns a page of entries newest first within the actor's audit scope, and the
// cursor of the next page (0 when this is the last). Entries that belong to no district
// (users, policy) are visible only to a state-wide scope.
func (s *Audit) List(ctx context.Context, actor Actor, f AuditFilter) ([]AuditEntry, int64, error) {
	scope := s.Authz.Scope(actor.UserID, "audit", "read")
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 100
	}
	var out []AuditEntry
	q := s.DB.NewSelect().Model(&out).OrderExpr("id DESC").Limit(int64(f.Limit) + 1)
	q = scope.Apply(q, "district")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Actor != "" {
		q = q.Where("actor_name = ?", f.Actor)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
		return out, out[f.Limit-1].ID, nil
	}
	return out, 0, nil
}
