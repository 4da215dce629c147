package handlers

// The home page: a greeting, the reader's grants and the dashboard. app builds the figures
// within the reader's scope; each dashBlocks function here turns one block into words,
// links and a chart, and returns nil when the reader has no such block.

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

func (s *Server) dashboards() *app.Dashboards {
	return &app.Dashboards{DB: s.db, Authz: s.authz, Artisans: s.artisans}
}

func (s *Server) homePage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	d, err := s.dashboards().Build(c.UserContext(), a, app.Now())
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := views.HomeData{
		Greeting: views.T(lang, "home.greeting", map[string]string{"name": a.Name}),
		Grants:   s.roleLines(c, lang, a.UserID),
	}
	w := dashWords{lang: lang, refs: refs}
	for _, block := range dashBlocks {
		if b := block(w, d); b != nil {
			data.Blocks = append(data.Blocks, *b)
		}
	}
	return s.render(c, fiber.StatusOK, "home/index", "nav.home", data)
}

// dashBlocks are the dashboard's blocks in page order, each a function from the
// app.Dashboard field of its feature (the e-commerce ones are in web_home_ecommerce.go).
var dashBlocks = []func(w dashWords, d *app.Dashboard) *views.DashBlock{
	dashInbox,
	dashRegistry,
	dashSchemes,
	dashSales,
	dashMonths,
	dashOnboarding,
	dashReadiness,
	dashPriceFlags,
	dashReports,
}

// dashWords formats figures for one reader.
type dashWords struct {
	lang string
	refs *refLabels
}

func (w dashWords) t(key string, pairs ...string) string {
	var args map[string]string
	if len(pairs) > 0 {
		args = map[string]string{}
		for i := 0; i+1 < len(pairs); i += 2 {
			args[pairs[i]] = pairs[i+1]
		}
	}
	return views.T(w.lang, key, args)
}

func (w dashWords) count(n int64) string { return app.FormatIndian(n) }

// month names a month, "October 2026" or "अक्टूबर 2026".
func (w dashWords) month(m app.Month) string { return views.MonthName(w.lang, m.String()) }

// oldestWaiting says how long the oldest inbox item has waited: "arrived today", "1 day",
// "12 days".
func (w dashWords) oldestWaiting(days int) string {
	switch days {
	case 0:
		return w.t("dashboard.inbox.oldest_today")
	case 1:
		return w.t("dashboard.inbox.oldest_one")
	}
	return w.t("dashboard.inbox.oldest", "days", w.count(int64(days)))
}

// shortMonth is a chart label: "Oct" or "अक्टू".
func (w dashWords) shortMonth(m app.Month) string {
	return w.t("dashboard.month_short." + strconv.Itoa(int(m.M)))
}

func dashInbox(w dashWords, d *app.Dashboard) *views.DashBlock {
	in := d.Inbox
	if in == nil {
		return nil
	}
	pending := w.count(in.Pending)
	if in.Capped {
		pending += "+"
	}
	f := views.DashFigure{Label: w.t("dashboard.inbox.pending"), Value: pending, Href: "/inbox"}
	if in.Pending > 0 {
		f.Note = w.oldestWaiting(in.OldestDays)
		f.Alert = in.OldestDays > 7
	} else {
		f.Note = w.t("dashboard.inbox.empty")
	}
	return &views.DashBlock{ID: "dash-inbox", Title: w.t("dashboard.inbox.title"), Figures: []views.DashFigure{f}}
}

func dashRegistry(w dashWords, d *app.Dashboard) *views.DashBlock {
	r := d.Registry
	if r == nil {
		return nil
	}
	return &views.DashBlock{ID: "dash-registry", Title: w.t("dashboard.registry.title"), Figures: []views.DashFigure{
		{Label: w.t("dashboard.registry.approved"), Value: w.count(r.Approved), Href: "/artisans?status=approved"},
		{Label: w.t("dashboard.registry.new"), Value: w.count(r.NewThisMonth), Note: w.month(d.Month), Href: "/artisans?sort=created"},
		{Label: w.t("dashboard.registry.approved_month"), Value: w.count(r.ApprovedThisMonth), Note: w.month(d.Month),
			Href: "/artisans?status=approved"},
	}}
}

