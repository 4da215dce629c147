package handlers

// Bulk enrolment: a CSV or XLSX file of applications, saved all or nothing, with the
// problems shown row by row, and the empty workbook to fill in.

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// enrolmentImportData is the Data of enrolments/import.
type enrolmentImportData struct {
	FileError         string
	Message           string
	Problems          []importProblemRow
	More              string
	Created, Existing string
	Done              bool
}

func (s *Server) enrolmentImportPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "enrolments/import", "enrolments.import.title", &enrolmentImportData{})
}

// enrolmentImportSubmit saves the file and shows what happened on the same page: the
// counts, or the problems with nothing saved. A file uploaded twice adds nothing, so a
// reload of this answer does no harm.
func (s *Server) enrolmentImportSubmit(c *fiber.Ctx) error {
	data := &enrolmentImportData{}
	_, file, err := readUpload(c)
	var res *app.EnrolmentImportResult
	if err == nil {
		res, err = s.enrolments().Import(c.UserContext(), actor(c), file)
	}
	if err != nil {
		if !uploadProblems(s.lang(c), err, &data.FileError, &data.Message, &data.Problems, &data.More, "enrolments.column.") {
			return err
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "enrolments/import", "enrolments.import.title", data)
	}
	data.Done, data.Created, data.Existing = true, app.FormatIndian(int64(res.Created)), app.FormatIndian(int64(res.Existing))
	return s.render(c, fiber.StatusOK, "enrolments/import", "enrolments.import.title", data)
}
