package app_test

import (
	"strings"
	"testing"

	"shilpkosh/app"
)

// validCase is one input to a validator and the answer it should give.
type validCase struct {
	in   string
	want bool
}

func runValidCases(t *testing.T, name string, valid func(string) bool, cases []validCase) {
	t.Helper()
	for _, c := range cases {
		if got := valid(c.in); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", name, c.in, got, c.want)
		}
	}
}

// withGSTINCheck appends the check character, so tests can build GSTINs for Rajasthan
// without borrowing a real taxpayer's number.
func withGSTINCheck(t *testing.T, first14 string) string {
	t.Helper()
	c, ok := app.GSTINCheckChar(first14)
	if !ok {
		t.Fatalf("GSTINCheckChar(%q) refused", first14)
	}
	return first14 + string(c)
}

// withVerhoeff appends the Verhoeff check digit. Tests use made-up Aadhaar numbers built
// this way, never real ones.
func withVerhoeff(digits string) string {
	return digits + string(app.VerhoeffCheckDigit(digits))
}

func TestValidMobile(t *testing.T) {
	runValidCases(t, "ValidMobile", app.ValidMobile, []validCase{
		{"9829012345", true},
		{"6000000000", true},
		{"7999999999", true},
		{"5829012345", false}, // landline-style first digit
		{"0829012345", false},
		{"982901234", false},   // nine digits
		{"98290123456", false}, // eleven digits
		{"98290I2345", false},  // letter where a digit goes
		{"+919829012345", false},
		{"98290 12345", false}, // not normalised
		{"", false},
	})
}

func TestValidationNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"9829012345":         "9829012345",
		"+91 98290 12345":    "9829012345",
		"+91-98290-12345":    "9829012345",
		"0091 9829012345":    "9829012345",
		"91 98290 12345":     "9829012345",
		"09829012345":        "9829012345",
		"9198290123":         "9198290123", // ten digits that start with 91 stay whole
		"९८२९०१२३४५":         "9829012345", // Devanagari digits
		" 98290\u00a012345 ": "9829012345", // no-break space from a copied document
		// Prefixes come off only when ten digits remain, so nothing else is guessed at.
		"+91 0 98290 12345":  "+9109829012345",
		"091 98290 12345":    "0919829012345",
		"+91+91 98290 12345": "+91+919829012345",
		"+91 (982) 901-2345": "+91(982)9012345",
		"+1 415 555 0100":    "+14155550100",
		"123":                "123",
		"":                   "",
	} {
		if got := app.NormalizeMobile(in); got != want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidPIN(t *testing.T) {
	runValidCases(t, "ValidPIN", app.ValidPIN, []validCase{
		{"302001", true}, // Jaipur GPO
		{"301000", true},
		{"342001", true}, // Jodhpur
		{"345999", true},
		{"300999", false},
		{"346000", false},
		{"110001", false}, // New Delhi: a real PIN, not Rajasthan's
		{"30200", false},
		{"3020011", false},
		{"30200I", false},
		{"", false},
	})
}

func TestValidPAN(t *testing.T) {
	runValidCases(t, "ValidPAN", app.ValidPAN, []validCase{
		{"ABCPK1234L", true},
		{"AAPFU0939F", true},
		{"ABCHK1234L", true},
		{"ABCTK1234L", true},
		{"ABCXK1234L", false}, // X is not a holder type
		{"ABCEK1234L", false},
		{"ABCPK1234", false},
		{"ABCPK12345L", false},
		{"ABCPK12E4L", false}, // letter where a digit goes
		{"ABCP51234L", false}, // digit where a letter goes
		{"ABCPK12341", false},
		{"abcpk1234l", false}, // not normalised
		{"", false},
	})
}

func TestValidIFSC(t *testing.T) {
	runValidCases(t, "ValidIFSC", app.ValidIFSC, []validCase{
		{"SBIN0001234", true},
		{"PUNB0ABC123", true},
		{"SBIN1001234", false}, // fifth character must be zero
		{"SBI00001234", false},
		{"SBIN000123", false},
		{"SBIN00012345", false},
		{"SBIN000123-", false},
		{"sbin0001234", false},
		{"", false},
	})
}

func TestGSTINCheckChar(t *testing.T) {
	// Commonly cited examples from other states; their check characters agree with ours.
	for _, g := range []string{"27AAPFU0939F1ZV", "29AAGCB7383J1Z4"} {
		c, ok := app.GSTINCheckChar(g[:14])
		if !ok || c != g[14] {
			t.Errorf("GSTINCheckChar(%q) = %q, %v; want %q", g[:14], c, ok, g[14])
		}
	}
	for _, in := range []string{"", "27AAPFU0939F1", "27AAPFU0939F1ZV", "27aapfu0939f1z", "27AAPFU0939F1-"} {
		if _, ok := app.GSTINCheckChar(in); ok {
			t.Errorf("GSTINCheckChar(%q) accepted", in)
		}
	}
}

func TestValidGSTIN(t *testing.T) {
	good := withGSTINCheck(t, "08ABCPK1234L1Z")
	runValidCases(t, "ValidGSTIN", app.ValidGSTIN, []validCase{
		{good, true},
		{withGSTINCheck(t, "08AAPFU0939F2Z"), true},
		{withGSTINCheck(t, "08AAPFU0939FAZ"), true},  // entity numbers run on into letters
		{"27AAPFU0939F1ZV", false},                   // valid, but Maharashtra
		{withGSTINCheck(t, "08AAPFU0939F0Z"), false}, // entity number 0
		{withGSTINCheck(t, "08AAPFU0939F1Y"), false}, // fourteenth character not Z
		{withGSTINCheck(t, "08AAPXU0939F1Z"), false}, // PAN with no such holder type
		{withGSTINCheck(t, "08AAPFU09J9F1Z"), false}, // letter in the PAN's digits
		{good[:14] + string(otherBase36(good[14])), false},
		{good[:14], false},
		{good + "1", false},
		{strings.ToLower(good), false},
		{"", false},
	})
	runValidCases(t, "ValidGSTINAnyState", app.ValidGSTINAnyState, []validCase{
		{good, true},
		{"27AAPFU0939F1ZV", true},
		{"29AAGCB7383J1Z4", true},
		{"27AAPFU0939F1ZW", false},
		{"2XAAPFU0939F1ZV", false},
	})
}

// otherBase36 returns a different character of the GSTIN alphabet.
func otherBase36(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

func TestValidUdyam(t *testing.T) {
	runValidCases(t, "ValidUdyam", app.ValidUdyam, []validCase{
		{"UDYAM-RJ-17-0012345", true},
		{"UDYAM-RJ-01-0000001", true},
		{"UDYAM-MH-17-0012345", false}, // another state
		{"UDYAM-RJ-7-0012345", false},
		{"UDYAM-RJ-17-012345", false},
		{"UDYAM-RJ-17-00123456", false},
		{"UDYAM-RJ-1A-0012345", false},
		{"UDYAM-RJ-17-001234O", false},
		{"UDYAM-RJ-170-012345", false},
		{"UDYAM RJ 17 0012345", false},
		{"UDYOG-RJ-17-0012345", false},
		{"udyam-rj-17-0012345", false},
		{"", false},
	})
}

func TestVerhoeff(t *testing.T) {
	// Published worked examples of the scheme.
	for digits, want := range map[string]byte{"236": '3', "12345": '1', "123456789012": '0'} {
		if got := app.VerhoeffCheckDigit(digits); got != want {
			t.Errorf("VerhoeffCheckDigit(%s) = %q, want %q", digits, got, want)
		}
	}
	runValidCases(t, "VerhoeffValid", app.VerhoeffValid, []validCase{
		{"2363", true},
		{"2364", false},
		{"2263", false},
		{"3263", false}, // adjacent swap
		{"", false},
		{"23a3", false},
	})
	if got := app.VerhoeffCheckDigit("12x"); got != 0 {
		t.Errorf("VerhoeffCheckDigit(12x) = %q, want 0", got)
	}
	for _, prefix := range []string{"0", "12345", "99999999999", "23456789012", "84736251908"} {
		if s := withVerhoeff(prefix); !app.VerhoeffValid(s) {
			t.Errorf("VerhoeffValid(%q) = false for a number built with its check digit", s)
		}
	}
}

func TestValidAadhaar(t *testing.T) {
	good := withVerhoeff("23456789012")
	changed := []byte(good)
	changed[5] = '0' + (changed[5]-'0'+1)%10
	runValidCases(t, "ValidAadhaar", app.ValidAadhaar, []validCase{
		{good, true},
		{withVerhoeff("99999999999"), true},
		{withVerhoeff("20000000000"), true},
		{string(changed), false}, // one digit changed
		{good[:11] + string('0'+(good[11]-'0'+1)%10), false},
		{withVerhoeff("03456789012"), false}, // Verhoeff-valid but starts 0
		{withVerhoeff("13456789012"), false}, // starts 1
		{withVerhoeff("2345678901"), false},  // eleven digits
		{withVerhoeff("234567890123"), false},
		{"2345 6789 012" + good[11:], false}, // not normalised
		{"23456789O12" + good[11:], false},
		{"", false},
	})
	if got := app.NormalizeDigits("2345 6789 012" + good[11:]); got != good {
		t.Errorf("NormalizeDigits left %q", got)
	}
}

func TestValidSlug(t *testing.T) {
	runValidCases(t, "ValidSlug", app.ValidSlug, []validCase{
		{"sanganeri-block-print", true},
		{"jaipur", true},
		{"rj", true},
		{"pm-vishwakarma-2", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"a", false},
		{"", false},
		{"Jaipur", false},
		{"block print", false},
		{"block_print", false},
		{"-jaipur", false},
		{"jaipur-", false},
		{"block--print", false},
		{"जयपुर", false},
	})
}

func TestValidationNormalizeUpper(t *testing.T) {
	for in, want := range map[string]string{
		" abcde 1234 f ":      "ABCDE1234F",
		"sbin\t0001234\n":     "SBIN0001234",
		"08abcpk1234l1z5":     "08ABCPK1234L1Z5",
		"udyam-rj-17-0012345": "UDYAM-RJ-17-0012345",
		"ıabcd":               "ıABCD", // dotless i is not an ASCII letter and stays
		"":                    "",
	} {
		if got := app.NormalizeUpper(in); got != want {
			t.Errorf("NormalizeUpper(%q) = %q, want %q", in, got, want)
		}
	}
	if app.ValidPAN(app.NormalizeUpper("ıbcpk1234l")) {
		t.Error("a dotless i passed as a PAN's I")
	}
}

func TestValidationHelpers(t *testing.T) {
	v := app.Invalid{}
	app.Required(v, "name", "  ")
	app.Required(v, "craft", "dabu-print")
	app.MaxLen(v, "village", "बगरू", 4) // four letters, twelve bytes
	app.MaxLen(v, "address", "abcde", 4)
	app.Check(v, "pan", "", app.ValidPAN, app.KeyPAN)
	app.Check(v, "ifsc", "SBIN1001234", app.ValidIFSC, app.KeyIFSC)
	app.Check(v, "pin", "302001", app.ValidPIN, app.KeyPIN)
	app.CheckGSTIN(v, "gstin", "27AAPFU0939F1ZV")
	app.CheckGSTIN(v, "gstin2", "27AAPFU0939F1ZW")
	app.CheckGSTIN(v, "gstin3", withGSTINCheck(t, "08ABCPK1234L1Z"))
	app.CheckGSTIN(v, "gstin4", "")

	want := map[string]string{
		"name":    app.KeyRequired,
		"address": app.KeyTooLong,
		"ifsc":    app.KeyIFSC,
		"gstin":   app.KeyGSTINState,
		"gstin2":  app.KeyGSTIN,
	}
	if len(v) != len(want) {
		t.Errorf("got errors %v, want fields %v", v, want)
	}
	for field, key := range want {
		if v[field].Key != key {
			t.Errorf("field %s: key %q, want %q", field, v[field].Key, key)
		}
	}
	if got := v["address"].Args["max"]; got != "4" {
		t.Errorf("too_long max = %q, want 4", got)
	}
	if app.ErrorCode(v.Err()) != app.EINVALID {
		t.Errorf("Err() = %v", v.Err())
	}
}

func TestValidationKeys(t *testing.T) {
	keys := app.ValidationKeys()
	if len(keys) != 14 {
		t.Errorf("%d keys, want 14", len(keys))
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, "validation.") || seen[k] {
			t.Errorf("key %q is misnamed or repeated", k)
		}
		seen[k] = true
	}
	keys[0] = "changed"
	if app.ValidationKeys()[0] != app.KeyRequired {
		t.Error("ValidationKeys shares its slice")
	}
}

const gstinAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

func FuzzValidAadhaar(f *testing.F) {
	f.Add("234567890124")
	f.Add("2345 6789 0124")
	f.Add("999999999999")
	f.Add("023456789012")
	f.Add("")
	f.Add("२३४५६७८९०१२४")
	f.Fuzz(func(t *testing.T, s string) {
		if app.ValidAadhaar(s) {
			if app.NormalizeDigits(s) != s {
				t.Errorf("valid %q is not in normal form", s)
			}
			assertAadhaarSingleErrorsCaught(t, s)
		}
		if n := app.NormalizeDigits(s); app.NormalizeDigits(n) != n {
			t.Errorf("NormalizeDigits(%q) not idempotent", s)
		} else if app.ValidAadhaar(n) {
			assertAadhaarSingleErrorsCaught(t, n)
		}
		// Build a valid number from the input so every run checks the error-catching
		// property, not only the rare inputs that happen to be valid.
		b := make([]byte, 11)
		for i := range b {
			if i < len(s) {
				b[i] = '0' + s[i]%10
			} else {
				b[i] = '0' + byte(i%10)
			}
		}
		b[0] = '2' + b[0]%8
		n := withVerhoeff(string(b))
		if !app.ValidAadhaar(n) {
			t.Fatalf("built %q is not valid", n)
		}
		assertAadhaarSingleErrorsCaught(t, n)
	})
}

// assertAadhaarSingleErrorsCaught checks Verhoeff's promise: every single-digit change and
// every swap of two different adjacent digits makes a valid number invalid.
func assertAadhaarSingleErrorsCaught(t *testing.T, valid string) {
	t.Helper()
	for i := range len(valid) {
		for d := byte('0'); d <= '9'; d++ {
			if d == valid[i] {
				continue
			}
			m := []byte(valid)
			m[i] = d
			if app.ValidAadhaar(string(m)) {
				t.Errorf("%q with digit %d changed to %c is still valid", valid, i, d)
			}
		}
		if i+1 < len(valid) && valid[i] != valid[i+1] {
			m := []byte(valid)
			m[i], m[i+1] = m[i+1], m[i]
			if app.ValidAadhaar(string(m)) {
				t.Errorf("%q with digits %d and %d swapped is still valid", valid, i, i+1)
			}
		}
	}
}

func FuzzValidGSTIN(f *testing.F) {
	f.Add("27AAPFU0939F1ZV")
	f.Add("08ABCPK1234L1Z5")
	f.Add("08abcpk1234l1z5")
	f.Add(" 08 ABCPK 1234L 1Z5")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		n := app.NormalizeUpper(s)
		if app.NormalizeUpper(n) != n {
			t.Errorf("NormalizeUpper(%q) not idempotent", s)
		}
		if app.ValidGSTIN(s) && (!app.ValidGSTINAnyState(s) || s[:2] != "08") {
			t.Errorf("ValidGSTIN(%q) but not a Rajasthan GSTIN", s)
		}
		if app.ValidGSTINAnyState(s) {
			if n != s {
				t.Errorf("valid %q is not in normal form", s)
			}
			if !app.ValidPAN(s[2:12]) {
				t.Errorf("valid %q holds no valid PAN", s)
			}
		}
		// Build a checksummed string from the input; changing any one character to another
		// of the alphabet must break the checksum (the doubling is a permutation mod 36).
		b := make([]byte, 14)
		for i := range b {
			if i < len(s) {
				b[i] = gstinAlphabet[int(s[i])%36]
			} else {
				b[i] = gstinAlphabet[i]
			}
		}
		g := withGSTINCheck(t, string(b))
		for i := range len(g) {
			for j := range len(gstinAlphabet) {
				c := gstinAlphabet[j]
				if c == g[i] {
					continue
				}
				m := []byte(g)
				m[i] = c
				if got, _ := app.GSTINCheckChar(string(m[:14])); got == m[14] {
					t.Errorf("%q with character %d changed to %c still checks", g, i, c)
				}
			}
		}
	})
}