func dashSchemes(w dashWords, d *app.Dashboard) *views.DashBlock {
	sc := d.Schemes
	if sc == nil {
		return nil
	}
	month := w.month(d.Month)
	return &views.DashBlock{ID: "dash-schemes", Title: w.t("dashboard.schemes.title", "month", month), Figures: []views.DashFigure{
		{Label: w.t("dashboard.schemes.sanctioned"), Value: app.FormatRupees(sc.SanctionedPaise),
			Note: w.t("dashboard.schemes.enrolments", "n", w.count(sc.Sanctioned)), Href: "/enrolments?status=sanctioned"},
		{Label: w.t("dashboard.schemes.disbursed"), Value: app.FormatRupees(sc.DisbursedPaise),
			Note: w.t("dashboard.schemes.instalments", "n", w.count(sc.Disbursed)), Href: "/enrolments?status=disbursed"},
	}}
}

func dashSales(w dashWords, d *app.Dashboard) *views.DashBlock {
	sa := d.Sales
	if sa == nil {
		return nil
	}
	lastYear := d.Month.SameMonthLastYear()
	b := &views.DashBlock{ID: "dash-sales", Title: w.t("dashboard.sales.title"), Figures: []views.DashFigure{
		{Label: w.month(d.Month), Value: app.FormatRupees(sa.Month), Note: w.growth(sa.Month, sa.LastYear, lastYear),
			Href: salesHref(d.Month)},
		{Label: w.month(lastYear), Value: app.FormatRupees(sa.LastYear), Href: salesHref(lastYear)},
	}}
	if !slices.ContainsFunc(sa.Trend, func(m app.MonthSales) bool { return m.Paise != 0 }) {
		b.Notes = append(b.Notes, w.t("dashboard.sales.none_in_trend")) // an empty chart says nothing
		return b
	}
	var labels, shorts, formatted []string
	var values []int64
	for _, m := range sa.Trend {
		labels = append(labels, w.month(m.Month))
		shorts = append(shorts, w.shortMonth(m.Month))
		formatted = append(formatted, app.FormatRupees(m.Paise))
		values = append(values, int64(m.Paise))
	}
	b.Chart = views.NewBarChart(w.t("dashboard.sales.chart", "from", labels[0], "to", w.month(d.Month)),
		w.t("dashboard.sales.col_month"), w.t("dashboard.sales.col_amount"), labels, shorts, formatted, values)
	return b
}

// growth compares a month with the same month last year: "+93.8% on October 2025".
func (w dashWords) growth(now, before app.Paise, beforeMonth app.Month) string {
	if before == 0 {
		return w.t("dashboard.sales.no_base", "month", w.month(beforeMonth))
	}
	pct := float64(now-before) * 100 / float64(before)
	sign := "+"
	if pct < 0 {
		sign = "−"
		pct = -pct
	}
	return w.t("dashboard.sales.growth", "pct", sign+strconv.FormatFloat(pct, 'f', 1, 64), "month", w.month(beforeMonth))
}

// salesHref is the sales list of one month: the list's filter is a range of months.
func salesHref(m app.Month) string {
	return "/sales?" + url.Values{"from": {m.String()}, "to": {m.String()}}.Encode()
}

func dashMonths(w dashWords, d *app.Dashboard) *views.DashBlock {
	m := d.Months
	if m == nil {
		return nil
	}
	f := views.DashFigure{Label: w.t("dashboard.months.closed", "month", w.month(m.Month)),
		Value: fmt.Sprintf("%s / %s", w.count(m.Closed), w.count(m.Districts)), Href: "/months"}
	f.Alert = m.Closed < m.Districts
	b := &views.DashBlock{ID: "dash-months", Title: w.t("dashboard.months.title"), Figures: []views.DashFigure{f}}
	if len(m.Open) > 0 {
		names := make([]string, 0, len(m.Open))
		for _, slug := range m.Open {
			names = append(names, w.refs.district[slug])
		}
		list := strings.Join(names, ", ")
		if rest := m.Districts - m.Closed - int64(len(m.Open)); rest > 0 {
			list = w.t("dashboard.months.open_more", "list", list, "n", w.count(rest))
		}
		b.Notes = append(b.Notes, w.t("dashboard.months.open", "list", list))
	}
	return b
}
