package app

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Export formats; the import reads both.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// artisanExportBatch is how many records one query of an export reads.
const artisanExportBatch = 1000

// artisanExportColumn is one column of an export: the import columns plus what only the
// registry knows (id, number, status, sector, the last digits of Aadhaar, when created).
type artisanExportColumn struct {
	field, en, hi string
	value         func(a *Artisan) any
}

var artisanExportColumns = func() []artisanExportColumn {
	text := func(get func(a *Artisan) string) func(a *Artisan) any {
		return func(a *Artisan) any { return get(a) }
	}
	own := map[string]func(a *Artisan) any{
		"name":            text(func(a *Artisan) string { return a.Name }),
		"name_hi":         text(func(a *Artisan) string { return a.NameHi }),
		"relative_name":   text(func(a *Artisan) string { return a.RelativeName }),
		"gender":          text(func(a *Artisan) string { return a.Gender }),
		"date_of_birth":   text(func(a *Artisan) string { return a.DateOfBirth }),
		"social_category": text(func(a *Artisan) string { return a.SocialCategory }),
		"disability": text(func(a *Artisan) string {
			if a.Disability {
				return "yes"
			}
			return "no"
		}),
		"mobile":         text(func(a *Artisan) string { return a.Mobile }),
		"district":       text(func(a *Artisan) string { return a.District }),
		"tehsil":         text(func(a *Artisan) string { return a.Tehsil }),
		"village":        text(func(a *Artisan) string { return a.Village }),
		"pin_code":       text(func(a *Artisan) string { return a.PINCode }),
		"primary_craft":  text(func(a *Artisan) string { return a.PrimaryCraft }),
		"crafts":         text(func(a *Artisan) string { return strings.Join(a.Crafts, ";") }),
		"years_in_craft": func(a *Artisan) any { return a.YearsInCraft },
		"pehchan_id":     text(func(a *Artisan) string { return a.PehchanID }),
		"weaver_id":      text(func(a *Artisan) string { return a.WeaverID }),
		"udyam":          text(func(a *Artisan) string { return a.Udyam }),
		"pan":            text(func(a *Artisan) string { return a.PAN }),
		"gstin":          text(func(a *Artisan) string { return a.GSTIN }),
		"bank_account":   text(func(a *Artisan) string { return a.BankAccount }),
		"ifsc":           text(func(a *Artisan) string { return a.IFSC }),
		"organisation_id": func(a *Artisan) any {
			if a.OrganisationID == nil {
				return ""
			}
			return *a.OrganisationID
		},
	}
	cols := []artisanExportColumn{
		{"id", "Record number", "अभिलेख क्रमांक", func(a *Artisan) any { return a.ID }},
		{"registration_no", "Registration number", "पंजीयन संख्या", text(func(a *Artisan) string {
			if a.RegistrationNo == nil {
				return ""
			}
			return *a.RegistrationNo
		})},
		{"status", "Status", "स्थिति", text(func(a *Artisan) string { return a.Status })},
	}
	for _, c := range ArtisanColumns {
		if own[c.Field] == nil && c.Field != "aadhaar" {
			continue // an instruction to the importer, not part of the record
		}
		if c.Field == "aadhaar" {
			// The number is never stored; its last four digits are all there is to show.
			cols = append(cols, artisanExportColumn{"aadhaar_last4", "Aadhaar, last 4 digits", "आधार के अंतिम 4 अंक",
				text(func(a *Artisan) string { return a.AadhaarLast4 })})
			continue
		}
		cols = append(cols, artisanExportColumn{c.Field, c.En, c.Hi, own[c.Field]})
		if c.Field == "primary_craft" {
			cols = append(cols, artisanExportColumn{"sector", "Sector", "क्षेत्र", text(func(a *Artisan) string { return a.Sector })})
		}
	}
	return append(cols, artisanExportColumn{"created_at", "Created on", "दर्ज करने की तिथि",
		text(func(a *Artisan) string { return a.CreatedAt.In(artisanIST).Format("2006-01-02 15:04") })})
}()

