package reports

import (
	"fmt"
	"strconv"

	"shilpkosh/app"
)

// stateText holds the state summary's own headings in English and Hindi.
var stateText = map[string]map[string]string{
	"en": {
		"title":          "State summary of district progress",
		"state":          "Rajasthan",
		"ranked":         "Districts ranked on e-commerce onboarding progress, then on sales growth against the same month last year.",
		"onboarding_def": "Onboarded: the share of approved artisans listed, with a first sale or active on at least one platform at month end.",
		"closed":         "all districts closed the month",
		"rank_onb":       "Rank onb.",
		"rank_growth":    "Rank growth",
		"district":       "District",
		"division":       "Division",
		"approved":       "Approved artisans",
		"new":            "New approvals",
		"pending":        "Pending verification",
		"applications":   "Scheme applications",
		"sanctioned":     "Sanctioned",
		"disbursed":      "Disbursed",
		"sales":          "Sales this month",
		"sales_ly":       "Same month last year",
		"growth":         "Growth",
		"fytd":           "Sales FY to date",
		"onboarding":     "Onboarded",
		"divisions":      "Division subtotals",
		"districts":      "Districts",
	},
	"hi": {
		"title":          "जिलों की प्रगति का राज्य सारांश",
		"state":          "राजस्थान",
		"ranked":         "जिले ई-कॉमर्स ऑनबोर्डिंग प्रगति पर, फिर गत वर्ष के इसी माह की तुलना में बिक्री वृद्धि पर क्रमित।",
		"onboarding_def": "ऑनबोर्ड: माह के अंत में कम से कम एक प्लेटफ़ॉर्म पर सूचीबद्ध, पहली बिक्री वाले या सक्रिय स्वीकृत कारीगरों का प्रतिशत।",
		"closed":         "सभी जिलों ने माह बंद किया",
		"rank_onb":       "क्रम ऑनबो.",
		"rank_growth":    "क्रम वृद्धि",
		"district":       "जिला",
		"division":       "संभाग",
		"approved":       "स्वीकृत कारीगर",
		"new":            "नई स्वीकृतियां",
		"pending":        "सत्यापन हेतु लंबित",
		"applications":   "योजना आवेदन",
		"sanctioned":     "स्वीकृत राशि",
		"disbursed":      "भुगतान राशि",
		"sales":          "इस माह बिक्री",
		"sales_ly":       "गत वर्ष का यही माह",
		"growth":         "वृद्धि",
		"fytd":           "वित्त वर्ष में अब तक बिक्री",
		"onboarding":     "ऑनबोर्ड",
		"divisions":      "संभागवार योग",
		"districts":      "जिले",
	},
}

// StateFilename is the download name of the state summary: rajasthan-2026-10.pdf.
func StateFilename(r *app.StateReport) string { return "rajasthan-" + r.Month.String() + ".pdf" }

// StateMonthly renders the state summary as an A4 landscape PDF, without a
// verification code (Renderer.StatePDF adds it).
func StateMonthly(r *app.StateReport, lang string) ([]byte, error) { return stateMonthly(r, lang, nil) }

func stateMonthly(r *app.StateReport, lang string, v *verification) ([]byte, error) {
	d, err := stateDoc(r, lang, v)
	if err != nil {
		return nil, err
	}
	return d.Bytes()
}

// stateDoc lays the summary out; its tables are also what StateXLSX writes.
func stateDoc(r *app.StateReport, lang string, v *verification) (*Doc, error) {
	if r == nil {
		return nil, fmt.Errorf("reports: no state report")
	}
	lang = DistrictLang(lang)
	tx, dt := stateText[lang], districtText[lang]
	month := MonthName(r.Month, lang)
	d := New(Options{Title: tx["title"] + " — " + month, Author: dt["department"], Lang: lang, Time: r.AsOf,
		Landscape: true, Footer: v.footer(lang),
		Header: func(d *Doc, page int) { stateHeader(d, r, tx, dt, month) }})
	state := dt["provisional"]
	if r.Closed {
		state = tx["closed"]
	}
	d.SetTextColor(80, 80, 80)
	note := dt["as_of"] + " " + asOfText(r.AsOf) + " (" + state + "). " + tx["ranked"] + " " + tx["onboarding_def"]
	d.SetY(d.Y() + d.Paragraph(d.Left(), d.Y(), d.ContentWidth(), note, 8.5, false) + 2)
	d.SetTextColor(0, 0, 0)

	heading(d, tx["districts"], 11)
	t := stateTable(tx, true)
	for _, row := range r.Rows {
		t.Rows = append(t.Rows, stateCells(row, lang, true))
	}
	t.Rows = append(t.Rows, stateCells(r.Total, lang, true))
	d.Table(t)
	gap(d, 6)

	heading(d, tx["divisions"], 11)
	t = stateTable(tx, false)
	for _, row := range r.Divisions {
		t.Rows = append(t.Rows, stateCells(row, lang, false))
	}
	t.Rows = append(t.Rows, stateCells(r.Total, lang, false))
	d.Table(t)
	gap(d, 4)
	if err := v.block(d, lang); err != nil {
		return nil, err
	}
	return d, nil
}

func stateHeader(d *Doc, r *app.StateReport, tx, dt map[string]string, month string) {
	x, w := d.Left(), d.ContentWidth()
	d.SetTextColor(90, 90, 90)
	d.Text(x, 10, dt["department"], 8, false)
	d.SetTextColor(0, 0, 0)
	d.Text(x, 16, tx["title"], 12, true)
	d.TextAligned(x, 16, w, tx["state"], 10, true, AlignRight)
	d.SetTextColor(60, 60, 60)
	d.TextAligned(x, 21, w, month+" · "+dt["fy"]+" "+r.FY.String(), 9, false, AlignRight)
	d.SetTextColor(0, 0, 0)
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x, 23.5, x+w, 23.5)
	d.SetY(26)
}

// stateTable is the columns of the district table (ranked) or the division table.
func stateTable(tx map[string]string, districts bool) Table {
	var cols []Column
	if districts {
		cols = append(cols, Column{Title: tx["rank_onb"], Width: 13, Align: AlignRight},
			Column{Title: tx["rank_growth"], Width: 13, Align: AlignRight},
			Column{Title: tx["district"]}, Column{Title: tx["division"], Width: 20})
	} else {
		cols = append(cols, Column{Title: tx["division"]})
	}
	num := func(key string, w float64) Column { return Column{Title: tx[key], Width: w, Align: AlignRight} }
	cols = append(cols, num("approved", 17), num("new", 15), num("pending", 17), num("applications", 17),
		num("sanctioned", 20), num("disbursed", 20), num("sales", 21), num("sales_ly", 21), num("growth", 15),
		num("fytd", 22), num("onboarding", 16))
	return Table{Columns: cols, Size: 7.5}
}

func stateCells(r app.StateRow, lang string, districts bool) []string {
	var out []string
	if districts {
		ro, rg := "", ""
		if r.RankOnboarding > 0 {
			ro, rg = strconv.Itoa(r.RankOnboarding), strconv.Itoa(r.RankGrowth)
		}
		div := r.Division.In(lang)
		if r.District.Key == "total" {
			div = ""
		}
		out = append(out, ro, rg, r.District.In(lang), div)
	} else {
		out = append(out, r.District.In(lang))
	}
	return append(out, count(r.Approved), count(r.NewApprovals), count(r.Pending), count(r.Applications),
		money(r.Sanctioned), money(r.Disbursed), money(r.Sales), money(r.SalesLY), growth(r.SalesGrowth),
		money(r.SalesFYTD), fmt.Sprintf("%.1f%%", r.Onboarding))
}
