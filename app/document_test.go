package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"shilpkosh/app"
)

// docEnv is the document store over the artisan test environment, with its own data folder.
type docEnv struct {
	*artEnv
	docs    *app.Documents
	dataDir string
}

func eachDocEnv(t *testing.T, fn func(t *testing.T, e *docEnv)) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		dir := t.TempDir()
		fn(t, &docEnv{artEnv: e, dataDir: dir, docs: &app.Documents{DB: e.db, Authz: e.authz, DataDir: dir}})
	})
}

func docFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "documents", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upload sends content as a file of the given name and type, by who, to the artisan.
func (e *docEnv) upload(who string, artisanID int64, docType, name string, content []byte) (*app.Document, error) {
	return e.docs.Upload(context.Background(), e.actor(who), artisanID, docType, name, bytes.NewReader(content), int64(len(content)))
}

// storedFiles lists the files under the data folder, relative to it.
func (e *docEnv) storedFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(e.dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(e.dataDir, path)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fieldError returns the catalogue key of err's message for field, or a description of err.
func fieldError(err error, field string) string {
	var e *app.Error
	if !errors.As(err, &e) {
		return "not an app error: " + errString(err)
	}
	if m, ok := e.Fields[field]; ok {
		return m.Key
	}
	return e.Code + " " + e.Message.Key
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestDocumentUploadAccepted(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		for _, c := range []struct{ fixture, name, docType, wantType string }{
			{"sample.pdf", "Aadhaar card.pdf", app.DocIDProof, app.ContentPDF},
			{"sample.jpg", "passbook.JPG", app.DocBankPassbook, app.ContentJPEG},
			{"sample.png", "certificate.png", app.DocCertificate, app.ContentPNG},
			{"sample.png", "scan", app.DocOther, app.ContentPNG},              // no extension: the bytes decide
			{"sample.jpg", "फ़ोटो.jpeg", app.DocPhoto, app.ContentJPEG},       // Hindi names are kept
			{"sample.pdf", "Report v1.2", app.DocCertificate, app.ContentPDF}, // ".2" is no file type
		} {
			content := docFixture(t, c.fixture)
			d, err := e.upload("entry.jaipur", a.ID, c.docType, c.name, content)
			if err != nil {
				t.Fatalf("%s as %s: %v", c.fixture, c.name, err)
			}
			sum := sha256.Sum256(content)
			if d.ContentType != c.wantType || d.FileName != c.name || d.SizeBytes != int64(len(content)) ||
				d.SHA256 != hex.EncodeToString(sum[:]) || d.District != "jaipur" || d.DocType != c.docType ||
				d.UploadedBy == nil || *d.UploadedBy != e.actor("entry.jaipur").UserID || d.ID == 0 {
				t.Errorf("%s: stored %+v", c.name, d)
			}
			path := filepath.Join(e.dataDir, "documents", d.StorageKey[:2], d.StorageKey)
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, content) {
				t.Errorf("%s: file at %s: %v", c.name, path, err)
			}
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("%s: file mode %v, want 0600", c.name, st.Mode())
			}
		}
		list, err := e.docs.List(context.Background(), e.actor("dic.jaipur"), a.ID)
		if err != nil || len(list) != 6 {
			t.Fatalf("list: %d documents, %v", len(list), err)
		}
		if list[0].FileName != "Report v1.2" || list[0].UploadedByName != "Name of entry.jaipur" {
			t.Errorf("newest first with uploader's name: %+v", list[0])
		}
		// Only the stored files, named by their random keys, and no temporary file left.
		files := e.storedFiles(t)
		if len(files) != 6 {
			t.Errorf("files under the data folder: %v", files)
		}
		for _, f := range files {
			parts := strings.Split(f, "/")
			if len(parts) != 3 || parts[0] != "documents" || len(parts[2]) != 32 || parts[1] != parts[2][:2] {
				t.Errorf("unexpected file %s", f)
			}
		}
	})
}

