package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

func (e *enrolEnv) months() *app.MonthCloses {
	return &app.MonthCloses{DB: e.db, Authz: e.authz, Renderer: fakeRenderer{}}
}

// enrolMonths are this month and the month before, in India.
func enrolMonths() (this, last string) {
	now := time.Now().In(enrolIST())
	return app.MonthOf(now).String(), app.MonthOf(now).Prev().String()
}

// wantMonthClosed checks a field error naming the closed month.
func wantMonthClosed(t *testing.T, what string, err error, field, key, month string) {
	t.Helper()
	ae, ok := err.(*app.Error)
	if !ok || ae.Code != app.EINVALID || ae.Fields[field].Key != key || ae.Fields[field].Args["month"] != month {
		t.Errorf("%s: %v, want %s on %s naming %s", what, err, key, field, month)
	}
}

// TestEnrolmentMonthClose: an application dated in a closed month, a step taken while
// today's month is closed and a payment dated in a closed month are refused with the
// month named; the same in an open month, or after a reopen, goes through.
func TestEnrolmentMonthClose(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		a := e.approved(artInput("Mohan Lal", "9829012345"))
		e.scheme("toolkit", nil)
		this, last := enrolMonths()
		if _, err := e.months().Close(ctx, e.actor("dic.jaipur"), "jaipur", last); err != nil {
			t.Fatal(err)
		}
		lastDay := last + "-15"
		_, err := e.enrol.Apply(ctx, e.actor("entry.jaipur"), app.EnrolmentInput{ArtisanID: a.ID, Scheme: "toolkit", AppliedOn: lastDay})
		wantMonthClosed(t, "apply in a closed month", err, "applied_on", "enrolment.month_closed", last)
		_, err = e.enrol.Apply(ctx, e.actor("entry.jaipur"), app.EnrolmentInput{ArtisanID: a.ID, Scheme: "toolkit", AppliedOn: "2999-01-01"})
		if enrolFieldKey(err, "applied_on") != "enrolment.applied_future" {
			t.Errorf("future application: %v", err)
		}
		en, err := e.enrol.Apply(ctx, e.actor("entry.jaipur"), app.EnrolmentInput{ArtisanID: a.ID, Scheme: "toolkit"})
		if err != nil {
			t.Fatal(err)
		}

		if _, err := e.months().Close(ctx, e.actor("admin"), "jaipur", this); err != nil {
			t.Fatal(err)
		}
		_, err = e.enrol.Verify(ctx, e.actor("dic.jaipur"), en.ID, app.EnrolmentStep{Version: 1})
		wantMonthClosed(t, "verify in a closed month", err, "date", "enrolment.month_closed", this)
		_, err = e.enrol.Reject(ctx, e.actor("dic.jaipur"), en.ID, app.EnrolmentStep{Version: 1, Reason: "x"})
		wantMonthClosed(t, "reject in a closed month", err, "date", "enrolment.month_closed", this)
		if _, err := e.months().Reopen(ctx, e.actor("admin"), "jaipur", this, "bills came late"); err != nil {
			t.Fatal(err)
		}
		if en, err = e.enrol.Verify(ctx, e.actor("dic.jaipur"), en.ID, app.EnrolmentStep{Version: 1}); err != nil {
			t.Fatal(err)
		}
		if en, err = e.enrol.Sanction(ctx, e.actor("board"), en.ID, app.EnrolmentStep{Version: 2, AmountPaise: 500000}); err != nil {
			t.Fatal(err)
		}
		_, err = e.enrol.Disburse(ctx, e.actor("board"), en.ID, app.EnrolmentStep{Version: 3, AmountPaise: 100000, PaidOn: lastDay, Reference: "PFMS-1"})
		wantMonthClosed(t, "payment dated in a closed month", err, "paid_on", "enrolment.month_closed", last)
		// The correction goes in an open month.
		today := time.Now().In(enrolIST()).Format(time.DateOnly)
		if en, err = e.enrol.Disburse(ctx, e.actor("board"), en.ID, app.EnrolmentStep{Version: 3, AmountPaise: 100000, PaidOn: today, Reference: "PFMS-1"}); err != nil || en.DisbursedPaise != 100000 {
			t.Fatalf("payment in an open month: %+v, %v", en, err)
		}
		// Jodhpur's months are its own.
		if _, err := e.months().Close(ctx, e.actor("admin"), "jodhpur", this); err != nil {
			t.Fatal(err)
		}
		if _, err := e.enrol.Disburse(ctx, e.actor("board"), en.ID, app.EnrolmentStep{Version: 4, AmountPaise: 1, PaidOn: today, Reference: "PFMS-2"}); err != nil {
			t.Errorf("jodhpur's close stops a jaipur payment: %v", err)
		}
	})
}

