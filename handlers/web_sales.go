package handlers

// The sales list: filters by store, district, craft, artisan and a range of months, the
// totals of what the filter selects grouped as the reader chooses, keyset pages and the
// export links carrying the same filter.

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

const salePageSize = 50

// saleListParams are the filter's query parameters, named as the API names them so the
// export links can pass them on unchanged.
var saleListParams = []string{"store_id", "district", "craft", "artisan_id", "from", "to"}

// saleListData is the Data of sales/list.
type saleListData struct {
	Filters                       []control
	Filtered                      bool
	Problem                       problem
	Total                         string
	Group                         control // what the totals are grouped by
	Totals                        []saleTotalRow
	Rows                          []saleRow
	FirstHref, NextHref           string
	ExportCSV, ExportXLSX         string
	NewHref, StatementHref, Query string
}

type saleTotalRow struct{ Label, Count, Amount string }

type saleRow struct {
	Date, Invoice, Store, Craft, Product, Quantity, Amount, Payment string
	ArtisanHref, Artisan, Corrects                                  string
}

func (s *Server) saleListPage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values, kept := map[string]string{}, url.Values{}
	for _, k := range saleListParams {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			values[k] = v
			kept.Set(k, v)
		}
	}
	values["group"] = c.Query("group", "month")
	stores, err := s.stores().List(ctx, a, app.StoreFilter{})
	if err != nil {
		return err
	}
	storeNames := map[string]string{}
	for _, st := range stores {
		storeNames[idString(st.ID)] = st.Name
	}
	f, err := saleFilter(c)
	// A store the reader may not see is no store to them: a manager asking for another
	// store's sales gets the not-found page, as for any record outside their scope.
	if err == nil && f.StoreID != 0 && storeNames[idString(f.StoreID)] == "" {
		return app.ErrNotFound
	}
	data := &saleListData{Filtered: len(kept) > 0, Query: kept.Encode()}
	status := fiber.StatusOK
	if err == nil {
		err = s.fillSales(c, data, f, values["group"], refs, storeNames)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status, data.Problem = statusOf[e.Code], problemOf(lang, e)
		data.Problem.LinkHref, data.Problem.LinkText = "/sales", views.T(lang, "artisan.list.start_again", nil)
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	anyOf := b.t("registry.any")
	var storeOptions []option
	for _, st := range stores {
		storeOptions = append(storeOptions, option{Value: idString(st.ID), Label: st.Name + " · " + refs.district[st.District]})
	}
	data.Filters = []control{
		b.choice("store_id", "sales.field.store", anyOf, plain(storeOptions)),
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(s.authz.Scope(a.UserID, "sale", "read")))),
		b.choice("craft", "sales.field.craft", anyOf, refs.craftGroups(lang, "")...),
		b.text("artisan_id", "sales.field.artisan_id").mode("numeric").maxlen(12),
		b.text("from", "sales.filter.from").mode("numeric").maxlen(7).hint(b.t("enrolments.hint.month")),
		b.text("to", "sales.filter.to").mode("numeric").maxlen(7).hint(b.t("enrolments.hint.month")),
	}
	data.Group = b.choice("group", "sales.filter.group", "", enumOptions(b, "sales.group.", app.SaleGroups))
	data.Problem.Items = summarize(append(data.Filters, data.Group), data.Problem)
	if s.authz.Allowed(a.UserID, "sale", "create") {
		data.NewHref = "/sales/new"
	}
	if s.authz.Allowed(a.UserID, "sale", "import") {
		data.StatementHref = "/sales/statement"
	}
	data.ExportCSV = "/sales/export?" + withFormat("csv", data.Query)
	data.ExportXLSX = "/sales/export?" + withFormat("xlsx", data.Query)
	return s.render(c, status, "sales/list", "sales.list.title", data)
}

// fillSales reads the totals by group and one page of the sales f selects.
func (s *Server) fillSales(c *fiber.Ctx, data *saleListData, f app.SaleFilter, group string, refs *refLabels, storeNames map[string]string) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	totals, err := s.sales().Summary(ctx, a, group, f)
	if err != nil {
		return err
	}
	var count int64
	var amount app.Paise
	for _, t := range totals {
		count, amount = count+t.Count, amount+t.AmountPaise
		data.Totals = append(data.Totals, saleTotalRow{Label: saleGroupLabel(lang, group, t.Key, refs, storeNames),
			Count: app.FormatIndian(t.Count), Amount: app.FormatRupees(t.AmountPaise)})
	}
	data.Total = views.T(lang, "sales.list.total", map[string]string{"count": app.FormatIndian(count), "amount": app.FormatRupees(amount)})
	if f.BeforeID, err = cursorQuery(c); err != nil {
		return err
	}
	f.Limit = salePageSize
	sales, next, err := s.sales().List(ctx, a, f)
	if err != nil {
		return err
	}
	for _, sl := range sales {
		row := saleRow{Date: formatISODate(sl.Date), Invoice: sl.InvoiceNo, Store: storeNames[idString(sl.StoreID)],
			Craft: refs.craft[sl.Craft], Product: sl.Product, Quantity: app.FormatIndian(sl.Quantity),
			Amount: app.FormatRupees(sl.AmountPaise), Payment: views.T(lang, "sales.payment."+sl.PaymentMode, nil)}
		if sl.ArtisanID != nil {
			row.Artisan, row.ArtisanHref = idString(*sl.ArtisanID), "/artisans/"+idString(*sl.ArtisanID)
		}
		if sl.CorrectsSaleID != nil {
			row.Corrects = views.T(lang, "sales.corrects", map[string]string{"id": idString(*sl.CorrectsSaleID)})
		}
		data.Rows = append(data.Rows, row)
	}
	if f.BeforeID > 0 {
		data.FirstHref = "/sales?" + data.Query
	}
	if next > 0 {
		more, _ := url.ParseQuery(data.Query)
		more.Set("group", group)
		more.Set("cursor", strconv.FormatInt(next, 10))
		data.NextHref = "/sales?" + more.Encode()
	}
	return nil
}

// saleGroupLabel names a group of the totals in the reader's language.
func saleGroupLabel(lang, group, key string, refs *refLabels, storeNames map[string]string) string {
	switch group {
	case "store":
		return storeNames[key]
	case "district":
		return refs.district[key]
	case "craft":
		return refs.craft[key]
	case "artisan":
		if key == "" {
			return views.T(lang, "sales.no_artisan", nil)
		}
		return views.T(lang, "sales.artisan_no", map[string]string{"id": key})
	}
	return key
}
