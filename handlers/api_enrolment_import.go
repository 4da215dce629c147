package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// apiEnrolmentImport enrols the artisans of an uploaded file: 201 with the counts, or 422
// with the problems by row and nothing saved.
func (s *Server) apiEnrolmentImport(c *fiber.Ctx) error {
	_, data, err := readUpload(c)
	if err != nil {
		return err
	}
	res, err := s.enrolments().Import(c.UserContext(), actor(c), data)
	var rows app.RowErrors
	if err != nil && errors.As(err, &rows) {
		return s.importRowsRefused(c, "enrolment.import_failed", rows)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

// apiEnrolmentImportTemplate answers the empty bulk enrolment workbook.
func (s *Server) apiEnrolmentImportTemplate(c *fiber.Ctx) error {
	b, err := app.EnrolmentImportTemplate()
	if err != nil {
		return err
	}
	download(c, mimeXLSX, "enrolments-template.xlsx")
	return c.Send(b)
}
