package policies_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

// The users of every test, each with the grants the user service would have written.
const (
	stateAdmin    int64 = 1
	dicJaipur     int64 = 2
	entryTwo      int64 = 3 // data_entry in jaipur and jodhpur
	auditor       int64 = 4
	boardOfficial int64 = 5
	storeAjmer    int64 = 6
	unknownUser   int64 = 99
)

var fixtureGrants = map[int64][]policies.Grant{
	stateAdmin:    {{Role: sa, District: "*"}},
	dicJaipur:     {{Role: do, District: "jaipur"}},
	entryTwo:      {{Role: de, District: "jaipur"}, {Role: de, District: "jodhpur"}},
	auditor:       {{Role: au, District: "*"}},
	boardOfficial: {{Role: bo, District: "*"}},
	storeAjmer:    {{Role: sm, District: "ajmer"}},
	unknownUser:   nil,
}

var districts = []string{"jaipur", "jodhpur", "ajmer", "sri-ganganagar", "*"}

// grant writes a g row the way the user service does.
func grant(t testing.TB, db *bun.DB, userID int64, role, district string) {
	t.Helper()
	_, err := db.ExecContext(context.Background(),
		"INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, ?, ?)",
		policies.Subject(userID), role, district)
	if err != nil {
		t.Fatalf("grant %d %s %s: %v", userID, role, district, err)
	}
}

// setup writes the fixture grants and opens an enforcer over them.
func setup(t testing.TB, db *bun.DB) *policies.Enforcer {
	t.Helper()
	for id, gs := range fixtureGrants {
		for _, g := range gs {
			grant(t, db, id, g.Role, g.District)
		}
	}
	e, err := policies.New(context.Background(), db)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// expected derives the answer from the fixture and the vocabulary, independently of casbin.
func expected(userID int64, p permission, district string) bool {
	for _, g := range fixtureGrants[userID] {
		if slices.Contains(p.roles, g.Role) && (g.District == "*" || g.District == district) {
			return true
		}
	}
	return false
}

func TestCanMatrix(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		checked := 0
		for id, gs := range fixtureGrants {
			for _, p := range append(slices.Clone(vocabulary), outsideVocabulary...) {
				for _, d := range districts {
					want := expected(id, p, d)
					if got := e.Can(id, d, p.object, p.action); got != want {
						t.Errorf("user %d %v: Can(%q, %s, %s) = %v, want %v", id, gs, d, p.object, p.action, got, want)
					}
					checked++
				}
			}
		}
		t.Logf("%d decisions checked", checked)
	})
}

func TestCanCases(t *testing.T) {
	cases := []struct {
		name     string
		user     int64
		district string
		object   string
		action   string
		want     bool
	}{
		{"dic officer verifies in own district", dicJaipur, "jaipur", "artisan", "verify", true},
		{"dic officer verifies in another district", dicJaipur, "jodhpur", "artisan", "verify", false},
		{"dic officer verifies state-wide", dicJaipur, "*", "artisan", "verify", false},
		{"auditor reads artisans anywhere", auditor, "sri-ganganagar", "artisan", "read", true},
		{"auditor reads artisans state-wide", auditor, "*", "artisan", "read", true},
		{"auditor edits artisans", auditor, "jaipur", "artisan", "edit", false},
		{"data entry in second district", entryTwo, "jodhpur", "artisan", "create", true},
		{"data entry in third district", entryTwo, "ajmer", "artisan", "create", false},
		{"data entry state-wide", entryTwo, "*", "artisan", "read", false},
		{"data entry verifies", entryTwo, "jaipur", "artisan", "verify", false},
		{"state admin verifies", stateAdmin, "jaipur", "artisan", "verify", false},
		{"state admin merges anywhere", stateAdmin, "barmer", "artisan", "merge", true},
		{"store manager sells in own store district", storeAjmer, "ajmer", "sale", "create", true},
		{"store manager reads artisans", storeAjmer, "ajmer", "artisan", "read", false},
		{"unknown user reads self", unknownUser, "*", "self", "read", false},
		{"user zero", 0, "*", "self", "read", false},
		{"negative user", -1, "*", "self", "read", false},
		{"empty district", dicJaipur, "", "artisan", "read", false},
		{"pattern district", dicJaipur, "jai*", "artisan", "read", false},
		{"pattern district for state admin", stateAdmin, "jai*", "artisan", "read", false},
		{"role name as object", stateAdmin, "*", "state_admin", "read", false},
	}
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		for _, c := range cases {
			if got := e.Can(c.user, c.district, c.object, c.action); got != c.want {
				t.Errorf("%s: Can(%d, %q, %q, %q) = %v, want %v", c.name, c.user, c.district, c.object, c.action, got, c.want)
			}
		}
	})
}

