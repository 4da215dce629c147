package app_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"shilpkosh/app"
)

func TestArtisanValidation(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		jodhpurOrg, err := e.orgs.Create(ctx, e.actor("admin"), app.OrganisationInput{Name: "Salawas Durrie Weavers",
			Kind: "cooperative", District: "jodhpur"})
		if err != nil {
			t.Fatal(err)
		}
		closedOrg, err := e.orgs.Create(ctx, e.actor("admin"), app.OrganisationInput{Name: "Closed SHG",
			Kind: "shg", District: "jaipur", Active: new(false)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.NewUpdate().Table("crafts").Set("active = ?", false).Where("slug = ?", "dabu-print").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(time.FixedZone("IST", 5*3600+1800))
		badAadhaar := artAadhaar(1)
		badAadhaar = badAadhaar[:11] + strconv.Itoa((int(badAadhaar[11]-'0')+1)%10)
		missingOrg := int64(99999)
		cases := []struct {
			name  string
			edit  func(in *app.ArtisanInput)
			field string
			key   string
		}{
			{"no name", func(in *app.ArtisanInput) { in.Name = "  " }, "name", app.KeyRequired},
			{"long name", func(in *app.ArtisanInput) { in.Name = artRepeat("a", 101) }, "name", app.KeyTooLong},
			{"long Hindi name", func(in *app.ArtisanInput) { in.NameHi = artRepeat("क", 101) }, "name_hi", app.KeyTooLong},
			{"no relative", func(in *app.ArtisanInput) { in.RelativeName = "" }, "relative_name", app.KeyRequired},
			{"long relative", func(in *app.ArtisanInput) { in.RelativeName = artRepeat("a", 101) }, "relative_name", app.KeyTooLong},
			{"no gender", func(in *app.ArtisanInput) { in.Gender = "" }, "gender", app.KeyRequired},
			{"bad gender", func(in *app.ArtisanInput) { in.Gender = "m" }, "gender", "validation.choice"},
			{"no birth date", func(in *app.ArtisanInput) { in.DateOfBirth = "" }, "date_of_birth", app.KeyRequired},
			{"bad birth date", func(in *app.ArtisanInput) { in.DateOfBirth = "17/05/1980" }, "date_of_birth", app.KeyDate},
			{"impossible date", func(in *app.ArtisanInput) { in.DateOfBirth = "1980-02-30" }, "date_of_birth", app.KeyDate},
			{"too young", func(in *app.ArtisanInput) {
				in.DateOfBirth = today.AddDate(-14, 0, 1).Format(time.DateOnly)
				in.YearsInCraft = 0
			}, "date_of_birth", "artisan.age"},
			{"too old", func(in *app.ArtisanInput) { in.DateOfBirth = today.AddDate(-101, 0, 0).Format(time.DateOnly) }, "date_of_birth", "artisan.age"},
			{"no category", func(in *app.ArtisanInput) { in.SocialCategory = "" }, "social_category", app.KeyRequired},
			{"bad category", func(in *app.ArtisanInput) { in.SocialCategory = "bc" }, "social_category", "validation.choice"},
			{"no mobile", func(in *app.ArtisanInput) { in.Mobile = "" }, "mobile", app.KeyRequired},
			{"short mobile", func(in *app.ArtisanInput) { in.Mobile = "98290123" }, "mobile", app.KeyMobile},
			{"mobile starting 5", func(in *app.ArtisanInput) { in.Mobile = "5829012345" }, "mobile", app.KeyMobile},
			{"aadhaar check digit", func(in *app.ArtisanInput) { in.Aadhaar = app.AadhaarNumber(badAadhaar) }, "aadhaar", app.KeyAadhaar},
			{"aadhaar length", func(in *app.ArtisanInput) { in.Aadhaar = "23456789012" }, "aadhaar", app.KeyAadhaar},
			{"no district", func(in *app.ArtisanInput) { in.District = "" }, "district", app.KeyRequired},
			{"unknown district", func(in *app.ArtisanInput) { in.District = "lahore" }, "district", "artisan.unknown_district"},
			{"PIN outside Rajasthan", func(in *app.ArtisanInput) { in.PINCode = "110001" }, "pin_code", app.KeyPIN},
			{"PIN length", func(in *app.ArtisanInput) { in.PINCode = "30202" }, "pin_code", app.KeyPIN},
			{"no craft", func(in *app.ArtisanInput) { in.PrimaryCraft = "" }, "primary_craft", app.KeyRequired},
			{"unknown craft", func(in *app.ArtisanInput) { in.PrimaryCraft = "pottery-x" }, "primary_craft", "artisan.unknown_craft"},
			{"inactive craft", func(in *app.ArtisanInput) { in.PrimaryCraft = "dabu-print" }, "primary_craft", "artisan.unknown_craft"},
			{"unknown other craft", func(in *app.ArtisanInput) { in.Crafts = []string{"bagru-block-print", "nope"} }, "crafts", "artisan.unknown_craft"},
			{"negative years", func(in *app.ArtisanInput) { in.YearsInCraft = -1 }, "years_in_craft", "artisan.years_in_craft"},
			{"years above age", func(in *app.ArtisanInput) { in.YearsInCraft = 60 }, "years_in_craft", "artisan.years_in_craft"},
			{"bad pehchan", func(in *app.ArtisanInput) { in.PehchanID = "AB#12" }, "pehchan_id", "validation.identifier"},
			{"bad weaver id", func(in *app.ArtisanInput) { in.WeaverID = artRepeat("1", 31) }, "weaver_id", app.KeyTooLong},
			{"bad udyam", func(in *app.ArtisanInput) { in.Udyam = "UDYAM-MH-12-0001234" }, "udyam", app.KeyUdyam},
			{"bad PAN", func(in *app.ArtisanInput) { in.PAN = "ABCDE1234" }, "pan", app.KeyPAN},
			{"PAN holder type", func(in *app.ArtisanInput) { in.PAN = "ABCXE1234F" }, "pan", app.KeyPAN},
			{"GSTIN check", func(in *app.ArtisanInput) { in.GSTIN = artBadCheck(artGSTIN(t, "08ABCPE1234F1Z")) }, "gstin", app.KeyGSTIN},
			{"GSTIN state", func(in *app.ArtisanInput) { in.GSTIN = artGSTIN(t, "27ABCPE1234F1Z") }, "gstin", app.KeyGSTINState},
			{"GSTIN of another PAN", func(in *app.ArtisanInput) {
				in.PAN, in.GSTIN = "ABCPE1234F", artGSTIN(t, "08ABCPE9999F1Z")
			}, "gstin", "artisan.gstin_pan_mismatch"},
			{"bank account letters", func(in *app.ArtisanInput) { in.BankAccount, in.IFSC = "12345678X", "SBIN0001234" }, "bank_account", "validation.bank_account"},
			{"bank account short", func(in *app.ArtisanInput) { in.BankAccount, in.IFSC = "12345678", "SBIN0001234" }, "bank_account", "validation.bank_account"},
			{"bank without IFSC", func(in *app.ArtisanInput) { in.BankAccount = "123456789012" }, "ifsc", app.KeyRequired},
			{"bad IFSC", func(in *app.ArtisanInput) { in.IFSC = "SBIN1001234" }, "ifsc", app.KeyIFSC},
			{"unknown organisation", func(in *app.ArtisanInput) { in.OrganisationID = &missingOrg }, "organisation_id", "artisan.unknown_organisation"},
			{"organisation elsewhere", func(in *app.ArtisanInput) { in.OrganisationID = &jodhpurOrg.ID }, "organisation_id", "artisan.organisation_district"},
			{"organisation closed", func(in *app.ArtisanInput) { in.OrganisationID = &closedOrg.ID }, "organisation_id", "artisan.organisation_inactive"},
		}
		for _, c := range cases {
			in := artInput("Kishan Lal", "9829012345")
			c.edit(&in)
			_, err := e.svc.Create(ctx, e.actor("entry.jaipur"), in)
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Code != app.EINVALID {
				t.Errorf("%s: err = %v, want EINVALID", c.name, err)
				continue
			}
			if got := ae.Fields[c.field].Key; got != c.key {
				t.Errorf("%s: field %s = %q (all: %v), want %q", c.name, c.field, got, ae.Fields, c.key)
			}
		}
		// Nothing was saved by any of them.
		if n, _ := e.db.NewSelect().Table("artisans").Count(ctx); n != 0 {
			t.Errorf("%d artisans saved by invalid input", n)
		}

		// Normalised before validation: spaces, lower case, +91, Devanagari digits.
		in := artInput("  Kishan   Lal ", "+91 98290 12345")
		in.PAN, in.IFSC, in.BankAccount = "abcpe 1234 f", "sbin0001234", "1234 5678 9012"
		in.GSTIN, in.Udyam = artGSTIN(t, "08ABCPE1234F1Z"), "udyam-rj-17-0001234"
		in.Gender, in.PINCode = "Female", "३०२०२९"
		in.Aadhaar = app.AadhaarNumber(artSpaced(artAadhaar(7)))
		a, err := e.svc.Create(ctx, e.actor("entry.jaipur"), in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Kishan Lal" || a.Mobile != "9829012345" || a.PAN != "ABCPE1234F" || a.IFSC != "SBIN0001234" ||
			a.BankAccount != "123456789012" || a.Udyam != "UDYAM-RJ-17-0001234" || a.Gender != "female" ||
			a.PINCode != "302029" || a.AadhaarLast4 != artAadhaar(7)[8:] || a.Sector != "handicraft" {
			t.Errorf("normalised record = %+v", a)
		}
	})
}

// TestArtisanSimilarNames pins the possible-duplicate rule through Create.
func TestArtisanPossibleDuplicate(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		first := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		for _, c := range []struct {
			name, mobile, district string
			dup                    bool
		}{
			{"kishan  LAL", "9829012345", "jaipur", true}, // case and spaces
			{"Kishanlal", "9829012345", "jaipur", true},   // space-insensitive
			{"Kishan", "9829012345", "jaipur", true},      // prefix
			{"Kishan Lal Sharma", "9829012345", "jaipur", true},
			{"Kisan Lall", "9829012345", "jaipur", true},   // two edits
			{"Mohan Lal", "9829012345", "jaipur", false},   // three edits
			{"Kishan Lal", "9829012346", "jaipur", false},  // other mobile
			{"Kishan Lal", "9829012345", "jodhpur", false}, // other district
		} {
			in := artInput(c.name, c.mobile)
			in.District = c.district
			who := "dic.jaipur"
			if c.district == "jodhpur" {
				who = "dic.jodhpur"
			}
			_, err := e.svc.Create(ctx, e.actor(who), in)
			if c.dup {
				var ae *app.Error
				if !errors.As(err, &ae) || ae.Code != app.ECONFLICT || ae.Message.Key != "artisan.possible_duplicate" {
					t.Errorf("%q: err = %v, want possible duplicate", c.name, err)
					continue
				}
				if ae.Message.Args["existing"] != strconv.FormatInt(first.ID, 10) {
					t.Errorf("%q: names %v, want id %d", c.name, ae.Message.Args, first.ID)
				}
				in.ConfirmDuplicate = true
				a, err := e.svc.Create(ctx, e.actor(who), in)
				if err != nil {
					t.Fatalf("%q confirmed: %v", c.name, err)
				}
				// Once confirmed, editing other fields does not ask again.
				in.ConfirmDuplicate, in.Village, in.Version = false, "Chaksu", a.Version
				if _, err := e.svc.Update(ctx, e.actor(who), a.ID, in); err != nil {
					t.Errorf("%q edited after confirmation: %v", c.name, err)
				}
			} else if err != nil {
				t.Errorf("%q %s %s: %v, want saved", c.name, c.mobile, c.district, err)
			}
		}
		artCountsExact(t, e.db)
	})
}

func artRepeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// artGSTIN appends the check character to 14 characters of a made-up GSTIN.
func artGSTIN(t *testing.T, first14 string) string {
	c, ok := app.GSTINCheckChar(first14)
	if !ok {
		t.Fatalf("GSTINCheckChar(%q)", first14)
	}
	return first14 + string(c)
}

// artSpaced writes an Aadhaar number as printed on the card: 2345 6789 0123.
func artSpaced(s string) string { return s[:4] + " " + s[4:8] + " " + s[8:] }

// artBadCheck changes the last character of a GSTIN so its check character is wrong.
func artBadCheck(g string) string {
	if g[14] == 'A' {
		return g[:14] + "B"
	}
	return g[:14] + "A"
}