func TestDocumentUploadRefused(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		pdf, png, jpg := docFixture(t, "sample.pdf"), docFixture(t, "sample.png"), docFixture(t, "sample.jpg")
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), 6_000_000)...)

		cases := []struct {
			what, docType, name string
			content             []byte
			field, want         string
		}{
			{"text named .pdf", app.DocIDProof, "aadhaar.pdf", docFixture(t, "text.pdf"), "file", "document.type_not_allowed"},
			{"PNG named .pdf", app.DocIDProof, "aadhaar.pdf", png, "file", "document.extension_mismatch"},
			{"PDF named .png", app.DocIDProof, "aadhaar.png", pdf, "file", "document.extension_mismatch"},
			{"JPEG named .png", app.DocPhoto, "face.png", jpg, "file", "document.extension_mismatch"},
			{"PDF named .exe", app.DocOther, "setup.exe", pdf, "file", "document.extension_mismatch"},
			{"PDF named .pdf.html", app.DocOther, "x.pdf.html", pdf, "file", "document.extension_mismatch"},
			{"HTML", app.DocOther, "page.pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"), "file", "document.type_not_allowed"},
			{"SVG", app.DocPhoto, "face.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "file", "document.type_not_allowed"},
			{"GIF", app.DocPhoto, "face.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "file", "document.type_not_allowed"},
			{"ZIP", app.DocOther, "scan.pdf", []byte("PK\x03\x04rest-of-a-zip"), "file", "document.type_not_allowed"},
			{"PDF magic late", app.DocOther, "scan.pdf", append([]byte("junk"), pdf...), "file", "document.type_not_allowed"},
			{"empty", app.DocIDProof, "empty.pdf", nil, "file", "document.empty"},
			{"6 MB", app.DocCertificate, "big.pdf", big, "file", "document.too_large"},
			{"3 MB photo", app.DocPhoto, "photo.jpg", append(append([]byte{}, jpg...), make([]byte, 3<<20)...), "file", "document.too_large"},
			{"PNG header only", app.DocPhoto, "face.png", png[:40], "file", "document.image_unreadable"},
			{"JPEG cut short", app.DocPhoto, "face.jpg", jpg[:len(jpg)/2], "file", "document.image_unreadable"},
			{"bomb", app.DocPhoto, "face.png", docFixture(t, "bomb.png"), "file", "document.image_too_big"},
			{"huge JPEG header", app.DocPhoto, "face.jpg", jpegWithSize(t, jpg, 60000, 60000), "file", "document.image_too_big"},
			{"no type", "", "a.pdf", pdf, "doc_type", "validation.required"},
			{"unknown type", "passport_photo", "a.pdf", pdf, "doc_type", "document.doc_type"},
		}
		for _, c := range cases {
			_, err := e.upload("entry.jaipur", a.ID, c.docType, c.name, c.content)
			if got := fieldError(err, c.field); got != c.want {
				t.Errorf("%s: %s = %s, want %s", c.what, c.field, got, c.want)
			}
		}

		// An oversized file is refused from its declared size, before it is read.
		unread := &countingReader{r: bytes.NewReader(big)}
		_, err := e.docs.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocCertificate, "big.pdf", unread, int64(len(big)))
		if got := fieldError(err, "file"); got != "document.too_large" || unread.n != 0 {
			t.Errorf("declared 6 MB: %s after reading %d bytes", got, unread.n)
		}
		// A size left unknown (or understated) is no way round the limit: at most limit+1 is read.
		unread = &countingReader{r: bytes.NewReader(big)}
		_, err = e.docs.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocCertificate, "big.pdf", unread, 10)
		if got := fieldError(err, "file"); got != "document.too_large" || unread.n > app.MaxDocumentBytes+1 {
			t.Errorf("understated 6 MB: %s after reading %d bytes", got, unread.n)
		}
		var ae *app.Error
		if errors.As(err, &ae) && ae.Fields["file"].Args["max"] != "5 MB" {
			t.Errorf("too large names the limit: %v", ae.Fields["file"])
		}
		// No file at all.
		_, err = e.docs.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocCertificate, "", nil, -1)
		if got := fieldError(err, "file"); got != "document.file_required" {
			t.Errorf("no file: %s", got)
		}

		if files := e.storedFiles(t); len(files) != 0 {
			t.Errorf("refused uploads left files: %v", files)
		}
		if n, _ := e.db.NewSelect().Table("documents").Count(ctx); n != 0 {
			t.Errorf("refused uploads left %d rows", n)
		}
	})
}

