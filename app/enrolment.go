package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Enrolment statuses. An application moves applied → verified → sanctioned → disbursed, or
// ends as rejected. Money may be paid in several instalments: the enrolment stays
// sanctioned while part of the sanction is paid and becomes disbursed when the payments
// reach the sanctioned amount exactly.
const (
	EnrolmentApplied    = "applied"
	EnrolmentVerified   = "verified"
	EnrolmentSanctioned = "sanctioned"
	EnrolmentDisbursed  = "disbursed"
	EnrolmentRejected   = "rejected"
)

// EnrolmentStatuses lists every status in workflow order.
func EnrolmentStatuses() []string {
	return []string{EnrolmentApplied, EnrolmentVerified, EnrolmentSanctioned, EnrolmentDisbursed, EnrolmentRejected}
}

// enrolmentOpen are the statuses of an enrolment still in progress: an artisan has at most
// one such per scheme (enforced by a partial unique index too).
var enrolmentOpen = []string{EnrolmentApplied, EnrolmentVerified, EnrolmentSanctioned}

const enrolmentObject = "enrolment"

// Message keys of enrolments.
const (
	enrolmentKeyArtisan       = "enrolment.unknown_artisan"
	enrolmentKeyScheme        = "enrolment.unknown_scheme"
	enrolmentKeyClosed        = "enrolment.scheme_closed"
	enrolmentKeyAlreadyOpen   = "enrolment.already_open"
	enrolmentKeyBadTransition = "enrolment.bad_transition"
	enrolmentKeyAmount        = "enrolment.amount"
	enrolmentKeyExceeds       = "enrolment.exceeds_sanction"
	enrolmentKeyFuture        = "enrolment.applied_future"
	enrolmentKeyMonthClosed   = "enrolment.month_closed" // arg: month
)

// Enrolment is one artisan's application to one scheme. The JSON field names are fixed.
type Enrolment struct {
	bun.BaseModel `bun:"table:enrolments,alias:e"`

	ID              int64     `bun:"id,pk,autoincrement" json:"id"`
	ArtisanID       int64     `bun:"artisan_id" json:"artisan_id"`
	ArtisanName     string    `bun:"artisan_name,scanonly" json:"artisan_name"`
	ArtisanNameHi   string    `bun:"artisan_name_hi,scanonly" json:"-"` // for Hindi pages; not in the API
	Scheme          string    `bun:"scheme" json:"scheme"`
	District        string    `bun:"district" json:"district"`
	Status          string    `bun:"status" json:"status"`
	AppliedAt       time.Time `bun:"applied_at" json:"applied_at"`
	StatusChangedAt time.Time `bun:"status_changed_at" json:"status_changed_at"`
	SanctionedPaise Paise     `bun:"sanctioned_paise" json:"sanctioned_paise"`
	DisbursedPaise  Paise     `bun:"disbursed_paise" json:"disbursed_paise"`
	RejectReason    string    `bun:"reject_reason" json:"reject_reason"`
	CreatedBy       *int64    `bun:"created_by" json:"-"`
	Version         int64     `bun:"version" json:"version"`

	// Filled by Get only.
	Disbursements []EnrolmentDisbursement `bun:"-" json:"disbursements,omitempty"`
	History       []EnrolmentEvent        `bun:"-" json:"history,omitempty"`
}

// EnrolmentDisbursement is one instalment paid, or a correction of one: a negative amount
// dated in an open month, pointing at the instalment it corrects, with its reason.
type EnrolmentDisbursement struct {
	bun.BaseModel `bun:"table:enrolment_disbursements"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	EnrolmentID int64     `bun:"enrolment_id" json:"-"`
	AmountPaise Paise     `bun:"amount_paise" json:"amount_paise"`
	PaidOn      string    `bun:"paid_on" json:"paid_on"`
	Reference   string    `bun:"reference" json:"reference"`
	At          time.Time `bun:"at" json:"at"`
	ActorID     *int64    `bun:"actor_id" json:"-"`
	CorrectsID  *int64    `bun:"corrects_id" json:"corrects_id,omitempty"`
	Reason      string    `bun:"reason" json:"reason,omitempty"`
}

// EnrolmentEvent is one step in an enrolment's history.
type EnrolmentEvent struct {
	bun.BaseModel `bun:"table:enrolment_events"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	EnrolmentID int64     `bun:"enrolment_id" json:"-"`
	At          time.Time `bun:"at" json:"at"`
	ActorID     *int64    `bun:"actor_id" json:"-"`
	ActorName   string    `bun:"actor_name" json:"actor_name"`
	FromStatus  string    `bun:"from_status" json:"from_status"`
	ToStatus    string    `bun:"to_status" json:"to_status"`
	Action      string    `bun:"action" json:"action"`
	AmountPaise Paise     `bun:"amount_paise" json:"amount_paise"`
	Reason      string    `bun:"reason" json:"reason"`
}