func TestScope(t *testing.T) {
	cases := []struct {
		user           int64
		object, action string
		all            bool
		districts      []string
	}{
		{stateAdmin, "artisan", "read", true, nil},
		{auditor, "artisan", "read", true, nil},
		{entryTwo, "artisan", "read", false, []string{"jaipur", "jodhpur"}},
		{entryTwo, "artisan", "verify", false, nil},
		{dicJaipur, "artisan", "verify", false, []string{"jaipur"}},
		{storeAjmer, "artisan", "read", false, nil},
		{storeAjmer, "sale", "create", false, []string{"ajmer"}},
		{unknownUser, "self", "read", false, nil},
		{0, "self", "read", false, nil},
		{stateAdmin, "artisan", "", false, nil},
	}
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		for _, c := range cases {
			s := e.Scope(c.user, c.object, c.action)
			if s.All != c.all || !slices.Equal(s.Districts, c.districts) {
				t.Errorf("Scope(%d, %s, %s) = %+v, want All=%v %v", c.user, c.object, c.action, s, c.all, c.districts)
			}
			wantEmpty := !c.all && len(c.districts) == 0
			if s.Empty() != wantEmpty {
				t.Errorf("Scope(%d, %s, %s).Empty() = %v", c.user, c.object, c.action, s.Empty())
			}
			if got := e.Allowed(c.user, c.object, c.action); got != !wantEmpty {
				t.Errorf("Allowed(%d, %s, %s) = %v, want %v", c.user, c.object, c.action, got, !wantEmpty)
			}
		}
	})
}

func TestGrantsAndRules(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := setup(t, db)
		for id, want := range fixtureGrants {
			if got := e.Grants(id); !slices.Equal(got, want) {
				t.Errorf("Grants(%d) = %v, want %v", id, got, want)
			}
		}
		var want [][]string
		for _, p := range vocabulary {
			for _, r := range p.roles {
				want = append(want, []string{r, "*", p.object, p.action})
			}
		}
		slices.SortFunc(want, slices.Compare)
		got := e.Rules()
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("Rules() has %d rules, want %d as in the vocabulary", len(got), len(want))
			for _, r := range got {
				if !slices.ContainsFunc(want, func(w []string) bool { return slices.Equal(w, r) }) {
					t.Errorf("unexpected rule %v", r)
				}
			}
			for _, r := range want {
				if !slices.ContainsFunc(got, func(g []string) bool { return slices.Equal(g, r) }) {
					t.Errorf("missing rule %v", r)
				}
			}
		}
		got[0][0] = "changed" // Rules returns a copy
		if e.Rules()[0][0] == "changed" {
			t.Errorf("Rules() shares its slices with the enforcer")
		}
	})
}

func TestSubjectFormat(t *testing.T) {
	// app writes g rows with this exact format; changing it needs a change in app too.
	if got := policies.Subject(42); got != "user:42" {
		t.Errorf("Subject(42) = %q, want user:42", got)
	}
}

func TestNilEnforcerDenies(t *testing.T) {
	var e *policies.Enforcer
	if e.Can(stateAdmin, "*", "self", "read") || e.Allowed(stateAdmin, "self", "read") ||
		!e.Scope(stateAdmin, "self", "read").Empty() || e.Grants(stateAdmin) != nil || e.Rules() != nil {
		t.Errorf("a nil Enforcer granted something")
	}
}
