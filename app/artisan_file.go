package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Limits of one uploaded artisan file. The row limit counts data rows, not the header; the
// unpacked limit keeps a small, highly compressed XLSX (a "zip bomb") from filling memory
// or disk: a real sheet of 100,000 rows unpacks to about 150 MB.
const (
	ArtisanFileMaxBytes    = 32 << 20
	ArtisanFileMaxRows     = 100000
	artisanFileMaxUnpacked = 320 << 20
	artisanFileXMLInMemory = 16 << 20 // larger sheets are unpacked to a temporary file
	artisanFileMaxEntries  = 10000
	artisanFileProgress    = 1000 // rows between progress reports
)

// Keys of file-level problems and of the cell problems found while reading a file.
const (
	importKeyFileType       = "imports.error.file_type"
	importKeyLegacyXLS      = "imports.error.xls"
	importKeyTooLarge       = "imports.error.too_large"     // arg: max (MB)
	importKeyUnpacked       = "imports.error.unpacked"      // arg: max (MB)
	importKeyTooManyRows    = "imports.error.too_many_rows" // arg: max
	importKeyNoRows         = "imports.error.no_rows"
	importKeyUnknownColumns = "imports.error.unknown_columns" // arg: columns
	importKeyMissingColumns = "imports.error.missing_columns" // arg: columns (field names)
	importKeyDuplicateCol   = "imports.error.duplicate_column"
	importKeyBadXLSX        = "imports.error.xlsx"
	importKeyBadCSV         = "imports.error.csv" // arg: row
	importKeyWholeNumber    = "imports.error.whole_number"
	importKeyYesNo          = "imports.error.yes_no"
)

// ArtisanColumn is one column of the import file: an ArtisanInput field, its header in
// English and Hindi, and whether a file must have it.
type ArtisanColumn struct {
	Field    string
	En, Hi   string
	Required bool
	aliases  []string // other headers people write, recognised too
}

