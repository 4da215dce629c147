package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// Tests of artisan import and export through the API and the pages. Every API answer is
// checked against openapi.json.

// xferHeader is a header as a Hindi-speaking office writes it.
var xferHeader = []string{"नाम", "पिता या पति का नाम", "लिंग", "जन्म तिथि", "सामाजिक वर्ग", "मोबाइल", "जिला / District *", "मुख्य शिल्प"}

// xferRow is a valid row; the mobile number tells people apart.
func xferRow(name, mobile, district string) []string {
	return []string{name, "Ramesh Chand", "महिला", "17/05/1980", "OBC", mobile, district, "Bagru hand block print"}
}

func xferCSV(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.Write(xferHeader)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func xferXLSX(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range append([][]string{xferHeader}, rows...) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xferMultipart builds a form upload of one file, with the CSRF token when csrf is set.
func xferMultipart(t *testing.T, fileName string, data []byte, csrf string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if csrf != "" {
		w.WriteField("_csrf", csrf)
	}
	if data != nil {
		part, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// xferAPI sends an API request (an upload when data is set), checks the status and the
// answer against openapi.json, and returns the body.
func (e *env) xferAPI(method, path, token, fileName string, data []byte, want int) (*http.Response, []byte) {
	e.t.Helper()
	var body []byte
	ctype := ""
	if data != nil || method == "POST" {
		ctype, body = xferMultipart(e.t, fileName, data, "")
	}
	newReq := func() *http.Request {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req
	}
	if want < 300 {
		if err := openAPIRequestError(e.t, newReq(), body); err != nil {
			e.t.Errorf("%s %s: request does not match openapi.json: %v", method, path, err)
		}
	}
	resp, err := e.srv.App().Test(newReq(), 60_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, want, truncateBody(out))
	}
	checkAgainstOpenAPI(e.t, resp.Request, resp, out)
	return resp, out
}

func xferJSON(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", truncateBody(raw), err)
	}
	return out
}

// xferTable reads a downloaded CSV or XLSX back, header first.
func xferTable(t *testing.T, data []byte, xlsx bool) [][]string {
	t.Helper()
	if !xlsx {
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Fatalf("CSV without BOM")
		}
		rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func xferCol(rows [][]string, header string) []string {
	col := -1
	for i, h := range rows[0] {
		if h == header || strings.HasPrefix(h, header+" / ") {
			col = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		if col < len(r) && col >= 0 {
			out = append(out, r[col])
		}
	}
	return out
}

func TestAPIArtisanImport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin, entry, auditor := e.token("admin"), e.token("entry.jaipur"), e.token("auditor")
		good := xferCSV(t, xferRow("Asha Devi", "9414000001", "Ganganagar"), xferRow("Bhola Ram", "9414000002", "Jalor"),
			xferRow("चंदा बाई", "9414000003", "जयपुर"))
		resp, raw := e.xferAPI("POST", "/api/v1/imports/artisans", admin, "artisans.csv", good, 201)
		out := xferJSON(t, raw)
		if out["created"] != 3.0 || out["existing"] != 0.0 || resp.Header.Get("Location") != fmt.Sprintf("/api/v1/imports/%v", out["id"]) {
			t.Errorf("first import: %v %s", out, resp.Header.Get("Location"))
		}
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", admin, "artisans.csv", good, 201)
		if out := xferJSON(t, raw); out["created"] != 0.0 || out["existing"] != 3.0 {
			t.Errorf("same file again: %v", out)
		}
		xlsx := xferXLSX(t, xferRow("Devi Lal", "9414000004", "jaipur"), xferRow("Eshwar", "9414000005", "Jaipur"))
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", entry, "artisans.xlsx", xlsx, 201)
		if out := xferJSON(t, raw); out["created"] != 2.0 {
			t.Errorf("xlsx: %v", out)
		}
		var n int64
		n, _ = e.db.NewSelect().Table("artisans").Count(context.Background())
		if n != 5 {
			t.Errorf("%d artisans, want 5", n)
		}

		// One bad row: nothing saved, the row and column reported, the job keeps the report.
		bad := xferCSV(t, xferRow("Fateh", "9414000006", "jaipur"), xferRow("Ganga", "12345", "jaipur"))
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", entry, "bad.csv", bad, 422)
		errBody := xferJSON(t, raw)["error"].(map[string]any)
		rows, _ := errBody["rows"].([]any)
		if len(rows) != 1 || rows[0].(map[string]any)["row"] != 3.0 || rows[0].(map[string]any)["column"] != "mobile" ||
			errBody["rows_total"] != 1.0 || errBody["code"] != "invalid" {
			t.Errorf("bad row: %s", raw)
		}
		if n2, _ := e.db.NewSelect().Table("artisans").Count(context.Background()); n2 != n {
			t.Errorf("a refused import saved %d artisans", n2-n)
		}
		id := fmt.Sprint(errBody["import_id"])
		_, raw = e.xferAPI("GET", "/api/v1/imports/"+id, entry, "", nil, 200)
		job := xferJSON(t, raw)
		if job["status"] != "failed" || job["errors"] != 1.0 || job["report"] != "/api/v1/imports/"+id+"/report" {
			t.Errorf("job = %v", job)
		}
		resp, raw = e.xferAPI("GET", "/api/v1/imports/"+id+"/report", entry, "", nil, 200)
		report := xferTable(t, raw, true)
		if len(report) != 2 || report[1][0] != "3" || report[1][1] != "Mobile" || report[1][2] != "12345" {
			t.Errorf("report = %v", report)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment; ") {
			t.Errorf("report disposition = %q", resp.Header.Get("Content-Disposition"))
		}
		e.xferAPI("GET", "/api/v1/imports/"+id, admin, "", nil, 200) // state admins see every job
		e.xferAPI("GET", "/api/v1/imports/"+id, e.token("dic.jaipur"), "", nil, 404)
		e.xferAPI("GET", "/api/v1/imports/999999", entry, "", nil, 404)
		e.xferAPI("GET", "/api/v1/imports/"+id, "", "", nil, 401)
		e.xferAPI("GET", "/api/v1/imports/"+id, e.token("store.ajmer"), "", nil, 403)
		e.xferAPI("GET", "/api/v1/imports/"+fmt.Sprint(out["id"])+"/report", admin, "", nil, 404) // done: no report
		e.xferAPI("GET", "/api/v1/imports/"+id+"/report", "", "", nil, 401)
		e.xferAPI("GET", "/api/v1/imports/"+id+"/report", auditor, "", nil, 403)

		// Refused files: not a spreadsheet (sniffed, whatever the name), no file, too many rows.
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", entry, "photo.csv", png, 422)
		if msg := xferJSON(t, raw)["error"].(map[string]any)["message"]; !strings.Contains(fmt.Sprint(msg), "not a spreadsheet") {
			t.Errorf("png: %s", raw)
		}
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", entry, "", nil, 422)
		if fields, _ := xferJSON(t, raw)["error"].(map[string]any)["fields"].(map[string]any); fields["file"] == nil {
			t.Errorf("no file: %s", raw)
		}
		many := make([][]string, app.ArtisanFileMaxRows+1)
		for i := range many {
			many[i] = xferRow("Asha", "9414000001", "jaipur")
		}
		_, raw = e.xferAPI("POST", "/api/v1/imports/artisans", entry, "many.csv", xferCSV(t, many...), 422)
		if msg := fmt.Sprint(xferJSON(t, raw)["error"].(map[string]any)["message"]); !strings.Contains(msg, "100000 rows") {
			t.Errorf("100,001 rows: %s", msg)
		}
		e.xferAPI("POST", "/api/v1/imports/artisans", auditor, "a.csv", good, 403)
		e.xferAPI("POST", "/api/v1/imports/artisans", "", "a.csv", good, 401)

		// The template, in both languages and formats.
		for _, q := range []string{"format=xlsx&lang=hi", "format=csv&lang=en", ""} {
			resp, raw := e.xferAPI("GET", "/api/v1/imports/artisans/template?"+q, entry, "", nil, 200)
			if q == "format=xlsx&lang=hi" {
				if head := xferTable(t, raw, true)[0]; head[0] != "नाम / Name *" {
					t.Errorf("hi template header = %v", head)
				}
				if !strings.Contains(resp.Header.Get("Content-Disposition"), "artisans-template-hi.xlsx") {
					t.Errorf("disposition = %q", resp.Header.Get("Content-Disposition"))
				}
			}
		}
		e.xferAPI("GET", "/api/v1/imports/artisans/template?format=pdf", entry, "", nil, 422)
		e.xferAPI("GET", "/api/v1/imports/artisans/template", auditor, "", nil, 403)
		e.xferAPI("GET", "/api/v1/imports/artisans/template", "", "", nil, 401)
	})
}

func TestAPIArtisanExport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.token("admin")
		evil := xferRow(`=HYPERLINK("http://evil.example","Click me")`, "9414012345", "jaipur")
		e.xferAPI("POST", "/api/v1/imports/artisans", admin, "seed.csv", xferCSV(t, evil,
			xferRow("Asha Devi", "9414000001", "jaipur"), xferRow("Jodhpur Weaver", "9414077777", "jodhpur")), 201)

		export := func(who, query string, want int) [][]string {
			t.Helper()
			_, raw := e.xferAPI("GET", "/api/v1/artisans/export?"+query, e.token(who), "", nil, want)
			if want != 200 {
				return nil
			}
			return xferTable(t, raw, strings.Contains(query, "format=xlsx"))
		}
		for _, format := range []string{"csv", "xlsx"} {
			rows := export("dic.jaipur", "format="+format, 200)
			district, name, mobile := "district", "name", "mobile"
			if format == "xlsx" {
				district, name, mobile = "District", "Name", "Mobile"
			}
			if got := strings.Join(xferCol(rows, district), ","); got != "jaipur,jaipur" {
				t.Errorf("%s: DIC Jaipur exports districts %s", format, got)
			}
			if got := xferCol(rows, name)[0]; got != `'=HYPERLINK("http://evil.example","Click me")` {
				t.Errorf("%s: formula not neutralised: %q", format, got)
			}
			if got := strings.Join(xferCol(rows, mobile), ","); got != "9414012345,9414000001" {
				t.Errorf("%s: DIC Jaipur sees mobiles %s", format, got)
			}
			rows = export("auditor", "format="+format, 200)
			if got := strings.Join(xferCol(rows, mobile), ","); got != "XXXXXX2345,XXXXXX0001,XXXXXX7777" {
				t.Errorf("%s: auditor sees mobiles %s", format, got)
			}
		}
		if rows := export("admin", "district=jodhpur&q=weaver", 200); len(rows) != 2 || xferCol(rows, "mobile")[0] != "9414077777" {
			t.Errorf("admin's filtered export = %v", rows)
		}
		if rows := export("dic.jaipur", "district=jodhpur", 200); len(rows) != 1 {
			t.Errorf("DIC Jaipur exports Jodhpur: %v", rows)
		}
		export("dic.jaipur", "format=pdf", 422)
		export("dic.jaipur", "has_bank=perhaps", 422)
		export("entry.jaipur", "", 403)
		e.xferAPI("GET", "/api/v1/artisans/export", "", "", nil, 401)
		if n, _ := e.db.NewSelect().Table("audit_log").Where("action = 'export'").Count(context.Background()); n != 6 {
			t.Errorf("%d export audit entries, want 6", n)
		}
	})
}

