package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// artisanStep is one move of the workflow: the statuses it starts from and where it leads.
// Each needs the artisan permission of its own name in the record's district.
type artisanStep struct {
	from []string
	to   string
}

// The workflow. Everything not listed here is refused with artisan.bad_transition.
var artisanSteps = map[string]artisanStep{
	"submit":     {from: []string{ArtisanDraft, ArtisanRejected}, to: ArtisanSubmitted},
	"verify":     {from: []string{ArtisanSubmitted}, to: ArtisanVerified},
	"approve":    {from: []string{ArtisanVerified}, to: ArtisanApproved},
	"reject":     {from: []string{ArtisanSubmitted, ArtisanVerified}, to: ArtisanRejected},
	"deactivate": {from: []string{ArtisanApproved}, to: ArtisanInactive},
}

// ArtisanStepAllowed reports whether a record in status may take step ("submit", "verify",
// "approve", "reject", "deactivate" or "merge"), so pages offer only the buttons the
// workflow accepts. Permissions are a separate question, for the policy.
func ArtisanStepAllowed(status, step string) bool {
	if step == "merge" {
		return status != ArtisanInactive
	}
	return slices.Contains(artisanSteps[step].from, status)
}

// Submit sends a draft, or a rejected record once fixed, for verification.
func (s *Artisans) Submit(ctx context.Context, actor Actor, id, version int64, note string) (*Artisan, error) {
	return s.step(ctx, actor, id, version, "submit", "", note)
}

// Verify confirms a submitted record. Only an officer with artisan:verify in the record's
// district may, and never the user who created the record.
func (s *Artisans) Verify(ctx context.Context, actor Actor, id, version int64, note string) (*Artisan, error) {
	return s.step(ctx, actor, id, version, "verify", "", note)
}

// Approve approves a verified record and gives it its registration number,
// RJ-<DISTRICT>-<YEAR>-<NNNNNN>, unless it has one from an earlier approval.
func (s *Artisans) Approve(ctx context.Context, actor Actor, id, version int64, note string) (*Artisan, error) {
	return s.step(ctx, actor, id, version, "approve", "", note)
}

// Reject sends a submitted or verified record back to its author; reason is required.
func (s *Artisans) Reject(ctx context.Context, actor Actor, id, version int64, reason string) (*Artisan, error) {
	return s.step(ctx, actor, id, version, "reject", reason, "")
}

// Deactivate ends an approved record: reason is one of ArtisanDeactivateReasons, note
// says more. The registration number stays with the record and is never given again.
func (s *Artisans) Deactivate(ctx context.Context, actor Actor, id, version int64, reason, note string) (*Artisan, error) {
	return s.step(ctx, actor, id, version, "deactivate", reason, note)
}

// step moves a record one step of the workflow.
func (s *Artisans) step(ctx context.Context, actor Actor, id, version int64, action, reason, note string) (*Artisan, error) {
	reason, note = strings.TrimSpace(reason), strings.TrimSpace(note)
	move := artisanSteps[action]
	var out *Artisan
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, cur.District, action) {
			return ErrForbidden
		}
		if version != cur.Version {
			return ErrStale
		}
		if !slices.Contains(move.from, cur.Status) {
			return artisanBadTransition(cur.Status, action)
		}
		if action == "verify" && cur.CreatedBy != nil && *cur.CreatedBy == actor.UserID {
			return Errorf(EFORBIDDEN, artisanKeySelfVerify)
		}
		if err := checkStepReason(action, reason, note); err != nil {
			return err
		}
		next := *cur
		now := Now()
		next.Status, next.StatusChangedAt, next.UpdatedAt = move.to, now, now
		if action == "deactivate" {
			next.DeactivationReason, next.DeactivationNote = reason, note
		}
		if action == "approve" && next.RegistrationNo == nil {
			no, err := nextRegistrationNo(ctx, tx, next.District, now)
			if err != nil {
				return err
			}
			next.RegistrationNo = &no
		}
		if err := s.save(ctx, tx, cur, &next); err != nil {
			return err
		}
		if err := s.recordEvent(ctx, tx, actor, &next, cur.Status, action, reason, note); err != nil {
			return err
		}
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: artisanObject, EntityID: idString(id), Action: action,
			District: next.District, Before: publicArtisan(cur), After: publicArtisan(&next)})
	})
	if err != nil {
		return nil, err
	}
	s.present(actor, s.scope(actor, "view_personal"), out)
	return out, nil
}

