package handlers

// The month-close page: for a chosen month, every district in the reader's scope, open or
// closed, with the close button (DIC officer of the district, state admin) and the reopen
// form that needs a reason (state admin).

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// monthsData is the Data of months/index.
type monthsData struct {
	Month     string
	MonthCtl  control
	Problem   problem
	Rows      []monthRow
	PrevHref  string
	NextHref  string
	MonthName string
}

type monthRow struct {
	District, Slug, State, ClosedBy, ClosedAt string
	Closed                                    bool
	ReopenedBy, ReopenedAt, ReopenReason      string
	CloseAction, ReopenAction                 string
	Reason                                    control // the reopen reason, with its own id per district
	Open                                      bool    // the reopen form is opened by its error
}

func (s *Server) monthsPage(c *fiber.Ctx) error {
	month := c.Query("month")
	if month == "" {
		month = app.MonthOf(time.Now().In(ist)).Prev().String() // the month usually being closed
	}
	return s.renderMonths(c, fiber.StatusOK, month, "", nil)
}

func (s *Server) monthCloseSubmit(c *fiber.Ctx) error {
	district, month := c.Params("district"), c.Params("month")
	if _, err := s.monthCloses().Close(c.UserContext(), actor(c), district, month); err != nil {
		return s.monthFailed(c, month, district, err)
	}
	s.flash(c, "success", "months.flash.closed")
	return c.Redirect("/months?month="+month, fiber.StatusSeeOther)
}

func (s *Server) monthReopenSubmit(c *fiber.Ctx) error {
	district, month := c.Params("district"), c.Params("month")
	if _, err := s.monthCloses().Reopen(c.UserContext(), actor(c), district, month, c.FormValue("reason")); err != nil {
		return s.monthFailed(c, month, district, err)
	}
	s.flash(c, "success", "months.flash.reopened")
	return c.Redirect("/months?month="+month, fiber.StatusSeeOther)
}

func (s *Server) monthFailed(c *fiber.Ctx, month, district string, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	if _, perr := app.ParseMonth(month); perr != nil {
		return app.ErrNotFound // no such page to show the problem on
	}
	return s.renderMonths(c, statusOf[e.Code], month, district, e)
}

// renderMonths shows the districts for month; failed names the district whose form e
// is about.
func (s *Server) renderMonths(c *fiber.Ctx, status int, month, failed string, e *app.Error) error {
	a, lang := actor(c), s.lang(c)
	data := &monthsData{Month: month}
	if e != nil {
		data.Problem = problemOf(lang, e)
	}
	rows, err := s.monthCloses().Status(c.UserContext(), a, month)
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status, data.Problem = statusOf[e.Code], problemOf(lang, e)
	}
	b := formBuilder{lang: lang, values: map[string]string{"month": month}, errors: data.Problem.fields}
	data.MonthCtl = b.text("month", "months.field.month").mode("numeric").maxlen(7).hint(b.t("enrolments.hint.month"))
	if m, err := app.ParseMonth(month); err == nil {
		data.PrevHref, data.NextHref = "/months?month="+m.Prev().String(), "/months?month="+m.Next().String()
		data.MonthName = views.T(lang, "months.month_of", map[string]string{"month": m.String()})
	}
	var reasonCtl control
	for _, r := range rows {
		row := monthRow{District: pick(lang, r.DistrictName, r.DistrictNameHi), Slug: r.District, Closed: r.Closed,
			ClosedBy: r.ClosedByName, ReopenedBy: r.ReopenedByName, ReopenReason: r.ReopenReason}
		row.State = views.T(lang, "months.state.open", nil)
		if r.Closed {
			row.State = views.T(lang, "months.state.closed", nil)
		}
		if r.ClosedAt != nil {
			row.ClosedAt = formatDateTime(*r.ClosedAt)
		}
		if r.ReopenedAt != nil {
			row.ReopenedAt = formatDateTime(*r.ReopenedAt)
		}
		base := "/months/" + r.District + "/" + month
		if !r.Closed && s.authz.Can(a.UserID, r.District, "month", "close") {
			row.CloseAction = base + "/close"
		}
		if r.Closed && s.authz.Can(a.UserID, r.District, "month", "reopen") {
			row.ReopenAction = base + "/reopen"
			var errs map[string]string
			values := map[string]string{}
			if r.District == failed {
				errs, values["reason"], row.Open = data.Problem.fields, c.FormValue("reason"), true
			}
			rb := formBuilder{lang: lang, values: values, errors: errs}
			row.Reason = rb.textarea("reason", "months.field.reason").req().id("f-reason-" + r.District).hint(rb.t("months.hint.reason"))
			if row.Open {
				reasonCtl = row.Reason
			}
		}
		data.Rows = append(data.Rows, row)
	}
	data.Problem.Items = summarize([]control{data.MonthCtl, reasonCtl}, data.Problem)
	return s.render(c, status, "months/index", "months.title", data)
}