// ArtisanColumns are the columns of the import file and its template, in template order.
var ArtisanColumns = []ArtisanColumn{
	{Field: "name", En: "Name", Hi: "नाम", Required: true, aliases: []string{"artisan name", "full name", "कारीगर का नाम"}},
	{Field: "name_hi", En: "Name in Hindi", Hi: "हिन्दी में नाम", aliases: []string{"hindi name", "हिंदी में नाम", "नाम हिन्दी में", "नाम हिंदी में"}},
	{Field: "relative_name", En: "Father's or husband's name", Hi: "पिता या पति का नाम", Required: true,
		aliases: []string{"relative name", "father's name", "father name", "husband's name", "पिता का नाम", "पति का नाम", "पिता/पति का नाम"}},
	{Field: "gender", En: "Gender", Hi: "लिंग", Required: true, aliases: []string{"sex"}},
	{Field: "date_of_birth", En: "Date of birth", Hi: "जन्म तिथि", Required: true, aliases: []string{"dob", "birth date", "जन्मतिथि", "जन्म दिनांक"}},
	{Field: "social_category", En: "Social category", Hi: "सामाजिक वर्ग", Required: true, aliases: []string{"category", "caste category", "वर्ग", "श्रेणी", "जाति वर्ग"}},
	{Field: "disability", En: "Person with disability", Hi: "दिव्यांग", aliases: []string{"disabled", "divyang", "pwd", "disability"}},
	{Field: "mobile", En: "Mobile", Hi: "मोबाइल", Required: true, aliases: []string{"mobile number", "mobile no", "phone", "मोबाइल नंबर", "मोबाइल नम्बर"}},
	{Field: "aadhaar", En: "Aadhaar", Hi: "आधार", aliases: []string{"aadhaar number", "aadhaar no", "aadhar", "aadhar number", "आधार नंबर", "आधार संख्या"}},
	{Field: "district", En: "District", Hi: "जिला", Required: true, aliases: []string{"ज़िला", "जनपद"}},
	{Field: "tehsil", En: "Tehsil", Hi: "तहसील", aliases: []string{"block", "ब्लॉक"}},
	{Field: "village", En: "Village or town", Hi: "गाँव या कस्बा", aliases: []string{"village", "town", "गाँव", "गांव", "ग्राम", "कस्बा"}},
	{Field: "pin_code", En: "PIN code", Hi: "पिन कोड", aliases: []string{"pin", "pincode", "पिनकोड"}},
	{Field: "primary_craft", En: "Main craft", Hi: "मुख्य शिल्प", Required: true, aliases: []string{"craft", "primary craft", "शिल्प"}},
	{Field: "crafts", En: "Other crafts", Hi: "अन्य शिल्प", aliases: []string{"other craft"}},
	{Field: "years_in_craft", En: "Years in craft", Hi: "शिल्प में अनुभव के वर्ष", aliases: []string{"experience", "years of experience", "अनुभव", "अनुभव के वर्ष"}},
	{Field: "pehchan_id", En: "Pehchan card number", Hi: "पहचान कार्ड संख्या", aliases: []string{"pehchan card", "pehchan id", "artisan card", "पहचान कार्ड"}},
	{Field: "weaver_id", En: "Weaver ID", Hi: "बुनकर पहचान संख्या", aliases: []string{"weaver card", "बुनकर पहचान पत्र"}},
	{Field: "udyam", En: "Udyam registration", Hi: "उद्यम पंजीयन", aliases: []string{"udyam number", "udyam registration number", "उद्यम पंजीयन संख्या"}},
	{Field: "pan", En: "PAN", Hi: "पैन", aliases: []string{"pan number", "pan no", "पैन नंबर"}},
	{Field: "gstin", En: "GSTIN", Hi: "जीएसटीआईएन", aliases: []string{"gst", "gst number", "gst no", "जीएसटी नंबर"}},
	{Field: "bank_account", En: "Bank account", Hi: "बैंक खाता", aliases: []string{"bank account number", "account number", "account no", "खाता संख्या", "बैंक खाता संख्या"}},
	{Field: "ifsc", En: "IFSC", Hi: "आईएफएससी", aliases: []string{"ifsc code", "आईएफएससी कोड"}},
	{Field: "organisation_id", En: "Organisation ID", Hi: "संस्था क्रमांक", aliases: []string{"organisation", "organization id", "संस्था आईडी"}},
	// Family members often share one mobile number: "yes" here registers a row although
	// an artisan with that mobile and a similar name exists (artisan.possible_duplicate).
	{Field: "confirm_duplicate", En: "Different person", Hi: "अलग व्यक्ति", aliases: []string{"confirm duplicate", "not a duplicate"}},
}

// ArtisanColumnLabel returns a column's header in lang ("hi" or English), or field itself
// when it names no column.
func ArtisanColumnLabel(field, lang string) string {
	for _, c := range ArtisanColumns {
		if c.Field == field {
			if lang == "hi" {
				return c.Hi
			}
			return c.En
		}
	}
	return field
}

// artisanColumnLabels returns the header of a column in both languages, the reader's first:
// "Name / नाम", so one template serves an office working in either.
func artisanColumnLabels(c ArtisanColumn, lang string) string {
	if lang == "hi" {
		return c.Hi + " / " + c.En
	}
	return c.En + " / " + c.Hi
}

// artisanHeaderIndex maps a normalised header to its field.
var artisanHeaderIndex = func() map[string]string {
	idx := map[string]string{}
	for _, c := range ArtisanColumns {
		keys := append([]string{c.Field, c.En, c.Hi}, c.aliases...)
		for _, k := range keys {
			k = importKey(k)
			if other, dup := idx[k]; dup && other != c.Field {
				panic(fmt.Sprintf("app: import header %q names both %s and %s", k, other, c.Field))
			}
			idx[k] = c.Field
		}
	}
	return idx
}()

var importParenthesis = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)

