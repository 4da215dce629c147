package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Onboarding stages of an artisan on a platform, in the order an artisan normally passes
// them; blocked stands apart and carries a reason. A record may move to any stage,
// backwards too: officials correct mistakes and accounts get suspended.
const (
	StageNotStarted     = "not_started"
	StageDocuments      = "documents"
	StageTraining       = "training"
	StageAccountCreated = "account_created"
	StageCatalogue      = "catalogue"
	StageListed         = "listed"
	StageFirstSale      = "first_sale"
	StageActive         = "active" // a sale in the last ActiveSaleDays days
	StageBlocked        = "blocked"
)

// OnboardingStages lists the stages in order, blocked last.
func OnboardingStages() []string {
	return []string{StageNotStarted, StageDocuments, StageTraining, StageAccountCreated, StageCatalogue,
		StageListed, StageFirstSale, StageActive, StageBlocked}
}

// OnboardingReasons are why a record may be blocked; "other" needs a note.
var OnboardingReasons = []string{"no_gstin", "no_pan", "no_bank_account", "photos", "pricing",
	"packaging_logistics", "quality_rejection", "other"}

// ActiveSaleDays is how recent the last sale of an active seller must be.
const ActiveSaleDays = 90

// stageRank orders the stages; blocked ranks below everything, so it needs no document.
func stageRank(stage string) int {
	return slices.Index(OnboardingStages()[:8], stage)
}

const onboardingObject = "onboarding"

// Message keys of onboarding.
const (
	onboardingKeyStage       = "onboarding.unknown_stage"
	onboardingKeyReason      = "onboarding.unknown_reason"
	onboardingKeyNoteOther   = "onboarding.note_for_other"
	onboardingKeyNotApproved = "onboarding.not_approved"
	onboardingKeyMissing     = "onboarding.documents_missing"
	onboardingKeyListings    = "onboarding.live_listings"
	onboardingKeySaleDate    = "onboarding.last_sale_on"
)

