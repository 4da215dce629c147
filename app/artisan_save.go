package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// artisanColumns are the columns save writes: all but id and created_*, which never
// change, and version, which moves by itself.
var artisanColumns = []string{"registration_no", "name", "name_key", "name_hi", "relative_name", "gender",
	"date_of_birth", "social_category", "disability", "mobile", "aadhaar_last4", "aadhaar_hash", "district",
	"tehsil", "village", "pin_code", "primary_craft", "years_in_craft", "pehchan_id", "weaver_id", "udyam", "pan",
	"gstin", "bank_account", "ifsc", "organisation_id", "status", "status_changed_at", "deactivation_reason",
	"deactivation_note", "merged_into", "updated_at"}

// Create saves a new artisan as a draft. Validation errors name their field; an artisan
// with the same Aadhaar is refused (artisan.duplicate_aadhaar) and one with the same
// mobile and a similar name in the district needs in.ConfirmDuplicate
// (artisan.possible_duplicate).
func (s *Artisans) Create(ctx context.Context, actor Actor, in ArtisanInput) (*Artisan, error) {
	if s.scope(actor, "create").Empty() {
		return nil, ErrForbidden
	}
	in.normalize()
	refs, err := loadArtisanRefs(ctx, s.DB, artisanOrgIDs(in))
	if err != nil {
		return nil, err
	}
	v := Invalid{}
	validateArtisan(v, &in, refs, artisanToday(), nil)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !s.can(actor, in.District, "create") {
		return nil, ErrForbidden
	}
	a := s.newArtisan(actor, &in, refs)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkDuplicates(ctx, tx, actor, a, in.ConfirmDuplicate); err != nil {
			return err
		}
		if err := checkRegistrationOpen(ctx, tx, nil, a); err != nil {
			return err
		}
		return s.insert(ctx, tx, actor, "create", a)
	})
	if err != nil {
		return nil, err
	}
	s.present(actor, s.scope(actor, "view_personal"), a)
	return a, nil
}

// newArtisan builds a draft record from a validated input.
func (s *Artisans) newArtisan(actor Actor, in *ArtisanInput, refs *artisanRefs) *Artisan {
	now := Now()
	a := &Artisan{Status: ArtisanDraft, StatusChangedAt: now, CreatedAt: now, Version: 1}
	if actor.UserID != 0 {
		id := actor.UserID
		a.CreatedBy = &id
	}
	s.apply(a, in, refs)
	a.UpdatedAt = now
	return a
}

// apply copies a validated input onto a record. An empty Aadhaar keeps the stored one.
func (s *Artisans) apply(a *Artisan, in *ArtisanInput, refs *artisanRefs) {
	a.Name, a.NameKey, a.NameHi, a.RelativeName = in.Name, ArtisanNameKey(in.Name), in.NameHi, in.RelativeName
	a.Gender, a.DateOfBirth, a.SocialCategory, a.Disability = in.Gender, in.DateOfBirth, in.SocialCategory, in.Disability
	a.Mobile, a.District, a.Tehsil, a.Village, a.PINCode = in.Mobile, in.District, in.Tehsil, in.Village, in.PINCode
	a.PrimaryCraft, a.Sector, a.Crafts, a.YearsInCraft = in.PrimaryCraft, refs.crafts[in.PrimaryCraft].sector,
		slices.Clone(in.Crafts), in.YearsInCraft
	a.PehchanID, a.WeaverID, a.Udyam, a.PAN, a.GSTIN = in.PehchanID, in.WeaverID, in.Udyam, in.PAN, in.GSTIN
	a.BankAccount, a.IFSC, a.OrganisationID = in.BankAccount, in.IFSC, in.OrganisationID
	if in.Aadhaar != "" {
		h := s.aadhaarHash(in.Aadhaar)
		a.AadhaarHash, a.AadhaarLast4 = &h, string(in.Aadhaar[len(in.Aadhaar)-4:])
	}
}

// insert writes a new record with everything that goes with it: other crafts, search
// terms, the count, the first event and the audit entry.
func (s *Artisans) insert(ctx context.Context, tx bun.IDB, actor Actor, action string, a *Artisan) error {
	if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return Errorf(ECONFLICT, artisanKeyDupAadhaar)
		}
		return fmt.Errorf("artisans: insert: %w", err)
	}
	if err := writeArtisanCrafts(ctx, tx, a); err != nil {
		return err
	}
	if err := writeArtisanTerms(ctx, tx, a); err != nil {
		return err
	}
	if err := addArtisanCount(ctx, tx, a.District, a.Status, 1); err != nil {
		return err
	}
	if err := s.recordEvent(ctx, tx, actor, a, "", action, "", ""); err != nil {
		return err
	}
	return RecordAudit(ctx, tx, actor, Change{Entity: artisanObject, EntityID: idString(a.ID), Action: action,
		District: a.District, After: publicArtisan(a)})
}

