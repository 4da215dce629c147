package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Message keys of payment corrections.
const (
	enrolmentKeyCorrectionAmount  = "enrolment.correction_amount"
	enrolmentKeyCorrectionExceeds = "enrolment.correction_exceeds" // args: left, paid
	enrolmentKeyUnknownPayment    = "enrolment.unknown_payment"
	enrolmentKeyCorrectionReopens = "enrolment.correction_reopens"
)

// EnrolmentCorrection takes back part or all of a payment recorded wrongly: a negative
// amount against the payment it corrects, with the reason.
type EnrolmentCorrection struct {
	Version     int64  `json:"version"`
	CorrectsID  int64  `json:"corrects_id"`  // the payment (disbursement id) corrected
	AmountPaise Paise  `json:"amount_paise"` // negative
	Reason      string `json:"reason"`
	Reference   string `json:"reference"` // optional: the bank's or PFMS's reference of the recovery
}

// enrolmentCorrected is what the audit log keeps of a correction: the enrolment after it,
// and the correction entry itself.
type enrolmentCorrected struct {
	*Enrolment
	Correction *EnrolmentDisbursement `json:"correction"`
}

// Correct records a correction of a payment, dated today, which must fall in an open month
// of the enrolment's district: a payment in a closed month is never edited, it is amended
// by a correction in an open one (enrolment.month_closed otherwise). It needs
// enrolment:disburse. The amount is negative and never takes more than what is left of the
// payment after its earlier corrections, so the total paid stays between zero and the
// sanction; an enrolment paid in full goes back to sanctioned when the total falls below
// the sanction.
func (s *Enrolments) Correct(ctx context.Context, actor Actor, id int64, in EnrolmentCorrection) (*Enrolment, error) {
	in.Reason, in.Reference = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Reference)
	var out *Enrolment
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, cur.District, "disburse") {
			return ErrForbidden
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		if !EnrolmentStepAllowed(cur.Status, "correct") {
			return Errorf(ECONFLICT, enrolmentKeyBadTransition, "action", "correct", "from", cur.Status)
		}
		if err := checkCorrection(ctx, tx, id, in); err != nil {
			return err
		}
		today := artisanToday().Format(time.DateOnly)
		if err := enrolmentMonthOpen(ctx, tx, cur.District, today, "date"); err != nil {
			return err
		}
		next, err := s.applyCorrection(ctx, tx, cur, in.AmountPaise)
		if err != nil {
			return err
		}
		d := &EnrolmentDisbursement{EnrolmentID: id, AmountPaise: in.AmountPaise, PaidOn: today, Reference: in.Reference,
			At: Now(), ActorID: actorID(actor), CorrectsID: &in.CorrectsID, Reason: in.Reason}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return fmt.Errorf("enrolments: correction: %w", err)
		}
		if err := s.recordEvent(ctx, tx, actor, next, cur.Status, "correct", in.AmountPaise, in.Reason); err != nil {
			return err
		}
		out = next
		return RecordAudit(ctx, tx, actor, Change{Entity: enrolmentObject, EntityID: idString(id), Action: "correct",
			District: next.District, Before: cur, After: enrolmentCorrected{Enrolment: next, Correction: d}})
	})
	return out, err
}

// checkCorrection validates a correction against the payment it corrects: a payment (not
// a correction) of the same enrolment, with enough of it left.
func checkCorrection(ctx context.Context, db bun.IDB, enrolmentID int64, in EnrolmentCorrection) error {
	v := Invalid{}
	Required(v, "reason", in.Reason)
	MaxLen(v, "reason", in.Reason, 500)
	MaxLen(v, "reference", in.Reference, 100)
	if in.AmountPaise >= 0 {
		v.Add("amount_paise", enrolmentKeyCorrectionAmount)
	}
	var paid struct {
		Amount Paise `bun:"amount"`
		Left   Paise `bun:"left_paise"`
	}
	err := db.NewSelect().TableExpr("enrolment_disbursements AS d").
		ColumnExpr("d.amount_paise AS amount").
		ColumnExpr("d.amount_paise + COALESCE((SELECT SUM(c.amount_paise) FROM enrolment_disbursements AS c WHERE c.corrects_id = d.id), 0) AS left_paise").
		Where("d.id = ? AND d.enrolment_id = ? AND d.corrects_id IS NULL", in.CorrectsID, enrolmentID).Scan(ctx, &paid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		v.Add("corrects_id", enrolmentKeyUnknownPayment)
	case err != nil:
		return fmt.Errorf("enrolments: corrected payment: %w", err)
	case in.AmountPaise < 0 && -in.AmountPaise > paid.Left:
		v.Add("amount_paise", enrolmentKeyCorrectionExceeds, "left", FormatRupees(paid.Left), "paid", FormatRupees(paid.Amount))
	}
	return v.Err()
}

// applyCorrection writes the enrolment's new total under optimistic locking, and its
// status: disbursed only while the total equals the sanction. Going back to sanctioned
// makes the enrolment open again, which a newer open one in the same scheme forbids.
func (s *Enrolments) applyCorrection(ctx context.Context, tx bun.IDB, cur *Enrolment, amount Paise) (*Enrolment, error) {
	next := *cur
	next.DisbursedPaise += amount
	if next.DisbursedPaise < 0 || next.DisbursedPaise > next.SanctionedPaise {
		return nil, fmt.Errorf("enrolments: correction leaves %d paid of %d", next.DisbursedPaise, next.SanctionedPaise)
	}
	if cur.Status == EnrolmentDisbursed && next.DisbursedPaise < next.SanctionedPaise {
		open, err := hasOpenEnrolment(ctx, tx, cur.ArtisanID, cur.Scheme)
		if err != nil {
			return nil, err
		}
		if open {
			return nil, Errorf(ECONFLICT, enrolmentKeyCorrectionReopens)
		}
		next.Status, next.StatusChangedAt = EnrolmentSanctioned, Now()
	}
	if err := updateVersioned(ctx, tx, &next, "id", cur.ID, cur.Version, "status", "status_changed_at", "disbursed_paise"); err != nil {
		return nil, err
	}
	next.Version++
	return &next, nil
}
