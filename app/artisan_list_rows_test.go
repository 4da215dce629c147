package app_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"shilpkosh/app"
)

// The list reads its rows (other crafts included) and, for a plain filter, its total in
// one statement of its own; every listed record must equal the record Get returns, for
// readers who see personal details and for those who see them masked, on both paths.
func TestArtisanListRowsMatchGet(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		for i := range 5 {
			in := artInput(fmt.Sprintf("Listed %d", i), fmt.Sprintf("97%08d", i))
			in.PAN, in.BankAccount, in.IFSC = "ABCPE1234F", "12345678901"+fmt.Sprint(i), "SBIN0001234"
			switch i {
			case 1:
				in.Crafts = []string{"bagru-block-print"}
			case 2:
				in.Crafts = []string{"blue-pottery", "bagru-block-print"}
			}
			e.create("entry.jaipur", in)
		}
		e.approved(artInput("Approved", "9600000001"))
		for _, who := range []string{"dic.jaipur", "auditor"} {
			for name, f := range map[string]app.ArtisanFilter{
				"plain":                 {},
				"district":              {District: "jaipur", Limit: 2},
				"district and status":   {District: "jaipur", Status: app.ArtisanDraft},
				"by name (plain)":       {Sort: app.ArtisanSortName, Limit: 3},
				"by number (plain)":     {Sort: app.ArtisanSortRegistrationNo},
				"gender (filtered)":     {Gender: "male"},
				"craft (filtered)":      {Craft: "bagru-block-print"},
				"name search (indexed)": {Q: "listed"},
			} {
				page, err := e.svc.List(ctx, e.actor(who), f)
				if err != nil {
					t.Fatalf("%s %s: %v", who, name, err)
				}
				if len(page.Items) == 0 {
					t.Errorf("%s %s: no rows", who, name)
				}
				for _, got := range page.Items {
					want, err := e.svc.Get(ctx, e.actor(who), got.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got.Crafts, want.Crafts) || got.Masked != want.Masked {
						t.Errorf("%s %s: %s crafts %v masked %v; Get: %v %v", who, name, got.Name, got.Crafts, got.Masked,
							want.Crafts, want.Masked)
					}
					got.Crafts, want.Crafts = nil, nil
					if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) ||
						!got.StatusChangedAt.Equal(want.StatusChangedAt) {
						t.Errorf("%s %s: %s times differ from Get", who, name, got.Name)
					}
					got.CreatedAt, got.UpdatedAt, got.StatusChangedAt = want.CreatedAt, want.UpdatedAt, want.StatusChangedAt
					if !reflect.DeepEqual(got, *want) {
						t.Errorf("%s %s: listed %+v\nGet    %+v", who, name, got, *want)
					}
				}
			}
		}
		// A page past the last row carries no total in its rows; it is counted apart.
		page, err := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{District: "jaipur", Status: app.ArtisanApproved})
		if err != nil || page.Total != 1 || len(page.Items) != 1 {
			t.Fatalf("approved: %d items, total %d, %v", len(page.Items), page.Total, err)
		}
		empty, err := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{District: "jodhpur"})
		if err != nil || empty.Total != 0 || len(empty.Items) != 0 {
			t.Errorf("jodhpur for a jaipur officer: %d items, total %d, %v", len(empty.Items), empty.Total, err)
		}
	})
}
