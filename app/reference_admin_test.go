package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

func ptrTo[T any](v T) *T { return &v }

func TestCraftAndDistrictEditing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		authz, err := policies.New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		users := &app.Users{DB: db, Authz: authz}
		admin, _ := users.Create(ctx, app.System, app.NewUser{Username: "admin", Password: "long-enough-pw", Name: "A", Role: "state_admin"})
		dic, _ := users.Create(ctx, app.System, app.NewUser{Username: "dic", Password: "long-enough-pw", Name: "D", Role: "dic_officer", Districts: []string{"jaipur"}})
		asAdmin, asDIC := app.Actor{UserID: admin.ID, Username: "admin"}, app.Actor{UserID: dic.ID, Username: "dic"}
		ref := &app.ReferenceAdmin{DB: db, Authz: authz}

		in := app.CraftInput{Slug: "leheriya-test", Sector: ptrTo("handicraft"), Name: ptrTo("Leheriya test"), NameHi: ptrTo("लहरिया"), GITag: ptrTo(true)}
		if _, err := ref.CreateCraft(ctx, asDIC, in); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("dic officer created a craft: %v", err)
		}
		c, err := ref.CreateCraft(ctx, asAdmin, in)
		if err != nil || !c.GITag || c.Version != 1 {
			t.Fatalf("create: %+v %v", c, err)
		}
		if _, err := ref.CreateCraft(ctx, asAdmin, in); !hasField(err, "slug") {
			t.Errorf("duplicate slug: %v", err)
		}
		bad := app.CraftInput{Slug: "Bad Slug", Sector: ptrTo("pottery"), Name: ptrTo("")}
		_, err = ref.CreateCraft(ctx, asAdmin, bad)
		for _, f := range []string{"slug", "sector", "name", "name_hi"} {
			if !hasField(err, f) {
				t.Errorf("bad craft: no error for %s: %v", f, err)
			}
		}
		// Deactivate with the version read; a second edit with the same version is stale.
		c, err = ref.UpdateCraft(ctx, asAdmin, "leheriya-test", app.CraftInput{Active: ptrTo(false), Version: 1})
		if err != nil || c.Active || c.Version != 2 {
			t.Fatalf("deactivate: %+v %v", c, err)
		}
		if _, err := ref.UpdateCraft(ctx, asAdmin, "leheriya-test", app.CraftInput{Name: ptrTo("X"), Version: 1}); !errors.Is(err, app.ErrStale) {
			t.Errorf("stale edit: %v", err)
		}
		if _, err := ref.UpdateCraft(ctx, asAdmin, "no-such-craft", app.CraftInput{Version: 1}); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("unknown craft: %v", err)
		}

		d, err := ref.UpdateDistrict(ctx, asAdmin, "jalore", app.DistrictInput{Aliases: ptrTo("Jalor|जालोर|Jalour"), Version: 1})
		if err != nil || d.Aliases != "Jalor|जालोर|Jalour" || d.NameEn != "Jalore" {
			t.Errorf("district: %+v %v", d, err)
		}
		if _, err := ref.UpdateDistrict(ctx, asAdmin, "jalore", app.DistrictInput{Name: ptrTo(""), Version: 2}); !hasField(err, "name") {
			t.Errorf("empty district name: %v", err)
		}
		n, err := db.NewSelect().Model((*app.AuditEntry)(nil)).Where("entity IN ('craft', 'district')").Count(ctx)
		if err != nil || n != 3 {
			t.Errorf("audit entries = %d, %v; want 3", n, err)
		}
	})
}

func hasField(err error, field string) bool {
	var e *app.Error
	if !errors.As(err, &e) {
		return false
	}
	_, ok := e.Fields[field]
	return ok
}
