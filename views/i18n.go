package views

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Each language's catalogue is the union of the files in locales/<lang>/, one file per
// feature, so features can add their texts without touching each other's files.
//
//go:embed locales
var localeFS embed.FS

// languages is the default language first; the order is also the order of the switch.
var languages = []string{"en", "hi"}

// catalogues maps language → key → text. Loaded once; read-only afterwards, so safe for
// concurrent use without a lock.
var catalogues = mustLoadCatalogues()

func mustLoadCatalogues() map[string]map[string]string {
	cats := make(map[string]map[string]string, len(languages))
	for _, lang := range languages {
		cat, err := loadCatalogue(localeFS, lang)
		if err != nil {
			panic(err.Error())
		}
		cats[lang] = cat
	}
	return cats
}

// loadCatalogue merges locales/<lang>/*.json; a key defined in two files is an error.
func loadCatalogue(fsys fs.FS, lang string) (map[string]string, error) {
	files, err := fs.Glob(fsys, "locales/"+lang+"/*.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("views: no catalogue files for %s (%v)", lang, err)
	}
	cat := map[string]string{}
	from := map[string]string{}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("views: catalogue %s: %w", name, err)
		}
		var part map[string]string
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("views: catalogue %s is not a flat JSON object of strings: %w", name, err)
		}
		for k, v := range part {
			if other, dup := from[k]; dup {
				return nil, fmt.Errorf("views: key %q is in both %s and %s", k, other, name)
			}
			cat[k], from[k] = v, name
		}
	}
	return cat, nil
}

// Languages lists the supported languages, default first.
func Languages() []string { return slices.Clone(languages) }

// supported returns lang if it has a catalogue, otherwise the default language.
func supported(lang string) string {
	if _, ok := catalogues[lang]; ok {
		return lang
	}
	return languages[0]
}

// T translates key into lang, filling {name} placeholders from args. An unknown lang falls
// back to the default; a key the catalogue lacks comes back unchanged, so it shows up in
// tests and on screen instead of silently turning into English.
func T(lang, key string, args map[string]string) string {
	s, ok := catalogues[supported(lang)][key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return fill(s, args)
}

// fill replaces {name} with args[name] in one pass, so a value that itself contains braces
// is never expanded again. Unknown placeholders stay as written.
func fill(s string, args map[string]string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			break
		}
		end += open
		b.WriteString(s[:open])
		if v, ok := args[s[open+1:end]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[open : end+1])
		}
		s = s[end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// HasKey reports whether every catalogue defines key.
func HasKey(key string) bool {
	for _, cat := range catalogues {
		if _, ok := cat[key]; !ok {
			return false
		}
	}
	return true
}

// Keys returns every key defined in any catalogue, sorted.
func Keys() []string {
	var keys []string
	seen := make(map[string]bool)
	for _, lang := range languages {
		for k := range catalogues[lang] {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// missingIn lists the languages whose catalogue lacks key, for init-time error messages.
func missingIn(key string) []string {
	var out []string
	for _, lang := range languages {
		if _, ok := catalogues[lang][key]; !ok {
			out = append(out, lang)
		}
	}
	return out
}
