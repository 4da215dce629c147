package views

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

// requiredKeys are used by Go code in other packages (handlers, app); they must never
// disappear from the catalogues even if no template uses them.
var requiredKeys = []string{
	"app.name", "nav.home", "nav.artisans", "nav.inbox", "nav.schemes", "nav.sales",
	"nav.onboarding", "nav.reports", "nav.users", "nav.audit", "nav.reference",
	"error.invalid", "error.not_found", "error.forbidden", "error.unauthorized", "error.stale",
	"error.conflict", "error.rate_limited", "error.internal", "error.csrf",
	"error.title.400", "error.title.401", "error.title.403", "error.title.404",
	"error.title.409", "error.title.422", "error.title.429", "error.title.500", "error.title.503",
	"login.title", "login.failed", "login.signed_out", "login.welcome",
	"user.username_taken", "user.unknown_role", "user.district_required",
	"user.state_role_no_district", "user.store_required", "user.password_too_short",
	"user.unknown_district", "user.inactive",
	"role.state_admin", "role.board_official", "role.dic_officer", "role.data_entry",
	"role.store_manager", "role.auditor", "scope.all_districts", "lang.switched",
	"validation.required", "validation.mobile", "validation.pin", "validation.pan",
	"validation.ifsc", "validation.gstin", "validation.gstin_state", "validation.udyam",
	"validation.aadhaar", "validation.slug", "validation.too_long", "validation.date",
	"validation.month", "validation.amount", "validation.json",
	"error.bad_request", "home.greeting", "user.username_invalid", "validation.cursor", "validation.lang",
}

// requiredPlaceholders are the {names} Go code fills; renaming one breaks the caller.
var requiredPlaceholders = map[string]string{
	"user.password_too_short": "{min}",
	"user.unknown_district":   "{district}",
	"validation.too_long":     "{max}",
	"login.welcome":           "{name}",
	"home.greeting":           "{name}",
}

// latinAllowed may have no Devanagari in Hindi: names shown in their own script.
var latinAllowed = map[string]bool{"lang.name.en": true}

func TestRequiredKeys(t *testing.T) {
	for _, k := range requiredKeys {
		if !HasKey(k) {
			t.Errorf("catalogue key %q is missing (used by Go code)", k)
		}
	}
	for k, ph := range requiredPlaceholders {
		for _, lang := range Languages() {
			if !strings.Contains(T(lang, k, nil), ph) {
				t.Errorf("%s %s: lacks placeholder %s", lang, k, ph)
			}
		}
	}
}

func TestCatalogueKeySetsIdentical(t *testing.T) {
	for _, key := range Keys() {
		if m := missingIn(key); len(m) > 0 {
			t.Errorf("key %q is missing from %v", key, m)
		}
	}
}

func TestCatalogueNoEmptyValues(t *testing.T) {
	for _, lang := range Languages() {
		for k, v := range catalogues[lang] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s %s: empty text", lang, k)
			}
			if v != strings.TrimSpace(v) {
				t.Errorf("%s %s: leading or trailing space in %q", lang, k, v)
			}
		}
	}
}

func TestHindiIsDevanagari(t *testing.T) {
	for k, v := range catalogues["hi"] {
		if latinAllowed[k] {
			continue
		}
		if !strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(unicode.Devanagari, r) && unicode.IsLetter(r) }) {
			t.Errorf("hi %s = %q has no Devanagari letter", k, v)
		}
	}
	// And English must not carry Hindi, except the name of Hindi itself.
	for k, v := range catalogues["en"] {
		if k != "lang.name.hi" && strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(unicode.Devanagari, r) }) {
			t.Errorf("en %s = %q contains Devanagari", k, v)
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

func TestPlaceholdersMatch(t *testing.T) {
	for _, k := range Keys() {
		en := placeholderRE.FindAllString(catalogues["en"][k], -1)
		hi := placeholderRE.FindAllString(catalogues["hi"][k], -1)
		slices.Sort(en)
		slices.Sort(hi)
		if !slices.Equal(en, hi) {
			t.Errorf("%s: placeholders differ: en %v, hi %v", k, en, hi)
		}
	}
}

// encoding/json keeps the last of two equal keys silently; a duplicate usually means one
// translation was lost in a merge.
func TestCatalogueNoDuplicateKeys(t *testing.T) {
	files, _ := fs.Glob(localeFS, "locales/*/*.json")
	for _, name := range files {
		lang := name
		b, err := localeFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		seen := map[string]bool{}
		if _, err := dec.Token(); err != nil { // {
			t.Fatal(err)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			key := tok.(string)
			if seen[key] {
				t.Errorf("%s.json: key %q appears twice", lang, key)
			}
			seen[key] = true
			if _, err := dec.Token(); err != nil { // value
				t.Fatal(err)
			}
		}
	}
}

func TestT(t *testing.T) {
	tests := []struct {
		lang, key string
		args      map[string]string
		want      string
	}{
		{"en", "nav.home", nil, "Home"},
		{"hi", "nav.home", nil, "मुखपृष्ठ"},
		{"fr", "nav.home", nil, "Home"},
		{"", "nav.home", nil, "Home"},
		{"hi", "no.such.key", nil, "no.such.key"},
		{"en", "user.password_too_short", map[string]string{"min": "10"}, "The password must be at least 10 characters long."},
		{"hi", "user.password_too_short", map[string]string{"min": "10"}, "पासवर्ड कम से कम 10 अक्षरों का होना चाहिए।"},
		{"en", "login.welcome", map[string]string{"name": "{min} & <b>"}, "Welcome, {min} & <b>"},
		{"en", "login.welcome", map[string]string{"other": "x"}, "Welcome, {name}"},
		{"en", "user.unknown_district", map[string]string{"district": "Jaipur"}, "Unknown district: Jaipur."},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
}

func TestLanguagesAndKeys(t *testing.T) {
	if got := Languages(); !slices.Equal(got, []string{"en", "hi"}) {
		t.Errorf("Languages() = %v", got)
	}
	Languages()[0] = "xx" // callers get a copy
	if Languages()[0] != "en" {
		t.Errorf("Languages() exposes its backing array")
	}
	keys := Keys()
	if !slices.IsSorted(keys) {
		t.Errorf("Keys() is not sorted")
	}
	if len(keys) != len(catalogues["en"]) {
		t.Errorf("Keys() has %d keys, en has %d", len(keys), len(catalogues["en"]))
	}
	if !HasKey("app.name") || HasKey("no.such.key") {
		t.Errorf("HasKey is wrong")
	}
}

func TestCatalogueFilesMergeAndRefuseDuplicates(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/en/core.json":     {Data: []byte(`{"a": "A"}`)},
		"locales/en/artisans.json": {Data: []byte(`{"b": "B"}`)},
		"locales/hi/core.json":     {Data: []byte(`{"a": "अ"}`)},
		"locales/hi/other.json":    {Data: []byte(`{"a": "आ"}`)},
	}
	cat, err := loadCatalogue(fsys, "en")
	if err != nil || cat["a"] != "A" || cat["b"] != "B" {
		t.Errorf("merge: %v %v", cat, err)
	}
	if _, err := loadCatalogue(fsys, "hi"); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("duplicate across files not refused: %v", err)
	}
}
