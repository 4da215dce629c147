package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// Field error keys of the artisan and organisation forms, beyond the shared ones in
// validate.go.
const (
	artisanKeyChoice         = "validation.choice"       // not one of the listed values
	artisanKeyBankAccount    = "validation.bank_account" // 9-18 digits
	artisanKeyIdentifier     = "validation.identifier"   // letters, digits, / and -
	artisanKeyAge            = "artisan.age"             // args: min, max
	artisanKeyYearsInCraft   = "artisan.years_in_craft"
	artisanKeyUnknownDist    = "artisan.unknown_district"
	artisanKeyUnknownCraft   = "artisan.unknown_craft" // arg: craft
	artisanKeyTooManyCrafts  = "artisan.too_many_crafts"
	artisanKeyUnknownOrg     = "artisan.unknown_organisation"
	artisanKeyOrgDistrict    = "artisan.organisation_district"
	artisanKeyOrgInactive    = "artisan.organisation_inactive"
	artisanKeyGSTINPAN       = "artisan.gstin_pan_mismatch"
	artisanKeyBadTransition  = "artisan.bad_transition" // args: from, action
	artisanKeyDupAadhaar     = "artisan.duplicate_aadhaar"
	artisanKeyPossibleDup    = "artisan.possible_duplicate"
	artisanKeySelfVerify     = "artisan.self_verify"
	artisanKeyBadCursor      = "artisan.bad_cursor"
	artisanKeyMergeSame      = "artisan.merge_same"
	artisanKeyDistrictDenied = "artisan.district_forbidden"
	artisanKeyImportInvalid  = "artisan.import_invalid" // arg: rows (how many have problems)
	artisanKeyImportTooMany  = "artisan.import_too_many"
)

// artisanIST is the clock of the people using the registry: ages and registration years
// turn over at midnight in India, not in UTC.
var artisanIST = time.FixedZone("IST", 5*3600+1800)

// normalize puts the input into the stored form before it is validated, so what passes
// validation is exactly what is saved and compared.
func (in *ArtisanInput) normalize() {
	in.Name = artisanCleanText(in.Name)
	in.NameHi = artisanCleanText(in.NameHi)
	in.RelativeName = artisanCleanText(in.RelativeName)
	in.Gender = strings.ToLower(strings.TrimSpace(in.Gender))
	in.DateOfBirth = strings.TrimSpace(in.DateOfBirth)
	in.SocialCategory = strings.ToLower(strings.TrimSpace(in.SocialCategory))
	in.Mobile = NormalizeMobile(in.Mobile)
	in.Aadhaar = AadhaarNumber(NormalizeDigits(string(in.Aadhaar)))
	in.District = strings.ToLower(strings.TrimSpace(in.District))
	in.Tehsil = artisanCleanText(in.Tehsil)
	in.Village = artisanCleanText(in.Village)
	in.PINCode = NormalizeDigits(in.PINCode)
	in.PrimaryCraft = strings.ToLower(strings.TrimSpace(in.PrimaryCraft))
	crafts := make([]string, 0, len(in.Crafts))
	for _, c := range in.Crafts {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != in.PrimaryCraft && !slices.Contains(crafts, c) {
			crafts = append(crafts, c)
		}
	}
	slices.Sort(crafts)
	in.Crafts = crafts
	in.PehchanID = NormalizeUpper(in.PehchanID)
	in.WeaverID = NormalizeUpper(in.WeaverID)
	in.Udyam = NormalizeUpper(in.Udyam)
	in.PAN = NormalizeUpper(in.PAN)
	in.GSTIN = NormalizeUpper(in.GSTIN)
	in.BankAccount = NormalizeDigits(in.BankAccount)
	in.IFSC = NormalizeUpper(in.IFSC)
}

// artisanCleanText trims, collapses runs of white space and puts Unicode text into NFC, so
// a Hindi name typed with a different keyboard (nukta as one or two code points) is the
// same name.
func artisanCleanText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// ArtisanNameKey is the form names are sorted and compared by (the name_key column): NFC,
// lower case, single spaces. Bulk loaders that write artisans directly must set it.
func ArtisanNameKey(name string) string {
	return strings.ToLower(artisanCleanText(name))
}

