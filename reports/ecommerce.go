package reports

import (
	"fmt"
	"strconv"

	"shilpkosh/app"
)

// ecommerceText holds the e-commerce section's headings and labels; stage and reason
// names are those of the onboarding pages (views/locales/*/onboarding.json).
var ecommerceText = map[string]map[string]string{
	"en": {
		"section":     "4. E-commerce onboarding",
		"progress":    "Approved artisans listed on at least one platform at month end: %s of %s (%s).",
		"funnel":      "Onboarding funnel at month end (artisan × platform)",
		"chart":       "Onboarding funnel at month end, all platforms",
		"stage":       "Stage",
		"total":       "Total",
		"moves":       "Moves this month and conversion (ever reached, to month end)",
		"platform":    "Platform",
		"moves_n":     "Moves this month",
		"listed":      "Listed",
		"first_sale":  "First sale",
		"active":      "Active",
		"l_fs":        "First sale / listed",
		"fs_a":        "Active / first sale",
		"l_a":         "Active / listed",
		"blocked":     "Blocked at month end, by reason",
		"reason":      "Reason",
		"catalogue":   "Readiness, price flags and live listings are the catalogue as of %s (the catalogue keeps no history).",
		"no_catalog":  "The district has no products or listings in the catalogue yet.",
		"readiness":   "Readiness of approved artisans (ready: every check passed; nearly: one missing; far: two or more)",
		"ready":       "Ready",
		"nearly":      "Nearly ready",
		"far":         "Far",
		"flags":       "Price-uniformity flags: listed price out of step with the store price",
		"flagged_n":   "Flagged listings",
		"flagged":     "Flagged listings, largest differences first (top %d)",
		"artisan":     "Artisan",
		"product":     "Product",
		"store_price": "Store price",
		"listed_at":   "Listed price",
		"difference":  "Difference",
		"next":        "Where to list next: crafts selling in government stores with fewer than %d live listings",
		"craft":       "Craft",
		"sales_month": "Store sales this month",
		"sales_fytd":  "Store sales FY to date",
		"live":        "Live listings",
		"none":        "None.",
		"no_platform": "No e-commerce platform is in use.",

		"not_started": "Not started", "documents": "Documents", "training": "Training", "account_created": "Account created",
		"catalogue_st": "Catalogue", "listed_st": "Listed", "first_sale_st": "First sale", "active_st": "Active", "blocked_st": "Blocked",

		"no_gstin": "No GSTIN or GST enrolment ID", "no_pan": "No PAN", "no_bank_account": "No bank account", "photos": "Photos",
		"pricing": "Pricing", "packaging_logistics": "Packaging or logistics", "quality_rejection": "Rejected on quality", "other": "Other",
	},
	"hi": {
		"section":     "4. ई-कॉमर्स ऑनबोर्डिंग",
		"progress":    "माह के अंत में कम से कम एक प्लेटफ़ॉर्म पर सूचीबद्ध स्वीकृत कारीगर: %[2]s में से %[1]s (%[3]s)।",
		"funnel":      "माह के अंत में ऑनबोर्डिंग फ़नल (कारीगर × प्लेटफ़ॉर्म)",
		"chart":       "माह के अंत में ऑनबोर्डिंग फ़नल, सभी प्लेटफ़ॉर्म",
		"stage":       "चरण",
		"total":       "कुल",
		"moves":       "इस माह के बदलाव और रूपांतरण (माह के अंत तक कभी पहुंचे)",
		"platform":    "प्लेटफ़ॉर्म",
		"moves_n":     "इस माह बदलाव",
		"listed":      "सूचीबद्ध",
		"first_sale":  "पहली बिक्री",
		"active":      "सक्रिय",
		"l_fs":        "पहली बिक्री / सूचीबद्ध",
		"fs_a":        "सक्रिय / पहली बिक्री",
		"l_a":         "सक्रिय / सूचीबद्ध",
		"blocked":     "माह के अंत में रुके हुए, कारणवार",
		"reason":      "कारण",
		"catalogue":   "तैयारी, मूल्य बेमेल और सक्रिय लिस्टिंग कैटलॉग की %s की स्थिति है (कैटलॉग का इतिहास नहीं रखा जाता)।",
		"no_catalog":  "जिले के कैटलॉग में अभी कोई उत्पाद या लिस्टिंग नहीं है।",
		"readiness":   "स्वीकृत कारीगरों की तैयारी (तैयार: सभी जांचें पूरी; लगभग: एक कमी; दूर: दो या अधिक)",
		"ready":       "तैयार",
		"nearly":      "लगभग तैयार",
		"far":         "दूर",
		"flags":       "मूल्य एकरूपता: विक्रय केंद्र मूल्य से मेल न खाने वाला लिस्टिंग मूल्य",
		"flagged_n":   "मूल्य बेमेल लिस्टिंग",
		"flagged":     "मूल्य बेमेल लिस्टिंग, सबसे बड़े अंतर पहले (शीर्ष %d)",
		"artisan":     "कारीगर",
		"product":     "उत्पाद",
		"store_price": "विक्रय केंद्र मूल्य",
		"listed_at":   "लिस्टिंग मूल्य",
		"difference":  "अंतर",
		"next":        "आगे कहां सूचीबद्ध करें: सरकारी विक्रय केंद्रों में बिकने वाले शिल्प, जिनकी %d से कम सक्रिय लिस्टिंग हैं",
		"craft":       "शिल्प",
		"sales_month": "इस माह विक्रय केंद्र बिक्री",
		"sales_fytd":  "वित्त वर्ष में अब तक विक्रय केंद्र बिक्री",
		"live":        "सक्रिय लिस्टिंग",
		"none":        "कोई नहीं।",
		"no_platform": "कोई ई-कॉमर्स प्लेटफ़ॉर्म उपयोग में नहीं है।",

		"not_started": "शुरू नहीं", "documents": "दस्तावेज़", "training": "प्रशिक्षण", "account_created": "खाता बना",
		"catalogue_st": "कैटलॉग", "listed_st": "सूचीबद्ध", "first_sale_st": "पहली बिक्री", "active_st": "सक्रिय", "blocked_st": "रुका हुआ",

		"no_gstin": "जीएसटीआईएन या जीएसटी नामांकन आईडी नहीं", "no_pan": "पैन नहीं", "no_bank_account": "बैंक खाता नहीं",
		"photos": "फ़ोटो", "pricing": "मूल्य", "packaging_logistics": "पैकेजिंग या ढुलाई",
		"quality_rejection": "गुणवत्ता के कारण अस्वीकृत", "other": "अन्य",
	},
}

