package handlers

// The artisan list page: filters, search, exact total, keyset pages and export links.

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// artisanListParams are the query parameters of the list filter; the next-page link and
// the export links carry them unchanged, so each shows what the page shows.
var artisanListParams = []string{"q", "district", "craft", "sector", "status", "gender", "social_category",
	"organisation_id", "has_gstin", "has_pan", "has_bank", "sort"}

// artisanListData is the Data of artisans/list.
type artisanListData struct {
	Search, Filters, More []control
	MoreOpen, Filtered    bool
	Problem               problem
	Total                 string
	Rows                  []artisanRow
	FirstHref, NextHref   string
	ExportCSV, ExportXLSX string // empty when the policy does not allow export
	NewHref, ImportHref   string // empty when the policy does not allow them
}

type artisanRow struct {
	Href, RegNo, District, Craft, Status, Mobile string
	personName
}

// personName is a name in the reader's script first, the other below it: Hindi readers
// see the Hindi name, when there is one, above the English one.
type personName struct {
	Name, Alt, AltLang string
}

func nameFor(lang, en, hi string) personName {
	switch {
	case hi == "":
		return personName{Name: en}
	case lang == "hi":
		return personName{Name: hi, Alt: en, AltLang: "en"}
	}
	return personName{Name: en, Alt: hi, AltLang: "hi"}
}

func (s *Server) artisanListPage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	kept := url.Values{}
	for _, k := range artisanListParams {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			values[k] = v
			kept.Set(k, v)
		}
	}
	data := &artisanListData{Filtered: len(kept) > 0 && !(len(kept) == 1 && kept.Has("sort"))}
	status := fiber.StatusOK
	var page app.ArtisanPage
	f, err := artisanFilterOf(c)
	if err == nil {
		page, err = s.artisans.List(ctx, a, f)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status = statusOf[e.Code]
		data.Problem = problemOf(lang, e)
		data.Problem.LinkHref, data.Problem.LinkText = "/artisans", views.T(lang, "artisan.list.start_again", nil)
	}

	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	readScope := s.authz.Scope(a.UserID, "artisan", "read")
	anyOf := b.t("registry.any")
	data.Search = []control{b.text("q", "artisan.filter.q").hint(b.t("artisan.filter.q_hint")).typ("search")}
	data.Filters = []control{
		b.choice("district", "artisan.field.district", anyOf, plain(refs.districtOptions(readScope))),
		b.choice("craft", "artisan.field.primary_craft", anyOf, refs.craftGroups(lang, "")...),
		b.choice("status", "artisan.field.status", anyOf, enumOptions(b, "artisan.status.", app.ArtisanStatuses())),
		b.choice("sort", "artisan.filter.sort", "", enumOptions(b, "artisan.sort.",
			[]string{app.ArtisanSortCreated, app.ArtisanSortName, app.ArtisanSortRegistrationNo})),
	}
	data.More = []control{
		b.choice("sector", "craft.field.sector", anyOf, enumOptions(b, "craft.sector.", app.Sectors)),
		b.choice("gender", "artisan.field.gender", anyOf, enumOptions(b, "artisan.gender.", app.ArtisanGenders)),
		b.choice("social_category", "artisan.field.social_category", anyOf,
			enumOptions(b, "artisan.social.", app.ArtisanSocialCategories)),
	}
	// Organisations are listed for one district at a time: state-wide there are too many.
	if values["district"] != "" || !readScope.All {
		orgs, err := s.organisations.List(ctx, a, app.OrganisationFilter{District: values["district"]})
		if err != nil {
			return err
		}
		data.More = append(data.More, b.choice("organisation_id", "artisan.field.organisation", anyOf,
			organisationGroups(refs, orgs)...))
	}
	for _, k := range []string{"has_gstin", "has_pan", "has_bank"} {
		data.More = append(data.More, b.choice(k, "artisan.filter."+k, anyOf, enumOptions(b, "registry.bool.", []string{"true", "false"})))
	}
	data.Problem.Items = summarize(slices.Concat(data.Search, data.Filters, data.More), data.Problem)
	for _, k := range []string{"sector", "gender", "social_category", "organisation_id", "has_gstin", "has_pan", "has_bank"} {
		data.MoreOpen = data.MoreOpen || values[k] != ""
	}

	count := map[string]string{"count": app.FormatIndian(page.Total)}
	data.Total = views.T(lang, "artisan.list.total", count)
	if page.Total == 1 {
		data.Total = views.T(lang, "artisan.list.total_one", count)
	}
	for _, it := range page.Items {
		data.Rows = append(data.Rows, artisanRow{
			Href: "/artisans/" + idString(it.ID), RegNo: deref(it.RegistrationNo), personName: nameFor(lang, it.Name, it.NameHi),
			District: refs.district[it.District], Craft: refs.craft[it.PrimaryCraft], Status: it.Status, Mobile: it.Mobile,
		})
	}
	query := kept.Encode()
	if c.Query("cursor") != "" {
		data.FirstHref = "/artisans?" + query
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range kept {
			next[k] = v
		}
		next.Set("cursor", page.NextCursor)
		data.NextHref = "/artisans?" + next.Encode()
	}
	if s.authz.Allowed(a.UserID, "artisan", "export") {
		data.ExportCSV = "/artisans/export?" + withFormat("csv", query)
		data.ExportXLSX = "/artisans/export?" + withFormat("xlsx", query)
	}
	if s.authz.Allowed(a.UserID, "artisan", "create") {
		data.NewHref = "/artisans/new"
	}
	if s.authz.Allowed(a.UserID, "artisan", "import") {
		data.ImportHref = "/imports/artisans"
	}
	return s.render(c, status, "artisans/list", "artisan.list.title", data)
}

func withFormat(format, query string) string {
	if query == "" {
		return "format=" + format
	}
	return "format=" + format + "&" + query
}