// artisanHeaderField recognises a header cell: a field name, an English or Hindi label or
// a known other spelling, in any case and spacing, with or without a required marker "*",
// a note in brackets ("Date of birth (DD-MM-YYYY)") or both languages ("नाम / Name").
func artisanHeaderField(h string) (string, bool) {
	if f, ok := artisanHeaderIndex[importKey(h)]; ok {
		return f, true
	}
	bare := importParenthesis.ReplaceAllString(h, " ")
	if f, ok := artisanHeaderIndex[importKey(bare)]; ok {
		return f, true
	}
	found := ""
	for part := range strings.SplitSeq(bare, "/") {
		f, ok := artisanHeaderIndex[importKey(part)]
		switch {
		case !ok:
		case found == "":
			found = f
		case found != f:
			return "", false
		}
	}
	return found, found != ""
}

// importKey is the form headers and names are compared in: NFC, lower case, "_", "-" and
// "." as spaces, single spaces, no apostrophes, no trailing "*" or ":".
func importKey(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	s = strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', '\u00a0':
			return ' '
		case '\'', '’', '‘':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSpace(strings.TrimRight(s, "*: "))
}

// Codes of the enumerated fields with their English and Hindi labels, which the importer
// accepts as well as the codes and the template's Help sheet lists.
var (
	artisanGenderLabels = [][3]string{
		{"female", "Female", "महिला"}, {"male", "Male", "पुरुष"},
		{"transgender", "Transgender", "ट्रांसजेंडर"}, {"other", "Other", "अन्य"},
	}
	artisanCategoryLabels = [][3]string{
		{"sc", "Scheduled Caste", "अनुसूचित जाति"}, {"st", "Scheduled Tribe", "अनुसूचित जनजाति"},
		{"obc", "Other Backward Class", "अन्य पिछड़ा वर्ग"}, {"mbc", "Most Backward Class", "अति पिछड़ा वर्ग"},
		{"ews", "Economically Weaker Section", "आर्थिक रूप से कमज़ोर वर्ग"}, {"general", "General", "सामान्य"},
	}
	artisanGenderIndex = importCodeIndex(artisanGenderLabels, map[string]string{
		"f": "female", "m": "male", "t": "transgender", "tg": "transgender", "स्त्री": "female",
		"उभयलिंगी": "transgender", "किन्नर": "transgender", "woman": "female", "man": "male",
	})
	artisanCategoryIndex = importCodeIndex(artisanCategoryLabels, map[string]string{
		"other backward classes": "obc", "most backward classes": "mbc", "scheduled castes": "sc",
		"scheduled tribes": "st", "gen": "general", "ur": "general", "unreserved": "general",
		"अजा": "sc", "अजजा": "st", "अपिव": "obc", "ओबीसी": "obc", "एमबीसी": "mbc", "ईडब्ल्यूएस": "ews",
		"आर्थिक रूप से कमजोर वर्ग": "ews", "अनारक्षित": "general",
	})
	importYes = []string{"yes", "y", "true", "1", "हाँ", "हां", "हा"}
	importNo  = []string{"", "no", "n", "false", "0", "नहीं", "ना"}
)

func importCodeIndex(labels [][3]string, extra map[string]string) map[string]string {
	idx := map[string]string{}
	for _, l := range labels {
		for _, k := range l {
			idx[importKey(k)] = l[0]
		}
	}
	for k, v := range extra {
		idx[importKey(k)] = v
	}
	return idx
}

// artisanFileRefs recognise districts and crafts by slug, English or Hindi name, and for
// districts the other spellings the districts table lists ("Ganganagar", "Jalor").
type artisanFileRefs struct {
	districts map[string]string
	crafts    map[string]string
}

func loadArtisanFileRefs(ctx context.Context, db bun.IDB) (*artisanFileRefs, error) {
	refs := &artisanFileRefs{districts: map[string]string{}, crafts: map[string]string{}}
	var ds []District
	if err := db.NewSelect().Model(&ds).Column("slug", "name_en", "name_hi", "aliases").OrderExpr("slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("artisans: file: districts: %w", err)
	}
	for _, d := range ds {
		for _, k := range append([]string{d.Slug, d.NameEn, d.NameHi}, strings.Split(d.Aliases, "|")...) {
			if k = importKey(k); k != "" {
				refs.districts[k] = d.Slug
			}
		}
	}
	var cs []Craft
	if err := db.NewSelect().Model(&cs).Column("slug", "name_en", "name_hi").OrderExpr("slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("artisans: file: crafts: %w", err)
	}
	for _, c := range cs {
		for _, k := range []string{c.Slug, c.NameEn, c.NameHi} {
			if k = importKey(k); k != "" {
				refs.crafts[k] = c.Slug
			}
		}
	}
	return refs, nil
}

