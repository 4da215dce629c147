package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"shilpkosh/app"
)

func TestArtisanWorkflow(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.svc
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		if a.Status != app.ArtisanDraft || a.Version != 1 || a.RegistrationNo != nil {
			t.Fatalf("new record = %+v", a)
		}

		// Forbidden moves from draft.
		_, err := s.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		artWant(t, "verify a draft", err, app.ECONFLICT, "artisan.bad_transition")
		var ae *app.Error
		if errors.As(err, &ae) && (ae.Message.Args["from"] != "draft" || ae.Message.Args["action"] != "verify") {
			t.Errorf("bad transition args = %v", ae.Message.Args)
		}
		_, err = s.Approve(ctx, e.actor("board"), a.ID, a.Version, "")
		artWant(t, "approve a draft", err, app.ECONFLICT, "artisan.bad_transition")
		_, err = s.Deactivate(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "deceased", "")
		artWant(t, "deactivate a draft", err, app.ECONFLICT, "artisan.bad_transition")

		a, err = s.Submit(ctx, e.actor("entry.jaipur"), a.ID, a.Version, "ready")
		if err != nil || a.Status != app.ArtisanSubmitted {
			t.Fatalf("submit: %v %+v", err, a)
		}
		_, err = s.Approve(ctx, e.actor("board"), a.ID, a.Version, "")
		artWant(t, "approve a submitted record", err, app.ECONFLICT, "artisan.bad_transition")
		_, err = s.Verify(ctx, e.actor("dic.jodhpur"), a.ID, a.Version, "")
		artWant(t, "verify by another district's officer", err, app.ENOTFOUND, "error.not_found")
		_, err = s.Verify(ctx, e.actor("entry.jaipur"), a.ID, a.Version, "")
		artWant(t, "verify by data entry", err, app.EFORBIDDEN, "error.forbidden")
		_, err = s.Verify(ctx, e.actor("admin"), a.ID, a.Version, "")
		artWant(t, "verify by state admin (no verify grant)", err, app.EFORBIDDEN, "error.forbidden")
		_, err = s.Reject(ctx, e.actor("dic.jaipur"), a.ID, a.Version, " ")
		artWant(t, "reject without reason", err, app.EINVALID, "error.invalid")
		_, err = s.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version-1, "")
		artWant(t, "verify a stale version", err, app.ECONFLICT, "error.stale")

		// Rejected, fixed by its author, submitted again.
		a, err = s.Reject(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "Photo missing")
		if err != nil || a.Status != app.ArtisanRejected {
			t.Fatalf("reject: %v", err)
		}
		in := artInput("Kishan Lal", "9829012345")
		in.Village, in.Version = "Bagru", a.Version
		if a, err = s.Update(ctx, e.actor("entry.jaipur"), a.ID, in); err != nil || a.Status != app.ArtisanRejected {
			t.Fatalf("fix: %v %+v", err, a)
		}
		if a, err = s.Submit(ctx, e.actor("entry.jaipur"), a.ID, a.Version, ""); err != nil {
			t.Fatal(err)
		}
		if a, err = s.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "seen"); err != nil || a.Status != app.ArtisanVerified {
			t.Fatalf("verify: %v", err)
		}
		_, err = s.Approve(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		artWant(t, "approve by DIC officer", err, app.EFORBIDDEN, "error.forbidden")
		if a, err = s.Approve(ctx, e.actor("board"), a.ID, a.Version, ""); err != nil || a.Status != app.ArtisanApproved {
			t.Fatalf("approve: %v", err)
		}
		year := time.Now().In(time.FixedZone("IST", 5*3600+1800)).Year()
		want := fmt.Sprintf("RJ-JAIPUR-%d-000001", year)
		if a.RegistrationNo == nil || *a.RegistrationNo != want {
			t.Errorf("registration no = %v, want %s", a.RegistrationNo, want)
		}

		// Editing an approved record sends it back for verification, number kept.
		in.Version, in.YearsInCraft = a.Version, 21
		if a, err = s.Update(ctx, e.actor("entry.jaipur"), a.ID, in); err != nil {
			t.Fatal(err)
		}
		if a.Status != app.ArtisanSubmitted || a.RegistrationNo == nil || *a.RegistrationNo != want {
			t.Errorf("after edit: status %s, number %v", a.Status, a.RegistrationNo)
		}
		a, _ = s.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		if a, err = s.Approve(ctx, e.actor("admin"), a.ID, a.Version, ""); err != nil || *a.RegistrationNo != want {
			t.Fatalf("re-approve: %v %v", err, a)
		}

		// Deactivation needs a listed reason, and ends editing.
		_, err = s.Deactivate(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "bored", "")
		artWant(t, "deactivate with unknown reason", err, app.EINVALID, "error.invalid")
		if a, err = s.Deactivate(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "migrated", "to Surat"); err != nil {
			t.Fatal(err)
		}
		if a.Status != app.ArtisanInactive || a.DeactivationReason != "migrated" || a.DeactivationNote != "to Surat" {
			t.Errorf("deactivated = %+v", a)
		}
		in.Version = a.Version
		_, err = s.Update(ctx, e.actor("entry.jaipur"), a.ID, in)
		artWant(t, "edit an inactive record", err, app.ECONFLICT, "artisan.bad_transition")
		_, err = s.Submit(ctx, e.actor("entry.jaipur"), a.ID, a.Version, "")
		artWant(t, "submit an inactive record", err, app.ECONFLICT, "artisan.bad_transition")

		// The history tells it all, oldest first.
		h, err := s.History(ctx, e.actor("dic.jaipur"), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, ev := range h {
			steps = append(steps, ev.Action+":"+ev.FromStatus+">"+ev.ToStatus)
		}
		wantSteps := "[create:>draft submit:draft>submitted reject:submitted>rejected edit:rejected>rejected " +
			"submit:rejected>submitted verify:submitted>verified approve:verified>approved edit:approved>submitted " +
			"verify:submitted>verified approve:verified>approved deactivate:approved>inactive]"
		if fmt.Sprint(steps) != wantSteps {
			t.Errorf("history = %v\nwant      %s", steps, wantSteps)
		}
		if h[2].Reason != "Photo missing" || h[2].ActorName != "Name of dic.jaipur" || h[2].ActorID == nil {
			t.Errorf("reject event = %+v", h[2])
		}
		var audits int64
		audits, err = e.db.NewSelect().Table("audit_log").Where("entity = 'artisan' AND entity_id = ?", fmt.Sprint(a.ID)).Count(ctx)
		if err != nil || audits != int64(len(h)) {
			t.Errorf("audit entries = %d (%v), want one per step (%d)", audits, err, len(h))
		}
		artCountsExact(t, e.db)
	})
}

