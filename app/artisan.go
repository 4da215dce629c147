package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Artisan statuses. A record moves draft → submitted → verified → approved; a reviewer may
// send it back as rejected; an approved record may end as inactive.
const (
	ArtisanDraft     = "draft"
	ArtisanSubmitted = "submitted"
	ArtisanVerified  = "verified"
	ArtisanApproved  = "approved"
	ArtisanRejected  = "rejected"
	ArtisanInactive  = "inactive"
)

// ArtisanStatuses lists every status in workflow order.
func ArtisanStatuses() []string {
	return []string{ArtisanDraft, ArtisanSubmitted, ArtisanVerified, ArtisanApproved, ArtisanRejected, ArtisanInactive}
}

// Choices of the enumerated fields, in the order forms show them.
var (
	ArtisanGenders           = []string{"female", "male", "transgender", "other"}
	ArtisanSocialCategories  = []string{"sc", "st", "obc", "mbc", "ews", "general"}
	ArtisanDeactivateReasons = []string{"deceased", "migrated", "duplicate", "other"}
)

// Age limits of a registered artisan, in completed years on the day of saving.
const (
	ArtisanMinAge = 14
	ArtisanMaxAge = 100
)

const (
	artisanObject         = "artisan"
	artisanMaxOtherCrafts = 10
)

// Artisan is one record of the registry. The JSON field names are fixed: other systems
// read them. The Aadhaar number itself is never stored; see AadhaarNumber.
type Artisan struct {
	bun.BaseModel `bun:"table:artisans,alias:a"`

	ID                 int64     `bun:"id,pk,autoincrement" json:"id"`
	RegistrationNo     *string   `bun:"registration_no" json:"registration_no"`
	Name               string    `bun:"name" json:"name"`
	NameKey            string    `bun:"name_key" json:"-"`
	NameHi             string    `bun:"name_hi" json:"name_hi"`
	RelativeName       string    `bun:"relative_name" json:"relative_name"`
	Gender             string    `bun:"gender" json:"gender"`
	DateOfBirth        string    `bun:"date_of_birth" json:"date_of_birth"`
	SocialCategory     string    `bun:"social_category" json:"social_category"`
	Disability         bool      `bun:"disability" json:"disability"`
	Mobile             string    `bun:"mobile" json:"mobile"`
	AadhaarLast4       string    `bun:"aadhaar_last4" json:"aadhaar_last4"`
	AadhaarHash        *string   `bun:"aadhaar_hash" json:"-"`
	District           string    `bun:"district" json:"district"`
	Tehsil             string    `bun:"tehsil" json:"tehsil"`
	Village            string    `bun:"village" json:"village"`
	PINCode            string    `bun:"pin_code" json:"pin_code"`
	PrimaryCraft       string    `bun:"primary_craft" json:"primary_craft"`
	Sector             string    `bun:"sector,scanonly" json:"sector"`
	Crafts             []string  `bun:"-" json:"crafts"`
	YearsInCraft       int       `bun:"years_in_craft" json:"years_in_craft"`
	PehchanID          string    `bun:"pehchan_id" json:"pehchan_id"`
	WeaverID           string    `bun:"weaver_id" json:"weaver_id"`
	Udyam              string    `bun:"udyam" json:"udyam"`
	PAN                string    `bun:"pan" json:"pan"`
	GSTIN              string    `bun:"gstin" json:"gstin"`
	BankAccount        string    `bun:"bank_account" json:"bank_account"`
	IFSC               string    `bun:"ifsc" json:"ifsc"`
	OrganisationID     *int64    `bun:"organisation_id" json:"organisation_id"`
	Status             string    `bun:"status" json:"status"`
	StatusChangedAt    time.Time `bun:"status_changed_at" json:"status_changed_at"`
	DeactivationReason string    `bun:"deactivation_reason" json:"deactivation_reason,omitempty"`
	DeactivationNote   string    `bun:"deactivation_note" json:"deactivation_note,omitempty"`
	MergedInto         *int64    `bun:"merged_into" json:"merged_into,omitempty"`
	Version            int64     `bun:"version" json:"version"`
	CreatedAt          time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt          time.Time `bun:"updated_at" json:"updated_at"`
	CreatedBy          *int64    `bun:"created_by" json:"created_by"`
	// Masked tells the reader that mobile, PAN and bank account show only their last four
	// characters because the actor may not see personal details in this district.
	Masked bool `bun:"-" json:"masked"`
}