// EnrolmentInput is an application: which artisan, which scheme.
type EnrolmentInput struct {
	ArtisanID int64  `json:"artisan_id"`
	Scheme    string `json:"scheme"`
	AppliedOn string `json:"applied_on"` // YYYY-MM-DD; "" is today
}

// Enrolments enrols artisans in schemes and takes each enrolment through its workflow.
// Every read is limited in SQL to the districts where the actor may read enrolments; one
// outside them is ErrNotFound.
type Enrolments struct {
	DB    *bun.DB
	Authz Authorizer
}

func (s *Enrolments) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, enrolmentObject, action)
}

func (s *Enrolments) scope(actor Actor, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, enrolmentObject, action)
}

// selectEnrolments starts a query over enrolments with the artisan's name, in read scope.
func (s *Enrolments) selectEnrolments(db bun.IDB, actor Actor, dest any) *bun.SelectQuery {
	q := db.NewSelect().Model(dest).ColumnExpr("e.*").ColumnExpr("a.name AS artisan_name, a.name_hi AS artisan_name_hi").
		Join("JOIN artisans AS a ON a.id = e.artisan_id")
	return s.scope(actor, "read").Apply(q, "e.district")
}

func (s *Enrolments) find(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Enrolment, error) {
	en := new(Enrolment)
	err := s.selectEnrolments(db, actor, en).Where("e.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("enrolments: find: %w", err)
	}
	return en, nil
}

// Get returns one enrolment with its instalments and history.
func (s *Enrolments) Get(ctx context.Context, actor Actor, id int64) (*Enrolment, error) {
	en, err := s.find(ctx, s.DB, actor, id)
	if err != nil {
		return nil, err
	}
	en.Disbursements, en.History = []EnrolmentDisbursement{}, []EnrolmentEvent{}
	if err := s.DB.NewSelect().Model(&en.Disbursements).Where("enrolment_id = ?", id).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("enrolments: disbursements: %w", err)
	}
	if err := s.DB.NewSelect().Model(&en.History).Where("enrolment_id = ?", id).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("enrolments: history: %w", err)
	}
	return en, nil
}

// Apply enrols an artisan in a scheme after checking the scheme is open and the artisan
// meets every rule on the day applied (today unless in.AppliedOn says otherwise); a
// refusal names each rule that failed as a field error (enrolment.ineligible.<rule>). An
// artisan outside the actor's reach is an unknown artisan; a day in a closed month of the
// artisan's district is refused (enrolment.month_closed).
func (s *Enrolments) Apply(ctx context.Context, actor Actor, in EnrolmentInput) (*Enrolment, error) {
	day, err := enrolmentAppliedDay(in.AppliedOn)
	if err != nil {
		return nil, err
	}
	var out *Enrolment
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := (&Artisans{DB: s.DB, Authz: s.Authz}).find(ctx, tx, actor, in.ArtisanID)
		if errors.Is(err, ErrNotFound) {
			return Invalid{"artisan_id": Msg(enrolmentKeyArtisan)}.Err()
		} else if err != nil {
			return err
		}
		if !s.can(actor, a.District, "create") {
			return ErrForbidden
		}
		sc, err := findScheme(ctx, tx, in.Scheme)
		if errors.Is(err, ErrNotFound) {
			return Invalid{"scheme": Msg(enrolmentKeyScheme)}.Err()
		} else if err != nil {
			return err
		}
		if err := checkApplication(ctx, tx, a, sc, day); err != nil {
			return err
		}
		open, err := hasOpenEnrolment(ctx, tx, a.ID, sc.Slug)
		if err != nil {
			return err
		}
		if open {
			return Errorf(ECONFLICT, enrolmentKeyAlreadyOpen)
		}
		out, err = s.insert(ctx, tx, actor, a, sc.Slug, day, "apply", "")
		return err
	})
	return out, err
}

