package handlers

// The districts page: every district by division for all readers; for state
// administrators (reference:manage), through ?edit=slug, a form to change a district's
// names, codes, aliases and active flag under optimistic locking. The slug never changes:
// every record points at it.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// districtListData is the Data of districts/list.
type districtListData struct {
	Count     string // "41 districts in 7 divisions."
	Divisions []districtDivision
	Manage    bool              // the reader may edit districts: rows carry edit links
	Form      *districtFormData // the edit form, when a manager chose a district
}

type districtDivision struct {
	Name string
	Rows []districtRow
}

type districtRow struct {
	Slug, LGDCode, CensusCode, RTOCode, Aliases, EditHref string
	Active                                                bool
	personName
}

// districtFormData is the edit form of one district.
type districtFormData struct {
	Action, Heading, Slug string
	Version               int64
	Controls              []control
	Problem               problem
}

// districtFields are the form's fields, refilled after a failed save.
var districtFields = []string{"name", "name_hi", "lgd_code", "census2011_code", "rto_code", "aliases", "active", "version"}

func (s *Server) districtListPage(c *fiber.Ctx) error {
	return s.renderDistricts(c, fiber.StatusOK, c.Query("edit"), nil, nil)
}

func (s *Server) districtUpdateSubmit(c *fiber.Ctx) error {
	slug := c.Params("slug")
	if _, err := s.refAdmin.UpdateDistrict(c.UserContext(), actor(c), slug, districtInputOf(c)); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		values := map[string]string{}
		for _, k := range districtFields {
			values[k] = c.FormValue(k)
		}
		return s.renderDistricts(c, statusOf[e.Code], slug, values, e)
	}
	s.flash(c, "success", "district.flash.saved")
	return c.Redirect("/districts", fiber.StatusSeeOther)
}

// districtInputOf reads the edit form. Codes typed with Devanagari digits are stored in
// ASCII; aliases typed one per comma (or |) are stored "|"-separated.
func districtInputOf(c *fiber.Ctx) app.DistrictInput {
	str := func(v string) *string { return &v }
	active := c.FormValue("active") != ""
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	return app.DistrictInput{
		Name:           str(strings.TrimSpace(c.FormValue("name"))),
		NameHi:         str(strings.TrimSpace(c.FormValue("name_hi"))),
		LGDCode:        str(app.NormalizeDigits(c.FormValue("lgd_code"))),
		Census2011Code: str(app.NormalizeDigits(c.FormValue("census2011_code"))),
		RTOCode:        str(rtoCode(c.FormValue("rto_code"))),
		Aliases:        str(joinAliases(c.FormValue("aliases"))),
		Active:         &active,
		Version:        version,
	}
}

// rtoCode tidies a typed RTO code: "rj-१६ " becomes "RJ-16".
func rtoCode(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if '०' <= r && r <= '९' {
			return r - '०' + '0'
		}
		return r
	}, strings.TrimSpace(s)))
}

// joinAliases turns "Jalor, जालोर|Jalour" into "Jalor|जालोर|Jalour", dropping blanks and
// repeats.
func joinAliases(s string) string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' }) {
		a = strings.Join(strings.Fields(a), " ")
		if a != "" && !slices.ContainsFunc(out, func(b string) bool { return strings.EqualFold(a, b) }) {
			out = append(out, a)
		}
	}
	return strings.Join(out, "|")
}

// aliasList shows stored aliases as the reader types them: "Jalor, जालोर".
func aliasList(s string) string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return strings.Join(out, ", ")
}

// renderDistricts shows the districts; edit names the district whose form to show, values
// and e refill a form that failed.
func (s *Server) renderDistricts(c *fiber.Ctx, status int, edit string, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	districts, err := s.ref.Districts(c.UserContext())
	if err != nil {
		return err
	}
	name := func(d app.District) string { return pick(lang, d.NameEn, d.NameHi) }
	slices.SortStableFunc(districts, func(a, b app.District) int { return strings.Compare(name(a), name(b)) })
	manage := s.authz.Can(actor(c).UserID, app.AllDistrictsDomain, "reference", "manage")
	data := &districtListData{Manage: manage}
	var editing *app.District
	byDivision := map[string]int{} // division → index in data.Divisions
	for i, d := range districts {
		row := districtRow{Slug: d.Slug, LGDCode: d.LGDCode, CensusCode: d.Census2011Code, RTOCode: d.RTOCode,
			Aliases: aliasList(d.Aliases), Active: d.Active, personName: nameFor(lang, d.NameEn, d.NameHi)}
		if manage {
			row.EditHref = "/districts?edit=" + d.Slug + "#district-form"
			if d.Slug == edit {
				editing = &districts[i]
			}
		}
		k, ok := byDivision[d.Division]
		if !ok {
			k = len(data.Divisions)
			byDivision[d.Division] = k
			data.Divisions = append(data.Divisions, districtDivision{
				Name: views.T(lang, "district.division", map[string]string{"name": divisionName(lang, d.Division, districts)})})
		}
		data.Divisions[k].Rows = append(data.Divisions[k].Rows, row)
	}
	slices.SortStableFunc(data.Divisions, func(a, b districtDivision) int { return strings.Compare(a.Name, b.Name) })
	data.Count = views.T(lang, "district.list.count", map[string]string{
		"districts": strconv.Itoa(len(districts)), "divisions": strconv.Itoa(len(data.Divisions))})
	if editing != nil {
		data.Form = districtForm(lang, editing, values, e)
	}
	return s.render(c, status, "districts/list", "district.list.title", data)
}

// divisionName names a division in the reader's language. A division is named after the
// district that is its headquarters ("Jodhpur"), so that district's name serves.
func divisionName(lang, division string, districts []app.District) string {
	slug := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(division)), " ", "-")
	for _, d := range districts {
		if d.Slug == slug {
			return pick(lang, d.NameEn, d.NameHi)
		}
	}
	return division
}

// districtForm builds the edit form of editing, refilled from values after a failed save.
func districtForm(lang string, editing *app.District, values map[string]string, e *app.Error) *districtFormData {
	f := &districtFormData{Action: "/districts/" + editing.Slug, Slug: editing.Slug,
		Heading: views.T(lang, "district.edit.title", map[string]string{"name": pick(lang, editing.NameEn, editing.NameHi)})}
	if values == nil {
		values = map[string]string{"name": editing.NameEn, "name_hi": editing.NameHi, "lgd_code": editing.LGDCode,
			"census2011_code": editing.Census2011Code, "rto_code": editing.RTOCode, "aliases": aliasList(editing.Aliases),
			"version": strconv.FormatInt(editing.Version, 10)}
		if editing.Active {
			values["active"] = "1"
		}
	}
	f.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	if e != nil {
		f.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			f.Problem.LinkHref, f.Problem.LinkText = "/districts?edit="+editing.Slug+"#district-form", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: f.Problem.fields}
	f.Controls = []control{
		b.text("name", "district.field.name").req().maxlen(200),
		b.text("name_hi", "district.field.name_hi").req().maxlen(200),
		b.text("lgd_code", "district.field.lgd_code").mode("numeric").maxlen(20),
		b.text("census2011_code", "district.field.census2011_code").mode("numeric").maxlen(20).
			hint(b.t("district.hint.census2011_code")),
		b.text("rto_code", "district.field.rto_code").code().maxlen(20).hint(b.t("district.hint.rto_code")),
		b.text("aliases", "district.field.aliases").hint(b.t("district.hint.aliases")),
		b.checkbox("active", "district.field.active").hint(b.t("district.hint.active")),
	}
	f.Problem.Items = summarize(f.Controls, f.Problem)
	return f
}