func TestArtisanSelfVerify(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		a := e.create("dic.jaipur", artInput("Kishan Lal", "9829012345"))
		a, err := e.svc.Submit(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Verify(ctx, e.actor("dic.jaipur"), a.ID, a.Version, "")
		artWant(t, "self-verify", err, app.EFORBIDDEN, "artisan.self_verify")
		if _, err := e.svc.Verify(ctx, e.actor("dic2.jaipur"), a.ID, a.Version, ""); err != nil {
			t.Errorf("verify by another officer: %v", err)
		}
	})
}

func TestArtisanStaleVersion(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		in := artInput("Kishan Lal", "9829012345")
		in.Version = a.Version
		if _, err := e.svc.Update(ctx, e.actor("entry.jaipur"), a.ID, in); err != nil {
			t.Fatal(err)
		}
		// A second editor still holding version 1.
		in.Village = "Chomu"
		_, err := e.svc.Update(ctx, e.actor("dic.jaipur"), a.ID, in)
		artWant(t, "update with a stale version", err, app.ECONFLICT, "error.stale")
		if !errors.Is(err, app.ErrStale) {
			t.Errorf("err = %v, want app.ErrStale", err)
		}
		_, err = e.svc.Submit(ctx, e.actor("entry.jaipur"), a.ID, a.Version, "")
		artWant(t, "submit with a stale version", err, app.ECONFLICT, "error.stale")
		got, _ := e.svc.Get(ctx, e.actor("entry.jaipur"), a.ID)
		if got.Village != "Sanganer" || got.Version != 2 || got.Status != app.ArtisanDraft {
			t.Errorf("after refused changes: %+v", got)
		}
	})
}