// The bomb is refused from its header: decoding it would take 900 MB.
func TestDocumentBombNotDecoded(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		bomb := docFixture(t, "bomb.png")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := e.upload("entry.jaipur", a.ID, app.DocPhoto, "face.png", bomb)
		runtime.ReadMemStats(&after)
		if got := fieldError(err, "file"); got != "document.image_too_big" {
			t.Fatalf("bomb: %s", got)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("refusing the bomb allocated %d MB: it was decoded", alloc>>20)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// jpegWithSize rewrites the frame header of a baseline JPEG to claim another size in pixels.
func jpegWithSize(t *testing.T, jpg []byte, w, h int) []byte {
	t.Helper()
	out := append([]byte{}, jpg...)
	for i := 2; i+9 < len(out); {
		if out[i] != 0xFF {
			t.Fatal("jpegWithSize: lost in the markers")
		}
		marker, length := out[i+1], int(out[i+2])<<8|int(out[i+3])
		if marker == 0xC0 {
			out[i+5], out[i+6] = byte(h>>8), byte(h)
			out[i+7], out[i+8] = byte(w>>8), byte(w)
			return out
		}
		i += 2 + length
	}
	t.Fatal("jpegWithSize: no SOF0")
	return nil
}

func TestDocumentFileNamesAreDisplayOnly(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		png := docFixture(t, "sample.png")
		for _, name := range []string{"../../etc/passwd", `..\..\windows\passwd`, "C:passwd", "/etc/passwd", "passwd\x00.png"} {
			d, err := e.upload("entry.jaipur", a.ID, app.DocOther, name, png)
			if err != nil {
				t.Fatalf("%q: %v", name, err)
			}
			if d.FileName != "passwd" && d.FileName != "passwd.png" {
				t.Errorf("%q shown as %q", name, d.FileName)
			}
			if strings.Contains(d.StorageKey, "passwd") || len(d.StorageKey) != 32 {
				t.Errorf("%q stored under %q", name, d.StorageKey)
			}
		}
		for _, f := range e.storedFiles(t) {
			if strings.Contains(f, "passwd") || strings.Contains(f, "..") {
				t.Errorf("stored as %s", f)
			}
		}
		if _, err := os.Stat(filepath.Join(e.dataDir, "..", "etc")); err == nil {
			t.Errorf("something was written beside the data folder")
		}
	})
}

func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("क", 150) + ".pdf"
	for in, want := range map[string]string{
		"../../etc/passwd":             "passwd",
		`..\..\boot.ini`:               "boot.ini",
		`C:\Users\ram\aadhaar.pdf`:     "aadhaar.pdf",
		"D:aadhaar.pdf":                "aadhaar.pdf",
		"..":                           "document",
		"":                             "document",
		"   ":                          "document",
		".bashrc":                      "bashrc",
		"scan.pdf.":                    "scan.pdf",
		"bad\x00\x1b[31mname\n.pdf":    "bad[31mname.pdf",
		"invoice\u202Efdp.exe":         "invoicefdp.exe",
		"a<b>c:d\"e|f?g*h.pdf":         "a_b_c_d_e_f_g_h.pdf",
		"tab\tname.pdf":                "tabname.pdf",
		"प्रमाण पत्र.pdf":              "प्रमाण पत्र.pdf",
		"क्\u200dष.png":                "क्\u200dष.png",
		"\xff\xfeबैंक.pdf":             "बैंक.pdf",
		long:                           strings.Repeat("क", 96) + ".pdf",
		strings.Repeat("a", 120):       strings.Repeat("a", 100),
		strings.Repeat("b", 99) + ".x": strings.Repeat("b", 98) + ".x",
	} {
		got := app.CleanFileName(in)
		if got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
		if n := len([]rune(got)); n > app.MaxFileNameLength {
			t.Errorf("CleanFileName(%q) has %d characters", in, n)
		}
	}
}

func TestDocumentDownloadName(t *testing.T) {
	for _, c := range []struct{ name, ct, want string }{
		{"aadhaar.pdf", app.ContentPDF, "aadhaar.pdf"},
		{"passwd", app.ContentPNG, "passwd.png"},
		{"photo.JPEG", app.ContentJPEG, "photo.JPEG"},
		{"Report v1.2", app.ContentPDF, "Report v1.2.pdf"},
	} {
		d := &app.Document{FileName: c.name, ContentType: c.ct}
		if got := d.DownloadName(); got != c.want {
			t.Errorf("DownloadName(%q, %s) = %q, want %q", c.name, c.ct, got, c.want)
		}
	}
}

