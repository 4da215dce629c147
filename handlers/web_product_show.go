package handlers

// A product's page: its details, its photos with their quality flags and the upload form,
// its listings with their price flags and the form that adds one.

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// productPageData is the Data of products/show.
type productPageData struct {
	ID                          int64
	Title, TitleHi, ArtisanHref string
	Artisan, District, Craft    string
	Facts                       []fact
	Flags                       []string
	Photos                      []photoView
	Listings                    []listingRow
	EditHref, PhotoAction       string // empty when the reader may not edit
	ListingAction               string // empty when the reader may not add listings
	ListingControls             []control
	PhotoError                  string
	Problem                     problem
	MaxPhoto, MinSide           string
}

type fact struct{ Label, Value string }

type photoView struct {
	Href, Alt, Size string
	Flags           []string
}

type listingRow struct {
	Platform, Price, Difference, Status, LastChecked, Link, EditHref string
	Flagged                                                          bool
}

func (s *Server) productPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderProduct(c, fiber.StatusOK, id, nil, nil, nil)
}

func (s *Server) productPhotoSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.uploadProductPhoto(c, id); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		return s.renderProduct(c, statusOf[e.Code], id, e, nil, nil)
	}
	s.flash(c, "success", "catalogue.flash.photo")
	return c.Redirect("/products/"+idString(id), fiber.StatusSeeOther)
}

func (s *Server) listingCreateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	in := listingInputOf(c)
	in.ProductID = id
	if _, err := s.listings().Create(c.UserContext(), actor(c), in); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		values := map[string]string{}
		for _, k := range listingFields {
			values[k] = c.FormValue(k)
		}
		return s.renderProduct(c, statusOf[e.Code], id, nil, e, values)
	}
	s.flash(c, "success", "catalogue.flash.listing")
	return c.Redirect("/products/"+idString(id), fiber.StatusSeeOther)
}

// renderProduct shows the page; photoErr or listingErr (with the values typed) come back
// from a refused upload or listing.
func (s *Server) renderProduct(c *fiber.Ctx, status int, id int64, photoErr, listingErr *app.Error, values map[string]string) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	p, err := s.products().Get(ctx, a, id)
	if err != nil {
		return err
	}
	listings, err := s.listings().List(ctx, a, app.ListingFilter{ProductID: id})
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	b := formBuilder{lang: lang}
	data := &productPageData{ID: p.ID, Title: p.TitleEn, TitleHi: p.TitleHi, Artisan: p.ArtisanName,
		ArtisanHref: "/artisans/" + idString(p.ArtisanID), District: refs.district[p.District], Craft: refs.craft[p.Craft],
		Flags: flagLabels(b, p.QualityFlags), MaxPhoto: documentMB(app.MaxPhotoBytes), MinSide: strconv.Itoa(app.MinPhotoShortSide)}
	data.Facts = productFacts(b, p)
	for _, ph := range p.Photos {
		data.Photos = append(data.Photos, photoView{Href: "/photos/" + idString(ph.ID), Alt: ph.FileName,
			Size: strconv.Itoa(ph.Width) + " × " + strconv.Itoa(ph.Height), Flags: flagLabels(b, ph.QualityFlags())})
	}
	canList := s.authz.Can(a.UserID, p.District, "listing", "edit")
	platformName, err := s.platformNames(c, lang)
	if err != nil {
		return err
	}
	for _, l := range listings {
		row := listingRowOf(b, &l, canList)
		row.Platform = platformName[l.Platform]
		data.Listings = append(data.Listings, row)
	}
	if s.authz.Can(a.UserID, p.District, "product", "edit") {
		data.EditHref, data.PhotoAction = "/products/"+idString(id)+"/edit", "/products/"+idString(id)+"/photos"
	}
	if photoErr != nil {
		data.PhotoError = localize(lang, photoErr.Message)
		if m, ok := photoErr.Fields["file"]; ok {
			data.PhotoError = localize(lang, m)
		}
	}
	if canList {
		data.ListingAction = "/products/" + idString(id) + "/listings"
		if listingErr != nil {
			data.Problem = problemOf(lang, listingErr)
			renameField(data.Problem.fields, "listed_price_paise", "listed_price")
		}
		if values == nil {
			values = map[string]string{"status": "draft"}
		}
		platforms, err := s.platformOptions(c, lang)
		if err != nil {
			return err
		}
		lb := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
		data.ListingControls = listingControls(lb, platforms)
		data.Problem.Items = summarize(data.ListingControls, data.Problem)
	}
	return s.render(c, status, "products/show", "catalogue.show.title", data)
}

func productFacts(b formBuilder, p *app.Product) []fact {
	marks := ""
	for _, m := range []struct {
		on  bool
		key string
	}{{p.GITag, "catalogue.field.gi_tag"}, {p.HandloomMark, "catalogue.field.handloom_mark"}, {p.KhadiMark, "catalogue.field.khadi_mark"}} {
		if m.on {
			if marks != "" {
				marks += ", "
			}
			marks += b.t(m.key)
		}
	}
	weight := ""
	if p.WeightGrams > 0 {
		weight = views.T(b.lang, "catalogue.grams", map[string]string{"n": app.FormatIndian(p.WeightGrams)})
	}
	return []fact{
		{b.t("catalogue.field.store_price"), app.FormatRupees(p.StorePricePaise)},
		{b.t("catalogue.field.material"), p.Material},
		{b.t("catalogue.field.dimensions"), p.Dimensions},
		{b.t("catalogue.field.weight_grams"), weight},
		{b.t("catalogue.field.hsn_code"), p.HSNCode},
		{b.t("catalogue.field.marks"), marks},
		{b.t("catalogue.field.description"), p.Description},
	}
}

func listingRowOf(b formBuilder, l *app.Listing, canEdit bool) listingRow {
	row := listingRow{Platform: l.Platform, Price: app.FormatRupees(l.ListedPricePaise),
		Difference: strconv.FormatFloat(l.DifferencePercent, 'f', 1, 64) + "%", Status: b.t("catalogue.status." + l.Status),
		LastChecked: formatISODate(l.LastCheckedOn), Link: l.URL, Flagged: l.PriceFlagged}
	if canEdit {
		row.EditHref = "/listings/" + idString(l.ID) + "/edit"
	}
	return row
}

// platformNames maps every platform's slug to its name in the reader's language, so
// listing rows name the platform rather than print its slug.
func (s *Server) platformNames(c *fiber.Ctx, lang string) (map[string]string, error) {
	platforms, err := s.ref.Platforms(c.UserContext())
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(platforms))
	for _, p := range platforms {
		names[p.Slug] = pick(lang, p.NameEn, p.NameHi)
	}
	return names, nil
}

// platformOptions lists the active platforms in the reader's language.
func (s *Server) platformOptions(c *fiber.Ctx, lang string) ([]option, error) {
	platforms, err := s.ref.Platforms(c.UserContext())
	if err != nil {
		return nil, err
	}
	var out []option
	for _, p := range platforms {
		if p.Active {
			out = append(out, option{Value: p.Slug, Label: pick(lang, p.NameEn, p.NameHi)})
		}
	}
	return out, nil
}
