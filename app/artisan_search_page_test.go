package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// TestArtisanSearchNewestPage checks the page of a one-word search newest first, found in
// the search terms alone, against the matches worked out in Go: many matches paged
// through with the cursor at several page sizes, artisans created at the same instant
// (ties broken by id), a district named or the only one of the actor's scope, counted and
// longer tokens, and the other sorts (found the existing ways) holding the same artisans.
func TestArtisanSearchNewestPage(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		firsts := []string{"Kishan", "Kishore", "Kisna", "Ramkishan", "Bhakishan", "Radha", "Kamla", "Sita"}
		his := []string{"किशन", "किशोर", "कीसना", "रामकिशन", "", "राधा", "कमला", "सीता"}
		var rows []app.ArtisanInput
		for i := range 120 {
			in := artInput(firsts[i%len(firsts)]+" "+[]string{"Sharma", "Meena", "Kishnani"}[i%3], fmt.Sprintf("95%08d", i))
			in.NameHi = his[i%len(his)]
			if i%4 == 0 {
				in.District, in.Tehsil, in.Village, in.PINCode = "jodhpur", "Salawas", "Salawas", "342802"
			}
			rows = append(rows, in)
		}
		res, err := e.svc.CreateMany(ctx, e.actor("admin"), rows)
		if err != nil {
			t.Fatal(err)
		}
		// Ties: a third of the artisans share their created_at with their neighbours.
		for i := 0; i+2 < len(res.IDs); i += 9 {
			at := time.Date(2026, 3, 1, 10, 0, i, 0, time.UTC)
			ids := bun.In(res.IDs[i : i+3])
			for _, table := range []string{"artisans", "artisan_search_terms"} {
				q := "UPDATE " + table + " SET created_at = ? WHERE " + map[string]string{"artisans": "id", "artisan_search_terms": "artisan_id"}[table] + " IN (?)"
				if _, err := e.db.ExecContext(ctx, q, at, ids); err != nil {
					t.Fatal(err)
				}
			}
		}
		counted := *e.svc
		counted.SearchIDList = 5 // so that longer tokens' matches are too many for a list of ids
		type view struct{ who, district string }
		for _, svc := range []*app.Artisans{e.svc, &counted} {
			for _, v := range []view{{"admin", "jaipur"}, {"dic.jaipur", ""}, {"dic.jaipur", "jaipur"}, {"admin", "jodhpur"}, {"dic.jodhpur", "jaipur"}} {
				for _, q := range []string{"kis", "k", "kishan", "shan", "कि", "किश", "कीस", "r", "ki sharma", "nomatch"} {
					want := artSearchMatches(t, e, v.district, q)
					if v.district == "" || v.who == "dic.jodhpur" {
						want = artSearchMatches(t, e, map[string]string{"dic.jaipur": "jaipur", "dic.jodhpur": "none"}[v.who], q)
					}
					for _, limit := range []int{1, 4, 7, 50} {
						f := app.ArtisanFilter{District: v.district, Q: q, Limit: limit}
						got, total := artSearchPages(t, e, svc, v.who, f)
						if !slices.Equal(got, want) || total != int64(len(want)) {
							t.Fatalf("%+v %+v: %d %v\nwant %d %v", v, f, total, got, len(want), want)
						}
						f.Sort = app.ArtisanSortName
						byName, total := artSearchPages(t, e, svc, v.who, f)
						slices.Sort(byName)
						sorted := slices.Sorted(slices.Values(want))
						if !slices.Equal(byName, sorted) || total != int64(len(want)) {
							t.Fatalf("%+v %+v by name: %d %v\nwant %d %v", v, f, total, byName, len(want), sorted)
						}
					}
				}
			}
		}
		artCountsExact(t, e.db)
	})
}

// artSearchPages pages through a list with its cursor and returns the ids listed and
// the total, checking that every page carries the same total.
func artSearchPages(t *testing.T, e *artEnv, svc *app.Artisans, who string, f app.ArtisanFilter) ([]int64, int64) {
	t.Helper()
	var got []int64
	total := int64(-1)
	for range 200 {
		page, err := svc.List(context.Background(), e.actor(who), f)
		if err != nil {
			t.Fatal(err)
		}
		if total >= 0 && page.Total != total {
			t.Fatalf("%s %+v: total moved %d -> %d", who, f, total, page.Total)
		}
		total = page.Total
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			return got, total
		}
	}
	t.Fatalf("%s %+v: the cursor does not advance", who, f)
	return nil, 0
}

// TestWriteNewArtisanTerms checks the import's way of writing terms: the terms of
// artisans inserted in the same transaction, each with its district and created_at, and
// the search counts moved to match.
func TestWriteNewArtisanTerms(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		model := e.create("entry.jaipur", artInput("Kishan Lal", "9414000001"))
		err := e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var as []*app.Artisan
			for i, name := range []string{"Kishori Devi", "Ramkishan Meena", "किशन", "Bhakishan Kishore"} {
				a := *model
				a.ID, a.Name, a.NameHi, a.Mobile, a.NameKey = 0, name, name, fmt.Sprintf("94150%05d", i), app.ArtisanNameKey(name)
				a.CreatedAt = model.CreatedAt.Add(time.Duration(i+1) * time.Second)
				if i == 3 {
					a.District = "jodhpur"
				}
				if _, err := tx.NewInsert().Model(&a).Exec(ctx); err != nil {
					return err
				}
				as = append(as, &a)
			}
			return app.WriteNewArtisanTerms(ctx, tx, as...)
		})
		if err != nil {
			t.Fatal(err)
		}
		if drift, err := app.SearchCountsDrift(ctx, e.db); err != nil || len(drift) > 0 {
			t.Fatalf("drift %+v, %v", drift, err)
		}
		artTermsAsArtisans(t, e.db)
		for _, q := range []string{"kis", "कि", "kishore", "shan"} {
			for _, district := range []string{"jaipur", "jodhpur"} {
				want := artSearchMatches(t, e, district, q)
				got, total := artSearchPages(t, e, e.svc, "admin", app.ArtisanFilter{District: district, Q: q, Limit: 2})
				if !slices.Equal(got, want) || total != int64(len(want)) {
					t.Errorf("%q in %s: %d %v, want %v", q, district, total, got, want)
				}
			}
		}
	})
}

// artTermsAsArtisans checks that every search term carries its artisan's district and
// created_at, and that every artisan has its terms.
func artTermsAsArtisans(t *testing.T, db bun.IDB) {
	t.Helper()
	ctx := context.Background()
	var wrong, missing int
	err := db.NewRaw("SELECT COUNT(*) FROM artisan_search_terms s LEFT JOIN artisans a ON a.id = s.artisan_id "+
		"AND a.district = s.district AND a.created_at = s.created_at WHERE a.id IS NULL").Scan(ctx, &wrong)
	if err != nil || wrong != 0 {
		t.Fatalf("%d search terms without their artisan's district and created_at (%v)", wrong, err)
	}
	err = db.NewRaw("SELECT COUNT(*) FROM artisans a WHERE NOT EXISTS (SELECT 1 FROM artisan_search_terms s WHERE s.artisan_id = a.id)").
		Scan(ctx, &missing)
	if err != nil || missing != 0 {
		t.Fatalf("%d artisans without search terms (%v)", missing, err)
	}
}