// TestRegistrationMonthClose: no artisan is registered in a closed month of its district,
// none registered in a closed month moves district, other edits go on.
func TestRegistrationMonthClose(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		this, _ := enrolMonths()
		moving := e.create("entry.jaipur", artInput("Mohan Lal", "9829012345"))
		if _, err := e.months().Close(ctx, e.actor("dic.jaipur"), "jaipur", this); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Create(ctx, e.actor("entry.jaipur"), artInput("Gopal Das", "9829012346"))
		wantMonthClosed(t, "register in a closed month", err, "district", "month.registration_closed", this)

		in := artInput("Mohan Lal", "9829012345")
		in.Village, in.Version = "Bagru", moving.Version
		moved, err := e.svc.Update(ctx, e.actor("admin"), moving.ID, in)
		if err != nil {
			t.Fatalf("an edit that keeps the district: %v", err)
		}
		in.District, in.Tehsil, in.PINCode, in.Version = "jodhpur", "Jodhpur", "342001", moved.Version
		_, err = e.svc.Update(ctx, e.actor("admin"), moving.ID, in)
		wantMonthClosed(t, "move out of a closed month", err, "district", "month.registration_closed", this)

		reopened, err := e.months().Reopen(ctx, e.actor("admin"), "jaipur", this, "registration camp records arrived late")
		if err != nil || reopened.Closed {
			t.Fatalf("reopen: %+v, %v", reopened, err)
		}
		if _, err := e.svc.Update(ctx, e.actor("admin"), moving.ID, in); err != nil {
			t.Errorf("move after the reopen: %v", err)
		}
		var after string
		if err := e.db.NewSelect().Table("audit_log").Column("after_json").
			Where("entity = 'month' AND action = 'reopen' AND entity_id = ? AND district = 'jaipur'", "jaipur/"+this).
			Scan(ctx, &after); err != nil || !strings.Contains(after, "registration camp records arrived late") {
			t.Errorf("reopen audit = %q, %v", after, err)
		}
		_, err = e.months().Reopen(ctx, e.actor("dic.jaipur"), "jaipur", this, "x")
		artWant(t, "dic reopens", err, app.EFORBIDDEN, "error.forbidden")
	})
}

// TestMonthStatus lists every district of the reader's scope with its state.
func TestMonthStatus(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		months := e.months()
		if _, err := months.Close(ctx, e.actor("dic.jaipur"), "jaipur", "2026-10"); err != nil {
			t.Fatal(err)
		}
		if _, err := months.Close(ctx, e.actor("admin"), "jodhpur", "2026-10"); err != nil {
			t.Fatal(err)
		}
		if _, err := months.Reopen(ctx, e.actor("admin"), "jodhpur", "2026-10", "late bills"); err != nil {
			t.Fatal(err)
		}
		var active int
		if err := e.db.NewSelect().Table("districts").ColumnExpr("COUNT(*)").Where("active = ?", true).Scan(ctx, &active); err != nil {
			t.Fatal(err)
		}
		all, err := months.Status(ctx, e.actor("board"), "2026-10")
		if err != nil || len(all) != active {
			t.Fatalf("board sees %d districts of %d: %v", len(all), active, err)
		}
		by := map[string]app.DistrictMonthStatus{}
		for _, s := range all {
			by[s.District] = s
		}
		if j := by["jaipur"]; !j.Closed || j.ClosedAt == nil || j.ClosedByName != "Name of dic.jaipur" || j.Month != "2026-10" || j.DistrictName != "Jaipur" {
			t.Errorf("jaipur = %+v", j)
		}
		if j := by["jodhpur"]; j.Closed || j.ReopenReason != "late bills" || j.ReopenedByName != "Name of admin" {
			t.Errorf("jodhpur = %+v", j)
		}
		if k := by["kota"]; k.Closed || k.ClosedAt != nil {
			t.Errorf("kota = %+v", k)
		}
		own, err := months.Status(ctx, e.actor("dic.jaipur"), "2026-10")
		if err != nil || len(own) != 1 || own[0].District != "jaipur" {
			t.Errorf("dic.jaipur sees %+v, %v", own, err)
		}
		if none, err := months.Status(ctx, e.actor("entry.jaipur"), "2026-10"); err != nil || len(none) != 0 {
			t.Errorf("data entry sees %+v, %v", none, err)
		}
		_, err = months.Status(ctx, e.actor("admin"), "October")
		if enrolFieldKey(err, "month") != app.KeyMonth {
			t.Errorf("bad month: %v", err)
		}
	})
}
