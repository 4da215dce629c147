package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"shilpkosh/app"
)

// districtText holds the district report's own headings and labels in English and Hindi.
var districtText = map[string]map[string]string{
	"en": {
		"department":     "Department of Industries & Commerce, Government of Rajasthan",
		"title":          "District monthly progress report",
		"district":       "District",
		"division":       "Division",
		"fy":             "FY",
		"as_of":          "Figures as of",
		"closed":         "month closed",
		"provisional":    "month not closed: provisional figures",
		"summary":        "Summary",
		"indicator":      "Indicator",
		"this_month":     "This month",
		"prev_month":     "Previous month",
		"last_year":      "Same month last year",
		"change":         "Change",
		"fytd":           "FY to date",
		"fytd_last_year": "FY to date, last year",
		"registry":       "1. Artisan registry",
		"approved":       "Approved artisans at month end",
		"new_approvals":  "New approvals this month",
		"pending":        "Pending verification at month end",
		"age_0_7":        "Pending 0–7 days",
		"age_8_30":       "Pending 8–30 days",
		"age_30":         "Pending over 30 days",
		"count":          "Count",
		"sector":         "Sector",
		"craft":          "Craft",
		"gender":         "Gender",
		"category":       "Social category",
		"schemes":        "2. Schemes",
		"scheme":         "Scheme",
		"applications":   "Applications",
		"sanctioned":     "Sanctioned",
		"sanctioned_amt": "Amount sanctioned",
		"disbursed":      "Disbursements",
		"disbursed_amt":  "Amount disbursed",
		"applications_s": "Scheme applications",
		"sanctioned_s":   "Amount sanctioned",
		"disbursed_s":    "Amount disbursed",
		"no_schemes":     "No scheme applications, sanctions or disbursements this financial year.",
		"sales":          "3. Government-store sales",
		"sales_s":        "Government-store sales",
		"figure":         "Figure",
		"amount":         "Amount",
		"growth_prev":    "Growth on previous month",
		"growth_ly":      "Growth on same month last year",
		"growth_fytd":    "Growth of FY to date on last year",
		"trend":          "Sales, last 13 months",
		"by_store":       "Sales by store",
		"store":          "Store",
		"by_craft":       "Sales by craft",
		"top":            "Top 10 artisans by sales this month",
		"rank":           "#",
		"artisan":        "Artisan",
		"reg_no":         "Registration no.",
		"none":           "None.",
		"total":          "Total",
	},
	"hi": {
		"department":     "उद्योग एवं वाणिज्य विभाग, राजस्थान सरकार",
		"title":          "जिला मासिक प्रगति रिपोर्ट",
		"district":       "जिला",
		"division":       "संभाग",
		"fy":             "वित्त वर्ष",
		"as_of":          "आंकड़े दिनांक",
		"closed":         "माह बंद",
		"provisional":    "माह बंद नहीं: अनंतिम आंकड़े",
		"summary":        "सारांश",
		"indicator":      "संकेतक",
		"this_month":     "इस माह",
		"prev_month":     "पिछला माह",
		"last_year":      "गत वर्ष का यही माह",
		"change":         "परिवर्तन",
		"fytd":           "वित्त वर्ष में अब तक",
		"fytd_last_year": "गत वर्ष, वित्त वर्ष में अब तक",
		"registry":       "1. कारीगर पंजीकरण",
		"approved":       "माह के अंत में स्वीकृत कारीगर",
		"new_approvals":  "इस माह नई स्वीकृतियां",
		"pending":        "माह के अंत में सत्यापन हेतु लंबित",
		"age_0_7":        "लंबित 0–7 दिन",
		"age_8_30":       "लंबित 8–30 दिन",
		"age_30":         "लंबित 30 दिन से अधिक",
		"count":          "संख्या",
		"sector":         "क्षेत्र",
		"craft":          "शिल्प",
		"gender":         "लिंग",
		"category":       "सामाजिक वर्ग",
		"schemes":        "2. योजनाएं",
		"scheme":         "योजना",
		"applications":   "आवेदन",
		"sanctioned":     "स्वीकृत",
		"sanctioned_amt": "स्वीकृत राशि",
		"disbursed":      "भुगतान",
		"disbursed_amt":  "भुगतान राशि",
		"applications_s": "योजना आवेदन",
		"sanctioned_s":   "स्वीकृत राशि",
		"disbursed_s":    "भुगतान राशि",
		"no_schemes":     "इस वित्त वर्ष में कोई योजना आवेदन, स्वीकृति या भुगतान नहीं।",
		"sales":          "3. सरकारी विक्रय केंद्रों की बिक्री",
		"sales_s":        "सरकारी विक्रय केंद्रों की बिक्री",
		"figure":         "मद",
		"amount":         "राशि",
		"growth_prev":    "पिछले माह की तुलना में वृद्धि",
		"growth_ly":      "गत वर्ष के इसी माह की तुलना में वृद्धि",
		"growth_fytd":    "वित्त वर्ष में अब तक, गत वर्ष की तुलना में वृद्धि",
		"trend":          "बिक्री, पिछले 13 माह",
		"by_store":       "विक्रय केंद्रवार बिक्री",
		"store":          "विक्रय केंद्र",
		"by_craft":       "शिल्पवार बिक्री",
		"top":            "इस माह बिक्री में शीर्ष 10 कारीगर",
		"rank":           "क्र.",
		"artisan":        "कारीगर",
		"reg_no":         "पंजीकरण संख्या",
		"none":           "कोई नहीं।",
		"total":          "कुल",
	},
}

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"hi": {"जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"},
}