// enrolmentAppliedDay reads an application date (YYYY-MM-DD in India, not in the future)
// as the time applied: midnight of a past day, or now for today and for "".
func enrolmentAppliedDay(date string) (time.Time, error) {
	now := artisanToday()
	if date = strings.TrimSpace(date); date == "" || date == now.Format(time.DateOnly) {
		return now, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, date, artisanIST)
	if err != nil || day.Format(time.DateOnly) != date {
		return time.Time{}, Invalid{"applied_on": Msg(KeyDate)}.Err()
	}
	if day.After(now) {
		return time.Time{}, Invalid{"applied_on": Msg(enrolmentKeyFuture)}.Err()
	}
	return day, nil
}

// checkApplication refuses an application on day that the scheme does not take (closed,
// or the artisan fails a rule) or that falls in a closed month of the artisan's district.
func checkApplication(ctx context.Context, db bun.IDB, a *Artisan, sc *SchemeDetail, day time.Time) error {
	if !sc.openOn(day.Format(time.DateOnly)) {
		return Invalid{"scheme": Msg(enrolmentKeyClosed)}.Err()
	}
	if err := sc.Check(a, day); err != nil {
		return err
	}
	return enrolmentMonthOpen(ctx, db, a.District, day.Format(time.DateOnly), "applied_on")
}

// hasOpenEnrolment reports whether the artisan has an enrolment in progress in the scheme.
func hasOpenEnrolment(ctx context.Context, db bun.IDB, artisanID int64, scheme string) (bool, error) {
	open, err := db.NewSelect().Table("enrolments").Where("artisan_id = ? AND scheme = ?", artisanID, scheme).
		Where("status IN (?)", bun.In(enrolmentOpen)).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("enrolments: open: %w", err)
	}
	return open, nil
}

// insert writes a new application of artisan a to scheme, applied at day, with its first
// event (note as its reason) and audit entry (action apply or import).
func (s *Enrolments) insert(ctx context.Context, tx bun.IDB, actor Actor, a *Artisan, scheme string, day time.Time, action, note string) (*Enrolment, error) {
	now := Now()
	en := &Enrolment{ArtisanID: a.ID, ArtisanName: a.Name, Scheme: scheme, District: a.District,
		Status: EnrolmentApplied, AppliedAt: day.UTC(), StatusChangedAt: now, CreatedBy: actorID(actor), Version: 1}
	if _, err := tx.NewInsert().Model(en).Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return nil, Errorf(ECONFLICT, enrolmentKeyAlreadyOpen)
		}
		return nil, fmt.Errorf("enrolments: insert: %w", err)
	}
	if err := s.recordEvent(ctx, tx, actor, en, "", action, 0, note); err != nil {
		return nil, err
	}
	return en, RecordAudit(ctx, tx, actor, Change{Entity: enrolmentObject, EntityID: idString(en.ID), Action: action,
		District: en.District, After: en})
}

// enrolmentMonthOpen refuses a date (YYYY-MM-DD) in a closed month of district, naming
// the month on field.
func enrolmentMonthOpen(ctx context.Context, db bun.IDB, district, date, field string) error {
	month := date[:7]
	closed, err := monthClosed(ctx, db, district, month)
	if err != nil || !closed {
		return err
	}
	m := Msg(enrolmentKeyMonthClosed, "month", month)
	return &Error{Code: EINVALID, Message: m, Fields: map[string]Message{field: m}}
}

func (s *Enrolments) recordEvent(ctx context.Context, tx bun.IDB, actor Actor, en *Enrolment, from, action string, amount Paise, reason string) error {
	ev := &EnrolmentEvent{EnrolmentID: en.ID, At: Now(), ActorName: actor.Username, FromStatus: from,
		ToStatus: en.Status, Action: action, AmountPaise: amount, Reason: reason}
	if actor.UserID != 0 {
		id := actor.UserID
		ev.ActorID = &id
	}
	if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
		return fmt.Errorf("enrolments: event: %w", err)
	}
	return nil
}

