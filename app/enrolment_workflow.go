package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// EnrolmentStep is the body of a workflow step; each step reads the fields it needs.
type EnrolmentStep struct {
	Version     int64  `json:"version"`
	AmountPaise Paise  `json:"amount_paise"` // sanction, disburse
	PaidOn      string `json:"paid_on"`      // disburse: YYYY-MM-DD
	Reference   string `json:"reference"`    // disburse: bank or PFMS reference
	Reason      string `json:"reason"`       // reject
}

// enrolmentSteps says where each step may start. Each needs the enrolment permission of
// its own name in the enrolment's district: verify is the DIC's, sanction and disburse the
// state's.
var enrolmentSteps = map[string][]string{
	"verify":   {EnrolmentApplied},
	"sanction": {EnrolmentVerified},
	"disburse": {EnrolmentSanctioned},
	"reject":   {EnrolmentApplied, EnrolmentVerified, EnrolmentSanctioned},
}

// EnrolmentStepAllowed reports whether an enrolment in status may take step ("verify",
// "sanction", "disburse", "reject" or "correct"), so pages offer only the forms the
// workflow accepts. Permissions are a separate question, for the policy; a reject after a
// payment and a correction before one are refused too, which the caller sees from the
// amounts.
func EnrolmentStepAllowed(status, step string) bool {
	if step == "correct" {
		return status == EnrolmentSanctioned || status == EnrolmentDisbursed
	}
	return slices.Contains(enrolmentSteps[step], status)
}

// Verify confirms an application (the DIC of the artisan's district).
func (s *Enrolments) Verify(ctx context.Context, actor Actor, id int64, in EnrolmentStep) (*Enrolment, error) {
	return s.step(ctx, actor, id, "verify", in)
}

// Sanction approves a verified enrolment for in.AmountPaise.
func (s *Enrolments) Sanction(ctx context.Context, actor Actor, id int64, in EnrolmentStep) (*Enrolment, error) {
	return s.step(ctx, actor, id, "sanction", in)
}

// Disburse records one instalment paid. The total paid never exceeds the sanction; the
// enrolment becomes disbursed when it reaches it and stays sanctioned until then.
func (s *Enrolments) Disburse(ctx context.Context, actor Actor, id int64, in EnrolmentStep) (*Enrolment, error) {
	return s.step(ctx, actor, id, "disburse", in)
}

// Reject ends an enrolment that has not been paid anything; a reason is required.
func (s *Enrolments) Reject(ctx context.Context, actor Actor, id int64, in EnrolmentStep) (*Enrolment, error) {
	return s.step(ctx, actor, id, "reject", in)
}

// Step runs the named step; the handlers' route table names it.
func (s *Enrolments) Step(ctx context.Context, actor Actor, id int64, action string, in EnrolmentStep) (*Enrolment, error) {
	if _, ok := enrolmentSteps[action]; !ok {
		return nil, ErrNotFound
	}
	return s.step(ctx, actor, id, action, in)
}

func (s *Enrolments) step(ctx context.Context, actor Actor, id int64, action string, in EnrolmentStep) (*Enrolment, error) {
	in.Reason, in.Reference, in.PaidOn = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Reference), strings.TrimSpace(in.PaidOn)
	var out *Enrolment
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, cur.District, action) {
			return ErrForbidden
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		if !EnrolmentStepAllowed(cur.Status, action) || action == "reject" && cur.DisbursedPaise > 0 {
			return Errorf(ECONFLICT, enrolmentKeyBadTransition, "action", action, "from", cur.Status)
		}
		next := *cur
		now := Now()
		next.StatusChangedAt = now
		var amount Paise
		v := Invalid{}
		switch action {
		case "verify":
			next.Status = EnrolmentVerified
		case "sanction":
			if in.AmountPaise <= 0 {
				v.Add("amount_paise", enrolmentKeyAmount)
			}
			next.Status, next.SanctionedPaise, amount = EnrolmentSanctioned, in.AmountPaise, in.AmountPaise
		case "disburse":
			left := cur.SanctionedPaise - cur.DisbursedPaise
			switch {
			case in.AmountPaise <= 0:
				v.Add("amount_paise", enrolmentKeyAmount)
			case in.AmountPaise > left:
				v.Add("amount_paise", enrolmentKeyExceeds, "left", FormatRupees(left), "sanctioned", FormatRupees(cur.SanctionedPaise))
			}
			if !schemeValidDate(in.PaidOn) {
				v.Add("paid_on", KeyDate)
			}
			Required(v, "reference", in.Reference)
			MaxLen(v, "reference", in.Reference, 100)
			next.DisbursedPaise, amount = cur.DisbursedPaise+in.AmountPaise, in.AmountPaise
			if next.DisbursedPaise == next.SanctionedPaise {
				next.Status = EnrolmentDisbursed
			} else {
				next.StatusChangedAt = cur.StatusChangedAt
			}
		case "reject":
			Required(v, "reason", in.Reason)
			MaxLen(v, "reason", in.Reason, 500)
			next.Status, next.RejectReason = EnrolmentRejected, in.Reason
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := stepMonthOpen(ctx, tx, cur.District, action, in.PaidOn); err != nil {
			return err
		}
		if err := updateVersioned(ctx, tx, &next, "id", id, cur.Version,
			"status", "status_changed_at", "sanctioned_paise", "disbursed_paise", "reject_reason"); err != nil {
			return err
		}
		next.Version++
		if action == "disburse" {
			d := &EnrolmentDisbursement{EnrolmentID: id, AmountPaise: amount, PaidOn: in.PaidOn, Reference: in.Reference, At: now}
			if actor.UserID != 0 {
				uid := actor.UserID
				d.ActorID = &uid
			}
			if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.recordEvent(ctx, tx, actor, &next, cur.Status, action, amount, in.Reason); err != nil {
			return err
		}
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: enrolmentObject, EntityID: idString(id), Action: action,
			District: next.District, Before: cur, After: &next})
	})
	return out, err
}

// stepMonthOpen refuses a step dated in a closed month of the enrolment's district: a
// payment is dated by its paid_on, every other step by today.
func stepMonthOpen(ctx context.Context, db bun.IDB, district, action, paidOn string) error {
	if action == "disburse" {
		return enrolmentMonthOpen(ctx, db, district, paidOn, "paid_on")
	}
	return enrolmentMonthOpen(ctx, db, district, artisanToday().Format(time.DateOnly), "date")
}
