package views

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
)

// funcs returns the template functions for one language:
//
//	{{t "nav.home"}}  {{t "login.welcome" "name" .User.Name}}  translate (name/value pairs fill {name})
//	{{lang}}                                                    the page language
//	{{form .Data}}                                              the Form in Data (zero Form otherwise)
//	{{field $form "username" (t "login.username") "autocomplete" "username" "required"}}
//	{{asset "css/app.css"}}                                     /static/css/app.css?v=<content hash>
//	{{month "2026-10"}}                                         October 2026 / अक्टूबर 2026
//	{{actor .By}}                                               the name, or "System (scheduled)" for the binary itself
func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, pairs ...any) (string, error) {
			if len(pairs)%2 != 0 {
				return "", fmt.Errorf("t %q: arguments must be name/value pairs", key)
			}
			var args map[string]string
			if len(pairs) > 0 {
				args = make(map[string]string, len(pairs)/2)
				for i := 0; i < len(pairs); i += 2 {
					name, ok := pairs[i].(string)
					if !ok {
						return "", fmt.Errorf("t %q: argument name %v is not a string", key, pairs[i])
					}
					args[name] = fmt.Sprint(pairs[i+1])
				}
			}
			return T(lang, key, args), nil
		},
		"lang":  func() string { return lang },
		"form":  formOf,
		"field": newField,
		"asset": asset,
		"month": func(ym string) string { return MonthName(lang, ym) },
		"actor": func(name string) string { return ActorName(lang, name) },
	}
}

// MonthName names a YYYY-MM month in lang, "October 2026" or "अक्टूबर 2026", with the
// dashboard's month names. Anything else comes back unchanged: a mistyped month in a
// filter is shown as typed, next to its error.
func MonthName(lang, ym string) string {
	if len(ym) != 7 || ym[4] != '-' {
		return ym
	}
	year, yerr := strconv.Atoi(ym[:4])
	m, merr := strconv.Atoi(ym[5:])
	if yerr != nil || merr != nil || year < 0 || m < 1 || m > 12 {
		return ym
	}
	return T(lang, "dashboard.month."+strconv.Itoa(m), nil) + " " + strconv.Itoa(year)
}

// systemActor is the name app.System records as the author of what the binary does itself
// (scheduled reports, seeding). A user account named "system" would show the same label;
// app/users.go does not reserve the name yet.
const systemActor = "system"

// ActorName shows who did something: the recorded name, or the translated label for the
// system itself.
func ActorName(lang, name string) string {
	if name == systemActor {
		return T(lang, "actor.system", nil)
	}
	return name
}

// formOf returns the Form carried in a page's Data, so a form template works whether the
// handler passed Form, *Form or nothing. A Data struct that embeds Form passes .Data.Form.
func formOf(data any) Form {
	switch f := data.(type) {
	case Form:
		return f
	case *Form:
		if f != nil {
			return *f
		}
	}
	return Form{}
}

// field is what partials/field renders: one labelled input with its hint and error wired
// to it for screen readers.
type field struct {
	ID, Name, Label, Type, Value, Error, Hint string
	Autocomplete, InputMode, MaxLength        string
	AutoCapitalize, Spellcheck                string
	Required                                  bool
}

// HintID and ErrorID are the ids aria-describedby points at.
func (f field) HintID() string  { return f.ID + "-hint" }
func (f field) ErrorID() string { return f.ID + "-error" }

// DescribedBy lists the hint and error ids, or is empty when there are neither.
func (f field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// newField builds a field from the form, the field name, its translated label and options:
// "required" alone, or one of type, autocomplete, hint, inputmode, maxlength,
// autocapitalize, spellcheck followed by its value. An unknown option is an error, so a
// typo fails the first render (and the tests) instead of dropping an attribute.
func newField(f Form, name, label string, opts ...string) (field, error) {
	fd := field{ID: "f-" + name, Name: name, Label: label, Type: "text", Error: f.Errors[name]}
	for i := 0; i < len(opts); i++ {
		opt := opts[i]
		if opt == "required" {
			fd.Required = true
			continue
		}
		if i+1 >= len(opts) {
			return fd, fmt.Errorf("field %q: option %q needs a value", name, opt)
		}
		i++
		v := opts[i]
		switch opt {
		case "type":
			fd.Type = v
		case "autocomplete":
			fd.Autocomplete = v
		case "hint":
			fd.Hint = v
		case "inputmode":
			fd.InputMode = v
		case "maxlength":
			fd.MaxLength = v
		case "autocapitalize":
			fd.AutoCapitalize = v
		case "spellcheck":
			fd.Spellcheck = v
		default:
			return fd, fmt.Errorf("field %q: unknown option %q", name, opt)
		}
	}
	if fd.Type != "password" { // a password is never sent back to the browser
		fd.Value = f.Values[name]
	}
	return fd, nil
}

// assetVersions maps a path under static/ to a short hash of its content, so the URL of a
// changed file changes and the server may let browsers cache static files for a long time.
var assetVersions = mustHashStatic()

func mustHashStatic() map[string]string {
	v := make(map[string]string)
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		v[strings.TrimPrefix(path, "static/")] = hex.EncodeToString(sum[:4])
		return nil
	})
	if err != nil {
		panic("views: hash static files: " + err.Error())
	}
	return v
}

// asset returns the versioned URL of a static file.
func asset(path string) (string, error) {
	v, ok := assetVersions[path]
	if !ok {
		return "", fmt.Errorf("asset %q: no such file under static/", path)
	}
	return "/static/" + path + "?v=" + v, nil
}