// stageLabel names a stage; the keys of stages that are also headings carry "_st".
func stageLabel(et map[string]string, stage string) string {
	switch stage {
	case app.StageCatalogue, app.StageListed, app.StageFirstSale, app.StageActive, app.StageBlocked:
		return et[stage+"_st"]
	}
	return et[stage]
}

func percent(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + "%" }

// note draws a grey paragraph at the cursor.
func note(d *Doc, s string) {
	lines := d.Wrap(s, d.ContentWidth(), 8.5, false)
	d.EnsureSpace(float64(len(lines)) * LineHeight(8.5))
	d.SetTextColor(80, 80, 80)
	d.SetY(d.Y() + d.Paragraph(d.Left(), d.Y(), d.ContentWidth(), s, 8.5, false) + 2)
	d.SetTextColor(0, 0, 0)
}

// platformColumns are a first column firstW mm wide and one numeric column per platform
// sharing what is left, with a total column last. At 7.5 pt the longest platform word
// ("Marketplace") fits a column whole beside a 44 mm first column.
func platformColumns(first string, firstW float64, e app.EcommerceSection, lang string, et map[string]string) []Column {
	cols := []Column{{Title: first, Width: firstW}}
	for _, p := range e.Platforms {
		cols = append(cols, Column{Title: p.Platform.In(lang), Align: AlignRight})
	}
	return append(cols, Column{Title: et["total"], Width: 14, Align: AlignRight})
}

func districtEcommerce(d *Doc, r *app.DistrictReport, lang string) {
	e, et := r.Ecommerce, ecommerceText[lang]
	gap(d, 4)
	heading(d, et["section"], 12)
	note(d, fmt.Sprintf(et["progress"], count(e.Listed), count(e.Approved), percent(e.Progress)))
	if len(e.Platforms) == 0 {
		note(d, et["no_platform"])
	} else {
		ecommerceFunnel(d, e, lang, et)
		ecommerceMoves(d, e, lang, et)
		ecommerceBlocked(d, e, lang, et)
	}
	ecommerceCatalogue(d, e, lang, et)
	ecommerceListNext(d, e, lang, et)
}

func ecommerceFunnel(d *Doc, e app.EcommerceSection, lang string, et map[string]string) {
	heading(d, et["funnel"], 10)
	t := Table{Columns: platformColumns(et["stage"], 34, e, lang, et), Size: 7.5}
	labels := make([]string, len(e.Total.Stages))
	values := make([]int64, len(e.Total.Stages))
	for i, st := range e.Total.Stages {
		row := []string{stageLabel(et, st.Stage)}
		for _, p := range e.Platforms {
			row = append(row, count(p.StageCount(st.Stage)))
		}
		t.Rows = append(t.Rows, append(row, count(st.Count)))
		labels[i], values[i] = stageLabel(et, st.Stage), st.Count
	}
	d.Table(t)
	gap(d, 4)

	const chartH = 55.0
	d.EnsureSpace(LineHeight(10) + chartH + 4)
	heading(d, et["chart"], 10)
	d.BarChart(d.Left(), d.Y(), d.ContentWidth(), chartH, labels, values, count)
	d.SetY(d.Y() + chartH + 6)
}

