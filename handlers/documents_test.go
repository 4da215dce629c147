package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/handlers"
)

// docEnv is the test server with a data folder of its own, and two artisans: one in Jaipur,
// one in Jodhpur.
type docEnv struct {
	*env
	dataDir         string
	jaipur, jodhpur int64
}

func eachDocEnv(t *testing.T, fn func(t *testing.T, e *docEnv)) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		fn(t, newDocEnv(t, db))
	})
}

func newDocEnv(t *testing.T, db *bun.DB) *docEnv {
	t.Helper()
	e := newEnv(t, db)
	dir := t.TempDir()
	// The shared harness runs without a data folder; documents need one.
	cfg := app.Config{Secret: []byte("test-secret-test-secret-test-secret!"), Addr: ":0", DataDir: dir}
	e.srv = handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: e.authz, Logger: slog.New(slog.NewTextHandler(e.logs, nil))})
	e.srv.Auth().Throttle.Sleep = func(context.Context, time.Duration) {}
	return &docEnv{env: e, dataDir: dir,
		jaipur:  docArtisan(t, e, "Kamla Devi", "9829011111", "jaipur", "Sanganer"),
		jodhpur: docArtisan(t, e, "Sita Bai", "9829022222", "jodhpur", "Jodhpur")}
}

// docArtisan registers a draft artisan and returns its id.
func docArtisan(t *testing.T, e *env, name, mobile, district, tehsil string) int64 {
	t.Helper()
	artisans := &app.Artisans{DB: e.db, Authz: e.authz, Keys: app.NewKeys([]byte("test-secret-test-secret-test-secret!"))}
	in := app.ArtisanInput{Name: name, RelativeName: "Ramesh Chand", Gender: "female", DateOfBirth: "1982-03-09",
		SocialCategory: "obc", Mobile: mobile, District: district, Tehsil: tehsil, Village: tehsil,
		PINCode: "302029", PrimaryCraft: "sanganeri-block-print", YearsInCraft: 12}
	a, err := artisans.Create(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("create artisan: %v", err)
	}
	return a.ID
}

func docFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "app", "testdata", "documents", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// docPart is the file of an upload: its name, the Content-Type the client claims, its bytes.
type docPart struct {
	name, contentType string
	data              []byte
}

// docMultipart builds a multipart body of extra fields (name, value pairs), doc_type (when
// not empty) and the files.
func docMultipart(t *testing.T, docType string, files []docPart, extra ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(extra); i += 2 {
		w.WriteField(extra[i], extra[i+1]) //nolint:errcheck // bytes.Buffer
	}
	if docType != "" {
		w.WriteField("doc_type", docType) //nolint:errcheck
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, strings.ReplaceAll(f.name, `"`, `\"`)))
		if f.contentType != "" {
			h.Set("Content-Type", f.contentType)
		}
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		p.Write(f.data) //nolint:errcheck
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// docResponse is a response read in full.
type docResponse struct {
	*http.Response
	body []byte
	json map[string]any
}

// send sends one API request and, for /api/v1 paths, checks the answer against openapi.json
// (and the request too, when it is meant to be valid).
func (e *docEnv) send(method, path, token string, body []byte, contentType string, validRequest bool, header ...string) docResponse {
	e.t.Helper()
	newReq := func() *http.Request {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return req
	}
	if validRequest {
		if err := openAPIRequestError(e.t, newReq(), body); err != nil {
			e.t.Errorf("%s %s: request does not match openapi.json: %v", method, path, err)
		}
	}
	resp, err := e.srv.App().Test(newReq(), 30_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out := docResponse{Response: resp, json: map[string]any{}}
	out.body, _ = io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(out.body, &out.json) //nolint:errcheck // checked by the callers' expectations
	}
	if strings.HasPrefix(path, "/api/v1/") {
		checkAgainstOpenAPI(e.t, resp.Request, resp, out.body)
	}
	return out
}

// upload sends a file through the API as username.
func (e *docEnv) upload(username string, artisanID int64, docType string, files ...docPart) docResponse {
	e.t.Helper()
	body, ct := docMultipart(e.t, docType, files)
	// Requests meant to be valid are checked against the document too; big ones are not, as
	// the checker takes seconds over megabytes of binary.
	valid := app.IsDocumentType(docType) && len(files) == 1 && len(body) < 1<<20
	return e.send("POST", "/api/v1/artisans/"+strconv.FormatInt(artisanID, 10)+"/documents", e.token(username), body, ct, valid)
}

