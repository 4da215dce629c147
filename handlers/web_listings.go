package handlers

// The listing pages: the form that edits a listing, and the list of listings whose price is
// out of step with the store price, by district.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

var listingFields = []string{"platform", "listed_price", "status", "platform_product_id", "url", "last_checked_on", "version"}

// listingControls are the listing form's controls; platforms is nil on the edit form, where
// the platform is fixed.
func listingControls(b formBuilder, platforms []option) []control {
	var out []control
	if platforms != nil {
		out = append(out, b.choice("platform", "catalogue.field.platform", b.t("registry.choose"), plain(platforms)).req())
	}
	return append(out,
		b.text("listed_price", "catalogue.field.listed_price").req().mode("decimal").hint(b.t("catalogue.hint.store_price")),
		b.choice("status", "catalogue.field.status", "", enumOptions(b, "catalogue.status.", app.ListingStatuses)).req(),
		b.text("platform_product_id", "catalogue.field.platform_product_id").maxlen(100).code(),
		b.text("url", "catalogue.field.url").typ("url").maxlen(500),
		b.text("last_checked_on", "catalogue.field.last_checked_on").typ("date"),
	)
}

// listingInputOf reads the listing form; a price that is no amount becomes 0 for
// validation to report.
func listingInputOf(c *fiber.Ctx) app.ListingInput {
	in := app.ListingInput{Platform: c.FormValue("platform"), Status: c.FormValue("status"),
		PlatformProductID: c.FormValue("platform_product_id"), URL: c.FormValue("url"),
		LastCheckedOn: isoDate(strings.TrimSpace(c.FormValue("last_checked_on")))}
	in.ListedPricePaise, _ = app.ParseRupees(c.FormValue("listed_price"))
	in.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	return in
}

// listingFormData is the Data of listings/form.
type listingFormData struct {
	Action, CancelHref, Product, Platform string
	Version                               int64
	Controls                              []control
	Problem                               problem
}

func (s *Server) listingEditPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	l, err := s.listings().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if !s.authz.Can(actor(c).UserID, l.District, "listing", "edit") {
		return app.ErrForbidden
	}
	values := map[string]string{"listed_price": rupeesField(l.ListedPricePaise), "status": l.Status,
		"platform_product_id": l.PlatformProductID, "url": l.URL, "last_checked_on": l.LastCheckedOn,
		"version": strconv.FormatInt(l.Version, 10)}
	return s.renderListingForm(c, fiber.StatusOK, l, values, nil)
}

func (s *Server) listingUpdateSubmit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	l, err := s.listings().Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if _, err := s.listings().Update(c.UserContext(), actor(c), id, listingInputOf(c)); err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		values := map[string]string{}
		for _, k := range listingFields {
			values[k] = c.FormValue(k)
		}
		return s.renderListingForm(c, statusOf[e.Code], l, values, e)
	}
	s.flash(c, "success", "catalogue.flash.listing")
	return c.Redirect("/products/"+idString(l.ProductID), fiber.StatusSeeOther)
}

