package handlers

// The dashboard's e-commerce blocks (onboarding per platform, readiness, price flags) and
// the latest reports. Each figure opens the page that lists what it counts.

import (
	"net/url"
	"slices"
	"strings"

	"shilpkosh/app"
	"shilpkosh/views"
)

// sellingStages are the stages of an artisan whose products are on the platform.
var sellingStages = []string{app.StageListed, app.StageFirstSale, app.StageActive}

func dashOnboarding(w dashWords, d *app.Dashboard) *views.DashBlock {
	o := d.Onboarding
	if o == nil {
		return nil
	}
	b := &views.DashBlock{ID: "dash-onboarding", Title: w.t("dashboard.onboarding.title")}
	for _, p := range o.Platforms {
		var selling int64
		var stages []string
		for _, st := range p.Stages {
			if st.Count == 0 {
				continue
			}
			stages = append(stages, w.t("onboarding.stage."+st.Stage)+" "+w.count(st.Count))
			if slices.Contains(sellingStages, st.Stage) {
				selling += st.Count
			}
		}
		f := views.DashFigure{Value: w.count(selling), Href: boardLink(p.Platform),
			Label: w.t("dashboard.onboarding.selling", "platform", pick(w.lang, p.NameEn, p.NameHi)),
			Note:  strings.Join(stages, " · "), Alert: p.Count(app.StageBlocked) > 0}
		b.Figures = append(b.Figures, f)
	}
	return b
}

func dashReadiness(w dashWords, d *app.Dashboard) *views.DashBlock {
	r := d.Readiness
	if r == nil {
		return nil
	}
	b := &views.DashBlock{ID: "dash-readiness", Title: w.t("dashboard.readiness.title")}
	for _, p := range r.Platforms {
		b.Figures = append(b.Figures, views.DashFigure{Value: w.count(int64(p.Ready)), Href: "/readiness",
			Label: w.t("dashboard.readiness.ready", "platform", pick(w.lang, p.NameEn, p.NameHi)),
			Note:  w.t("dashboard.readiness.rest", "nearly", w.count(int64(p.Nearly)), "far", w.count(int64(p.Far)))})
	}
	return b
}

func dashPriceFlags(w dashWords, d *app.Dashboard) *views.DashBlock {
	p := d.PriceFlags
	if p == nil {
		return nil
	}
	f := views.DashFigure{Value: w.count(p.Flagged), Href: "/listings/price-flags", Label: w.t("dashboard.flags.flagged"),
		Note: w.t("dashboard.flags.tolerance", "pct", w.count(int64(p.TolerancePercent))), Alert: p.Flagged > 0}
	return &views.DashBlock{ID: "dash-flags", Title: w.t("dashboard.flags.title"), Figures: []views.DashFigure{f}}
}

func dashReports(w dashWords, d *app.Dashboard) *views.DashBlock {
	r := d.Reports
	if r == nil {
		return nil
	}
	b := &views.DashBlock{ID: "dash-reports", Title: w.t("dashboard.reports.title")}
	if len(r.Latest) == 0 {
		b.Notes = append(b.Notes, w.t("dashboard.reports.none"))
	}
	for _, rep := range r.Latest {
		name := w.t("report.state_name")
		if rep.Kind == app.ReportDistrict {
			name = w.refs.district[rep.District]
		}
		label := rep.Month
		if m, err := app.ParseMonth(rep.Month); err == nil {
			label = w.month(m)
		}
		b.Figures = append(b.Figures, views.DashFigure{Value: name, Label: label, Note: w.t("report.lang." + rep.Lang),
			Href: "/reports?" + url.Values{"month": {rep.Month}}.Encode()})
	}
	return b
}