// EnrolmentFilter selects enrolments; zero fields select everything in scope.
type EnrolmentFilter struct {
	Scheme    string
	District  string
	Statuses  []string
	Month     string // YYYY-MM of applied_at, in India
	ArtisanID int64
	BeforeID  int64 // keyset cursor: enrolments older than this id
	Limit     int
}

// List returns a page of enrolments newest first and the cursor of the next page (0 at the
// end). The beneficiaries of a scheme are the list filtered by the scheme and the statuses
// sanctioned and disbursed.
func (s *Enrolments) List(ctx context.Context, actor Actor, f EnrolmentFilter) ([]Enrolment, int64, error) {
	v := Invalid{}
	for _, st := range f.Statuses {
		if !slices.Contains(EnrolmentStatuses(), st) {
			v.Add("status", schemeKeyUnknown, "value", st)
		}
	}
	var month Month
	if f.Month != "" {
		var err error
		if month, err = ParseMonth(f.Month); err != nil {
			v.Add("month", KeyMonth)
		}
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 100
	}
	out := []Enrolment{}
	q := s.selectEnrolments(s.DB, actor, &out).OrderExpr("e.id DESC").Limit(int64(f.Limit) + 1)
	if f.Scheme != "" {
		q = q.Where("e.scheme = ?", f.Scheme)
	}
	if f.District != "" {
		q = q.Where("e.district = ?", f.District)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("e.status IN (?)", bun.In(f.Statuses))
	}
	if f.Month != "" {
		start := time.Date(month.Year, month.M, 1, 0, 0, 0, 0, artisanIST)
		q = q.Where("e.applied_at >= ? AND e.applied_at < ?", start.UTC(), start.AddDate(0, 1, 0).UTC())
	}
	if f.ArtisanID != 0 {
		q = q.Where("e.artisan_id = ?", f.ArtisanID)
	}
	if f.BeforeID > 0 {
		q = q.Where("e.id < ?", f.BeforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("enrolments: list: %w", err)
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
		return out, out[f.Limit-1].ID, nil
	}
	return out, 0, nil
}

// Check refuses an artisan who does not meet the scheme's rules, with one field error per
// failed rule: enrolment.ineligible.<rule> with the rule's values as arguments.
func (sc *SchemeDetail) Check(a *Artisan, today time.Time) error {
	v := Invalid{}
	const prefix = "enrolment.ineligible."
	switch {
	case a.Status == ArtisanInactive:
		v.Add("status", prefix+"status")
	case sc.RuleApproved && a.Status != ArtisanApproved:
		v.Add("status", prefix+"approved")
	}
	if sc.RuleMinAge > 0 || sc.RuleMaxAge > 0 {
		born, err := time.Parse(time.DateOnly, a.DateOfBirth)
		age := -1
		if err == nil {
			age = ArtisanAge(born, today)
		}
		maxAge := sc.RuleMaxAge
		if maxAge == 0 {
			maxAge = ArtisanMaxAge
		}
		if age < sc.RuleMinAge || age > maxAge {
			v.Add("age", prefix+"age", "min", strconv.Itoa(sc.RuleMinAge), "max", strconv.Itoa(maxAge), "age", strconv.Itoa(age))
		}
	}
	rule := func(field string, allowed PipeList, value string) {
		if len(allowed) > 0 && !slices.Contains(allowed, value) {
			v.Add(field, prefix+field, "value", value, "allowed", enrolJoin(allowed))
		}
	}
	rule("gender", sc.RuleGenders, a.Gender)
	rule("social_category", sc.RuleCategories, a.SocialCategory)
	rule("district", sc.RuleDistricts, a.District)
	rule("sector", sc.RuleSectors, a.Sector)
	if len(sc.RuleCrafts) > 0 {
		ok := slices.Contains(sc.RuleCrafts, a.PrimaryCraft)
		for _, c := range a.Crafts {
			ok = ok || slices.Contains(sc.RuleCrafts, c)
		}
		if !ok {
			v.Add("craft", prefix+"craft", "value", a.PrimaryCraft, "allowed", enrolJoin(sc.RuleCrafts))
		}
	}
	if sc.RuleBankAccount && a.BankAccount == "" {
		v.Add("bank_account", prefix+"bank_account")
	}
	return v.Err()
}

// enrolJoin lists a rule's values for a message.
func enrolJoin(l PipeList) string { return strings.Join(l, ", ") }