func (s *Server) renderListingForm(c *fiber.Ctx, status int, l *app.Listing, values map[string]string, e *app.Error) error {
	lang := s.lang(c)
	data := &listingFormData{Action: "/listings/" + idString(l.ID), CancelHref: "/products/" + idString(l.ProductID),
		Product: l.ProductTitle, Platform: l.Platform}
	data.Version, _ = strconv.ParseInt(values["version"], 10, 64)
	if e != nil {
		data.Problem = problemOf(lang, e)
		renameField(data.Problem.fields, "listed_price_paise", "listed_price")
		if e.Message.Key == "error.stale" {
			data.Problem.LinkHref, data.Problem.LinkText = data.Action+"/edit", localize(lang, app.Msg("registry.reload"))
		}
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	data.Controls = listingControls(b, nil)
	data.Problem.Items = summarize(data.Controls, data.Problem)
	return s.render(c, status, "listings/form", "catalogue.listing.edit_title", data)
}

// priceFlagsData is the Data of listings/price_flags.
type priceFlagsData struct {
	Filters   []control
	Tolerance int
	Rows      []priceFlagRow
	Setting   *toleranceForm // only for those who may change the tolerance
}

type priceFlagRow struct {
	listingRow
	Product, ProductHref, Artisan, District, StorePrice string
}

// toleranceForm sets the price tolerance, under optimistic locking on the setting's version.
type toleranceForm struct {
	Version  string
	Controls []control
	Problem  problem
}

func (s *Server) priceFlagsPage(c *fiber.Ctx) error {
	return s.renderPriceFlags(c, fiber.StatusOK, nil, nil)
}

// priceToleranceSubmit saves the tolerance typed on the price-flag page; an out-of-range
// value or a stale version shows the page again with the error by the field.
func (s *Server) priceToleranceSubmit(c *fiber.Ctx) error {
	values := map[string]string{"percent": strings.TrimSpace(c.FormValue("percent")), "version": c.FormValue("version")}
	err := app.Invalid{"percent": app.Msg("validation.required")}.Err()
	if values["percent"] != "" {
		version, _ := strconv.ParseInt(values["version"], 10, 64)
		_, err = s.settings().SetPriceTolerance(c.UserContext(), actor(c), formInt(values["percent"]), version)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID && e.Code != app.ECONFLICT {
			return err
		}
		return s.renderPriceFlags(c, statusOf[e.Code], values, e)
	}
	s.flash(c, "success", "catalogue.flash.tolerance")
	return c.Redirect("/listings/price-flags", fiber.StatusSeeOther)
}

// renderPriceFlags shows the flagged listings of ?district=, and the tolerance form refilled
// from values after a failed save (nil: the stored setting).
func (s *Server) renderPriceFlags(c *fiber.Ctx, status int, values map[string]string, e *app.Error) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	district := c.Query("district")
	flags, err := s.listings().PriceFlags(c.UserContext(), a, district)
	if err != nil {
		return err
	}
	tol, err := app.PriceTolerance(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	b := formBuilder{lang: lang, values: map[string]string{"district": district}}
	data := &priceFlagsData{Tolerance: tol, Filters: []control{
		b.choice("district", "artisan.field.district", b.t("registry.any"), plain(refs.districtOptions(s.authz.Scope(a.UserID, "listing", "read")))),
	}}
	if s.authz.Can(a.UserID, "*", "setting", "manage") {
		if data.Setting, err = s.toleranceFormOf(c, lang, values, e); err != nil {
			return err
		}
	}
	platformName, err := s.platformNames(c, lang)
	if err != nil {
		return err
	}
	for _, l := range flags {
		row := listingRowOf(b, &l, s.authz.Can(a.UserID, l.District, "listing", "edit"))
		row.Platform = platformName[l.Platform]
		data.Rows = append(data.Rows, priceFlagRow{listingRow: row,
			Product: l.ProductTitle, ProductHref: "/products/" + idString(l.ProductID), Artisan: l.ArtisanName,
			District: refs.district[l.District], StorePrice: app.FormatRupees(l.StorePricePaise)})
	}
	return s.render(c, status, "listings/price_flags", "catalogue.flags.title", data)
}

func (s *Server) toleranceFormOf(c *fiber.Ctx, lang string, values map[string]string, e *app.Error) (*toleranceForm, error) {
	if values == nil {
		st, err := s.settings().Get(c.UserContext(), app.SettingPriceTolerance)
		if err != nil {
			return nil, err
		}
		values = map[string]string{"percent": st.Value, "version": strconv.FormatInt(st.Version, 10)}
	}
	f := &toleranceForm{Version: values["version"]}
	if e != nil {
		f.Problem = problemOf(lang, e)
		if e.Code == app.ECONFLICT {
			f.Problem.LinkHref, f.Problem.LinkText = "/listings/price-flags", localize(lang, app.Msg("registry.reload"))
		}
	}
	b := formBuilder{lang: lang, values: values, errors: f.Problem.fields}
	f.Controls = []control{b.text("percent", "catalogue.tolerance.percent").req().mode("numeric").maxlen(3).
		hint(b.t("catalogue.tolerance.hint"))}
	f.Problem.Items = summarize(f.Controls, f.Problem)
	return f, nil
}
