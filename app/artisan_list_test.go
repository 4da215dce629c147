package app_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"shilpkosh/app"
)

// artNames lists the names of a page's items, sorted when sorted is true.
func artNames(items []app.Artisan, sorted bool) string {
	var out []string
	for _, a := range items {
		out = append(out, a.Name)
	}
	if sorted {
		sort.Strings(out)
	}
	return strings.Join(out, ", ")
}

func TestArtisanSearch(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		for _, p := range []struct{ name, hi, relative, mobile string }{
			{"Kishan Lal Sharma", "किशन लाल शर्मा", "Ramesh Chand", "9829011111"},
			{"Kimat Singh", "कीमत सिंह", "Bhanwar Lal", "9829022222"},
			{"Ashok Kumar", "अशोक कुमार", "Kishore Kumar", "9829033333"},
			{"Zakir Hussain", "\u095Bाकिर हुसैन", "Alla Rakha", "9829044444"}, // ज़ as one code point
		} {
			in := artInput(p.name, p.mobile)
			in.NameHi, in.RelativeName = p.hi, p.relative
			e.create("entry.jaipur", in)
		}
		approved := e.approved(artInput("Mohan Prajapat", "9829055555"))
		search := func(q string) string {
			page, err := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Q: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if int(page.Total) != len(page.Items) {
				t.Errorf("search %q: total %d for %d items", q, page.Total, len(page.Items))
			}
			return artNames(page.Items, true)
		}
		for q, want := range map[string]string{
			"kis":              "Ashok Kumar, Kishan Lal Sharma", // word prefix, also of the relative's name
			"KISHAN":           "Kishan Lal Sharma",
			"ki":               "Ashok Kumar, Kimat Singh, Kishan Lal Sharma",
			"shan":             "Kishan Lal Sharma", // inside a word of the name
			"sha":              "Kishan Lal Sharma",
			"kumar ash":        "Ashok Kumar", // every word must match
			"lal":              "Kimat Singh, Kishan Lal Sharma",
			"ish":              "Kishan Lal Sharma", // partial: the relative's name is not searched inside
			"sh":               "Kishan Lal Sharma", // two letters find word beginnings only: Sharma
			"ha":               "",                  // not the "ha" inside Kishan or Sharma
			"कि":               "Kishan Lal Sharma", // क + ि: not कीमत (क + ी)
			"की":               "Kimat Singh",
			"किशन":             "Kishan Lal Sharma",
			"र्मा":             "Kishan Lal Sharma", // inside शर्मा
			"\u091C\u093Cाकिर": "Zakir Hussain",     // ज़ typed as two code points finds it
			"\u095Bा":          "Zakir Hussain",
			"9829033333":       "Ashok Kumar",
			"+91 98290 44444":  "Zakir Hussain",
			"982905":           "Mohan Prajapat",
			"९८२९०११":          "Kishan Lal Sharma", // Devanagari digits
			strings.ToLower(*approved.RegistrationNo): "Mohan Prajapat",
			*approved.RegistrationNo:                  "Mohan Prajapat",
			"RJ-JAIPUR":                               "Mohan Prajapat",
			"nobody":                                  "",
			"%":                                       "Ashok Kumar, Kimat Singh, Kishan Lal Sharma, Mohan Prajapat, Zakir Hussain",
		} {
			if got := search(q); got != want {
				t.Errorf("search %q = %q, want %q", q, got, want)
			}
		}
	})
}

