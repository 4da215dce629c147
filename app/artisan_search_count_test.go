package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"shilpkosh/app"
)

// artSearchMatches lists, newest first, the ids of the artisans of district ("" for all)
// whose search terms match every word of q as List does, worked out in Go from the
// records: the reference the search's totals and pages are checked against.
func artSearchMatches(t *testing.T, e *artEnv, district, q string) []int64 {
	t.Helper()
	var all []app.Artisan
	sel := e.db.NewSelect().Model(&all).OrderExpr("created_at DESC, id DESC")
	if district != "" {
		sel = sel.Where("district = ?", district)
	}
	if err := sel.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []int64
	for i := range all {
		terms := app.ArtisanSearchTerms(&all[i])
		every := true
		for _, tok := range strings.Fields(q) {
			every = every && slices.ContainsFunc(terms, func(term string) bool {
				return strings.HasPrefix(term, tok) || (len([]rune(tok)) >= 3 && strings.HasPrefix(term, "*"+tok))
			})
		}
		if every {
			out = append(out, all[i].ID)
		}
	}
	return out
}

// TestSearchCountsFollowEveryChange makes every kind of change that writes names or moves
// an artisan, refused ones included, and checks after each that artisan_search_counts
// equals a recount from the search terms, and that a name search's total and pages (short
// tokens counted from the table, longer ones from the index, pages found by id list or by
// probing) equal the matches worked out from the records.
func TestSearchCountsFollowEveryChange(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.svc
		exact := func(after string) {
			t.Helper()
			drift, err := app.SearchCountsDrift(ctx, e.db)
			if err != nil || len(drift) > 0 {
				t.Fatalf("after %s: drift %+v, %v", after, drift, err)
			}
			artTermsAsArtisans(t, e.db)
			for _, district := range []string{"", "jaipur", "jodhpur"} {
				for _, q := range []string{"k", "kis", "kish", "kisha", "shan", "कि", "किश", "ram", "r", "kis lal"} {
					want := artSearchMatches(t, e, district, q)
					for _, limit := range []int{1, 2, 50} {
						var got []int64
						f := app.ArtisanFilter{District: district, Q: q, Limit: limit}
						for range 50 {
							page, err := s.List(ctx, e.actor("admin"), f)
							if err != nil {
								t.Fatal(err)
							}
							if page.Total != int64(len(want)) {
								t.Fatalf("after %s: %q in %q: total %d, want %d", after, q, district, page.Total, len(want))
							}
							for _, a := range page.Items {
								got = append(got, a.ID)
							}
							if f.Cursor = page.NextCursor; f.Cursor == "" {
								break
							}
						}
						if !slices.Equal(got, want) {
							t.Fatalf("after %s: %q in %q by %d: pages %v, want %v", after, q, district, limit, got, want)
						}
					}
				}
			}
		}
		exact("nothing")

		// Own and relative's names both start "kis": the artisan counts once for "kis".
		in := artInput("Kishan Kishore", "9414000001")
		in.RelativeName, in.NameHi = "Kishan Lal", "किशन किशोर"
		draft := e.create("entry.jaipur", in)
		exact("create")
		for i, name := range []string{"Kishori Devi", "Bhakishan Lal", "Rukmani", "Ramkishan", "Kisna Ram"} {
			in := artInput(name, fmt.Sprintf("94141%05d", i))
			in.NameHi = []string{"किशोरी देवी", "", "रुक्मणी", "रामकिशन", "कीसना"}[i]
			e.create("entry.jaipur", in)
		}
		exact("more creates")

		if _, err := s.CreateMany(ctx, e.actor("entry.jaipur"), artImportRows()); err != nil {
			t.Fatal(err)
		}
		exact("import")
		bad := artImportRows()
		bad[0].Mobile = "12"
		if _, err := s.CreateMany(ctx, e.actor("entry.jaipur"), bad); err == nil {
			t.Fatal("a bad import saved")
		}
		exact("refused import")

		// An edit of the names: one of two "kis" words goes, then both.
		in.Name, in.Version = "Kishan Prajapat", draft.Version
		edited, err := s.Update(ctx, e.actor("entry.jaipur"), draft.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		exact("edit keeping a kis word")
		in.Name, in.RelativeName, in.NameHi, in.Version = "Mohan Prajapat", "Ramesh Chand", "मोहन", edited.Version
		if edited, err = s.Update(ctx, e.actor("entry.jaipur"), draft.ID, in); err != nil {
			t.Fatal(err)
		}
		exact("edit dropping every kis word")
		in.Version = edited.Version - 1
		if _, err := s.Update(ctx, e.actor("entry.jaipur"), draft.ID, in); err == nil {
			t.Fatal("a stale edit passed")
		}
		exact("stale edit")

		// A transfer moves the artisan's counts to the other district.
		a := e.approved(artInput("Kishan Lal", "9829012345"))
		moveIn := artInput("Kishan Lal", "9829012345")
		moveIn.District, moveIn.Tehsil, moveIn.Village, moveIn.PINCode, moveIn.Version = "jodhpur", "Salawas", "Salawas", "342802", a.Version
		if _, err := s.Update(ctx, e.actor("admin"), a.ID, moveIn); err != nil {
			t.Fatal(err)
		}
		exact("transfer")

		keep := e.approved(artInput("Gopal Kishore", "9829012399"))
		dupIn := artInput("Gopal Kishor", "9829012399")
		dupIn.ConfirmDuplicate = true
		dup := e.create("entry.jaipur", dupIn)
		kept, err := s.Merge(ctx, e.actor("admin"), keep.ID, dup.ID)
		if err != nil {
			t.Fatal(err)
		}
		exact("merge")
		if _, err := s.Deactivate(ctx, e.actor("dic.jaipur"), kept.ID, kept.Version, "migrated", "moved away"); err != nil {
			t.Fatal(err)
		}
		exact("deactivate")

		// A term written bypassing the app is what the check exists to catch, and the
		// rebuild puts the counts right.
		raw := &app.ArtisanSearchTerm{Term: "kisan", District: "jaipur", ArtisanID: dup.ID, CreatedAt: dup.CreatedAt}
		if _, err := e.db.NewInsert().Model(raw).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if drift, err := app.SearchCountsDrift(ctx, e.db); err != nil || len(drift) != 1 || drift[0].Prefix != "kisa" {
			t.Errorf("drift after a raw insert = %+v, %v; want kisa", drift, err)
		}
		if err := app.RebuildSearchCounts(ctx, e.db); err != nil {
			t.Fatal(err)
		}
		if drift, err := app.SearchCountsDrift(ctx, e.db); err != nil || len(drift) != 0 {
			t.Errorf("drift after the rebuild = %+v, %v", drift, err)
		}
	})
}
