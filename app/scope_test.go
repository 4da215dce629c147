package app_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// TestScopeApplyFailsClosed checks the filter every list and count goes through: the zero
// scope yields no rows at all, never every row.
func TestScopeApplyFailsClosed(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		for _, d := range []string{"jaipur", "jaipur", "jodhpur", "ajmer", ""} {
			if err := app.RecordAudit(ctx, db, app.System, app.Change{Entity: "test", EntityID: "1", Action: "x", District: d}); err != nil {
				t.Fatal(err)
			}
		}
		count := func(s app.Scope) int {
			q := s.Apply(db.NewSelect().Model((*app.AuditEntry)(nil)), "district")
			n, err := q.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		cases := []struct {
			scope app.Scope
			want  int
		}{
			{app.Scope{}, 0},
			{app.Scope{Districts: []string{}}, 0},
			{app.Scope{Districts: []string{"jaipur"}}, 2},
			{app.Scope{Districts: []string{"jaipur", "ajmer"}}, 3},
			{app.Scope{Districts: []string{"udaipur"}}, 0},
			{app.AllDistricts, 5},
		}
		for _, c := range cases {
			if got := count(c.scope); got != c.want {
				t.Errorf("%+v: %d rows, want %d", c.scope, got, c.want)
			}
		}
		if (app.Scope{}).Includes("jaipur") || !app.AllDistricts.Includes("jaipur") || !(app.Scope{Districts: []string{"ajmer"}}).Includes("ajmer") {
			t.Error("Includes disagrees with Apply")
		}
	})
}
