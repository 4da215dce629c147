package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// SaleImportMaxRows caps one statement: a month of one store is far less.
const SaleImportMaxRows = 20000

// saleColumns are the columns of a sales statement by field, with the headers recognised
// for each (in any case and spacing). amount is in rupees, as a statement shows it.
var saleColumns = []importColumn{
	{"store_id", false, []string{"store", "store id", "स्टोर", "भंडार"}},
	{"date", true, []string{"sale date", "invoice date", "दिनांक", "तिथि", "तारीख"}},
	{"invoice_no", true, []string{"invoice", "invoice number", "bill no", "bill number", "बिल संख्या", "बीजक संख्या"}},
	{"artisan_id", false, []string{"artisan", "artisan id", "कारीगर"}},
	{"craft", true, []string{"शिल्प"}},
	{"product", true, []string{"product description", "description", "item", "उत्पाद"}},
	{"quantity", true, []string{"qty", "मात्रा"}},
	{"amount", true, []string{"amount (rs)", "amount in rupees", "rupees", "राशि"}},
	{"payment_mode", true, []string{"payment", "mode", "भुगतान"}},
	{"corrects_sale_id", false, []string{"corrects sale", "correction of"}},
}

var saleHeaderIndex = importHeaderIndex(saleColumns)

// importColumn is one column of a statement-like upload (sales, enrolments): its field,
// whether the file must have it, and the headers recognised for it besides the field
// name, in any case and spacing.
type importColumn struct {
	field    string
	required bool
	headers  []string
}

// importHeaderIndex maps every recognised header, normalised by importKey, to its field.
func importHeaderIndex(cols []importColumn) map[string]string {
	idx := map[string]string{}
	for _, c := range cols {
		for _, h := range append([]string{c.field}, c.headers...) {
			idx[importKey(h)] = c.field
		}
	}
	return idx
}

// SaleImportResult tells what ImportSales did: the sales it created and the rows it
// skipped because their invoice is recorded already for that store.
type SaleImportResult struct {
	Created  int     `json:"created"`
	Existing int     `json:"existing"`
	IDs      []int64 `json:"ids"`
}

// saleRow is one data row of a statement and its sheet row number.
type saleRow struct {
	n  int
	in SaleInput
}

