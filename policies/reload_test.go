package policies_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

func exec(t *testing.T, db *bun.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func reload(t *testing.T, e *policies.Enforcer) {
	t.Helper()
	if err := e.Reload(context.Background()); err != nil {
		t.Fatalf("Reload: %v", err)
	}
}

func TestReloadRevokesAtOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)

		// A district taken from a user with two.
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'g' AND v0 = ? AND v2 = ?", policies.Subject(entryTwo), "jodhpur")
		reload(t, e)
		if e.Can(entryTwo, "jodhpur", "artisan", "read") {
			t.Errorf("data entry still reads jodhpur after the grant was removed")
		}
		if !e.Can(entryTwo, "jaipur", "artisan", "read") {
			t.Errorf("data entry lost jaipur with jodhpur")
		}
		if s := e.Scope(entryTwo, "artisan", "read"); !slices.Equal(s.Districts, []string{"jaipur"}) || s.All {
			t.Errorf("Scope after revoke = %+v, want [jaipur]", s)
		}

		// The state-wide role taken away.
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'g' AND v0 = ?", policies.Subject(stateAdmin))
		reload(t, e)
		if e.Can(stateAdmin, "*", "self", "read") || e.Can(stateAdmin, "jaipur", "artisan", "read") {
			t.Errorf("former state admin still allowed")
		}
		if !e.Scope(stateAdmin, "artisan", "read").Empty() || len(e.Grants(stateAdmin)) != 0 {
			t.Errorf("former state admin still has a scope or grants")
		}

		// A permission taken from a role.
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = ? AND v2 = ? AND v3 = ?", "dic_officer", "artisan", "verify")
		reload(t, e)
		if e.Can(dicJaipur, "jaipur", "artisan", "verify") {
			t.Errorf("dic officer still verifies after the rule was removed")
		}
		if !e.Can(dicJaipur, "jaipur", "artisan", "read") {
			t.Errorf("dic officer lost an unrelated permission")
		}

		// And a new grant takes effect too.
		grant(t, db, unknownUser, "auditor", "*")
		reload(t, e)
		if !e.Can(unknownUser, "barmer", "artisan", "read") {
			t.Errorf("new auditor grant not applied by Reload")
		}
	})
}

func TestInvalidRows(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		exec(t, db, "INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, 'dic_officer', '')", policies.Subject(7))
		exec(t, db, "INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, 'dic_officer', 'jai*')", policies.Subject(8))
		exec(t, db, "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES ('g', ?, 'auditor', '*', 'x')", policies.Subject(9))
		exec(t, db, "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) VALUES ('p', 'data_entry', '', 'month', 'reopen')")
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'g' AND v0 = ?", policies.Subject(dicJaipur))

		err := e.Reload(context.Background())
		if !errors.Is(err, policies.ErrInvalidRules) {
			t.Fatalf("Reload with invalid rows = %v, want ErrInvalidRules", err)
		}
		t.Logf("Reload: %v", err)
		for _, id := range []int64{7, 8, 9} {
			if !e.Scope(id, "artisan", "read").Empty() || len(e.Grants(id)) != 0 {
				t.Errorf("user %d got something from an invalid row", id)
			}
		}
		if e.Can(entryTwo, "jaipur", "month", "reopen") {
			t.Errorf("an invalid p rule was loaded")
		}
		// The valid rows still load: the revocation beside the bad rows takes effect.
		if e.Can(dicJaipur, "jaipur", "artisan", "read") {
			t.Errorf("revocation ignored because of unrelated invalid rows")
		}
		if !e.Can(auditor, "jaipur", "artisan", "read") {
			t.Errorf("valid grants lost because of invalid rows")
		}
		// At startup the same rows are fatal, so a damaged table is noticed.
		if _, err := policies.New(context.Background(), db); !errors.Is(err, policies.ErrInvalidRules) {
			t.Errorf("New with invalid rows = %v, want ErrInvalidRules", err)
		}
	})
}

func TestReloadCancelled(t *testing.T) {
	db := apptest.MustOpenDB(t, "sqlite")
	e := setup(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.Reload(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Reload with a cancelled context = %v", err)
	}
	if !e.Can(stateAdmin, "*", "self", "read") {
		t.Errorf("a cancelled Reload dropped the rules")
	}
}

// TestConcurrentChecksAndReloads is for the race detector: checks run while rules reload.
func TestConcurrentChecksAndReloads(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if !e.Can(auditor, districts[i%len(districts)], "artisan", "read") {
						t.Errorf("auditor denied during reload")
						return
					}
					if e.Can(dicJaipur, "jodhpur", "artisan", "verify") {
						t.Errorf("dic officer allowed in jodhpur during reload")
						return
					}
					e.Scope(entryTwo, "artisan", "read")
					e.Grants(entryTwo)
				}
			}()
		}
		for range 20 {
			if err := e.Reload(context.Background()); err != nil {
				t.Errorf("Reload: %v", err)
			}
		}
		close(stop)
		wg.Wait()
	})
}

// TestMemoisedAllowIsForgottenOnReload warms the decision memo first, so the revocation is
// tested against a remembered "allow", the case a cached enforcer gets wrong.
func TestMemoisedAllowIsForgottenOnReload(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		for range 3 {
			if !e.Can(dicJaipur, "jaipur", "artisan", "verify") || e.Scope(dicJaipur, "artisan", "verify").Empty() {
				t.Fatal("dic officer cannot verify in jaipur before the change")
			}
		}
		exec(t, db, "DELETE FROM casbin_rule WHERE ptype = 'g' AND v0 = ?", policies.Subject(dicJaipur))
		reload(t, e)
		if e.Can(dicJaipur, "jaipur", "artisan", "verify") || !e.Scope(dicJaipur, "artisan", "verify").Empty() {
			t.Error("a remembered allow survived the reload")
		}
		// A scope handed out is a copy: changing it does not change the next answer.
		s := e.Scope(entryTwo, "artisan", "read")
		s.Districts[0] = "ajmer"
		if again := e.Scope(entryTwo, "artisan", "read"); again.Districts[0] == "ajmer" {
			t.Error("Scope returned the memo's own slice")
		}
	})
}
