package handlers

// The product pages: the catalogue as cards filtered by district and craft, the form that
// adds and edits a product (prices typed in rupees), and the product's page with its photos,
// their quality flags, the photo upload and its listings.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

// productListData is the Data of products/list.
type productListData struct {
	Filters    []control
	Filtered   bool
	Problem    problem
	Cards      []productCard
	NewHref    string
	ExportHref string // the district's or artisan's catalogue, when the filter names one
}

type productCard struct {
	Href, Title, TitleHi, Artisan, District, Craft, Price string
	Photos                                                int
	Flags                                                 []string
}

func (s *Server) productListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{"district": c.Query("district"), "craft": c.Query("craft"), "artisan": c.Query("artisan")}
	data := &productListData{Filtered: values["district"]+values["craft"]+values["artisan"] != ""}
	status := fiber.StatusOK
	f, err := productFilter(c)
	products := []app.Product(nil)
	if err == nil {
		products, err = s.products().List(c.UserContext(), a, f)
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
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(s.authz.Scope(a.UserID, "product", "read")))),
		b.choice("craft", "catalogue.field.craft", anyOf, refs.craftGroups(lang, "")...),
	}
	data.Problem.Items = summarize(data.Filters, data.Problem)
	for _, p := range products {
		data.Cards = append(data.Cards, productCard{Href: "/products/" + idString(p.ID), Title: p.TitleEn, TitleHi: p.TitleHi,
			Artisan: p.ArtisanName, District: refs.district[p.District], Craft: refs.craft[p.Craft],
			Price: app.FormatRupees(p.StorePricePaise), Photos: p.PhotoCount, Flags: flagLabels(b, p.QualityFlags)})
	}
	if s.authz.Allowed(a.UserID, "product", "edit") {
		data.NewHref = "/products/new"
	}
	switch {
	case f.ArtisanID != 0:
		data.ExportHref = "/products/export?format=xlsx&artisan=" + idString(f.ArtisanID)
	case f.District != "":
		data.ExportHref = "/products/export?format=xlsx&district=" + f.District
	}
	return s.render(c, status, "products/list", "catalogue.list.title", data)
}

// flagLabels translates quality flags.
func flagLabels(b formBuilder, flags []string) []string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = b.t("catalogue.flag." + f)
	}
	return out
}

// productFormData is the Data of products/form.
type productFormData struct {
	Action, CancelHref string
	Version            int64
	Controls           []control
	Problem            problem
}

var productFields = []string{"artisan_id", "title_en", "title_hi", "craft", "description", "material", "dimensions",
	"weight_grams", "hsn_code", "store_price", "gi_tag", "handloom_mark", "khadi_mark", "version"}

func (s *Server) productNewPage(c *fiber.Ctx) error {
	return s.renderProductForm(c, fiber.StatusOK, 0, map[string]string{"artisan_id": c.Query("artisan")}, nil)
}

func (s *Server) productEditPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.products().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !s.authz.Can(actor(c).UserID, p.District, "product", "edit") {
		return app.ErrForbidden
	}
	values := map[string]string{"artisan_id": idString(p.ArtisanID), "title_en": p.TitleEn, "title_hi": p.TitleHi,
		"craft": p.Craft, "description": p.Description, "material": p.Material, "dimensions": p.Dimensions,
		"weight_grams": strconv.FormatInt(p.WeightGrams, 10), "hsn_code": p.HSNCode,
		"store_price": rupeesField(p.StorePricePaise), "version": strconv.FormatInt(p.Version, 10)}
	for k, on := range map[string]bool{"gi_tag": p.GITag, "handloom_mark": p.HandloomMark, "khadi_mark": p.KhadiMark} {
		if on {
			values[k] = "1"
		}
	}
	return s.renderProductForm(c, fiber.StatusOK, id, values, nil)
}

func (s *Server) productCreateSubmit(c *fiber.Ctx) error {
	p, err := s.products().Create(c.UserContext(), actor(c), productInputOf(c))
	if err != nil {
		return s.productFormFailed(c, 0, err)
	}
	s.flash(c, "success", "catalogue.flash.created")
	return c.Redirect("/products/"+idString(p.ID), fiber.StatusSeeOther)
}