// DistrictLang returns "hi" for Hindi and "en" for anything else.
func DistrictLang(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "hi") {
		return "hi"
	}
	return "en"
}

// MonthName is "November 2026" or "नवंबर 2026".
func MonthName(m app.Month, lang string) string {
	return monthNames[DistrictLang(lang)][m.M-1] + " " + strconv.Itoa(m.Year)
}

func shortMonth(m app.Month, lang string) string {
	name := monthNames[DistrictLang(lang)][m.M-1]
	if DistrictLang(lang) == "en" {
		name = name[:3]
	}
	return fmt.Sprintf("%s %02d", name, m.Year%100)
}

// DistrictFilename is the download name of a district report: jaipur-2026-11.pdf.
func DistrictFilename(r *app.DistrictReport) string {
	return r.District.Key + "-" + r.Month.String() + ".pdf"
}

// growth formats a percentage change: +12.5%, -3.0%, or "—" where there is no base.
func growth(g *float64) string {
	if g == nil {
		return "—"
	}
	return fmt.Sprintf("%+.1f%%", *g)
}

func count(n int64) string { return app.FormatIndian(n) }

func money(p app.Paise) string { return app.FormatRupees(p) }

// DistrictMonthly renders the district monthly progress report as an A4 portrait PDF in
// lang ("en" or "hi"), without a verification code: Renderer.DistrictPDF adds it. The
// same report gives the same bytes: the document's date is r.AsOf, never the clock.
func DistrictMonthly(r *app.DistrictReport, lang string) ([]byte, error) {
	return districtMonthly(r, lang, nil)
}

// asOfText is the report's as-of time as officials read it, in India time.
func asOfText(t time.Time) string { return t.In(app.ReportZone()).Format("02-01-2006 15:04") + " IST" }

func districtMonthly(r *app.DistrictReport, lang string, v *verification) ([]byte, error) {
	d, err := districtDoc(r, lang, v)
	if err != nil {
		return nil, err
	}
	return d.Bytes()
}