func TestArtisanRegistrationNumbers(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		year := time.Now().In(time.FixedZone("IST", 5*3600+1800)).Year()
		var got []string
		for i, district := range []string{"jaipur", "jaipur", "jodhpur", "jaipur"} {
			in := artInput(fmt.Sprintf("Artisan %c", 'A'+i), fmt.Sprintf("98290%05d", i))
			in.District = district
			a := e.approved(in)
			got = append(got, *a.RegistrationNo)
			if i == 1 {
				// A deactivated record keeps its number; the next approval does not reuse it.
				if _, err := e.svc.Deactivate(ctx, e.actor("admin"), a.ID, a.Version, "duplicate", ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := fmt.Sprintf("[RJ-JAIPUR-%[1]d-000001 RJ-JAIPUR-%[1]d-000002 RJ-JODHPUR-%[1]d-000001 RJ-JAIPUR-%[1]d-000003]", year)
		if fmt.Sprint(got) != want {
			t.Errorf("numbers = %v, want %s", got, want)
		}
		if n, _ := e.db.NewSelect().Table("artisans").Where("registration_no IS NOT NULL").Count(ctx); n != 4 {
			t.Errorf("%d records with a number, want 4", n)
		}
		var last int64
		if err := e.db.NewSelect().Table("registration_sequences").Column("last_seq").
			Where("district = 'jaipur' AND year = ?", year).Scan(ctx, &last); err != nil || last != 3 {
			t.Errorf("jaipur sequence = %d (%v), want 3", last, err)
		}
	})
}

func TestArtisanInbox(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.svc
		submit := func(who string, in app.ArtisanInput) *app.Artisan {
			a := e.create(who, in)
			a, err := s.Submit(ctx, e.actor(who), a.ID, a.Version, "")
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		older := submit("entry.jaipur", artInput("Older Submitted", "9000000001"))
		newer := submit("entry.jaipur", artInput("Newer Submitted", "9000000002"))
		own := submit("dic.jaipur", artInput("Own Submitted", "9000000003"))
		jodhpurIn := artInput("Jodhpur Submitted", "9000000004")
		jodhpurIn.District = "jodhpur"
		submit("entry.jodhpur", jodhpurIn)
		verified, err := s.Verify(ctx, e.actor("dic2.jaipur"), own.ID, own.Version, "")
		if err != nil {
			t.Fatal(err)
		}
		rejected := submit("entry.jaipur", artInput("To Fix", "9000000005"))
		if _, err := s.Reject(ctx, e.actor("dic.jaipur"), rejected.ID, rejected.Version, "wrong photo"); err != nil {
			t.Fatal(err)
		}
		e.create("entry.jaipur", artInput("Still Draft", "9000000006"))
		// Age the records: the older one waits 5 days, the newer 2.
		now := app.Now()
		for id, days := range map[int64]int{older.ID: 5, newer.ID: 2, verified.ID: 3, rejected.ID: 1} {
			if _, err := e.db.NewUpdate().Table("artisans").Set("status_changed_at = ?", now.Add(-time.Duration(days)*24*time.Hour-time.Hour)).
				Where("id = ?", id).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		inbox := func(who string) string {
			items, err := s.Inbox(ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, it := range items {
				out += fmt.Sprintf("%s %s %dd; ", it.Task, it.Artisan.Name, it.AgeDays)
			}
			return out
		}
		for who, want := range map[string]string{
			// dic.jaipur created "Own Submitted" (now verified anyway) and never sees Jodhpur.
			"dic.jaipur":   "verify Older Submitted 5d; verify Newer Submitted 2d; ",
			"dic2.jaipur":  "verify Older Submitted 5d; verify Newer Submitted 2d; ",
			"dic.jodhpur":  "verify Jodhpur Submitted 0d; ",
			"board":        "approve Own Submitted 3d; ",
			"entry.jaipur": "fix To Fix 1d; ",
			"auditor":      "",
		} {
			if got := inbox(who); got != want {
				t.Errorf("inbox of %s = %q, want %q", who, got, want)
			}
		}
		// An officer's own submission waits for the other officer only.
		mine := submit("dic.jaipur", artInput("Mine Again", "9000000007"))
		if got := inbox("dic.jaipur"); got != "verify Older Submitted 5d; verify Newer Submitted 2d; " {
			t.Errorf("own record in own inbox: %q", got)
		}
		if got := inbox("dic2.jaipur"); got != "verify Older Submitted 5d; verify Newer Submitted 2d; verify Mine Again 0d; " {
			t.Errorf("inbox of dic2.jaipur = %q (record %d)", got, mine.ID)
		}
	})
}

func TestArtisanMerge(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		keep := e.approved(artInput("Kishan Lal", "9829012345"))
		dropIn := artInput("Kisan Lal", "9829012345")
		dropIn.Aadhaar, dropIn.ConfirmDuplicate = app.AadhaarNumber(artAadhaar(42)), true
		drop := e.create("entry.jaipur", dropIn)

		_, err := e.svc.Merge(ctx, e.actor("dic.jaipur"), keep.ID, drop.ID)
		artWant(t, "merge by DIC officer", err, app.EFORBIDDEN, "error.forbidden")
		_, err = e.svc.Merge(ctx, e.actor("admin"), keep.ID, keep.ID)
		artWant(t, "merge into itself", err, app.EINVALID, "error.invalid")

		kept, err := e.svc.Merge(ctx, e.actor("admin"), keep.ID, drop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if kept.AadhaarLast4 != artAadhaar(42)[8:] || kept.Status != app.ArtisanApproved {
			t.Errorf("kept = %+v", kept)
		}
		dropped, err := e.svc.Get(ctx, e.actor("admin"), drop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if dropped.Status != app.ArtisanInactive || dropped.DeactivationReason != "duplicate" ||
			dropped.MergedInto == nil || *dropped.MergedInto != keep.ID {
			t.Errorf("dropped = %+v", dropped)
		}
		h, _ := e.svc.History(ctx, e.actor("admin"), drop.ID)
		if len(h) != 2 || h[0].Action != "create" || h[1].Action != "merge" || h[1].ToStatus != app.ArtisanInactive {
			t.Errorf("history of dropped = %+v", h)
		}
		// The Aadhaar now belongs to the kept record: a new record with it is refused naming it.
		again := artInput("Someone Else", "9829099999")
		again.Aadhaar = app.AadhaarNumber(artAadhaar(42))
		_, err = e.svc.Create(ctx, e.actor("dic.jaipur"), again)
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Message.Key != "artisan.duplicate_aadhaar" || ae.Message.Args["existing"] != *keep.RegistrationNo {
			t.Errorf("create with merged Aadhaar: %v %+v", err, ae)
		}
		_, err = e.svc.Merge(ctx, e.actor("admin"), keep.ID, drop.ID)
		artWant(t, "merge an inactive record", err, app.ECONFLICT, "artisan.bad_transition")
		artCountsExact(t, e.db)
	})
}
