package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
)

// EnrolmentImportMaxRows caps one bulk enrolment file: a camp or a district drive is far
// less.
const EnrolmentImportMaxRows = 5000

const (
	enrolmentKeyImportFailed = "enrolment.import_failed" // arg: count
	enrolmentKeyImportNoRows = "enrolment.import_no_rows"
	enrolmentKeyDistrictDeny = "enrolment.district_denied"   // arg: district
	enrolmentKeyDuplicate    = "enrolment.duplicate_in_file" // arg: row
)

// enrolmentColumns are the columns of a bulk enrolment file. artisan_id is the id the
// artisan has in the API and on the artisan's page; scheme is the scheme's slug.
var enrolmentColumns = []importColumn{
	{"artisan_id", true, []string{"artisan", "artisan id", "कारीगर", "कारीगर आईडी", "कारीगर संख्या"}},
	{"scheme", true, []string{"scheme slug", "scheme code", "योजना", "योजना कोड"}},
	{"applied_on", true, []string{"applied date", "applied", "application date", "date of application", "आवेदन तिथि", "आवेदन दिनांक", "आवेदन की तिथि"}},
	{"note", false, []string{"notes", "remarks", "remark", "टिप्पणी"}},
}

var enrolmentHeaderIndex = importHeaderIndex(enrolmentColumns)

// EnrolmentImportResult tells what Import did: the enrolments it created, the rows it
// skipped because the artisan has that enrolment already, and, when it refused the file,
// the problems by sheet row.
type EnrolmentImportResult struct {
	Created  int       `json:"created"`
	Existing int       `json:"existing"`
	IDs      []int64   `json:"ids"`
	Errors   RowErrors `json:"errors,omitempty"`
}

// enrolmentRow is one data row of the file and its sheet row number; artisanID is -1
// when the cell was not a number.
type enrolmentRow struct {
	n         int
	artisanID int64
	scheme    string
	appliedOn string
	note      string
}

// Import enrols many artisans from a CSV or XLSX file (see EnrolmentImportTemplate), all
// or nothing: every row is checked as Apply checks an application (the artisan in the
// actor's enrolment:import districts, the scheme open on the day applied, each
// eligibility rule, the month open), and if any row fails nothing is saved and the result's
// Errors lists the problems by sheet row, returned together with an EINVALID error
// wrapping the same RowErrors. A row whose artisan has an open enrolment in the scheme,
// or one applied on the same day, counts as existing and is skipped, so uploading a file
// twice adds nothing.
func (s *Enrolments) Import(ctx context.Context, actor Actor, data []byte) (*EnrolmentImportResult, error) {
	if s.scope(actor, "import").Empty() {
		return nil, ErrForbidden
	}
	rows, problems, err := parseEnrolmentFile(data)
	if err != nil {
		return nil, err
	}
	res := &EnrolmentImportResult{IDs: []int64{}}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		plan, err := s.planImport(ctx, tx, actor, rows, problems)
		if err != nil {
			return err
		}
		if len(plan.problems) > 0 {
			res.Errors = sortRowErrors(plan.problems)
			return &Error{Code: EINVALID, Err: res.Errors,
				Message: Msg(enrolmentKeyImportFailed, "count", strconv.Itoa(len(res.Errors)))}
		}
		res.Existing = plan.existing
		for _, p := range plan.create {
			en, err := s.insert(ctx, tx, actor, p.artisan, p.scheme, p.day, "import", p.note)
			if err != nil {
				return err
			}
			res.IDs = append(res.IDs, en.ID)
		}
		res.Created = len(plan.create)
		return nil
	})
	if err != nil {
		if len(res.Errors) > 0 {
			return &EnrolmentImportResult{IDs: []int64{}, Errors: res.Errors}, err
		}
		return nil, err
	}
	return res, nil
}

// enrolmentImportPlan is what a checked file will do.
type enrolmentImportPlan struct {
	create   []enrolmentToCreate
	existing int
	problems RowErrors
}

type enrolmentToCreate struct {
	artisan *Artisan
	scheme  string
	day     time.Time
	note    string
}

// planImport checks every row, collecting problems rather than stopping at the first.
func (s *Enrolments) planImport(ctx context.Context, tx bun.IDB, actor Actor, rows []enrolmentRow, problems RowErrors) (*enrolmentImportPlan, error) {
	plan := &enrolmentImportPlan{problems: problems}
	artisans := &Artisans{DB: s.DB, Authz: s.Authz}
	schemes := map[string]*SchemeDetail{}
	seen := map[string]int{} // artisan/scheme → row
	for _, r := range rows {
		add := func(field string, m Message) {
			plan.problems = append(plan.problems, RowError{Row: r.n, Field: field, Key: m.Key, Args: m.Args})
		}
		addAll := func(err error) error { // field errors become problems; others stop the import
			if err == nil {
				return nil
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) == 0 {
				return err
			}
			for field, m := range e.Fields {
				add(field, m)
			}
			return nil
		}
		v := Invalid{}
		if r.artisanID == 0 { // < 0: not a number, reported while reading
			v.Add("artisan_id", KeyRequired)
		}
		Required(v, "scheme", r.scheme)
		MaxLen(v, "note", r.note, 500)
		Required(v, "applied_on", r.appliedOn)
		var day time.Time
		if r.appliedOn != "" {
			d, err := enrolmentAppliedDay(r.appliedOn)
			if err := addAll(err); err != nil {
				return nil, err
			}
			day = d
		}
		var a *Artisan
		if r.artisanID > 0 {
			var err error
			a, err = artisans.find(ctx, tx, actor, r.artisanID)
			switch {
			case errors.Is(err, ErrNotFound):
				v.Add("artisan_id", enrolmentKeyArtisan)
			case err != nil:
				return nil, err
			case !s.can(actor, a.District, "import"):
				v.Add("artisan_id", enrolmentKeyDistrictDeny, "district", a.District)
			}
		}
		sc := schemes[r.scheme]
		if sc == nil && r.scheme != "" {
			var err error
			sc, err = findScheme(ctx, tx, r.scheme)
			if errors.Is(err, ErrNotFound) {
				v.Add("scheme", enrolmentKeyScheme)
			} else if err != nil {
				return nil, err
			}
			schemes[r.scheme] = sc
		}
		key := strconv.FormatInt(r.artisanID, 10) + "/" + r.scheme
		if first, dup := seen[key]; dup {
			v.Add("artisan_id", enrolmentKeyDuplicate, "row", strconv.Itoa(first))
		} else {
			seen[key] = r.n
		}
		for field, m := range v {
			add(field, m)
		}
		if len(v) > 0 || a == nil || sc == nil || day.IsZero() {
			continue
		}
		exists, err := enrolmentExists(ctx, tx, a.ID, sc.Slug, day)
		if err != nil {
			return nil, err
		}
		if exists {
			plan.existing++
			continue
		}
		if err := checkApplication(ctx, tx, a, sc, day); err != nil {
			if err := addAll(err); err != nil {
				return nil, err
			}
			continue
		}
		plan.create = append(plan.create, enrolmentToCreate{artisan: a, scheme: sc.Slug, day: day, note: r.note})
	}
	return plan, nil
}