// districtDoc lays the report out; its tables are also what DistrictXLSX writes.
func districtDoc(r *app.DistrictReport, lang string, v *verification) (*Doc, error) {
	if r == nil {
		return nil, fmt.Errorf("reports: no district report")
	}
	lang = DistrictLang(lang)
	tx := districtText[lang]
	month := MonthName(r.Month, lang)
	title := tx["title"] + " — " + r.District.EN + " (" + r.District.HI + ") — " + month
	d := New(Options{Title: title, Author: tx["department"], Lang: lang, Time: r.AsOf, Footer: v.footer(lang),
		Header: func(d *Doc, page int) { districtHeader(d, r, tx, month) }})
	w := d.ContentWidth()
	x := d.Left()

	// As-of line under the header of the first page.
	state := tx["provisional"]
	if r.Closed {
		state = tx["closed"]
	}
	d.SetTextColor(80, 80, 80)
	y := d.Y()
	y += d.Paragraph(x, y, w, tx["as_of"]+" "+asOfText(r.AsOf)+" ("+state+") · "+
		tx["division"]+": "+r.Division.In(lang), 8.5, false)
	d.SetTextColor(0, 0, 0)
	d.SetY(y + 2)

	districtSummary(d, r, tx)
	districtRegistry(d, r, tx, lang)
	districtSchemes(d, r, tx, lang)
	districtSales(d, r, tx, lang)
	districtEcommerce(d, r, lang)
	if err := v.block(d, lang); err != nil {
		return nil, err
	}
	return d, nil
}

func districtHeader(d *Doc, r *app.DistrictReport, tx map[string]string, month string) {
	x, w := d.Left(), d.ContentWidth()
	d.SetTextColor(90, 90, 90)
	d.Text(x, 10, tx["department"], 8, false)
	d.SetTextColor(0, 0, 0)
	d.Text(x, 16, tx["title"], 12, true)
	right := tx["district"] + ": " + r.District.EN + " / " + r.District.HI
	d.TextAligned(x, 16, w, right, 10, true, AlignRight)
	d.SetTextColor(60, 60, 60)
	d.TextAligned(x, 21, w, month+" · "+tx["fy"]+" "+r.FY.String(), 9, false, AlignRight)
	d.SetTextColor(0, 0, 0)
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x, 23.5, x+w, 23.5)
	d.SetY(26)
}

// heading draws a section heading; the tables after it are named by it in the XLSX.
func heading(d *Doc, s string, size float64) {
	d.section = s
	lines := d.Wrap(s, d.ContentWidth(), size, true)
	// Keep a heading with at least a few lines of what follows.
	d.EnsureSpace(float64(len(lines))*LineHeight(size) + 20)
	d.SetY(d.Y() + d.Paragraph(d.Left(), d.Y(), d.ContentWidth(), s, size, true) + 0.8)
}

func gap(d *Doc, mm float64) { d.SetY(d.Y() + mm) }

func districtSummary(d *Doc, r *app.DistrictReport, tx map[string]string) {
	heading(d, tx["summary"], 12)
	labels := map[string]string{
		app.FigApproved: tx["approved"], app.FigNewApprovals: tx["new_approvals"], app.FigPending: tx["pending"],
		app.FigApplications: tx["applications_s"], app.FigSanctioned: tx["sanctioned_s"],
		app.FigDisbursed: tx["disbursed_s"], app.FigSales: tx["sales_s"],
	}
	t := Table{Columns: []Column{
		{Title: tx["indicator"]},
		{Title: tx["this_month"], Width: 27, Align: AlignRight},
		{Title: tx["prev_month"], Width: 27, Align: AlignRight},
		{Title: tx["change"], Width: 17, Align: AlignRight},
		{Title: tx["last_year"], Width: 27, Align: AlignRight},
		{Title: tx["change"], Width: 17, Align: AlignRight},
	}}
	for _, f := range r.Summary {
		format := count
		if f.Money {
			format = func(n int64) string { return money(app.Paise(n)) }
		}
		t.Rows = append(t.Rows, []string{labels[f.Key], format(f.Value), format(f.Prev),
			growth(app.Growth(app.Paise(f.Value), app.Paise(f.Prev))), format(f.LastYear),
			growth(app.Growth(app.Paise(f.Value), app.Paise(f.LastYear)))})
	}
	// The box: a frame round the summary table.
	top := d.Y()
	d.Table(t)
	if d.Y() > top { // drawn on one page
		d.pdf.SetDrawColor(30, 60, 110)
		d.pdf.SetLineWidth(0.6)
		d.pdf.Rect(d.Left()-1, top-1, d.ContentWidth()+2, d.Y()-top+2, "D")
	}
	gap(d, 6)
}