// artisanRefs are the reference rows validation checks against.
type artisanRefs struct {
	districts map[string]bool            // slug → active
	crafts    map[string]artisanCraftRef // slug → sector, active
	orgs      map[int64]Organisation
}

type artisanCraftRef struct {
	sector string
	active bool
}

// loadArtisanRefs reads the districts, the crafts and the named organisations.
func loadArtisanRefs(ctx context.Context, db bun.IDB, orgIDs []int64) (*artisanRefs, error) {
	refs := &artisanRefs{districts: map[string]bool{}, crafts: map[string]artisanCraftRef{},
		orgs: map[int64]Organisation{}}
	var ds []District
	if err := db.NewSelect().Model(&ds).Column("slug", "active").Scan(ctx); err != nil {
		return nil, fmt.Errorf("artisans: districts: %w", err)
	}
	for _, d := range ds {
		refs.districts[d.Slug] = d.Active
	}
	var cs []Craft
	if err := db.NewSelect().Model(&cs).Column("slug", "sector", "active").Scan(ctx); err != nil {
		return nil, fmt.Errorf("artisans: crafts: %w", err)
	}
	for _, c := range cs {
		refs.crafts[c.Slug] = artisanCraftRef{sector: c.Sector, active: c.Active}
	}
	slices.Sort(orgIDs)
	orgIDs = slices.Compact(orgIDs)
	for chunk := range slices.Chunk(orgIDs, 500) {
		var os []Organisation
		if err := db.NewSelect().Model(&os).Where("id IN (?)", bun.In(chunk)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("artisans: organisations: %w", err)
		}
		for _, o := range os {
			refs.orgs[o.ID] = o
		}
	}
	return refs, nil
}

// validateArtisan checks a normalised input. keepOrg is the organisation the record has
// now: a member may stay in an organisation that has since been deactivated.
func validateArtisan(v Invalid, in *ArtisanInput, refs *artisanRefs, today time.Time, keepOrg *int64) {
	Required(v, "name", in.Name)
	MaxLen(v, "name", in.Name, 100)
	MaxLen(v, "name_hi", in.NameHi, 100)
	Required(v, "relative_name", in.RelativeName)
	MaxLen(v, "relative_name", in.RelativeName, 100)
	artisanChoice(v, "gender", in.Gender, ArtisanGenders)
	age := artisanCheckBirth(v, in.DateOfBirth, today)
	artisanChoice(v, "social_category", in.SocialCategory, ArtisanSocialCategories)
	Required(v, "mobile", in.Mobile)
	Check(v, "mobile", in.Mobile, ValidMobile, KeyMobile)
	Check(v, "aadhaar", string(in.Aadhaar), ValidAadhaar, KeyAadhaar)

	Required(v, "district", in.District)
	if in.District != "" && !refs.districts[in.District] {
		v.Add("district", artisanKeyUnknownDist)
	}
	MaxLen(v, "tehsil", in.Tehsil, 100)
	MaxLen(v, "village", in.Village, 100)
	Check(v, "pin_code", in.PINCode, ValidPIN, KeyPIN)

	Required(v, "primary_craft", in.PrimaryCraft)
	if c := in.PrimaryCraft; c != "" && !refs.crafts[c].active {
		v.Add("primary_craft", artisanKeyUnknownCraft, "craft", c)
	}
	if len(in.Crafts) > artisanMaxOtherCrafts {
		v.Add("crafts", artisanKeyTooManyCrafts, "max", strconv.Itoa(artisanMaxOtherCrafts))
	}
	for _, c := range in.Crafts {
		if !refs.crafts[c].active {
			v.Add("crafts", artisanKeyUnknownCraft, "craft", c)
		}
	}
	if in.YearsInCraft < 0 || in.YearsInCraft > ArtisanMaxAge || (age >= 0 && in.YearsInCraft > age) {
		v.Add("years_in_craft", artisanKeyYearsInCraft)
	}

	for field, id := range map[string]string{"pehchan_id": in.PehchanID, "weaver_id": in.WeaverID} {
		MaxLen(v, field, id, 30)
		Check(v, field, id, artisanValidIdentifier, artisanKeyIdentifier)
	}
	Check(v, "udyam", in.Udyam, ValidUdyam, KeyUdyam)
	Check(v, "pan", in.PAN, ValidPAN, KeyPAN)
	CheckGSTIN(v, "gstin", in.GSTIN)
	if in.PAN != "" && ValidPAN(in.PAN) && ValidGSTINAnyState(in.GSTIN) && in.GSTIN[2:12] != in.PAN {
		v.Add("gstin", artisanKeyGSTINPAN)
	}
	Check(v, "bank_account", in.BankAccount, artisanValidBankAccount, artisanKeyBankAccount)
	if in.BankAccount != "" {
		Required(v, "ifsc", in.IFSC)
	}
	Check(v, "ifsc", in.IFSC, ValidIFSC, KeyIFSC)

	if id := in.OrganisationID; id != nil {
		o, ok := refs.orgs[*id]
		switch {
		case !ok:
			v.Add("organisation_id", artisanKeyUnknownOrg)
		case o.District != in.District:
			v.Add("organisation_id", artisanKeyOrgDistrict)
		case !o.Active && (keepOrg == nil || *keepOrg != *id):
			v.Add("organisation_id", artisanKeyOrgInactive)
		}
	}
}

