package handlers

// The user pages for state administrators: the list of accounts, adding one, changing its
// role, districts and store, deactivating it, and setting a new password. app.Users checks
// the permission again and records every change in the audit log.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// userListData is the Data of users/list.
type userListData struct {
	Rows    []userRow
	NewHref string // empty when the policy does not allow adding
}

type userRow struct {
	Username, Name, Role, Districts, EditHref string
	Active                                    bool
}

func (s *Server) userListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	users, err := s.users.List(c.UserContext(), a)
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	mayManage := s.authz.Allowed(a.UserID, "user", "manage")
	data := &userListData{}
	if mayManage {
		data.NewHref = "/users/new"
	}
	for _, u := range users {
		row := userRow{Username: u.Username, Name: u.Name, Active: u.Active, Districts: districtNames(lang, refs, u.Districts)}
		if u.Role != "" {
			row.Role = views.T(lang, "role."+u.Role, nil)
		}
		if mayManage {
			row.EditHref = "/users/" + idString(u.ID) + "/edit"
		}
		data.Rows = append(data.Rows, row)
	}
	return s.render(c, fiber.StatusOK, "users/list", "user.list.title", data)
}

// districtNames lists districts by name, or "All districts" for a state-wide grant.
func districtNames(lang string, refs *refLabels, slugs []string) string {
	names := make([]string, 0, len(slugs))
	for _, d := range slugs {
		if d == app.AllDistrictsDomain {
			return views.T(lang, "scope.all_districts", nil)
		}
		names = append(names, refs.district[d])
	}
	return strings.Join(names, ", ")
}

// userFormData is the Data of users/form.
type userFormData struct {
	Action   string
	Version  int64 // 0 on a new user
	Controls []control
	Problem  problem
	Username string // of the user edited

	// The password reset form, on the edit page only.
	PasswordAction   string
	PasswordControls []control
	PasswordProblem  problem
}

func (s *Server) userNewPage(c *fiber.Ctx) error {
	return s.renderUserForm(c, fiber.StatusOK, nil, map[string]string{}, nil, nil)
}

func (s *Server) userEditPage(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	return s.renderUserForm(c, fiber.StatusOK, u, userValues(u), nil, nil)
}

func (s *Server) userParam(c *fiber.Ctx) (*app.UserView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.users.Get(c.UserContext(), actor(c), id)
}

func userValues(u *app.UserView) map[string]string {
	v := map[string]string{"name": u.Name, "role": u.Role, "version": strconv.FormatInt(u.Version, 10)}
	if u.StoreID != nil {
		v["store_id"] = idString(*u.StoreID)
	}
	if u.Active {
		v["active"] = "1"
	}
	return v
}

func (s *Server) userCreateSubmit(c *fiber.Ctx) error {
	in := app.NewUser{Username: strings.TrimSpace(c.FormValue("username")), Password: c.FormValue("password"),
		Name: strings.TrimSpace(c.FormValue("name")), Role: c.FormValue("role"), Districts: userDistricts(c),
		StoreID: formStoreID(c)}
	if _, err := s.users.Create(c.UserContext(), actor(c), in); err != nil {
		return s.userFormFailed(c, nil, err)
	}
	s.flash(c, "success", "user.flash.created")
	return c.Redirect("/users", fiber.StatusSeeOther)
}

func (s *Server) userUpdateSubmit(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	name, role, districts := strings.TrimSpace(c.FormValue("name")), c.FormValue("role"), userDistricts(c)
	active := c.FormValue("active") != ""
	upd := app.UserUpdate{Name: &name, Role: &role, Districts: &districts, StoreID: formStoreID(c), Active: &active}
	upd.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if _, err := s.users.Update(c.UserContext(), actor(c), u.ID, upd); err != nil {
		return s.userFormFailed(c, u, err)
	}
	s.flash(c, "success", "user.flash.saved")
	return c.Redirect("/users", fiber.StatusSeeOther)
}