func countTable(d *Doc, first string, tx map[string]string, rows []app.CountRow, lang string) {
	t := Table{Columns: []Column{{Title: first}, {Title: tx["count"], Width: 30, Align: AlignRight}}}
	var total int64
	for _, c := range rows {
		t.Rows = append(t.Rows, []string{c.In(lang), count(c.N)})
		total += c.N
	}
	if len(rows) == 0 {
		t.Rows = append(t.Rows, []string{tx["none"], count(0)})
	} else {
		t.Rows = append(t.Rows, []string{tx["total"], count(total)})
	}
	d.Table(t)
	gap(d, 4)
}

func districtRegistry(d *Doc, r *app.DistrictReport, tx map[string]string, lang string) {
	g := r.Registry
	heading(d, tx["registry"], 12)
	d.Table(Table{Columns: []Column{{Title: tx["indicator"]}, {Title: tx["count"], Width: 30, Align: AlignRight}},
		Rows: [][]string{
			{tx["approved"], count(g.Approved)},
			{tx["new_approvals"], count(g.NewApprovals)},
			{tx["pending"], count(g.Pending)},
			{tx["age_0_7"], count(g.PendingAge[0])},
			{tx["age_8_30"], count(g.PendingAge[1])},
			{tx["age_30"], count(g.PendingAge[2])},
		}})
	gap(d, 4)
	countTable(d, tx["sector"], tx, g.BySector, lang)
	countTable(d, tx["gender"], tx, g.ByGender, lang)
	countTable(d, tx["category"], tx, g.ByCategory, lang)
	countTable(d, tx["craft"], tx, g.ByCraft, lang)
	gap(d, 2)
}

func schemeTable(d *Doc, tx map[string]string, r *app.DistrictReport, lang string, pick func(app.SchemeRow) app.SchemeFigures) {
	t := Table{Columns: []Column{
		{Title: tx["scheme"]},
		{Title: tx["applications"], Width: 25, Align: AlignRight},
		{Title: tx["sanctioned"], Width: 23, Align: AlignRight},
		{Title: tx["sanctioned_amt"], Width: 27, Align: AlignRight},
		{Title: tx["disbursed"], Width: 28, Align: AlignRight},
		{Title: tx["disbursed_amt"], Width: 27, Align: AlignRight},
	}}
	row := func(name string, f app.SchemeFigures) []string {
		return []string{name, count(f.Applications), count(f.Sanctioned), money(f.SanctionedPaise),
			count(f.Disbursed), money(f.DisbursedPaise)}
	}
	for _, s := range r.Schemes {
		t.Rows = append(t.Rows, row(s.Scheme.In(lang), pick(s)))
	}
	t.Rows = append(t.Rows, row(tx["total"], pick(r.SchemesTotal)))
	d.Table(t)
	gap(d, 4)
}

func districtSchemes(d *Doc, r *app.DistrictReport, tx map[string]string, lang string) {
	heading(d, tx["schemes"], 12)
	if len(r.Schemes) == 0 {
		d.SetY(d.Y() + d.Paragraph(d.Left(), d.Y(), d.ContentWidth(), tx["no_schemes"], 9.5, false))
		gap(d, 4)
		return
	}
	heading(d, tx["this_month"], 10)
	schemeTable(d, tx, r, lang, func(s app.SchemeRow) app.SchemeFigures { return s.Month })
	heading(d, tx["fytd"]+" ("+tx["fy"]+" "+r.FY.String()+")", 10)
	schemeTable(d, tx, r, lang, func(s app.SchemeRow) app.SchemeFigures { return s.FYTD })
	gap(d, 2)
}

