package handlers

// Entering sales: one sale by its form, or a month's statement uploaded as CSV or XLSX,
// saved all or nothing with the problems shown row by row.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// saleFormData is the Data of sales/form.
type saleFormData struct {
	Controls []control
	Problem  problem
}

var saleFields = []string{"store_id", "date", "invoice_no", "artisan_id", "craft", "product", "quantity", "amount",
	"payment_mode", "corrects_sale_id"}

func (s *Server) saleNewPage(c *fiber.Ctx) error {
	return s.renderSaleForm(c, fiber.StatusOK, map[string]string{}, nil)
}

func (s *Server) saleCreateSubmit(c *fiber.Ctx) error {
	values := map[string]string{}
	for _, k := range saleFields {
		values[k] = strings.TrimSpace(c.FormValue(k))
	}
	in, typing := saleInputOf(values)
	if _, err := s.sales().Create(c.UserContext(), actor(c), in); err != nil || len(typing) > 0 {
		e := &app.Error{Code: app.EINVALID, Fields: map[string]app.Message{}}
		if err != nil {
			if e = classify(err); e.Code != app.EINVALID && e.Code != app.ECONFLICT {
				return err
			}
			e = rupeeFields(e, false)
		}
		// What could not be read at all is told as such, over what app made of the blank.
		for k, m := range typing {
			e.Fields[k] = m
		}
		return s.renderSaleForm(c, statusOf[e.Code], values, e)
	}
	s.flash(c, "success", "sales.flash.created")
	return c.Redirect("/sales?store_id="+values["store_id"], fiber.StatusSeeOther)
}

// saleInputOf reads the form into a sale; fields that cannot be read as numbers are
// returned as problems and go to app as zero, so app judges everything else at once.
// Quantity and amount may be negative on a correction entry.
func saleInputOf(values map[string]string) (app.SaleInput, app.Invalid) {
	typing := app.Invalid{}
	number := func(name string) int64 {
		v := app.NormalizeDigits(values[name])
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			typing.Add(name, "validation.number")
		}
		return n
	}
	optional := func(name string) *int64 {
		if n := number(name); n != 0 {
			return &n
		}
		return nil
	}
	in := app.SaleInput{StoreID: number("store_id"), Date: isoDate(values["date"]), Craft: values["craft"],
		Product: values["product"], Quantity: number("quantity"), PaymentMode: values["payment_mode"],
		InvoiceNo: values["invoice_no"], ArtisanID: optional("artisan_id"), CorrectsSaleID: optional("corrects_sale_id")}
	if values["amount"] != "" {
		p, err := app.ParseRupees(values["amount"])
		if err != nil {
			typing.Add("amount", app.KeyAmount)
		}
		in.AmountPaise = p
	}
	return in, typing
}

func (s *Server) renderSaleForm(c *fiber.Ctx, status int, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	stores, err := s.stores().List(c.UserContext(), actor(c), app.StoreFilter{Active: ptrTo(true)})
	if err != nil {
		return err
	}
	data := &saleFormData{}
	if e != nil {
		data.Problem = problemOf(lang, e)
	}
	var storeOptions []option
	for _, st := range stores {
		if s.authz.Can(actor(c).UserID, st.District, "sale", "create") {
			storeOptions = append(storeOptions, option{Value: idString(st.ID), Label: st.Name + " · " + refs.district[st.District]})
		}
	}
	if len(storeOptions) == 1 && values["store_id"] == "" {
		values["store_id"] = storeOptions[0].Value
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	choose := b.t("registry.choose")
	data.Controls = []control{
		b.choice("store_id", "sales.field.store", choose, plain(storeOptions)).req(),
		b.text("date", "sales.field.date").req().mode("numeric").maxlen(10).hint(b.t("schemes.hint.date")),
		b.text("invoice_no", "sales.field.invoice_no").req().code().maxlen(50).hint(b.t("sales.hint.invoice_no")),
		b.choice("craft", "sales.field.craft", choose, refs.craftGroups(lang, values["craft"])...).req(),
		b.text("product", "sales.field.product").req().maxlen(300),
		b.text("quantity", "sales.field.quantity").req().mode("numeric").maxlen(9),
		b.text("amount", "sales.field.amount").req().mode("decimal").maxlen(20).hint(b.t("enrolments.hint.amount")),
		b.choice("payment_mode", "sales.field.payment_mode", choose, enumOptions(b, "sales.payment.", app.PaymentModes)).req(),
		b.text("artisan_id", "sales.field.artisan_id").mode("numeric").maxlen(12).hint(b.t("sales.hint.artisan_id")),
		b.text("corrects_sale_id", "sales.field.corrects_sale_id").mode("numeric").maxlen(12).hint(b.t("sales.hint.corrects_sale_id")),
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "sales/form", "sales.new.title", data)
}

func ptrTo[T any](v T) *T { return &v }

// statementData is the Data of sales/statement.
type statementData struct {
	FileError         string
	Message           string
	Problems          []importProblemRow
	More              string
	Created, Existing string
	Done              bool
}

func (s *Server) saleStatementPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "sales/statement", "sales.statement.title", &statementData{})
}

// saleStatementSubmit saves an uploaded statement and shows what happened on the same
// page: the counts, or the problems row by row with nothing saved. Uploading the same
// statement again adds nothing, so a reload of this answer does no harm.
func (s *Server) saleStatementSubmit(c *fiber.Ctx) error {
	lang := s.lang(c)
	data := &statementData{}
	_, file, err := readUpload(c)
	var res *app.SaleImportResult
	if err == nil {
		res, err = s.sales().ImportSales(c.UserContext(), actor(c), file)
	}
	if err != nil {
		if !uploadProblems(lang, err, &data.FileError, &data.Message, &data.Problems, &data.More, "sales.field.") {
			return err
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "sales/statement", "sales.statement.title", data)
	}
	data.Done, data.Created, data.Existing = true, app.FormatIndian(int64(res.Created)), app.FormatIndian(int64(res.Existing))
	return s.render(c, fiber.StatusOK, "sales/statement", "sales.statement.title", data)
}

// uploadProblems turns a refused upload into what the upload pages show: a problem with
// the file itself next to the file field, or the message and the first rows' problems.
// It reports false for an error that is not about the file (forbidden, internal).
func uploadProblems(lang string, err error, fileError, message *string, problems *[]importProblemRow, more *string,
	columnPrefix string) bool {
	e := classify(err)
	if e.Code != app.EINVALID {
		return false
	}
	var rows app.RowErrors
	if !errors.As(err, &rows) {
		m := e.Message
		if f, ok := e.Fields["file"]; ok {
			m = f
		}
		*fileError = importMessage(lang, m)
		return true
	}
	*message = localize(lang, e.Message)
	for _, p := range rows[:min(len(rows), importShownRows)] {
		*problems = append(*problems, importProblemRow{Row: p.Row, Column: columnLabel(lang, columnPrefix, p.Field),
			Message: localize(lang, app.Message{Key: p.Key, Args: p.Args})})
	}
	if len(rows) > len(*problems) {
		*more = app.FormatIndian(int64(len(rows) - len(*problems)))
	}
	return true
}

// columnLabel names a file's column by the form field of the same name, or by the field
// itself when the page has no such field.
func columnLabel(lang, prefix, field string) string {
	if views.HasKey(prefix + field) {
		return views.T(lang, prefix+field, nil)
	}
	return field
}
