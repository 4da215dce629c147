package policies

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
)

func modelRules(t *testing.T, m interface {
	GetPolicy(sec, ptype string) ([][]string, error)
}, sec string) [][]string {
	t.Helper()
	rules, err := m.GetPolicy(sec, sec)
	if err != nil {
		t.Fatalf("GetPolicy %s: %v", sec, err)
	}
	rules = slices.Clone(rules)
	slices.SortFunc(rules, slices.Compare)
	return rules
}

func loaded(t *testing.T, a *Adapter) (p, g [][]string) {
	t.Helper()
	m, err := newModel()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.LoadPolicy(m); err != nil {
		t.Fatalf("LoadPolicy: %v", err)
	}
	if bad := a.lastInvalid(); len(bad) > 0 {
		t.Fatalf("LoadPolicy skipped rows: %v", bad)
	}
	return modelRules(t, m, "p"), modelRules(t, m, "g")
}

func TestAdapterRoundTrip(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		if err := seedDefaults(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		a := NewAdapter(db)
		m, err := newModel()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range [][]string{
			{"state_admin", "*", "artisan", "merge"},
			{"dic_officer", "*", "artisan", "verify"},
			{"data_entry", "jaipur", "month", "read"},
		} {
			if err := m.AddPolicy("p", "p", r); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range [][]string{
			{Subject(1), "state_admin", "*"},
			{Subject(3), "data_entry", "jaipur"},
			{Subject(3), "data_entry", "sri-ganganagar"},
		} {
			if err := m.AddPolicy("g", "g", r); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.SavePolicy(m); err != nil {
			t.Fatalf("SavePolicy: %v", err)
		}
		p, g := loaded(t, a)
		if want := modelRules(t, m, "p"); !slices.EqualFunc(p, want, slices.Equal) {
			t.Errorf("p rules after round trip = %v, want %v (the defaults replaced)", p, want)
		}
		if want := modelRules(t, m, "g"); !slices.EqualFunc(g, want, slices.Equal) {
			t.Errorf("g rules after round trip = %v, want %v", g, want)
		}

		// An invalid rule aborts the save and leaves the table as it was.
		if err := m.AddPolicy("g", "g", []string{Subject(4), "auditor", ""}); err != nil {
			t.Fatal(err)
		}
		if err := a.SavePolicy(m); err == nil {
			t.Errorf("SavePolicy accepted a grant with no district")
		}
		if p2, g2 := loaded(t, a); !slices.EqualFunc(p2, p, slices.Equal) || !slices.EqualFunc(g2, g, slices.Equal) {
			t.Errorf("a failed SavePolicy changed the table")
		}
	})
}

func TestAdapterAutoSave(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		a := NewAdapter(db)
		add := func(ptype string, rule ...string) {
			t.Helper()
			if err := a.AddPolicy(ptype, ptype, rule); err != nil {
				t.Fatalf("AddPolicy %v: %v", rule, err)
			}
		}
		add("p", "auditor", "*", "audit", "read")
		add("p", "auditor", "*", "audit", "read") // twice is not an error
		add("p", "auditor", "*", "artisan", "read")
		add("g", Subject(3), "data_entry", "jaipur")
		add("g", Subject(3), "data_entry", "jodhpur")
		add("g", Subject(2), "dic_officer", "jaipur")
		if err := a.AddPolicy("g", "g", []string{Subject(5), "", "jaipur"}); err == nil {
			t.Errorf("AddPolicy accepted an empty role")
		}

		if err := a.RemovePolicy("p", "p", []string{"auditor", "*", "audit", "read"}); err != nil {
			t.Fatal(err)
		}
		if err := a.RemoveFilteredPolicy("g", "g", 0, Subject(3)); err != nil {
			t.Fatal(err)
		}
		p, g := loaded(t, a)
		if want := [][]string{{"auditor", "*", "artisan", "read"}}; !slices.EqualFunc(p, want, slices.Equal) {
			t.Errorf("p after removals = %v, want %v", p, want)
		}
		if want := [][]string{{Subject(2), "dic_officer", "jaipur"}}; !slices.EqualFunc(g, want, slices.Equal) {
			t.Errorf("g after removals = %v, want %v", g, want)
		}

		// An empty filter value matches anything; only the given fields narrow.
		if err := a.RemoveFilteredPolicy("p", "p", 1, "*", "", "read"); err != nil {
			t.Fatal(err)
		}
		if p, _ := loaded(t, a); len(p) != 0 {
			t.Errorf("p after filtered removal = %v, want none", p)
		}
		if err := a.RemoveFilteredPolicy("p", "p", 5, "a", "b"); err == nil {
			t.Errorf("RemoveFilteredPolicy accepted fields past v5")
		}
	})
}

func TestDefaultRulesParse(t *testing.T) {
	rules, err := defaultRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r[1] != StateWide {
			t.Errorf("default rule %v is not state-wide; district limits come from grants", r)
		}
	}
}

func TestValidateRule(t *testing.T) {
	cases := []struct {
		ptype  string
		values []string
		ok     bool
	}{
		{"p", []string{"auditor", "*", "audit", "read"}, true},
		{"p", []string{"auditor", "jaipur", "audit", "read"}, true},
		{"g", []string{"user:1", "auditor", "*"}, true},
		{"g", []string{"user:1", "dic_officer", "sri-ganganagar"}, true},
		{"g", []string{"user:1", "dic_officer", ""}, false},
		{"g", []string{"user:1", "dic_officer", "jai*"}, false},
		{"g", []string{"user:1", "dic_officer", " jaipur"}, false},
		{"g", []string{"user:1", "dic_officer"}, false},
		{"p", []string{"auditor", "*", "audit", ""}, false},
		{"p", []string{"auditor", "*", "audit", "read", "deny"}, false},
		{"g2", []string{"a", "b"}, false},
	}
	for _, c := range cases {
		if err := validateRule(c.ptype, c.values); (err == nil) != c.ok {
			t.Errorf("validateRule(%s, %q) = %v, want ok=%v", c.ptype, c.values, err, c.ok)
		}
	}
}
