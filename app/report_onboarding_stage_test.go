package app_test

import (
	"context"
	"testing"
	"time"

	"shilpkosh/app"
)

// TestOnboardingStageFollowsHistory makes every kind of onboarding change (moves forward
// and back, blocked, a new reason, a note alone, an import) and checks after each that
// every record's stage and stage_since agree with its history, which the state report's
// onboarding progress relies on; and that the state report counts the same listed
// artisans as the district report's replay of the moves, at a month end after the latest
// moves (read from the record) and before them (read from the history).
func TestOnboardingStageFollowsHistory(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		exact := func(after string) {
			t.Helper()
			ids, err := app.OnboardingStageDrift(ctx, e.db)
			if err != nil || len(ids) > 0 {
				t.Fatalf("after %s: records %v disagree with their history (%v)", after, ids, err)
			}
		}
		a := e.documented("Listed Artisan", "9876530001")
		b := e.documented("Later Artisan", "9876530002")
		// The clock is after the approvals, so the artisans count as approved at each month end.
		first := app.MonthInIST(time.Now()).Next()
		e.now = time.Date(first.Year, first.M, 10, 6, 0, 0, 0, time.UTC)
		ra := e.step(0, a.ID, "walmart-vriddhi", app.StageListed, 0)
		rb := e.step(0, b.ID, "walmart-vriddhi", app.StageDocuments, 0)
		exact("moves")
		rb = e.step(1, b.ID, "walmart-vriddhi", app.StageTraining, rb.Version)
		rb = e.step(1, b.ID, "walmart-vriddhi", app.StageDocuments, rb.Version)
		exact("a move back")

		e.now = time.Date(first.Year, first.M, 1, 6, 0, 0, 0, time.UTC).AddDate(0, 1, 5)
		ra, err := e.move("dic.jaipur", a.ID, "walmart-vriddhi", app.OnboardingMove{Stage: app.StageBlocked,
			Reason: app.OnboardingReasons[0], Version: ra.Version})
		if err != nil {
			t.Fatal(err)
		}
		exact("blocked")
		e.now = e.now.Add(time.Hour)
		if ra, err = e.move("dic.jaipur", a.ID, "walmart-vriddhi", app.OnboardingMove{Stage: app.StageBlocked,
			Reason: app.OnboardingReasons[1], Version: ra.Version}); err != nil {
			t.Fatal(err)
		}
		exact("a new reason")
		e.now = e.now.Add(time.Hour)
		if _, err = e.move("dic.jaipur", a.ID, "walmart-vriddhi", app.OnboardingMove{Stage: app.StageBlocked,
			Reason: ra.Reason, Note: "waiting for the bank", Version: ra.Version}); err != nil {
			t.Fatal(err)
		}
		exact("a note alone")
		e.now = e.now.Add(time.Hour)
		if _, err := e.svc.Import(ctx, e.actor("dic.jaipur"), []byte("artisan_id,platform,stage,seller_id,live_listings,note\n"+
			onbItoa(b.ID)+",walmart-vriddhi,active,,,\n"+onbItoa(a.ID)+",flipkart,documents,,,\n")); err != nil {
			t.Fatal(err)
		}
		exact("import")

		// End of the first month: a listed, b at documents (moved since: read from history).
		// End of the second: a blocked, b active (read from the records).
		for m, want := range map[app.Month]int64{first: 1, first.Next(): 1} {
			s, err := app.BuildStateMonthly(ctx, e.db, m)
			if err != nil {
				t.Fatal(err)
			}
			d, err := app.BuildDistrictMonthly(ctx, e.db, "jaipur", m)
			if err != nil {
				t.Fatal(err)
			}
			var listed int64 = -1
			for _, r := range s.Rows {
				if r.District.Key == "jaipur" {
					listed = r.Listed
				}
			}
			if listed != want || d.Ecommerce.Listed != want {
				t.Errorf("%s: state report lists %d, district report %d, want %d", m, listed, d.Ecommerce.Listed, want)
			}
		}

		// A record written around the app is caught.
		if _, err := e.db.NewRaw("UPDATE onboardings SET stage_since = ? WHERE artisan_id = ?",
			time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), a.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if ids, err := app.OnboardingStageDrift(ctx, e.db); err != nil || len(ids) == 0 {
			t.Errorf("a stage_since before the last move went unnoticed (%v, %v)", ids, err)
		}
	})
}