// enrolmentExists reports whether the artisan has an open enrolment in the scheme or one
// applied on day (IST): what a repeated upload finds.
func enrolmentExists(ctx context.Context, db bun.IDB, artisanID int64, scheme string, day time.Time) (bool, error) {
	open, err := hasOpenEnrolment(ctx, db, artisanID, scheme)
	if err != nil || open {
		return open, err
	}
	start, err := time.ParseInLocation(time.DateOnly, day.In(artisanIST).Format(time.DateOnly), artisanIST)
	if err != nil {
		return false, fmt.Errorf("enrolments: import: day: %w", err)
	}
	same, err := db.NewSelect().Table("enrolments").Where("artisan_id = ? AND scheme = ?", artisanID, scheme).
		Where("applied_at >= ? AND applied_at < ?", start.UTC(), start.AddDate(0, 0, 1).UTC()).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("enrolments: import: existing: %w", err)
	}
	return same, nil
}

// parseEnrolmentFile reads the file into rows; a cell that is not what its column holds
// comes back as a RowError, a problem of the file as an EINVALID *Error.
func parseEnrolmentFile(data []byte) ([]enrolmentRow, RowErrors, error) {
	sheet, nums, date1904, err := readImportSheet(data)
	if err != nil {
		return nil, nil, err
	}
	var fields []string
	var rows []enrolmentRow
	var problems RowErrors
	for i, cells := range sheet {
		if importBlank(cells) {
			continue
		}
		if fields == nil {
			if fields, err = importHeader(cells, enrolmentColumns, enrolmentHeaderIndex); err != nil {
				return nil, nil, err
			}
			continue
		}
		if len(rows) == EnrolmentImportMaxRows {
			return nil, nil, Errorf(EINVALID, importKeyTooManyRows, "max", strconv.Itoa(EnrolmentImportMaxRows))
		}
		r := enrolmentRow{n: nums[i]}
		for j, f := range fields {
			if j >= len(cells) || f == "" {
				continue
			}
			c := strings.TrimSpace(cells[j])
			switch f {
			case "artisan_id":
				if c == "" {
					continue
				}
				id, err := strconv.ParseInt(importWhole(c), 10, 64)
				if err != nil || id <= 0 {
					problems = append(problems, RowError{Row: r.n, Field: f, Key: "validation.number"})
					r.artisanID = -1 // reported already: not "required" as well
					continue
				}
				r.artisanID = id
			case "scheme":
				r.scheme = strings.ToLower(c)
			case "applied_on":
				r.appliedOn = importDate(c, date1904)
			case "note":
				r.note = artisanCleanText(c)
			}
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, nil, Errorf(EINVALID, enrolmentKeyImportNoRows)
	}
	return rows, problems, nil
}

// EnrolmentImportTemplate is the empty bulk enrolment workbook: one sheet with the
// headers in English and Hindi, and a second explaining each column.
func EnrolmentImportTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Enrolments"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	head := []any{"artisan_id (कारीगर आईडी)", "scheme (योजना)", "applied_on (आवेदन तिथि)", "note (टिप्पणी)"}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	if err := f.SetColWidth(sheet, "A", "D", 28); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	// Dates typed as text stay YYYY-MM-DD rather than becoming the reader's locale.
	if err := f.SetColStyle(sheet, "C", text); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	if _, err := f.NewSheet("Help"); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	help := [][]any{
		{"Column", "What to enter", "क्या भरें"},
		{"artisan_id", "The artisan's id, as on the artisan's page", "कारीगर की आईडी, जैसी कारीगर के पृष्ठ पर है"},
		{"scheme", "The scheme's code, e.g. pm-vishwakarma", "योजना का कोड, जैसे pm-vishwakarma"},
		{"applied_on", "Date of application, YYYY-MM-DD, not in a closed month", "आवेदन की तिथि, YYYY-MM-DD, बंद माह की नहीं"},
		{"note", "Optional remark, up to 500 characters", "वैकल्पिक टिप्पणी, 500 अक्षर तक"},
	}
	for i, r := range help {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Help", cell, &r); err != nil {
			return nil, fmt.Errorf("enrolments: template: %w", err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("enrolments: template: %w", err)
	}
	return b.Bytes(), nil
}
