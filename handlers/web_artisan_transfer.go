package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// The import pages: an upload form with the user's recent imports, and a status page
// that reloads itself every two seconds (no script: the CSP allows none inline) until the
// job has ended, then shows the counts or the problems row by row.

const (
	importRecentJobs   = 10
	importShownRows    = 100 // problems listed on the page; the XLSX report has them all
	importRefreshAfter = "2"
)

var indiaTime = time.FixedZone("IST", 5*3600+1800)

// importUploadData is the Data of imports/upload.
type importUploadData struct {
	Form    views.Form
	MaxMB   int
	MaxRows string
	Jobs    []importJobRow
}

// importJobRow is one recent job in the upload page's table.
type importJobRow struct {
	ID                        int64
	FileName, Status, When    string
	Created, Existing, Errors string
	Finished                  bool
}

// importStatusData is the Data of imports/status.
type importStatusData struct {
	ID                        int64
	FileName, Status          string
	Running, Queued, Counting bool // Counting: rows are being read, so done/total is known
	Done, Total, Percent      int
	DoneText, TotalText       string
	Succeeded, Failed         bool
	Created, Existing, Errors string
	Message                   string
	Problems                  []importProblemRow
	More                      string // problems not listed, when there are more than shown
	ReportURL                 string
}

type importProblemRow struct {
	Row                    int
	Column, Value, Message string
}

func (s *Server) importArtisansPage(c *fiber.Ctx) error {
	return s.renderUpload(c, fiber.StatusOK, views.Form{})
}

func (s *Server) renderUpload(c *fiber.Ctx, status int, form views.Form) error {
	jobs, err := s.importJobs().Recent(c.UserContext(), actor(c), importRecentJobs)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	data := importUploadData{Form: form, MaxMB: app.ArtisanFileMaxBytes >> 20, MaxRows: app.FormatIndian(app.ArtisanFileMaxRows)}
	for _, j := range jobs {
		data.Jobs = append(data.Jobs, importJobRow{ID: j.ID, FileName: j.FileName, Finished: j.Finished(),
			Status: views.T(lang, "imports.status."+j.Status, nil), When: j.CreatedAt.In(indiaTime).Format("02-01-2006 15:04"),
			Created: app.FormatIndian(int64(j.Created)), Existing: app.FormatIndian(int64(j.Existing)),
			Errors: app.FormatIndian(int64(j.Errors))})
	}
	return s.render(c, status, "imports/upload", "imports.title", data)
}

// importArtisansSubmit starts an import and sends the reader to its status page. A file
// that is missing, too large or plainly no spreadsheet is refused on the form at once.
func (s *Server) importArtisansSubmit(c *fiber.Ctx) error {
	name, data, err := readUpload(c)
	if err == nil {
		_, err = app.SniffArtisanFile(data)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		lang := s.lang(c)
		msg := e.Message
		if m, ok := e.Fields["file"]; ok {
			msg = m
		}
		form := views.Form{Errors: map[string]string{"file": importMessage(lang, msg)}}
		return s.renderUpload(c, fiber.StatusUnprocessableEntity, form)
	}
	job, err := s.importJobs().Start(c.UserContext(), actor(c), name, data)
	if err != nil {
		return err
	}
	return c.Redirect("/imports/"+idString(job.ID), fiber.StatusSeeOther)
}

func (s *Server) importStatusPage(c *fiber.Ctx) error {
	job, err := s.importJob(c)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	d := importStatusData{ID: job.ID, FileName: job.FileName, Status: views.T(lang, "imports.status."+job.Status, nil),
		Running: !job.Finished(), Succeeded: job.Status == app.ImportDone, Failed: job.Status == app.ImportFailed,
		Done: job.DoneRows, Total: job.TotalRows, DoneText: app.FormatIndian(int64(job.DoneRows)),
		TotalText: app.FormatIndian(int64(job.TotalRows)), Created: app.FormatIndian(int64(job.Created)),
		Existing: app.FormatIndian(int64(job.Existing)), Errors: app.FormatIndian(int64(job.Errors))}
	d.Queued = job.Status == app.ImportQueued
	d.Counting = job.Status == app.ImportValidating && job.TotalRows > 0 && job.DoneRows < job.TotalRows
	if job.TotalRows > 0 {
		d.Percent = min(100, job.DoneRows*100/job.TotalRows)
	}
	if m := job.Message(); m != nil {
		d.Message = importMessage(lang, *m)
	}
	if d.Failed && job.Errors > 0 {
		problems, err := job.Problems()
		if err != nil {
			return err
		}
		for _, p := range problems[:min(len(problems), importShownRows)] {
			d.Problems = append(d.Problems, importProblemRow{Row: p.Row, Column: app.ArtisanColumnLabel(p.Field, lang),
				Value: p.Value, Message: localize(lang, app.Message{Key: p.Key, Args: p.Args})})
		}
		if job.Errors > len(d.Problems) {
			d.More = app.FormatIndian(int64(job.Errors - len(d.Problems)))
		}
		if len(problems) > 0 {
			d.ReportURL = "/imports/" + idString(job.ID) + "/report"
		}
	}
	if d.Running {
		c.Set("Refresh", importRefreshAfter)
	}
	return s.render(c, fiber.StatusOK, "imports/status", "imports.status_title", d)
}

func (s *Server) importReportDownload(c *fiber.Ctx) error   { return s.sendImportReport(c) }
func (s *Server) importTemplateDownload(c *fiber.Ctx) error { return s.sendImportTemplate(c) }
func (s *Server) artisanExportDownload(c *fiber.Ctx) error  { return s.sendExport(c) }
