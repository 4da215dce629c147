package handlers

// The list officials ask for to reach people: artisans in the reader's districts who meet
// every rule of a scheme and are not enrolled in it yet, a page at a time.

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
)

const eligiblePageSize = 50

// eligibleData is the Data of schemes/eligible.
type eligibleData struct {
	SchemeHref          string
	Scheme              personName
	Rows                []eligibleRow
	FirstHref, NextHref string
}

type eligibleRow struct {
	Href, RegNo, District, Craft, Status, ApplyHref string
	personName
}

func (s *Server) schemeEligiblePage(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), s.lang(c)
	sc, err := s.schemeAdmin().GetScheme(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	after, err := cursorQuery(c)
	if err != nil {
		return err
	}
	rows, next, err := s.enrolments().Eligible(ctx, a, sc.Slug, after, eligiblePageSize)
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	base := "/schemes/" + sc.Slug
	data := &eligibleData{SchemeHref: base, Scheme: nameFor(lang, sc.NameEn, sc.NameHi)}
	mayApply := sc.Active && s.authz.Allowed(a.UserID, "enrolment", "create")
	for _, r := range rows {
		row := eligibleRow{Href: "/artisans/" + idString(r.ID), RegNo: deref(r.RegistrationNo), personName: nameFor(lang, r.Name, r.NameHi),
			District: refs.district[r.District], Craft: refs.craft[r.PrimaryCraft], Status: r.Status}
		if mayApply && s.authz.Can(a.UserID, r.District, "enrolment", "create") {
			row.ApplyHref = "/enrolments/new?" + url.Values{"scheme": {sc.Slug}, "artisan_id": {idString(r.ID)}}.Encode()
		}
		data.Rows = append(data.Rows, row)
	}
	if after > 0 {
		data.FirstHref = base + "/eligible"
	}
	if next > 0 {
		data.NextHref = base + "/eligible?cursor=" + idString(next)
	}
	return s.render(c, fiber.StatusOK, "schemes/eligible", "schemes.eligible.title", data)
}

// cursorQuery reads the ?cursor= of a keyset page: a record id, 0 when absent.
func cursorQuery(c *fiber.Ctx) (int64, error) {
	v := c.Query("cursor")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, app.Invalid{"cursor": app.Msg("artisan.bad_cursor")}.Err()
	}
	return n, nil
}