// Export writes every artisan the filter selects (its cursor, limit and sort are ignored;
// records come in the order they were created) as CSV or XLSX, within the districts where
// the actor may both read and export artisans. Mobile, PAN and bank account are masked in
// the districts where the actor may not view personal details, as on screen; every text
// cell is safe from formula injection (see SpreadsheetText). The export is recorded in the
// audit log with its filter and row count once it is written, before the caller sends it:
// callers write into a temporary file, so nothing leaves unrecorded. It returns the number
// of records written.
func (s *Artisans) Export(ctx context.Context, actor Actor, f ArtisanFilter, format, lang string, w io.Writer) (int, error) {
	scope := s.scope(actor, "export")
	if scope.Empty() {
		return 0, ErrForbidden
	}
	f.Cursor, f.Limit, f.Sort = "", 0, ""
	var out sheetOut
	switch format {
	case FormatCSV:
		out = newCSVSheet(w)
	case FormatXLSX:
		x, err := newXLSXSheet(w, sheetName(lang, "Artisans", "कारीगर"))
		if err != nil {
			return 0, err
		}
		defer x.close()
		out = x
	default:
		return 0, Invalid{"format": Msg(artisanKeyChoice)}.Err()
	}
	head := make([]any, len(artisanExportColumns))
	for i, c := range artisanExportColumns {
		head[i] = c.field
		if format == FormatXLSX {
			head[i] = artisanColumnLabels(ArtisanColumn{En: c.en, Hi: c.hi}, lang)
		}
	}
	if err := out.header(head, 20); err != nil {
		return 0, err
	}
	sr := parseArtisanSearch(f.Q)
	n, last := 0, int64(0)
	for {
		var rows []Artisan
		q := s.filterArtisans(s.selectArtisans(s.DB, actor, &rows), f, sr)
		q = scope.Apply(q, "a.district").Where("a.id > ?", last).OrderExpr("a.id ASC").Limit(artisanExportBatch)
		if err := q.Scan(ctx); err != nil {
			return n, fmt.Errorf("artisans: export: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		if err := s.finish(ctx, actor, rows); err != nil {
			return n, err
		}
		for i := range rows {
			vals := make([]any, len(artisanExportColumns))
			for j, c := range artisanExportColumns {
				vals[j] = c.value(&rows[i])
			}
			if err := out.row(vals); err != nil {
				return n, err
			}
			n++
		}
		last = rows[len(rows)-1].ID
		if len(rows) < artisanExportBatch {
			break
		}
	}
	if err := out.finish(); err != nil {
		return n, err
	}
	type exported struct {
		Filter ArtisanFilter `json:"filter"`
		Format string        `json:"format"`
		Rows   int           `json:"rows"`
	}
	if err := RecordAudit(ctx, s.DB, actor, Change{Entity: artisanObject, Action: "export", District: f.District,
		After: exported{Filter: f, Format: format, Rows: n}}); err != nil {
		return n, err
	}
	return n, nil
}

func sheetName(lang, en, hi string) string {
	if lang == "hi" {
		return hi
	}
	return en
}

// SpreadsheetText makes a text safe to put in a spreadsheet cell: one that starts with
// "=", "+", "-", "@", a tab or a carriage return would be read as a formula by Excel or
// LibreOffice (=HYPERLINK(...) sending the reader to a hostile site, say), so it gets a
// leading apostrophe and shows as the text it is.
func SpreadsheetText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// sheetOut is one sheet being written, as CSV or XLSX.
type sheetOut interface {
	header(cells []any, width float64) error
	row(cells []any) error
	finish() error
}

// csvSheet writes UTF-8 CSV with a BOM (without it Excel shows Devanagari as mojibake)
// and CRLF line ends, as Excel writes them.
type csvSheet struct {
	buf *bufio.Writer
	w   *csv.Writer
	rec []string
}

func newCSVSheet(w io.Writer) *csvSheet {
	buf := bufio.NewWriterSize(w, 64<<10)
	buf.WriteString("\uFEFF") //nolint:errcheck // a write error surfaces at Flush
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	return &csvSheet{buf: buf, w: cw}
}

func (c *csvSheet) header(cells []any, _ float64) error { return c.row(cells) }

func (c *csvSheet) row(cells []any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		switch v := v.(type) {
		case string:
			c.rec = append(c.rec, SpreadsheetText(v))
		default:
			c.rec = append(c.rec, fmt.Sprint(v))
		}
	}
	if err := c.w.Write(c.rec); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	return nil
}

