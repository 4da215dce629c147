package handlers

// The organisation pages: cooperatives, self-help groups, khadi institutions and producer
// companies, listed by district within the reader's scope, added and edited under
// optimistic locking.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// organisationListData is the Data of organisations/list.
type organisationListData struct {
	Filters  []control
	Problem  problem
	Rows     []organisationRow
	Filtered bool
	NewHref  string // empty when the policy does not allow adding
}

type organisationRow struct {
	Kind, District, RegistrationNo, EditHref string
	Active                                   bool
	personName
}

func (s *Server) organisationListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"q", "district", "kind", "active"} {
		values[k] = strings.TrimSpace(c.Query(k))
	}
	data := &organisationListData{Filtered: values["q"]+values["district"]+values["kind"]+values["active"] != ""}
	v := app.Invalid{}
	f := app.OrganisationFilter{District: values["district"], Kind: values["kind"], Q: values["q"],
		Active: boolQuery(c, v, "active")}
	status := fiber.StatusOK
	orgs, err := []app.Organisation(nil), v.Err()
	if err == nil {
		orgs, err = s.organisations.List(c.UserContext(), a, f)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status, data.Problem = statusOf[e.Code], problemOf(lang, e)
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	anyOf := b.t("registry.any")
	data.Filters = []control{
		b.text("q", "organisation.filter.q").typ("search"),
		b.choice("district", "organisation.field.district", anyOf,
			plain(refs.districtOptions(s.authz.Scope(a.UserID, "organisation", "read")))),
		b.choice("kind", "organisation.field.kind", anyOf, enumOptions(b, "organisation.kind.", app.OrganisationKinds)),
		b.choice("active", "organisation.filter.active", anyOf, enumOptions(b, "organisation.active.", []string{"true", "false"})),
	}
	data.Problem.Items = summarize(data.Filters, data.Problem)
	for _, o := range orgs {
		row := organisationRow{personName: nameFor(lang, o.Name, o.NameHi), Kind: b.t("organisation.kind." + o.Kind),
			District: refs.district[o.District], RegistrationNo: o.RegistrationNo, Active: o.Active}
		if s.authz.Can(a.UserID, o.District, "organisation", "manage") {
			row.EditHref = "/organisations/" + idString(o.ID) + "/edit"
		}
		data.Rows = append(data.Rows, row)
	}
	if s.authz.Allowed(a.UserID, "organisation", "manage") {
		data.NewHref = "/organisations/new"
	}
	return s.render(c, status, "organisations/list", "organisation.list.title", data)
}

// organisationFormData is the Data of organisations/form.
type organisationFormData struct {
	Action   string
	Version  int64 // 0 on a new organisation
	Controls []control
	Problem  problem
}

func (s *Server) organisationNewPage(c *fiber.Ctx) error {
	values := map[string]string{}
	if ds := s.authz.Scope(actor(c).UserID, "organisation", "manage").Districts; len(ds) == 1 {
		values["district"] = ds[0]
	}
	return s.renderOrganisationForm(c, fiber.StatusOK, 0, values, nil)
}

func (s *Server) organisationEditPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	o, err := s.organisations.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !s.authz.Can(actor(c).UserID, o.District, "organisation", "manage") {
		return app.ErrForbidden
	}
	values := map[string]string{"name": o.Name, "name_hi": o.NameHi, "kind": o.Kind, "district": o.District,
		"registration_no": o.RegistrationNo, "address": o.Address, "version": strconv.FormatInt(o.Version, 10)}
	if o.Active {
		values["active"] = "1"
	}
	return s.renderOrganisationForm(c, fiber.StatusOK, id, values, nil)
}

func (s *Server) organisationCreateSubmit(c *fiber.Ctx) error {
	_, err := s.organisations.Create(c.UserContext(), actor(c), organisationInputOf(c, false))
	if err != nil {
		return s.organisationFormFailed(c, 0, err)
	}
	s.flash(c, "success", "organisation.flash.created")
	return c.Redirect("/organisations", fiber.StatusSeeOther)
}

func (s *Server) organisationUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, err = s.organisations.Update(c.UserContext(), actor(c), id, organisationInputOf(c, true))
	if err != nil {
		return s.organisationFormFailed(c, id, err)
	}
	s.flash(c, "success", "organisation.flash.saved")
	return c.Redirect("/organisations", fiber.StatusSeeOther)
}

// organisationInputOf reads the form; the active box is on the edit form only.
func organisationInputOf(c *fiber.Ctx, editing bool) app.OrganisationInput {
	in := app.OrganisationInput{Name: c.FormValue("name"), NameHi: c.FormValue("name_hi"), Kind: c.FormValue("kind"),
		District: c.FormValue("district"), RegistrationNo: c.FormValue("registration_no"), Address: c.FormValue("address")}
	if editing {
		active := c.FormValue("active") != ""
		in.Active = &active
	}
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

func (s *Server) organisationFormFailed(c *fiber.Ctx, id int64, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"name", "name_hi", "kind", "district", "registration_no", "address", "active", "version"} {
		values[k] = c.FormValue(k)
	}
	return s.renderOrganisationForm(c, statusOf[e.Code], id, values, e)
}

func (s *Server) renderOrganisationForm(c *fiber.Ctx, status int, id int64, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &organisationFormData{Action: "/organisations"}
	title := "organisation.new.title"
	if id != 0 {
		data.Action, title = "/organisations/"+idString(id), "organisation.edit.title"
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	data.Controls = []control{
		b.text("name", "organisation.field.name").req().maxlen(200),
		b.text("name_hi", "organisation.field.name_hi").maxlen(200),
		b.choice("kind", "organisation.field.kind", b.t("registry.choose"), enumOptions(b, "organisation.kind.", app.OrganisationKinds)).req(),
		b.choice("district", "organisation.field.district", b.t("registry.choose"),
			plain(refs.districtOptions(s.authz.Scope(actor(c).UserID, "organisation", "manage")))).req(),
		b.text("registration_no", "organisation.field.registration_no").maxlen(50).code(),
		b.textarea("address", "organisation.field.address"),
	}
	if id != 0 {
		data.Controls = append(data.Controls, b.checkbox("active", "organisation.field.active").hint(b.t("organisation.hint.active")))
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "organisations/form", title, data)
}
