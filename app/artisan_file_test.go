package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// impHindiHeader is a header a Hindi-speaking office writes: Hindi labels, a note in
// brackets, both languages with a required marker, a field name in capitals.
var impHindiHeader = []string{"नाम", "पिता या पति का नाम", "लिंग", "जन्म तिथि (DD-MM-YYYY)", "सामाजिक वर्ग",
	"मोबाइल", "आधार", "जिला / District *", "मुख्य शिल्प", "OTHER_CRAFTS", "दिव्यांग", "शिल्प में अनुभव के वर्ष"}

// impGoodRows are three valid artisans, one behind a blank row, with district aliases,
// labels instead of codes and day-first dates.
func impGoodRows(xlsxSerial bool) [][]string {
	thirdDOB := "17-05-1980"
	if xlsxSerial {
		thirdDOB = "29358" // 1980-05-17 as Excel counts days
	}
	return [][]string{
		{"Asha Devi", "Ramesh Chand", "महिला", "17/05/1980", "OBC", "94140 00001", artAadhaar(901), "Ganganagar",
			"Bagru hand block print", "dabu-print; Natural dyeing", "नहीं", "12"},
		{"", "", "", "", "", "", "", "", "", "", "", ""},
		{"Bhola Ram", "Kalu Ram", "M", "1975-01-02", "Scheduled Caste", "9414000002", "", "Jalor",
			"sanganeri-block-print", "", "yes", ""},
		{"चंदा बाई", "Mangi Lal", "female", thirdDOB, "sc", "9414000003", "", "जयपुर", "बगरू प्रिंट", "", "", "3.0"},
	}
}

