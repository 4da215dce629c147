package handlers

// One enrolment: its figures, the instalments paid, the history, and the workflow forms
// the reader's role allows (verify; sanction an amount in rupees; disburse an instalment;
// reject with a reason, behind a confirmation; correct a payment recorded wrongly).

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// enrolmentStepOrder lists the steps in the order the page offers them.
var enrolmentStepOrder = []string{"verify", "sanction", "disburse", "correct", "reject"}

// enrolmentDetailData is the Data of enrolments/show.
type enrolmentDetailData struct {
	ID                   int64
	Status, StatusLabel  string
	Artisan, ArtisanHref string
	Scheme, SchemeHref   string
	Rows                 []detailRow
	RejectReason         string
	Instalments          []instalmentRow
	Steps                []stepForm
	History              []historyRow
	Problem              problem
}

// instalmentRow is a payment, or a correction of one with a note saying which and why.
type instalmentRow struct{ Amount, PaidOn, Reference, When, Note string }

func (s *Server) enrolmentPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderEnrolment(c, fiber.StatusOK, id, "", nil)
}

// enrolmentStepSubmit runs one step from its form; on failure the enrolment shows again
// with the problem next to the form.
func (s *Server) enrolmentStepSubmit(step string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		in := app.EnrolmentStep{PaidOn: isoDate(strings.TrimSpace(c.FormValue("paid_on"))),
			Reference: c.FormValue("reference"), Reason: c.FormValue("reason")}
		in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
		// An unreadable amount goes to app as zero, so every field is judged at once; its
		// message is then replaced by the one about the typing.
		amount, amountErr := app.ParseRupees(c.FormValue("amount"))
		if amountErr == nil {
			in.AmountPaise = amount
		}
		_, err = s.enrolments().Step(c.UserContext(), actor(c), id, step, in)
		return s.enrolmentStepDone(c, id, step, err, amountErr != nil && c.FormValue("amount") != "")
	}
}

// enrolmentCorrectSubmit records a correction of a payment from its form, where the amount
// is typed as the rupees taken back: app receives it negative.
func (s *Server) enrolmentCorrectSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := app.EnrolmentCorrection{Reason: c.FormValue("reason"), Reference: c.FormValue("reference")}
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	in.CorrectsID, _ = strconv.ParseInt(c.FormValue("corrects_id"), 10, 64)
	amount, amountErr := app.ParseRupees(c.FormValue("amount"))
	if amountErr == nil {
		in.AmountPaise = -amount
	}
	_, err = s.enrolments().Correct(c.UserContext(), actor(c), id, in)
	return s.enrolmentStepDone(c, id, "correct", err, amountErr != nil && c.FormValue("amount") != "")
}

// enrolmentStepDone goes back to the enrolment after a step: with a flash when it went
// through, or with the problem next to the step's form.
func (s *Server) enrolmentStepDone(c *fiber.Ctx, id int64, step string, err error, amountUnreadable bool) error {
	if err != nil {
		e := classify(err)
		switch e.Code {
		case app.EINVALID, app.ECONFLICT, app.EFORBIDDEN:
			return s.renderEnrolment(c, statusOf[e.Code], id, step, rupeeFields(e, amountUnreadable))
		}
		return err
	}
	s.flash(c, "success", "enrolments.flash."+step)
	return c.Redirect("/enrolments/"+idString(id), fiber.StatusSeeOther)
}

// rupeeFields moves app's amount_paise error to the form's amount field, typed in rupees,
// with a message that speaks of rupees.
func rupeeFields(e *app.Error, unreadable bool) *app.Error {
	m, ok := e.Fields["amount_paise"]
	if !ok {
		return e
	}
	out := *e
	out.Fields = map[string]app.Message{}
	for k, v := range e.Fields {
		out.Fields[k] = v
	}
	delete(out.Fields, "amount_paise")
	switch {
	case unreadable:
		m = app.Msg(app.KeyAmount)
	case m.Key == "enrolment.amount" || m.Key == "sale.amount_positive":
		m = app.Msg("enrolments.amount_rupees")
	case m.Key == "enrolment.correction_amount":
		m = app.Msg("enrolments.correction_amount_rupees")
	}
	out.Fields["amount"] = m
	return &out
}

// renderEnrolment shows an enrolment; failedStep and e describe a step that failed.
func (s *Server) renderEnrolment(c *fiber.Ctx, status int, id int64, failedStep string, e *app.Error) error {
	ctx, act, lang := c.UserContext(), actor(c), s.lang(c)
	en, err := s.enrolments().Get(ctx, act, id)
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	tr := func(key string) string { return views.T(lang, key, nil) }
	data := &enrolmentDetailData{ID: en.ID, Status: en.Status, StatusLabel: tr("enrolments.status." + en.Status),
		Artisan: en.ArtisanName, ArtisanHref: "/artisans/" + idString(en.ArtisanID),
		Scheme: s.schemeNames(c, lang)[en.Scheme], SchemeHref: "/schemes/" + en.Scheme}
	if en.Status == app.EnrolmentRejected {
		data.RejectReason = en.RejectReason
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
	}
	data.Rows = []detailRow{
		{Label: tr("artisan.field.district"), Value: refs.district[en.District]},
		{Label: tr("enrolments.field.applied_at"), Value: formatDateTime(en.AppliedAt)},
		{Label: tr("enrolments.field.status_changed_at"), Value: formatDateTime(en.StatusChangedAt)},
		{Label: tr("enrolments.field.sanctioned"), Value: app.FormatRupees(en.SanctionedPaise)},
		{Label: tr("enrolments.field.disbursed"), Value: app.FormatRupees(en.DisbursedPaise)},
		{Label: tr("enrolments.field.left"), Value: app.FormatRupees(en.SanctionedPaise - en.DisbursedPaise)},
	}
	data.Instalments = instalmentRows(lang, en.Disbursements)
	typed := map[string]string{}
	if failedStep != "" { // what was typed into the failed form comes back into it
		for _, k := range []string{"amount", "paid_on", "reference", "reason", "corrects_id"} {
			typed[k] = c.FormValue(k)
		}
	}
	data.Steps = s.enrolmentSteps(lang, act, en, failedStep, typed, data.Problem)
	for _, st := range data.Steps {
		if st.Step == failedStep {
			data.Problem.Items = summarize(st.Controls, data.Problem)
		}
	}
	for _, ev := range en.History {
		row := historyRow{When: formatDateTime(ev.At), Who: ev.ActorName, Action: tr("enrolments.event." + ev.Action),
			To: tr("enrolments.status." + ev.ToStatus), Reason: ev.Reason}
		if ev.FromStatus != "" && ev.FromStatus != ev.ToStatus {
			row.From = tr("enrolments.status." + ev.FromStatus)
		}
		if ev.AmountPaise != 0 {
			row.Note = app.FormatRupees(ev.AmountPaise)
		}
		data.History = append(data.History, row)
	}
	slices.Reverse(data.History) // newest first
	return s.render(c, status, "enrolments/show", "enrolments.show.title", data)
}