func TestDocumentScope(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		jaipur := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		in := artInput("Sunita Devi", "9829012346")
		in.District, in.Tehsil = "jodhpur", "Jodhpur"
		jodhpur := e.create("entry.jodhpur", in)
		pdf := docFixture(t, "sample.pdf")
		d, err := e.upload("entry.jaipur", jaipur.ID, app.DocIDProof, "a.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.upload("entry.jodhpur", jodhpur.ID, app.DocIDProof, "b.pdf", pdf); err != nil {
			t.Fatal(err)
		}

		// Another district's officer learns nothing: every path answers not found.
		outsider := e.actor("dic.jodhpur")
		_, err = e.docs.List(ctx, outsider, jaipur.ID)
		artWant(t, "list another district's artisan", err, app.ENOTFOUND, "error.not_found")
		_, _, err = e.docs.Open(ctx, outsider, d.ID)
		artWant(t, "open another district's document", err, app.ENOTFOUND, "error.not_found")
		_, err = e.docs.Get(ctx, outsider, d.ID)
		artWant(t, "get another district's document", err, app.ENOTFOUND, "error.not_found")
		_, err = e.upload("dic.jodhpur", jaipur.ID, app.DocIDProof, "c.pdf", pdf)
		artWant(t, "upload to another district's artisan", err, app.ENOTFOUND, "error.not_found")
		err = e.docs.Delete(ctx, outsider, d.ID)
		artWant(t, "delete another district's document", err, app.ENOTFOUND, "error.not_found")
		_, err = e.docs.List(ctx, outsider, 999999)
		artWant(t, "list a missing artisan", err, app.ENOTFOUND, "error.not_found")
		_, _, err = e.docs.Open(ctx, e.actor("admin"), 999999)
		artWant(t, "open a missing document", err, app.ENOTFOUND, "error.not_found")

		// Readers everywhere may read; only holders of document:create may add or delete.
		for _, who := range []string{"board", "auditor", "admin", "dic.jaipur"} {
			if list, err := e.docs.List(ctx, e.actor(who), jaipur.ID); err != nil || len(list) != 1 {
				t.Errorf("%s lists %d, %v", who, len(list), err)
			}
		}
		_, err = e.upload("auditor", jaipur.ID, app.DocIDProof, "c.pdf", pdf)
		artWant(t, "upload by the auditor", err, app.EFORBIDDEN, "error.forbidden")
		err = e.docs.Delete(ctx, e.actor("board"), d.ID)
		artWant(t, "delete by the board", err, app.EFORBIDDEN, "error.forbidden")
		// A user with no role sees nothing.
		_, err = e.docs.List(ctx, app.Actor{UserID: 424242}, jaipur.ID)
		artWant(t, "list by nobody", err, app.ENOTFOUND, "error.not_found")
		if n, _ := e.db.NewSelect().Table("documents").Count(ctx); n != 2 {
			t.Errorf("%d documents after refused uploads, want 2", n)
		}
	})
}

func TestDocumentDownloadAudited(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		pdf := docFixture(t, "sample.pdf")
		d, err := e.upload("entry.jaipur", a.ID, app.DocIDProof, "आधार.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		got, r, err := e.docs.Open(ctx, e.actor("auditor"), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(body, pdf) || got.FileName != "आधार.pdf" || got.ContentType != app.ContentPDF {
			t.Errorf("opened %+v, %d bytes", got, len(body))
		}
		audit := &app.Audit{DB: e.db, Authz: e.authz}
		entries, _, err := audit.List(ctx, e.actor("admin"), app.AuditFilter{Entity: "document", EntityID: strconv.FormatInt(d.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action+":"+en.ActorName+":"+en.District)
			if strings.Contains(en.After, d.StorageKey) {
				t.Errorf("audit entry holds the storage key: %s", en.After)
			}
		}
		if strings.Join(actions, " ") != "download:auditor:jaipur create:entry.jaipur:jaipur" {
			t.Errorf("audit = %v", actions)
		}
	})
}