// importLookup returns the code idx has for s, or s itself, which validation then reports in
// its own words ("unknown district").
func importLookup(idx map[string]string, s string) string {
	if code, ok := idx[importKey(s)]; ok {
		return code
	}
	return strings.TrimSpace(s)
}

// ArtisanFile is an uploaded file read into artisan inputs: Inputs[i] comes from the sheet
// row Rows[i] (the header is row 1; blank rows are skipped). Problems are the cells that
// could not be read at all, by sheet row; whatever else is wrong validation finds.
type ArtisanFile struct {
	Inputs   []ArtisanInput
	Rows     []int
	Problems RowErrors
	Fields   []string // the columns the file has, in its order
}

// ParseArtisanFile reads a CSV or XLSX file of artisans; see ReadArtisanFile. Its RowErrors
// number rows as the sheet does.
func ParseArtisanFile(ctx context.Context, db bun.IDB, r io.Reader, name string, onProgress func(done, total int)) ([]ArtisanInput, RowErrors, error) {
	f, err := ReadArtisanFile(ctx, db, r, name, onProgress)
	if err != nil {
		return nil, nil, err
	}
	return f.Inputs, f.Problems, nil
}

// ReadArtisanFile reads a CSV (UTF-8 with or without BOM, or UTF-16 as Excel's "Unicode
// text"; comma, semicolon or tab separated) or XLSX file of artisans. The content decides
// the format, not the name: anything else is refused. The first non-blank row is the
// header; see ArtisanColumns. Values are turned into ArtisanInput: districts and crafts
// found by slug, name or alias, codes by English or Hindi label, dates from DD-MM-YYYY,
// DD/MM/YYYY, YYYY-MM-DD or an Excel date. A problem with the file as a whole is an
// EINVALID *Error; onProgress (may be nil) hears every 1,000 rows and at the end, with
// total an estimate until then. The name is not used to decide anything.
func ReadArtisanFile(ctx context.Context, db bun.IDB, r io.Reader, _ string, onProgress func(done, total int)) (*ArtisanFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, ArtisanFileMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("artisans: file: read: %w", err)
	}
	return readArtisanFile(ctx, db, data, onProgress)
}

// readArtisanFile is ReadArtisanFile for a file in memory already, which it reads in
// place: the import job holds the upload, and a copy of it was one more file's worth of
// memory while the rows were read.
func readArtisanFile(ctx context.Context, db bun.IDB, data []byte, onProgress func(done, total int)) (*ArtisanFile, error) {
	if len(data) > ArtisanFileMaxBytes {
		return nil, Errorf(EINVALID, importKeyTooLarge, "max", strconv.Itoa(ArtisanFileMaxBytes>>20))
	}
	kind, err := SniffArtisanFile(data)
	if err != nil {
		return nil, err
	}
	refs, err := loadArtisanFileRefs(ctx, db)
	if err != nil {
		return nil, err
	}
	p := &artisanFileParser{ctx: ctx, refs: refs, progress: onProgress, out: &ArtisanFile{}}
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
	if p.progress != nil {
		p.progress(len(p.out.Inputs), len(p.out.Inputs))
	}
	return p.out, nil
}

// SniffArtisanFile tells an XLSX ("xlsx", a ZIP) from a CSV ("csv": UTF-8 or UTF-16 text
// without NUL bytes) by content, and refuses anything else with an EINVALID *Error: a PNG
// renamed .csv, an old binary .xls, a PDF.
func SniffArtisanFile(data []byte) (string, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "", Errorf(EINVALID, importKeyNoRows)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "xlsx", nil
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "", Errorf(EINVALID, importKeyLegacyXLS)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return "", Errorf(EINVALID, importKeyFileType)
		}
		return "csv", nil
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		return "", Errorf(EINVALID, importKeyFileType)
	}
	return "csv", nil
}