func (c *csvSheet) finish() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	if err := c.buf.Flush(); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	return nil
}

// writeCSV writes whole rows of text as a CSV file.
func writeCSV(w io.Writer, rows [][]string) error {
	c := newCSVSheet(w)
	for _, r := range rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = v
		}
		if err := c.row(cells); err != nil {
			return err
		}
	}
	return c.finish()
}

// xlsxSheet streams rows into a one-sheet workbook: excelize keeps rows beyond its buffer
// in a temporary file, so memory stays flat whatever the row count.
type xlsxSheet struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	styles sheetStyles
	n      int
}

func newXLSXSheet(w io.Writer, name string) (*xlsxSheet, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	styles, err := newSheetStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return &xlsxSheet{w: w, f: f, sw: sw, styles: styles}, nil
}

func (x *xlsxSheet) header(cells []any, width float64) error {
	if err := x.sw.SetColWidth(1, max(1, len(cells)), width); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	row := make([]any, len(cells))
	for i, v := range cells {
		row[i] = excelize.Cell{StyleID: x.styles.header, Value: xlsxValue(v)}
	}
	return x.put(row)
}

func (x *xlsxSheet) row(cells []any) error {
	for i, v := range cells {
		cells[i] = xlsxValue(v)
	}
	return x.put(cells)
}

func (x *xlsxSheet) put(cells []any) error {
	x.n++
	cell, _ := excelize.CoordinatesToCellName(1, x.n)
	if err := x.sw.SetRow(cell, cells); err != nil {
		return fmt.Errorf("xlsx: row %d: %w", x.n, err)
	}
	return nil
}

func xlsxValue(v any) any {
	if s, ok := v.(string); ok {
		return SpreadsheetText(s)
	}
	return v
}

func (x *xlsxSheet) finish() error {
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush: %w", err)
	}
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

func (x *xlsxSheet) close() { x.f.Close() }

// sheetStyles are the few cell styles our workbooks use.
type sheetStyles struct {
	header, title, text int
}

func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E4DA"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	}); err != nil {
		return s, fmt.Errorf("xlsx: style: %w", err)
	}
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return s, fmt.Errorf("xlsx: style: %w", err)
	}
	// Number format 49 is "@", text: a typed mobile or account number keeps every digit.
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
		return s, fmt.Errorf("xlsx: style: %w", err)
	}
	return s, nil
}

// WriteImportReport writes the problems of an import as an XLSX sheet: row, column (its
// header in lang), the value found and the message, translated by tr. Aadhaar values
// never reach a problem (see ImportProblem); every text is safe from formula injection.
func WriteImportReport(w io.Writer, problems []ImportProblem, lang string, tr Translate) error {
	x, err := newXLSXSheet(w, sheetName(lang, "Problems", "त्रुटियाँ"))
	if err != nil {
		return err
	}
	defer x.close()
	head := []any{tr("imports.report.row", nil), tr("imports.report.column", nil),
		tr("imports.report.value", nil), tr("imports.report.message", nil)}
	if err := x.header(head, 30); err != nil {
		return err
	}
	for _, p := range problems {
		if err := x.row([]any{p.Row, ArtisanColumnLabel(p.Field, lang), p.Value, tr(p.Key, p.Args)}); err != nil {
			return err
		}
	}
	return x.finish()
}

// ExportFileName names a downloaded file by the day in India: artisans-2026-11-26.xlsx.
func ExportFileName(prefix, format string) string {
	return prefix + "-" + time.Now().In(artisanIST).Format(time.DateOnly) + "." + format
}
