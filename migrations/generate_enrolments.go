package migrations

import (
	"fmt"
	"strings"
	"time"

	"shilpkosh/app"
)

// genEnrolmentOutcomes is where applications stand: most paid out, some still moving.
var genEnrolmentOutcomes = genWeightedOf(map[string]float64{app.EnrolmentDisbursed: 45, app.EnrolmentSanctioned: 15,
	app.EnrolmentVerified: 10, app.EnrolmentApplied: 15, app.EnrolmentRejected: 15})

// makeEnrolments enrols a fifth of approved artisans in a scheme open to their sector,
// some time after approval, with each step's event and the instalments paid.
func (g *generator) makeEnrolments() {
	end := g.until.End()
	var id, eventID, paymentID int64
	for _, d := range g.ref.districts {
		for _, s := range g.sellers[d.slug] {
			if g.rnd.IntN(100) >= genEnrolPercent {
				continue
			}
			scheme := g.schemeFor(g.ref.crafts[s.craft].sector)
			applied := s.created.Add(time.Duration(g.rnd.IntN(400*24)) * time.Hour)
			if scheme == "" || !applied.Before(end) {
				continue
			}
			id++
			steps, sanctioned, paid := g.enrolmentSteps(applied, end)
			last := steps[len(steps)-1]
			reason := ""
			if last.to == app.EnrolmentRejected {
				reason = "not eligible under the scheme's rules"
			}
			g.w.add(genEnrolments, id, s.id, scheme, d.slug, last.to, genTime(applied), genTime(last.at), sanctioned,
				sum(paid), reason, int64(len(steps)))
			for _, st := range steps {
				eventID++
				g.w.add(genEnrolmentEvents, eventID, id, genTime(st.at), "dic."+d.slug, st.from, st.to, st.action,
					st.amount, st.reason)
			}
			for i, p := range paid {
				paymentID++
				at := steps[len(steps)-1].at
				g.w.add(genDisbursements, paymentID, id, p, at.Format(time.DateOnly), fmt.Sprintf("PFMS%010d", paymentID),
					genTime(at.Add(time.Duration(i)*time.Minute)))
			}
		}
	}
	g.w.flush(genEnrolments, genEnrolmentEvents, genDisbursements)
}

type genEnrolmentStep struct {
	genStep
	amount int64
}

// enrolmentSteps walks an application to its drawn outcome; sanctioned amounts are
// ₹5,000 to ₹50,000, paid in one or two instalments.
func (g *generator) enrolmentSteps(applied, end time.Time) (steps []genEnrolmentStep, sanctioned int64, paid []int64) {
	outcome := genEnrolmentOutcomes.pick(g.rnd.Float64())
	at := applied
	add := func(from, to, action string, amount int64, reason string) {
		steps = append(steps, genEnrolmentStep{genStep{at: at, from: from, to: to, action: action, reason: reason}, amount})
		at = at.Add(time.Duration(1+g.rnd.IntN(40*24)) * time.Hour)
		if at.After(end) {
			at = end.Add(-time.Second)
		}
	}
	add("", app.EnrolmentApplied, "apply", 0, "")
	order := []string{app.EnrolmentVerified, app.EnrolmentSanctioned, app.EnrolmentDisbursed}
	actions := map[string]string{app.EnrolmentVerified: "verify", app.EnrolmentSanctioned: "sanction",
		app.EnrolmentDisbursed: "disburse"}
	from := app.EnrolmentApplied
	for _, to := range order {
		if outcome == app.EnrolmentRejected && to == app.EnrolmentSanctioned {
			add(from, app.EnrolmentRejected, "reject", 0, "not eligible under the scheme's rules")
			return steps, 0, nil
		}
		if outcome != app.EnrolmentRejected && !strings.Contains(genAfter[outcome], to) {
			return steps, sanctioned, paid
		}
		switch to {
		case app.EnrolmentSanctioned:
			sanctioned = int64(5+g.rnd.IntN(46)) * 1000 * 100
			add(from, to, "sanction", sanctioned, "")
		case app.EnrolmentDisbursed:
			first := sanctioned / 2
			paid = []int64{first, sanctioned - first}
			add(from, from, "disburse", first, "")
			add(from, to, "disburse", sanctioned-first, "")
		default:
			add(from, to, actions[to], 0, "")
		}
		from = to
	}
	return steps, sanctioned, paid
}

// genAfter lists the statuses an application passes on its way to an outcome.
var genAfter = map[string]string{
	app.EnrolmentApplied:    "",
	app.EnrolmentVerified:   app.EnrolmentVerified,
	app.EnrolmentSanctioned: app.EnrolmentVerified + " " + app.EnrolmentSanctioned,
	app.EnrolmentDisbursed:  app.EnrolmentVerified + " " + app.EnrolmentSanctioned + " " + app.EnrolmentDisbursed,
}

// schemeFor draws a scheme open to the sector ("" when none is).
func (g *generator) schemeFor(sector string) string {
	var open []string
	for _, s := range g.ref.schemes {
		if s.Sectors == "" || strings.Contains(s.Sectors, sector) {
			open = append(open, s.Slug)
		}
	}
	if len(open) == 0 {
		return ""
	}
	return open[g.rnd.IntN(len(open))]
}

func sum(xs []int64) int64 {
	var n int64
	for _, x := range xs {
		n += x
	}
	return n
}
