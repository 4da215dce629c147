package handlers

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/views"
)

// navItem is a menu entry shown only to those the policy lets use it, so the menu and
// the route check can never disagree.
type navItem struct {
	href, label    string
	object, action string
	group          string // the menu section, a key under nav.group.; "" for a top-level entry
}

var navigation = []navItem{
	{"/", "nav.home", "dashboard", "read", ""},
	{"/artisans", "nav.artisans", "artisan", "read", "registry"},
	{"/inbox", "nav.inbox", "artisan", "read", "registry"},
	{"/imports/artisans", "nav.imports", "artisan", "import", "registry"},
	{"/organisations", "nav.organisations", "organisation", "read", "registry"},
	{"/schemes", "nav.schemes", "scheme", "read", "schemes"},
	{"/enrolments", "nav.enrolments", "enrolment", "read", "schemes"},
	{"/stores", "nav.stores", "store", "read", "schemes"},
	{"/sales", "nav.sales", "sale", "read", "schemes"},
	{"/months", "nav.months", "month", "read", "schemes"},
	{"/onboarding", "nav.onboarding", "onboarding", "read", "ecommerce"},
	{"/products", "nav.products", "product", "read", "ecommerce"},
	{"/listings/price-flags", "nav.price_flags", "listing", "read", "ecommerce"},
	{"/readiness", "nav.readiness", "product", "read", "ecommerce"},
	{"/reports", "nav.reports", "report", "read", ""},
	{"/users", "nav.users", "user", "read", "admin"},
	{"/audit", "nav.audit", "audit", "read", "admin"},
	{"/crafts", "nav.crafts", "reference", "read", "admin"},
	{"/districts", "nav.districts", "reference", "read", "admin"},
}

// render writes a page inside the base layout with everything the layout needs.
func (s *Server) render(c *fiber.Ctx, status int, page, titleKey string, data any) error {
	lang := s.lang(c)
	p := views.Page{
		Lang: lang, Title: views.T(lang, titleKey, nil), CSRF: s.csrfToken(c),
		Path: pagePath(c), RequestID: requestIDOf(c), Data: data,
	}
	if f, ok := c.Locals(localFlash).(views.Flash); ok {
		f.Text = views.T(lang, f.Text, nil)
		p.Flash = append(p.Flash, f)
	}
	if a, ok := actorOf(c); ok {
		p.User = &views.User{Name: a.Name, Username: a.Username, Roles: s.roleLines(c, lang, a.UserID)}
		for _, n := range navigation {
			if s.authz.Allowed(a.UserID, n.object, n.action) {
				item := views.NavItem{Href: n.href, Label: views.T(lang, n.label, nil), Active: isActive(c.Path(), n.href)}
				p.Nav = append(p.Nav, item)
				p.NavGroups = views.AddNavItem(p.NavGroups, n.group, views.T(lang, "nav.group."+n.group, nil), item)
			}
		}
	}
	var buf bytes.Buffer
	if err := views.Render(&buf, page, p); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// roleLines describes the user's grants, e.g. "DIC officer — Jaipur".
func (s *Server) roleLines(c *fiber.Ctx, lang string, userID int64) []string {
	names := map[string]string{}
	if districts, err := s.ref.Districts(c.UserContext()); err == nil {
		for _, d := range districts {
			names[d.Slug] = d.NameEn
			if lang == "hi" {
				names[d.Slug] = d.NameHi
			}
		}
	}
	var out []string
	for _, g := range s.authz.Grants(userID) {
		where := names[g.District]
		if g.District == "*" {
			where = views.T(lang, "scope.all_districts", nil)
		}
		out = append(out, views.T(lang, "role."+g.Role, nil)+" — "+where)
	}
	return out
}

// isActive marks the menu entry of the section the page belongs to.
func isActive(path, href string) bool {
	if href == "/" {
		return path == "/"
	}
	return path == href || strings.HasPrefix(path, href+"/")
}

// pagePath is the address the reader is looking at, where the language switch returns to.
// A page re-rendered after a failed POST (say /artisans/5/verify) was reached from a GET
// page, named by the Referer; that POST address itself cannot be fetched.
func pagePath(c *fiber.Ctx) string {
	if c.Method() == fiber.MethodGet {
		return c.OriginalURL()
	}
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && ref.Path != "" &&
		(ref.Host == "" || ref.Host == string(c.Request().Host())) {
		return safeNext(ref.RequestURI())
	}
	return "/"
}
