package app_test

import (
	"context"
	"testing"

	"shilpkosh/app"
)

// TestArtisanCountsFollowEveryChange makes every kind of change to the registry, refused
// ones included, and checks after each that the roll-up the list's totals come from
// equals COUNT(*), that the list's total agrees, and that every record's status and
// status_changed_at agree with its history (ArtisanStatusSinceDrift, which the reports'
// statusAtSQL relies on).
func TestArtisanCountsFollowEveryChange(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.svc
		exact := func(after string) {
			t.Helper()
			drift, err := app.ArtisanCountsDrift(ctx, e.db)
			if err != nil || len(drift) > 0 {
				t.Fatalf("after %s: drift %+v, %v", after, drift, err)
			}
			if ids, err := app.ArtisanStatusSinceDrift(ctx, e.db); err != nil || len(ids) > 0 {
				t.Fatalf("after %s: status since drift %v, %v", after, ids, err)
			}
			for _, f := range []app.ArtisanFilter{{}, {District: "jaipur"}, {District: "jodhpur", Status: app.ArtisanApproved}} {
				page, err := s.List(ctx, e.actor("admin"), f)
				if err != nil {
					t.Fatal(err)
				}
				var n int64
				q := e.db.NewSelect().Table("artisans")
				if f.District != "" {
					q = q.Where("district = ?", f.District)
				}
				if f.Status != "" {
					q = q.Where("status = ?", f.Status)
				}
				if n, err = q.Count(ctx); err != nil || page.Total != n {
					t.Fatalf("after %s: list total %d for %+v, COUNT(*) %d (%v)", after, page.Total, f, n, err)
				}
			}
		}
		draft := e.create("entry.jaipur", artInput("Asha Devi", "9414000001"))
		exact("create")

		if _, err := s.CreateMany(ctx, e.actor("entry.jaipur"), artImportRows()); err != nil {
			t.Fatal(err)
		}
		exact("import")
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

		// A transfer: the state administrator moves the approved record to Jodhpur, which
		// also sends it back for verification.
		in := artInput("Kishan Lal", "9829012345")
		in.District, in.Tehsil, in.Village, in.PINCode, in.Version = "jodhpur", "Salawas", "Salawas", "342802", a.Version
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

		// A write that bypasses the app is what the check exists to catch.
		if _, err := e.db.NewUpdate().Table("artisans").Set("status = ?", app.ArtisanDraft).Where("id = ?", keep.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if drift, err := app.ArtisanCountsDrift(ctx, e.db); err != nil || len(drift) != 2 {
			t.Errorf("drift after a raw update = %+v, %v; want the two statuses", drift, err)
		}
		if ids, err := app.ArtisanStatusSinceDrift(ctx, e.db); err != nil || len(ids) != 1 || ids[0] != keep.ID {
			t.Errorf("status since drift after a raw update = %v, %v; want [%d]", ids, err, keep.ID)
		}
	})
}
