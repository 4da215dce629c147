package handlers

import (
	"strings"
	"testing"

	"shilpkosh/app"
)

func TestLocalizeTranslatesCodesAndPicksTheWording(t *testing.T) {
	cases := []struct {
		lang string
		msg  app.Message
		want string
	}{
		{"en", app.Msg("artisan.bad_transition", "from", "approved", "action", "verify"), "Approved"},
		{"hi", app.Msg("artisan.bad_transition", "from", "approved", "action", "verify"), "स्वीकृत"},
		{"en", app.Msg("artisan.possible_duplicate", "existing", "RJ-JAIPUR-2026-000001"), "RJ-JAIPUR-2026-000001"},
		{"en", app.Msg("artisan.possible_duplicate", "row", "7"), "Row 7"},
		{"hi", app.Msg("artisan.possible_duplicate", "row", "7"), "पंक्ति 7"},
	}
	for _, c := range cases {
		got := localize(c.lang, c.msg)
		if !strings.Contains(got, c.want) || strings.Contains(got, "{") || strings.HasPrefix(got, "artisan.") {
			t.Errorf("%s %v = %q, want it to contain %q", c.lang, c.msg, got, c.want)
		}
	}
}
