package app_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// queryCounter counts the queries a bun.DB runs.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestSchemeStats counts a fixture of five enrolments in one scheme, four in Jaipur at
// every status and one applied in Jodhpur: the admin counts all of them, the Jaipur DIC
// officer only Jaipur's, the Jodhpur one only Jodhpur's.
func TestSchemeStats(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		e.scheme("stats-grant", nil)
		step := func(en *app.Enrolment, who, action string, in app.EnrolmentStep) *app.Enrolment {
			t.Helper()
			in.Version = en.Version
			out, err := e.enrol.Step(ctx, e.actor(who), en.ID, action, in)
			if err != nil {
				t.Fatalf("%s %d: %v", action, en.ID, err)
			}
			return out
		}
		enrol := func(name, mobile, district string) *app.Enrolment {
			t.Helper()
			in := artInput(name, mobile)
			in.District = district
			if district == "jodhpur" {
				in.PINCode, in.Tehsil, in.Village = "342001", "Jodhpur", "Jodhpur"
			}
			a := e.approved(in)
			en, err := e.apply("admin", a.ID, "stats-grant")
			if err != nil {
				t.Fatal(err)
			}
			return en
		}
		enrol("Applied One", "9829000001", "jaipur")
		step(enrol("Verified One", "9829000002", "jaipur"), "dic.jaipur", "verify", app.EnrolmentStep{})
		sanctioned := step(enrol("Sanctioned One", "9829000003", "jaipur"), "dic.jaipur", "verify", app.EnrolmentStep{})
		sanctioned = step(sanctioned, "board", "sanction", app.EnrolmentStep{AmountPaise: 50_000_00})
		step(sanctioned, "board", "disburse", app.EnrolmentStep{AmountPaise: 20_000_00, PaidOn: "2026-11-20", Reference: "PFMS-1"})
		rejected := enrol("Rejected One", "9829000004", "jaipur")
		step(rejected, "dic.jaipur", "reject", app.EnrolmentStep{Reason: "documents missing"})
		enrol("Jodhpur One", "9829000005", "jodhpur")

		queries := &queryCounter{}
		e.db.AddQueryHook(queries)
		counts := func(who string) app.EnrolmentCounts {
			t.Helper()
			before := queries.n.Load()
			list, err := e.schemes.SchemeStats(ctx, e.actor(who), "")
			if err != nil {
				t.Fatal(err)
			}
			if n := queries.n.Load() - before; n != 1 {
				t.Errorf("%s: %d queries for the stats of %d schemes, want 1", who, n, len(list))
			}
			var found *app.SchemeStats
			for i := range list {
				if list[i].Slug == "stats-grant" {
					found = &list[i]
				} else if list[i].Total() != 0 {
					t.Errorf("%s: scheme %s counts %+v, want none", who, list[i].Slug, list[i].EnrolmentCounts)
				}
			}
			if found == nil || found.NameEn != "Test stats-grant" || found.BenefitType != "grant" || len(list) < 2 {
				t.Fatalf("%s: stats-grant missing or incomplete in %d schemes: %+v", who, len(list), found)
			}
			return found.EnrolmentCounts
		}
		want := map[string]app.EnrolmentCounts{
			"admin":       {Applied: 2, Verified: 1, Sanctioned: 1, Rejected: 1, SanctionedPaise: 50_000_00, DisbursedPaise: 20_000_00},
			"dic.jaipur":  {Applied: 1, Verified: 1, Sanctioned: 1, Rejected: 1, SanctionedPaise: 50_000_00, DisbursedPaise: 20_000_00},
			"dic.jodhpur": {Applied: 1},
		}
		for who, w := range want {
			if got := counts(who); got != w {
				t.Errorf("%s: counts %+v, want %+v", who, got, w)
			}
		}

		// The full payment moves the enrolment to disbursed, counted there.
		sanctioned, err := e.enrol.Get(ctx, e.actor("admin"), sanctioned.ID)
		if err != nil {
			t.Fatal(err)
		}
		step(sanctioned, "board", "disburse", app.EnrolmentStep{AmountPaise: 30_000_00, PaidOn: "2026-11-21", Reference: "PFMS-2"})
		one, err := e.schemes.SchemeStats(ctx, e.actor("dic.jaipur"), "stats-grant")
		if err != nil || len(one) != 1 {
			t.Fatalf("one scheme: %+v, %v", one, err)
		}
		w := app.EnrolmentCounts{Applied: 1, Verified: 1, Disbursed: 1, Rejected: 1, SanctionedPaise: 50_000_00, DisbursedPaise: 50_000_00}
		if one[0].EnrolmentCounts != w {
			t.Errorf("after full payment: %+v, want %+v", one[0].EnrolmentCounts, w)
		}
	})
}