func (s *Server) userPasswordSubmit(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	password := c.FormValue("new_password")
	upd := app.UserUpdate{Password: &password}
	upd.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if _, err := s.users.Update(c.UserContext(), actor(c), u.ID, upd); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		// The password error is named "password" by app; on this page it is the reset field.
		if m, ok := e.Fields["password"]; ok {
			e = &app.Error{Code: e.Code, Message: e.Message, Fields: map[string]app.Message{"new_password": m}}
		}
		return s.renderUserForm(c, statusOf[e.Code], u, userValues(u), nil, e)
	}
	s.flash(c, "success", "user.flash.password")
	return c.Redirect("/users", fiber.StatusSeeOther)
}

// userDistricts reads the district checkboxes; a state-wide role sends none.
func userDistricts(c *fiber.Ctx) []string {
	ds := formValues(c, "districts")
	if ds == nil {
		return []string{}
	}
	return ds
}

// formStoreID reads the store choice; none chosen is nil.
func formStoreID(c *fiber.Ctx) *int64 {
	id, err := strconv.ParseInt(c.FormValue("store_id"), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	return &id
}

func (s *Server) userFormFailed(c *fiber.Ctx, u *app.UserView, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"username", "name", "role", "store_id", "active", "version"} {
		values[k] = c.FormValue(k)
	}
	values["districts"] = strings.Join(userDistricts(c), ",")
	return s.renderUserForm(c, statusOf[e.Code], u, values, e, nil)
}

// renderUserForm draws the new-user form (u nil) or the edit page with its password form.
func (s *Server) renderUserForm(c *fiber.Ctx, status int, u *app.UserView, values map[string]string, e, pwErr *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	roles, err := s.ref.Roles(c.UserContext())
	if err != nil {
		return err
	}
	stores, err := (&app.Stores{DB: s.db, Authz: s.authz}).List(c.UserContext(), actor(c), app.StoreFilter{})
	if err != nil {
		return err
	}
	data := &userFormData{Action: "/users"}
	title := "user.new.title"
	selected := strings.Split(values["districts"], ",")
	if u != nil {
		data.Action, data.Username, title = "/users/"+idString(u.ID), u.Username, "user.edit.title"
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
		if _, sent := values["districts"]; !sent {
			selected = u.Districts
		}
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" && u != nil {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	var roleOptions, storeOptions []option
	for _, r := range roles {
		roleOptions = append(roleOptions, option{Value: r.Slug, Label: views.T(lang, "role."+r.Slug, nil)})
	}
	for _, st := range stores {
		storeOptions = append(storeOptions, option{Value: idString(st.ID), Label: st.Name + " — " + refs.district[st.District]})
	}
	if u == nil {
		data.Controls = append(data.Controls,
			b.text("username", "user.field.username").req().maxlen(32).hint(b.t("user.hint.username")).code(),
			b.text("password", "user.field.password").req().typ("password").hint(b.t("user.hint.password")).noValue())
		data.Controls[0].AutoCapitalize = "none"
		data.Controls[1].Autocomplete = "new-password"
	}
	data.Controls = append(data.Controls,
		b.text("name", "user.field.name").req().maxlen(100),
		b.choice("role", "user.field.role", b.t("registry.choose"), plain(roleOptions)).req(),
		b.checks("districts", "user.field.districts", selected, plain(refs.districtOptions(app.AllDistricts))).
			hint(b.t("user.hint.districts")),
		b.choice("store_id", "user.field.store", b.t("user.no_store"), plain(storeOptions)).hint(b.t("user.hint.store")),
	)
	if u != nil {
		data.Controls = append(data.Controls, b.checkbox("active", "user.field.active").hint(b.t("user.hint.active")))
		data.PasswordAction = data.Action + "/password"
		if pwErr != nil {
			data.PasswordProblem = problemOf(lang, pwErr)
		}
		pb := formBuilder{lang: lang, values: map[string]string{}, errors: data.PasswordProblem.fields}
		pw := pb.text("new_password", "user.field.new_password").req().typ("password").hint(pb.t("user.hint.password"))
		pw.Autocomplete = "new-password"
		data.PasswordControls = []control{pw}
		data.PasswordProblem.Items = summarize(data.PasswordControls, data.PasswordProblem)
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "users/form", title, data)
}
