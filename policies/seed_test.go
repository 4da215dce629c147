package policies_test

import (
	"context"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

func countRules(t *testing.T, db *bun.DB, ptype string) int {
	t.Helper()
	var n int
	if err := db.NewRaw("SELECT COUNT(*) FROM casbin_rule WHERE ptype = ?", ptype).Scan(context.Background(), &n); err != nil {
		t.Fatalf("count %s rules: %v", ptype, err)
	}
	return n
}

func defaultRuleCount() int {
	n := 0
	for _, p := range vocabulary {
		n += len(p.roles)
	}
	return n
}

func TestSeedOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		want := defaultRuleCount()
		for i := range 2 {
			if _, err := policies.New(ctx, db); err != nil {
				t.Fatalf("New #%d: %v", i+1, err)
			}
			if n := countRules(t, db, "p"); n != want {
				t.Errorf("after New #%d: %d p rows, want %d", i+1, n, want)
			}
		}

		// An admin's change to the policy belongs to the table, not to policy.csv.
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = 'auditor' AND v2 = 'audit'")
		grant(t, db, auditor, "auditor", "*")
		e, err := policies.New(ctx, db)
		if err != nil {
			t.Fatalf("New after change: %v", err)
		}
		if n := countRules(t, db, "p"); n != want-1 {
			t.Errorf("after New over a changed policy: %d p rows, want %d", n, want-1)
		}
		if e.Can(auditor, "*", "audit", "read") {
			t.Errorf("removed rule came back on New")
		}
		if !e.Can(auditor, "*", "artisan", "read") {
			t.Errorf("auditor lost other rules")
		}
	})
}

// TestSeedConcurrent starts several enforcers at once on an empty table, as several app
// instances would on a fresh PostgreSQL database.
func TestSeedConcurrent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := policies.New(context.Background(), db); err != nil {
					t.Errorf("concurrent New: %v", err)
				}
			}()
		}
		wg.Wait()
		if n, want := countRules(t, db, "p"), defaultRuleCount(); n != want {
			t.Errorf("%d p rows after concurrent seeding, want %d", n, want)
		}
	})
}
