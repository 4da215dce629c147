package app_test

import (
	"context"
	"testing"
	"time"

	"shilpkosh/app"
)

// TestStatusMonthsFollowEveryChange makes every kind of change to the registry, refused
// ones included, and checks after each that the reports' monthly roll-up of status
// changes equals a recount from the events.
func TestStatusMonthsFollowEveryChange(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.svc
		exact := func(after string) {
			t.Helper()
			drift, err := app.ArtisanStatusMonthsDrift(ctx, e.db)
			if err != nil || len(drift) > 0 {
				t.Fatalf("after %s: drift %+v, %v", after, drift, err)
			}
		}
		draft := e.create("entry.jaipur", artInput("Asha Devi", "9414000001"))
		exact("create")

		if _, err := s.CreateMany(ctx, e.actor("entry.jaipur"), artImportRows()); err != nil {
			t.Fatal(err)
		}
		// The bulk import writes its events in multi-row statements and counts them with
		// app.AddNewArtisansStatusMonths; reported without stopping the other checks.
		if drift, err := app.ArtisanStatusMonthsDrift(ctx, e.db); err != nil || len(drift) > 0 {
			t.Errorf("after import: drift %+v, %v (insertMany must call app.AddNewArtisansStatusMonths)", drift, err)
			if err := app.RebuildArtisanStatusMonths(ctx, e.db); err != nil {
				t.Fatal(err)
			}
		}
		bad := artImportRows()
		bad[0].Mobile = "12"
		if _, err := s.CreateMany(ctx, e.actor("entry.jaipur"), bad); err == nil {
			t.Fatal("a bad import saved")
		}
		exact("refused import")

		a := e.approved(artInput("Kishan Lal", "9829012345"))
		exact("submit, verify, approve")
		if _, err := s.Submit(ctx, e.actor("entry.jaipur"), draft.ID, draft.Version-1, ""); err == nil {
			t.Fatal("a stale submit passed")
		}
		sub, err := s.Submit(ctx, e.actor("entry.jaipur"), draft.ID, draft.Version, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reject(ctx, e.actor("dic.jaipur"), sub.ID, sub.Version, "photo missing"); err != nil {
			t.Fatal(err)
		}
		exact("stale submit, submit, reject")

		// An edit of a draft keeps its status and moves its craft, gender and category.
		d2 := e.create("entry.jaipur", artInput("Meera Bai", "9414000077"))
		in := artInput("Meera Bai", "9414000077")
		in.Gender, in.SocialCategory, in.PrimaryCraft, in.Version = "female", "sc", "bagru-block-print", d2.Version
		if _, err := s.Update(ctx, e.actor("entry.jaipur"), d2.ID, in); err != nil {
			t.Fatal(err)
		}
		exact("edit of craft, gender and category")

		// A transfer: the state administrator moves the approved record to Jodhpur, which
		// also sends it back for verification, with another craft.
		in = artInput("Kishan Lal", "9829012345")
		in.District, in.Tehsil, in.Village, in.PINCode, in.Version = "jodhpur", "Salawas", "Salawas", "342802", a.Version
		in.PrimaryCraft = "bagru-block-print"
		moved, err := s.Update(ctx, e.actor("admin"), a.ID, in)
		if err != nil || moved.District != "jodhpur" {
			t.Fatalf("transfer: %v %+v", err, moved)
		}
		exact("transfer")
		if moved, err = s.Verify(ctx, e.actor("dic.jodhpur"), moved.ID, moved.Version, ""); err != nil {
			t.Fatal(err)
		}
		if moved, err = s.Approve(ctx, e.actor("board"), moved.ID, moved.Version, ""); err != nil {
			t.Fatal(err)
		}
		exact("approved again")
		if _, err := s.Deactivate(ctx, e.actor("dic.jodhpur"), moved.ID, moved.Version, "migrated", "moved away"); err != nil {
			t.Fatal(err)
		}
		exact("deactivate")

		keep := e.approved(artInput("Gopal Prajapat", "9829012399"))
		dupIn := artInput("Gopal Prajapati", "9829012399")
		dupIn.ConfirmDuplicate = true
		dup := e.create("entry.jaipur", dupIn)
		if _, err := s.Merge(ctx, e.actor("admin"), keep.ID, dup.ID); err != nil {
			t.Fatal(err)
		}
		exact("merge")

		// A status change dated before the latest one (written by other means) is counted
		// where it falls by a rebuild, and the next change through the app stays exact.
		if _, err := e.db.NewInsert().Model(&app.ArtisanEvent{ArtisanID: keep.ID, At: app.Now().Add(-40 * 24 * time.Hour),
			ActorName: "x", FromStatus: app.ArtisanApproved, ToStatus: app.ArtisanSubmitted, Action: "edit"}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if drift, err := app.ArtisanStatusMonthsDrift(ctx, e.db); err != nil || len(drift) == 0 {
			t.Fatalf("a raw event is not seen as drift: %+v, %v", drift, err)
		}
		if err := app.RebuildArtisanStatusMonths(ctx, e.db); err != nil {
			t.Fatal(err)
		}
		exact("rebuild")
		cur, err := s.Get(ctx, e.actor("admin"), keep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Deactivate(ctx, e.actor("dic.jaipur"), keep.ID, cur.Version, "deceased", ""); err != nil {
			t.Fatal(err)
		}
		exact("deactivate after a backdated change")

		// A write that bypasses the app is what the check exists to catch.
		if _, err := e.db.NewUpdate().Table("artisans").Set("gender = ?", "female").Where("id = ?", keep.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if drift, err := app.ArtisanStatusMonthsDrift(ctx, e.db); err != nil || len(drift) == 0 {
			t.Errorf("drift after a raw update = %+v, %v; want some", drift, err)
		}
	})
}
