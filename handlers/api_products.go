package handlers

// The product catalogue's JSON API: products, their photos and the catalogue export.

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

func (s *Server) products() *app.Products { return &app.Products{DB: s.db, Authz: s.authz} }
func (s *Server) productPhotos() *app.ProductPhotos {
	return &app.ProductPhotos{DB: s.db, Authz: s.authz, DataDir: s.cfg.DataDir}
}

// productFilter reads ?district=&artisan=&craft= (artisan_id is accepted for artisan).
func productFilter(c *fiber.Ctx) (app.ProductFilter, error) {
	v := app.Invalid{}
	f := app.ProductFilter{District: c.Query("district"), Craft: c.Query("craft"), ArtisanID: int64Query(c, v, "artisan")}
	if f.ArtisanID == 0 {
		f.ArtisanID = int64Query(c, v, "artisan_id")
	}
	return f, v.Err()
}

func (s *Server) apiProductList(c *fiber.Ctx) error {
	f, err := productFilter(c)
	if err != nil {
		return err
	}
	out, err := s.products().List(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(items(out))
}

func (s *Server) apiProductCreate(c *fiber.Ctx) error {
	var in app.ProductInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.products().Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) apiProductGet(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.products().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// apiProductUpdate is a partial update: the body overwrites the fields it names; its
// version guards against a concurrent change.
func (s *Server) apiProductUpdate(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.products().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	in := cur.Input()
	in.Version = 0
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return app.Invalid{"version": app.Msg("validation.required")}.Err()
	}
	p, err := s.products().Update(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiProductPhotoUpload(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ph, err := s.uploadProductPhoto(c, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ph)
}

// uploadProductPhoto stores the file field of a multipart form; what the client says of the
// file decides nothing, app sniffs the bytes.
func (s *Server) uploadProductPhoto(c *fiber.Ctx, productID int64) (*app.ProductPhoto, error) {
	name, size := "", int64(-1)
	var file io.Reader
	if form, err := c.MultipartForm(); err == nil {
		switch files := form.File["file"]; {
		case len(files) > 1:
			return nil, app.Invalid{"file": app.Msg("document.one_file")}.Err()
		case len(files) == 1:
			f, err := files[0].Open()
			if err != nil {
				return nil, err
			}
			defer f.Close()
			file, name, size = f, files[0].Filename, files[0].Size
		}
	}
	return s.productPhotos().Upload(c.UserContext(), actor(c), productID, name, file, size)
}

// sendPhoto answers a photo inline, with its sniffed type, nosniff and a sandbox, so it shows
// in an <img> but never runs as anything else.
func (s *Server) sendPhoto(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ph, r, err := s.productPhotos().Open(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ph.ContentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	return c.SendStream(r, int(ph.SizeBytes))
}

func (s *Server) apiPhotoGet(c *fiber.Ctx) error { return s.sendPhoto(c) }

// sendCatalogue answers ?format=csv|xlsx&artisan=|district= as a file to save. A catalogue
// holds at most app.MaxProductList products, so it is built in memory.
func (s *Server) sendCatalogue(c *fiber.Ctx) error {
	format := c.Query("format", app.FormatCSV)
	if format != app.FormatCSV && format != app.FormatXLSX {
		return app.Invalid{"format": app.Msg("validation.choice")}.Err()
	}
	f, err := productFilter(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if _, err := s.products().Export(c.UserContext(), actor(c), f, format, &b); err != nil {
		return err
	}
	mime := mimeCSV
	if format == app.FormatXLSX {
		mime = mimeXLSX
	}
	download(c, mime, app.ExportFileName("catalogue", format))
	return c.Send(b.Bytes())
}

func (s *Server) apiProductExport(c *fiber.Ctx) error { return s.sendCatalogue(c) }
