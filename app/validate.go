package app

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field error keys. Handlers put them in Invalid and the HTTP layer translates them, so
// the translation catalogue can be checked against ValidationKeys.
const (
	KeyRequired   = "validation.required"
	KeyMobile     = "validation.mobile"
	KeyPIN        = "validation.pin"
	KeyPAN        = "validation.pan"
	KeyIFSC       = "validation.ifsc"
	KeyGSTIN      = "validation.gstin"
	KeyGSTINState = "validation.gstin_state"
	KeyUdyam      = "validation.udyam"
	KeyAadhaar    = "validation.aadhaar"
	KeySlug       = "validation.slug"
	KeyTooLong    = "validation.too_long" // arg: max
	KeyDate       = "validation.date"
	KeyMonth      = "validation.month"
	KeyAmount     = "validation.amount"
)

// ValidationKeys lists every field error key above; a fresh slice each call so no caller
// can change what the next one sees.
func ValidationKeys() []string {
	return []string{KeyRequired, KeyMobile, KeyPIN, KeyPAN, KeyIFSC, KeyGSTIN, KeyGSTINState,
		KeyUdyam, KeyAadhaar, KeySlug, KeyTooLong, KeyDate, KeyMonth, KeyAmount}
}

// Required adds KeyRequired when value is empty or only spaces.
func Required(v Invalid, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.Add(field, KeyRequired)
	}
}

// MaxLen adds KeyTooLong when value has more than n characters. It counts characters, not
// bytes: a name in Devanagari takes three bytes a letter, and the user sees letters.
func MaxLen(v Invalid, field, value string, n int) {
	if utf8.RuneCountInString(value) > n {
		v.Add(field, KeyTooLong, "max", strconv.Itoa(n))
	}
}

// Check adds key when a non-empty value fails valid. Empty values pass because whether a
// field may be empty is Required's question, so an optional PAN reads as one Check and a
// compulsory one as Required followed by Check.
func Check(v Invalid, field, value string, valid func(string) bool, key string) {
	if value != "" && !valid(value) {
		v.Add(field, key)
	}
}

// CheckGSTIN is Check for a GSTIN, telling a malformed number (KeyGSTIN) apart from a
// correct one registered in another state (KeyGSTINState): the second needs a different
// answer from the artisan.
func CheckGSTIN(v Invalid, field, value string) {
	switch {
	case value == "" || ValidGSTIN(value):
	case ValidGSTINAnyState(value):
		v.Add(field, KeyGSTINState)
	default:
		v.Add(field, KeyGSTIN)
	}
}

// The validators below accept only the stored, normalised form, so what passes is what is
// saved and compared. Handlers normalise user input first (NormalizeUpper, NormalizeDigits,
// NormalizeMobile).

// NormalizeUpper trims, removes inner spaces and upper-cases ASCII letters, because people
// type "abcde 1234 f" for a PAN. Only ASCII is upper-cased: Unicode case mapping turns 'ı'
// and 'ſ' into 'I' and 'S', which would let look-alike text pass as an identifier.
func NormalizeUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeDigits removes spaces and hyphens, which people put in Aadhaar, mobile and PIN
// numbers, and turns Devanagari digits (०-९, typed on Hindi keyboards) into ASCII ones.
func NormalizeDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '-' {
			b.WriteRune(devanagariToASCII(r))
		}
	}
	return b.String()
}

// devanagariToASCII maps a Devanagari digit to its ASCII digit and leaves any other rune.
func devanagariToASCII(r rune) rune {
	if '०' <= r && r <= '९' {
		return r - '०' + '0'
	}
	return r
}

// NormalizeMobile applies NormalizeDigits and drops a +91, 91 or 0 prefix when exactly ten
// digits would remain; the length condition keeps a ten-digit number that happens to
// start with 91 intact and makes the function idempotent.
func NormalizeMobile(s string) string {
	s = NormalizeDigits(s)
	for _, prefix := range []string{"+91", "0091", "91", "0"} {
		if len(s) == len(prefix)+10 && strings.HasPrefix(s, prefix) {
			return s[len(prefix):]
		}
	}
	return s
}

// ValidMobile reports whether s is an Indian mobile number: ten digits, the first 6-9.
func ValidMobile(s string) bool {
	return len(s) == 10 && s[0] >= '6' && s[0] <= '9' && allASCIIDigits(s)
}

// ValidPIN reports whether s is a Rajasthan PIN code (301000-345999). Addresses outside
// the state are not ours to register, so a PIN elsewhere in India is a mistake here.
func ValidPIN(s string) bool {
	if len(s) != 6 || !allASCIIDigits(s) {
		return false
	}
	n, _ := strconv.Atoi(s)
	return n >= 301000 && n <= 345999
}

// panHolderTypes are the fourth letters of a PAN: company, person, HUF, firm, AOP, trust,
// BOI, local authority, artificial juridical person, government.
const panHolderTypes = "CPHFATBLJG"

