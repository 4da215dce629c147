package handlers

// Documents attached to an artisan: list, upload (multipart: file, doc_type) and download.
// The pages in web_documents.go share the upload and download below.

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// documentStore is the document service over the server's database, policy and data folder.
// It holds no state of its own, so building it per request costs nothing.
func (s *Server) documentStore() *app.Documents {
	return &app.Documents{DB: s.db, Authz: s.authz, DataDir: s.cfg.DataDir}
}

func (s *Server) apiDocumentList(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	docs, err := s.documentStore().List(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(items(docs))
}

func (s *Server) apiDocumentUpload(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	doc, err := s.uploadDocument(c, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(doc)
}

func (s *Server) apiDocumentDownload(c *fiber.Ctx) error { return s.sendDocument(c) }

// uploadDocument stores the file of a multipart form with the fields file and doc_type. What
// the client says of the file (its Content-Type, its name's extension) decides nothing:
// app sniffs the bytes. A body that is no multipart form is an upload without a file.
func (s *Server) uploadDocument(c *fiber.Ctx, artisanID int64) (*app.Document, error) {
	docType, name, size := "", "", int64(-1)
	var file io.Reader // nil: no file chosen
	if form, err := c.MultipartForm(); err == nil {
		if v := form.Value["doc_type"]; len(v) > 0 {
			docType = strings.TrimSpace(v[0])
		}
		switch files := form.File["file"]; {
		case len(files) > 1:
			return nil, app.Invalid{"file": app.Msg("document.one_file")}.Err()
		case len(files) == 1:
			f, err := files[0].Open()
			if err != nil {
				return nil, err
			}
			defer f.Close()
			file = f
			name, size = files[0].Filename, files[0].Size
		}
	}
	return s.documentStore().Upload(c.UserContext(), actor(c), artisanID, docType, name, file, size)
}

// sendDocument streams a document after app has recorded the download in the audit log.
// The stored, sniffed content type is sent with nosniff, as an attachment, so the browser
// neither guesses another type nor renders the file inside the application's origin.
func (s *Server) sendDocument(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	doc, r, err := s.documentStore().Open(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, doc.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(doc.DownloadName()))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	return c.SendStream(r, int(doc.SizeBytes)) // fasthttp closes r once sent
}

// contentDisposition names an attachment for every browser: filename* carries the exact name
// in UTF-8 (RFC 5987, so Hindi names survive) and filename an ASCII stand-in for old clients.
func contentDisposition(name string) string {
	var ascii, ext strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	const attrChar = "!#$&+-.^_`|~"
	for _, b := range []byte(name) {
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte(attrChar, b) >= 0 {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}
