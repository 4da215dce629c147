package handlers

// The craft types page: every craft by sector for all readers; for state administrators
// (reference:manage) a form to add one and, through ?edit=slug, to change or deactivate
// one under optimistic locking.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// craftListData is the Data of crafts/list.
type craftListData struct {
	Sectors []craftSector
	Form    *craftFormData // nil for readers who may not manage reference data
}

type craftSector struct {
	Name string
	Rows []craftRow
}

type craftRow struct {
	Slug, Centres, EditHref string
	GI, Active              bool
	personName
}

// craftFormData is the add form, or the edit form of one craft.
type craftFormData struct {
	Action, Heading, Slug string
	Open                  bool  // the add form starts folded away unless it has errors
	Version               int64 // 0 when adding
	Controls              []control
	Problem               problem
}

func (s *Server) craftListPage(c *fiber.Ctx) error {
	return s.renderCrafts(c, fiber.StatusOK, c.Query("edit"), nil, nil)
}

func (s *Server) craftCreateSubmit(c *fiber.Ctx) error {
	in := craftInputOf(c)
	in.Slug = c.FormValue("slug")
	if _, err := s.refAdmin.CreateCraft(c.UserContext(), actor(c), in); err != nil {
		return s.craftFormFailed(c, "", err)
	}
	s.flash(c, "success", "craft.flash.created")
	return c.Redirect("/crafts", fiber.StatusSeeOther)
}

func (s *Server) craftUpdateSubmit(c *fiber.Ctx) error {
	slug := c.Params("slug")
	in := craftInputOf(c)
	active := c.FormValue("active") != ""
	in.Active = &active
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if _, err := s.refAdmin.UpdateCraft(c.UserContext(), actor(c), slug, in); err != nil {
		return s.craftFormFailed(c, slug, err)
	}
	s.flash(c, "success", "craft.flash.saved")
	return c.Redirect("/crafts", fiber.StatusSeeOther)
}

// craftInputOf reads the fields the add and edit forms share.
func craftInputOf(c *fiber.Ctx) app.CraftInput {
	str := func(name string) *string { v := c.FormValue(name); return &v }
	gi := c.FormValue("gi_tag") != ""
	return app.CraftInput{Sector: str("sector"), Name: str("name"), NameHi: str("name_hi"),
		MainCentres: str("main_centres"), GITag: &gi}
}

func (s *Server) craftFormFailed(c *fiber.Ctx, slug string, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"slug", "sector", "name", "name_hi", "main_centres", "gi_tag", "active", "version"} {
		values[k] = c.FormValue(k)
	}
	return s.renderCrafts(c, statusOf[e.Code], slug, values, e)
}

// renderCrafts shows the crafts; edit names the craft whose form to show, values and e
// refill a form that failed.
func (s *Server) renderCrafts(c *fiber.Ctx, status int, edit string, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	crafts := refs.crafts
	manage := s.authz.Can(actor(c).UserID, app.AllDistrictsDomain, "reference", "manage")
	data := &craftListData{}
	var editing *app.Craft
	for _, sector := range app.Sectors {
		sec := craftSector{Name: views.T(lang, "craft.sector."+sector, nil)}
		for i, cr := range crafts {
			if cr.Sector != sector {
				continue
			}
			row := craftRow{Slug: cr.Slug, Centres: refs.centres(cr.MainCentres), GI: cr.GITag, Active: cr.Active,
				personName: nameFor(lang, cr.NameEn, cr.NameHi)}
			if manage {
				row.EditHref = "/crafts?edit=" + cr.Slug + "#craft-form"
			}
			if cr.Slug == edit {
				editing = &crafts[i]
			}
			sec.Rows = append(sec.Rows, row)
		}
		if len(sec.Rows) > 0 {
			data.Sectors = append(data.Sectors, sec)
		}
	}
	if manage {
		data.Form = craftForm(lang, editing, values, e)
	}
	return s.render(c, status, "crafts/list", "craft.list.title", data)
}

// craftForm builds the add form, or the edit form of editing, refilled from values.
func craftForm(lang string, editing *app.Craft, values map[string]string, e *app.Error) *craftFormData {
	f := &craftFormData{Action: "/crafts", Heading: views.T(lang, "craft.add.title", nil), Open: editing != nil || e != nil}
	if editing != nil {
		f.Action, f.Slug = "/crafts/"+editing.Slug, editing.Slug
		f.Heading = views.T(lang, "craft.edit.title", map[string]string{"name": pick(lang, editing.NameEn, editing.NameHi)})
		if values == nil {
			values = map[string]string{"sector": editing.Sector, "name": editing.NameEn, "name_hi": editing.NameHi,
				"main_centres": editing.MainCentres, "version": strconv.FormatInt(editing.Version, 10)}
			if editing.GITag {
				values["gi_tag"] = "1"
			}
			if editing.Active {
				values["active"] = "1"
			}
		}
		f.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	}
	if e != nil {
		f.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" && editing != nil {
			f.Problem.LinkHref, f.Problem.LinkText = "/crafts?edit="+editing.Slug+"#craft-form", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: f.Problem.fields}
	if editing == nil {
		f.Controls = append(f.Controls, b.text("slug", "craft.field.slug").req().maxlen(60).
			code().hint(b.t("craft.hint.slug")))
		f.Controls[0].AutoCapitalize = "none"
	}
	f.Controls = append(f.Controls,
		b.choice("sector", "craft.field.sector", b.t("registry.choose"), enumOptions(b, "craft.sector.", app.Sectors)).req(),
		b.text("name", "craft.field.name").req().maxlen(100),
		b.text("name_hi", "craft.field.name_hi").req().maxlen(100),
		b.text("main_centres", "craft.field.main_centres").maxlen(500).hint(b.t("craft.hint.main_centres")),
		b.checkbox("gi_tag", "craft.field.gi_tag"),
	)
	if editing != nil {
		f.Controls = append(f.Controls, b.checkbox("active", "craft.field.active").hint(b.t("craft.hint.active")))
	}
	f.Problem.Items = summarize(f.Controls, f.Problem)
	return f
}

// centres names the districts in a craft's main centres, stored by slug as in
// "Sanganer (jaipur); bikaner", in the reader's language: "Sanganer (Jaipur); Bikaner".
func (r *refLabels) centres(s string) string {
	parts := strings.Split(s, ";")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if name, ok := r.district[p]; ok {
			p = name
		} else if place, slug, ok := strings.Cut(strings.TrimSuffix(p, ")"), " ("); ok && r.district[slug] != "" {
			p = place + " (" + r.district[slug] + ")"
		}
		parts[i] = p
	}
	return strings.Join(parts, "; ")
}
