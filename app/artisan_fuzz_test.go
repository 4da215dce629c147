package app

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzArtisanSearchFindsOwnName: typing an artisan's name, or any part of it, into the
// search box matches that artisan's own index terms, in English or Hindi however the
// name was typed (decomposed nukta, Devanagari digits, odd spacing).
func FuzzArtisanSearchFindsOwnName(f *testing.F) {
	for _, s := range []string{"Sita Devi", "सीता देवी", "क़ासिम", "क़ासिम", "O'Brien-Khan", "राम१२", "İbrahim ǅemal", "ΣΊΣΥΦΟΣ", "a"} {
		f.Add(s, 0, 3)
	}
	f.Fuzz(func(t *testing.T, name string, from, n int) {
		stored := artisanCleanText(name)
		a := &Artisan{Name: stored}
		terms := ArtisanSearchTerms(a)
		for _, q := range []string{name, searchSlice(name, from, n)} {
			sr := parseArtisanSearch(q)
			if len(sr.mobiles)+len(sr.regs) > 0 {
				continue // digits and "RJ-" are looked up in other columns
			}
			for _, tok := range sr.names {
				if !termsMatch(terms, tok) {
					t.Errorf("search %q: token %q matches none of the terms of %q: %q", q, tok, stored, terms)
				}
			}
		}
	})
}

// searchSlice is part of one word of s: the word at index from, runes [n/2, n) of it.
func searchSlice(s string, from, n int) string {
	words := artisanWords(s)
	if len(words) == 0 {
		return ""
	}
	w := []rune(words[abs(from)%len(words)])
	n = abs(n)%len(w) + 1
	start := min(n/2, len(w)-1)
	part := w[start:n]
	if start > 0 && (len(part) < artisanMinPartial || unicode.IsMark(part[0])) {
		return "" // inner fragments are searched from three characters, at a syllable's start
	}
	return string(part)
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// termsMatch applies artisanTermCondition in memory: a term in [tok, tok+end), or from
// artisanMinPartial characters an inner-suffix term in [*tok, *tok+end).
func termsMatch(terms []string, tok string) bool {
	in := func(term, p string) bool { return term >= p && term < p+artisanTermEnd }
	for _, term := range terms {
		if in(term, tok) {
			return true
		}
		if len([]rune(tok)) >= artisanMinPartial && in(term, artisanSuffixMark+tok) {
			return true
		}
	}
	return false
}

// FuzzArtisanNormalizeValidate: normalising is idempotent (what passes is what is saved
// and compared), an accepted input stays accepted when normalised again, and no field
// error message carries the Aadhaar number typed.
func FuzzArtisanNormalizeValidate(f *testing.F) {
	f.Add("Sita  Devi", "female", "1980-08-15", "+91 98290 12345", "2345 6789 0124", "302001", " abcpk 1234l", "08abcpk1234l1z5", "sbin0001234", "12345678901")
	f.Add("<script>", "M", "15-08-1980", "0", "२३४५६७८९०१२४", "3020 01", "", "", "", "")
	f.Add("", "x", "1800-01-01", "98290", "234567890124", "", "ABCXK1234L", "27AAPFU0939F1ZV", "SBIN0", "1-2-3")
	f.Fuzz(func(t *testing.T, name, gender, dob, mobile, aadhaar, pin, pan, gstin, ifsc, bank string) {
		in := ArtisanInput{Name: name, RelativeName: name, Gender: gender, DateOfBirth: dob,
			SocialCategory: "sc", Mobile: mobile, Aadhaar: AadhaarNumber(aadhaar), District: "jaipur",
			PINCode: pin, PrimaryCraft: "pottery", PAN: pan, GSTIN: gstin, IFSC: ifsc, BankAccount: bank}
		in.normalize()
		again := in
		again.normalize()
		if !inputsEqual(in, again) {
			t.Fatalf("normalize not idempotent:\n%+v\n%+v", in, again)
		}
		today := time.Date(2026, 11, 26, 0, 0, 0, 0, artisanIST)
		v := Invalid{}
		validateArtisan(v, &in, fuzzRefs(), today, nil)
		secret := string(in.Aadhaar)
		for field, m := range v {
			for _, a := range m.Args {
				if len(secret) >= 8 && strings.Contains(NormalizeDigits(a), secret) && !strings.Contains(NormalizeDigits(name+pin+mobile+bank+pan+gstin+ifsc), secret) {
					t.Errorf("field %s message %v carries the Aadhaar number", field, m)
				}
			}
		}
		if _, bad := v["aadhaar"]; !bad && secret != "" && !ValidAadhaar(secret) {
			t.Errorf("Aadhaar %q accepted", secret)
		}
	})
}

func inputsEqual(a, b ArtisanInput) bool {
	return a.Name == b.Name && a.RelativeName == b.RelativeName && a.Gender == b.Gender &&
		a.DateOfBirth == b.DateOfBirth && a.Mobile == b.Mobile && a.Aadhaar == b.Aadhaar &&
		a.PINCode == b.PINCode && a.PAN == b.PAN && a.GSTIN == b.GSTIN && a.IFSC == b.IFSC &&
		a.BankAccount == b.BankAccount && strings.Join(a.Crafts, ",") == strings.Join(b.Crafts, ",")
}

// FuzzDecodeArtisanCursor: a cursor from the query string is refused with a field error
// or accepted for the sort order it names; one the server made reads back as made.
func FuzzDecodeArtisanCursor(f *testing.F) {
	for _, s := range []string{"", "e30", "eyJzIjoibmFtZSIsImsiOiJ4IiwiaSI6MX0", "!!!", "bnVsbA"} {
		f.Add(s, "sita", int64(7))
	}
	f.Fuzz(func(t *testing.T, raw, key string, id int64) {
		for _, sort := range []string{ArtisanSortCreated, ArtisanSortName, ArtisanSortRegistrationNo} {
			c, err := decodeArtisanCursor(raw, sort)
			if err != nil {
				if ErrorCode(err) != EINVALID {
					t.Fatalf("decode %q: %v", raw, err)
				}
			} else if c.Sort != sort || c.ID <= 0 {
				t.Fatalf("decode %q accepted %+v for %s", raw, c, sort)
			}
			if id <= 0 {
				continue
			}
			reg := key
			a := &Artisan{ID: id, NameKey: key, RegistrationNo: &reg, CreatedAt: time.Unix(id%1e10, 0)}
			enc := encodeArtisanCursor(sort, a)
			back, err := decodeArtisanCursor(enc, sort)
			if err != nil || back.ID != id {
				t.Fatalf("cursor for %+v does not read back: %v", a, err)
			}
		}
	})
}