func TestArtisanScoping(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		jaipur := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		jodhpurIn := artInput("Kishore Jodhpuri", "9829054321")
		jodhpurIn.District = "jodhpur"
		jodhpur := e.create("entry.jodhpur", jodhpurIn)
		officer := e.actor("dic.jaipur")

		for name, f := range map[string]app.ArtisanFilter{
			"all":               {},
			"status (counts)":   {Status: app.ArtisanDraft},
			"jodhpur (counts)":  {District: "jodhpur"},
			"gender (COUNT(*))": {Gender: "male"},
			"search":            {Q: "kish"},
			"by name":           {Sort: app.ArtisanSortName},
		} {
			page, err := e.svc.List(ctx, officer, f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := int64(1)
			if f.District == "jodhpur" {
				want = 0
			}
			if page.Total != want || int64(len(page.Items)) != want {
				t.Errorf("%s: total %d, items %s; want %d", name, page.Total, artNames(page.Items, false), want)
			}
			for _, a := range page.Items {
				if a.District != "jaipur" {
					t.Errorf("%s: jaipur officer sees %s of %s", name, a.Name, a.District)
				}
			}
		}
		if _, err := e.svc.Get(ctx, officer, jodhpur.ID); err != app.ErrNotFound {
			t.Errorf("Get of a Jodhpur record by a Jaipur officer: %v, want ErrNotFound", err)
		}
		if _, err := e.svc.History(ctx, officer, jodhpur.ID); err != app.ErrNotFound {
			t.Errorf("History of a Jodhpur record by a Jaipur officer: %v, want ErrNotFound", err)
		}
		in := jodhpurIn
		in.Version = jodhpur.Version
		if _, err := e.svc.Update(ctx, officer, jodhpur.ID, in); err != app.ErrNotFound {
			t.Errorf("Update of a Jodhpur record by a Jaipur officer: %v, want ErrNotFound", err)
		}
		if got, err := e.svc.Get(ctx, officer, jaipur.ID); err != nil || got.Mobile != "9829012345" || got.Masked {
			t.Errorf("own district record: %v %+v", err, got)
		}
		// State-wide readers see both; without view_personal the personal details are masked.
		page, err := e.svc.List(ctx, e.actor("auditor"), app.ArtisanFilter{})
		if err != nil || page.Total != 2 {
			t.Fatalf("auditor: total %d, %v", page.Total, err)
		}
		for _, a := range page.Items {
			if !a.Masked || a.Mobile != "XXXXXX"+a.Mobile[6:] || strings.ContainsAny(a.Mobile[:6], "0123456789") {
				t.Errorf("auditor sees mobile %q masked=%v", a.Mobile, a.Masked)
			}
		}
		// A user with no grant at all sees nothing and is told nothing exists.
		nobody := app.Actor{UserID: 999, Username: "nobody"}
		page, err = e.svc.List(ctx, nobody, app.ArtisanFilter{})
		if err != nil || page.Total != 0 || len(page.Items) != 0 {
			t.Errorf("no grant: %d items, total %d, %v", len(page.Items), page.Total, err)
		}
		if _, err := e.svc.Get(ctx, nobody, jaipur.ID); err != app.ErrNotFound {
			t.Errorf("no grant Get: %v", err)
		}
		if _, err := e.svc.Create(ctx, nobody, artInput("X", "9829000000")); err != app.ErrForbidden {
			t.Errorf("no grant Create: %v", err)
		}
		// Creating in a district outside one's grant is forbidden.
		in = artInput("Jodhpur By Jaipur", "9829000001")
		in.District = "jodhpur"
		if _, err := e.svc.Create(ctx, officer, in); err != app.ErrForbidden {
			t.Errorf("create in another district: %v", err)
		}
	})
}

func TestArtisanMasking(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		in := artInput("Kishan Lal", "9829012345")
		in.PAN, in.BankAccount, in.IFSC = "ABCPE1234F", "123456789012", "SBIN0001234"
		in.Aadhaar = app.AadhaarNumber(artAadhaar(5))
		a := e.create("entry.jaipur", in)
		for who, want := range map[string][3]string{
			"entry.jaipur": {"9829012345", "ABCPE1234F", "123456789012"},
			"dic.jaipur":   {"9829012345", "ABCPE1234F", "123456789012"},
			"board":        {"XXXXXX2345", "XXXXXX234F", "XXXXXXXX9012"},
			"auditor":      {"XXXXXX2345", "XXXXXX234F", "XXXXXXXX9012"},
		} {
			got, err := e.svc.Get(ctx, e.actor(who), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if [3]string{got.Mobile, got.PAN, got.BankAccount} != want || got.AadhaarLast4 != artAadhaar(5)[8:] {
				t.Errorf("%s sees %s %s %s aadhaar %s", who, got.Mobile, got.PAN, got.BankAccount, got.AadhaarLast4)
			}
		}
	})
}

