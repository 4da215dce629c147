package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// namedTable is a table as drawn, with the heading it was drawn under.
type namedTable struct {
	Section string
	Table   Table
}

// DistrictXLSX returns every table of the district report as an XLSX workbook, one sheet
// per table in the order of the PDF, with the same headings in lang. The tables are
// taken from the laid-out report itself, so the workbook cannot disagree with the PDF.
func DistrictXLSX(r *app.DistrictReport, lang string) ([]byte, error) {
	d, err := districtDoc(r, lang, nil)
	if err != nil {
		return nil, err
	}
	return tablesXLSX(d.tables)
}

// StateXLSX returns the state summary's tables as an XLSX workbook.
func StateXLSX(r *app.StateReport, lang string) ([]byte, error) {
	d, err := stateDoc(r, lang, nil)
	if err != nil {
		return nil, err
	}
	return tablesXLSX(d.tables)
}

// DistrictXLSXFilename is jaipur-2026-10.xlsx.
func DistrictXLSXFilename(r *app.DistrictReport) string {
	return strings.TrimSuffix(DistrictFilename(r), ".pdf") + ".xlsx"
}

var (
	rupeeCell   = regexp.MustCompile(`^-?₹[0-9,]+(\.[0-9]+)?$`)
	countCell   = regexp.MustCompile(`^-?[0-9][0-9,]*$`)
	percentCell = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?%$`)
)

// xlsxStyles are the cell formats: rupees and counts in Indian grouping, percentages.
type xlsxStyles struct{ header, rupees, count, percent int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	// Lakh and crore grouping: 12,34,567.
	indian := `[>=10000000]##\,##\,##\,##0;[>=100000]##\,##\,##0;##,##0`
	rupees := `[>=10000000]"₹"##\,##\,##\,##0;[>=100000]"₹"##\,##\,##0;"₹"##,##0`
	if s.rupees, err = f.NewStyle(&excelize.Style{CustomNumFmt: &rupees}); err != nil {
		return s, err
	}
	if s.count, err = f.NewStyle(&excelize.Style{CustomNumFmt: &indian}); err != nil {
		return s, err
	}
	pct := "+0.0%;-0.0%;0.0%"
	s.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	return s, err
}

func tablesXLSX(tables []namedTable) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, fmt.Errorf("reports: xlsx styles: %w", err)
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t, used)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return nil, fmt.Errorf("reports: xlsx sheet %q: %w", name, err)
		}
		if err := writeSheet(f, name, t.Table, st); err != nil {
			return nil, fmt.Errorf("reports: xlsx sheet %q: %w", name, err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("reports: write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// sheetName names a table's sheet by its heading, or heading and first column where
// several tables share a heading, within Excel's 31 characters and without the
// characters it forbids.
func sheetName(t namedTable, used map[string]bool) string {
	clean := strings.NewReplacer("[", "(", "]", ")", ":", " ", "*", " ", "?", " ", "/", "-", `\`, "-")
	base := clean.Replace(strings.TrimSpace(t.Section))
	if base == "" || used[truncRunes(base, 31)] {
		base = strings.TrimSpace(base + " " + clean.Replace(t.Table.Columns[0].Title))
	}
	name := truncRunes(base, 31)
	for n := 2; used[name] || name == ""; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		name = truncRunes(base, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[name] = true
	return name
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return strings.TrimSpace(string(r))
}

func writeSheet(f *excelize.File, sheet string, t Table, st xlsxStyles) error {
	for c, col := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		if err := f.SetCellStr(sheet, cell, app.SpreadsheetText(col.Title)); err != nil {
			return err
		}
		width := 14.0
		if col.Width == 0 {
			width = 36
		}
		colName, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, colName, colName, width); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), 1)
	if err := f.SetCellStyle(sheet, "A1", last, st.header); err != nil {
		return err
	}
	for r, row := range t.Rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := writeCell(f, sheet, cell, v, st); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// writeCell turns the PDF's formatted figures back into numbers with a format, so the
// workbook adds up: ₹12,34,567 is 1234567 shown in rupees, +55.0% is 0.55.
func writeCell(f *excelize.File, sheet, cell, v string, st xlsxStyles) error {
	plain := strings.NewReplacer("₹", "", ",", "", "%", "", "+", "").Replace(v)
	switch {
	case rupeeCell.MatchString(v):
		n, err := strconv.ParseFloat(plain, 64)
		if err == nil {
			if err := f.SetCellFloat(sheet, cell, n, -1, 64); err != nil {
				return err
			}
			return f.SetCellStyle(sheet, cell, cell, st.rupees)
		}
	case countCell.MatchString(v):
		n, err := strconv.ParseInt(plain, 10, 64)
		if err == nil {
			if err := f.SetCellInt(sheet, cell, n); err != nil {
				return err
			}
			return f.SetCellStyle(sheet, cell, cell, st.count)
		}
	case percentCell.MatchString(v):
		n, err := strconv.ParseFloat(plain, 64)
		if err == nil {
			if err := f.SetCellFloat(sheet, cell, n/100, -1, 64); err != nil {
				return err
			}
			return f.SetCellStyle(sheet, cell, cell, st.percent)
		}
	}
	return f.SetCellStr(sheet, cell, app.SpreadsheetText(v))
}
