package handlers

// The district readiness table: for each platform, how many approved artisans are ready,
// nearly ready and far from selling there.

import "github.com/gofiber/fiber/v2"

// readinessData is the Data of readiness/district.
type readinessData struct {
	Filters  []control
	District string
	Rows     []readinessRow
}

type readinessRow struct {
	Platform           string
	Ready, Nearly, Far int
}

// readinessPage shows ?district=, or the reader's first district when they have only some.
func (s *Server) readinessPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	scope := s.authz.Scope(a.UserID, "artisan", "read")
	district := c.Query("district")
	if district == "" && !scope.All && len(scope.Districts) > 0 {
		district = scope.Districts[0]
	}
	b := formBuilder{lang: lang, values: map[string]string{"district": district}}
	data := &readinessData{District: refs.district[district], Filters: []control{
		b.choice("district", "artisan.field.district", b.t("registry.choose"), plain(refs.districtOptions(scope))),
	}}
	if district != "" {
		rows, err := s.readiness().DistrictTable(c.UserContext(), a, district)
		if err != nil {
			return err
		}
		for _, r := range rows {
			data.Rows = append(data.Rows, readinessRow{Platform: pick(lang, r.NameEn, r.NameHi), Ready: r.Ready, Nearly: r.Nearly, Far: r.Far})
		}
	}
	return s.render(c, fiber.StatusOK, "readiness/district", "catalogue.readiness.title", data)
}
