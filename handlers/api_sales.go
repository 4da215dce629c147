package handlers

import (
	"errors"
	"io"
	"os"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// The stores, sales and month-close services hold nothing but the database and the
// enforcer (month close also the report renderer: it freezes the month's reports), so
// they are built when needed.
func (s *Server) stores() *app.Stores { return &app.Stores{DB: s.db, Authz: s.authz} }
func (s *Server) sales() *app.Sales   { return &app.Sales{DB: s.db, Authz: s.authz} }
func (s *Server) monthCloses() *app.MonthCloses {
	return &app.MonthCloses{DB: s.db, Authz: s.authz, Renderer: s.reportArchive().Renderer}
}

func (s *Server) apiStoreList(c *fiber.Ctx) error {
	v := app.Invalid{}
	f := app.StoreFilter{District: c.Query("district"), Type: c.Query("type"), Active: boolQuery(c, v, "active")}
	if err := v.Err(); err != nil {
		return err
	}
	out, err := s.stores().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

func (s *Server) apiStoreCreate(c *fiber.Ctx) error {
	var in app.StoreInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	st, err := s.stores().Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(st)
}

func (s *Server) apiStoreGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := s.stores().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// apiStoreUpdate is a partial update: the body overwrites the fields it names, and its
// version guards against a concurrent change.
func (s *Server) apiStoreUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.stores().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	active := cur.Active
	in := app.StoreInput{Name: cur.Name, Type: cur.Type, Agency: cur.Agency, District: cur.District,
		Address: cur.Address, Active: &active}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	st, err := s.stores().Update(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// saleFilter reads the filter query parameters shared by the list and the summary.
func saleFilter(c *fiber.Ctx) (app.SaleFilter, error) {
	v := app.Invalid{}
	f := app.SaleFilter{District: c.Query("district"), Craft: c.Query("craft"), Month: c.Query("month"),
		From: c.Query("from"), To: c.Query("to")}
	f.StoreID = int64Query(c, v, "store_id")
	f.ArtisanID = int64Query(c, v, "artisan_id")
	return f, v.Err()
}

func int64Query(c *fiber.Ctx, v app.Invalid, name string) int64 {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		v.Add(name, "validation.number")
		return 0
	}
	return n
}

func (s *Server) apiSaleSummary(c *fiber.Ctx) error {
	f, err := saleFilter(c)
	if err != nil {
		return err
	}
	rows, err := s.sales().Summary(c.UserContext(), actor(c), c.Query("group"), f)
	if err != nil {
		return err
	}
	return c.JSON(items(rows))
}

func (s *Server) apiSaleList(c *fiber.Ctx) error {
	f, err := saleFilter(c)
	if err != nil {
		return err
	}
	v := app.Invalid{}
	f.BeforeID = int64Query(c, v, "cursor")
	if c.Query("limit") != "" {
		n, err := strconv.Atoi(c.Query("limit"))
		if err != nil || n < 1 || n > app.MaxPageSize {
			v.Add("limit", "validation.limit")
		}
		f.Limit = n
	}
	if err := v.Err(); err != nil {
		return err
	}
	out, next, err := s.sales().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	body := items(out)
	if next > 0 {
		body.NextCursor = strconv.FormatInt(next, 10)
	}
	return c.JSON(body)
}

func (s *Server) apiSaleCreate(c *fiber.Ctx) error {
	var in app.SaleInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sale, err := s.sales().Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sale)
}

func (s *Server) apiSaleGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sale, err := s.sales().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(sale)
}

// apiSaleImportError is the error body of a refused statement: the usual error with the
// problems row by row (documented in openapi/sales.json).
type apiSaleImportError struct {
	Error struct {
		Code      string         `json:"code"`
		Message   string         `json:"message"`
		Rows      []apiImportRow `json:"rows,omitempty"`
		RowsTotal int            `json:"rows_total,omitempty"`
	} `json:"error"`
}

// apiSaleImport saves an uploaded statement: 201 with the counts, or 422 with the
// problems by row and nothing saved.
func (s *Server) apiSaleImport(c *fiber.Ctx) error {
	_, data, err := readUpload(c)
	if err != nil {
		return err
	}
	res, err := s.sales().ImportSales(c.UserContext(), actor(c), data)
	var rows app.RowErrors
	if err != nil && errors.As(err, &rows) {
		return s.importRowsRefused(c, "sale.import_failed", rows)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

// importRowsRefused answers a refused statement-like upload: 422 with the message of key
// (arg: count) and the problems row by row, in the reader's language.
func (s *Server) importRowsRefused(c *fiber.Ctx, key string, rows app.RowErrors) error {
	lang := s.lang(c)
	var body apiSaleImportError
	body.Error.Code = app.EINVALID
	body.Error.Message = views.T(lang, key, map[string]string{"count": app.FormatIndian(int64(len(rows)))})
	body.Error.RowsTotal = len(rows)
	for _, p := range rows[:min(len(rows), apiImportRowsMax)] {
		body.Error.Rows = append(body.Error.Rows, apiImportRow{Row: p.Row, Column: p.Field,
			Message: localize(lang, app.Message{Key: p.Key, Args: p.Args})})
	}
	return c.Status(fiber.StatusUnprocessableEntity).JSON(body)
}

// apiSaleExport answers every sale the list's filters select, as ?format=csv (default)
// or xlsx. The file is written to a temporary file first, so an error is an error answer
// rather than half a file.
func (s *Server) apiSaleExport(c *fiber.Ctx) error {
	format := c.Query("format", app.FormatCSV)
	if format != app.FormatCSV && format != app.FormatXLSX {
		return app.Invalid{"format": app.Msg("validation.choice")}.Err()
	}
	f, err := saleFilter(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "shilpkosh-sales-*")
	if err != nil {
		return err
	}
	file := &tempFile{File: tmp}
	if err := s.sales().Export(c.UserContext(), actor(c), f, format, tmp); err != nil {
		file.Close()
		return err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		file.Close()
		return err
	}
	mime := mimeCSV
	if format == app.FormatXLSX {
		mime = mimeXLSX
	}
	download(c, mime, app.ExportFileName("sales", format))
	return c.SendStream(file, int(size)) // fasthttp closes, so removes, the file once sent
}

func (s *Server) apiMonthList(c *fiber.Ctx) error {
	out, err := s.monthCloses().List(c.UserContext(), actor(c), c.Query("district"))
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

func (s *Server) apiMonthClose(c *fiber.Ctx) error {
	mc, err := s.monthCloses().Close(c.UserContext(), actor(c), c.Params("district"), c.Params("month"))
	if err != nil {
		return err
	}
	return c.JSON(mc)
}

// apiMonthReopen takes {"reason": "..."}; the reason is required.
func (s *Server) apiMonthReopen(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if len(c.Body()) > 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	mc, err := s.monthCloses().Reopen(c.UserContext(), actor(c), c.Params("district"), c.Params("month"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(mc)
}