// impCSV writes rows as a UTF-8 CSV with a BOM, as Excel saves "CSV UTF-8".
func impCSV(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// impXLSX writes rows into the first sheet of a workbook; cells that look like whole
// numbers are written as numbers, as a spreadsheet user's typing would store them.
func impXLSX(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	put := func(n int, cells []string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
			var num int64
			if _, err := fmt.Sscanf(c, "%d", &num); err == nil && fmt.Sprint(num) == c && len(c) < 15 {
				vals[i] = num
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
	}
	put(1, header)
	for i, r := range rows {
		put(i+2, r)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func impRead(t *testing.T, e *artEnv, data []byte) (*app.ArtisanFile, error) {
	t.Helper()
	return app.ReadArtisanFile(context.Background(), e.db, bytes.NewReader(data), "artisans", nil)
}

func TestReadArtisanFile(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		for _, format := range []string{"csv", "xlsx"} {
			data := impCSV(t, impHindiHeader, impGoodRows(false))
			if format == "xlsx" {
				data = impXLSX(t, impHindiHeader, impGoodRows(true))
			}
			var progress []string
			f, err := app.ReadArtisanFile(context.Background(), e.db, bytes.NewReader(data), "x."+format,
				func(done, total int) { progress = append(progress, fmt.Sprint(done, "/", total)) })
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if len(f.Problems) != 0 || fmt.Sprint(f.Rows) != "[2 4 5]" || len(f.Inputs) != 3 {
				t.Fatalf("%s: rows %v problems %v", format, f.Rows, f.Problems)
			}
			a, b, c := f.Inputs[0], f.Inputs[1], f.Inputs[2]
			got := fmt.Sprintf("%s|%s|%s|%s|%s|%v|%v|%d", a.District, a.Gender, a.DateOfBirth, a.SocialCategory,
				a.PrimaryCraft, a.Crafts, a.Disability, a.YearsInCraft)
			if want := "sri-ganganagar|female|1980-05-17|obc|bagru-block-print|[dabu-print natural-dyeing]|false|12"; got != want {
				t.Errorf("%s row 2 = %s, want %s", format, got, want)
			}
			if b.District != "jalore" || b.Gender != "male" || b.SocialCategory != "sc" || !b.Disability || b.DateOfBirth != "1975-01-02" {
				t.Errorf("%s row 4 = %+v", format, b)
			}
			if c.District != "jaipur" || c.DateOfBirth != "1980-05-17" || c.PrimaryCraft != "bagru-block-print" || c.YearsInCraft != 3 {
				t.Errorf("%s row 5 = %+v", format, c)
			}
			if string(a.Aadhaar) != artAadhaar(901) {
				t.Errorf("%s: Aadhaar not read", format)
			}
			if len(progress) == 0 || progress[len(progress)-1] != "3/3" {
				t.Errorf("%s: progress %v", format, progress)
			}
		}

		// Cells that cannot be read are problems of their row and column; the rest of the
		// row is still read, for validation to find what else is wrong.
		rows := impGoodRows(false)
		rows[0][10], rows[3][11] = "maybe", "a few"
		f, err := impRead(t, e, impCSV(t, impHindiHeader, rows))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(f.Problems); got != "row 2 disability: imports.error.yes_no; row 5 years_in_craft: imports.error.whole_number" {
			t.Errorf("problems = %s", got)
		}
	})
}

func TestReadArtisanFileRefusesBadFiles(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		good := impGoodRows(false)
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0xff, 0x00}, 64)...)
		cases := []struct {
			name string
			data []byte
			key  string
			arg  string
		}{
			{"png renamed .csv", png, "imports.error.file_type", ""},
			{"old binary xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "imports.error.xls", ""},
			{"latin-1 text", []byte("name,district\nJos\xe9,jaipur\n"), "imports.error.file_type", ""},
			{"empty", []byte("  \n"), "imports.error.no_rows", ""},
			{"header only", impCSV(t, impHindiHeader, nil), "imports.error.no_rows", ""},
			{"zip, not xlsx", impZip(t, "hello.txt", []byte("hi"), 0), "imports.error.xlsx", ""},
			{"zip bomb", impZip(t, "xl/worksheets/sheet1.xml", []byte("<x/>"), 400<<20), "imports.error.unpacked", ""},
			{"unknown columns", impCSV(t, append(impHindiHeader, "Favourite colour", "ईमेल"), good),
				"imports.error.unknown_columns", `"Favourite colour", "ईमेल"`},
			{"missing columns", impCSV(t, []string{"name", "mobile", "district"}, [][]string{{"A", "9414000001", "jaipur"}}),
				"imports.error.missing_columns", "relative_name, gender, date_of_birth, social_category, primary_craft"},
			{"repeated column", impCSV(t, append(impHindiHeader, "Mobile number"), good), "imports.error.duplicate_column", ""},
		}
		for _, c := range cases {
			_, err := impRead(t, e, c.data)
			var ae *app.Error
			if !asAppError(err, &ae) || ae.Code != app.EINVALID || ae.Message.Key != c.key ||
				(c.arg != "" && ae.Message.Args["columns"] != c.arg) {
				t.Errorf("%s: got %v (%+v), want %s %s", c.name, err, ae, c.key, c.arg)
			}
		}
		big := bytes.Repeat([]byte("a"), app.ArtisanFileMaxBytes+1)
		if _, err := impRead(t, e, big); err == nil || !strings.Contains(err.Error(), "imports.error.too_large") {
			t.Errorf("a file over the size limit: %v", err)
		}
	})
}

// TestReadArtisanFileRowLimit: 100,000 data rows are read; one more is refused.
func TestReadArtisanFileRowLimit(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		header := []string{"name", "relative_name", "gender", "date_of_birth", "social_category", "mobile", "district", "primary_craft"}
		var b bytes.Buffer
		b.WriteString(strings.Join(header, ",") + "\n")
		line := "Asha,Ramesh,female,1980-05-17,obc,9414000001,jaipur,bagru-block-print\n"
		for range app.ArtisanFileMaxRows {
			b.WriteString(line)
		}
		f, err := impRead(t, e, b.Bytes())
		if err != nil || len(f.Inputs) != app.ArtisanFileMaxRows || f.Rows[len(f.Rows)-1] != app.ArtisanFileMaxRows+1 {
			t.Fatalf("100,000 rows: %v", err)
		}
		b.WriteString(line)
		_, err = impRead(t, e, b.Bytes())
		artWant(t, "100,001 rows", err, app.EINVALID, "imports.error.too_many_rows")
	})
}