func ecommerceMoves(d *Doc, e app.EcommerceSection, lang string, et map[string]string) {
	heading(d, et["moves"], 10)
	t := Table{Size: 8, Columns: []Column{{Title: et["platform"]},
		{Title: et["moves_n"], Width: 18, Align: AlignRight}, {Title: et["listed"], Width: 18, Align: AlignRight},
		{Title: et["first_sale"], Width: 18, Align: AlignRight}, {Title: et["active"], Width: 18, Align: AlignRight},
		{Title: et["l_fs"], Width: 21, Align: AlignRight}, {Title: et["fs_a"], Width: 21, Align: AlignRight},
		{Title: et["l_a"], Width: 21, Align: AlignRight}}}
	for _, p := range append(append([]app.PlatformFunnel{}, e.Platforms...), e.Total) {
		c := p.Conversion
		t.Rows = append(t.Rows, []string{p.Platform.In(lang), count(p.Moves), count(c.Listed), count(c.FirstSale), count(c.Active),
			percent(c.ListedToFirstSale), percent(c.FirstSaleToActive), percent(c.ListedToActive)})
	}
	d.Table(t)
	gap(d, 4)
}

// ecommerceBlocked lists the reasons someone is blocked for; none blocked says so.
func ecommerceBlocked(d *Doc, e app.EcommerceSection, lang string, et map[string]string) {
	heading(d, et["blocked"], 10)
	t := Table{Columns: platformColumns(et["reason"], 44, e, lang, et), Size: 7.5}
	for i, b := range e.Total.Blocked {
		if b.Count == 0 {
			continue
		}
		row := []string{et[b.Reason]}
		for _, p := range e.Platforms {
			row = append(row, count(p.Blocked[i].Count))
		}
		t.Rows = append(t.Rows, append(row, count(b.Count)))
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{et["none"]})
	}
	d.Table(t)
	gap(d, 4)
}

func ecommerceCatalogue(d *Doc, e app.EcommerceSection, lang string, et map[string]string) {
	if e.CatalogueAsOf.IsZero() {
		note(d, et["no_catalog"])
	} else {
		note(d, fmt.Sprintf(et["catalogue"], asOfText(e.CatalogueAsOf)))
	}
	heading(d, et["readiness"], 10)
	t := Table{Size: 8, Columns: []Column{{Title: et["platform"]}, {Title: et["ready"], Width: 25, Align: AlignRight},
		{Title: et["nearly"], Width: 25, Align: AlignRight}, {Title: et["far"], Width: 25, Align: AlignRight}}}
	for _, row := range e.Readiness {
		t.Rows = append(t.Rows, []string{app.Name{Key: row.Platform, EN: row.NameEn, HI: row.NameHi}.In(lang),
			strconv.Itoa(row.Ready), strconv.Itoa(row.Nearly), strconv.Itoa(row.Far)})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{et["none"]})
	}
	d.Table(t)
	gap(d, 4)

	heading(d, et["flags"], 10)
	t = Table{Size: 8, Columns: []Column{{Title: et["platform"]}, {Title: et["flagged_n"], Width: 30, Align: AlignRight}}}
	for _, f := range e.PriceFlags {
		t.Rows = append(t.Rows, []string{f.Platform.In(lang), count(f.Count)})
	}
	t.Rows = append(t.Rows, []string{et["total"], count(e.FlaggedTotal)})
	d.Table(t)
	gap(d, 4)

	heading(d, fmt.Sprintf(et["flagged"], app.ReportFlaggedListings), 10)
	t = Table{Size: 8, Columns: []Column{{Title: et["platform"], Width: 30}, {Title: et["artisan"]}, {Title: et["product"]},
		{Title: et["store_price"], Width: 22, Align: AlignRight}, {Title: et["listed_at"], Width: 22, Align: AlignRight},
		{Title: et["difference"], Width: 20, Align: AlignRight}}}
	for _, l := range e.Flagged {
		t.Rows = append(t.Rows, []string{l.Platform.In(lang), l.Artisan, l.Product, money(l.StorePrice), money(l.ListedPrice),
			fmt.Sprintf("%+.1f%%", l.DifferencePercent)})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{et["none"]})
	}
	d.Table(t)
	gap(d, 4)
}

func ecommerceListNext(d *Doc, e app.EcommerceSection, lang string, et map[string]string) {
	heading(d, fmt.Sprintf(et["next"], app.ListNextFewListings), 10)
	t := Table{Size: 8, Columns: []Column{{Title: et["craft"]}, {Title: et["sales_month"], Width: 30, Align: AlignRight},
		{Title: et["sales_fytd"], Width: 30, Align: AlignRight}, {Title: et["live"], Width: 22, Align: AlignRight}}}
	for _, c := range e.ListNext {
		t.Rows = append(t.Rows, []string{c.Craft.In(lang), money(c.Month), money(c.FYTD), count(c.LiveListings)})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []string{et["none"]})
	}
	d.Table(t)
	gap(d, 4)
}