func FuzzNormalizeMobile(f *testing.F) {
	f.Add("+91 98290 12345")
	f.Add("09829012345")
	f.Add("9198290123")
	f.Add("९८२९०१२३४५")
	f.Add("+91+91 98290 12345")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		n := app.NormalizeMobile(s)
		if app.NormalizeMobile(n) != n {
			t.Errorf("NormalizeMobile(%q) = %q, not idempotent", s, n)
		}
		if app.ValidMobile(s) && n != s {
			t.Errorf("valid %q normalised to %q", s, n)
		}
		if app.ValidMobile(n) && !strings.HasSuffix(app.NormalizeDigits(s), n) {
			t.Errorf("NormalizeMobile(%q) = %q, not the input's last ten digits", s, n)
		}
	})
}

func FuzzValidIdentifiers(f *testing.F) {
	for _, s := range []string{"ABCPK1234L", " abcpk 1234l", "SBIN0001234", "UDYAM-RJ-17-0012345",
		"302001", "3020 01", "jaipur", "block-print", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		upper := map[string]func(string) bool{
			"ValidPAN": app.ValidPAN, "ValidIFSC": app.ValidIFSC, "ValidUdyam": app.ValidUdyam,
		}
		for name, valid := range upper {
			if valid(s) && app.NormalizeUpper(s) != s {
				t.Errorf("%s(%q) but not in normal form", name, s)
			}
		}
		if app.ValidPIN(s) && app.NormalizeDigits(s) != s {
			t.Errorf("ValidPIN(%q) but not in normal form", s)
		}
		if app.ValidSlug(s) && (strings.ToLower(strings.TrimSpace(s)) != s || len(s) > 64) {
			t.Errorf("ValidSlug(%q) but not a clean slug", s)
		}
	})
}
