package handlers_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
)

// importEndpoints are the routes that take a spreadsheet upload, with a user allowed to.
var importEndpoints = map[string]string{
	"/api/v1/imports/artisans":   "entry.jaipur",
	"/api/v1/imports/sales":      "admin",
	"/api/v1/imports/enrolments": "entry.jaipur",
	"/api/v1/imports/onboarding": "dic.jaipur",
}

// zipBomb is an XLSX-looking archive whose sheet truly unpacks to size bytes (a whole
// number of MiB) of zeros: a few hundred kilobytes on the wire. The deflate stream is one
// compressed MiB repeated, which is valid because that block refers to nothing before it,
// so building the bomb costs nothing like compressing it would.
func zipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var chunk, tail bytes.Buffer
	fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
	fw.Write(zeros) //nolint:errcheck // in memory
	fw.Flush()      //nolint:errcheck // in memory
	one := bytes.Clone(chunk.Bytes())
	fw.Reset(&tail)
	fw.Close() //nolint:errcheck // the final empty block
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		f, _ := w.Create(name)
		f.Write([]byte("<x/>")) //nolint:errcheck // in memory
	}
	crc := uint32(0)
	for range size >> 20 {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	f, err := w.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		UncompressedSize64: uint64(size), CompressedSize64: uint64(len(one))*uint64(size>>20) + uint64(tail.Len())})
	if err != nil {
		t.Fatal(err)
	}
	for range size >> 20 {
		f.Write(one) //nolint:errcheck // in memory
	}
	f.Write(tail.Bytes()) //nolint:errcheck // in memory
	w.Close()
	return b.Bytes()
}

// manyEntries is an archive of n empty entries, which no workbook needs.
func manyEntries(n int) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := range n {
		w.Create(fmt.Sprintf("xl/e%d.xml", i)) //nolint:errcheck // in memory
	}
	w.Close()
	return b.Bytes()
}

// uploadImport posts data as the multipart field "file" named name, with the declared
// content type ctype.
func (e *env) uploadImport(path, who, name, ctype string, data []byte) (int, string) {
	e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="file"; filename=%q`, name)}
	h["Content-Type"] = []string{ctype}
	part, err := w.CreatePart(h)
	if err != nil {
		e.t.Fatal(err)
	}
	part.Write(data) //nolint:errcheck // in memory
	w.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token(who))
	resp, err := e.srv.App().Test(req, 60_000)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// TestAttackImportUploads sends every importer the files an attacker would: a zip bomb
// dressed as XLSX, an archive of ten thousand entries, a PNG, an old binary .xls and an
// ELF binary with lying names and content types, a file over the size limit, and path
// tricks in the file name. Each is refused with a 4xx and a message in the user's words,
// quickly, nothing is imported, and nothing appears on disk outside the data folder.
func TestAttackImportUploads(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := newEnv(t, db)
		png, _ := os.ReadFile("../app/testdata/documents/sample.png")
		bomb := zipBomb(t, 400<<20)
		cases := []struct {
			what, name, ctype string
			data              []byte
			want              string // a word of the message
		}{
			{"zip bomb", "sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bomb, "MB"},
			{"10,001 entries", "sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", manyEntries(10001), "MB"},
			{"PNG as CSV", "artisans.csv", "text/csv", png, ""},
			{"legacy xls", "old.xls", "text/csv", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 512)), ""},
			{"ELF binary", "run.csv", "text/csv", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 64)...), ""},
			{"NUL in text", "a.csv", "text/csv", []byte("name,mobile\nx\x00y,1\n"), ""},
			{"over the size limit", "big.csv", "text/csv", bytes.Repeat([]byte("a,b\n"), (33<<20)/4), "MB"},
			{"path trick", "../../../../../../tmp/evil.csv", "text/csv", png, ""},
			{"absolute path", "/etc/cron.d/evil.xlsx", "text/csv", bomb, ""},
			{"NUL in the name", "a.csv\x00.png", "image/png", png, ""},
		}
		for path, who := range importEndpoints {
			for _, c := range cases {
				status, body := e.uploadImport(path, who, c.name, c.ctype, c.data)
				var out struct {
					Error struct {
						Code, Message string
						Fields        map[string]string
					}
				}
				json.Unmarshal([]byte(body), &out) //nolint:errcheck // checked below
				said := out.Error.Message + " " + out.Error.Fields["file"]
				if status < 400 || status >= 500 || out.Error.Code != "invalid" || !strings.Contains(said, c.want) {
					t.Errorf("%s %s: %d %s", path, c.what, status, truncateBody([]byte(body)))
				}
			}
		}
		for _, table := range []string{"artisans", "sales", "enrolments", "onboardings"} {
			if n, err := e.db.NewSelect().Table(table).Count(t.Context()); err != nil || n != 0 {
				t.Errorf("%s: %d rows after refused uploads (%v)", table, n, err)
			}
		}
		for _, root := range []string{"..", "/tmp", "/etc/cron.d"} {
			if found := filesNamedEvil(root); len(found) > 0 {
				t.Errorf("files written by the hostile uploads: %v", found)
			}
		}
	})
}

// filesNamedEvil lists the files under root whose name holds "evil", as the hostile
// uploads' names do.
func filesNamedEvil(root string) []string {
	var out []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error { //nolint:errcheck // best effort
		if err != nil || d.Name() == ".git" {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.Contains(d.Name(), "evil") {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// TestAttackPhotoAndDocumentUploads: product photos refuse a PDF or a script dressed as a
// PNG, a pixel bomb and an oversized file; documents and photos with path tricks in their
// names are stored under the data folder by id alone, and the name never becomes a path.
func TestAttackPhotoAndDocumentUploads(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := newDocEnv(t, db)
		a := &catAPI{e: e.env, rec: &openAPIRecorder{}}
		_, product := catalogueFixture(a)
		bomb := docFixture(t, "bomb.png")
		for what, data := range map[string][]byte{
			"PDF named .png":    docFixture(t, "sample.pdf"),
			"script as PNG":     []byte("<script>alert(1)</script>"),
			"pixel bomb":        bomb,
			"truncated PNG":     docFixture(t, "sample.png")[:64],
			"over the size cap": append(bytes.Clone(docFixture(t, "sample.png")), make([]byte, 12<<20)...),
		} {
			out := a.photo("entry.jaipur", product, "photo.png", data, 422)
			if errorCode(out) != "invalid" {
				t.Errorf("%s: %v", what, out)
			}
		}
		png := catPNG(t, 900, 900, 180)
		tricks := []string{"../../../../tmp/evil-photo.png", "/etc/evil-photo.png", `..\..\evil-photo.png`}
		for _, name := range tricks {
			a.photo("entry.jaipur", product, name, png, 201)
			e.upload("entry.jaipur", e.jaipur, "other", docPart{name, "image/png", png}).want(t, "document "+name, 201)
		}
		for _, f := range e.storedFiles(t) {
			if strings.Contains(f, "evil") || strings.Contains(f, "..") {
				t.Errorf("stored file %q takes its path from the uploaded name", f)
			}
		}
		for _, root := range []string{"..", "/tmp", "/etc"} {
			if found := filesNamedEvil(root); len(found) > 0 {
				t.Errorf("files written outside the data folder: %v", found)
			}
		}
	})
}