// OnboardingRecord is where one artisan stands on one platform. A pair with no record yet
// reads as not_started with version 0. The JSON field names are fixed.
type OnboardingRecord struct {
	bun.BaseModel `bun:"table:onboardings,alias:o"`

	ID           int64     `bun:"id,pk,autoincrement" json:"-"`
	ArtisanID    int64     `bun:"artisan_id" json:"artisan_id"`
	Platform     string    `bun:"platform" json:"platform"`
	Stage        string    `bun:"stage" json:"stage"`
	Reason       string    `bun:"reason" json:"reason"`
	Note         string    `bun:"note" json:"note"`
	SellerID     string    `bun:"seller_id" json:"seller_id"`
	LiveListings int       `bun:"live_listings" json:"live_listings"`
	LastSaleOn   string    `bun:"last_sale_on" json:"last_sale_on"`
	StageSince   time.Time `bun:"stage_since" json:"stage_since"`
	Version      int64     `bun:"version" json:"version"`
	CreatedAt    time.Time `bun:"created_at" json:"-"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
	UpdatedBy    *int64    `bun:"updated_by" json:"-"`

	// Read with the record for lists and the board.
	ArtisanName   string `bun:"artisan_name,scanonly" json:"artisan_name,omitempty"`
	ArtisanNameHi string `bun:"artisan_name_hi,scanonly" json:"-"`
	District      string `bun:"district" json:"district,omitempty"` // the artisan's, kept with the record
	Craft         string `bun:"craft,scanonly" json:"craft,omitempty"`

	History []OnboardingEvent `bun:"-" json:"history"`
}

// OnboardingEvent is one change of stage.
type OnboardingEvent struct {
	bun.BaseModel `bun:"table:onboarding_events"`

	ID           int64     `bun:"id,pk,autoincrement" json:"-"`
	OnboardingID int64     `bun:"onboarding_id" json:"-"`
	At           time.Time `bun:"at" json:"at"`
	ActorID      *int64    `bun:"actor_id" json:"-"`
	ActorName    string    `bun:"actor_name" json:"by"`
	FromStage    string    `bun:"from_stage" json:"from"`
	ToStage      string    `bun:"to_stage" json:"to"`
	Reason       string    `bun:"reason" json:"reason"`
	Note         string    `bun:"note" json:"note"`
}

// OnboardingMove changes a record: a stage (with a reason when blocked) and the
// platform's figures. Nil fields keep their value. Version is the version read (0 for a
// pair with no record yet); a different one is ErrStale.
type OnboardingMove struct {
	Stage        string  `json:"stage"`
	Reason       string  `json:"reason"`
	Note         string  `json:"note"`
	SellerID     *string `json:"seller_id"`
	LiveListings *int    `json:"live_listings"`
	LastSaleOn   *string `json:"last_sale_on"`
	Version      int64   `json:"version"`
}

// Onboarding follows artisans onto e-commerce platforms. Records are scoped in SQL by
// their artisan's district; one outside the actor's districts is ErrNotFound. Only
// approved artisans are onboarded: a draft or rejected record is not yet a registered
// artisan a platform would accept.
type Onboarding struct {
	DB    *bun.DB
	Authz Authorizer
	// Clock gives the time of a change (nil: Now); tests set it to build histories.
	Clock func() time.Time
}

func (s *Onboarding) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC().Truncate(time.Microsecond)
	}
	return Now()
}

func (s *Onboarding) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, onboardingObject, action)
}

func (s *Onboarding) scope(actor Actor, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, onboardingObject, action)
}

// artisan loads an artisan within the actor's onboarding read scope.
func (s *Onboarding) artisan(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Artisan, error) {
	a := new(Artisan)
	q := db.NewSelect().Model(a).Where("a.id = ?", id)
	err := s.scope(actor, "read").Apply(q, "a.district").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("onboarding: artisan: %w", err)
	}
	return a, nil
}

// findPlatform returns an active platform, or ErrNotFound.
func findPlatform(ctx context.Context, db bun.IDB, slug string) (*Platform, error) {
	p := new(Platform)
	err := db.NewSelect().Model(p).Where("slug = ? AND active", slug).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("onboarding: platform: %w", err)
	}
	return p, nil
}

// record returns the stored record of a pair, or a not_started one with version 0.
func (s *Onboarding) record(ctx context.Context, db bun.IDB, artisanID int64, platform string) (*OnboardingRecord, error) {
	r := new(OnboardingRecord)
	err := db.NewSelect().Model(r).Where("o.artisan_id = ? AND o.platform = ?", artisanID, platform).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return &OnboardingRecord{ArtisanID: artisanID, Platform: platform, Stage: StageNotStarted}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("onboarding: record: %w", err)
	}
	return r, nil
}

func (s *Onboarding) withHistory(ctx context.Context, db bun.IDB, r *OnboardingRecord) error {
	r.History = []OnboardingEvent{}
	if r.ID == 0 {
		return nil
	}
	if err := db.NewSelect().Model(&r.History).Where("onboarding_id = ?", r.ID).OrderExpr("at, id").Scan(ctx); err != nil {
		return fmt.Errorf("onboarding: history: %w", err)
	}
	return nil
}

// Get returns an artisan's record on a platform with its history.
func (s *Onboarding) Get(ctx context.Context, actor Actor, artisanID int64, platform string) (*OnboardingRecord, error) {
	a, err := s.artisan(ctx, s.DB, actor, artisanID)
	if err != nil {
		return nil, err
	}
	if _, err := findPlatform(ctx, s.DB, platform); err != nil {
		return nil, err
	}
	r, err := s.record(ctx, s.DB, a.ID, platform)
	if err != nil {
		return nil, err
	}
	return r, s.withHistory(ctx, s.DB, r)
}

// ForArtisan returns the artisan's record on every active platform, by platform name.
func (s *Onboarding) ForArtisan(ctx context.Context, actor Actor, artisanID int64) ([]OnboardingRecord, error) {
	a, err := s.artisan(ctx, s.DB, actor, artisanID)
	if err != nil {
		return nil, err
	}
	var platforms []Platform
	if err := s.DB.NewSelect().Model(&platforms).Where("active").OrderExpr("name_en").Scan(ctx); err != nil {
		return nil, fmt.Errorf("onboarding: platforms: %w", err)
	}
	out := make([]OnboardingRecord, 0, len(platforms))
	for _, p := range platforms {
		r, err := s.record(ctx, s.DB, a.ID, p.Slug)
		if err != nil {
			return nil, err
		}
		if err := s.withHistory(ctx, s.DB, r); err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}

// Move changes an artisan's record on a platform. A stage that needs documents the
// artisan lacks is refused with one field error per missing document
// (documents.<code>: onboarding.missing.<code>).
func (s *Onboarding) Move(ctx context.Context, actor Actor, artisanID int64, platform string, in OnboardingMove) (*OnboardingRecord, error) {
	var out *OnboardingRecord
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.artisan(ctx, tx, actor, artisanID)
		if err != nil {
			return err
		}
		if !s.can(actor, a.District, "edit") {
			return ErrForbidden
		}
		p, err := findPlatform(ctx, tx, platform)
		if err != nil {
			return err
		}
		cur, err := s.record(ctx, tx, a.ID, p.Slug)
		if err != nil {
			return err
		}
		if in.Version != cur.Version {
			return ErrStale
		}
		out, _, err = s.apply(ctx, tx, actor, a, cur, in, "move")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.withHistory(ctx, s.DB, out)
}

// apply validates a move of cur and saves it with its event and audit entry. It reports
// false, saving nothing, when the move changes nothing (an import row seen before).
func (s *Onboarding) apply(ctx context.Context, tx bun.IDB, actor Actor, a *Artisan, cur *OnboardingRecord,
	in OnboardingMove, action string) (*OnboardingRecord, bool, error) {
	next, err := s.validate(ctx, tx, a, cur, in)
	if err != nil {
		return nil, false, err
	}
	if sameOnboarding(cur, next) {
		return cur, false, nil
	}
	now := s.now()
	next.UpdatedAt, next.UpdatedBy = now, actorID(actor)
	moved := next.Stage != cur.Stage || next.Reason != cur.Reason
	if moved {
		next.StageSince = now
	}
	if cur.ID == 0 {
		next.CreatedAt, next.Version = now, 1
		// The record keeps its artisan's district (moved with the artisan), so that a
		// district's records are one index range for the reports (migration 21).
		next.District = a.District
		if _, err := tx.NewInsert().Model(next).Exec(ctx); err != nil {
			if IsUniqueViolation(err) {
				return nil, false, ErrStale
			}
			return nil, false, fmt.Errorf("onboarding: insert: %w", err)
		}
	} else {
		if err := updateVersioned(ctx, tx, next, "id", cur.ID, cur.Version, "stage", "reason", "note",
			"seller_id", "live_listings", "last_sale_on", "stage_since", "updated_at", "updated_by"); err != nil {
			return nil, false, err
		}
		next.Version = cur.Version + 1
	}
	if moved {
		ev := &OnboardingEvent{OnboardingID: next.ID, At: now, ActorID: actorID(actor), ActorName: actor.Username,
			FromStage: cur.Stage, ToStage: next.Stage, Reason: next.Reason, Note: next.Note}
		if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
			return nil, false, fmt.Errorf("onboarding: event: %w", err)
		}
	}
	var before any
	if cur.ID != 0 {
		before = cur
	}
	return next, true, RecordAudit(ctx, tx, actor, Change{Entity: onboardingObject,
		EntityID: idString(a.ID) + "/" + next.Platform, Action: action, District: a.District, Before: before, After: next})
}

// sameOnboarding reports whether next changes nothing of cur.
func sameOnboarding(cur, next *OnboardingRecord) bool {
	return cur.ID != 0 && cur.Stage == next.Stage && cur.Reason == next.Reason && cur.Note == next.Note &&
		cur.SellerID == next.SellerID && cur.LiveListings == next.LiveListings && cur.LastSaleOn == next.LastSaleOn
}

// validate returns cur changed by in, or the field errors of the move.
func (s *Onboarding) validate(ctx context.Context, db bun.IDB, a *Artisan, cur *OnboardingRecord, in OnboardingMove) (*OnboardingRecord, error) {
	next := *cur
	next.History = nil
	next.Stage, next.Reason, next.Note = strings.TrimSpace(in.Stage), strings.TrimSpace(in.Reason), strings.TrimSpace(in.Note)
	v := Invalid{}
	if a.Status != ArtisanApproved {
		v.Add("artisan_id", onboardingKeyNotApproved)
	}
	switch {
	case next.Stage == "":
		v.Add("stage", KeyRequired)
	case !slices.Contains(OnboardingStages(), next.Stage):
		v.Add("stage", onboardingKeyStage)
	}
	if next.Stage == StageBlocked {
		switch {
		case next.Reason == "":
			v.Add("reason", KeyRequired)
		case !slices.Contains(OnboardingReasons, next.Reason):
			v.Add("reason", onboardingKeyReason)
		case next.Reason == "other" && next.Note == "":
			v.Add("note", onboardingKeyNoteOther)
		}
	} else {
		next.Reason = "" // a reason belongs to blocked only
	}
	MaxLen(v, "note", next.Note, 500)
	if in.SellerID != nil {
		next.SellerID = strings.TrimSpace(*in.SellerID)
		MaxLen(v, "seller_id", next.SellerID, 100)
	}
	if in.LiveListings != nil {
		if *in.LiveListings < 0 || *in.LiveListings > 1_000_000 {
			v.Add("live_listings", onboardingKeyListings)
		}
		next.LiveListings = *in.LiveListings
	}
	s.validateSale(v, &next, in.LastSaleOn)
	if len(v) > 0 {
		return nil, v.Err()
	}
	missing, err := s.missingDocuments(ctx, db, a, next.Platform, next.Stage)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		e := &Error{Code: EINVALID, Message: Msg(onboardingKeyMissing), Fields: map[string]Message{}}
		for _, code := range missing {
			e.Fields["documents."+code] = Msg("onboarding.missing." + code)
		}
		return nil, e
	}
	return &next, nil
}

// validateSale checks the date of the last sale: active means a sale within
// ActiveSaleDays, so moving to active without a date takes today.
func (s *Onboarding) validateSale(v Invalid, next *OnboardingRecord, lastSale *string) {
	today := s.now().In(artisanIST).Format(time.DateOnly)
	if lastSale != nil {
		next.LastSaleOn = strings.TrimSpace(*lastSale)
	}
	if next.LastSaleOn == "" && (next.Stage == StageActive || next.Stage == StageFirstSale) {
		next.LastSaleOn = today
	}
	if next.LastSaleOn == "" {
		return
	}
	if !schemeValidDate(next.LastSaleOn) || next.LastSaleOn > today {
		v.Add("last_sale_on", KeyDate)
		return
	}
	if next.Stage == StageActive && next.LastSaleOn < activeSince(s.now()) {
		v.Add("last_sale_on", onboardingKeySaleDate, "days", "90")
	}
}

// activeSince is the first day whose sale still makes a seller active on day now.
func activeSince(now time.Time) string {
	return now.In(artisanIST).AddDate(0, 0, -ActiveSaleDays).Format(time.DateOnly)
}

// missingDocuments lists the documents the platform needs at stage that the artisan
// lacks, in the order of DocumentCodes.
func (s *Onboarding) missingDocuments(ctx context.Context, db bun.IDB, a *Artisan, platform, stage string) ([]string, error) {
	if stage == StageBlocked {
		return nil, nil
	}
	needs, err := RequiredDocuments(ctx, db, platform)
	if err != nil {
		return nil, err
	}
	var due []string
	for _, code := range needs {
		if stageRank(stage) >= stageRank(DocumentNeededFrom(code)) {
			due = append(due, code)
		}
	}
	if len(due) == 0 {
		return nil, nil
	}
	held, err := DocumentsHeld(ctx, db, a)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, code := range due {
		if !held[code] {
			missing = append(missing, code)
		}
	}
	return missing, nil
}
