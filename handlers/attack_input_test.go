package handlers_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Hostile text put in every free-text field the records have. The script is what a page
// must never carry raw; the formula starts are what a spreadsheet must never evaluate.
const (
	xssRaw     = `<script>alert(1)</script>`
	xssEscaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	xssAttr    = `"><img src=x onerror=alert(2)>`
	attackHi   = "सीता देवी क़ुरैशी"
	attackMark = "Zqxmark" // a word only the Jaipur records hold, to find leaks by
)

// attackIDs are the records seedAttackRecords made, by kind.
type attackIDs struct {
	artisan, jodhpurArtisan, organisation, store, sale, product, enrolment int64
	scheme                                                                 string
}

// seedAttackRecords creates one record of every kind in Jaipur, every text field holding
// script, an attribute break-out, Devanagari or a formula, and a plain Jodhpur artisan.
func seedAttackRecords(t *testing.T, e *env) attackIDs {
	t.Helper()
	var ids attackIDs
	id := func(out map[string]any) int64 { f, _ := out["id"].(float64); return int64(f) }

	art := artAPIBody(t, attackMark+" "+xssRaw, "9829012345")
	art["name_hi"] = attackHi + " " + xssRaw
	art["relative_name"] = xssAttr
	art["tehsil"] = `=HYPERLINK("http://evil.example","x")`
	art["village"] = "@SUM(1+1) " + attackHi
	art["udyam"], art["pan"], art["gstin"], art["bank_account"], art["ifsc"] = "", "", "", "", ""
	ids.artisan = id(e.call("POST", "/api/v1/artisans", e.token("entry.jaipur"), art, 201))
	ids.jodhpurArtisan = id(e.call("POST", "/api/v1/artisans", e.token("dic.jodhpur"), artAPIJodhpurBody(t, "Bhanwar Lal", "9829012346"), 201))

	org := orgAPIBody(attackMark+" "+xssRaw, "cooperative", "jaipur")
	org["name_hi"], org["address"], org["registration_no"] = attackHi+xssAttr, "+1+1 "+xssRaw, "-2+3"
	ids.organisation = id(e.call("POST", "/api/v1/organisations", e.token("entry.jaipur"), org, 201))

	store := saleStore(attackMark+" "+xssRaw, "khadi_bhandar", "jaipur")
	store["address"] = "=1+1 " + xssAttr
	ids.store = id(e.call("POST", "/api/v1/stores", e.token("admin"), store, 201))

	sale := saleBody(int(ids.store), "2026-10-05", "INV-1", 77777700)
	sale["product"] = "=cmd|' /C calc'!A0 " + attackMark + xssRaw
	sale["artisan_id"] = ids.artisan
	ids.sale = id(e.call("POST", "/api/v1/sales", e.token("admin"), sale, 201))

	ids.product = id(e.call("POST", "/api/v1/products", e.token("entry.jaipur"), map[string]any{
		"artisan_id": ids.artisan, "title_en": "@" + attackMark + " " + xssRaw, "title_hi": attackHi + xssAttr,
		"craft": "sanganeri-block-print", "hsn_code": "6214", "weight_grams": 150, "store_price_paise": 100000}, 201))

	ids.scheme = "xss-scheme"
	e.call("POST", "/api/v1/schemes", e.token("admin"), map[string]any{"slug": ids.scheme, "name": "-" + xssRaw,
		"name_hi": attackHi + xssRaw, "sponsor": "state", "agency": "doic", "benefit_type": "toolkit",
		"eligibility": xssAttr, "benefit": "=1+1" + xssRaw, "rule_must_be_approved": false}, 201)
	ids.enrolment = id(e.call("POST", "/api/v1/enrolments", e.token("entry.jaipur"),
		map[string]any{"artisan_id": ids.artisan, "scheme": ids.scheme}, 201))
	return ids
}

// attackPath fills a route's parameters with the records seedAttackRecords made.
func attackPath(path string, ids attackIDs) string {
	if strings.HasPrefix(path, "/schemes/") || strings.HasPrefix(path, "/api/v1/schemes/") {
		path = strings.Replace(path, ":slug", ids.scheme, 1)
	}
	for prefix, id := range map[string]int64{"/artisans/": ids.artisan, "/organisations/": ids.organisation,
		"/stores/": ids.store, "/sales/": ids.sale, "/products/": ids.product, "/enrolments/": ids.enrolment} {
		if strings.Contains(path, prefix+":id") {
			path = strings.Replace(path, prefix+":id", prefix+strconv.FormatInt(id, 10), 1)
		}
	}
	return samplePath(path)
}

