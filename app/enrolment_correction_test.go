package app_test

import (
	"context"
	"strings"
	"testing"

	"shilpkosh/app"
)

// TestEnrolmentCorrection pays a sanction of ₹10,000 in two instalments, the first dated
// in a month since closed, then corrects the first: the refusals (role, version, sign,
// reason, unknown payment, more than is left, a newer open enrolment, today's month
// closed) and a correction accepted, audited, which sends the enrolment back to
// sanctioned until the rest is paid again.
func TestEnrolmentCorrection(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		this, last := enrolMonths()
		a := e.approved(artInput("Mohan Lal", "9829012345"))
		e.scheme("toolkit", nil)
		en, err := e.apply("entry.jaipur", a.ID, "toolkit")
		if err != nil {
			t.Fatal(err)
		}
		correct := func(who string, in app.EnrolmentCorrection) (*app.Enrolment, error) {
			return e.enrol.Correct(ctx, e.actor(who), en.ID, in)
		}
		step := func(who, action string, in app.EnrolmentStep) {
			t.Helper()
			in.Version = en.Version
			if en, err = e.enrol.Step(ctx, e.actor(who), en.ID, action, in); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
		}
		_, err = correct("board", app.EnrolmentCorrection{Version: 1, CorrectsID: 1, AmountPaise: -100, Reason: "x"})
		artWant(t, "correct before any payment", err, app.ECONFLICT, "enrolment.bad_transition")
		step("dic.jaipur", "verify", app.EnrolmentStep{})
		step("board", "sanction", app.EnrolmentStep{AmountPaise: 10_000_00})
		step("board", "disburse", app.EnrolmentStep{AmountPaise: 4_000_00, PaidOn: last + "-15", Reference: "PFMS-1"})
		step("board", "disburse", app.EnrolmentStep{AmountPaise: 6_000_00, PaidOn: this + "-01", Reference: "PFMS-2"})
		full, err := e.enrol.Get(ctx, e.actor("admin"), en.ID)
		if err != nil || en.Status != app.EnrolmentDisbursed || len(full.Disbursements) != 2 {
			t.Fatalf("paid: %+v, %v", full, err)
		}
		first, second := full.Disbursements[0].ID, full.Disbursements[1].ID
		if _, err := e.months().Close(ctx, e.actor("dic.jaipur"), "jaipur", last); err != nil {
			t.Fatal(err)
		}

		ok := app.EnrolmentCorrection{Version: en.Version, CorrectsID: first, AmountPaise: -1_500_00, Reason: "paid ₹1,500 too much"}
		_, err = correct("dic.jaipur", ok)
		artWant(t, "dic corrects", err, app.EFORBIDDEN, "error.forbidden")
		_, err = correct("dic.jodhpur", ok)
		artWant(t, "jodhpur corrects", err, app.ENOTFOUND, "error.not_found")
		stale := ok
		stale.Version--
		_, err = correct("board", stale)
		artWant(t, "stale", err, app.ECONFLICT, "error.stale")
		_, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: first, AmountPaise: 100})
		if enrolFieldKey(err, "amount_paise") != "enrolment.correction_amount" || enrolFieldKey(err, "reason") != app.KeyRequired {
			t.Errorf("positive amount, no reason: %v", err)
		}
		_, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: 9999, AmountPaise: -100, Reason: "x"})
		if enrolFieldKey(err, "corrects_id") != "enrolment.unknown_payment" {
			t.Errorf("unknown payment: %v", err)
		}
		_, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: first, AmountPaise: -4_000_01, Reason: "x"})
		if ae, _ := err.(*app.Error); ae == nil || ae.Fields["amount_paise"].Key != "enrolment.correction_exceeds" ||
			ae.Fields["amount_paise"].Args["left"] != "₹4,000" {
			t.Errorf("more than the payment: %v", err)
		}

		// A newer open enrolment in the scheme: going back to sanctioned would make two.
		newer, err := e.apply("entry.jaipur", a.ID, "toolkit")
		if err != nil {
			t.Fatal(err)
		}
		_, err = correct("board", ok)
		artWant(t, "correction with a newer open enrolment", err, app.ECONFLICT, "enrolment.correction_reopens")
		if _, err := e.enrol.Reject(ctx, e.actor("dic.jaipur"), newer.ID, app.EnrolmentStep{Version: 1, Reason: "applied twice"}); err != nil {
			t.Fatal(err)
		}

		// Today's month closed: refused, naming the month; reopened: accepted.
		if _, err := e.months().Close(ctx, e.actor("dic.jaipur"), "jaipur", this); err != nil {
			t.Fatal(err)
		}
		_, err = correct("board", ok)
		wantMonthClosed(t, "correction in a closed month", err, "date", "enrolment.month_closed", this)
		if _, err := e.months().Reopen(ctx, e.actor("admin"), "jaipur", this, "correction of a payment"); err != nil {
			t.Fatal(err)
		}
		en, err = correct("board", ok)
		if err != nil || en.Status != app.EnrolmentSanctioned || en.DisbursedPaise != 8_500_00 {
			t.Fatalf("correction: %+v, %v", en, err)
		}
		_, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: first, AmountPaise: -2_500_01, Reason: "x"})
		if ae, _ := err.(*app.Error); ae == nil || ae.Fields["amount_paise"].Args["left"] != "₹2,500" {
			t.Errorf("more than is left of the payment: %v", err)
		}
		full, err = e.enrol.Get(ctx, e.actor("dic.jaipur"), en.ID)
		if err != nil || len(full.Disbursements) != 3 {
			t.Fatalf("get: %+v, %v", full, err)
		}
		c := full.Disbursements[2]
		if c.CorrectsID == nil || *c.CorrectsID != first || c.AmountPaise != -1_500_00 || c.Reason != "paid ₹1,500 too much" ||
			!strings.HasPrefix(c.PaidOn, this) {
			t.Errorf("correction entry = %+v", c)
		}
		_, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: c.ID, AmountPaise: -1, Reason: "x"})
		if enrolFieldKey(err, "corrects_id") != "enrolment.unknown_payment" {
			t.Errorf("correcting a correction: %v", err)
		}
		if ev := full.History[len(full.History)-1]; ev.Action != "correct" || ev.AmountPaise != -1_500_00 ||
			ev.FromStatus != app.EnrolmentDisbursed || ev.ToStatus != app.EnrolmentSanctioned {
			t.Errorf("event = %+v", ev)
		}
		var after string
		if err := e.db.NewSelect().Table("audit_log").Column("after_json").
			Where("entity = 'enrolment' AND action = 'correct' AND entity_id = ?", enrolID(en.ID)).Scan(ctx, &after); err != nil ||
			!strings.Contains(after, "paid ₹1,500 too much") || !strings.Contains(after, `"corrects_id":`+enrolID(first)) {
			t.Errorf("audit = %s, %v", after, err)
		}

		// The second payment is corrected in full, and the rest is paid again.
		if en, err = correct("board", app.EnrolmentCorrection{Version: en.Version, CorrectsID: second, AmountPaise: -6_000_00, Reason: "wrong account"}); err != nil || en.DisbursedPaise != 2_500_00 {
			t.Fatalf("second correction: %+v, %v", en, err)
		}
		step("board", "disburse", app.EnrolmentStep{AmountPaise: 7_500_00, PaidOn: this + "-02", Reference: "PFMS-3"})
		if en.Status != app.EnrolmentDisbursed || en.DisbursedPaise != 10_000_00 {
			t.Errorf("paid again: %+v", en)
		}
	})
}
