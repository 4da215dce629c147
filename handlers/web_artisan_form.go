package handlers

// The artisan form: new and edit, inline errors in the reader's language, the duplicate
// warning and stale-version conflicts.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// artisanFormData is the Data of artisans/form, for a new record and for an edit.
type artisanFormData struct {
	Action, Cancel string
	Version        int64 // 0 on a new record
	Sections       []formSection
	Problem        problem
	Confirm        *control // "save anyway", offered after a possible-duplicate warning
}

func (s *Server) artisanNewPage(c *fiber.Ctx) error {
	values := map[string]string{}
	if ds := s.authz.Scope(actor(c).UserID, "artisan", "create").Districts; len(ds) == 1 {
		values["district"] = ds[0]
	}
	return s.renderArtisanForm(c, fiber.StatusOK, 0, values, nil)
}

func (s *Server) artisanEditPage(c *fiber.Ctx) error {
	a, err := s.editableArtisan(c)
	if err != nil {
		return err
	}
	return s.renderArtisanForm(c, fiber.StatusOK, a.ID, artisanValues(a), nil)
}

// editableArtisan loads the record of the :id parameter, refusing one the actor may read
// but not edit, as the save would.
func (s *Server) editableArtisan(c *fiber.Ctx) (*app.Artisan, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.artisans.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, err
	}
	if !s.authz.Can(actor(c).UserID, a.District, "artisan", "edit") {
		return nil, app.ErrForbidden
	}
	return a, nil
}

func (s *Server) artisanCreateSubmit(c *fiber.Ctx) error {
	in := app.ArtisanInput{}
	artisanInputOf(c, &in)
	a, err := s.artisans.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return s.artisanFormFailed(c, 0, err)
	}
	s.flash(c, "success", "artisan.flash.created")
	return c.Redirect("/artisans/"+idString(a.ID), fiber.StatusSeeOther)
}

func (s *Server) artisanUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, err = s.artisans.Patch(c.UserContext(), actor(c), id, func(in *app.ArtisanInput) error {
		stored := *in
		artisanInputOf(c, in)
		// A reader without view_personal sees mobile, PAN and account masked; a mask sent
		// back unchanged means "keep", never a new value.
		keepMasked(&in.Mobile, stored.Mobile)
		keepMasked(&in.PAN, stored.PAN)
		keepMasked(&in.BankAccount, stored.BankAccount)
		return nil
	})
	if err != nil {
		return s.artisanFormFailed(c, id, err)
	}
	s.flash(c, "success", "artisan.flash.saved")
	return c.Redirect("/artisans/"+idString(id), fiber.StatusSeeOther)
}

func keepMasked(field *string, stored string) {
	if *field != "" && strings.Contains(*field, "X") && strings.TrimSpace(*field) == app.MaskTail(stored) {
		*field = stored
	}
}

// artisanFormFailed shows the form again with the problem, or passes on an error that is
// not about the form (not found, forbidden, internal) to the error page.
func (s *Server) artisanFormFailed(c *fiber.Ctx, id int64, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range artisanFields {
		values[k] = c.FormValue(k)
	}
	values["crafts"] = strings.Join(formValues(c, "crafts"), ",")
	values["confirm_duplicate"] = c.FormValue("confirm_duplicate")
	values["version"] = c.FormValue("version")
	delete(values, "aadhaar") // never sent back to the browser
	return s.renderArtisanForm(c, statusOf[e.Code], id, values, e)
}

// artisanFields are the form's inputs besides crafts, disability and the Aadhaar number.
var artisanFields = []string{"name", "name_hi", "relative_name", "gender", "date_of_birth", "social_category",
	"disability", "mobile", "district", "tehsil", "village", "pin_code", "primary_craft", "years_in_craft",
	"pehchan_id", "weaver_id", "udyam", "pan", "gstin", "bank_account", "ifsc", "organisation_id"}

