package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun"
)

// catalogueColumns are the columns of a catalogue file, named as marketplaces' bulk-upload
// sheets name them. Prices are in rupees, weights in grams.
var catalogueColumns = []string{"sku", "title", "title_hi", "craft", "description", "material", "dimensions",
	"weight_grams", "hsn_code", "price_inr", "gi_tag", "handloom_mark", "khadi_mark", "artisan", "district", "photo_files"}

// Export writes the products of an artisan (f.ArtisanID) or of a district (f.District) in
// the actor's read scope as a platform-ready CSV or XLSX catalogue. Every text cell is safe
// from formula injection (SpreadsheetText). Photo file names are those PhotoFileName gives,
// under which the photos are sent with the file. The export is audited.
func (s *Products) Export(ctx context.Context, actor Actor, f ProductFilter, format string, w io.Writer) (int, error) {
	if f.ArtisanID == 0 && f.District == "" {
		return 0, Invalid{"artisan": Msg("catalogue.export_filter")}.Err()
	}
	var out sheetOut
	switch format {
	case FormatCSV:
		out = newCSVSheet(w)
	case FormatXLSX:
		x, err := newXLSXSheet(w, "Catalogue")
		if err != nil {
			return 0, err
		}
		defer x.close()
		out = x
	default:
		return 0, Invalid{"format": Msg(artisanKeyChoice)}.Err()
	}
	products, err := s.List(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	photos, err := s.photoNames(ctx, products)
	if err != nil {
		return 0, err
	}
	head := make([]any, len(catalogueColumns))
	for i, c := range catalogueColumns {
		head[i] = c
	}
	if err := out.header(head, 18); err != nil {
		return 0, err
	}
	for i := range products {
		if err := out.row(catalogueRow(&products[i], photos[products[i].ID])); err != nil {
			return 0, err
		}
	}
	if err := out.finish(); err != nil {
		return 0, err
	}
	type exported struct {
		ArtisanID int64  `json:"artisan_id,omitempty"`
		District  string `json:"district,omitempty"`
		Format    string `json:"format"`
		Rows      int    `json:"rows"`
	}
	err = RecordAudit(ctx, s.DB, actor, Change{Entity: productObject, Action: "export", District: f.District,
		After: exported{ArtisanID: f.ArtisanID, District: f.District, Format: format, Rows: len(products)}})
	return len(products), err
}

func catalogueRow(p *Product, photos []string) []any {
	return []any{fmt.Sprintf("SHK-%d", p.ID), p.TitleEn, p.TitleHi, p.Craft, p.Description, p.Material, p.Dimensions,
		p.WeightGrams, p.HSNCode, catalogueRupees(p.StorePricePaise), yesNo(p.GITag), yesNo(p.HandloomMark),
		yesNo(p.KhadiMark), p.ArtisanName, p.District, strings.Join(photos, "; ")}
}

// PhotoFileName is the name a product photo goes by in a catalogue: shk-<product>-<photo>.jpg.
func PhotoFileName(ph *ProductPhoto) string {
	return fmt.Sprintf("shk-%d-%d%s", ph.ProductID, ph.ID, canonicalExtension[ph.ContentType])
}

// photoNames returns the photo file names of each product, in upload order.
func (s *Products) photoNames(ctx context.Context, products []Product) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(products) == 0 {
		return out, nil
	}
	ids := make([]int64, len(products))
	for i := range products {
		ids[i] = products[i].ID
	}
	var photos []ProductPhoto
	if err := s.DB.NewSelect().Model(&photos).Where("ph.product_id IN (?)", bun.In(ids)).OrderExpr("ph.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("products: export photos: %w", err)
	}
	for i := range photos {
		out[photos[i].ProductID] = append(out[photos[i].ProductID], PhotoFileName(&photos[i]))
	}
	return out, nil
}

// catalogueRupees writes paise as a plain number of rupees (1250.50), as upload sheets
// expect: no symbol, no grouping. Store prices are positive.
func catalogueRupees(p Paise) string { return fmt.Sprintf("%d.%02d", p/100, p%100) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