// AadhaarNumber is an Aadhaar number on its way in. It is write-only: it prints, logs and
// marshals as redacted, so a stray log line or error dump cannot leak it. Only its last
// four digits and a keyed hash are stored.
type AadhaarNumber string

const artisanAadhaarRedacted = "[aadhaar redacted]"

// String and GoString keep the number out of fmt output (%v, %+v, %#v, %s).
func (AadhaarNumber) String() string { return artisanAadhaarRedacted }

// GoString is String for %#v.
func (AadhaarNumber) GoString() string { return artisanAadhaarRedacted }

// LogValue keeps the number out of structured logs.
func (AadhaarNumber) LogValue() slog.Value { return slog.StringValue(artisanAadhaarRedacted) }

// MarshalJSON writes null: the number is never sent back.
func (AadhaarNumber) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// ArtisanInput is what Create, Update and CreateMany take. Update replaces every field
// except Aadhaar, which stays as it is when left empty (the client cannot know it).
type ArtisanInput struct {
	Name           string        `json:"name"`
	NameHi         string        `json:"name_hi"`
	RelativeName   string        `json:"relative_name"`
	Gender         string        `json:"gender"`
	DateOfBirth    string        `json:"date_of_birth"`
	SocialCategory string        `json:"social_category"`
	Disability     bool          `json:"disability"`
	Mobile         string        `json:"mobile"`
	Aadhaar        AadhaarNumber `json:"aadhaar"`
	District       string        `json:"district"`
	Tehsil         string        `json:"tehsil"`
	Village        string        `json:"village"`
	PINCode        string        `json:"pin_code"`
	PrimaryCraft   string        `json:"primary_craft"`
	Crafts         []string      `json:"crafts"`
	YearsInCraft   int           `json:"years_in_craft"`
	PehchanID      string        `json:"pehchan_id"`
	WeaverID       string        `json:"weaver_id"`
	Udyam          string        `json:"udyam"`
	PAN            string        `json:"pan"`
	GSTIN          string        `json:"gstin"`
	BankAccount    string        `json:"bank_account"`
	IFSC           string        `json:"ifsc"`
	OrganisationID *int64        `json:"organisation_id"`
	// ConfirmDuplicate saves the record although an artisan with the same mobile and a
	// similar name exists in the district (the answer to artisan.possible_duplicate).
	ConfirmDuplicate bool `json:"confirm_duplicate"`
	// Version is the version read; Update refuses with ErrStale when it has moved on.
	Version int64 `json:"version"`
}

