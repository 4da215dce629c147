package app_test

import (
	"bytes"
	"context"
	"testing"

	"shilpkosh/app"
)

// TestReadinessFactsFollowEveryChange makes, through the services, each kind of change that
// moves a readiness fact or a product's district, and after each compares artisan_readiness
// with the facts read live (ReadinessFactsDrift) and every product's district with its
// artisan's; a few steps also check the row itself, and a write that bypasses the services
// is caught.
func TestReadinessFactsFollowEveryChange(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		dir := t.TempDir()
		docs := &app.Documents{DB: e.db, Authz: e.authz, DataDir: dir}
		products := &app.Products{DB: e.db, Authz: e.authz}
		photos := &app.ProductPhotos{DB: e.db, Authz: e.authz, DataDir: dir}
		listings := &app.Listings{DB: e.db, Authz: e.authz}
		settings := &app.Settings{DB: e.db, Authz: e.authz}
		admin := e.actor("admin")
		drift := func() []int64 {
			t.Helper()
			ids, err := app.ReadinessFactsDrift(ctx, e.db)
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		exact := func(step string) {
			t.Helper()
			if ids := drift(); len(ids) > 0 {
				t.Fatalf("after %s: readiness rows differ for artisans %v", step, ids)
			}
			for _, table := range []string{"products", "onboardings"} {
				var moved int
				if err := e.db.NewRaw("SELECT COUNT(*) FROM "+table+" AS x JOIN artisans AS a ON a.id = x.artisan_id "+
					"WHERE x.district <> a.district").Scan(ctx, &moved); err != nil || moved != 0 {
					t.Fatalf("after %s: %d %s out of their artisan's district (%v)", step, moved, table, err)
				}
			}
		}
		row := func(id int64) (n int, idProof, products, flagged int) {
			t.Helper()
			if err := e.db.NewRaw("SELECT COUNT(*), COALESCE(MAX(has_id_proof), 0), COALESCE(MAX(products), 0), "+
				"COALESCE(MAX(flagged_listings), 0) FROM artisan_readiness WHERE artisan_id = ?", id).
				Scan(ctx, &n, &idProof, &products, &flagged); err != nil {
				t.Fatal(err)
			}
			return n, idProof, products, flagged
		}

		draft := e.create("entry.jaipur", artInput("Draft Kumar", "9876500009"))
		a := e.approved(artInput("Meera Devi", "9876500001"))
		exact("create, approve")
		if n, _, _, _ := row(a.ID); n != 1 {
			t.Fatalf("approved artisan has %d rows", n)
		}
		if n, _, _, _ := row(draft.ID); n != 0 {
			t.Fatalf("a draft has %d rows", n)
		}

		doc, err := docs.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocIDProof, "id.pdf",
			bytes.NewReader([]byte("%PDF-1.4\nid proof")), 17)
		if err != nil {
			t.Fatal(err)
		}
		exact("document upload")
		if _, idProof, _, _ := row(a.ID); idProof != 1 {
			t.Errorf("ID proof uploaded, has_id_proof = %d", idProof)
		}

		p, err := products.Create(ctx, e.actor("entry.jaipur"), app.ProductInput{ArtisanID: a.ID, TitleEn: "Vase",
			Craft: "blue-pottery", StorePricePaise: 100000})
		if err != nil {
			t.Fatal(err)
		}
		exact("product create")
		if _, err := photos.Upload(ctx, e.actor("entry.jaipur"), p.ID, "p.png", bytes.NewReader(testPNG(t, 1200, 1200, 150)),
			-1); err != nil {
			t.Fatal(err)
		}
		exact("photo upload")
		l, err := listings.Create(ctx, e.actor("entry.jaipur"), app.ListingInput{ProductID: p.ID, Platform: "amazon",
			ListedPricePaise: 100000, Status: "live", PlatformProductID: "B01"})
		if err != nil {
			t.Fatal(err)
		}
		exact("listing create")
		in := app.ListingInput{ListedPricePaise: 150000, Status: "live", PlatformProductID: "B01", Version: l.Version}
		if l, err = listings.Update(ctx, e.actor("entry.jaipur"), l.ID, in); err != nil {
			t.Fatal(err)
		}
		exact("listing price")
		if _, _, n, flagged := row(a.ID); n != 1 || flagged != 1 {
			t.Errorf("a listing 50%% over the store price: products %d, flagged %d", n, flagged)
		}
		tol, err := settings.Get(ctx, app.SettingPriceTolerance)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := settings.SetPriceTolerance(ctx, admin, 60, tol.Version); err != nil {
			t.Fatal(err)
		}
		exact("tolerance")
		if _, _, _, flagged := row(a.ID); flagged != 0 {
			t.Errorf("tolerance 60%%: flagged %d", flagged)
		}
		pin := app.ProductInput{TitleEn: "Vase", Craft: "blue-pottery", StorePricePaise: 50000, Version: p.Version}
		if _, err := products.Update(ctx, e.actor("entry.jaipur"), p.ID, pin); err != nil {
			t.Fatal(err)
		}
		exact("store price")
		if err := docs.Delete(ctx, e.actor("entry.jaipur"), doc.ID); err != nil {
			t.Fatal(err)
		}
		exact("document delete")
		onb := &app.Onboarding{DB: e.db, Authz: e.authz}
		if _, err := onb.Move(ctx, e.actor("dic.jaipur"), a.ID, "gem", app.OnboardingMove{Stage: app.StageDocuments}); err != nil {
			t.Fatal(err)
		}
		exact("onboarding record")

		// A transfer sends the record back for verification (no row) and moves its products.
		cur, err := e.svc.Get(ctx, admin, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		ain := artInput("Meera Devi", "9876500001")
		ain.District, ain.Tehsil, ain.Village, ain.PINCode, ain.PAN, ain.Version = "jodhpur", "Salawas", "Salawas", "342802",
			"ABCPE1234F", cur.Version
		moved, err := e.svc.Update(ctx, admin, a.ID, ain)
		if err != nil {
			t.Fatal(err)
		}
		exact("transfer")
		if moved, err = e.svc.Verify(ctx, e.actor("dic.jodhpur"), moved.ID, moved.Version, ""); err != nil {
			t.Fatal(err)
		}
		if moved, err = e.svc.Approve(ctx, e.actor("board"), moved.ID, moved.Version, ""); err != nil {
			t.Fatal(err)
		}
		exact("approve in Jodhpur")
		if _, err := e.svc.Deactivate(ctx, e.actor("dic.jodhpur"), moved.ID, moved.Version, "migrated", "moved away"); err != nil {
			t.Fatal(err)
		}
		exact("deactivate")

		// A write that bypasses the services is what the check exists to catch.
		b := e.approved(artInput("Gopal Prajapat", "9876500002"))
		if _, err := e.db.NewRaw("UPDATE artisans SET gstin = '08ABCDE1234F1Z5' WHERE id = ?", b.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if ids := drift(); len(ids) != 1 || ids[0] != b.ID {
			t.Errorf("a direct write: drift %v, want [%d]", ids, b.ID)
		}
	})
}
