package views

import "testing"

func TestMonthName(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"en", "2026-10", "October 2026"},
		{"hi", "2026-10", "अक्टूबर 2026"},
		{"hi", "2027-01", "जनवरी 2027"},
		{"en", "2026-13", "2026-13"}, // not a month: shown as typed
		{"en", "Oct", "Oct"},
		{"en", "", ""},
	} {
		if got := MonthName(c.lang, c.in); got != c.want {
			t.Errorf("MonthName(%s, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
}

func TestActorName(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"en", "system", "System (scheduled)"},
		{"hi", "system", "सिस्टम (स्वचालित)"},
		{"hi", "DIC Jaipur", "DIC Jaipur"},
	} {
		if got := ActorName(c.lang, c.in); got != c.want {
			t.Errorf("ActorName(%s, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
}