// ArtisanEvent is one step in an artisan's history.
type ArtisanEvent struct {
	bun.BaseModel `bun:"table:artisan_events"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	ArtisanID  int64     `bun:"artisan_id" json:"artisan_id"`
	At         time.Time `bun:"at" json:"at"`
	ActorID    *int64    `bun:"actor_id" json:"actor_id"`
	ActorName  string    `bun:"actor_name" json:"actor_name"`
	FromStatus string    `bun:"from_status" json:"from_status"`
	ToStatus   string    `bun:"to_status" json:"to_status"`
	Action     string    `bun:"action" json:"action"`
	Reason     string    `bun:"reason" json:"reason"`
	Note       string    `bun:"note" json:"note"`
}

// Artisans is the registry: records, their workflow, search and import. Every read is
// limited in SQL to the districts where the actor may read artisans; a record outside
// them is ErrNotFound, never ErrForbidden, so its existence is not confirmed.
type Artisans struct {
	DB    *bun.DB
	Authz Authorizer
	Keys  Keys // Derive("aadhaar") keys the Aadhaar hash
	// SearchIDList is how many name matches List fetches as a list of ids before it
	// counts them and probes instead (0 means 2000). Tests lower it to reach every way.
	SearchIDList int
}

// Get returns one artisan as the actor may see it.
func (s *Artisans) Get(ctx context.Context, actor Actor, id int64) (*Artisan, error) {
	a, err := s.find(ctx, s.DB, actor, id)
	if err != nil {
		return nil, err
	}
	s.present(actor, s.scope(actor, "view_personal"), a)
	return a, nil
}

// History returns the steps of an artisan's record, oldest first.
func (s *Artisans) History(ctx context.Context, actor Actor, id int64) ([]ArtisanEvent, error) {
	if _, err := s.find(ctx, s.DB, actor, id); err != nil {
		return nil, err
	}
	out := []ArtisanEvent{}
	if err := s.DB.NewSelect().Model(&out).Where("artisan_id = ?", id).OrderExpr("id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("artisans: history: %w", err)
	}
	return out, nil
}

// can reports whether the actor may perform action on artisans in district. The binary
// acting for itself (System) may, as in Users.
func (s *Artisans) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, artisanObject, action)
}

// scope returns where the actor may perform action on artisans.
func (s *Artisans) scope(actor Actor, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, artisanObject, action)
}

// selectArtisans starts a query over artisans with the craft's sector, limited to the
// actor's read scope.
func (s *Artisans) selectArtisans(db bun.IDB, actor Actor, dest any) *bun.SelectQuery {
	q := db.NewSelect().Model(dest).ColumnExpr("a.*").ColumnExpr("c.sector AS sector").
		Join("JOIN crafts AS c ON c.slug = a.primary_craft")
	return s.scope(actor, "read").Apply(q, "a.district")
}

// find loads one artisan within the actor's read scope, with its other crafts.
func (s *Artisans) find(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Artisan, error) {
	a := new(Artisan)
	err := s.selectArtisans(db, actor, a).Where("a.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("artisans: find: %w", err)
	}
	if err := loadArtisanCrafts(ctx, db, []*Artisan{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// loadArtisanCrafts fills Crafts of each artisan.
func loadArtisanCrafts(ctx context.Context, db bun.IDB, as []*Artisan) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*Artisan, len(as))
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		a.Crafts = []string{}
		byID[a.ID] = a
		ids = append(ids, a.ID)
	}
	var rows []artisanCraft
	if err := db.NewSelect().Model(&rows).Where("artisan_id IN (?)", bun.In(ids)).
		OrderExpr("artisan_id, craft").Scan(ctx); err != nil {
		return fmt.Errorf("artisans: crafts: %w", err)
	}
	for _, r := range rows {
		byID[r.ArtisanID].Crafts = append(byID[r.ArtisanID].Crafts, r.Craft)
	}
	return nil
}

// artisanCraft is one other craft of an artisan.
type artisanCraft struct {
	bun.BaseModel `bun:"table:artisan_crafts"`

	ArtisanID int64  `bun:"artisan_id,pk"`
	Craft     string `bun:"craft,pk"`
}

// present masks what the actor may not see: mobile, PAN and bank account outside the
// districts of personal, the scope of artisan:view_personal.
func (s *Artisans) present(actor Actor, personal Scope, a *Artisan) {
	if !personal.Includes(a.District) {
		maskArtisan(a)
	}
}

// maskArtisan replaces personal details by their last four characters.
func maskArtisan(a *Artisan) {
	a.Mobile = MaskTail(a.Mobile)
	a.PAN = MaskTail(a.PAN)
	a.BankAccount = MaskTail(a.BankAccount)
	a.Masked = true
}

// publicArtisan is the copy of a written to the audit log and events: masked, so the log
// holds no more personal data than any reader may see (and never the Aadhaar, which the
// record does not hold).
func publicArtisan(a *Artisan) Artisan {
	c := *a
	c.Crafts = append([]string{}, a.Crafts...)
	maskArtisan(&c)
	return c
}

// MaskTail shows only the last four characters of s, the others as X ("XXXXXX1234").
func MaskTail(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	keep := 4
	if len(r) <= keep {
		keep = 0
	}
	return strings.Repeat("X", len(r)-keep) + string(r[len(r)-keep:])
}

// display returns the registration number of a record, or its id before approval: how
// messages name a record.
func (a *Artisan) display() string {
	if a.RegistrationNo != nil {
		return *a.RegistrationNo
	}
	return idString(a.ID)
}
