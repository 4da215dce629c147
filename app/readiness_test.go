package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"shilpkosh/app"
)

// readyArtisan makes an approved artisan of district who holds every document any platform
// needs and has MinCatalogueProducts products, each with MinProductPhotos good photos,
// listed at the store price. Fields and rows are written directly: readiness only reads.
func readyArtisan(t *testing.T, e *artEnv, name, mobile, district string) *app.Artisan {
	t.Helper()
	ctx := context.Background()
	in := artInput(name, mobile)
	in.District = district
	a := e.approved(in)
	if _, err := e.db.NewRaw(`UPDATE artisans SET pan = 'ABCDE1234F', gstin = '08ABCDE1234F1Z5', bank_account = '1234567890',
		ifsc = 'SBIN0001234', aadhaar_last4 = '1234', udyam = 'UDYAM-RJ-17-0000001', pehchan_id = 'PEH123' WHERE id = ?`, a.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.NewRaw(`INSERT INTO documents (artisan_id, district, doc_type, file_name, content_type, size_bytes, sha256,
		storage_key, uploaded_at) VALUES (?, ?, 'id_proof', 'id.pdf', 'application/pdf', 10, 'x', ?, ?)`,
		a.ID, district, fmt.Sprintf("%032x", a.ID), app.Now()).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	products := &app.Products{DB: e.db, Authz: e.authz}
	listings := &app.Listings{DB: e.db, Authz: e.authz}
	for i := range app.MinCatalogueProducts {
		p, err := products.Create(ctx, e.actor("admin"), app.ProductInput{ArtisanID: a.ID, TitleEn: fmt.Sprintf("Dupatta %d", i),
			Craft: "sanganeri-block-print", StorePricePaise: 100000})
		if err != nil {
			t.Fatal(err)
		}
		for j := range app.MinProductPhotos {
			if _, err := e.db.NewRaw(`INSERT INTO product_photos (product_id, storage_key, file_name, content_type, size_bytes,
				width, height, mean_brightness, quality_flags, uploaded_at) VALUES (?, ?, 'p.jpg', 'image/jpeg', 10, 1200, 1200, 150, '', ?)`,
				p.ID, fmt.Sprintf("%030x%02d", p.ID, j), app.Now()).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := listings.Create(ctx, e.actor("admin"), app.ListingInput{ProductID: p.ID, Platform: "amazon",
			ListedPricePaise: 100000, Status: "live", PlatformProductID: fmt.Sprintf("B0%d", p.ID)}); err != nil {
			t.Fatal(err)
		}
	}
	rptCatalogue(t, e)
	return a
}

func readinessOf(t *testing.T, r *app.Readiness, actor app.Actor, id int64) map[string]app.PlatformReadiness {
	t.Helper()
	list, err := r.ForArtisan(context.Background(), actor, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]app.PlatformReadiness{}
	for _, p := range list {
		out[p.Platform] = p
	}
	return out
}

// platformNeeds reads platform_documents as the test's expectation.
func platformNeeds(t *testing.T, e *artEnv) map[string]map[string]bool {
	t.Helper()
	var rows []struct {
		Platform string `bun:"platform"`
		Document string `bun:"document"`
	}
	if err := e.db.NewSelect().Table("platform_documents").Column("platform", "document").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, r := range rows {
		if out[r.Platform] == nil {
			out[r.Platform] = map[string]bool{}
		}
		out[r.Platform][r.Document] = true
	}
	return out
}

// TestReadinessMissingEachDocument takes one document at a time away from a ready artisan:
// every platform that needs it drops to nearly, with that document's check failed and its
// next step named; the others stay ready.
func TestReadinessMissingEachDocument(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		r := &app.Readiness{DB: e.db, Authz: e.authz}
		a := readyArtisan(t, e, "Ready Kumar", "9876500001", "jaipur")
		for slug, p := range readinessOf(t, r, e.actor("dic.jaipur"), a.ID) {
			if p.Band != app.BandReady || p.Passed != p.Total || p.Score != 1 {
				t.Errorf("%s before any removal: %+v", slug, p)
			}
		}
		needs := platformNeeds(t, e)
		removals := map[string][2]string{
			app.DocPAN:         {"UPDATE artisans SET pan = '' WHERE id = ?", "UPDATE artisans SET pan = 'ABCDE1234F' WHERE id = ?"},
			app.DocGSTIN:       {"UPDATE artisans SET gstin = '' WHERE id = ?", "UPDATE artisans SET gstin = '08ABCDE1234F1Z5' WHERE id = ?"},
			app.DocBankAccount: {"UPDATE artisans SET bank_account = '' WHERE id = ?", "UPDATE artisans SET bank_account = '1234567890' WHERE id = ?"},
			app.DocAadhaar:     {"UPDATE artisans SET aadhaar_last4 = '' WHERE id = ?", "UPDATE artisans SET aadhaar_last4 = '1234' WHERE id = ?"},
			app.DocMobile:      {"UPDATE artisans SET mobile = '' WHERE id = ?", "UPDATE artisans SET mobile = '9876500001' WHERE id = ?"},
			app.DocUdyam:       {"UPDATE artisans SET udyam = '' WHERE id = ?", "UPDATE artisans SET udyam = 'UDYAM-RJ-17-0000001' WHERE id = ?"},
			app.DocPehchan:     {"UPDATE artisans SET pehchan_id = '' WHERE id = ?", "UPDATE artisans SET pehchan_id = 'PEH123' WHERE id = ?"},
			app.DocIDProofFile: {"UPDATE documents SET deleted_at = CURRENT_TIMESTAMP WHERE artisan_id = ?", "UPDATE documents SET deleted_at = NULL WHERE artisan_id = ?"},
		}
		for doc, sql := range removals {
			if _, err := e.db.NewRaw(sql[0], a.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			needed := 0
			for slug, p := range readinessOf(t, r, e.actor("admin"), a.ID) {
				if !needs[slug][doc] {
					if p.Band != app.BandReady {
						t.Errorf("without %s, %s (which does not need it) is %s", doc, slug, p.Band)
					}
					continue
				}
				needed++
				failed := failedChecks(p)
				want := "document:" + doc + ":readiness.next.document." + doc
				if p.Band != app.BandNearly || len(failed) != 1 || failed[0] != want || p.Passed != p.Total-1 {
					t.Errorf("without %s, %s: band %s, failed %v, %d/%d", doc, slug, p.Band, failed, p.Passed, p.Total)
				}
			}
			if needed == 0 {
				t.Errorf("no platform needs %s: the test proves nothing for it", doc)
			}
			if _, err := e.db.NewRaw(sql[1], a.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func failedChecks(p app.PlatformReadiness) []string {
	var out []string
	for _, c := range p.Checks {
		if !c.Passed {
			out = append(out, c.Check+":"+c.Document+":"+c.Next)
		}
	}
	return out
}

// TestReadinessCatalogueChecks: too few products, a poor photo and a price out of step each
// fail their own check; two failures make an artisan far.
func TestReadinessCatalogueChecks(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		r := &app.Readiness{DB: e.db, Authz: e.authz}
		a := readyArtisan(t, e, "Ready Kumar", "9876500001", "jaipur")
		// A photo flagged too dark leaves its product with too few good photos.
		if _, err := e.db.NewRaw(`UPDATE product_photos SET quality_flags = 'too_dark' WHERE id = (SELECT MIN(id) FROM product_photos)`).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		flipkart := readinessOf(t, r, e.actor("admin"), a.ID)["flipkart"]
		if got := failedChecks(flipkart); len(got) != 1 || got[0] != "photos::readiness.next.photos" || flipkart.Band != app.BandNearly {
			t.Errorf("dark photo: %v, %s", got, flipkart.Band)
		}
		// A listing 10.01% above the store price fails prices as well: two failures, far.
		if _, err := e.db.NewRaw(`UPDATE listings SET listed_price_paise = 110010 WHERE id = (SELECT MIN(id) FROM listings)`).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		flipkart = readinessOf(t, r, e.actor("admin"), a.ID)["flipkart"]
		if got := failedChecks(flipkart); len(got) != 2 || flipkart.Band != app.BandFar {
			t.Errorf("dark photo and price: %v, %s", got, flipkart.Band)
		}
		// An artisan with no product fails products and photos.
		b := e.approved(artInput("New Kumar", "9876500002"))
		got := failedChecks(readinessOf(t, r, e.actor("admin"), b.ID)["walmart-vriddhi"])
		if len(got) != 2 || got[0] != "products::readiness.next.products" || got[1] != "photos::readiness.next.photos" {
			t.Errorf("no products: %v", got)
		}
	})
}

// TestReadinessDistrictTable counts approved artisans only, per platform, and answers
// not found outside the actor's districts.
func TestReadinessDistrictTable(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		r := &app.Readiness{DB: e.db, Authz: e.authz}
		readyArtisan(t, e, "Ready Kumar", "9876500001", "jaipur")
		nearly := readyArtisan(t, e, "Nearly Kumar", "9876500002", "jaipur")
		if _, err := e.db.NewRaw("UPDATE artisans SET pan = '' WHERE id = ?", nearly.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		rptCatalogue(t, e)
		e.approved(artInput("Far Kumar", "9876500003"))           // no documents, no products
		e.create("entry.jaipur", artInput("Draft", "9876500004")) // not approved: not counted
		readyArtisan(t, e, "Jodhpur Kumar", "9876500005", "jodhpur")

		rows, err := r.DistrictTable(ctx, e.actor("dic.jaipur"), "jaipur")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, row := range rows {
			got[row.Platform] = fmt.Sprintf("%d/%d/%d", row.Ready, row.Nearly, row.Far)
		}
		// PAN is needed by amazon, flipkart, gem and india-handmade (platform_documents), not by
		// ondc or walmart-vriddhi.
		want := map[string]string{"amazon": "1/1/1", "flipkart": "1/1/1", "gem": "1/1/1", "india-handmade": "1/1/1",
			"ondc": "2/0/1", "walmart-vriddhi": "2/0/1"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("jaipur table = %v, want %v", got, want)
		}
		if _, err := r.DistrictTable(ctx, e.actor("dic.jodhpur"), "jaipur"); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur's officer reads Jaipur's table: %v", err)
		}
		if _, err := r.ForArtisan(ctx, e.actor("dic.jodhpur"), nearly.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur's officer reads a Jaipur artisan's readiness: %v", err)
		}
		if _, err := r.DistrictTable(ctx, app.Actor{}, "jaipur"); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("nobody reads a table: %v", err)
		}
	})
}

// TestReadinessTableMatchesForArtisan builds artisans that fail each check in turn, alone
// and together, and compares the set-based counts of DistrictTable and the dashboard with
// counting ForArtisan's bands artisan by artisan, for a district and state-wide.
func TestReadinessTableMatchesForArtisan(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		r := &app.Readiness{DB: e.db, Authz: e.authz}
		exec := func(sql string, args ...any) {
			t.Helper()
			if _, err := e.db.NewRaw(sql, args...).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		firstProduct := "(SELECT MIN(id) FROM products WHERE artisan_id = ?)"
		variants := map[string][]string{
			"ready":           nil,
			"no pan":          {"UPDATE artisans SET pan = '' WHERE id = ?"},
			"no gstin":        {"UPDATE artisans SET gstin = '' WHERE id = ?"},
			"no bank":         {"UPDATE artisans SET bank_account = '' WHERE id = ?"},
			"no aadhaar":      {"UPDATE artisans SET aadhaar_last4 = '' WHERE id = ?"},
			"no mobile":       {"UPDATE artisans SET mobile = '' WHERE id = ?"},
			"no udyam":        {"UPDATE artisans SET udyam = '' WHERE id = ?"},
			"no pehchan":      {"UPDATE artisans SET pehchan_id = '' WHERE id = ?"},
			"weaver id only":  {"UPDATE artisans SET pehchan_id = '', weaver_id = 'W1' WHERE id = ?"},
			"id proof gone":   {"UPDATE documents SET deleted_at = CURRENT_TIMESTAMP WHERE artisan_id = ?"},
			"passbook only":   {"UPDATE artisans SET bank_account = '' WHERE id = ?", "UPDATE documents SET doc_type = 'bank_passbook' WHERE artisan_id = ?"},
			"two products":    {"DELETE FROM listings WHERE product_id = " + firstProduct, "DELETE FROM product_photos WHERE product_id = " + firstProduct, "DELETE FROM products WHERE id = " + firstProduct},
			"dark photo":      {"UPDATE product_photos SET quality_flags = 'too_dark' WHERE id = (SELECT MIN(ph.id) FROM product_photos AS ph JOIN products AS p ON p.id = ph.product_id WHERE p.artisan_id = ?)"},
			"flagged listing": {"UPDATE listings SET listed_price_paise = 150000 WHERE product_id = " + firstProduct},
			"removed flagged": {"UPDATE listings SET listed_price_paise = 150000, status = 'removed' WHERE product_id = " + firstProduct},
			"pan and price":   {"UPDATE artisans SET pan = '' WHERE id = ?", "UPDATE listings SET listed_price_paise = 10 WHERE product_id = " + firstProduct},
			"not approved":    {"UPDATE artisans SET status = 'submitted' WHERE id = ?"},
		}
		n := 0
		for name, updates := range variants {
			for _, district := range []string{"jaipur", "jodhpur"} {
				n++
				a := readyArtisan(t, e, name, fmt.Sprintf("98765%05d", n), district)
				for _, sql := range updates {
					exec(sql, a.ID)
				}
			}
		}
		e.approved(artInput("No Products", "9876599999")) // no documents, no products
		rptCatalogue(t, e)                                // the rows written directly above

		want := func(district string) string {
			t.Helper()
			q := e.db.NewSelect().Table("artisans").Column("id").Where("status = ?", app.ArtisanApproved)
			if district != "" {
				q = q.Where("district = ?", district)
			}
			var ids []int64
			if err := q.Scan(ctx, &ids); err != nil {
				t.Fatal(err)
			}
			counts := map[string]*[3]int{}
			for _, id := range ids {
				for slug, p := range readinessOf(t, r, e.actor("admin"), id) {
					if counts[slug] == nil {
						counts[slug] = &[3]int{}
					}
					counts[slug][map[string]int{app.BandReady: 0, app.BandNearly: 1, app.BandFar: 2}[p.Band]]++
				}
			}
			out := map[string]string{}
			for slug, c := range counts {
				out[slug] = fmt.Sprintf("%d/%d/%d", c[0], c[1], c[2])
			}
			return fmt.Sprint(out)
		}
		got := func(rows []app.ReadinessRow) string {
			out := map[string]string{}
			for _, row := range rows {
				out[row.Platform] = fmt.Sprintf("%d/%d/%d", row.Ready, row.Nearly, row.Far)
			}
			return fmt.Sprint(out)
		}
		for _, district := range []string{"jaipur", "jodhpur"} {
			rows, err := r.DistrictTable(ctx, e.actor("admin"), district)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := got(rows), want(district); g != w {
				t.Errorf("%s table = %s, ForArtisan counts %s", district, g, w)
			}
		}
		dashboards := &app.Dashboards{DB: e.db, Authz: e.authz, Artisans: e.svc}
		for who, district := range map[string]string{"admin": "", "dic.jaipur": "jaipur"} {
			d, err := dashboards.Build(ctx, e.actor(who), app.Now())
			if err != nil {
				t.Fatal(err)
			}
			if d.Readiness == nil {
				t.Fatalf("%s's dashboard has no readiness block", who)
			}
			if g, w := got(d.Readiness.Platforms), want(district); g != w {
				t.Errorf("%s's dashboard = %s, ForArtisan counts %s", who, g, w)
			}
		}
	})
}
