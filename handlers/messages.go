package handlers

import (
	"shilpkosh/app"
	"shilpkosh/views"
)

// localize translates an app message. Arguments that are codes (a status, a step) are
// translated too, and a message naming an existing record uses its wording with the name.
func localize(lang string, m app.Message) string {
	args := m.Args
	switch m.Key {
	case "artisan.bad_transition":
		args = map[string]string{"from": views.T(lang, "artisan.status."+m.Args["from"], nil),
			"action": views.T(lang, "artisan.step."+m.Args["action"], nil)}
	case "artisan.possible_duplicate", "artisan.duplicate_aadhaar":
		if m.Args["existing"] != "" {
			return views.T(lang, m.Key+"_of", m.Args)
		}
		if m.Args["row"] != "" && m.Key == "artisan.possible_duplicate" { // like an earlier row of an import
			return views.T(lang, m.Key+"_row", m.Args)
		}
	}
	return views.T(lang, m.Key, args)
}
