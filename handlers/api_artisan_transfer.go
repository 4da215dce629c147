package handlers

import (
	"bytes"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// Import and export of artisans, shared by the API and the pages: the same upload
// checks, the same files, the same jobs.

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
	// apiImportRowsMax caps the rows of a 422 answer; the XLSX report has them all.
	apiImportRowsMax = 1000
)

// importJobs is the import service over the server's database and registry. It keeps no
// state of its own, so one per request is as good as one per server.
func (s *Server) importJobs() *app.ImportJobs {
	return &app.ImportJobs{DB: s.db, Artisans: s.artisans, Log: s.log}
}

// translator renders catalogue messages in the reader's language for files app writes.
func (s *Server) translator(c *fiber.Ctx) app.Translate {
	lang := s.lang(c)
	return func(key string, args map[string]string) string {
		return localize(lang, app.Message{Key: key, Args: args})
	}
}

// importMessage translates a file-level import message; the missing columns it names by
// field are shown by their headers in the reader's language.
func importMessage(lang string, m app.Message) string {
	if cols, ok := m.Args["columns"]; ok && m.Key == "imports.error.missing_columns" {
		fields := strings.Split(cols, ", ")
		for i, f := range fields {
			fields[i] = app.ArtisanColumnLabel(f, lang)
		}
		m.Args = map[string]string{"columns": strings.Join(fields, ", ")}
	}
	return localize(lang, m)
}

// readUpload reads the multipart field "file" into memory, refusing a missing or empty
// file and one over the size limit before reading it.
func readUpload(c *fiber.Ctx) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return "", nil, app.Invalid{"file": app.Msg("imports.error.no_file")}.Err()
	}
	tooLarge := app.Invalid{"file": app.Msg("imports.error.too_large", "max", strconv.Itoa(app.ArtisanFileMaxBytes>>20))}.Err()
	if fh.Size > app.ArtisanFileMaxBytes {
		return "", nil, tooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, app.ArtisanFileMaxBytes+1))
	if err != nil {
		return "", nil, err
	}
	if len(data) > app.ArtisanFileMaxBytes {
		return "", nil, tooLarge
	}
	return fh.Filename, data, nil
}

// apiImportBody is the 201 answer of a synchronous import.
type apiImportBody struct {
	ID       int64 `json:"id"`
	Created  int   `json:"created"`
	Existing int   `json:"existing"`
}

// apiImportRow is one problem in a 422 answer.
type apiImportRow struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// apiImportError is the error body of a refused import: the usual error with the job
// and its problems row by row (documented in openapi/imports.json).
type apiImportError struct {
	Error struct {
		Code      string         `json:"code"`
		Message   string         `json:"message"`
		ImportID  int64          `json:"import_id"`
		Rows      []apiImportRow `json:"rows,omitempty"`
		RowsTotal int            `json:"rows_total,omitempty"`
	} `json:"error"`
}

// apiArtisanImport imports an uploaded file before answering: 201 with the counts, or
// 422 with the problems, nothing saved.
func (s *Server) apiArtisanImport(c *fiber.Ctx) error {
	name, data, err := readUpload(c)
	if err != nil {
		return err
	}
	// The import runs before the answer; the parsed form need not wait for it (it holds
	// the file once more, in memory up to 16 MB).
	c.Request().RemoveMultipartFormFiles()
	job, err := s.importJobs().Import(c.UserContext(), actor(c), name, data)
	if err != nil {
		return err
	}
	if job.Status == app.ImportDone {
		c.Location("/api/v1/imports/" + idString(job.ID))
		return c.Status(fiber.StatusCreated).JSON(apiImportBody{ID: job.ID, Created: job.Created, Existing: job.Existing})
	}
	lang := s.lang(c)
	var body apiImportError
	body.Error.Code, body.Error.ImportID = app.EINVALID, job.ID
	if m := job.Message(); m != nil {
		if m.Key == "error.internal" {
			return &app.Error{Code: app.EINTERNAL, Message: *m}
		}
		body.Error.Message = importMessage(lang, *m)
	} else {
		problems, err := job.Problems()
		if err != nil {
			return err
		}
		body.Error.Message = views.T(lang, "imports.failed_rows", map[string]string{"count": app.FormatIndian(int64(job.Errors))})
		body.Error.RowsTotal = job.Errors
		for _, p := range problems[:min(len(problems), apiImportRowsMax)] {
			body.Error.Rows = append(body.Error.Rows, apiImportRow{Row: p.Row, Column: p.Field,
				Message: localize(lang, app.Message{Key: p.Key, Args: p.Args})})
		}
	}
	return c.Status(fiber.StatusUnprocessableEntity).JSON(body)
}

