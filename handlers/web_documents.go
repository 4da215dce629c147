package handlers

// The documents page of an artisan: the files attached, each a download link, and an upload
// form for those the policy lets add documents in the artisan's district.

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// documentsData is the Data of documents/index.
type documentsData struct {
	ArtisanID  int64
	ArtisanURL string
	Name       string
	NameHi     string
	RegNo      string // empty before approval
	Rows       []documentRow
	CanUpload  bool
	Action     string
	Types      []documentTypeOption
	Accept     string // the file input's accept list
	MaxSize    string // "5 MB"
	MaxPhoto   string // "2 MB"
	Form       views.Form
}

type documentRow struct {
	Type, FileName, Kind, Size, UploadedAt, UploadedBy, Href string
}

type documentTypeOption struct {
	Value, Label string
	Selected     bool
}

// documentAccept is what the file picker offers; the server decides from the bytes anyway.
const documentAccept = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

// documentIST is the zone times are shown in.
var documentIST = time.FixedZone("IST", 5*3600+1800)

func (s *Server) documentsPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderDocuments(c, fiber.StatusOK, id, "", nil)
}

func (s *Server) documentUploadSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.uploadDocument(c, id); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		return s.renderDocuments(c, fiber.StatusUnprocessableEntity, id, c.FormValue("doc_type"), e)
	}
	s.flash(c, "success", "documents.uploaded")
	return c.Redirect("/artisans/"+idString(id)+"/documents", fiber.StatusSeeOther)
}

func (s *Server) documentDownload(c *fiber.Ctx) error { return s.sendDocument(c) }

// renderDocuments shows the page; after a refused upload, e holds the field errors and
// docType the type chosen, so the reader fixes only what was wrong.
func (s *Server) renderDocuments(c *fiber.Ctx, status int, artisanID int64, docType string, e *app.Error) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	docs, err := s.documentStore().List(ctx, a, artisanID)
	if err != nil {
		return err
	}
	art, err := s.artisans.Get(ctx, a, artisanID)
	if err != nil {
		return err
	}
	tr := func(key string) string { return views.T(lang, key, nil) }
	data := &documentsData{
		ArtisanID: art.ID, ArtisanURL: "/artisans/" + idString(art.ID), Name: art.Name, NameHi: art.NameHi,
		CanUpload: s.authz.Can(a.UserID, art.District, "document", "create"),
		Action:    "/artisans/" + idString(art.ID) + "/documents", Accept: documentAccept,
		MaxSize: documentMB(app.MaxDocumentBytes), MaxPhoto: documentMB(app.MaxPhotoBytes),
	}
	if art.RegistrationNo != nil {
		data.RegNo = *art.RegistrationNo
	}
	for _, t := range app.DocumentTypes {
		data.Types = append(data.Types, documentTypeOption{Value: t, Label: tr("documents.type." + t), Selected: t == docType})
	}
	for _, d := range docs {
		data.Rows = append(data.Rows, documentRow{
			Type: tr("documents.type." + d.DocType), FileName: d.FileName, Kind: documentKind(d.ContentType),
			Size: documentSize(lang, d.SizeBytes), UploadedAt: d.UploadedAt.In(documentIST).Format("02-01-2006 15:04"),
			UploadedBy: d.UploadedByName, Href: "/documents/" + idString(d.ID),
		})
	}
	if e != nil {
		data.Form.Errors = map[string]string{}
		for field, m := range e.Fields {
			data.Form.Errors[field] = views.T(lang, m.Key, m.Args)
		}
		if len(e.Fields) == 0 {
			data.Form.Error = views.T(lang, e.Message.Key, e.Message.Args)
		}
	}
	return s.render(c, status, "documents/index", "documents.title", data)
}

func documentKind(contentType string) string {
	switch contentType {
	case app.ContentPDF:
		return "PDF"
	case app.ContentJPEG:
		return "JPEG"
	case app.ContentPNG:
		return "PNG"
	}
	return contentType
}

// documentSize writes a size in KB below a megabyte and in MB with one decimal above.
func documentSize(lang string, n int64) string {
	if n < 1<<20 {
		kb := (n + 1023) >> 10
		return views.T(lang, "documents.size_kb", map[string]string{"n": strconv.FormatInt(kb, 10)})
	}
	mb := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	return views.T(lang, "documents.size_mb", map[string]string{"n": mb})
}

func documentMB(n int64) string { return strconv.FormatInt(n>>20, 10) }