// ImportSales saves a monthly statement (CSV or XLSX) all or nothing: every row is
// checked first, and if any fails nothing is saved and the EINVALID error wraps RowErrors
// by sheet row. A row whose invoice number is recorded already for its store is skipped,
// so uploading a statement twice adds nothing. store_id may be left out by a store
// manager, whose rows are then their own store's. Needs sale:import.
func (s *Sales) ImportSales(ctx context.Context, actor Actor, data []byte) (*SaleImportResult, error) {
	rows, problems, err := parseSaleFile(data)
	if err != nil {
		return nil, err
	}
	res := &SaleImportResult{IDs: []int64{}}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scope(ctx, tx, actor, "import")
		if err != nil {
			return err
		}
		if sc.Districts.Empty() {
			return ErrForbidden
		}
		var create []*Sale
		seen := map[string]int{} // store/invoice → row
		for _, r := range rows {
			if r.in.StoreID == 0 && sc.StoreID != nil {
				r.in.StoreID = *sc.StoreID
			}
			r.in.normalize()
			v := Invalid{}
			sale, err := s.prepare(ctx, tx, sc, v, &r.in)
			if err != nil {
				return err
			}
			key := strconv.FormatInt(r.in.StoreID, 10) + "/" + r.in.InvoiceNo
			if first, dup := seen[key]; dup && r.in.InvoiceNo != "" {
				v.Add("invoice_no", "sale.duplicate_in_file", "row", strconv.Itoa(first))
			} else {
				seen[key] = r.n
			}
			if len(v) == 0 {
				exists, err := tx.NewSelect().Model((*Sale)(nil)).
					Where("s.store_id = ? AND s.invoice_no = ?", sale.StoreID, sale.InvoiceNo).Exists(ctx)
				if err != nil {
					return fmt.Errorf("sales: import: invoice: %w", err)
				}
				if exists {
					res.Existing++
					continue
				}
				closed, err := monthClosed(ctx, tx, sale.District, sale.Month)
				if err != nil {
					return err
				}
				if closed {
					v.Add("date", saleKeyMonthClosed, "month", sale.Month)
				}
			}
			for field, m := range v {
				problems = append(problems, RowError{Row: r.n, Field: field, Key: m.Key, Args: m.Args})
			}
			if len(v) == 0 {
				create = append(create, sale)
			}
		}
		if len(problems) > 0 {
			return &Error{Code: EINVALID, Message: Msg("sale.import_failed", "count", strconv.Itoa(len(problems))),
				Err: sortRowErrors(problems)}
		}
		now := Now()
		for _, sale := range create {
			sale.CreatedBy, sale.CreatedAt = actorID(actor), now
			if _, err := tx.NewInsert().Model(sale).Exec(ctx); err != nil {
				return fmt.Errorf("sales: import: insert: %w", err)
			}
			if err := RecordAudit(ctx, tx, actor, Change{Entity: saleObject, EntityID: idString(sale.ID),
				Action: "import", District: sale.District, After: sale}); err != nil {
				return err
			}
			res.IDs = append(res.IDs, sale.ID)
		}
		if err := addSalesMonths(ctx, tx, create...); err != nil {
			return err
		}
		res.Created = len(create)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func sortRowErrors(r RowErrors) RowErrors {
	for i := 1; i < len(r); i++ {
		for j := i; j > 0 && (r[j].Row < r[j-1].Row || r[j].Row == r[j-1].Row && r[j].Field < r[j-1].Field); j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
	return r
}

// parseSaleFile reads a statement into rows; problems of single cells (an amount that is
// not one) come back as RowErrors, problems of the file as an EINVALID *Error.
func parseSaleFile(data []byte) ([]saleRow, RowErrors, error) {
	sheet, nums, date1904, err := readImportSheet(data)
	if err != nil {
		return nil, nil, err
	}
	var fields []string
	var rows []saleRow
	var problems RowErrors
	for i, cells := range sheet {
		if importBlank(cells) {
			continue
		}
		if fields == nil {
			if fields, err = importHeader(cells, saleColumns, saleHeaderIndex); err != nil {
				return nil, nil, err
			}
			continue
		}
		if len(rows) == SaleImportMaxRows {
			return nil, nil, Errorf(EINVALID, importKeyTooManyRows, "max", strconv.Itoa(SaleImportMaxRows))
		}
		r := saleRow{n: nums[i]}
		bad := func(field, key string) { problems = append(problems, RowError{Row: r.n, Field: field, Key: key}) }
		for j, f := range fields {
			if j >= len(cells) || f == "" {
				continue
			}
			c := strings.TrimSpace(cells[j])
			switch f {
			case "store_id", "artisan_id", "corrects_sale_id":
				if c == "" {
					continue
				}
				id, err := strconv.ParseInt(importWhole(c), 10, 64)
				if err != nil || id <= 0 {
					bad(f, "validation.number")
					continue
				}
				switch f {
				case "store_id":
					r.in.StoreID = id
				case "artisan_id":
					r.in.ArtisanID = &id
				default:
					r.in.CorrectsSaleID = &id
				}
			case "date":
				r.in.Date = importDate(c, date1904)
			case "quantity":
				if c == "" {
					continue
				}
				q, err := strconv.ParseInt(importWhole(c), 10, 64)
				if err != nil {
					bad(f, "validation.number")
				}
				r.in.Quantity = q
			case "amount":
				p, err := ParseRupees(c)
				if err != nil {
					bad(f, KeyAmount)
				}
				r.in.AmountPaise = p
			case "invoice_no":
				r.in.InvoiceNo = importWhole(c)
			case "craft":
				r.in.Craft = c
			case "product":
				r.in.Product = c
			case "payment_mode":
				r.in.PaymentMode = strings.ReplaceAll(importKey(c), " ", "_")
			}
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, nil, Errorf(EINVALID, "sale.import_no_rows")
	}
	return rows, problems, nil
}

// readImportSheet reads the first sheet of an XLSX file, or a CSV file, into rows of
// text with the sheet row number of each; date1904 tells how the workbook counts dates.
func readImportSheet(data []byte) (sheet [][]string, nums []int, date1904 bool, err error) {
	kind, err := SniffArtisanFile(data)
	if err != nil {
		return nil, nil, false, err
	}
	if kind != "xlsx" {
		sheet, nums, err = readSaleCSV(data)
		return sheet, nums, false, err
	}
	sheet, date1904, err = readSaleXLSX(data)
	for i := range sheet {
		nums = append(nums, i+1)
	}
	return sheet, nums, date1904, err
}

// importHeader maps each header cell to its field of cols, refusing unknown, repeated or
// missing columns.
func importHeader(cells []string, cols []importColumn, index map[string]string) ([]string, error) {
	fields := make([]string, len(cells))
	have := map[string]bool{}
	var unknown []string
	for i, h := range cells {
		if strings.TrimSpace(h) == "" {
			continue
		}
		f, ok := index[importKey(importParenthesis.ReplaceAllString(h, ""))]
		if !ok {
			f, ok = index[importKey(h)]
		}
		switch {
		case !ok:
			unknown = append(unknown, strings.TrimSpace(h))
		case have[f]:
			return nil, Errorf(EINVALID, importKeyDuplicateCol, "column", strings.TrimSpace(h))
		default:
			have[f], fields[i] = true, f
		}
	}
	if len(unknown) > 0 {
		return nil, Errorf(EINVALID, importKeyUnknownColumns, "columns", strings.Join(unknown, ", "))
	}
	var missing []string
	for _, c := range cols {
		if c.required && !have[c.field] {
			missing = append(missing, c.field)
		}
	}
	if len(missing) > 0 {
		return nil, Errorf(EINVALID, importKeyMissingColumns, "columns", strings.Join(missing, ", "))
	}
	return fields, nil
}

func readSaleXLSX(data []byte) ([][]string, bool, error) {
	if err := checkUnpackedSize(data); err != nil {
		return nil, false, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: artisanFileMaxUnpacked, UnzipXMLSizeLimit: artisanFileXMLInMemory,
	})
	if err != nil {
		return nil, false, &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, false, Errorf(EINVALID, importKeyBadXLSX)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, false, &Error{Code: EINVALID, Message: Msg(importKeyBadXLSX), Err: err}
	}
	return rows, date1904, nil
}

// readSaleCSV reads delimited text, numbering each record by the line it starts on.
func readSaleCSV(data []byte) ([][]string, []int, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		utf8Data, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.IndexByte(utf8Data, 0) >= 0 {
			return nil, nil, Errorf(EINVALID, importKeyFileType)
		}
		data = utf8Data
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = importDelimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	var nums []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nums, nil
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				return nil, nil, &Error{Code: EINVALID, Message: Msg(importKeyBadCSV, "row", strconv.Itoa(perr.StartLine)), Err: err}
			}
			return nil, nil, fmt.Errorf("sales: file: csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		rows, nums = append(rows, rec), append(nums, line)
	}
}