// TestAttackScriptRendersEscaped: every page of the route table, fetched as the state
// admin (who sees every record), carries none of the hostile markup raw; the pages that
// show the records carry it escaped, with the Devanagari intact.
func TestAttackScriptRendersEscaped(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ids := seedAttackRecords(t, e)
		for _, r := range e.srv.Routes() {
			if !r.Web || r.Method != "GET" {
				continue
			}
			path := attackPath(r.Path, ids)
			resp, body := e.page("GET", path, allowedUser(r.Method, r.Path), nil, false)
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, raw := range []string{"<script>alert", "<img src=x"} {
				if strings.Contains(body, raw) {
					t.Errorf("GET %s: %q appears unescaped", path, raw)
				}
			}
			if bad := inlineScript(body); bad != "" {
				t.Errorf("GET %s: event handler or inline script: %s", path, bad)
			}
		}
		for _, path := range []string{"/artisans", fmt.Sprintf("/artisans/%d", ids.artisan), fmt.Sprintf("/artisans/%d/edit", ids.artisan),
			"/organisations", "/stores", "/sales?from=2026-10", "/products", fmt.Sprintf("/products/%d", ids.product),
			"/schemes", "/schemes/" + ids.scheme, fmt.Sprintf("/enrolments/%d", ids.enrolment)} {
			resp, body := e.page("GET", path, "admin", nil, false)
			if resp.StatusCode != 200 || !strings.Contains(body, xssEscaped) {
				t.Errorf("GET %s: %d, escaped script not shown", path, resp.StatusCode)
			}
		}
		_, body := e.page("GET", fmt.Sprintf("/artisans/%d", ids.artisan), "admin", nil, false)
		if !strings.Contains(body, attackHi) || !strings.Contains(body, "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;") {
			t.Errorf("artisan page lost the Devanagari or the escaped attribute break-out")
		}
	})
}

// TestAttackExportsNeutraliseFormulas downloads every export the app has, in each format,
// with the hostile records in it: no cell a spreadsheet would evaluate (text starting
// = + - @, tab or CR that is not a plain number), no formula cell, the Devanagari intact.
func TestAttackExportsNeutraliseFormulas(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		seedAttackRecords(t, e)
		exports := []string{
			"/api/v1/artisans/export?format=csv", "/api/v1/artisans/export?format=xlsx",
			"/api/v1/artisans/export?format=csv&lang=hi",
			"/api/v1/sales/export?format=csv", "/api/v1/sales/export?format=xlsx",
			"/api/v1/products/export?format=csv&district=jaipur", "/api/v1/products/export?format=xlsx&district=jaipur",
			"/api/v1/reports/state/monthly.xlsx?month=2026-10", "/api/v1/reports/districts/jaipur/monthly.xlsx?month=2026-10",
		}
		for _, path := range exports {
			resp := e.request("GET", path, e.token("admin"), nil)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET %s: %d %s", path, resp.StatusCode, truncateBody(raw))
				continue
			}
			cells, formulas, err := exportCells(raw)
			if err != nil {
				t.Errorf("GET %s: %v", path, err)
				continue
			}
			for _, f := range formulas {
				t.Errorf("GET %s: formula cell %s", path, f)
			}
			for _, c := range cells {
				if dangerousCell(c) {
					t.Errorf("GET %s: cell %q would be evaluated", path, c)
				}
			}
			if strings.Contains(path, "artisans") && !strings.Contains(strings.Join(cells, "\n"), attackHi) {
				t.Errorf("GET %s: the Devanagari name is missing or mangled", path)
			}
		}
	})
}

// exportCells reads a CSV (UTF-8, optional BOM) or an XLSX file into its text cells, and
// lists the cells of an XLSX that hold a formula.
func exportCells(raw []byte) (cells, formulas []string, err error) {
	if !bytes.HasPrefix(raw, []byte("PK")) {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF"))))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		for _, rec := range recs {
			cells = append(cells, rec...)
		}
		return cells, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, err
		}
		for i, row := range rows {
			for j, c := range row {
				cells = append(cells, c)
				name, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, name); fm != "" {
					formulas = append(formulas, sheet+"!"+name+": "+fm)
				}
			}
		}
	}
	return cells, formulas, nil
}

// dangerousCell reports whether a spreadsheet would take c for a formula: it starts with
// = + - @, a tab or a carriage return and is not simply a number.
func dangerousCell(c string) bool {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return false
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(c, ",", ""), 64)
	return err != nil
}

// TestAttackPDFTextLiteral: the district report of a district whose store and scheme names
// hold script and Devanagari is a PDF with no active content (no JavaScript, launch or
// open action), whose text (pdftotext, when installed) gives those names back literally:
// drawn as text, never interpreted.
func TestAttackPDFTextLiteral(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		seedAttackRecords(t, e)
		for _, lang := range []string{"en", "hi"} {
			resp := e.request("GET", "/api/v1/reports/districts/jaipur/monthly?month=2026-11&lang="+lang, e.token("admin"), nil)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.HasPrefix(raw, []byte("%PDF-")) {
				t.Fatalf("report %s: %d %s", lang, resp.StatusCode, truncateBody(raw))
			}
			for _, active := range []string{"/JavaScript", "/JS ", "/Launch", "/OpenAction", "/AA "} {
				if bytes.Contains(raw, []byte(active)) {
					t.Errorf("report %s holds %s", lang, active)
				}
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				continue
			}
			cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
			cmd.Stdin = bytes.NewReader(raw)
			text, err := cmd.Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			if lang == "hi" && !strings.Contains(string(text), "जयपुर") {
				t.Errorf("Hindi report text does not extract जयपुर literally")
			}
			if !strings.Contains(string(text), xssRaw) {
				t.Errorf("report %s: the scheme and store names holding script do not extract as written", lang)
			}
		}
	})
}