// Update replaces a record's fields under optimistic locking (in.Version must be the
// version read). Editing a verified or approved record sends it back to submitted for
// verification; an approved record keeps its registration number.
func (s *Artisans) Update(ctx context.Context, actor Actor, id int64, in ArtisanInput) (*Artisan, error) {
	in.normalize()
	var out *Artisan
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, cur.District, "edit") {
			return ErrForbidden
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		if cur.Status == ArtisanInactive {
			return artisanBadTransition(cur.Status, "edit")
		}
		refs, err := loadArtisanRefs(ctx, tx, artisanOrgIDs(in))
		if err != nil {
			return err
		}
		v := Invalid{}
		validateArtisan(v, &in, refs, artisanToday(), cur.OrganisationID)
		if err := v.Err(); err != nil {
			return err
		}
		if in.District != cur.District && !s.can(actor, in.District, "edit") {
			return ErrForbidden
		}
		next := *cur
		s.apply(&next, &in, refs)
		now := Now()
		next.UpdatedAt = now
		if cur.Status == ArtisanVerified || cur.Status == ArtisanApproved {
			next.Status, next.StatusChangedAt = ArtisanSubmitted, now
		}
		// Asked once: a record whose name, mobile and district stay is not asked again.
		confirmed := in.ConfirmDuplicate ||
			(next.NameKey == cur.NameKey && next.Mobile == cur.Mobile && next.District == cur.District)
		if err := s.checkDuplicates(ctx, tx, actor, &next, confirmed); err != nil {
			return err
		}
		if err := checkRegistrationOpen(ctx, tx, cur, &next); err != nil {
			return err
		}
		if err := s.save(ctx, tx, cur, &next); err != nil {
			return err
		}
		if err := writeArtisanCrafts(ctx, tx, &next); err != nil {
			return err
		}
		if err := writeArtisanTerms(ctx, tx, &next); err != nil {
			return err
		}
		if err := s.recordEvent(ctx, tx, actor, &next, cur.Status, "edit", "", ""); err != nil {
			return err
		}
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: artisanObject, EntityID: idString(id), Action: "update",
			District: next.District, Before: publicArtisan(cur), After: publicArtisan(&next)})
	})
	if err != nil {
		return nil, err
	}
	s.present(actor, s.scope(actor, "view_personal"), out)
	return out, nil
}

// save writes next over cur under optimistic locking and moves the counts when the
// district or status changed.
func (s *Artisans) save(ctx context.Context, tx bun.IDB, cur, next *Artisan) error {
	res, err := tx.NewUpdate().Model(next).Column(artisanColumns...).Set("version = version + 1").
		Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx)
	if err != nil {
		if IsUniqueViolation(err) {
			return Errorf(ECONFLICT, artisanKeyDupAadhaar)
		}
		return fmt.Errorf("artisans: update: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrStale
	}
	next.Version = cur.Version + 1
	// Only approved artisans have readiness facts: a save that neither starts nor ends
	// approved has none to move.
	if cur.Status == ArtisanApproved || next.Status == ArtisanApproved {
		if err := refreshReadiness(ctx, tx, next.ID); err != nil {
			return err
		}
	}
	if cur.District != next.District {
		// The catalogue and onboarding records follow their artisan (migration 21).
		for _, table := range []string{"products", "onboardings"} {
			if _, err := tx.NewRaw("UPDATE "+table+" SET district = ? WHERE artisan_id = ?", next.District, next.ID).Exec(ctx); err != nil {
				return fmt.Errorf("artisans: move %s: %w", table, err)
			}
		}
	}
	// The reports' roll-up follows the record's district, craft, gender and category; a
	// status change is counted when its event is written (recordEvent).
	if err := moveStatusMonths(ctx, tx, cur, next); err != nil {
		return err
	}
	if cur.District != next.District || cur.Status != next.Status {
		if err := addArtisanCount(ctx, tx, cur.District, cur.Status, -1); err != nil {
			return err
		}
		return addArtisanCount(ctx, tx, next.District, next.Status, 1)
	}
	return nil
}