// artisanFileParser turns rows of cells into inputs.
type artisanFileParser struct {
	ctx      context.Context
	refs     *artisanFileRefs
	progress func(done, total int)
	estimate int
	date1904 bool
	fields   []string // column index → field ("" = ignored: no header)
	out      *ArtisanFile
}

// row takes one sheet row. The first non-blank row is the header.
func (p *artisanFileParser) row(n int, cells []string) error {
	if importBlank(cells) {
		return nil
	}
	if p.fields == nil {
		return p.header(cells)
	}
	if len(p.out.Inputs) == ArtisanFileMaxRows {
		return Errorf(EINVALID, importKeyTooManyRows, "max", strconv.Itoa(ArtisanFileMaxRows))
	}
	if p.out.Inputs == nil {
		// Sized once from the estimate: grown by append, 100,000 inputs (38 MB) were
		// copied again and again and their last copy was a quarter larger than needed.
		size := min(max(p.estimate, 1), ArtisanFileMaxRows)
		p.out.Inputs, p.out.Rows = make([]ArtisanInput, 0, size), make([]int, 0, size)
	}
	p.out.Inputs = append(p.out.Inputs, p.input(n, cells))
	p.out.Rows = append(p.out.Rows, n)
	if done := len(p.out.Inputs); done%artisanFileProgress == 0 {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if p.progress != nil {
			p.progress(done, max(p.estimate, done))
		}
	}
	return nil
}

func importBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header maps the header cells to fields, refusing unknown and repeated columns and a
// file without a required one. Columns without a header are ignored.
func (p *artisanFileParser) header(cells []string) error {
	fields := make([]string, len(cells))
	var unknown []string
	seen := map[string]bool{}
	for i, h := range cells {
		if strings.TrimSpace(h) == "" {
			continue
		}
		f, ok := artisanHeaderField(h)
		switch {
		case !ok:
			unknown = append(unknown, strconv.Quote(strings.TrimSpace(h)))
		case seen[f]:
			return Errorf(EINVALID, importKeyDuplicateCol, "column", strings.TrimSpace(h))
		default:
			seen[f] = true
			fields[i] = f
			p.out.Fields = append(p.out.Fields, f)
		}
	}
	if len(unknown) > 10 {
		unknown = append(unknown[:10], "…")
	}
	if len(unknown) > 0 {
		return Errorf(EINVALID, importKeyUnknownColumns, "columns", strings.Join(unknown, ", "))
	}
	var missing []string
	for _, c := range ArtisanColumns {
		if c.Required && !seen[c.Field] {
			missing = append(missing, c.Field)
		}
	}
	if len(missing) > 0 {
		return Errorf(EINVALID, importKeyMissingColumns, "columns", strings.Join(missing, ", "))
	}
	p.fields = fields
	return nil
}

