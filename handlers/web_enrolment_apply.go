package handlers

// The application form: an artisan (by the number of their record) and a scheme. A
// refusal on eligibility names, next to the artisan field, each rule the artisan fails.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// enrolmentApplyData is the Data of enrolments/apply.
type enrolmentApplyData struct {
	Controls []control
	Problem  problem
}

// eligibilityFields are the fields app names when an artisan fails a scheme's rule; the
// form has no control for them, so they are shown on the artisan field.
var eligibilityFields = []string{"status", "age", "gender", "social_category", "district", "sector", "craft", "bank_account"}

func (s *Server) enrolmentApplyPage(c *fiber.Ctx) error {
	values := map[string]string{"scheme": c.Query("scheme"), "artisan_id": c.Query("artisan_id")}
	return s.renderEnrolmentApply(c, fiber.StatusOK, values, nil)
}

func (s *Server) enrolmentApplySubmit(c *fiber.Ctx) error {
	values := map[string]string{"scheme": c.FormValue("scheme"), "artisan_id": strings.TrimSpace(c.FormValue("artisan_id"))}
	in := app.EnrolmentInput{Scheme: values["scheme"]}
	var err error
	if in.ArtisanID, err = strconv.ParseInt(app.NormalizeDigits(values["artisan_id"]), 10, 64); err != nil || in.ArtisanID <= 0 {
		v := app.Invalid{"artisan_id": app.Msg("validation.number")}
		if values["artisan_id"] == "" {
			v["artisan_id"] = app.Msg(app.KeyRequired)
		}
		if in.Scheme == "" {
			v.Add("scheme", app.KeyRequired)
		}
		return s.renderEnrolmentApply(c, fiber.StatusUnprocessableEntity, values, classify(v.Err()))
	}
	en, err := s.enrolments().Apply(c.UserContext(), actor(c), in)
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		return s.renderEnrolmentApply(c, statusOf[e.Code], values, e)
	}
	s.flash(c, "success", "enrolments.flash.applied")
	return c.Redirect("/enrolments/"+idString(en.ID), fiber.StatusSeeOther)
}

func (s *Server) renderEnrolmentApply(c *fiber.Ctx, status int, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	data := &enrolmentApplyData{}
	if e != nil {
		data.Problem = problemOf(lang, e)
		var reasons []string
		for _, f := range eligibilityFields {
			if m, ok := data.Problem.fields[f]; ok {
				reasons = append(reasons, m)
				delete(data.Problem.fields, f)
			}
		}
		if len(reasons) > 0 {
			data.Problem.fields["artisan_id"] = views.T(lang, "enrolments.ineligible", nil) + " " + strings.Join(reasons, " ")
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	data.Controls = []control{
		b.text("artisan_id", "enrolments.field.artisan_id").req().mode("numeric").maxlen(12).hint(b.t("enrolments.hint.artisan_id")),
		b.choice("scheme", "enrolments.field.scheme", b.t("registry.choose"), plain(s.schemeOptions(c, lang, true))).req(),
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "enrolments/apply", "enrolments.apply.title", data)
}