// checkDuplicates refuses a record whose Aadhaar another record holds, and warns of one
// with the same mobile and a similar name in the district unless confirmed.
func (s *Artisans) checkDuplicates(ctx context.Context, tx bun.IDB, actor Actor, a *Artisan, confirmed bool) error {
	if a.AadhaarHash != nil {
		var other Artisan
		err := tx.NewSelect().Model(&other).Column("id", "registration_no", "district").
			Where("aadhaar_hash = ? AND id <> ?", *a.AadhaarHash, a.ID).Limit(1).Scan(ctx)
		switch {
		case err == nil:
			return s.duplicateAadhaar(actor, &other)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("artisans: find aadhaar: %w", err)
		}
	}
	if confirmed {
		return nil
	}
	var others []Artisan
	err := tx.NewSelect().Model(&others).Column("id", "registration_no", "district", "name_key").
		Where("mobile = ? AND district = ? AND id <> ? AND status <> ?", a.Mobile, a.District, a.ID, ArtisanInactive).
		OrderExpr("id").Limit(100).Scan(ctx)
	if err != nil {
		return fmt.Errorf("artisans: find similar: %w", err)
	}
	for i := range others {
		if artisanSimilarNames(others[i].NameKey, a.NameKey) {
			return s.possibleDuplicate(actor, &others[i])
		}
	}
	return nil
}

// duplicateAadhaar names the record holding the Aadhaar only to an actor who may read it.
func (s *Artisans) duplicateAadhaar(actor Actor, other *Artisan) error {
	m := Msg(artisanKeyDupAadhaar)
	if s.can(actor, other.District, "read") {
		m = Msg(artisanKeyDupAadhaar, "existing", other.display())
	}
	return &Error{Code: ECONFLICT, Message: m, Fields: map[string]Message{"aadhaar": m}}
}

// possibleDuplicate asks for confirmation, naming the similar record when readable.
func (s *Artisans) possibleDuplicate(actor Actor, other *Artisan) error {
	m := Msg(artisanKeyPossibleDup)
	if s.can(actor, other.District, "read") {
		m = Msg(artisanKeyPossibleDup, "existing", other.display())
	}
	return &Error{Code: ECONFLICT, Message: m, Fields: map[string]Message{"name": m}}
}

// writeArtisanCrafts replaces the other crafts of a record.
func writeArtisanCrafts(ctx context.Context, tx bun.IDB, as ...*Artisan) error {
	var rows []artisanCraft
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.ID)
		for _, c := range a.Crafts {
			rows = append(rows, artisanCraft{ArtisanID: a.ID, Craft: c})
		}
	}
	for chunk := range slices.Chunk(ids, 500) {
		if _, err := tx.NewDelete().Model((*artisanCraft)(nil)).Where("artisan_id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
			return fmt.Errorf("artisans: clear crafts: %w", err)
		}
	}
	for chunk := range slices.Chunk(rows, 1000) {
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return fmt.Errorf("artisans: crafts: %w", err)
		}
	}
	return nil
}

// addArtisanCount moves the count of a district and status by delta.
func addArtisanCount(ctx context.Context, tx bun.IDB, district, status string, delta int64) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.NewRaw("INSERT INTO artisan_counts (district, status, n) VALUES (?, ?, ?) "+
		"ON CONFLICT (district, status) DO UPDATE SET n = artisan_counts.n + excluded.n", district, status, delta).Exec(ctx)
	if err != nil {
		return fmt.Errorf("artisans: count: %w", err)
	}
	return nil
}

// recordEvent adds a step to the record's history, and counts a status change in the
// reports' monthly roll-up.
func (s *Artisans) recordEvent(ctx context.Context, tx bun.IDB, actor Actor, a *Artisan, from, action, reason, note string) error {
	e := newArtisanEvent(actor, a, from, action, reason, note)
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("artisans: event: %w", err)
	}
	return addStatusChange(ctx, tx, a, e)
}

// newArtisanEvent builds a's event. A status change is dated by the record's
// status_changed_at, to the microsecond, so that a record's status at an instant after it
// is its current status without reading its history (statusAtSQL).
func newArtisanEvent(actor Actor, a *Artisan, from, action, reason, note string) *ArtisanEvent {
	at := Now()
	if from != a.Status {
		at = a.StatusChangedAt
	}
	e := &ArtisanEvent{ArtisanID: a.ID, At: at, ActorName: artisanActorName(actor), FromStatus: from,
		ToStatus: a.Status, Action: action, Reason: reason, Note: note}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorID = &id
	}
	return e
}

func artisanActorName(actor Actor) string {
	if actor.Name != "" {
		return actor.Name
	}
	return actor.Username
}

func artisanOrgIDs(ins ...ArtisanInput) []int64 {
	var ids []int64
	for _, in := range ins {
		if in.OrganisationID != nil {
			ids = append(ids, *in.OrganisationID)
		}
	}
	return ids
}

// artisanBadTransition refuses a step the record's status does not allow.
func artisanBadTransition(from, action string) error {
	return Errorf(ECONFLICT, artisanKeyBadTransition, "from", from, "action", action)
}