// artisanInputOf fills in from the submitted form. Every field is on the form, so every
// field is set; an empty Aadhaar keeps the one on record.
func artisanInputOf(c *fiber.Ctx, in *app.ArtisanInput) {
	in.Name, in.NameHi, in.RelativeName = c.FormValue("name"), c.FormValue("name_hi"), c.FormValue("relative_name")
	in.Gender, in.DateOfBirth, in.SocialCategory = c.FormValue("gender"), isoDate(c.FormValue("date_of_birth")), c.FormValue("social_category")
	in.Disability = c.FormValue("disability") != ""
	in.Mobile, in.Aadhaar = c.FormValue("mobile"), app.AadhaarNumber(c.FormValue("aadhaar"))
	in.District, in.Tehsil, in.Village, in.PINCode = c.FormValue("district"), c.FormValue("tehsil"), c.FormValue("village"), c.FormValue("pin_code")
	in.PrimaryCraft, in.Crafts = c.FormValue("primary_craft"), formValues(c, "crafts")
	// An unreadable number becomes -1, which validation reports on its field.
	in.YearsInCraft = formInt(c.FormValue("years_in_craft"))
	in.PehchanID, in.WeaverID, in.Udyam = c.FormValue("pehchan_id"), c.FormValue("weaver_id"), c.FormValue("udyam")
	in.PAN, in.GSTIN = c.FormValue("pan"), c.FormValue("gstin")
	in.BankAccount, in.IFSC = c.FormValue("bank_account"), c.FormValue("ifsc")
	in.OrganisationID = nil
	if v := strings.TrimSpace(c.FormValue("organisation_id")); v != "" {
		n := int64(formInt(v))
		in.OrganisationID = &n
	}
	in.ConfirmDuplicate = c.FormValue("confirm_duplicate") != ""
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
}

// artisanValues are the form values of a stored record.
func artisanValues(a *app.Artisan) map[string]string {
	v := map[string]string{
		"name": a.Name, "name_hi": a.NameHi, "relative_name": a.RelativeName, "gender": a.Gender,
		"date_of_birth": formatISODate(a.DateOfBirth), "social_category": a.SocialCategory, "mobile": a.Mobile,
		"district": a.District, "tehsil": a.Tehsil, "village": a.Village, "pin_code": a.PINCode,
		"primary_craft": a.PrimaryCraft, "crafts": strings.Join(a.Crafts, ","),
		"years_in_craft": strconv.Itoa(a.YearsInCraft), "pehchan_id": a.PehchanID, "weaver_id": a.WeaverID,
		"udyam": a.Udyam, "pan": a.PAN, "gstin": a.GSTIN, "bank_account": a.BankAccount, "ifsc": a.IFSC,
		"version": strconv.FormatInt(a.Version, 10),
	}
	if a.Disability {
		v["disability"] = "1"
	}
	if a.OrganisationID != nil {
		v["organisation_id"] = idString(*a.OrganisationID)
	}
	return v
}

