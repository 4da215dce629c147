package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// recordAudits writes n entries, every other one inside a transaction, as callers do.
func recordAudits(t *testing.T, db *bun.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		c := app.Change{Entity: "test", EntityID: fmt.Sprint(i), Action: "update", District: "jaipur",
			Before: map[string]any{"name": "कमला"}, After: map[string]any{"name": "कमला देवी", "n": i}}
		var err error
		if i%2 == 0 {
			err = app.RecordAudit(ctx, db, app.System, c)
		} else {
			err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return app.RecordAudit(ctx, tx, app.Actor{UserID: 7, Username: "dic.jaipur", IP: "10.0.0.1"}, c)
			})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verifyAudit(t *testing.T, db *bun.DB) *app.AuditVerdict {
	t.Helper()
	v, err := app.VerifyAudit(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dropAuditTriggers is what an attacker with database access would do first.
func dropAuditTriggers(t *testing.T, db *bun.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if app.IsPostgres(db) {
		stmts = []string{"DROP TRIGGER audit_log_append_only ON audit_log"}
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

// dialectOf names db's dialect as apptest does.
func dialectOf(db *bun.DB) string {
	if app.IsPostgres(db) {
		return "postgres"
	}
	return "sqlite"
}

func auditIDs(t *testing.T, db *bun.DB) []int64 {
	t.Helper()
	var ids []int64
	if err := db.NewSelect().Table("audit_log").Column("id").OrderExpr("id").Scan(context.Background(), &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestAuditChainVerifies(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		if v := verifyAudit(t, db); !v.OK() || v.Entries != 0 {
			t.Errorf("empty log: %+v", v)
		}
		recordAudits(t, db, 12)
		v := verifyAudit(t, db)
		if !v.OK() || v.Entries != 12 || v.Legacy != 0 || len(v.Head) != 64 {
			t.Errorf("verdict %+v", v)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		recordAudits(t, db, 2)
		for _, stmt := range []string{"UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log",
			"DELETE FROM audit_chain"} {
			if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", stmt, err)
			}
		}
		if app.IsPostgres(db) {
			if _, err := db.Exec("TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE allowed")
			}
		}
		if v := verifyAudit(t, db); !v.OK() || v.Entries != 2 {
			t.Errorf("after refused edits: %+v", v)
		}
	})
}

// TestAuditTamperingIsCaught edits, removes and cuts entries directly in the database, as
// someone with database access who dropped the triggers could, and finds each.
func TestAuditTamperingIsCaught(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(db *bun.DB, ids []int64) error
		brokenK int // index into ids of the entry reported
		problem string
	}{
		{"edited", func(db *bun.DB, ids []int64) error {
			_, err := db.Exec(`UPDATE audit_log SET after_json = '{"name":"someone else"}' WHERE id = ?`, ids[4])
			return err
		}, 4, "changed"},
		{"edited with its hash recomputed by hand is still not linked", func(db *bun.DB, ids []int64) error {
			_, err := db.Exec(`UPDATE audit_log SET hash = 'x', actor_name = 'nobody' WHERE id = ?`, ids[2])
			return err
		}, 2, "changed"},
		{"removed", func(db *bun.DB, ids []int64) error {
			_, err := db.Exec(`DELETE FROM audit_log WHERE id = ?`, ids[5])
			return err
		}, 6, "removed"},
		{"cut off the end", func(db *bun.DB, ids []int64) error {
			_, err := db.Exec(`DELETE FROM audit_log WHERE id >= ?`, ids[8])
			return err
		}, 7, "after this one were removed"},
	}
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				db := apptest.MustOpenDB(t, dialectOf(db))
				recordAudits(t, db, 10)
				ids := auditIDs(t, db)
				dropAuditTriggers(t, db)
				if err := c.tamper(db, ids); err != nil {
					t.Fatal(err)
				}
				v := verifyAudit(t, db)
				if v.OK() || v.BrokenAt != ids[c.brokenK] || !strings.Contains(v.Problem, c.problem) {
					t.Errorf("verdict %+v, want broken at %d (%s)", v, ids[c.brokenK], c.problem)
				}
			})
		}
	})
}

// TestAuditChainConcurrentWriters appends from many transactions at once: the chain must
// not fork (two entries chained onto the same predecessor).
func TestAuditChainConcurrentWriters(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		const writers, each = 12, 8
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					errs <- db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
						return app.RecordAudit(ctx, tx, app.System, app.Change{Entity: "test", EntityID: fmt.Sprint(w), Action: fmt.Sprint(i)})
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if v := verifyAudit(t, db); !v.OK() || v.Entries != writers*each {
			t.Errorf("verdict %+v", v)
		}
		var forks int
		if err := db.NewSelect().Table("audit_log").ColumnExpr("COUNT(*) - COUNT(DISTINCT prev_hash)").
			Scan(context.Background(), &forks); err != nil || forks != 0 {
			t.Errorf("entries sharing a predecessor: %d (%v)", forks, err)
		}
	})
}
