package app

// Fuzz tests of the file importers. They live inside the package because the parsers they
// exercise are unexported; they need no database (the reference lookups are built by hand),
// so `go test` runs them over their seeds and testdata/fuzz corpora in milliseconds, and
// `go test -fuzz FuzzX ./app` searches further.

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// fuzzFileRefs are the lookups the artisan file parser would load from the database.
func fuzzFileRefs() *artisanFileRefs {
	return &artisanFileRefs{
		districts: map[string]string{"jaipur": "jaipur", importKey("जयपुर"): "jaipur", "jodhpur": "jodhpur"},
		crafts:    map[string]string{"block-print": "block-print", importKey("Block printing"): "block-print", "pottery": "pottery"},
	}
}

// fuzzRefs are the reference rows validation checks against.
func fuzzRefs() *artisanRefs {
	return &artisanRefs{
		districts: map[string]bool{"jaipur": true, "jodhpur": true},
		crafts:    map[string]artisanCraftRef{"block-print": {"handicraft", true}, "pottery": {"handicraft", true}},
		orgs:      map[int64]Organisation{},
	}
}

// fuzzXLSX builds a workbook of rows, for seeds that exercise the XLSX path.
func fuzzXLSX(tb testing.TB, rows ...[]string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, c := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, c); err != nil {
				tb.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// checkFileError holds every importer to the same contract for a refused file: an EINVALID
// *Error (never a panic, never an internal error that would answer 500).
func checkFileError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID {
		t.Fatalf("file refused with %v (%T), want an EINVALID *Error", err, err)
	}
}

const fuzzArtisanHeader = "name,relative_name,gender,date_of_birth,social_category,mobile,aadhaar,district,primary_craft"

func addArtisanSeeds(f *testing.F) {
	for _, s := range []string{
		fuzzArtisanHeader + "\nSita Devi,Ram Lal,female,15-08-1980,obc,9829012345,234567890124,jaipur,block-print\n",
		"नाम;पिता या पति का नाम;लिंग;जन्म तिथि;सामाजिक वर्ग;मोबाइल;जिला;मुख्य शिल्प\nसीता;राम;महिला;1980-08-15;अजा;+91 98290 12345;जयपुर;pottery\n",
		"\xEF\xBB\xBF" + fuzzArtisanHeader + "\n\"a\nb\",\"=cmd|' /C calc'!A0\",m,29221,sc,९८२९०१२३४५,2345 6789 0124,Jaipur,Block printing\n",
		fuzzArtisanHeader + ",years_in_craft,organisation_id,disability\nx,y,f,1.1.1990,st,9829012345,,jodhpur,pottery,12.0,-3,maybe\n",
		"name,name\nx,y\n",
		"foo,bar\n1,2\n",
		"\"unterminated\n",
		"\xFF\xFEn\x00a\x00m\x00e\x00",
		"PK\x03\x04garbage",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Add(fuzzXLSX(f, strings.Split(fuzzArtisanHeader, ","),
		[]string{"Gita", "Mohan", "F", "29221", "EWS", "9829012345.0", "234567890124", "JAIPUR", "pottery"}))
}

// FuzzReadArtisanFile: reading either refuses the file with an EINVALID *Error and nothing
// else, or returns inputs each tied to a distinct, increasing sheet row; every cell problem
// names a row that was read. Validation after it never puts an Aadhaar number in a report.
func FuzzReadArtisanFile(f *testing.F) {
	addArtisanSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := fuzzReadArtisanFile(data)
		if err != nil {
			if file != nil {
				t.Fatalf("both a file and an error: %v", err)
			}
			checkFileError(t, err)
			return
		}
		if len(file.Inputs) == 0 || len(file.Inputs) != len(file.Rows) {
			t.Fatalf("%d inputs for %d rows", len(file.Inputs), len(file.Rows))
		}
		for i := 1; i < len(file.Rows); i++ {
			if file.Rows[i] <= file.Rows[i-1] {
				t.Fatalf("rows not increasing: %v", file.Rows)
			}
		}
		for _, p := range file.Problems {
			if !slices.Contains(file.Rows, p.Row) {
				t.Errorf("problem %+v names row %d, not one read", p, p.Row)
			}
		}
		checkNoAadhaarInReport(t, file)
	})
}