func salesTable(d *Doc, first string, tx map[string]string, rows []app.SalesRow, lang string) {
	t := Table{Columns: []Column{
		{Title: first},
		{Title: tx["this_month"], Width: 27, Align: AlignRight},
		{Title: tx["prev_month"], Width: 27, Align: AlignRight},
		{Title: tx["last_year"], Width: 27, Align: AlignRight},
		{Title: tx["fytd"], Width: 28, Align: AlignRight},
	}}
	var tot app.SalesRow
	for _, s := range rows {
		t.Rows = append(t.Rows, []string{s.In(lang), money(s.Month), money(s.Prev), money(s.LastYear), money(s.FYTD)})
		tot.Month, tot.Prev, tot.LastYear, tot.FYTD = tot.Month+s.Month, tot.Prev+s.Prev, tot.LastYear+s.LastYear, tot.FYTD+s.FYTD
	}
	if len(rows) == 0 {
		t.Rows = append(t.Rows, []string{tx["none"], "", "", "", ""})
	} else {
		t.Rows = append(t.Rows, []string{tx["total"], money(tot.Month), money(tot.Prev), money(tot.LastYear), money(tot.FYTD)})
	}
	d.Table(t)
	gap(d, 4)
}

func districtSales(d *Doc, r *app.DistrictReport, tx map[string]string, lang string) {
	s := r.Sales
	heading(d, tx["sales"], 12)
	d.Table(Table{Columns: []Column{{Title: tx["figure"]}, {Title: tx["amount"], Width: 40, Align: AlignRight}},
		Rows: [][]string{
			{tx["this_month"], money(s.Month)},
			{tx["prev_month"], money(s.Prev)},
			{tx["last_year"], money(s.LastYear)},
			{tx["fytd"] + " (" + tx["fy"] + " " + r.FY.String() + ")", money(s.FYTD)},
			{tx["fytd_last_year"], money(s.FYTDLastYear)},
			{tx["growth_prev"], growth(s.GrowthPrev)},
			{tx["growth_ly"], growth(s.GrowthLastYear)},
			{tx["growth_fytd"], growth(s.GrowthFYTD)},
		}})
	gap(d, 4)

	// Trend chart.
	const chartH = 62.0
	d.EnsureSpace(LineHeight(10) + chartH + 4) // the heading stays with its chart
	heading(d, tx["trend"], 10)
	labels := make([]string, len(s.Trend))
	values := make([]int64, len(s.Trend))
	for i, t := range s.Trend {
		labels[i] = shortMonth(t.Month, lang)
		values[i] = int64(t.Paise) / 100 // whole rupees
	}
	d.BarChart(d.Left(), d.Y(), d.ContentWidth(), chartH, labels, values,
		func(v int64) string { return money(app.Paise(v * 100)) })
	d.SetY(d.Y() + chartH + 6)

	heading(d, tx["by_store"], 10)
	salesTable(d, tx["store"], tx, s.ByStore, lang)
	heading(d, tx["by_craft"], 10)
	salesTable(d, tx["craft"], tx, s.ByCraft, lang)

	heading(d, tx["top"], 10)
	t := Table{Columns: []Column{
		{Title: tx["rank"], Width: 10, Align: AlignRight},
		{Title: tx["artisan"]},
		{Title: tx["reg_no"], Width: 38},
		{Title: tx["craft"], Width: 45},
		{Title: tx["this_month"], Width: 28, Align: AlignRight},
	}}
	for i, a := range s.TopArtisans {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), a.Name.In(lang), a.RegistrationNo, a.Craft.In(lang), money(a.Paise)})
	}
	if len(s.TopArtisans) == 0 {
		t.Rows = append(t.Rows, []string{"", tx["none"], "", "", ""})
	}
	d.Table(t)
}
