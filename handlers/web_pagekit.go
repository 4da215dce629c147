package handlers

// Helpers shared by the registry, organisation and craft pages: dates, reference labels,
// select options, the error summary and a small builder of accessible form controls.

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// ist is the clock the officials read dates by.
var ist = time.FixedZone("IST", 5*3600+1800)

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ist).Format("02-01-2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ist).Format("02-01-2006 15:04")
}

// dayFirstDate is a date typed day first: 12-04-1985, 12/4/1985, 12.04.1985.
var dayFirstDate = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// isoDate turns a date typed day first into YYYY-MM-DD; anything else (a YYYY-MM-DD date,
// or something unreadable) passes unchanged for validation to judge.
func isoDate(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case '०' <= r && r <= '९':
			return r - '०' + '0'
		case r == ' ':
			return -1
		}
		return r
	}, s)
	m := dayFirstDate.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	return fmt.Sprintf("%s-%02d-%02d", m[3], month, day)
}

// formatISODate turns a stored YYYY-MM-DD date into DD-MM-YYYY.
func formatISODate(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("02-01-2006")
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// formInt reads a whole number typed in a form (Devanagari digits too); empty is 0 and
// anything unreadable -1, for validation to report.
func formInt(s string) int {
	s = app.NormalizeDigits(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// formValues returns every value of a repeated form field (checkboxes).
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		if s := strings.TrimSpace(string(v)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// refLabels names districts and crafts in the reader's language.
type refLabels struct {
	districts []app.District
	crafts    []app.Craft
	district  map[string]string // slug → name
	craft     map[string]string
}

func (s *Server) refLabels(c *fiber.Ctx, lang string) (*refLabels, error) {
	ds, err := s.ref.Districts(c.UserContext())
	if err != nil {
		return nil, err
	}
	cs, err := s.ref.Crafts(c.UserContext())
	if err != nil {
		return nil, err
	}
	r := &refLabels{districts: ds, crafts: cs, district: map[string]string{}, craft: map[string]string{}}
	for _, d := range ds {
		r.district[d.Slug] = pick(lang, d.NameEn, d.NameHi)
	}
	for _, c := range cs {
		r.craft[c.Slug] = pick(lang, c.NameEn, c.NameHi)
	}
	if lang == "hi" { // Hindi readers look a district up by its Hindi name
		slices.SortStableFunc(r.districts, func(a, b app.District) int { return strings.Compare(r.district[a.Slug], r.district[b.Slug]) })
	}
	return r, nil
}

// pick chooses the Hindi name for Hindi readers when there is one.
func pick(lang, en, hi string) string {
	if lang == "hi" && hi != "" {
		return hi
	}
	return en
}

// districtOptions lists the active districts inside scope.
func (r *refLabels) districtOptions(scope app.Scope) []option {
	var out []option
	for _, d := range r.districts {
		if d.Active && scope.Includes(d.Slug) {
			out = append(out, option{Value: d.Slug, Label: r.district[d.Slug]})
		}
	}
	return out
}

// craftGroups lists the active crafts (and keep, though inactive) by sector.
func (r *refLabels) craftGroups(lang, keep string) []optionGroup {
	var out []optionGroup
	for _, sector := range app.Sectors {
		g := optionGroup{Label: views.T(lang, "craft.sector."+sector, nil)}
		for _, c := range r.crafts {
			if c.Sector == sector && (c.Active || c.Slug == keep) {
				g.Options = append(g.Options, option{Value: c.Slug, Label: r.craft[c.Slug]})
			}
		}
		slices.SortFunc(g.Options, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// organisationGroups lists organisations by district; each option carries its district
// so app.js can offer only those of the district chosen.
func organisationGroups(refs *refLabels, orgs []app.Organisation) []optionGroup {
	var out []optionGroup
	for _, o := range orgs {
		if len(out) == 0 || out[len(out)-1].Label != refs.district[o.District] {
			out = append(out, optionGroup{Label: refs.district[o.District]})
		}
		g := &out[len(out)-1]
		label := o.Name
		if o.NameHi != "" {
			label += " · " + o.NameHi
		}
		g.Options = append(g.Options, option{Value: idString(o.ID), Label: label, District: o.District})
	}
	if len(out) == 1 {
		out[0].Label = ""
	}
	return out
}

// enumOptions lists fixed choices with their translated labels, prefix+value.
func enumOptions(b formBuilder, prefix string, values []string) optionGroup {
	g := optionGroup{}
	for _, v := range values {
		g.Options = append(g.Options, option{Value: v, Label: b.t(prefix + v)})
	}
	return g
}

// plain puts options in a group without a label.
func plain(options []option) optionGroup { return optionGroup{Options: options} }

// problem is what went wrong with a submitted form: the message, the field errors, and
// the error summary's links to the fields in form order.
type problem struct {
	Message            string
	Items              []summaryItem
	LinkHref, LinkText string            // e.g. reload the record after a conflict
	fields             map[string]string // field name → translated error
}

// summaryItem is one line of the error summary: "Mobile number: Enter a 10-digit …".
type summaryItem struct{ Href, Label, Text string }

// problemOf translates an app error for a page; the page then lists the field errors in
// its summary with summarize.
func problemOf(lang string, e *app.Error) problem {
	p := problem{Message: localize(lang, e.Message), fields: map[string]string{}}
	for f, m := range e.Fields {
		p.fields[f] = localize(lang, m)
	}
	if e.Code == app.EINVALID && len(p.fields) > 0 {
		p.Message = "" // the list of fields says it better than "correct the fields"
	}
	return p
}

// summarize lists the field errors for the error summary: those of the page's controls in
// their order, each linking to its control, then any others as plain text.
func summarize(controls []control, p problem) []summaryItem {
	var out []summaryItem
	seen := map[string]bool{}
	for _, c := range controls {
		if msg := p.fields[c.Name]; msg != "" && !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, summaryItem{Href: "#" + c.ID, Label: strings.TrimSuffix(c.Label, " *"), Text: msg})
		}
	}
	names := make([]string, 0, len(p.fields))
	for name := range p.fields {
		if !seen[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		out = append(out, summaryItem{Text: p.fields[name]})
	}
	return out
}

// option is one choice of a select or of a list of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
	District     string // of an organisation, for app.js
}

// optionGroup is an <optgroup>, or plain options when Label is empty.
type optionGroup struct {
	Label   string
	Options []option
}

// formSection is a <fieldset> of a form.
type formSection struct {
	Legend   string
	Controls []control
}

// control is one form control built by a handler. It has the fields partials/field reads,
// so text inputs render through that partial; partials/artisan_control renders the
// others (select, checkbox, checks, textarea).
type control struct {
	Kind                                      string
	ID, Name, Label, Type, Value, Error, Hint string
	Autocomplete, InputMode, MaxLength        string
	AutoCapitalize, Spellcheck                string
	Required, Checked, Open                   bool
	Chosen                                    string // "3 chosen", the summary of a closed checks list
	Groups                                    []optionGroup
}

// HintID, ErrorID and DescribedBy wire the hint and error to the control, as field does.
func (c control) HintID() string  { return c.ID + "-hint" }
func (c control) ErrorID() string { return c.ID + "-error" }
func (c control) DescribedBy() string {
	var ids []string
	if c.Hint != "" {
		ids = append(ids, c.HintID())
	}
	if c.Error != "" {
		ids = append(ids, c.ErrorID())
	}
	return strings.Join(ids, " ")
}

// req marks a required control; its label carries the asterisk the form's note explains.
func (c control) req() control {
	c.Required, c.Label = true, c.Label+" *"
	return c
}
func (c control) hint(h string) control {
	c.Hint = h
	return c
}
func (c control) typ(t string) control  { c.Type = t; return c }
func (c control) mode(m string) control { c.InputMode = m; return c }
func (c control) maxlen(n int) control  { c.MaxLength = strconv.Itoa(n); return c }
func (c control) noValue() control      { c.Value = ""; return c }

// id renames a control whose name is used twice on one page.
func (c control) id(id string) control { c.ID = id; return c }

// code is an identifier typed in capitals: no spell-check, capitals on phone keyboards.
func (c control) code() control {
	c.AutoCapitalize, c.Spellcheck = "characters", "false"
	return c
}

// formBuilder makes the controls of one form from the values to refill and the errors.
type formBuilder struct {
	lang   string
	values map[string]string
	errors map[string]string
}

func (b formBuilder) t(key string) string { return views.T(b.lang, key, nil) }

func (b formBuilder) control(kind, name, labelKey string) control {
	return control{Kind: kind, ID: "f-" + name, Name: name, Label: b.t(labelKey), Type: "text",
		Value: b.values[name], Error: b.errors[name]}
}

func (b formBuilder) text(name, labelKey string) control { return b.control("text", name, labelKey) }

func (b formBuilder) textarea(name, labelKey string) control {
	return b.control("textarea", name, labelKey)
}

func (b formBuilder) checkbox(name, labelKey string) control {
	c := b.control("checkbox", name, labelKey)
	c.Checked = c.Value != "" && c.Value != "false" && c.Value != "0"
	return c
}

// choice is a select; blank, when not empty, is the label of a first option with no value.
func (b formBuilder) choice(name, labelKey, blank string, groups ...optionGroup) control {
	c := b.control("select", name, labelKey)
	if blank != "" {
		c.Groups = append(c.Groups, optionGroup{Options: []option{{Label: blank}}})
	}
	for _, g := range groups {
		g.Options = slices.Clone(g.Options)
		c.Groups = append(c.Groups, g)
	}
	for gi := range c.Groups {
		for oi := range c.Groups[gi].Options {
			o := &c.Groups[gi].Options[oi]
			o.Selected = o.Value == c.Value
		}
	}
	return c
}

// checks is a list of checkboxes sharing one name, in a <details> that opens when some
// are chosen or in error.
func (b formBuilder) checks(name, labelKey string, selected []string, groups ...optionGroup) control {
	c := b.control("checks", name, labelKey)
	n := 0
	for _, g := range groups {
		g.Options = slices.Clone(g.Options)
		for i := range g.Options {
			g.Options[i].Selected = slices.Contains(selected, g.Options[i].Value)
			if g.Options[i].Selected {
				n++
			}
		}
		c.Groups = append(c.Groups, g)
	}
	c.Open = n > 0 || c.Error != ""
	c.Chosen = views.T(b.lang, "registry.chosen", map[string]string{"n": strconv.Itoa(n)})
	return c
}
