package migrations_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/migrations"
)

func TestUpDownUp(t *testing.T) {
	ctx := context.Background()
	for _, dialect := range apptest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := apptest.MustOpenEmptyDB(t, dialect)
			if _, err := migrations.Up(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := migrations.SeedReference(ctx, db); err != nil {
				t.Fatal(err)
			}
			// Rolling back must really remove the tables, and a second up must work again.
			for range 2 {
				if _, err := migrations.Down(ctx, db); err != nil {
					t.Fatal(err)
				}
				if _, err := db.NewSelect().Table("users").Count(ctx); err == nil {
					t.Fatal("users table still exists after migrate down")
				}
				if _, err := migrations.Up(ctx, db); err != nil {
					t.Fatal(err)
				}
			}
			group, err := migrations.Up(ctx, db)
			if err != nil || !group.IsZero() {
				t.Fatalf("second up applied %v, err %v; want nothing", group, err)
			}
		})
	}
}

func TestSeedReference(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		ref := &app.Reference{DB: db}
		districts, err := ref.Districts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(districts) != 41 {
			t.Errorf("districts = %d, want 41", len(districts))
		}
		var ganganagar app.District
		for _, d := range districts {
			if d.Slug == "sri-ganganagar" {
				ganganagar = d
			}
		}
		if ganganagar.NameHi != "श्रीगंगानगर" || ganganagar.Aliases != "Ganganagar" || ganganagar.Division != "Bikaner" {
			t.Errorf("sri-ganganagar = %+v", ganganagar)
		}
		// An admin's edit survives a second seed.
		if _, err := db.NewUpdate().Table("crafts").Set("name_en = ?", "Edited").Where("slug = ?", "dabu-print").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := migrations.SeedReference(ctx, db); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := db.NewSelect().Table("crafts").Column("name_en").Where("slug = ?", "dabu-print").Scan(ctx, &name); err != nil || name != "Edited" {
			t.Errorf("after re-seed name = %q, err %v", name, err)
		}
		for what, n := range map[string]func() (int, error){
			"crafts":    func() (int, error) { c, err := ref.Crafts(ctx); return len(c), err },
			"schemes":   func() (int, error) { c, err := ref.Schemes(ctx); return len(c), err },
			"platforms": func() (int, error) { c, err := ref.Platforms(ctx); return len(c), err },
			"agencies":  func() (int, error) { c, err := ref.Agencies(ctx); return len(c), err },
		} {
			if got, err := n(); err != nil || got == 0 {
				t.Errorf("%s: %d rows, err %v", what, got, err)
			}
		}
	})
}
