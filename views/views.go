// Package views renders Shilpkosh's server-side pages in English and Hindi from embedded
// templates, and carries the embedded static files (CSS, JS, fonts) and the translation
// catalogues. Every visible word goes through a catalogue; no page uses inline styles or
// inline scripts, so a strict Content-Security-Policy holds.
//
// A feature adds its pages as templates/pages/<feature>/<page>.html and renders them with
// Render(w, "<feature>/<page>", p); shared pieces go in templates/partials/ and are called
// by path, e.g. {{template "partials/field" ...}}. Template names are file paths, and every
// {{define}} must be unique across all files. Building the templates at init panics on a
// call of a missing template, a {{t "key"}} absent from a catalogue or an unknown asset.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
)

//go:embed static
var staticFS embed.FS

// Static returns the embedded static files (css/, js/, fonts/, img/) to be served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic("views: static: " + err.Error()) // cannot happen: the folder is embedded
	}
	return sub
}

// Page is what every page template receives. Handlers fill it; text in it is already
// translated.
type Page struct {
	Lang      string     // "en" or "hi"; anything else renders in English
	Title     string     // already translated; the <title> becomes "Title · Shilpkosh"
	CSRF      string     // token written into every POST form as _csrf
	User      *User      // nil when signed out: then no nav and no logout
	Nav       []NavItem  // already filtered by permission and translated
	NavGroups []NavGroup // Nav in menu sections; the header draws these when present
	Flash     []Flash
	Path      string // current path+query: where the language switch returns to
	RequestID string // shown on error pages so officials can quote it
	Data      any    // page-specific: Form, ErrorData, HomeData, ...
}

// User is the signed-in official as the header shows them.
type User struct {
	Name, Username string
	Roles          []string // translated, e.g. "DIC officer — Jaipur"
}

// NavItem is one entry of the main menu.
type NavItem struct {
	Href, Label string
	Active      bool
}

// NavGroup is a section of the menu; an empty Label is a single top-level entry.
type NavGroup struct {
	Label  string
	Items  []NavItem
	Active bool // holds the page being read
}

// AddNavItem appends item to the section labelled group ("" for a top-level entry),
// starting a new section when the previous one differs.
func AddNavItem(groups []NavGroup, group, label string, item NavItem) []NavGroup {
	if group == "" || len(groups) == 0 || groups[len(groups)-1].Label != label {
		g := NavGroup{}
		if group != "" {
			g.Label = label
		}
		groups = append(groups, g)
	}
	g := &groups[len(groups)-1]
	g.Items = append(g.Items, item)
	g.Active = g.Active || item.Active
	return groups
}

// Flash is a one-time message shown at the top of the page. Kind is success, error or info.
type Flash struct{ Kind, Text string }

// Form is the Data of any page with a form: values to refill and translated errors.
type Form struct {
	Values map[string]string // field → value to refill
	Errors map[string]string // field → translated error, shown next to the field
	Error  string            // translated form-level error
}

// ErrorData is the Data of errors/error.
type ErrorData struct {
	Status         int
	Title, Message string
}

// HomeData is the Data of home/index: the greeting, the reader's grants and the
// dashboard blocks the reader may see.
type HomeData struct {
	Greeting string
	Grants   []string
	Blocks   []DashBlock
}

// Render writes page (e.g. "auth/login", "home/index", "errors/error") inside the base
// layout, in p.Lang. The page is rendered into memory first, so a template error never
// leaves half a page on w and the caller can still send an error page.
func Render(w io.Writer, page string, p Page) error {
	p.Lang = supported(p.Lang)
	t, ok := pages[p.Lang][page]
	if !ok {
		return fmt.Errorf("views: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, baseLayout, p); err != nil {
		return fmt.Errorf("views: render %s: %w", page, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("views: write %s: %w", page, err)
	}
	return nil
}