// checkStepReason requires a reason to reject and a listed reason to deactivate.
func checkStepReason(action, reason, note string) error {
	v := Invalid{}
	switch action {
	case "reject":
		Required(v, "reason", reason)
		MaxLen(v, "reason", reason, 500)
	case "deactivate":
		artisanChoice(v, "reason", reason, ArtisanDeactivateReasons)
	}
	MaxLen(v, "note", note, 500)
	return v.Err()
}

// nextRegistrationNo takes the next number of the district and year (in India) inside the
// approving transaction. The sequence row only ever grows, so a number is never reused.
func nextRegistrationNo(ctx context.Context, tx bun.IDB, district string, now time.Time) (string, error) {
	year := now.In(artisanIST).Year()
	var seq int64
	err := tx.NewRaw("INSERT INTO registration_sequences (district, year, last_seq) VALUES (?, ?, 1) "+
		"ON CONFLICT (district, year) DO UPDATE SET last_seq = registration_sequences.last_seq + 1 "+
		"RETURNING last_seq", district, year).Scan(ctx, &seq)
	if err != nil {
		return "", fmt.Errorf("artisans: registration number: %w", err)
	}
	return ArtisanRegistrationNo(district, year, seq), nil
}

// ArtisanRegistrationNo formats a registration number: RJ-JAIPUR-2026-000123.
func ArtisanRegistrationNo(district string, year int, seq int64) string {
	return fmt.Sprintf("RJ-%s-%d-%06d", strings.ToUpper(district), year, seq)
}

// Merge folds a duplicate record into the one kept: the dropped record becomes inactive
// with reason duplicate and merged_into pointing at the kept one, keeping its history and
// registration number (never given again). The kept record takes over the Aadhaar when it
// has none. It needs artisan:merge in the districts of both.
func (s *Artisans) Merge(ctx context.Context, actor Actor, keepID, dropID int64) (*Artisan, error) {
	if keepID == dropID {
		return nil, Invalid{"duplicate_id": Msg(artisanKeyMergeSame)}.Err()
	}
	var out *Artisan
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		keep, err := s.find(ctx, tx, actor, keepID)
		if err != nil {
			return err
		}
		drop, err := s.find(ctx, tx, actor, dropID)
		if err != nil {
			return err
		}
		if !s.can(actor, keep.District, "merge") || !s.can(actor, drop.District, "merge") {
			return ErrForbidden
		}
		for _, a := range []*Artisan{keep, drop} {
			if a.Status == ArtisanInactive {
				return artisanBadTransition(a.Status, "merge")
			}
		}
		now := Now()
		nextDrop := *drop
		nextDrop.Status, nextDrop.StatusChangedAt, nextDrop.UpdatedAt = ArtisanInactive, now, now
		nextDrop.DeactivationReason, nextDrop.MergedInto = "duplicate", &keep.ID
		nextDrop.DeactivationNote = "merged into " + keep.display()
		nextKeep := *keep
		moveAadhaar := keep.AadhaarHash == nil && drop.AadhaarHash != nil
		if moveAadhaar {
			// The unique index allows the hash on one row only: clear it before moving it.
			nextDrop.AadhaarHash = nil
			nextKeep.AadhaarHash, nextKeep.AadhaarLast4, nextKeep.UpdatedAt = drop.AadhaarHash, drop.AadhaarLast4, now
		}
		if err := s.save(ctx, tx, drop, &nextDrop); err != nil {
			return err
		}
		if moveAadhaar {
			if err := s.save(ctx, tx, keep, &nextKeep); err != nil {
				return err
			}
		}
		if err := s.recordEvent(ctx, tx, actor, &nextDrop, drop.Status, "merge", "duplicate", nextDrop.DeactivationNote); err != nil {
			return err
		}
		if err := s.recordEvent(ctx, tx, actor, &nextKeep, keep.Status, "merge", "duplicate", "merged "+drop.display()); err != nil {
			return err
		}
		out = &nextKeep
		return RecordAudit(ctx, tx, actor, Change{Entity: artisanObject, EntityID: idString(drop.ID), Action: "merge",
			District: drop.District, Before: publicArtisan(drop), After: publicArtisan(&nextDrop)})
	})
	if err != nil {
		return nil, err
	}
	s.present(actor, s.scope(actor, "view_personal"), out)
	return out, nil
}
