package app_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// onbEnv adds the onboarding service, with a settable clock, to an artisan environment.
type onbEnv struct {
	*artEnv
	svc *app.Onboarding
	now time.Time
}

func eachOnbEnv(t *testing.T, fn func(t *testing.T, e *onbEnv)) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		o := &onbEnv{artEnv: e, now: time.Date(2026, 1, 2, 6, 0, 0, 0, time.UTC)}
		o.svc = &app.Onboarding{DB: e.db, Authz: e.authz, Clock: func() time.Time { return o.now }}
		fn(t, o)
	})
}

// documented is an approved Jaipur artisan holding PAN, GSTIN and a bank account.
func (e *onbEnv) documented(name, mobile string) *app.Artisan {
	in := artInput(name, mobile)
	in.PAN, in.BankAccount, in.IFSC = "ABCPE1234F", "12345678901", "SBIN0001234"
	in.GSTIN = artGSTIN(e.t, "08ABCPE1234F1Z")
	n, _ := strconv.Atoi(mobile[4:])
	in.Aadhaar = app.AadhaarNumber(artAadhaar(n))
	return e.approved(in)
}

func (e *onbEnv) move(who string, id int64, platform string, m app.OnboardingMove) (*app.OnboardingRecord, error) {
	return e.svc.Move(context.Background(), e.actor(who), id, platform, m)
}

// step moves and fails the test on error, advancing the clock by days first.
func (e *onbEnv) step(days int, id int64, platform, stage string, version int64) *app.OnboardingRecord {
	e.t.Helper()
	e.now = e.now.Add(time.Duration(days) * 24 * time.Hour)
	r, err := e.move("dic.jaipur", id, platform, app.OnboardingMove{Stage: stage, Version: version})
	if err != nil {
		e.t.Fatalf("move %d to %s: %v", id, stage, err)
	}
	return r
}

func onbFields(err error) map[string]app.Message {
	var e *app.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func TestOnboardingMovesAndHistory(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		bare := e.approved(artInput("Bare Artisan", "9876500001"))
		// Early stages need no document; account_created on Amazon needs PAN and the rest.
		r := e.step(0, bare.ID, "amazon", app.StageDocuments, 0)
		r = e.step(1, bare.ID, "amazon", app.StageTraining, r.Version)
		_, err := e.move("dic.jaipur", bare.ID, "amazon", app.OnboardingMove{Stage: app.StageAccountCreated, Version: r.Version})
		f := onbFields(err)
		for _, code := range []string{"pan", "gstin", "bank_account"} {
			if f["documents."+code].Key != "onboarding.missing."+code {
				t.Errorf("account_created without %s: %v", code, err)
			}
		}
		if _, ok := f["documents.photos"]; ok {
			t.Errorf("photos are not needed before listing: %v", f)
		}
		// Skipping ahead to listed is refused the same way, naming the catalogue too.
		_, err = e.move("dic.jaipur", bare.ID, "amazon", app.OnboardingMove{Stage: app.StageListed, Version: r.Version})
		if f := onbFields(err); f["documents.pan"].Key == "" || f["documents.catalogue"].Key == "" {
			t.Errorf("listed without documents: %v", err)
		}
		// Walmart Vriddhi needs nothing.
		if _, err := e.move("dic.jaipur", bare.ID, "walmart-vriddhi", app.OnboardingMove{Stage: app.StageActive}); err != nil {
			t.Errorf("walmart: %v", err)
		}

		a := e.documented("Documented Artisan", "9876500002")
		r = e.step(0, a.ID, "flipkart", app.StageDocuments, 0)
		r = e.step(2, a.ID, "flipkart", app.StageAccountCreated, r.Version)
		_, err = e.move("dic.jaipur", a.ID, "flipkart", app.OnboardingMove{Stage: app.StageListed, Version: r.Version})
		if f := onbFields(err); f["documents.catalogue"].Key != "onboarding.missing.catalogue" || f["documents.pan"].Key != "" {
			t.Errorf("listed on flipkart without a catalogue: %v", err)
		}
		r = e.step(3, a.ID, "flipkart", app.StageTraining, r.Version) // back
		r = e.step(1, a.ID, "flipkart", app.StageAccountCreated, r.Version)
		got, err := e.svc.Get(ctx, e.actor("auditor"), a.ID, "flipkart")
		if err != nil {
			t.Fatal(err)
		}
		var path []string
		for _, h := range got.History {
			path = append(path, h.FromStage+">"+h.ToStage)
		}
		want := "not_started>documents documents>account_created account_created>training training>account_created"
		if strings.Join(path, " ") != want || got.Version != 4 || got.History[0].ActorName != "dic.jaipur" {
			t.Errorf("history %v, version %d", path, got.Version)
		}
		var audits int64
		audits, err = e.db.NewSelect().Table("audit_log").Where("entity = 'onboarding' AND entity_id = ?", onbItoa(a.ID)+"/flipkart").Count(ctx)
		if err != nil || audits != 4 {
			t.Errorf("audit entries %d, %v", audits, err)
		}
	})
}

func onbItoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOnboardingBlockedLockingAndScope(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		a := e.documented("Blocked Artisan", "9876500003")
		_, err := e.move("dic.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageBlocked})
		if onbFields(err)["reason"].Key != app.KeyRequired {
			t.Errorf("blocked without reason: %v", err)
		}
		_, err = e.move("dic.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageBlocked, Reason: "other"})
		if onbFields(err)["note"].Key != "onboarding.note_for_other" {
			t.Errorf("other without note: %v", err)
		}
		_, err = e.move("dic.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageBlocked, Reason: "weather"})
		if onbFields(err)["reason"].Key != "onboarding.unknown_reason" {
			t.Errorf("unknown reason: %v", err)
		}
		r, err := e.move("dic.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageBlocked, Reason: "no_pan", Note: "PAN card lost"})
		if err != nil || r.Reason != "no_pan" || r.Version != 1 {
			t.Fatalf("blocked: %+v %v", r, err)
		}
		// A second writer still holding version 0 (or 1 after the first wrote 2) loses.
		_, err = e.move("entry.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageDocuments, Version: 0})
		artWant(t, "stale create", err, app.ECONFLICT, "error.stale")
		if _, err := e.move("entry.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageDocuments, Version: 1}); err != nil {
			t.Fatal(err)
		}
		_, err = e.move("dic.jaipur", a.ID, "gem", app.OnboardingMove{Stage: app.StageTraining, Version: 1})
		artWant(t, "stale update", err, app.ECONFLICT, "error.stale")

		// Scope: Jodhpur's officer sees nothing of a Jaipur artisan; readers may not move.
		_, err = e.svc.Get(ctx, e.actor("dic.jodhpur"), a.ID, "gem")
		artWant(t, "jodhpur get", err, app.ENOTFOUND, "error.not_found")
		_, err = e.move("dic.jodhpur", a.ID, "gem", app.OnboardingMove{Stage: app.StageTraining, Version: 2})
		artWant(t, "jodhpur move", err, app.ENOTFOUND, "error.not_found")
		_, err = e.move("auditor", a.ID, "gem", app.OnboardingMove{Stage: app.StageTraining, Version: 2})
		artWant(t, "auditor move", err, app.EFORBIDDEN, "error.forbidden")
		list, _, err := e.svc.List(ctx, e.actor("dic.jodhpur"), app.OnboardingFilter{})
		if err != nil || len(list) != 0 {
			t.Errorf("jodhpur list: %d %v", len(list), err)
		}
		_, err = e.svc.Funnel(ctx, e.actor("dic.jodhpur"), app.FunnelFilter{District: "jaipur"})
		artWant(t, "jodhpur funnel of jaipur", err, app.ENOTFOUND, "error.not_found")

		// Only approved artisans are onboarded.
		draft := e.create("entry.jaipur", artInput("Draft Artisan", "9876500004"))
		_, err = e.move("dic.jaipur", draft.ID, "gem", app.OnboardingMove{Stage: app.StageDocuments})
		if onbFields(err)["artisan_id"].Key != "onboarding.not_approved" {
			t.Errorf("draft: %v", err)
		}
	})
}

// TestOnboardingFunnel builds histories at known times and checks every figure.
func TestOnboardingFunnel(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		var ids []int64
		for i, m := range []string{"9876510001", "9876510002", "9876510003", "9876510004"} {
			ids = append(ids, e.documented("Funnel Artisan "+string(rune('A'+i)), m).ID)
		}
		start := e.now
		// A: documents (4 days) → account_created (10 days) → blocked pricing.
		r := e.step(0, ids[0], "flipkart", app.StageDocuments, 0)
		r = e.step(4, ids[0], "flipkart", app.StageAccountCreated, r.Version)
		e.now = e.now.Add(10 * 24 * time.Hour)
		if _, err := e.move("dic.jaipur", ids[0], "flipkart", app.OnboardingMove{Stage: app.StageBlocked, Reason: "pricing", Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		// B: documents (6 days) → account_created, and stays.
		e.now = start
		r = e.step(0, ids[1], "flipkart", app.StageDocuments, 0)
		e.step(6, ids[1], "flipkart", app.StageAccountCreated, r.Version)
		// C: walmart (no documents): listed → first_sale (20 days) → active.
		e.now = start
		r = e.step(0, ids[2], "walmart-vriddhi", app.StageListed, 0)
		r = e.step(20, ids[2], "walmart-vriddhi", app.StageFirstSale, r.Version)
		e.step(5, ids[2], "walmart-vriddhi", app.StageActive, r.Version)
		// D: walmart listed only, then blocked for photos.
		e.now = start
		r = e.step(0, ids[3], "walmart-vriddhi", app.StageListed, 0)
		e.now = e.now.Add(8 * 24 * time.Hour)
		if _, err := e.move("dic.jaipur", ids[3], "walmart-vriddhi", app.OnboardingMove{Stage: app.StageBlocked, Reason: "photos", Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		month := app.MonthOf(start.In(time.FixedZone("IST", 5*3600+1800))).String()
		f, err := e.svc.Funnel(ctx, e.actor("dic.jaipur"), app.FunnelFilter{Platform: "flipkart", Month: month})
		if err != nil {
			t.Fatal(err)
		}
		byStage := map[string]app.FunnelStage{}
		for _, s := range f.Stages {
			byStage[s.Stage] = s
		}
		// Four approved artisans on flipkart: two never started.
		if byStage["not_started"].Count != 2 || byStage["account_created"].Count != 1 || byStage["blocked"].Count != 1 {
			t.Errorf("flipkart counts %+v", f.Stages)
		}
		if m := byStage["documents"].MedianDays; m == nil || *m != 5 || byStage["documents"].Stays != 2 {
			t.Errorf("documents median %v (stays %d), want 5 over 2", m, byStage["documents"].Stays)
		}
		if m := byStage["account_created"].MedianDays; m == nil || *m != 10 {
			t.Errorf("account_created median %v, want 10", m)
		}
		for _, b := range f.Blocked {
			if (b.Reason == "pricing") != (b.Count == 1) {
				t.Errorf("blocked %+v", f.Blocked)
			}
		}
		all, err := e.svc.Funnel(ctx, e.actor("admin"), app.FunnelFilter{District: "jaipur", Month: month})
		if err != nil {
			t.Fatal(err)
		}
		c := all.Conversion
		if c.Listed != 2 || c.FirstSale != 1 || c.Active != 1 || c.ListedToFirstSale != 50 || c.FirstSaleToActive != 100 || c.ListedToActive != 50 {
			t.Errorf("conversion %+v", c)
		}
		// Every move fell in January; three months on none did, but the history still counts.
		var entered int64
		for _, s := range all.Stages {
			entered += s.Entered
		}
		if month != "2026-01" || entered != all.Moves || all.Moves != 10 {
			t.Errorf("moves %d, entered %d", all.Moves, entered)
		}
		next, _ := app.ParseMonth(month)
		later, err := e.svc.Funnel(ctx, e.actor("admin"), app.FunnelFilter{Month: next.AddMonths(3).String()})
		if err != nil || later.Moves != 0 || later.Conversion.Listed != 2 {
			t.Errorf("three months on: %+v %v", later, err)
		}
		_, err = e.svc.Funnel(ctx, e.actor("admin"), app.FunnelFilter{Month: "2026-13"})
		if onbFields(err)["month"].Key != app.KeyMonth {
			t.Errorf("bad month: %v", err)
		}
	})
}

func TestOnboardingImport(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		a := e.documented("Import Artisan", "9876520001")
		b := e.approved(artInput("Undocumented Artisan", "9876520002"))
		good := "artisan_id,platform,stage,seller_id,live_listings,note\n" +
			onbItoa(a.ID) + ",flipkart,Account created,FK-123,0,March list\n" +
			onbItoa(b.ID) + ",walmart-vriddhi,training,,,\n"
		bad := good + onbItoa(b.ID) + ",amazon,listed,AZ-9,3,\n"
		_, err := e.svc.Import(ctx, e.actor("dic.jaipur"), []byte(bad))
		var rows app.RowErrors
		if !errors.As(err, &rows) || len(rows) != 6 || rows[0].Row != 4 || rows[5].Row != 4 || rows[0].Field != "stage" {
			t.Fatalf("bad row: %v", err)
		}
		if n, _ := e.db.NewSelect().Table("onboardings").Count(ctx); n != 0 {
			t.Errorf("a refused file saved %d records", n)
		}
		res, err := e.svc.Import(ctx, e.actor("dic.jaipur"), []byte(good))
		if err != nil || res.Updated != 2 || res.Unchanged != 0 {
			t.Fatalf("good file: %+v %v", res, err)
		}
		res, err = e.svc.Import(ctx, e.actor("dic.jaipur"), []byte(good))
		if err != nil || res.Updated != 0 || res.Unchanged != 2 {
			t.Errorf("again: %+v %v", res, err)
		}
		events, _ := e.db.NewSelect().Table("onboarding_events").Count(ctx)
		r, _ := e.svc.Get(ctx, e.actor("admin"), a.ID, "flipkart")
		if events != 2 || r.SellerID != "FK-123" || r.Stage != app.StageAccountCreated {
			t.Errorf("after import: %d events, %+v", events, r)
		}
		_, err = e.svc.Import(ctx, e.actor("dic.jodhpur"), []byte(good))
		if !errors.As(err, &rows) || rows[0].Key != "onboarding.unknown_artisan" {
			t.Errorf("jodhpur imports jaipur rows: %v", err)
		}
	})
}

func TestPlatformDocumentsEditable(t *testing.T) {
	eachOnbEnv(t, func(t *testing.T, e *onbEnv) {
		ctx := context.Background()
		p, err := e.svc.Platform(ctx, "amazon")
		if err != nil || strings.Join(p.RequiredDocuments, ",") != "pan,gstin,bank_account,aadhaar,photos,catalogue" {
			t.Fatalf("amazon: %+v %v", p, err)
		}
		docs := []string{"udyam"}
		_, err = e.svc.UpdatePlatform(ctx, e.actor("dic.jaipur"), "amazon", app.PlatformInput{RequiredDocuments: &docs, Version: p.Version})
		artWant(t, "dic edits a platform", err, app.EFORBIDDEN, "error.forbidden")
		up, err := e.svc.UpdatePlatform(ctx, e.actor("admin"), "amazon", app.PlatformInput{RequiredDocuments: &docs, Version: p.Version})
		if err != nil || strings.Join(up.RequiredDocuments, ",") != "udyam" || up.Version != p.Version+1 {
			t.Fatalf("update: %+v %v", up, err)
		}
		_, err = e.svc.UpdatePlatform(ctx, e.actor("admin"), "amazon", app.PlatformInput{RequiredDocuments: &docs, Version: p.Version})
		artWant(t, "stale platform", err, app.ECONFLICT, "error.stale")
		bad := []string{"horoscope"}
		_, err = e.svc.UpdatePlatform(ctx, e.actor("admin"), "amazon", app.PlatformInput{RequiredDocuments: &bad, Version: up.Version})
		if onbFields(err)["required_documents"].Key != "onboarding.unknown_document" {
			t.Errorf("unknown code: %v", err)
		}
		a := e.documented("Udyam-less Artisan", "9876530001")
		_, err = e.move("dic.jaipur", a.ID, "amazon", app.OnboardingMove{Stage: app.StageAccountCreated})
		if f := onbFields(err); len(f) != 1 || f["documents.udyam"].Key == "" {
			t.Errorf("amazon now needs udyam only: %v", err)
		}
	})
}
