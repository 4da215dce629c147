package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// saleExportBatch is how many sales one query of an export reads.
const saleExportBatch = 2000

// saleExportHeader names the export's columns. The amount is in rupees with paise
// (1500.50), as the header says; a correction's is negative.
var saleExportHeader = []any{"id", "date", "store_id", "store", "district", "artisan_id", "craft", "product",
	"quantity", "amount (rupees)", "payment_mode", "invoice_no", "corrects_sale_id"}

// saleExportRow is a sale with its store's name.
type saleExportRow struct {
	Sale      `bun:",extend"`
	StoreName string `bun:"store_name,scanonly"`
}

// Export writes every sale in the actor's read scope that f selects (the list's filters;
// its cursor and limit are ignored) as CSV or XLSX, in the order entered, reading in
// batches so memory stays flat. Text cells are safe from formula injection (see
// SpreadsheetText). The export is recorded in the audit log with its filter and row count.
func (s *Sales) Export(ctx context.Context, actor Actor, f SaleFilter, format string, w io.Writer) error {
	var out sheetOut
	switch format {
	case FormatCSV:
		out = newCSVSheet(w)
	case FormatXLSX:
		x, err := newXLSXSheet(w, "Sales")
		if err != nil {
			return err
		}
		defer x.close()
		out = x
	default:
		return Invalid{"format": Msg(artisanKeyChoice)}.Err()
	}
	if _, err := s.filtered(ctx, actor, f); err != nil { // a bad filter fails before any byte is written
		return err
	}
	if err := out.header(saleExportHeader, 16); err != nil {
		return err
	}
	n, last := 0, int64(0)
	for {
		q, err := s.filtered(ctx, actor, f)
		if err != nil {
			return err
		}
		var rows []saleExportRow
		err = q.Model(&rows).ColumnExpr("s.*").ColumnExpr("st.name AS store_name").
			Join("JOIN stores AS st ON st.id = s.store_id").
			Where("s.id > ?", last).OrderExpr("s.id").Limit(saleExportBatch).Scan(ctx)
		if err != nil {
			return fmt.Errorf("sales: export: %w", err)
		}
		for i := range rows {
			if err := out.row(saleExportCells(&rows[i], format)); err != nil {
				return err
			}
		}
		n += len(rows)
		if len(rows) < saleExportBatch {
			break
		}
		last = rows[len(rows)-1].ID
	}
	if err := out.finish(); err != nil {
		return err
	}
	type exported struct {
		Filter SaleFilter `json:"filter"`
		Format string     `json:"format"`
		Rows   int        `json:"rows"`
	}
	return RecordAudit(ctx, s.DB, actor, Change{Entity: saleObject, Action: "export", District: f.District,
		After: exported{Filter: f, Format: format, Rows: n}})
}

func saleExportCells(r *saleExportRow, format string) []any {
	optional := func(id *int64) any {
		if id == nil {
			return ""
		}
		return *id
	}
	return []any{r.ID, r.Date, r.StoreID, r.StoreName, r.District, optional(r.ArtisanID), r.Craft, r.Product,
		r.Quantity, saleAmountCell(r.AmountPaise, format), r.PaymentMode, r.InvoiceNo, optional(r.CorrectsSaleID)}
}

// saleAmountCell is an amount in rupees: a number in a workbook, and in CSV plain digits
// with two decimals (a number, so a correction's minus sign is not taken for a formula).
func saleAmountCell(p Paise, format string) any {
	if format == FormatXLSX {
		return float64(p) / 100
	}
	return saleRupees(p)
}

// saleRupees prints paise as rupees with two decimals and no grouping: -1500.05.
type saleRupees Paise

func (r saleRupees) String() string {
	sign, p := "", int64(r)
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + strconv.FormatInt(p/100, 10) + "." + fmt.Sprintf("%02d", p%100)
}