func TestArtisanListPages(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		names := []string{"Gopal", "anita", "Bhanwari Devi", "चंदा", "Dinesh", "Anil", "Anita", "गीता", "Farida", "Ejaz", "Chetan"}
		for i, n := range names {
			in := artInput(n, fmt.Sprintf("97%08d", i))
			in.Gender = "female"
			if i%2 == 1 {
				in.Gender = "male"
				in.Crafts = []string{"bagru-block-print"}
			}
			e.create("entry.jaipur", in)
		}
		for i := range 3 {
			e.approved(artInput(fmt.Sprintf("Approved %d", i), fmt.Sprintf("96%08d", i)))
		}
		all := func(f app.ArtisanFilter) ([]string, int64) {
			var got []string
			var total int64
			if f.Limit == 0 {
				f.Limit = 4
			}
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("cursor does not advance")
				}
				page, err := e.svc.List(ctx, e.actor("dic.jaipur"), f)
				if err != nil {
					t.Fatal(err)
				}
				total = page.Total
				for _, a := range page.Items {
					got = append(got, a.Name)
				}
				if page.NextCursor == "" {
					return got, total
				}
				f.Cursor = page.NextCursor
			}
		}
		byName, total := all(app.ArtisanFilter{Sort: app.ArtisanSortName})
		want := []string{"Anil", "anita", "Anita", "Approved 0", "Approved 1", "Approved 2", "Bhanwari Devi", "Chetan",
			"Dinesh", "Ejaz", "Farida", "Gopal", "गीता", "चंदा"}
		if !slices.Equal(byName, want) || total != 14 {
			t.Errorf("by name = %v (total %d)\nwant %v", byName, total, want)
		}
		created, _ := all(app.ArtisanFilter{})
		if len(created) != 14 || created[0] != "Approved 2" || created[13] != "Gopal" {
			t.Errorf("newest first = %v", created)
		}
		byNo, _ := all(app.ArtisanFilter{Sort: app.ArtisanSortRegistrationNo})
		if len(byNo) != 14 || byNo[0] != "Approved 0" || byNo[2] != "Approved 2" {
			t.Errorf("by registration number = %v", byNo)
		}
		men, total := all(app.ArtisanFilter{Gender: "male", Sort: app.ArtisanSortName})
		if fmt.Sprint(men) != "[Anil anita Approved 0 Approved 1 Approved 2 Ejaz गीता चंदा]" || total != 8 {
			t.Errorf("men = %v total %d", men, total)
		}
		bagru, total := all(app.ArtisanFilter{Craft: "bagru-block-print", Sort: app.ArtisanSortName})
		if len(bagru) != 5 || total != 5 {
			t.Errorf("other craft bagru = %v total %d", bagru, total)
		}
		if got, total := all(app.ArtisanFilter{Sector: "handloom"}); len(got) != 0 || total != 0 {
			t.Errorf("handloom = %v %d", got, total)
		}
		if got, total := all(app.ArtisanFilter{Status: app.ArtisanApproved, District: "jaipur"}); len(got) != 3 || total != 3 {
			t.Errorf("approved = %v %d", got, total)
		}
		yes, no := true, false
		if got, total := all(app.ArtisanFilter{HasPAN: &yes}); len(got) != 0 || total != 0 {
			t.Errorf("with PAN = %v %d", got, total)
		}
		if got, total := all(app.ArtisanFilter{HasBank: &no}); len(got) != 14 || total != 14 {
			t.Errorf("without bank = %v %d", got, total)
		}
		// Searches whose matches are many (here 6 of 14 for a page of 1) walk the list order
		// and test each row against the matches; the pages must come out the same.
		found, total := all(app.ArtisanFilter{Q: "a", Sort: app.ArtisanSortName, Limit: 1})
		if fmt.Sprint(found) != "[Anil anita Anita Approved 0 Approved 1 Approved 2]" || total != 6 {
			t.Errorf("search a by name, one a page = %v (total %d)", found, total)
		}
		found, total = all(app.ArtisanFilter{Q: "approved", Limit: 1})
		if fmt.Sprint(found) != "[Approved 2 Approved 1 Approved 0]" || total != 3 {
			t.Errorf("search approved newest first = %v (total %d)", found, total)
		}
		found, total = all(app.ArtisanFilter{Q: "a", Gender: "female", Sort: app.ArtisanSortName, Limit: 1})
		if fmt.Sprint(found) != "[Anita]" || total != 1 {
			t.Errorf("search a among women = %v (total %d)", found, total)
		}

		// A cursor of one order is refused by another, and garbage is refused.
		page, _ := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Limit: 2})
		_, err := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Sort: app.ArtisanSortName, Cursor: page.NextCursor})
		artWant(t, "cursor of another order", err, app.EINVALID, "error.invalid")
		_, err = e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Cursor: "!!!"})
		artWant(t, "garbage cursor", err, app.EINVALID, "error.invalid")
		_, err = e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Sort: "age"})
		artWant(t, "unknown sort", err, app.EINVALID, "error.invalid")
		if p, _ := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{Limit: 100000}); len(p.Items) != 14 {
			t.Errorf("limit above max: %d items", len(p.Items))
		}
		artCountsExact(t, e.db)
	})
}