// input converts the cells of data row n.
func (p *artisanFileParser) input(n int, cells []string) ArtisanInput {
	var in ArtisanInput
	bad := func(field, key, value string) {
		p.out.Problems = append(p.out.Problems, RowError{Row: n, Field: field, Key: key,
			Args: map[string]string{"value": strings.TrimSpace(value)}})
	}
	for i, v := range cells {
		if i >= len(p.fields) || p.fields[i] == "" {
			continue
		}
		switch field := p.fields[i]; field {
		case "name":
			in.Name = v
		case "name_hi":
			in.NameHi = v
		case "relative_name":
			in.RelativeName = v
		case "gender":
			in.Gender = importLookup(artisanGenderIndex, v)
		case "date_of_birth":
			in.DateOfBirth = importDate(v, p.date1904)
		case "social_category":
			in.SocialCategory = importLookup(artisanCategoryIndex, v)
		case "disability", "confirm_duplicate":
			switch k := importKey(v); {
			case slices.Contains(importNo, k):
			case !slices.Contains(importYes, k):
				bad(field, importKeyYesNo, v)
			case field == "disability":
				in.Disability = true
			default:
				in.ConfirmDuplicate = true
			}
		case "mobile":
			in.Mobile = importWhole(v)
		case "aadhaar":
			in.Aadhaar = AadhaarNumber(importWhole(v))
		case "district":
			in.District = importLookup(p.refs.districts, v)
		case "tehsil":
			in.Tehsil = v
		case "village":
			in.Village = v
		case "pin_code":
			in.PINCode = importWhole(v)
		case "primary_craft":
			in.PrimaryCraft = importLookup(p.refs.crafts, v)
		case "crafts":
			for c := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ';' || r == '|' }) {
				if c = strings.TrimSpace(c); c != "" {
					in.Crafts = append(in.Crafts, importLookup(p.refs.crafts, c))
				}
			}
		case "years_in_craft":
			if s := importWhole(v); s != "" {
				y, err := strconv.Atoi(s)
				if err != nil {
					bad(field, importKeyWholeNumber, v)
				}
				in.YearsInCraft = y
			}
		case "pehchan_id":
			in.PehchanID = v
		case "weaver_id":
			in.WeaverID = v
		case "udyam":
			in.Udyam = v
		case "pan":
			in.PAN = v
		case "gstin":
			in.GSTIN = v
		case "bank_account":
			in.BankAccount = importWhole(v)
		case "ifsc":
			in.IFSC = v
		case "organisation_id":
			if s := importWhole(v); s != "" {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil || id <= 0 {
					bad(field, importKeyWholeNumber, v)
				} else {
					in.OrganisationID = &id
				}
			}
		}
	}
	return in
}

var importWholeFloat = regexp.MustCompile(`^[0-9]+\.0+$`)

// importWhole trims a number cell and drops a ".0" a spreadsheet may add to a whole number.
func importWhole(s string) string {
	s = strings.TrimSpace(s)
	if importWholeFloat.MatchString(s) {
		s = s[:strings.IndexByte(s, '.')]
	}
	return s
}