func (s *Server) productUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.products().Update(c.UserContext(), actor(c), id, productInputOf(c)); err != nil {
		return s.productFormFailed(c, id, err)
	}
	s.flash(c, "success", "catalogue.flash.saved")
	return c.Redirect("/products/"+idString(id), fiber.StatusSeeOther)
}

// productInputOf reads the form. A price that is no amount becomes 0, which validation
// reports as a missing price.
func productInputOf(c *fiber.Ctx) app.ProductInput {
	in := app.ProductInput{TitleEn: c.FormValue("title_en"), TitleHi: c.FormValue("title_hi"), Craft: c.FormValue("craft"),
		Description: c.FormValue("description"), Material: c.FormValue("material"), Dimensions: c.FormValue("dimensions"),
		HSNCode: c.FormValue("hsn_code"), GITag: c.FormValue("gi_tag") != "", HandloomMark: c.FormValue("handloom_mark") != "",
		KhadiMark: c.FormValue("khadi_mark") != "", WeightGrams: int64(formInt(c.FormValue("weight_grams")))}
	in.ArtisanID, _ = strconv.ParseInt(strings.TrimSpace(c.FormValue("artisan_id")), 10, 64)
	in.StorePricePaise, _ = app.ParseRupees(c.FormValue("store_price"))
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

func (s *Server) productFormFailed(c *fiber.Ctx, id int64, err error) error {
	e := classify(err)
	if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
		return err
	}
	values := map[string]string{}
	for _, k := range productFields {
		values[k] = c.FormValue(k)
	}
	return s.renderProductForm(c, statusOf[e.Code], id, values, e)
}

func (s *Server) renderProductForm(c *fiber.Ctx, status int, id int64, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &productFormData{Action: "/products", CancelHref: "/products"}
	title := "catalogue.new.title"
	if id != 0 {
		data.Action, data.CancelHref, title = "/products/"+idString(id), "/products/"+idString(id), "catalogue.edit.title"
		data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	}
	if e != nil {
		data.Problem = problemOf(lang, e)
		renameField(data.Problem.fields, "store_price_paise", "store_price")
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", localize(lang, app.Msg("registry.reload"))
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	artisan := b.text("artisan_id", "catalogue.field.artisan_id").req().mode("numeric").hint(b.t("catalogue.hint.artisan_id"))
	if id != 0 {
		artisan = artisan.hint(b.t("catalogue.hint.artisan_fixed"))
	}
	data.Controls = []control{
		artisan,
		b.text("title_en", "catalogue.field.title_en").req().maxlen(200),
		b.text("title_hi", "catalogue.field.title_hi").maxlen(200),
		b.choice("craft", "catalogue.field.craft", b.t("registry.choose"), refs.craftGroups(lang, values["craft"])...).req(),
		b.textarea("description", "catalogue.field.description"),
		b.text("material", "catalogue.field.material").maxlen(200),
		b.text("dimensions", "catalogue.field.dimensions").maxlen(200).hint(b.t("catalogue.hint.dimensions")),
		b.text("weight_grams", "catalogue.field.weight_grams").mode("numeric"),
		b.text("hsn_code", "catalogue.field.hsn_code").mode("numeric").maxlen(8).hint(b.t("catalogue.hint.hsn_code")),
		b.text("store_price", "catalogue.field.store_price").req().mode("decimal").hint(b.t("catalogue.hint.store_price")),
		b.checkbox("gi_tag", "catalogue.field.gi_tag"),
		b.checkbox("handloom_mark", "catalogue.field.handloom_mark"),
		b.checkbox("khadi_mark", "catalogue.field.khadi_mark"),
	}
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "products/form", title, data)
}

// renameField moves an app field's error to the form control that stands for it.
func renameField(fields map[string]string, from, to string) {
	if msg, ok := fields[from]; ok {
		fields[to] = msg
		delete(fields, from)
	}
}

// rupeesField writes paise for a form field: 1250.50, or 1250 for whole rupees.
func rupeesField(p app.Paise) string {
	if p%100 == 0 {
		return strconv.FormatInt(int64(p/100), 10)
	}
	return strconv.FormatInt(int64(p/100), 10) + "." + strconv.FormatInt(int64(p%100+100), 10)[1:]
}