func (r docResponse) want(t *testing.T, what string, status int) docResponse {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.StatusCode, status, truncateBody(r.body))
	}
	return r
}

func (r docResponse) id() string {
	id, _ := r.json["id"].(float64)
	return strconv.FormatInt(int64(id), 10)
}

func (r docResponse) fieldError(field string) string {
	errObj, _ := r.json["error"].(map[string]any)
	fields, _ := errObj["fields"].(map[string]any)
	s, _ := fields[field].(string)
	return s
}

// storedFiles lists every file under the data folder, relative to it.
func (e *docEnv) storedFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(e.dataDir, func(path string, d fs.DirEntry, err error) error { //nolint:errcheck
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(e.dataDir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	return out
}

var docStoredPath = regexp.MustCompile(`^documents/([0-9a-f]{2})/([0-9a-f]{32})$`)

func TestDocumentAPIUploadListDownload(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		a := strconv.FormatInt(e.jaipur, 10)
		pdf, jpg, png := docFixture(t, "sample.pdf"), docFixture(t, "sample.jpg"), docFixture(t, "sample.png")
		uploads := []struct {
			who, docType string
			part         docPart
			wantType     string
		}{
			{"entry.jaipur", "id_proof", docPart{"आधार कार्ड.pdf", "application/pdf", pdf}, "application/pdf"},
			{"dic.jaipur", "bank_passbook", docPart{"passbook.jpg", "image/jpeg", jpg}, "image/jpeg"},
			{"admin", "photo", docPart{"photo.png", "image/png", png}, "image/png"},
			// The client's Content-Type is not believed: the bytes are a PNG.
			{"entry.jaipur", "certificate", docPart{"scan", "application/pdf", png}, "image/png"},
			{"entry.jaipur", "other", docPart{"../../etc/passwd", "text/plain", png}, "image/png"},
		}
		var ids []string
		for _, u := range uploads {
			out := e.upload(u.who, e.jaipur, u.docType, u.part).want(t, "upload "+u.part.name, 201)
			if out.json["content_type"] != u.wantType || out.json["doc_type"] != u.docType ||
				out.json["size_bytes"] != float64(len(u.part.data)) || out.json["artisan_id"] != float64(e.jaipur) {
				t.Errorf("%s: %v", u.part.name, out.json)
			}
			for _, hidden := range []string{"storage_key", "district", "deleted_at"} {
				if _, ok := out.json[hidden]; ok {
					t.Errorf("%s: response shows %s", u.part.name, hidden)
				}
			}
			ids = append(ids, out.id())
		}
		last := e.send("GET", "/api/v1/documents/"+ids[4], e.token("dic.jaipur"), nil, "", true).want(t, "download passwd", 200)
		if cd := last.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="passwd.png"`) {
			t.Errorf("path trick shown as %s", cd)
		}

		// Stored only under the data folder, by random keys; nothing else written.
		files := e.storedFiles(t)
		if len(files) != len(uploads) {
			t.Errorf("files under the data folder: %v", files)
		}
		for _, f := range files {
			if m := docStoredPath.FindStringSubmatch(f); m == nil || m[1] != m[2][:2] {
				t.Errorf("unexpected file %s", f)
			}
		}
		if _, err := os.Stat("documents"); err == nil {
			t.Errorf("a documents folder appeared in the working folder")
		}

		list := e.send("GET", "/api/v1/artisans/"+a+"/documents", e.token("auditor"), nil, "", true).want(t, "list", 200)
		items, _ := list.json["items"].([]any)
		if len(items) != len(uploads) {
			t.Fatalf("list has %d items: %s", len(items), list.body)
		}
		names := map[string]bool{}
		for _, it := range items {
			names[it.(map[string]any)["file_name"].(string)] = true
		}
		if !names["passwd"] || !names["आधार कार्ड.pdf"] || !names["scan"] {
			t.Errorf("file names = %v", names)
		}

		// Download: the bytes, the sniffed type, an attachment with the Hindi name intact.
		got := e.send("GET", "/api/v1/documents/"+ids[0], e.token("board"), nil, "", true).want(t, "download", 200)
		if !bytes.Equal(got.body, pdf) || got.Header.Get("Content-Type") != "application/pdf" ||
			got.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(got.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("download: %d bytes, headers %v", len(got.body), got.Header)
		}
		disp, params, err := mime.ParseMediaType(got.Header.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != "आधार कार्ड.pdf" {
			t.Errorf("Content-Disposition %q → %s %v %v", got.Header.Get("Content-Disposition"), disp, params, err)
		}
		if !strings.Contains(got.Header.Get("Content-Disposition"), "filename*=UTF-8''%E0%A4%86") {
			t.Errorf("Content-Disposition lacks the RFC 5987 name: %s", got.Header.Get("Content-Disposition"))
		}
		img := e.send("GET", "/api/v1/documents/"+ids[3], e.token("board"), nil, "", true).want(t, "download PNG", 200)
		if img.Header.Get("Content-Type") != "image/png" || !bytes.Equal(img.body, png) {
			t.Errorf("download of a PNG sent as PDF: %s", img.Header.Get("Content-Type"))
		}

		// Each download is in the audit log, with who and where.
		var rows []app.AuditEntry
		if err := e.db.NewSelect().Model(&rows).Where("entity = 'document' AND action = 'download'").
			OrderExpr("id").Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, r := range rows {
			seen = append(seen, r.EntityID+":"+r.ActorName+":"+r.District)
		}
		want := []string{ids[4] + ":dic.jaipur:jaipur", ids[0] + ":board:jaipur", ids[3] + ":board:jaipur"}
		if strings.Join(seen, " ") != strings.Join(want, " ") {
			t.Errorf("download audit = %v, want %v", seen, want)
		}
	})
}

func TestDocumentAPIRefusals(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		pdf, png := docFixture(t, "sample.pdf"), docFixture(t, "sample.png")
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), 6<<20)...)
		cases := []struct {
			what, docType string
			files         []docPart
			field, want   string
		}{
			{"PNG named .pdf, declared as PDF", "id_proof", []docPart{{"aadhaar.pdf", "application/pdf", png}}, "file",
				"The file name ends in .pdf, but the file is a PNG. Rename it to end in .png, or choose the right file."},
			{"text named .pdf", "id_proof", []docPart{{"aadhaar.pdf", "application/pdf", docFixture(t, "text.pdf")}}, "file",
				"Only PDF, JPEG and PNG files can be uploaded, and this file is none of them, whatever its name says."},
			{"6 MB", "certificate", []docPart{{"big.pdf", "application/pdf", big}}, "file",
				"The file is too large: a document of this type may be at most 5 MB."},
			{"3 MB photo", "photo", []docPart{{"photo.pdf", "application/pdf", big[:3<<20]}}, "file",
				"The file is too large: a document of this type may be at most 2 MB."},
			{"decompression bomb", "photo", []docPart{{"face.png", "image/png", docFixture(t, "bomb.png")}}, "file",
				"The image is 30000 × 30000 pixels; at most 40 megapixels are accepted. Make it smaller and try again."},
			{"no file", "id_proof", nil, "file", "Choose a file to upload."},
			{"two files", "id_proof", []docPart{{"a.pdf", "", pdf}, {"b.pdf", "", pdf}}, "file", "Upload one file at a time."},
			{"no type", "", []docPart{{"a.pdf", "", pdf}}, "doc_type", "This field is required."},
			{"unknown type", "selfie", []docPart{{"a.pdf", "", pdf}}, "doc_type", "Choose one of the listed document types."},
		}
		for _, c := range cases {
			out := e.upload("entry.jaipur", e.jaipur, c.docType, c.files...).want(t, c.what, 422)
			if got := out.fieldError(c.field); got != c.want {
				t.Errorf("%s: fields.%s = %q, want %q", c.what, c.field, got, c.want)
			}
		}
		// Not a multipart form at all.
		e.send("POST", "/api/v1/artisans/"+strconv.FormatInt(e.jaipur, 10)+"/documents", e.token("entry.jaipur"),
			[]byte(`{"doc_type":"photo"}`), "application/json", false).want(t, "JSON body", 422)
		// In Hindi for a Hindi reader.
		body, ct := docMultipart(t, "id_proof", []docPart{{"aadhaar.pdf", "application/pdf", png}})
		hi := e.send("POST", "/api/v1/artisans/"+strconv.FormatInt(e.jaipur, 10)+"/documents", e.token("entry.jaipur"),
			body, ct, false, "Cookie", "sk_lang=hi").want(t, "Hindi", 422)
		if got := hi.fieldError("file"); !strings.Contains(got, "फ़ाइल का नाम .pdf पर ख़त्म होता है") {
			t.Errorf("Hindi message = %q", got)
		}
		if files := e.storedFiles(t); len(files) != 0 {
			t.Errorf("refused uploads left files: %v", files)
		}
		if n, _ := e.db.NewSelect().Table("documents").Count(context.Background()); n != 0 {
			t.Errorf("refused uploads left %d rows", n)
		}
	})
}

// Beyond our limits but within Fiber's 64 MB body limit, the answer is ours: a 422 naming
// the field, not a 413 from the framework. Past 16 MB fasthttp keeps the part in a temporary
// file of its own before the handler runs; the upload is refused all the same.
func TestDocumentAPIOwnSizeLimitAnswers(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		huge := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), 17<<20)...)
		out := e.upload("entry.jaipur", e.jaipur, "certificate", docPart{"huge.pdf", "application/pdf", huge}).want(t, "17 MB", 422)
		if !strings.Contains(out.fieldError("file"), "5 MB") {
			t.Errorf("17 MB: %s", out.body)
		}
	})
}

func TestDocumentAPIAcrossDistricts(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		pdf := docFixture(t, "sample.pdf")
		jaipurDoc := e.upload("entry.jaipur", e.jaipur, "id_proof", docPart{"a.pdf", "application/pdf", pdf}).want(t, "jaipur upload", 201).id()
		e.upload("dic.jodhpur", e.jodhpur, "id_proof", docPart{"b.pdf", "application/pdf", pdf}).want(t, "jodhpur upload", 201)
		jaipur := strconv.FormatInt(e.jaipur, 10)
		outsider := e.token("dic.jodhpur")

		// A Jodhpur officer guessing Jaipur ids learns nothing: every answer is 404.
		e.send("GET", "/api/v1/artisans/"+jaipur+"/documents", outsider, nil, "", false).want(t, "list", 404)
		e.send("GET", "/api/v1/documents/"+jaipurDoc, outsider, nil, "", false).want(t, "download", 404)
		e.upload("dic.jodhpur", e.jaipur, "id_proof", docPart{"c.pdf", "application/pdf", pdf}).want(t, "upload", 404)
		e.send("GET", "/api/v1/documents/999999", outsider, nil, "", false).want(t, "missing", 404)
		e.send("GET", "/api/v1/documents/abc", outsider, nil, "", false).want(t, "bad id", 404)
		e.send("GET", "/api/v1/artisans/999999/documents", outsider, nil, "", false).want(t, "missing artisan", 404)
		resp, _ := e.page("GET", "/artisans/"+jaipur+"/documents", "dic.jodhpur", nil, false)
		if resp.StatusCode != 404 {
			t.Errorf("page of a Jaipur artisan for Jodhpur: %d", resp.StatusCode)
		}
		resp, _ = e.page("GET", "/documents/"+jaipurDoc, "dic.jodhpur", nil, false)
		if resp.StatusCode != 404 {
			t.Errorf("web download of a Jaipur document for Jodhpur: %d", resp.StatusCode)
		}
		if n, _ := e.db.NewSelect().Table("audit_log").Where("action = 'download'").Count(context.Background()); n != 0 {
			t.Errorf("refused downloads were audited: %d", n)
		}

		// Roles without document:create cannot upload, even in scope; signed out is 401.
		e.upload("auditor", e.jaipur, "id_proof", docPart{"d.pdf", "application/pdf", pdf}).want(t, "auditor upload", 403)
		e.upload("board", e.jaipur, "id_proof", docPart{"d.pdf", "application/pdf", pdf}).want(t, "board upload", 403)
		e.send("GET", "/api/v1/documents/"+jaipurDoc, "", nil, "", false).want(t, "signed out", 401)
		e.send("GET", "/api/v1/documents/"+jaipurDoc, e.token("store.ajmer"), nil, "", false).want(t, "store manager", 403)
		e.send("GET", "/api/v1/artisans/"+jaipur+"/documents", e.token("store.ajmer"), nil, "", false).want(t, "store manager list", 403)
		e.send("GET", "/api/v1/artisans/"+jaipur+"/documents", "", nil, "", false).want(t, "signed out list", 401)
		body, ct := docMultipart(t, "id_proof", []docPart{{"e.pdf", "", pdf}})
		e.send("POST", "/api/v1/artisans/"+jaipur+"/documents", "", body, ct, false).want(t, "signed out upload", 401)
	})
}

// docPage sends a multipart form to a page as username, with the CSRF token when withCSRF.
func (e *docEnv) docPage(path, username, docType string, withCSRF bool, files ...docPart) (*http.Response, string) {
	e.t.Helper()
	extra := []string{}
	if withCSRF {
		extra = append(extra, "_csrf", csrfToken())
	}
	body, ct := docMultipart(e.t, docType, files, extra...)
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: testCSRFCookie})
	req.AddCookie(&http.Cookie{Name: "sk_access", Value: e.token(username)})
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		e.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(raw)
}

func TestDocumentPages(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		pdf, png := docFixture(t, "sample.pdf"), docFixture(t, "sample.png")
		path := "/artisans/" + strconv.FormatInt(e.jaipur, 10) + "/documents"

		// Empty, with the form for an editor.
		resp, body := e.page("GET", path, "entry.jaipur", nil, false)
		if resp.StatusCode != 200 {
			t.Fatalf("page: %d\n%s", resp.StatusCode, body)
		}
		for _, want := range []string{
			"<h1>Kamla Devi</h1>", "Not registered yet", "No documents have been attached yet.",
			`enctype="multipart/form-data"`, `action="` + path + `"`, `<label for="f-doc_type">Document type</label>`,
			`<select id="f-doc_type" name="doc_type" required>`, `<option value="bank_passbook">Bank passbook</option>`,
			`<label for="f-file">File to attach</label>`, `accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"`,
			`aria-describedby="f-file-hint"`, "at most 5 MB (a photo at most 2 MB)", `name="_csrf"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}

		// Without the CSRF token the upload is refused.
		if resp, _ := e.docPage(path, "entry.jaipur", "id_proof", false, docPart{"a.pdf", "", pdf}); resp.StatusCode != 403 {
			t.Errorf("upload without CSRF: %d", resp.StatusCode)
		}
		// A good upload goes back to the page with a flash.
		resp, _ = e.docPage(path, "entry.jaipur", "id_proof", true, docPart{"aadhaar.pdf", "", pdf})
		flash := cookieNamed(resp, "sk_flash")
		if resp.StatusCode != 303 || resp.Header.Get("Location") != path || flash == nil {
			t.Fatalf("upload: %d %s %v", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
		}
		resp, body = e.page("GET", path, "entry.jaipur", nil, false, flash)
		if !strings.Contains(body, "The document has been attached.") || !strings.Contains(body, "aadhaar.pdf") ||
			!strings.Contains(body, "ID proof") || !regexp.MustCompile(`<a href="/documents/\d+" download>`).MatchString(body) {
			t.Errorf("after upload: %d\n%s", resp.StatusCode, body)
		}

		// A refused upload shows the page again, the error next to its field, the type kept.
		resp, body = e.docPage(path, "entry.jaipur", "certificate", true, docPart{"scan.pdf", "application/pdf", png})
		if resp.StatusCode != 422 {
			t.Fatalf("refused upload: %d\n%s", resp.StatusCode, body)
		}
		for _, want := range []string{
			`<p class="field-error" id="f-file-error">`, "the file is a PNG", `aria-describedby="f-file-hint f-file-error"`,
			`<a href="#f-file">`, `<option value="certificate" selected>`, `aria-invalid="true"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("refused upload page lacks %s", want)
			}
		}
		resp, body = e.docPage(path, "entry.jaipur", "", true)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="f-doc_type-error"`) || !strings.Contains(body, `id="f-file-error"`) {
			t.Errorf("empty upload: %d", resp.StatusCode)
		}

		// The download link works from the browser session, and is audited.
		id := regexp.MustCompile(`<a href="/documents/(\d+)" download>`).FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no download link")
		}
		resp, got := e.page("GET", "/documents/"+id[1], "auditor", nil, false)
		if resp.StatusCode != 200 || got != string(pdf) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("web download: %d %v", resp.StatusCode, resp.Header)
		}
		if n, _ := e.db.NewSelect().Table("audit_log").Where("action = 'download' AND actor_name = 'auditor'").
			Count(context.Background()); n != 1 {
			t.Errorf("web download audit rows = %d", n)
		}

		// A reader who may not add documents sees the list, not the form.
		_, body = e.page("GET", path, "auditor", nil, false)
		if strings.Contains(body, "multipart/form-data") || !strings.Contains(body, "aadhaar.pdf") {
			t.Errorf("auditor's page shows the form or hides the list")
		}

		// Once approved, the registration number heads the page with the name.
		if _, err := e.db.NewUpdate().Table("artisans").Set("registration_no = ?", "RJ-JAIPUR-2026-000042").
			Where("id = ?", e.jaipur).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		_, body = e.page("GET", path, "dic.jaipur", nil, false)
		if !strings.Contains(body, "Registration number <code>RJ-JAIPUR-2026-000042</code>") {
			t.Errorf("registered artisan's page lacks the number")
		}

		// In Hindi.
		_, body = e.page("GET", path, "entry.jaipur", nil, false, &http.Cookie{Name: "sk_lang", Value: "hi"})
		for _, want := range []string{`<html lang="hi">`, "दस्तावेज़ जोड़ें", "पहचान का प्रमाण", "अपलोड करें"} {
			if !strings.Contains(body, want) {
				t.Errorf("Hindi page lacks %s", want)
			}
		}
		for _, english := range []string{"Attach a document", "Document type", "ID proof", "documents."} {
			if strings.Contains(body, english) {
				t.Errorf("Hindi page shows %q", english)
			}
		}
	})
}

// TestDocumentsOpenAPI drives every document operation on a success and a failure and
// checks each answer against openapi.json.
func TestDocumentsOpenAPI(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		rec := &openAPIRecorder{}
		exerciseDocumentsAPI(t, e.env, rec)
		for _, op := range []string{"GET /api/v1/artisans/{id}/documents", "POST /api/v1/artisans/{id}/documents", "GET /api/v1/documents/{id}"} {
			ok, failed := false, false
			for status := range rec.seen[op] {
				ok, failed = ok || status < 300, failed || status >= 400
			}
			if !ok || !failed {
				t.Errorf("%s: success %v, failure %v checked", op, ok, failed)
			}
		}
	})
}

// exerciseDocumentsAPI registers a Jaipur artisan, calls each document operation on its
// success and error paths and notes them in rec. TestOpenAPIResponses can call it once its
// server has a data folder.
func exerciseDocumentsAPI(t *testing.T, e *env, rec *openAPIRecorder) {
	t.Helper()
	artisanID := docArtisan(t, e, "Bhanwari Devi", "9829077777", "jaipur", "Sanganer")
	pdf := docFixture(t, "sample.pdf")
	entry := e.token("entry.jaipur")
	base := "/api/v1/artisans/" + strconv.FormatInt(artisanID, 10) + "/documents"
	send := func(method, path, token string, body []byte, ct string, want int) map[string]any {
		t.Helper()
		newReq := func() *http.Request {
			req := httptest.NewRequest(method, path, bytes.NewReader(body))
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return req
		}
		if want < 300 {
			if err := openAPIRequestError(t, newReq(), body); err != nil {
				t.Errorf("%s %s: request does not match openapi.json: %v", method, path, err)
			}
		}
		resp, err := e.srv.App().Test(newReq(), 30_000)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, truncateBody(raw))
		}
		checkAgainstOpenAPI(t, resp.Request, resp, raw)
		if _, router := loadOpenAPI(t); router != nil {
			if route, _, err := router.FindRoute(resp.Request); err == nil {
				rec.note(route.Method+" "+route.Path, resp.StatusCode)
			}
		}
		out := map[string]any{}
		json.Unmarshal(raw, &out) //nolint:errcheck // a download is not JSON
		return out
	}
	good, ct := docMultipart(t, "id_proof", []docPart{{"aadhaar.pdf", "application/pdf", pdf}})
	doc := send("POST", base, entry, good, ct, 201)
	bad, badCT := docMultipart(t, "id_proof", []docPart{{"aadhaar.pdf", "application/pdf", []byte("plain text")}})
	send("POST", base, entry, bad, badCT, 422)
	send("POST", base, e.token("auditor"), good, ct, 403)
	send("POST", base, "", good, ct, 401)
	send("POST", "/api/v1/artisans/999999/documents", entry, good, ct, 404)
	send("GET", base, entry, nil, "", 200)
	send("GET", base, "", nil, "", 401)
	send("GET", base, e.token("store.ajmer"), nil, "", 403)
	send("GET", "/api/v1/artisans/999999/documents", entry, nil, "", 404)
	id, _ := doc["id"].(float64)
	send("GET", "/api/v1/documents/"+strconv.FormatInt(int64(id), 10), entry, nil, "", 200)
	send("GET", "/api/v1/documents/999999", entry, nil, "", 404)
	send("GET", "/api/v1/documents/1", "", nil, "", 401)
	send("GET", "/api/v1/documents/1", e.token("store.ajmer"), nil, "", 403)
}
