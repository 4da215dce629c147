package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// catAPI sends catalogue API requests as users, checking every answer against openapi.json.
type catAPI struct {
	e   *env
	rec *openAPIRecorder
}

func (a *catAPI) do(who, method, path string, body any, want int) map[string]any {
	a.e.t.Helper()
	token := ""
	if who != "" {
		token = a.e.token(who)
	}
	return a.e.openAPICall(a.rec, method, path, token, body, want, want < 300)
}

// raw sends a request whose answer is not JSON and checks it against openapi.json.
func (a *catAPI) raw(who, path string, want int) (*http.Response, []byte) {
	t := a.e.t
	t.Helper()
	resp := a.e.request("GET", path, a.e.token(who), nil)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s as %s: %d, want %d: %s", path, who, resp.StatusCode, want, truncateBody(body))
	}
	checkAgainstOpenAPI(t, resp.Request, resp, body)
	return resp, body
}

// catPNG encodes a w × h grey image.
func catPNG(t *testing.T, w, h int, grey uint8) []byte {
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

// multipartPhoto is a form with one file field and, for pages, the CSRF token.
func multipartPhoto(t *testing.T, name string, data []byte, csrf bool) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if csrf {
		w.WriteField("_csrf", csrfToken())
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return &b, w.FormDataContentType()
}

// photo uploads through the API as who.
func (a *catAPI) photo(who string, productID any, name string, data []byte, want int) map[string]any {
	t := a.e.t
	t.Helper()
	body, ctype := multipartPhoto(t, name, data, false)
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/products/%v/photos", productID), body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+a.e.token(who))
	resp, err := a.e.srv.App().Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("upload %s as %s: %d, want %d: %s", name, who, resp.StatusCode, want, raw)
	}
	checkAgainstOpenAPI(t, resp.Request, resp, raw)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// catalogueFixture: a Jaipur artisan with one product. It returns the artisan and product ids.
func catalogueFixture(a *catAPI) (artisan, product string) {
	t := a.e.t
	t.Helper()
	art := a.do("entry.jaipur", "POST", "/api/v1/artisans", artAPIBody(t, "Mohan Lal", "9876501234"), 201)
	artisan = fmt.Sprint(art["id"])
	p := a.do("entry.jaipur", "POST", "/api/v1/products", map[string]any{"artisan_id": art["id"], "title_en": "Block-printed dupatta",
		"title_hi": "ठप्पा छपाई दुपट्टा", "craft": "sanganeri-block-print", "hsn_code": "6214", "weight_grams": 150,
		"store_price_paise": 100000, "gi_tag": true}, 201)
	return artisan, fmt.Sprint(p["id"])
}

func TestCatalogueAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := &catAPI{e: e, rec: &openAPIRecorder{}}
		artisan, product := catalogueFixture(a)
		pPath := "/api/v1/products/" + product

		// Products.
		a.do("entry.jaipur", "POST", "/api/v1/products", map[string]any{"artisan_id": 1, "craft": "dabu-print", "store_price_paise": 0}, 422)
		a.do("auditor", "POST", "/api/v1/products", map[string]any{"artisan_id": 1}, 403)
		list := a.do("dic.jaipur", "GET", "/api/v1/products?district=jaipur&craft=sanganeri-block-print", nil, 200)
		if n := len(list["items"].([]any)); n != 1 {
			t.Errorf("jaipur lists %d products", n)
		}
		a.do("dic.jaipur", "GET", "/api/v1/products?artisan=x", nil, 422)
		if n := len(a.do("dic.jodhpur", "GET", "/api/v1/products", nil, 200)["items"].([]any)); n != 0 {
			t.Errorf("Jodhpur lists %d Jaipur products", n)
		}
		got := a.do("auditor", "GET", pPath, nil, 200)
		if flags := fmt.Sprint(got["quality_flags"]); flags != "[too_few_angles]" {
			t.Errorf("new product flags %s", flags)
		}
		a.do("dic.jodhpur", "GET", pPath, nil, 404)
		a.do("dic.jaipur", "PATCH", pPath, map[string]any{"material": "Cotton mulmul", "version": 1}, 200)
		a.do("dic.jaipur", "PATCH", pPath, map[string]any{"material": "Silk", "version": 1}, 409)
		a.do("dic.jaipur", "PATCH", pPath, map[string]any{"hsn_code": "12", "version": 2}, 422)
		a.do("dic.jodhpur", "PATCH", pPath, map[string]any{"version": 2}, 404)

		// Photos: flags on upload, refusals, scope.
		small := a.photo("entry.jaipur", product, "small.png", catPNG(t, 400, 300, 200), 201)
		if fmt.Sprint(small["quality_flags"]) != "[too_small]" || small["width"] != float64(400) {
			t.Errorf("small photo: %v", small)
		}
		dark := a.photo("entry.jaipur", product, "dark.png", catPNG(t, 1000, 1000, 20), 201)
		if fmt.Sprint(dark["quality_flags"]) != "[too_dark]" {
			t.Errorf("dark photo: %v", dark)
		}
		bomb, err := os.ReadFile("../app/testdata/documents/bomb.png")
		if err != nil {
			t.Fatal(err)
		}
		refused := a.photo("entry.jaipur", product, "bomb.png", bomb, 422)
		if !strings.Contains(fmt.Sprint(refused), "megapixels") {
			t.Errorf("bomb: %v", refused)
		}
		a.photo("entry.jaipur", product, "lie.png", []byte("%PDF-1.4 not a photo"), 422)
		a.photo("dic.jodhpur", product, "good.png", catPNG(t, 10, 10, 200), 404)
		photoPath := fmt.Sprintf("/api/v1/photos/%v", small["id"])
		resp, body := a.raw("board", photoPath, 200)
		if resp.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(body, []byte("\x89PNG")) {
			t.Errorf("photo answer: %s, %d bytes", resp.Header.Get("Content-Type"), len(body))
		}
		a.raw("dic.jodhpur", photoPath, 404)

		// Listings and price flags at the tolerance's edge.
		on := func(platform string, price int, want int) map[string]any {
			return a.do("entry.jaipur", "POST", "/api/v1/listings", map[string]any{"product_id": got["id"], "platform": platform,
				"listed_price_paise": price, "status": "live", "url": "https://example.com/" + platform}, want)
		}
		exact := on("amazon", 110000, 201)
		over := on("flipkart", 110001, 201)
		if exact["price_flagged"] != false || over["price_flagged"] != true {
			t.Errorf("10%% flagged %v, 10.001%% flagged %v", exact["price_flagged"], over["price_flagged"])
		}
		on("amazon", 100000, 422) // a second amazon listing
		a.do("entry.jaipur", "POST", "/api/v1/listings", map[string]any{"product_id": got["id"], "platform": "gem", "listed_price_paise": 1, "status": "live"}, 422)
		a.do("dic.jodhpur", "POST", "/api/v1/listings", map[string]any{"product_id": got["id"], "platform": "gem", "listed_price_paise": 1}, 422)
		a.do("auditor", "GET", "/api/v1/listings?district=jaipur&status=live", nil, 200)
		a.do("auditor", "GET", "/api/v1/listings?product_id=0", nil, 422)
		flags := a.do("dic.jaipur", "GET", "/api/v1/listings/price-flags?district=jaipur", nil, 200)["items"].([]any)
		if len(flags) != 1 || flags[0].(map[string]any)["platform"] != "flipkart" {
			t.Errorf("price flags = %v", flags)
		}
		if n := len(a.do("dic.jodhpur", "GET", "/api/v1/listings/price-flags", nil, 200)["items"].([]any)); n != 0 {
			t.Errorf("Jodhpur sees %d flags", n)
		}
		a.do("", "GET", "/api/v1/listings/price-flags", nil, 401)
		lPath := fmt.Sprintf("/api/v1/listings/%v", over["id"])
		a.do("dic.jodhpur", "PATCH", lPath, map[string]any{"version": 1}, 404)
		a.do("dic.jaipur", "PATCH", lPath, map[string]any{"listed_price_paise": 105000, "version": 1}, 200)
		a.do("dic.jaipur", "PATCH", lPath, map[string]any{"listed_price_paise": 105000, "version": 1}, 409)
		a.do("dic.jaipur", "PATCH", lPath, map[string]any{"status": "sold", "version": 2}, 422)

		// The tolerance moves the edge: at 4%, 105000 against 100000 is flagged.
		a.do("dic.jaipur", "PUT", "/api/v1/settings/price-tolerance", map[string]any{"percent": 4, "version": 1}, 403)
		a.do("admin", "PUT", "/api/v1/settings/price-tolerance", map[string]any{"percent": 500, "version": 1}, 422)
		a.do("admin", "PUT", "/api/v1/settings/price-tolerance", map[string]any{"percent": 4, "version": 1}, 200)
		a.do("admin", "PUT", "/api/v1/settings/price-tolerance", map[string]any{"percent": 5, "version": 1}, 409)
		flags = a.do("dic.jaipur", "GET", "/api/v1/listings/price-flags", nil, 200)["items"].([]any)
		if len(flags) != 2 {
			t.Errorf("at 4%%: %d flags", len(flags))
		}

		// Export.
		a.do("entry.jaipur", "PATCH", pPath, map[string]any{"title_en": "=cmd|' /C calc'!A0", "version": 2}, 200)
		_, csv := a.raw("dic.jaipur", "/api/v1/products/export?format=csv&district=jaipur", 200)
		if !strings.Contains(string(csv), "'=cmd|") || !strings.Contains(string(csv), "1000.00") {
			t.Errorf("export: %s", csv)
		}
		a.raw("dic.jaipur", "/api/v1/products/export?artisan="+artisan+"&format=xlsx", 200)
		a.raw("dic.jaipur", "/api/v1/products/export?format=csv", 422)

		// Readiness.
		checklists := a.do("entry.jaipur", "GET", "/api/v1/artisans/"+artisan+"/readiness", nil, 200)["items"].([]any)
		if len(checklists) == 0 {
			t.Errorf("no checklists")
		}
		a.do("dic.jodhpur", "GET", "/api/v1/artisans/"+artisan+"/readiness", nil, 404)
		a.do("board", "GET", "/api/v1/readiness?district=jaipur", nil, 200)
		a.do("board", "GET", "/api/v1/readiness", nil, 422)
		a.do("dic.jodhpur", "GET", "/api/v1/readiness?district=jaipur", nil, 404)
	})
}