// ValidPAN reports whether s is a PAN: five letters, four digits, a letter, the fourth
// letter being a holder type the Income Tax Department issues.
func ValidPAN(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := range 10 {
		c := s[i]
		if i >= 5 && i < 9 {
			if !isASCIIDigit(c) {
				return false
			}
		} else if !isASCIIUpper(c) {
			return false
		}
	}
	return strings.IndexByte(panHolderTypes, s[3]) >= 0
}

// ValidIFSC reports whether s is a bank branch IFSC: four letters (the bank), a zero kept
// for future use, six letters or digits (the branch).
func ValidIFSC(s string) bool {
	if len(s) != 11 || s[4] != '0' {
		return false
	}
	for i := range 4 {
		if !isASCIIUpper(s[i]) {
			return false
		}
	}
	for i := 5; i < 11; i++ {
		if !isASCIIUpper(s[i]) && !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

// GSTINStateRajasthan is the GST state code of Rajasthan.
const GSTINStateRajasthan = "08"

// ValidGSTIN reports whether s is a GSTIN registered in Rajasthan. Use ValidGSTINAnyState
// to tell a wrong state from a malformed number.
func ValidGSTIN(s string) bool {
	return ValidGSTINAnyState(s) && s[:2] == GSTINStateRajasthan
}

// ValidGSTINAnyState reports whether s is a well-formed GSTIN of any state: two-digit
// state code, the holder's PAN, the entity number (1-9, then A-Z), 'Z', and the check
// character. The fourteenth character is 'Z' for every ordinary taxpayer; the other
// values belong to registrations an artisan does not hold.
func ValidGSTINAnyState(s string) bool {
	if len(s) != 15 || !isASCIIDigit(s[0]) || !isASCIIDigit(s[1]) || !ValidPAN(s[2:12]) || s[13] != 'Z' {
		return false
	}
	if e := s[12]; !(e >= '1' && e <= '9') && !isASCIIUpper(e) {
		return false
	}
	check, ok := GSTINCheckChar(s[:14])
	return ok && s[14] == check
}

// GSTINCheckChar computes the check character of a GSTIN from its first 14 characters
// with the GSTN algorithm: each character's value in base 36 (0-9, A-Z) times a factor
// alternating 1 and 2, the product's base-36 digits summed, and the check character
// being what brings the sum to a multiple of 36. It reports false for input that is not
// 14 characters of 0-9 and A-Z.
func GSTINCheckChar(first14 string) (byte, bool) {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if len(first14) != 14 {
		return 0, false
	}
	sum := 0
	for i := range 14 {
		v := strings.IndexByte(digits, first14[i])
		if v < 0 {
			return 0, false
		}
		p := v * (1 + i%2)
		sum += p/36 + p%36
	}
	return digits[(36-sum%36)%36], true
}

// ValidUdyam reports whether s is a Rajasthan Udyam registration number:
// UDYAM-RJ-DD-NNNNNNN (district code, then serial).
func ValidUdyam(s string) bool {
	const prefix = "UDYAM-RJ-"
	return len(s) == len(prefix)+10 && strings.HasPrefix(s, prefix) &&
		allASCIIDigits(s[9:11]) && s[11] == '-' && allASCIIDigits(s[12:])
}

// ValidAadhaar reports whether s is an Aadhaar number: twelve digits, the first 2-9 (UIDAI
// does not issue numbers starting 0 or 1), the last a Verhoeff check digit.
func ValidAadhaar(s string) bool {
	return len(s) == 12 && s[0] >= '2' && s[0] <= '9' && VerhoeffValid(s)
}

// Verhoeff tables: d is the multiplication table of the dihedral group D5, p the
// position-dependent permutations (row i is row 1 applied i times), inv the inverses in D5. The scheme catches every
// single-digit error and every swap of adjacent digits, which is why UIDAI uses it.
var (
	verhoeffD = [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	verhoeffInv = [10]byte{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

// verhoeffRun runs the checksum over digits from the right, starting at position offset.
func verhoeffRun(digits string, offset int) (byte, bool) {
	var c byte
	for i := range len(digits) {
		d := digits[len(digits)-1-i]
		if !isASCIIDigit(d) {
			return 0, false
		}
		c = verhoeffD[c][verhoeffP[(i+offset)%8][d-'0']]
	}
	return c, true
}

// VerhoeffValid reports whether digits, check digit last, passes the Verhoeff checksum.
// An empty string or one with anything but ASCII digits is not valid.
func VerhoeffValid(digits string) bool {
	c, ok := verhoeffRun(digits, 0)
	return ok && digits != "" && c == 0
}

// VerhoeffCheckDigit returns the ASCII digit to append to digits so that the result
// passes VerhoeffValid, or 0 when digits holds anything but ASCII digits.
func VerhoeffCheckDigit(digits string) byte {
	c, ok := verhoeffRun(digits, 1)
	if !ok {
		return 0
	}
	return '0' + verhoeffInv[c]
}

// ValidSlug reports whether s is a slug: 2-64 of a-z, 0-9 and hyphens, starting and ending
// with a letter or digit and with no double hyphen, so slugs read cleanly in URLs.
func ValidSlug(s string) bool {
	if len(s) < 2 || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('a' <= c && c <= 'z') && !isASCIIDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }
func isASCIIUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func allASCIIDigits(s string) bool {
	for i := range len(s) {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}