// renderArtisanForm shows the artisan form; id 0 is a new record.
func (s *Server) renderArtisanForm(c *fiber.Ctx, status int, id int64, values map[string]string, e *app.Error) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	title, scopeAction := "artisan.new.title", "create"
	data := &artisanFormData{Action: "/artisans", Cancel: "/artisans"}
	var last4 string
	if id != 0 {
		title, scopeAction = "artisan.edit.title", "edit"
		data.Action, data.Cancel = "/artisans/"+idString(id), "/artisans/"+idString(id)
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
		cur, err := s.artisans.Get(ctx, a, id)
		if err != nil {
			return err
		}
		last4 = cur.AadhaarLast4
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", views.T(lang, "registry.reload", nil)
		}
	}
	orgs, err := s.organisations.List(ctx, a, app.OrganisationFilter{})
	if err != nil {
		return err
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	scope := s.authz.Scope(a.UserID, "artisan", scopeAction)
	choose := b.t("registry.choose")

	aadhaarHint := b.t("artisan.hint.aadhaar")
	if id != 0 && last4 != "" {
		aadhaarHint += " " + views.T(lang, "artisan.hint.aadhaar_keep", map[string]string{"last4": last4})
	}
	selected := strings.Split(values["crafts"], ",")
	crafts := b.checks("crafts", "artisan.field.crafts", selected, refs.craftGroups(lang, values["primary_craft"])...).
		hint(b.t("artisan.hint.crafts"))
	activeOrgs := slices.DeleteFunc(slices.Clone(orgs), func(o app.Organisation) bool {
		return !o.Active && values["organisation_id"] != idString(o.ID)
	})
	data.Sections = []formSection{
		{Legend: b.t("artisan.section.identity"), Controls: []control{
			b.text("name", "artisan.field.name").req().maxlen(100).hint(b.t("artisan.hint.name")),
			b.text("name_hi", "artisan.field.name_hi").maxlen(100).hint(b.t("artisan.hint.name_hi")),
			b.text("relative_name", "artisan.field.relative_name").req().maxlen(100).hint(b.t("artisan.hint.relative_name")),
			b.choice("gender", "artisan.field.gender", choose, enumOptions(b, "artisan.gender.", app.ArtisanGenders)).req(),
			// Text, not type=date: the browser shows a date field in its own locale's order,
			// often mm/dd/yyyy, where officials read and type day first.
			b.text("date_of_birth", "artisan.field.date_of_birth").req().mode("numeric").maxlen(10).
				hint(b.t("artisan.hint.date_of_birth")),
			b.choice("social_category", "artisan.field.social_category", choose,
				enumOptions(b, "artisan.social.", app.ArtisanSocialCategories)).req(),
			b.checkbox("disability", "artisan.field.disability"),
		}},
		{Legend: b.t("artisan.section.contact"), Controls: []control{
			b.text("mobile", "artisan.field.mobile").req().typ("tel").mode("numeric").maxlen(14).hint(b.t("artisan.hint.mobile")),
			b.choice("district", "artisan.field.district", choose, plain(refs.districtOptions(scope))).req(),
			b.text("tehsil", "artisan.field.tehsil").maxlen(100),
			b.text("village", "artisan.field.village").maxlen(100),
			b.text("pin_code", "artisan.field.pin_code").mode("numeric").maxlen(7).hint(b.t("artisan.hint.pin_code")),
		}},
		{Legend: b.t("artisan.section.craft"), Controls: []control{
			b.choice("primary_craft", "artisan.field.primary_craft", choose, refs.craftGroups(lang, values["primary_craft"])...).req(),
			crafts,
			b.text("years_in_craft", "artisan.field.years_in_craft").mode("numeric").maxlen(3),
		}},
		{Legend: b.t("artisan.section.ids"), Controls: []control{
			b.text("aadhaar", "artisan.field.aadhaar").mode("numeric").maxlen(14).hint(aadhaarHint).noValue(),
			b.text("pehchan_id", "artisan.field.pehchan_id").code().maxlen(30),
			b.text("weaver_id", "artisan.field.weaver_id").code().maxlen(30),
			b.text("udyam", "artisan.field.udyam").code().maxlen(19).hint(b.t("artisan.hint.udyam")),
			b.text("pan", "artisan.field.pan").code().maxlen(10).hint(b.t("artisan.hint.pan")),
			b.text("gstin", "artisan.field.gstin").code().maxlen(15).hint(b.t("artisan.hint.gstin")),
		}},
		{Legend: b.t("artisan.section.bank"), Controls: []control{
			b.text("bank_account", "artisan.field.bank_account").mode("numeric").maxlen(18).hint(b.t("artisan.hint.bank_account")),
			b.text("ifsc", "artisan.field.ifsc").code().maxlen(11).hint(b.t("artisan.hint.ifsc")),
		}},
		{Legend: b.t("artisan.section.organisation"), Controls: []control{
			b.choice("organisation_id", "artisan.field.organisation", b.t("artisan.form.no_organisation"),
				organisationGroups(refs, activeOrgs)...).hint(b.t("artisan.hint.organisation")),
		}},
	}
	if e != nil && e.Message.Key == "artisan.possible_duplicate" {
		confirm := b.checkbox("confirm_duplicate", "artisan.field.confirm_duplicate").hint(b.t("artisan.hint.confirm_duplicate"))
		data.Confirm = &confirm
	}
	var controls []control
	for _, sec := range data.Sections {
		controls = append(controls, sec.Controls...)
	}
	data.Problem.Items = summarize(controls, data.Problem)
	return s.render(c, status, "artisans/form", title, data)
}