// TestCataloguePages: every page renders in English and Hindi; a product, a photo and a
// listing of Jaipur are not found for Jodhpur's officer; forms save and show errors.
func TestCataloguePages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := &catAPI{e: e, rec: &openAPIRecorder{}}
		artisan, product := catalogueFixture(a)
		ph := a.photo("entry.jaipur", product, "p.png", catPNG(t, 20, 20, 200), 201)
		l := a.do("entry.jaipur", "POST", "/api/v1/listings", map[string]any{"product_id": ph["product_id"], "platform": "amazon",
			"listed_price_paise": 150000}, 201)
		pages := []string{"/products", "/products?district=jaipur", "/products/new?artisan=" + artisan, "/products/" + product,
			"/products/" + product + "/edit", "/listings/price-flags", "/readiness", "/readiness?district=jaipur",
			fmt.Sprintf("/listings/%v/edit", l["id"])}
		for _, lang := range []string{"en", "hi"} {
			for _, p := range pages {
				resp, body := e.page("GET", p, "dic.jaipur", nil, false, &http.Cookie{Name: "sk_lang", Value: lang})
				if resp.StatusCode != 200 {
					t.Fatalf("%s %s: %d", lang, p, resp.StatusCode)
				}
				checkPage(t, lang+" "+p, body)
			}
		}
		_, body := e.page("GET", "/products/"+product, "dic.jaipur", nil, false, &http.Cookie{Name: "sk_lang", Value: "hi"})
		for _, want := range []string{"बहुत छोटी", "बहुत कम कोण", "मूल्य बेमेल", "ठप्पा छपाई दुपट्टा"} {
			if !strings.Contains(body, want) {
				t.Errorf("Hindi product page lacks %q", want)
			}
		}
		for _, p := range []string{"/products/" + product, fmt.Sprintf("/photos/%v", ph["id"]), fmt.Sprintf("/listings/%v/edit", l["id"]),
			"/products/" + product + "/edit"} {
			if resp, _ := e.page("GET", p, "dic.jodhpur", nil, false); resp.StatusCode != 404 {
				t.Errorf("Jodhpur's officer on %s: %d, want 404", p, resp.StatusCode)
			}
		}

		// The product form: a refused save shows the field error, a good one redirects.
		form := url.Values{"artisan_id": {artisan}, "title_en": {"Dabu bedsheet"}, "craft": {"dabu-print"}, "store_price": {"abc"}}
		resp, body := e.page("POST", "/products", "entry.jaipur", form, true)
		if resp.StatusCode != 422 || fieldError(body, "f-store_price") == "" {
			t.Errorf("bad price: %d, %q", resp.StatusCode, fieldError(body, "f-store_price"))
		}
		form.Set("store_price", "1,250.50")
		if resp, _ := e.page("POST", "/products", "entry.jaipur", form, true); resp.StatusCode != 303 {
			t.Errorf("good product: %d", resp.StatusCode)
		}
		// A listing added on the product page, then edited.
		lform := url.Values{"platform": {"flipkart"}, "listed_price": {"900"}, "status": {"draft"}}
		if resp, _ := e.page("POST", "/products/"+product+"/listings", "dic.jaipur", lform, true); resp.StatusCode != 303 {
			t.Errorf("add listing: %d", resp.StatusCode)
		}
		eform := url.Values{"listed_price": {"1000"}, "status": {"paused"}, "version": {"1"}}
		if resp, _ := e.page("POST", fmt.Sprintf("/listings/%v", l["id"]), "dic.jaipur", eform, true); resp.StatusCode != 303 {
			t.Errorf("edit listing: %d", resp.StatusCode)
		}
		if resp, _ := e.page("POST", fmt.Sprintf("/listings/%v", l["id"]), "dic.jaipur", eform, true); resp.StatusCode != 409 {
			t.Errorf("stale listing edit: %d", resp.StatusCode)
		}
		// A photo through the page's multipart form, which carries the CSRF token; without it, refused.
		for _, withCSRF := range []bool{true, false} {
			b, ctype := multipartPhoto(t, "page.png", catPNG(t, 30, 30, 10), withCSRF)
			req := httptest.NewRequest("POST", "/products/"+product+"/photos", b)
			req.Header.Set("Content-Type", ctype)
			req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: testCSRFCookie})
			req.AddCookie(&http.Cookie{Name: "sk_access", Value: e.token("entry.jaipur")})
			resp, err := e.srv.App().Test(req, 30_000)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := map[bool]int{true: 303, false: 403}[withCSRF]; resp.StatusCode != want {
				t.Errorf("page upload (CSRF %v): %d, want %d", withCSRF, resp.StatusCode, want)
			}
		}
	})
}
