package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// The audit log is a hash chain. Each entry stores the hash of the entry before it
// (prev_hash) and its own hash over a canonical form of its fields including prev_hash,
// so editing or removing an entry in the database breaks the link to the next one. The
// one-row audit_chain table holds the chain's head (the last hash), so entries cut off the
// end show too. Appends lock that row for the rest of the transaction: two writers never
// chain onto the same entry. Entries written before the chain existed (up to start_id) are
// not covered.

// auditChainHead is the one row that records where the chain starts and ends.
type auditChainHead struct {
	bun.BaseModel `bun:"table:audit_chain"`

	ID       int64  `bun:"id,pk"`
	StartID  int64  `bun:"start_id"`
	LastHash string `bun:"last_hash"`
}

// appendAudit chains entries onto the log and inserts them in the caller's transaction;
// called with no transaction it opens one, because the head's lock must last until the
// entries are committed.
func appendAudit(ctx context.Context, db bun.IDB, entries ...*AuditEntry) error {
	switch db.(type) {
	case bun.Tx, *bun.Tx:
	default:
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return appendAudit(ctx, tx, entries...)
		})
	}
	head, err := lockAuditHead(ctx, db)
	if err != nil {
		return err
	}
	prev := head.LastHash
	for _, e := range entries {
		e.PrevHash = prev
		e.Hash = e.chainHash()
		prev = e.Hash
	}
	for chunk := range slices.Chunk(entries, 1000) {
		if _, err := db.NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
	}
	if _, err := db.NewUpdate().Model((*auditChainHead)(nil)).Set("last_hash = ?", prev).
		Where("id = 1").Exec(ctx); err != nil {
		return fmt.Errorf("audit: move chain head: %w", err)
	}
	return nil
}

// lockAuditHead reads the chain's head, locking it on PostgreSQL until the transaction
// ends. SQLite needs no lock: every write transaction there holds the one database write
// lock from BEGIN (OpenDB's _txlock=immediate).
func lockAuditHead(ctx context.Context, tx bun.IDB) (*auditChainHead, error) {
	head := new(auditChainHead)
	q := tx.NewSelect().Model(head).Where("id = 1")
	if IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit: read chain head: %w", err)
	}
	return head, nil
}

// chainHash is the SHA-256 of the entry's canonical form: a JSON array of its fields in a
// fixed order, the time in UTC with nanoseconds. The id is left out (it is assigned by the
// database on insert); the order of entries is fixed by the links themselves.
func (e *AuditEntry) chainHash() string {
	var actorID any
	if e.ActorID != nil {
		actorID = *e.ActorID
	}
	b, err := json.Marshal([]any{"audit/v1", e.At.UTC().Format(time.RFC3339Nano), actorID, e.ActorName,
		e.Entity, e.EntityID, e.Action, e.District, e.Before, e.After, e.IP, e.PrevHash})
	if err != nil { // strings and an integer always marshal
		panic(fmt.Sprintf("audit: canonical form: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AuditVerdict is what verifying the chain found.
type AuditVerdict struct {
	Entries  int    // chained entries checked
	Legacy   int64  // entries from before the chain began, not covered
	Head     string // hash of the last entry: note it somewhere else to anchor the log
	BrokenAt int64  // id of the first entry whose link or hash does not hold; 0 when none
	Problem  string // what is wrong there
}

// OK reports whether the whole chain holds.
func (v *AuditVerdict) OK() bool { return v.Problem == "" }

// VerifyAudit walks the chain in id order and reports the first broken link: an entry
// whose stored hash does not match its fields (edited), or whose prev_hash is not the hash
// of the entry before it (an entry removed or edited before it), or a head that records
// entries after the last one (entries removed from the end).
func VerifyAudit(ctx context.Context, db bun.IDB) (*AuditVerdict, error) {
	head := new(auditChainHead)
	if err := db.NewSelect().Model(head).Where("id = 1").Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit: verify: read chain head: %w", err)
	}
	v := &AuditVerdict{}
	legacy, err := db.NewSelect().Model((*AuditEntry)(nil)).Where("id <= ?", head.StartID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: verify: count: %w", err)
	}
	v.Legacy = legacy
	prev, after := "", head.StartID
	for {
		var page []AuditEntry
		if err := db.NewSelect().Model(&page).Where("id > ?", after).OrderExpr("id").Limit(1000).Scan(ctx); err != nil {
			return nil, fmt.Errorf("audit: verify: read: %w", err)
		}
		for i := range page {
			e := &page[i]
			switch {
			case e.PrevHash != prev:
				v.BrokenAt, v.Problem = e.ID, "the entry before it was removed or changed"
			case e.chainHash() != e.Hash:
				v.BrokenAt, v.Problem = e.ID, "the entry was changed after it was written"
			}
			if !v.OK() {
				return v, nil
			}
			prev, after = e.Hash, e.ID
			v.Entries++
		}
		if len(page) < 1000 {
			break
		}
	}
	v.Head = prev
	if head.LastHash != prev {
		v.BrokenAt, v.Problem = after, "entries after this one were removed"
	}
	return v, nil
}
