package app_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"

	"shilpkosh/app"
)

// catEnv is the catalogue over the artisan test environment, with a Jaipur artisan.
type catEnv struct {
	*artEnv
	products *app.Products
	photos   *app.ProductPhotos
	listings *app.Listings
	settings *app.Settings
	artisan  *app.Artisan
}

func eachCatEnv(t *testing.T, fn func(t *testing.T, e *catEnv)) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		fn(t, &catEnv{artEnv: e, artisan: e.create("entry.jaipur", artInput("Mohan Lal", "9876500001")),
			products: &app.Products{DB: e.db, Authz: e.authz},
			photos:   &app.ProductPhotos{DB: e.db, Authz: e.authz, DataDir: t.TempDir()},
			listings: &app.Listings{DB: e.db, Authz: e.authz},
			settings: &app.Settings{DB: e.db, Authz: e.authz}})
	})
}

func (e *catEnv) product(title string, price app.Paise) *app.Product {
	e.t.Helper()
	p, err := e.products.Create(context.Background(), e.actor("entry.jaipur"), app.ProductInput{ArtisanID: e.artisan.ID,
		TitleEn: title, TitleHi: "दुपट्टा", Craft: "sanganeri-block-print", HSNCode: "6214", WeightGrams: 120,
		StorePricePaise: price, GITag: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// testPNG encodes a w × h image of one grey level.
func testPNG(t *testing.T, w, h int, grey uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = grey
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (e *catEnv) upload(productID int64, name string, data []byte) (*app.ProductPhoto, error) {
	return e.photos.Upload(context.Background(), e.actor("entry.jaipur"), productID, name, bytes.NewReader(data), int64(len(data)))
}

func TestProductPhotoQualityFlags(t *testing.T) {
	eachCatEnv(t, func(t *testing.T, e *catEnv) {
		p := e.product("Block-printed dupatta", 125000)
		if !slices.Equal(p.QualityFlags, []string{app.FlagTooFewAngles}) {
			t.Errorf("new product flags = %v", p.QualityFlags)
		}
		cases := []struct {
			name  string
			data  []byte
			flags []string
		}{
			{"small.png", testPNG(t, 999, 1400, 200), []string{app.FlagTooSmall}},
			{"dark.png", testPNG(t, 1000, 1000, app.MinPhotoBrightness-1), []string{app.FlagTooDark}},
			{"small-dark.png", testPNG(t, 300, 200, 10), []string{app.FlagTooSmall, app.FlagTooDark}},
			{"good.png", testPNG(t, 1000, 1200, app.MinPhotoBrightness), []string{}},
		}
		for _, c := range cases {
			ph, err := e.upload(p.ID, c.name, c.data)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(ph.QualityFlags(), c.flags) {
				t.Errorf("%s: flags %v, want %v (brightness %d)", c.name, ph.QualityFlags(), c.flags, ph.MeanBrightness)
			}
		}
		got, err := e.products.Get(context.Background(), e.actor("dic.jaipur"), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Photos) != 4 || len(got.QualityFlags) != 0 || got.Photos[1].Width != 1000 {
			t.Errorf("after 4 photos: %d photos, flags %v", len(got.Photos), got.QualityFlags)
		}
		_, r, err := e.photos.Open(context.Background(), e.actor("auditor"), got.Photos[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(body, cases[3].data) {
			t.Errorf("stored photo differs from the upload")
		}
	})
}

func TestProductPhotoRefusals(t *testing.T) {
	eachCatEnv(t, func(t *testing.T, e *catEnv) {
		p := e.product("Block-printed dupatta", 125000)
		huge := append(testPNG(t, 10, 10, 200), make([]byte, app.MaxPhotoBytes)...)
		jpegBytes := docFixture(t, "sample.jpg")
		cases := []struct {
			name, file string
			data       []byte
			key        string
		}{
			{"decompression bomb", "bomb.png", docFixture(t, "bomb.png"), "document.image_too_big"},
			{"oversize", "big.png", huge, "document.too_large"},
			{"PDF called a PNG", "photo.png", docFixture(t, "sample.pdf"), "photo.type_not_allowed"},
			{"text called a JPEG", "photo.jpg", []byte("<html>not an image</html>"), "photo.type_not_allowed"},
			{"JPEG called a PNG", "photo.png", jpegBytes, "document.extension_mismatch"},
			{"empty", "photo.png", []byte{}, "document.empty"},
		}
		for _, c := range cases {
			_, err := e.upload(p.ID, c.file, c.data)
			if got := fieldError(err, "file"); got != c.key {
				t.Errorf("%s: %s, want %s", c.name, got, c.key)
			}
		}
		// Declared size aside, an oversize stream is cut at the limit and refused.
		_, err := e.photos.Upload(context.Background(), e.actor("entry.jaipur"), p.ID, "big.png", bytes.NewReader(huge), -1)
		if got := fieldError(err, "file"); got != "document.too_large" {
			t.Errorf("undeclared oversize: %s", got)
		}
		n, _ := e.db.NewSelect().Table("product_photos").Count(context.Background())
		if n != 0 {
			t.Errorf("%d photos stored after refusals", n)
		}
	})
}

// TestPriceFlagEdge: exactly the tolerance is not flagged, a paisa more is, on either side,
// in Go and in SQL alike; changing the tolerance moves the edge.
func TestPriceFlagEdge(t *testing.T) {
	eachCatEnv(t, func(t *testing.T, e *catEnv) {
		ctx := context.Background()
		platforms := map[string]app.Paise{"amazon": 110000, "flipkart": 110001, "gem": 90000, "ondc": 89999, "india-handmade": 104000}
		for platform, price := range platforms {
			p := e.product("Dupatta for "+platform, 100000)
			if _, err := e.listings.Create(ctx, e.actor("entry.jaipur"), app.ListingInput{ProductID: p.ID, Platform: platform,
				ListedPricePaise: price, Status: "live", URL: "https://example.com/" + platform}); err != nil {
				t.Fatal(err)
			}
		}
		flagged := func() string {
			t.Helper()
			list, err := e.listings.List(ctx, e.actor("dic.jaipur"), app.ListingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var inGo []string
			for _, l := range list {
				if l.PriceFlagged {
					inGo = append(inGo, l.Platform)
				}
			}
			flags, err := e.listings.PriceFlags(ctx, e.actor("dic.jaipur"), "jaipur")
			if err != nil {
				t.Fatal(err)
			}
			var inSQL []string
			for _, l := range flags {
				inSQL = append(inSQL, l.Platform)
			}
			slices.Sort(inGo)
			slices.Sort(inSQL)
			if !slices.Equal(inGo, inSQL) {
				t.Errorf("Go flags %v, SQL flags %v", inGo, inSQL)
			}
			return strings.Join(inSQL, ",")
		}
		if got := flagged(); got != "flipkart,ondc" {
			t.Errorf("at 10%%: flagged %s", got)
		}
		st, err := e.settings.Get(ctx, app.SettingPriceTolerance)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.settings.SetPriceTolerance(ctx, e.actor("dic.jaipur"), 4, st.Version); !errors.Is(err, app.ErrForbidden) {
			t.Errorf("a DIC sets the tolerance: %v", err)
		}
		if _, err := e.settings.SetPriceTolerance(ctx, e.actor("admin"), 101, st.Version); fieldError(err, "percent") != "setting.tolerance_range" {
			t.Errorf("101%%: %v", err)
		}
		if _, err := e.settings.SetPriceTolerance(ctx, e.actor("admin"), 4, st.Version); err != nil {
			t.Fatal(err)
		}
		if got := flagged(); got != "amazon,flipkart,gem,ondc" {
			t.Errorf("at 4%%: flagged %s", got)
		}
		if _, err := e.settings.SetPriceTolerance(ctx, e.actor("admin"), 20, st.Version); !errors.Is(err, app.ErrStale) {
			t.Errorf("stale version: %v", err)
		}
		if _, err := e.settings.SetPriceTolerance(ctx, e.actor("admin"), 3, st.Version+1); err != nil {
			t.Fatal(err)
		}
		if got := flagged(); got != "amazon,flipkart,gem,india-handmade,ondc" {
			t.Errorf("at 3%%: flagged %s", got)
		}
		if flags, _ := e.listings.PriceFlags(ctx, e.actor("dic.jodhpur"), ""); len(flags) != 0 {
			t.Errorf("Jodhpur sees %d of Jaipur's flags", len(flags))
		}
	})
}

func TestProductScopeAndLocking(t *testing.T) {
	eachCatEnv(t, func(t *testing.T, e *catEnv) {
		ctx := context.Background()
		p := e.product("Dupatta", 100000)
		ph, err := e.upload(p.ID, "good.png", testPNG(t, 20, 20, 200))
		if err != nil {
			t.Fatal(err)
		}
		l, err := e.listings.Create(ctx, e.actor("dic.jaipur"), app.ListingInput{ProductID: p.ID, Platform: "amazon", ListedPricePaise: 100000})
		if err != nil {
			t.Fatal(err)
		}
		jodhpur := e.actor("dic.jodhpur")
		if _, err := e.products.Get(ctx, jodhpur, p.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur reads a Jaipur product: %v", err)
		}
		if _, err := e.products.Update(ctx, jodhpur, p.ID, p.Input()); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur edits a Jaipur product: %v", err)
		}
		if _, _, err := e.photos.Open(ctx, jodhpur, ph.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur opens a Jaipur photo: %v", err)
		}
		if _, err := e.listings.Get(ctx, jodhpur, l.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Jodhpur reads a Jaipur listing: %v", err)
		}
		if list, _ := e.products.List(ctx, jodhpur, app.ProductFilter{}); len(list) != 0 {
			t.Errorf("Jodhpur lists %d Jaipur products", len(list))
		}
		if _, err := e.products.Create(ctx, jodhpur, app.ProductInput{ArtisanID: e.artisan.ID, TitleEn: "X",
			Craft: "dabu-print", StorePricePaise: 1}); fieldError(err, "artisan_id") != "product.unknown_artisan" {
			t.Errorf("Jodhpur adds to a Jaipur artisan: %v", err)
		}
		if _, err := e.products.Update(ctx, e.actor("auditor"), p.ID, p.Input()); !errors.Is(err, app.ErrForbidden) {
			t.Errorf("the auditor edits: %v", err)
		}
		in := p.Input()
		in.TitleEn = "Dupatta, indigo"
		if _, err := e.products.Update(ctx, e.actor("dic.jaipur"), p.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := e.products.Update(ctx, e.actor("entry.jaipur"), p.ID, in); !errors.Is(err, app.ErrStale) {
			t.Errorf("stale product update: %v", err)
		}
		lin := l.Input()
		lin.Status = "live"
		if _, err := e.listings.Update(ctx, e.actor("dic.jaipur"), l.ID, lin); fieldError(err, "platform_product_id") != "listing.live_needs_id" {
			t.Errorf("live without an id: %v", err)
		}
		lin.PlatformProductID = "B0CX"
		if _, err := e.listings.Update(ctx, e.actor("dic.jaipur"), l.ID, lin); err != nil {
			t.Fatal(err)
		}
		if _, err := e.listings.Update(ctx, e.actor("dic.jaipur"), l.ID, lin); !errors.Is(err, app.ErrStale) {
			t.Errorf("stale listing update: %v", err)
		}
		if _, err := e.listings.Create(ctx, e.actor("dic.jaipur"), app.ListingInput{ProductID: p.ID, Platform: "amazon", ListedPricePaise: 1}); fieldError(err, "platform") != "listing.duplicate" {
			t.Errorf("second amazon listing: %v", err)
		}
		var actions []string
		if err := e.db.NewSelect().Table("audit_log").Column("action").Where("entity IN ('product', 'product_photo', 'listing')").
			OrderExpr("id").Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		if strings.Join(actions, ",") != "create,create,create,update,update" {
			t.Errorf("audit = %v", actions)
		}
	})
}

// TestCatalogueExportNeutralisesFormulas: text cells starting with = + - @ come out as text
// in CSV and XLSX.
func TestCatalogueExportNeutralisesFormulas(t *testing.T) {
	eachCatEnv(t, func(t *testing.T, e *catEnv) {
		ctx := context.Background()
		p, err := e.products.Create(ctx, e.actor("entry.jaipur"), app.ProductInput{ArtisanID: e.artisan.ID,
			TitleEn: `=HYPERLINK("http://evil.example","click")`, Description: "+91 block print", Material: "-cotton",
			Dimensions: "@200 x 50 cm", Craft: "sanganeri-block-print", StorePricePaise: 125050, KhadiMark: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.upload(p.ID, "a.png", testPNG(t, 10, 10, 200)); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{app.FormatCSV, app.FormatXLSX} {
			var b bytes.Buffer
			n, err := e.products.Export(ctx, e.actor("dic.jaipur"), app.ProductFilter{District: "jaipur"}, format, &b)
			if err != nil || n != 1 {
				t.Fatalf("%s: %d rows, %v", format, n, err)
			}
			rows := expTable(t, format, b.Bytes())
			row := map[string]string{}
			for i, h := range rows[0] {
				row[h] = rows[1][i]
			}
			for col, want := range map[string]string{"title": `'=HYPERLINK("http://evil.example","click")`,
				"description": "'+91 block print", "material": "'-cotton", "dimensions": "'@200 x 50 cm",
				"price_inr": "1250.50", "khadi_mark": "yes", "gi_tag": "no", "sku": "SHK-1"} {
				if row[col] != want {
					t.Errorf("%s %s = %q, want %q", format, col, row[col], want)
				}
			}
			if !strings.HasPrefix(row["photo_files"], "shk-1-") || !strings.HasSuffix(row["photo_files"], ".png") {
				t.Errorf("%s photo_files = %q", format, row["photo_files"])
			}
		}
		var b bytes.Buffer
		if _, err := e.products.Export(ctx, e.actor("dic.jaipur"), app.ProductFilter{}, app.FormatCSV, &b); fieldError(err, "artisan") != "catalogue.export_filter" {
			t.Errorf("export without a filter: %v", err)
		}
		if n, err := e.products.Export(ctx, e.actor("dic.jodhpur"), app.ProductFilter{District: "jaipur"}, app.FormatCSV, &b); err != nil || n != 0 {
			t.Errorf("Jodhpur exports %d Jaipur products (%v)", n, err)
		}
	})
}