// TestReadArtisanFileCSVForms: semicolons, UTF-16 ("Unicode text" from Excel), line
// breaks inside cells and blank lines, with rows numbered as a spreadsheet shows them.
func TestReadArtisanFileCSVForms(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		text := "Name;Father's name;Gender;DOB;Category;Mobile No;District;Craft\r\n" +
			"\"Asha\nDevi\";Ramesh;F;17.05.1980;General;9414000001;Jaipur;Bagru hand block print\r\n" +
			"\r\n" +
			"Bhola;Kalu;male;02/01/1975;ews;9414000002;sawai madhopur;dabu-print\r\n" +
			"Chanda;Kalu;female;1980;ews;9414000003;Jaipur;dabu-print\r\n"
		f, err := impRead(t, e, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		// A year alone is not taken for an Excel day number (1980 would be a day of 1905).
		if f.Inputs[2].DateOfBirth != "1980" {
			t.Errorf("a year alone became %q", f.Inputs[2].DateOfBirth)
		}
		if fmt.Sprint(f.Rows) != "[2 4 5]" || f.Inputs[1].District != "sawai-madhopur" || f.Inputs[1].DateOfBirth != "1975-01-02" ||
			f.Inputs[0].SocialCategory != "general" {
			t.Errorf("semicolons: rows %v inputs %+v", f.Rows, f.Inputs)
		}
		utf16 := []byte{0xFF, 0xFE}
		for _, r := range "नाम\tपिता या पति का नाम\tलिंग\tजन्म तिथि\tसामाजिक वर्ग\tमोबाइल\tजिला\tमुख्य शिल्प\r\n" +
			"आशा\tरमेश\tमहिला\t17-05-1980\tअन्य पिछड़ा वर्ग\t9414000001\tजालोर\tदाबू प्रिंट\r\n" {
			utf16 = append(utf16, byte(r), byte(r>>8))
		}
		f, err = impRead(t, e, utf16)
		if err != nil {
			t.Fatal(err)
		}
		if in := f.Inputs[0]; in.District != "jalore" || in.SocialCategory != "obc" || in.PrimaryCraft != "dabu-print" || in.Name != "आशा" {
			t.Errorf("UTF-16: %+v", in)
		}
	})
}

// TestArtisanTemplate: both templates are read back as a header the importer knows.
func TestArtisanTemplate(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		tr := func(key string, _ map[string]string) string { return key }
		for _, c := range []struct{ format, lang string }{{"xlsx", "en"}, {"xlsx", "hi"}, {"csv", "en"}} {
			var b bytes.Buffer
			if err := app.WriteArtisanTemplate(context.Background(), e.db, &b, c.format, c.lang, tr); err != nil {
				t.Fatal(err)
			}
			_, err := impRead(t, e, b.Bytes())
			artWant(t, c.format+"/"+c.lang+" template", err, app.EINVALID, "imports.error.no_rows")
			if c.format != "xlsx" {
				if !bytes.HasPrefix(b.Bytes(), []byte("\uFEFFname,name_hi,relative_name,")) {
					t.Errorf("csv template = %q", b.String())
				}
				continue
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			first, _ := f.GetCellValue(sheets[0], "A1")
			help, _ := f.GetRows(sheets[len(sheets)-1])
			f.Close()
			want := "Name / नाम *"
			if c.lang == "hi" {
				want = "नाम / Name *"
			}
			if len(sheets) != 2 || first != want {
				t.Errorf("%s template: sheets %v, A1 %q", c.lang, sheets, first)
			}
			joined := fmt.Sprint(help)
			for _, code := range []string{"sri-ganganagar", "Ganganagar", "Jalor", "transgender", "mbc", "bagru-block-print"} {
				if !strings.Contains(joined, code) {
					t.Errorf("%s help sheet lacks %s", c.lang, code)
				}
			}
		}
	})
}

// impZip builds a ZIP holding one entry that claims to unpack to claimed bytes (the real
// size when 0): the shape of a decompression bomb without its weight.
func impZip(t testing.TB, name string, content []byte, claimed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	if claimed == 0 {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	} else {
		w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(content),
			CompressedSize64: uint64(len(content)), UncompressedSize64: claimed})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func asAppError(err error, target **app.Error) bool {
	e, ok := err.(*app.Error)
	if !ok {
		return false
	}
	*target = e
	return true
}