func fuzzReadArtisanFile(data []byte) (*ArtisanFile, error) {
	kind, err := SniffArtisanFile(data)
	if err != nil {
		return nil, err
	}
	p := &artisanFileParser{ctx: context.Background(), refs: fuzzFileRefs(), out: &ArtisanFile{}}
	if kind == "xlsx" {
		err = p.readXLSX(data)
	} else {
		err = p.readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	if len(p.out.Inputs) == 0 {
		return nil, Errorf(EINVALID, importKeyNoRows)
	}
	return p.out, nil
}

// checkNoAadhaarInReport validates every input as an import would and checks that no
// problem of the row report carries an Aadhaar number the file gave, in any form.
func checkNoAadhaarInReport(t *testing.T, file *ArtisanFile) {
	t.Helper()
	var valid RowErrors
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, artisanIST)
	secrets := map[int]string{}
	given := &ArtisanFile{Inputs: slices.Clone(file.Inputs), Rows: file.Rows} // for otherCells
	raw := normalizeImportRows(file.Inputs)
	for i := range file.Inputs {
		in := &file.Inputs[i]
		if len(in.Aadhaar) >= 8 {
			secrets[file.Rows[i]] = string(in.Aadhaar)
		}
		v := Invalid{}
		validateArtisan(v, in, fuzzRefs(), today, nil)
		for field, m := range v {
			valid = append(valid, RowError{Row: i + 1, Field: field, Key: m.Key, Args: m.Args})
		}
	}
	for _, p := range importProblems(file, raw, file.Problems, valid) {
		if p.Field == "aadhaar" && (p.Value != importRedacted || len(p.Args) > 0) {
			t.Errorf("row %d: Aadhaar problem shows %q %v", p.Row, p.Value, p.Args)
		}
		secret, ok := secrets[p.Row]
		if !ok || p.Field == "aadhaar" || strings.Contains(otherCells(given, p.Row), secret) {
			continue // the same digits typed in another column are that column's, not a leak
		}
		text := p.Value
		for _, a := range p.Args {
			text += " " + a
		}
		if strings.Contains(NormalizeDigits(text), secret) {
			t.Errorf("row %d field %s: report %q carries the Aadhaar number", p.Row, p.Field, text)
		}
	}
}

// otherCells is the text of every field but the Aadhaar of the input read from sheet row.
func otherCells(file *ArtisanFile, row int) string {
	i := slices.Index(file.Rows, row)
	if i < 0 {
		return ""
	}
	var b strings.Builder
	for _, c := range ArtisanColumns {
		if c.Field != "aadhaar" {
			b.WriteString(NormalizeDigits(artisanInputValue(&file.Inputs[i], c.Field)))
			b.WriteByte(0)
		}
	}
	return b.String()
}

// FuzzArtisanAadhaarNeverReported puts an Aadhaar number next to cells that fail in every
// way a cell can, and requires the row report to show it nowhere.
func FuzzArtisanAadhaarNeverReported(f *testing.F) {
	f.Add("234567890124", "x", "99", "abc")
	f.Add("2345 6789 0124", "", "2345", "1.5")
	f.Add("२३४५६७८९०१२४", "<b>", "-1", "maybe")
	f.Add("123456789012", "2345678901245", "0", "")
	f.Fuzz(func(t *testing.T, aadhaar, name, years, disability string) {
		clean := NormalizeDigits(aadhaar)
		if len(clean) < 8 || !allASCIIDigits(clean) {
			return
		}
		row := []string{name, "R", "f", "1980-01-01", "sc", "9829012345", aadhaar, "jaipur", "pottery", years, disability}
		header := append(strings.Split(fuzzArtisanHeader, ","), "years_in_craft", "disability")
		file, err := fuzzReadArtisanFile(fuzzXLSX(t, header, row))
		if err != nil {
			checkFileError(t, err)
			return
		}
		checkNoAadhaarInReport(t, file)
	})
}