// xferPage sends a page upload with the session cookie of username.
func (e *env) xferPage(path, username, fileName string, data []byte, withCSRF bool) (*http.Response, string) {
	e.t.Helper()
	csrf := ""
	if withCSRF {
		csrf = csrfToken()
	}
	ctype, body := xferMultipart(e.t, fileName, data, csrf)
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.AddCookie(&http.Cookie{Name: "sk_csrf", Value: testCSRFCookie})
	req.AddCookie(&http.Cookie{Name: "sk_access", Value: e.token(username)})
	resp, err := e.srv.App().Test(req, 60_000)
	if err != nil {
		e.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(raw)
}

// xferWait reloads a status page until the job has ended, as the browser does.
func (e *env) xferWait(path, username string) string {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := e.page("GET", path, username, nil, false)
		if resp.StatusCode != 200 {
			e.t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, body)
		}
		running := strings.Contains(body, `<meta http-equiv="refresh" content="2">`)
		if running != (resp.Header.Get("Refresh") == "2") {
			e.t.Errorf("meta refresh %v, Refresh header %q", running, resp.Header.Get("Refresh"))
		}
		if !running {
			return body
		}
		if !strings.Contains(body, "<progress") {
			e.t.Errorf("running job without progress bar:\n%s", body)
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s still running:\n%s", path, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var xferJobPath = regexp.MustCompile(`^/imports/[0-9]+$`)

func TestWebImportFlow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		resp, body := e.page("GET", "/imports/artisans", "entry.jaipur", nil, false)
		for _, want := range []string{`enctype="multipart/form-data"`, `<label for="f-file">`, `type="file"`, `accept=".csv,.xlsx`,
			`href="/imports/artisans/template?format=xlsx&amp;lang=hi"`, `href="/imports/artisans/template?format=csv"`} {
			if resp.StatusCode != 200 || !strings.Contains(body, want) {
				t.Fatalf("upload page lacks %s: %d\n%s", want, resp.StatusCode, body)
			}
		}

		// Upload: 303 to the job, whose page ends showing the counts.
		good := xferCSV(t, xferRow("Asha Devi", "9414000001", "jaipur"), xferRow("Bhola", "9414000002", "जयपुर"))
		if resp, _ := e.xferPage("/imports/artisans", "entry.jaipur", "jaipur.csv", good, false); resp.StatusCode != 403 {
			t.Errorf("upload without CSRF: %d", resp.StatusCode)
		}
		resp, _ = e.xferPage("/imports/artisans", "entry.jaipur", "jaipur.csv", good, true)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !xferJobPath.MatchString(loc) {
			t.Fatalf("upload: %d %q", resp.StatusCode, loc)
		}
		body = e.xferWait(loc, "entry.jaipur")
		if !strings.Contains(body, "2 artisans were added as drafts; 0 were registered already.") || !strings.Contains(body, "jaipur.csv") {
			t.Errorf("done page:\n%s", body)
		}
		if _, body := e.page("GET", "/imports/artisans", "entry.jaipur", nil, false); !strings.Contains(body, `href="`+loc+`"`) {
			t.Errorf("the job is not among the recent imports:\n%s", body)
		}
		if resp, _ := e.page("GET", loc, "dic.jaipur", nil, false); resp.StatusCode != 404 {
			t.Errorf("another user sees the job: %d", resp.StatusCode)
		}

		// A file with a bad row: the page lists the row and column and links the report.
		bad := xferCSV(t, xferRow("Chanda", "9414000003", "jaipur"), xferRow("Dhanraj", "9414000004", "Atlantis"))
		resp, _ = e.xferPage("/imports/artisans", "entry.jaipur", "bad.csv", bad, true)
		loc = resp.Header.Get("Location")
		body = e.xferWait(loc, "entry.jaipur")
		for _, want := range []string{"Not imported", "Nothing was saved", `<td data-label="Row" class="num">3</td>`,
			`<td data-label="Column">District</td>`, `<td data-label="Value in the file">Atlantis</td>`, `href="` + loc + `/report"`} {
			if !strings.Contains(body, want) {
				t.Errorf("failed job page lacks %s:\n%s", want, body)
			}
		}
		resp, raw := e.page("GET", loc+"/report", "entry.jaipur", nil, false)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("report: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		} else if rows := xferTable(t, []byte(raw), true); len(rows) != 2 || rows[1][0] != "3" {
			t.Errorf("report rows = %v", rows)
		}

		// A PNG renamed .csv is refused on the form, with the error tied to the field.
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
		resp, body = e.xferPage("/imports/artisans", "entry.jaipur", "photo.csv", png, true)
		if resp.StatusCode != 422 || !strings.Contains(body, `class="error-summary"`) || !strings.Contains(body, `href="#f-file"`) ||
			!strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, "not a spreadsheet") {
			t.Errorf("png upload: %d\n%s", resp.StatusCode, body)
		}

		// In Hindi.
		hi := &http.Cookie{Name: "sk_lang", Value: "hi"}
		if _, body := e.page("GET", loc, "entry.jaipur", nil, false, hi); !strings.Contains(body, "आयात नहीं हुआ") ||
			!strings.Contains(body, `<td data-label="कॉलम">जिला</td>`) {
			t.Errorf("Hindi status page:\n%s", body)
		}

		// A job the server was running when it stopped is failed at the next start.
		var userID int64
		if err := e.db.NewSelect().Table("users").Column("id").Where("username = 'entry.jaipur'").Scan(context.Background(), &userID); err != nil {
			t.Fatal(err)
		}
		now := app.Now()
		job := &app.ImportJob{Kind: app.ImportKindArtisans, Status: app.ImportSaving, FileName: "big.xlsx", TotalRows: 90000,
			DoneRows: 90000, CreatedBy: userID, CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.NewInsert().Model(job).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/imports/%d", job.ID)
		if _, body := e.page("GET", path, "entry.jaipur", nil, false); !strings.Contains(body, "<progress") {
			t.Errorf("saving job shows no progress:\n%s", body)
		}
		if n, err := app.RecoverImportJobs(context.Background(), e.db); err != nil || n != 1 {
			t.Fatalf("recover: %d %v", n, err)
		}
		body = e.xferWait(path, "entry.jaipur")
		if !strings.Contains(body, "The import was interrupted, nothing was saved. Upload the file again.") {
			t.Errorf("recovered job page:\n%s", body)
		}

		// The template and the export with the cookie session.
		resp, _ = e.page("GET", "/imports/artisans/template?format=xlsx&lang=hi", "entry.jaipur", nil, false)
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "artisans-template-hi.xlsx") {
			t.Errorf("template page: %d %v", resp.StatusCode, resp.Header)
		}
		resp, raw = e.page("GET", "/artisans/export?format=csv&district=jaipur", "dic.jaipur", nil, false)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export page: %d %v", resp.StatusCode, resp.Header)
		}
		if rows := xferTable(t, []byte(raw), false); len(rows) != 3 {
			t.Errorf("export rows = %v", rows)
		}
		if resp, _ := e.page("GET", "/artisans/export", "entry.jaipur", nil, false); resp.StatusCode != 403 {
			t.Errorf("data entry export page: %d", resp.StatusCode)
		}
	})
}