func TestDocumentDeleteAndPhotoReplace(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		jpg, pdf := docFixture(t, "sample.jpg"), docFixture(t, "sample.pdf")
		first, err := e.upload("entry.jaipur", a.ID, app.DocPhoto, "old.jpg", jpg)
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.upload("dic.jaipur", a.ID, app.DocPhoto, "new.jpg", jpg)
		if err != nil {
			t.Fatal(err)
		}
		proof, err := e.upload("entry.jaipur", a.ID, app.DocIDProof, "proof.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := e.docs.List(ctx, e.actor("dic.jaipur"), a.ID)
		if len(list) != 2 || list[0].ID != proof.ID || list[1].ID != second.ID {
			t.Errorf("after a new photo: %v", list)
		}
		_, _, err = e.docs.Open(ctx, e.actor("dic.jaipur"), first.ID)
		artWant(t, "open a replaced photo", err, app.ENOTFOUND, "error.not_found")

		if err := e.docs.Delete(ctx, e.actor("entry.jaipur"), proof.ID); err != nil {
			t.Fatal(err)
		}
		err = e.docs.Delete(ctx, e.actor("entry.jaipur"), proof.ID)
		artWant(t, "delete twice", err, app.ENOTFOUND, "error.not_found")
		_, _, err = e.docs.Open(ctx, e.actor("admin"), proof.ID)
		artWant(t, "open a deleted document", err, app.ENOTFOUND, "error.not_found")
		if list, _ := e.docs.List(ctx, e.actor("admin"), a.ID); len(list) != 1 {
			t.Errorf("after delete: %v", list)
		}
		// The files stay for the audit trail.
		if files := e.storedFiles(t); len(files) != 3 {
			t.Errorf("files after delete: %v", files)
		}
		var actions []string
		if err := e.db.NewSelect().Table("audit_log").Column("action").Where("entity = 'document'").
			OrderExpr("id").Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(actions, " "); got != "create replace create create delete" {
			t.Errorf("audit actions = %s", got)
		}
	})
}

// An artisan who moves district takes the documents along: the copied district follows.
func TestDocumentsFollowArtisanDistrict(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		d, err := e.upload("entry.jaipur", a.ID, app.DocIDProof, "a.pdf", docFixture(t, "sample.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		in := artInput("Kishan Lal", "9829012345")
		in.District, in.Tehsil, in.Version = "jodhpur", "Jodhpur", a.Version
		if _, err := e.svc.Update(ctx, e.actor("admin"), a.ID, in); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.docs.Open(ctx, e.actor("dic.jaipur"), d.ID)
		artWant(t, "old district opens a moved document", err, app.ENOTFOUND, "error.not_found")
		if _, r, err := e.docs.Open(ctx, e.actor("dic.jodhpur"), d.ID); err != nil {
			t.Errorf("new district cannot open a moved document: %v", err)
		} else {
			r.Close()
		}
	})
}

func TestDocumentStorageFailureLeavesNothing(t *testing.T) {
	eachDocEnv(t, func(t *testing.T, e *docEnv) {
		ctx := context.Background()
		a := e.create("entry.jaipur", artInput("Kishan Lal", "9829012345"))
		pdf := docFixture(t, "sample.pdf")

		// No data folder configured: refuse rather than write into the working folder.
		none := &app.Documents{DB: e.db, Authz: e.authz}
		if _, err := none.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocIDProof, "a.pdf", bytes.NewReader(pdf), -1); err == nil {
			t.Errorf("upload without a data folder succeeded")
		}
		if _, err := os.Stat("documents"); err == nil {
			t.Errorf("a documents folder appeared in the working folder")
		}

		// The data folder is a file: the write fails and the row is rolled back with it.
		blocked := filepath.Join(t.TempDir(), "blocked")
		if err := os.WriteFile(blocked, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		broken := &app.Documents{DB: e.db, Authz: e.authz, DataDir: blocked}
		if _, err := broken.Upload(ctx, e.actor("entry.jaipur"), a.ID, app.DocIDProof, "a.pdf", bytes.NewReader(pdf), -1); err == nil {
			t.Errorf("upload into a broken folder succeeded")
		}
		for _, table := range []string{"documents", "audit_log"} {
			q := e.db.NewSelect().Table(table)
			if table == "audit_log" {
				q = q.Where("entity = 'document'")
			}
			if n, _ := q.Count(ctx); n != 0 {
				t.Errorf("%s has %d rows after failed uploads", table, n)
			}
		}
	})
}
