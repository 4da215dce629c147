package handlers

// The store pages: the stores in the reader's scope (a store manager sees their own), and
// the form state administrators add and edit them with, under optimistic locking.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// storeListData is the Data of stores/list.
type storeListData struct {
	Filters  []control
	Filtered bool
	Problem  problem
	Rows     []storeRow
	NewHref  string // empty when the policy does not allow adding
}

type storeRow struct {
	Name, Type, Agency, District, Address, Active, SalesHref, EditHref string
}

func (s *Server) storeListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"district", "type", "active"} {
		values[k] = strings.TrimSpace(c.Query(k))
	}
	data := &storeListData{Filtered: values["district"]+values["type"]+values["active"] != ""}
	v := app.Invalid{}
	f := app.StoreFilter{District: values["district"], Type: values["type"], Active: boolQuery(c, v, "active")}
	status := fiber.StatusOK
	stores, err := []app.Store(nil), v.Err()
	if err == nil {
		stores, err = s.stores().List(c.UserContext(), a, f)
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
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(s.authz.Scope(a.UserID, "store", "read")))),
		b.choice("type", "stores.field.type", anyOf, enumOptions(b, "stores.type.", app.StoreTypes)),
		b.choice("active", "stores.filter.active", anyOf, enumOptions(b, "registry.bool.", []string{"true", "false"})),
	}
	data.Problem.Items = summarize(data.Filters, data.Problem)
	maySell := s.authz.Allowed(a.UserID, "sale", "read")
	for _, st := range stores {
		row := storeRow{Name: st.Name, Type: b.t("stores.type." + st.Type), Agency: s.agencyName(c, lang, st.Agency),
			District: refs.district[st.District], Address: st.Address, Active: yesNo(lang, st.Active)}
		if maySell {
			row.SalesHref = "/sales?store_id=" + idString(st.ID)
		}
		if s.authz.Can(a.UserID, st.District, "store", "manage") {
			row.EditHref = "/stores/" + idString(st.ID) + "/edit"
		}
		data.Rows = append(data.Rows, row)
	}
	if s.authz.Allowed(a.UserID, "store", "manage") {
		data.NewHref = "/stores/new"
	}
	return s.render(c, status, "stores/list", "stores.list.title", data)
}

// storeFormData is the Data of stores/form.
type storeFormData struct {
	Action   string
	Version  int64 // 0 on a new store
	Controls []control
	Problem  problem
}

var storeFields = []string{"name", "type", "agency", "district", "address", "active", "version"}

func (s *Server) storeNewPage(c *fiber.Ctx) error {
	return s.renderStoreForm(c, fiber.StatusOK, 0, map[string]string{}, nil)
}

func (s *Server) storeEditPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := s.stores().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !s.authz.Can(actor(c).UserID, st.District, "store", "manage") {
		return app.ErrForbidden
	}
	values := map[string]string{"name": st.Name, "type": st.Type, "agency": st.Agency, "district": st.District,
		"address": st.Address, "version": strconv.FormatInt(st.Version, 10)}
	if st.Active {
		values["active"] = "1"
	}
	return s.renderStoreForm(c, fiber.StatusOK, id, values, nil)
}

func (s *Server) storeCreateSubmit(c *fiber.Ctx) error {
	if _, err := s.stores().Create(c.UserContext(), actor(c), storeInputOf(c, false)); err != nil {
		return s.storeFormFailed(c, 0, err)
	}
	s.flash(c, "success", "stores.flash.created")
	return c.Redirect("/stores", fiber.StatusSeeOther)
}

func (s *Server) storeUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.stores().Update(c.UserContext(), actor(c), id, storeInputOf(c, true)); err != nil {
		return s.storeFormFailed(c, id, err)
	}
	s.flash(c, "success", "stores.flash.saved")
	return c.Redirect("/stores", fiber.StatusSeeOther)
}

// storeInputOf reads the form; the active box is on the edit form only.
func storeInputOf(c *fiber.Ctx, editing bool) app.StoreInput {
	in := app.StoreInput{Name: c.FormValue("name"), Type: c.FormValue("type"), Agency: c.FormValue("agency"),
		District: c.FormValue("district"), Address: c.FormValue("address")}
	if editing {
		active := c.FormValue("active") != ""
		in.Active = &active
	}
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

func (s *Server) storeFormFailed(c *fiber.Ctx, id int64, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range storeFields {
		values[k] = c.FormValue(k)
	}
	return s.renderStoreForm(c, statusOf[e.Code], id, values, e)
}

func (s *Server) renderStoreForm(c *fiber.Ctx, status int, id int64, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &storeFormData{Action: "/stores"}
	title := "stores.new.title"
	if id != 0 {
		data.Action, title = "/stores/"+idString(id), "stores.edit.title"
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	choose := b.t("registry.choose")
	data.Controls = []control{
		b.text("name", "stores.field.name").req().maxlen(200),
		b.choice("type", "stores.field.type", choose, enumOptions(b, "stores.type.", app.StoreTypes)).req(),
		b.choice("agency", "stores.field.agency", choose, plain(s.agencyOptions(c, lang))).req(),
		b.choice("district", "artisan.field.district", choose, plain(refs.districtOptions(s.authz.Scope(actor(c).UserID, "store", "manage")))).req(),
		b.textarea("address", "stores.field.address"),
	}
	if id != 0 {
		data.Controls = append(data.Controls, b.checkbox("active", "stores.field.active").hint(b.t("stores.hint.active")))
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "stores/form", title, data)
}