// enrolmentSteps lists the forms the actor may use on the enrolment now: allowed by the
// policy in its district and possible from its status.
func (s *Server) enrolmentSteps(lang string, act app.Actor, en *app.Enrolment, failed string, typed map[string]string, p problem) []stepForm {
	var out []stepForm
	for _, step := range enrolmentStepOrder {
		permission := step
		if step == "correct" { // a correction is a payment's, and nothing paid has nothing to correct
			permission = "disburse"
		}
		if !app.EnrolmentStepAllowed(en.Status, step) || !s.authz.Can(act.UserID, en.District, "enrolment", permission) ||
			step == "reject" && en.DisbursedPaise > 0 || step == "correct" && en.DisbursedPaise == 0 {
			continue
		}
		f := stepForm{Step: step, Action: "/enrolments/" + idString(en.ID) + "/" + step,
			Label: views.T(lang, "enrolments.step."+step, nil), Class: "btn-primary", Version: en.Version}
		var errs, values map[string]string
		if step == failed {
			errs, values, f.Open = p.fields, typed, true
		}
		b := formBuilder{lang: lang, values: values, errors: errs}
		switch step {
		case "sanction":
			f.Controls = []control{b.text("amount", "enrolments.field.amount").req().id("f-sanction-amount").mode("decimal").
				hint(b.t("enrolments.hint.amount"))}
		case "disburse":
			left := app.FormatRupees(en.SanctionedPaise - en.DisbursedPaise)
			f.Controls = []control{
				b.text("amount", "enrolments.field.instalment").req().id("f-disburse-amount").mode("decimal").
					hint(views.T(lang, "enrolments.hint.instalment", map[string]string{"left": left})),
				b.text("paid_on", "enrolments.field.paid_on").req().id("f-disburse-paid-on").mode("numeric").maxlen(10).
					hint(b.t("schemes.hint.date")),
				b.text("reference", "enrolments.field.reference").req().id("f-disburse-reference").code().maxlen(100).
					hint(b.t("enrolments.hint.reference")),
			}
		case "correct":
			f.Class = "btn-secondary"
			f.Controls = []control{
				b.choice("corrects_id", "enrolments.field.corrects_id", b.t("registry.choose"), plain(paymentOptions(en.Disbursements))).req().
					id("f-correct-corrects-id").hint(b.t("enrolments.hint.correction")),
				b.text("amount", "enrolments.field.take_back").req().id("f-correct-amount").mode("decimal").
					hint(b.t("enrolments.hint.take_back")),
				b.textarea("reason", "enrolments.field.correction_reason").req().id("f-correct-reason"),
				b.text("reference", "enrolments.field.recovery_reference").id("f-correct-reference").code().maxlen(100),
			}
		case "reject":
			f.Class = "btn-danger"
			f.Controls = []control{b.textarea("reason", "enrolments.field.reject_reason").req().id("f-reject-reason").
				hint(b.t("enrolments.hint.reject_reason"))}
		}
		out = append(out, f)
	}
	return out
}

// instalmentRows lays out the payments and their corrections, oldest first; a correction
// says which payment it corrects and why.
func instalmentRows(lang string, ds []app.EnrolmentDisbursement) []instalmentRow {
	byID := map[int64]*app.EnrolmentDisbursement{}
	out := make([]instalmentRow, 0, len(ds))
	for i := range ds {
		d := &ds[i]
		byID[d.ID] = d
		row := instalmentRow{Amount: app.FormatRupees(d.AmountPaise), PaidOn: formatISODate(d.PaidOn),
			Reference: d.Reference, When: formatDateTime(d.At)}
		if d.CorrectsID != nil {
			if orig := byID[*d.CorrectsID]; orig != nil {
				row.Note = views.T(lang, "enrolments.corrects", map[string]string{"reference": orig.Reference,
					"date": formatISODate(orig.PaidOn), "reason": d.Reason})
			}
		}
		out = append(out, row)
	}
	return out
}

// paymentOptions are the payments a correction may point at: the instalments themselves,
// never a correction.
func paymentOptions(ds []app.EnrolmentDisbursement) []option {
	var out []option
	for _, d := range ds {
		if d.CorrectsID == nil {
			out = append(out, option{Value: idString(d.ID),
				Label: formatISODate(d.PaidOn) + " · " + app.FormatRupees(d.AmountPaise) + " · " + d.Reference})
		}
	}
	return out
}
