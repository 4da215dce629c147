package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// OnboardingImportMaxRows caps one upload: a platform's monthly list of sellers in the
// state is far shorter.
const OnboardingImportMaxRows = 20000

// onboardingColumns are the columns of a platform's list of sellers.
var onboardingColumns = []importColumn{
	{"artisan_id", true, []string{"artisan", "artisan id", "कारीगर", "कारीगर आईडी"}},
	{"platform", true, []string{"channel", "marketplace", "प्लेटफ़ॉर्म", "प्लेटफॉर्म"}},
	{"stage", true, []string{"status", "चरण", "स्थिति"}},
	{"reason", false, []string{"blocked reason", "कारण"}},
	{"seller_id", false, []string{"seller", "seller id", "विक्रेता आईडी"}},
	{"live_listings", false, []string{"listings", "live listings", "सक्रिय लिस्टिंग"}},
	{"last_sale_on", false, []string{"last sale", "last sale date", "अंतिम बिक्री"}},
	{"note", false, []string{"remarks", "टिप्पणी"}},
}

var onboardingHeaderIndex = importHeaderIndex(onboardingColumns)

// OnboardingImportResult tells what an import did: rows that changed a record and rows
// that matched it already (a file uploaded twice changes nothing the second time).
type OnboardingImportResult struct {
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// onboardingRow is one data row and its sheet row number.
type onboardingRow struct {
	n         int
	artisanID int64
	platform  string
	move      OnboardingMove
}

// Import applies a list of sellers (CSV or XLSX) all or nothing: every row is checked as
// a move of that artisan on that platform, and if any fails nothing is saved and the
// EINVALID error wraps RowErrors. Rows are applied whatever the record's version: the
// platform's list is the later word. Needs onboarding:import in each artisan's district.
func (s *Onboarding) Import(ctx context.Context, actor Actor, data []byte) (*OnboardingImportResult, error) {
	rows, problems, err := parseOnboardingFile(data)
	if err != nil {
		return nil, err
	}
	if s.scope(actor, "import").Empty() {
		return nil, ErrForbidden
	}
	res := &OnboardingImportResult{}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		seen := map[string]int{}
		for _, r := range rows {
			if r.artisanID <= 0 {
				continue // reported by the parser
			}
			key := idString(r.artisanID) + "/" + r.platform
			if first, dup := seen[key]; dup {
				problems = append(problems, RowError{Row: r.n, Field: "artisan_id", Key: "onboarding.duplicate_in_file",
					Args: map[string]string{"row": strconv.Itoa(first)}})
				continue
			}
			seen[key] = r.n
			changed, err := s.importRow(ctx, tx, actor, r)
			var e *Error
			if errors.As(err, &e) && (e.Code == EINVALID || e.Code == ENOTFOUND || e.Code == EFORBIDDEN) {
				problems = append(problems, onboardingRowErrors(r, e)...)
				continue
			}
			if err != nil {
				return err
			}
			if changed {
				res.Updated++
			} else {
				res.Unchanged++
			}
		}
		if len(problems) > 0 {
			return &Error{Code: EINVALID, Message: Msg("onboarding.import_failed", "count", strconv.Itoa(len(problems))),
				Err: sortRowErrors(problems)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// importRow applies one row inside the import's transaction.
func (s *Onboarding) importRow(ctx context.Context, tx bun.IDB, actor Actor, r onboardingRow) (bool, error) {
	a, err := s.artisan(ctx, tx, actor, r.artisanID)
	if err != nil {
		return false, Invalid{"artisan_id": Msg("onboarding.unknown_artisan")}.Err()
	}
	if !s.can(actor, a.District, "import") {
		return false, Invalid{"artisan_id": Msg("onboarding.unknown_artisan")}.Err()
	}
	if _, err := findPlatform(ctx, tx, r.platform); err != nil {
		return false, Invalid{"platform": Msg("onboarding.unknown_platform")}.Err()
	}
	cur, err := s.record(ctx, tx, a.ID, r.platform)
	if err != nil {
		return false, err
	}
	_, changed, err := s.apply(ctx, tx, actor, a, cur, r.move, "import")
	return changed, err
}

// onboardingRowErrors turns the error of one row into its row problems.
func onboardingRowErrors(r onboardingRow, e *Error) RowErrors {
	if len(e.Fields) == 0 {
		return RowErrors{{Row: r.n, Field: "artisan_id", Key: e.Message.Key, Args: e.Message.Args}}
	}
	var out RowErrors
	for field, m := range e.Fields {
		if strings.HasPrefix(field, "documents.") {
			field = "stage"
		}
		out = append(out, RowError{Row: r.n, Field: field, Key: m.Key, Args: m.Args})
	}
	return out
}

// parseOnboardingFile reads the file into rows; a cell that is not what its column holds
// comes back as a RowError, a problem of the file as an EINVALID *Error.
func parseOnboardingFile(data []byte) ([]onboardingRow, RowErrors, error) {
	sheet, nums, date1904, err := readImportSheet(data)
	if err != nil {
		return nil, nil, err
	}
	var fields []string
	var rows []onboardingRow
	var problems RowErrors
	for i, cells := range sheet {
		if importBlank(cells) {
			continue
		}
		if fields == nil {
			if fields, err = importHeader(cells, onboardingColumns, onboardingHeaderIndex); err != nil {
				return nil, nil, err
			}
			continue
		}
		if len(rows) == OnboardingImportMaxRows {
			return nil, nil, Errorf(EINVALID, importKeyTooManyRows, "max", strconv.Itoa(OnboardingImportMaxRows))
		}
		r := onboardingRow{n: nums[i]}
		for j, f := range fields {
			if j >= len(cells) || f == "" {
				continue
			}
			if p := r.cell(f, strings.TrimSpace(cells[j]), date1904); p != "" {
				problems = append(problems, RowError{Row: r.n, Field: f, Key: p})
			}
		}
		if r.artisanID == 0 {
			problems = append(problems, RowError{Row: r.n, Field: "artisan_id", Key: KeyRequired})
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, nil, Errorf(EINVALID, "onboarding.import_no_rows")
	}
	return rows, problems, nil
}

// cell reads one cell into the row and returns the key of its problem, if any. Codes are
// read in any case, with spaces for underscores ("Account created").
func (r *onboardingRow) cell(field, c string, date1904 bool) string {
	code := strings.ReplaceAll(strings.ToLower(c), " ", "_")
	switch field {
	case "artisan_id":
		id, err := strconv.ParseInt(importWhole(c), 10, 64)
		if c != "" && (err != nil || id <= 0) {
			r.artisanID = -1 // reported here: not "required" as well
			return "validation.number"
		}
		r.artisanID = id
	case "platform":
		r.platform = strings.ReplaceAll(code, "_", "-")
	case "stage":
		r.move.Stage = code
	case "reason":
		r.move.Reason = code
	case "seller_id":
		if c != "" {
			v := importWhole(c)
			r.move.SellerID = &v
		}
	case "live_listings":
		if c != "" {
			n, err := strconv.Atoi(importWhole(c))
			if err != nil {
				return onboardingKeyListings
			}
			r.move.LiveListings = &n
		}
	case "last_sale_on":
		if c != "" {
			d := importDate(c, date1904)
			r.move.LastSaleOn = &d
		}
	case "note":
		r.move.Note = c
	}
	return ""
}