// TestArtisanSearchWays checks that the three ways List finds name matches (a list of ids,
// probing the list order, the search index driving) give the same pages.
func TestArtisanSearchWays(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		firsts := []string{"Kishan", "Kishore", "Ram", "Ramesh", "Radha", "Sita", "Shankar", "Mohan"}
		lasts := []string{"Sharma", "Meena", "Ram", "Prajapat"}
		for i := range 32 {
			in := artInput(firsts[i%len(firsts)]+" "+lasts[i%len(lasts)], fmt.Sprintf("93%08d", i))
			in.NameHi, in.Gender = []string{"किशन", "किशोर", "राम", "रमेश"}[i%4], []string{"female", "male"}[i%2]
			if i%3 == 0 {
				in.District = "jodhpur"
				e.create("entry.jodhpur", in)
			} else {
				e.create("entry.jaipur", in)
			}
		}
		pages := func(svc *app.Artisans, who string, f app.ArtisanFilter) string {
			var out []string
			for range 40 {
				page, err := svc.List(ctx, e.actor(who), f)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%d:%s", page.Total, artNames(page.Items, false)))
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			return strings.Join(out, " | ")
		}
		byList := e.svc
		counted := *e.svc
		counted.SearchIDList = 1
		for _, who := range []string{"admin", "dic.jaipur"} {
			for _, q := range []string{"ram", "r", "kis sharma", "रा", "sha", "r m"} {
				for _, limit := range []int{3, 50} {
					for _, sort := range []string{app.ArtisanSortCreated, app.ArtisanSortName} {
						for _, gender := range []string{"", "male"} {
							f := app.ArtisanFilter{Q: q, Limit: limit, Sort: sort, Gender: gender}
							want, got := pages(byList, who, f), pages(&counted, who, f)
							if got != want {
								t.Errorf("%s %+v:\n got %s\nwant %s", who, f, got, want)
							}
						}
					}
				}
			}
		}
	})
}