// FuzzParseSaleFile, FuzzParseEnrolmentFile and FuzzParseOnboardingFile hold the three
// statement importers to one contract: rows or a file error, never both; every cell
// problem names a row that was read; row numbers increase.
func FuzzParseSaleFile(f *testing.F) {
	for _, s := range []string{
		"store_id,date,amount,quantity,artisan_id,invoice_no,payment_mode\n1,2026-10-05,\"₹1,234.50\",2,7,INV-1,UPI\n",
		"store_id;date;amount\n1;05/10/2026;-5\n\n1;46000;12,34,567\n",
		"store_id,date,amount,corrects_sale_id\nx,yesterday,₹,0\n",
		"store_id,store_id\n1,1\n",
		"amount\n1\n",
		"\xFF\xFEs\x00",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Add(fuzzXLSX(f, []string{"store_id", "date", "amount", "craft", "product"}, []string{"1", "46300", "100", "=HYPERLINK(\"x\")", "@SUM(A1)"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := parseSaleFile(data)
		nums := make([]int, len(rows))
		for i, r := range rows {
			nums[i] = r.n
		}
		checkParsed(t, len(rows), nums, problems, err, SaleImportMaxRows)
	})
}

func FuzzParseEnrolmentFile(f *testing.F) {
	for _, s := range []string{
		"artisan_id,scheme,applied_on,note\n7,pm-vishwakarma,15-10-2026,पहली किस्त\n",
		"artisan_id,scheme\n-1,X\n0,\n",
		"scheme\nx\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := parseEnrolmentFile(data)
		nums := make([]int, len(rows))
		for i, r := range rows {
			nums[i] = r.n
		}
		checkParsed(t, len(rows), nums, problems, err, EnrolmentImportMaxRows)
	})
}

func FuzzParseOnboardingFile(f *testing.F) {
	for _, s := range []string{
		"artisan_id,platform,stage,seller_id,live_listings,last_sale_on\n7,amazon,Account created,A1B2,3,2026-10-01\n",
		"artisan_id,platform,stage\n,gem,live\nx,ondc,\n",
		"platform\namazon\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := parseOnboardingFile(data)
		nums := make([]int, len(rows))
		for i, r := range rows {
			nums[i] = r.n
		}
		checkParsed(t, len(rows), nums, problems, err, OnboardingImportMaxRows)
	})
}

func checkParsed(t *testing.T, n int, nums []int, problems RowErrors, err error, maxRows int) {
	t.Helper()
	if err != nil {
		if n > 0 || len(problems) > 0 {
			t.Fatalf("%d rows and %d problems with the error %v", n, len(problems), err)
		}
		checkFileError(t, err)
		return
	}
	if n == 0 || n > maxRows {
		t.Fatalf("%d rows without an error", n)
	}
	for i := 1; i < len(nums); i++ {
		if nums[i] <= nums[i-1] {
			t.Fatalf("row numbers not increasing: %v", nums)
		}
	}
	for _, p := range problems {
		if !slices.Contains(nums, p.Row) {
			t.Errorf("problem %+v names row %d, not one read", p, p.Row)
		}
	}
}

// FuzzImportDate: whatever a date cell holds, the result is either a real YYYY-MM-DD date,
// which reads back unchanged, or the trimmed cell itself for validation to report.
func FuzzImportDate(f *testing.F) {
	for _, s := range []string{"15-08-1980", "15/8/1980", "1980-08-15", "15.08.1980", "29221", "29221.75",
		"1980", "31-02-2000", "2026-10-05T10:00:00", " 2026/10/5 ", "999999", ""} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		got := importDate(s, date1904)
		if got == strings.TrimSpace(s) {
			return
		}
		d, err := time.Parse(time.DateOnly, got)
		if err != nil || d.Format(time.DateOnly) != got {
			t.Fatalf("importDate(%q) = %q: neither a date nor the cell", s, got)
		}
		if again := importDate(got, date1904); again != got {
			t.Errorf("importDate(%q) = %q, not stable", got, again)
		}
	})
}

// FuzzImportKey: the comparison form of headers and names is stable, so a label found once
// is found again however often it is normalised.
func FuzzImportKey(f *testing.F) {
	for _, s := range []string{"Father's name*", "  पिता  या_पति का नाम: ", "ज़िला", "ज़िला", "PIN-code.", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := importKey(s)
		if importKey(k) != k {
			t.Errorf("importKey(%q) = %q, not stable", s, k)
		}
		if field, ok := artisanHeaderField(s); ok && !slices.ContainsFunc(ArtisanColumns, func(c ArtisanColumn) bool { return c.Field == field }) {
			t.Errorf("header %q maps to unknown field %q", s, field)
		}
	})
}
