package handlers

// The public verify page: anyone holding a printed report can check, by its code, which
// report it is and whether a newer one has replaced it. It shows no figures and no file.

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/reports"
	"shilpkosh/views"
)

// verifyData is the Data of verify/show.
type verifyData struct {
	Code                    string
	Found                   bool
	Kind, District, Month   string
	Lang, GeneratedAt, By   string
	Superseded              bool
	SupersededAt, CurrentAt string
	CurrentCode, SHA256     string
}

func (s *Server) verifyPage(c *fiber.Ctx) error {
	lang := s.lang(c)
	code := app.NormalizeCode(c.Params("code"))
	data := &verifyData{Code: app.FormatCode(code)}
	v, err := s.reportArchive().Verify(c.UserContext(), code)
	if err != nil {
		if app.ErrorCode(err) != app.ENOTFOUND {
			return err
		}
		return s.render(c, fiber.StatusNotFound, "verify/show", "verify.title", data)
	}
	r := v.Report
	data.Found = true
	data.Kind = views.T(lang, "report.kind."+r.Kind, nil)
	data.District = views.T(lang, "report.state_name", nil)
	if r.Kind == app.ReportDistrict {
		refs, err := s.refLabels(c, lang)
		if err != nil {
			return err
		}
		data.District = refs.district[r.District]
	}
	if m, err := app.ParseMonth(r.Month); err == nil {
		data.Month = reports.MonthName(m, lang)
	}
	data.Lang = views.T(lang, "report.lang."+r.Lang, nil)
	data.GeneratedAt, data.By, data.SHA256 = formatDateTime(r.GeneratedAt), r.GeneratedByName, r.SHA256
	if r.SupersededAt != nil {
		data.Superseded, data.SupersededAt = true, formatDateTime(*r.SupersededAt)
	}
	if v.Current != nil {
		data.CurrentCode, data.CurrentAt = app.FormatCode(v.Current.Code), formatDateTime(v.Current.GeneratedAt)
	}
	return s.render(c, fiber.StatusOK, "verify/show", "verify.title", data)
}