// apiImportJob is a job as the API shows it.
type apiImportJob struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	FileName   string     `json:"file_name"`
	TotalRows  int        `json:"total_rows"`
	DoneRows   int        `json:"done_rows"`
	Created    int        `json:"created"`
	Existing   int        `json:"existing"`
	Errors     int        `json:"errors"`
	Message    *string    `json:"message"`
	Report     *string    `json:"report"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

func (s *Server) apiImportStatus(c *fiber.Ctx) error {
	job, err := s.importJob(c)
	if err != nil {
		return err
	}
	out := apiImportJob{ID: job.ID, Kind: job.Kind, Status: job.Status, FileName: job.FileName,
		TotalRows: job.TotalRows, DoneRows: job.DoneRows, Created: job.Created, Existing: job.Existing,
		Errors: job.Errors, CreatedAt: job.CreatedAt, UpdatedAt: job.UpdatedAt, FinishedAt: job.FinishedAt}
	if m := job.Message(); m != nil {
		text := importMessage(s.lang(c), *m)
		out.Message = &text
	}
	if job.Errors > 0 {
		report := "/api/v1/imports/" + idString(job.ID) + "/report"
		out.Report = &report
	}
	return c.JSON(out)
}

// importJob loads the job named by :id, if the actor may see it.
func (s *Server) importJob(c *fiber.Ctx) (*app.ImportJob, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.importJobs().Get(c.UserContext(), actor(c), id)
}

func (s *Server) apiImportReport(c *fiber.Ctx) error { return s.sendImportReport(c) }

// sendImportReport answers the problems of a job as XLSX; a job without row problems has
// no report.
func (s *Server) sendImportReport(c *fiber.Ctx) error {
	job, err := s.importJob(c)
	if err != nil {
		return err
	}
	problems, err := job.Problems()
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		return app.ErrNotFound
	}
	var b bytes.Buffer
	if err := app.WriteImportReport(&b, problems, s.lang(c), s.translator(c)); err != nil {
		return err
	}
	download(c, mimeXLSX, "import-"+idString(job.ID)+"-problems.xlsx")
	return c.Send(b.Bytes())
}

func (s *Server) apiArtisanImportTemplate(c *fiber.Ctx) error { return s.sendImportTemplate(c) }

// sendImportTemplate answers the empty import file: ?format=xlsx (default) or csv,
// ?lang=en or hi (default the reader's).
func (s *Server) sendImportTemplate(c *fiber.Ctx) error {
	format := c.Query("format", app.FormatXLSX)
	lang := c.Query("lang", s.lang(c))
	v := app.Invalid{}
	if format != app.FormatXLSX && format != app.FormatCSV {
		v.Add("format", "validation.choice")
	}
	if !isLang(lang) {
		v.Add("lang", "validation.lang")
	}
	if err := v.Err(); err != nil {
		return err
	}
	tr := func(key string, args map[string]string) string { return views.T(lang, key, args) }
	var b bytes.Buffer
	if err := app.WriteArtisanTemplate(c.UserContext(), s.db, &b, format, lang, tr); err != nil {
		return err
	}
	mime := mimeXLSX
	if format == app.FormatCSV {
		mime = mimeCSV
	}
	download(c, mime, "artisans-template-"+lang+"."+format)
	return c.Send(b.Bytes())
}

func (s *Server) apiArtisanExport(c *fiber.Ctx) error { return s.sendExport(c) }

// sendExport answers every artisan the list filter of the query string selects, as
// ?format=csv (default) or xlsx. The file is built in a temporary file first, so the
// audit entry is written before any of it is sent, and an error is an error page rather
// than half a file.
func (s *Server) sendExport(c *fiber.Ctx) error {
	format := c.Query("format", app.FormatCSV)
	if format != app.FormatCSV && format != app.FormatXLSX {
		return app.Invalid{"format": app.Msg("validation.choice")}.Err()
	}
	f, err := artisanFilterOf(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "shilpkosh-export-*")
	if err != nil {
		return err
	}
	file := &tempFile{File: tmp}
	if _, err := s.artisans.Export(c.UserContext(), actor(c), f, format, s.lang(c), tmp); err != nil {
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
	download(c, mime, app.ExportFileName("artisans", format))
	return c.SendStream(file, int(size)) // fasthttp closes, so removes, the file once sent
}

// tempFile is a temporary file that is removed when closed.
type tempFile struct{ *os.File }

func (t *tempFile) Close() error {
	err := t.File.Close()
	os.Remove(t.Name()) //nolint:errcheck // best effort: the OS temp folder is cleaned anyway
	return err
}

// download marks the response as a file to save, never to cache.
func download(c *fiber.Ctx, mime, name string) {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"; filename*=UTF-8''`+url.PathEscape(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}