// artisanChoice requires value to be one of choices.
func artisanChoice(v Invalid, field, value string, choices []string) {
	Required(v, field, value)
	if value != "" && !slices.Contains(choices, value) {
		v.Add(field, artisanKeyChoice)
	}
}

// artisanCheckBirth validates a YYYY-MM-DD date of birth and returns the age in completed
// years on today, or -1 when the date is missing or malformed.
func artisanCheckBirth(v Invalid, dob string, today time.Time) int {
	Required(v, "date_of_birth", dob)
	if dob == "" {
		return -1
	}
	born, err := time.Parse(time.DateOnly, dob)
	if err != nil || born.Format(time.DateOnly) != dob {
		v.Add("date_of_birth", KeyDate)
		return -1
	}
	age := ArtisanAge(born, today)
	if age < ArtisanMinAge || age > ArtisanMaxAge {
		v.Add("date_of_birth", artisanKeyAge, "min", strconv.Itoa(ArtisanMinAge), "max", strconv.Itoa(ArtisanMaxAge))
	}
	return age
}

// ArtisanAge returns the age in completed years on the date of today.
func ArtisanAge(born, today time.Time) int {
	age := today.Year() - born.Year()
	if today.Month() < born.Month() || (today.Month() == born.Month() && today.Day() < born.Day()) {
		age--
	}
	return age
}

// artisanToday is the date in India now.
func artisanToday() time.Time { return time.Now().In(artisanIST) }

// artisanValidBankAccount admits Indian bank account numbers: 9 to 18 digits.
func artisanValidBankAccount(s string) bool {
	return len(s) >= 9 && len(s) <= 18 && allASCIIDigits(s)
}

// artisanValidIdentifier admits the identity-card numbers we do not know a format for:
// capital letters, digits, "/" and "-".
func artisanValidIdentifier(s string) bool {
	for _, r := range s {
		ok := r <= unicode.MaxASCII && (isASCIIUpper(byte(r)) || isASCIIDigit(byte(r)) || r == '/' || r == '-')
		if !ok {
			return false
		}
	}
	return true
}

// aadhaarHash is the stored form of a valid Aadhaar number: a keyed HMAC, so the table
// alone cannot be reversed by hashing the 10^11 possible numbers.
func (s *Artisans) aadhaarHash(aadhaar AadhaarNumber) string {
	m := hmac.New(sha256.New, s.Keys.Derive("aadhaar"))
	m.Write([]byte(aadhaar))
	return hex.EncodeToString(m.Sum(nil))
}

// artisanSimilarNames reports whether two name keys may name the same person: equal or one
// a prefix of the other once spaces are removed, or at most two edits apart.
func artisanSimilarNames(a, b string) bool {
	a, b = strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", "")
	if a == "" || b == "" {
		return false
	}
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) || artisanEditDistance(a, b, 2) <= 2
}

// artisanEditDistance returns the Levenshtein distance between a and b in runes, or
// max+1 as soon as it is known to exceed max.
func artisanEditDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