var (
	importSerialDate = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]+)?$`)
	importDateForms  = []string{"2006-1-2", "2-1-2006", "2/1/2006", "2.1.2006", "2006/1/2"}
)

// importDate turns a date cell into YYYY-MM-DD: from an Excel date (a day count), from
// YYYY-MM-DD, or from day first as India writes it (DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY).
// A time after the date is ignored. Anything else is returned as it is, for validation to
// report.
func importDate(s string, date1904 bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if importSerialDate.MatchString(s) {
		// Day 3653 is 1910-01-01: smaller numbers are more likely a year typed alone
		// ("1980"), which validation should refuse as it is, not as a date of 1905.
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 3653 {
			if t, err := excelize.ExcelDateToTime(f, date1904); err == nil {
				return t.Format(time.DateOnly)
			}
		}
		return s
	}
	day, _, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	for _, layout := range importDateForms {
		if t, err := time.Parse(layout, day); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return s
}

// readXLSX reads the first sheet of a workbook, never unpacking more than the limits.
func (p *artisanFileParser) readXLSX(data []byte) error {
	if err := checkUnpackedSize(data); err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: artisanFileMaxUnpacked, UnzipXMLSizeLimit: artisanFileXMLInMemory,
	})
	if err != nil {
		return &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	defer f.Close()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		p.date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Errorf(EINVALID, importKeyBadXLSX)
	}
	if dim, err := f.GetSheetDimension(sheets[0]); err == nil {
		if _, end, ok := strings.Cut(dim, ":"); ok {
			if _, rows, err := excelize.CellNameToCoordinates(end); err == nil {
				p.estimate = rows - 1
			}
		}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
		}
		if err := p.row(n, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	return nil
}

// checkUnpackedSize refuses a ZIP whose entries would unpack to more than the limit, or
// that has more entries than any workbook needs, before anything is unpacked. The sizes
// are those the archive declares; archive/zip fails an entry that unpacks to more.
func checkUnpackedSize(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	if len(z.File) > artisanFileMaxEntries {
		return Errorf(EINVALID, importKeyUnpacked, "max", strconv.Itoa(artisanFileMaxUnpacked>>20))
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > artisanFileMaxUnpacked {
			return Errorf(EINVALID, importKeyUnpacked, "max", strconv.Itoa(artisanFileMaxUnpacked>>20))
		}
	}
	return nil
}

// readCSV reads delimited text. Rows are numbered as a spreadsheet shows the file: a blank
// line is a row, a line break inside a quoted cell is not.
func (p *artisanFileParser) readCSV(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		utf8Data, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.IndexByte(utf8Data, 0) >= 0 {
			return Errorf(EINVALID, importKeyFileType)
		}
		data = utf8Data
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	p.estimate = bytes.Count(data, []byte{'\n'})
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = importDelimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	row, prevLine, prevBreaks := 0, 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				return &Error{Code: EINVALID, Message: Msg(importKeyBadCSV, "row", strconv.Itoa(row+1)), Err: err}
			}
			return fmt.Errorf("artisans: file: csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		// The lines between this record and the last, less the breaks inside the last
		// record's cells, are the rows a spreadsheet would show in between.
		row += max(1, line-prevLine-prevBreaks)
		prevLine, prevBreaks = line, 0
		for _, c := range rec {
			prevBreaks += strings.Count(c, "\n")
		}
		if err := p.row(row, rec); err != nil {
			return err
		}
	}
}

// importDelimiter picks the separator the header line uses most: Excel writes ";" where
// the decimal mark is a comma, and tabs when saving "Unicode text".
func importDelimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	best, bestN := ',', bytes.Count(line, []byte{','})
	for _, d := range []rune{';', '\t'} {
		if n := bytes.Count(line, []byte(string(d))); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// Translate renders a catalogue message in the reader's language; handlers pass views.T
// bound to the language, so app writes translated files without knowing the catalogues.
type Translate func(key string, args map[string]string) string

// WriteArtisanTemplate writes the empty import template. XLSX: a sheet whose header row
// names each column in both languages, the reader's first ("नाम / Name", "*" marks the
// required ones), cells formatted as text so mobile and account numbers keep their digits,
// drop-down suggestions for the coded columns, and a second sheet "Help" that explains
// each column and lists the codes of genders, categories, districts (with their other
// spellings) and crafts. CSV: one header row of field names, UTF-8 with BOM.
func WriteArtisanTemplate(ctx context.Context, db bun.IDB, w io.Writer, format, lang string, tr Translate) error {
	if format == "csv" {
		fields := make([]string, len(ArtisanColumns))
		for i, c := range ArtisanColumns {
			fields[i] = c.Field
		}
		return writeCSV(w, [][]string{fields})
	}
	var districts []District
	if err := db.NewSelect().Model(&districts).Where("active").OrderExpr("slug").Scan(ctx); err != nil {
		return fmt.Errorf("artisans: template: districts: %w", err)
	}
	var crafts []Craft
	if err := db.NewSelect().Model(&crafts).Where("active").OrderExpr("sector, slug").Scan(ctx); err != nil {
		return fmt.Errorf("artisans: template: crafts: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet, help := tr("imports.template.sheet", nil), tr("imports.template.help_sheet", nil)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	if _, err := f.NewSheet(help); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	styles, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(ArtisanColumns))
	if err := f.SetColStyle(sheet, "A:"+last, styles.text); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	if err := f.SetColWidth(sheet, "A", last, 24); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	for i, c := range ArtisanColumns {
		h := artisanColumnLabels(c, lang)
		if c.Required {
			h += " *"
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return fmt.Errorf("artisans: template: %w", err)
		}
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", styles.header); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}

	hw := &helpWriter{f: f, sheet: help, styles: styles, lists: map[string]string{}}
	hw.line(styles.title, tr("imports.template.help_title", nil))
	hw.line(0, tr("imports.template.help_intro", map[string]string{"max": strconv.Itoa(ArtisanFileMaxRows)}))
	hw.blank()
	hw.line(styles.header, tr("imports.template.column", nil), tr("imports.template.required", nil), tr("imports.template.what", nil))
	for _, c := range ArtisanColumns {
		req := ""
		if c.Required {
			req = tr("imports.template.yes", nil)
		}
		hw.line(0, artisanColumnLabels(c, lang), req, tr("imports.template.col."+c.Field, nil))
	}
	lists := []struct {
		field, title string
		head         []string
		rows         [][]string
	}{
		{"gender", tr("imports.template.genders", nil), nil, labelRows(artisanGenderLabels)},
		{"social_category", tr("imports.template.categories", nil), nil, labelRows(artisanCategoryLabels)},
		{"disability", tr("imports.template.yes_no", nil), nil, [][]string{{"yes", "Yes", "हाँ"}, {"no", "No", "नहीं"}}},
		{"confirm_duplicate", "", nil, nil}, // the same yes/no list
		{"district", tr("imports.template.districts", nil), []string{tr("imports.template.aliases", nil)}, districtRows(districts)},
		{"primary_craft", tr("imports.template.crafts", nil), []string{tr("imports.template.sector", nil)}, craftRows(crafts)},
	}
	for _, l := range lists {
		if l.rows == nil {
			hw.lists[l.field] = hw.lists["disability"]
			continue
		}
		hw.blank()
		hw.line(styles.title, l.title)
		hw.line(styles.header, append([]string{tr("imports.template.code", nil), "English", "हिन्दी"}, l.head...)...)
		first := hw.row + 1
		for _, r := range l.rows {
			hw.line(0, r...)
		}
		hw.lists[l.field] = fmt.Sprintf("'%s'!$A$%d:$A$%d", help, first, hw.row)
	}
	if hw.err != nil {
		return fmt.Errorf("artisans: template: help: %w", hw.err)
	}
	if err := f.SetColWidth(help, "A", "A", 28); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	if err := f.SetColWidth(help, "B", "D", 30); err != nil {
		return fmt.Errorf("artisans: template: %w", err)
	}
	// Drop-down suggestions, not rules: "Jaipur" or "जयपुर" typed in is as good as the code.
	for i, c := range ArtisanColumns {
		src, ok := hw.lists[c.Field]
		if !ok {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, ArtisanFileMaxRows+1)
		dv.SetSqrefDropList(src)
		dv.ShowErrorMessage = false
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return fmt.Errorf("artisans: template: list: %w", err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("artisans: template: write: %w", err)
	}
	return nil
}

func labelRows(labels [][3]string) [][]string {
	out := make([][]string, len(labels))
	for i, l := range labels {
		out[i] = l[:]
	}
	return out
}

func districtRows(ds []District) [][]string {
	out := make([][]string, len(ds))
	for i, d := range ds {
		out[i] = []string{d.Slug, d.NameEn, d.NameHi, strings.ReplaceAll(d.Aliases, "|", ", ")}
	}
	return out
}

func craftRows(cs []Craft) [][]string {
	out := make([][]string, len(cs))
	for i, c := range cs {
		out[i] = []string{c.Slug, c.NameEn, c.NameHi, c.Sector}
	}
	return out
}

// helpWriter appends rows to the Help sheet, keeping the first error.
type helpWriter struct {
	f      *excelize.File
	sheet  string
	styles sheetStyles
	row    int
	lists  map[string]string // field → range of its codes
	err    error
}

func (h *helpWriter) blank() { h.row++ }

func (h *helpWriter) line(style int, cells ...string) {
	h.row++
	if h.err != nil {
		return
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = SpreadsheetText(c)
	}
	cell, _ := excelize.CoordinatesToCellName(1, h.row)
	if h.err = h.f.SetSheetRow(h.sheet, cell, &vals); h.err != nil || style == 0 {
		return
	}
	end, _ := excelize.CoordinatesToCellName(max(1, len(cells)), h.row)
	h.err = h.f.SetCellStyle(h.sheet, cell, end, style)
}
