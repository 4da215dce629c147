package handlers_test

import (
	"testing"
)

// refAPIFind returns the item of a reference list with the slug, or nil.
func refAPIFind(list map[string]any, slug string) map[string]any {
	for _, it := range artAPIItems(list) {
		if it["slug"] == slug {
			return it
		}
	}
	return nil
}

// TestCraftAdminAPI: state admins add and change craft types; others may not; bad input is
// a 422 naming the field and a stale version a 409 that changes nothing.
func TestCraftAdminAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		craft := map[string]any{"slug": "sawai-madhopur-terracotta", "sector": "handicraft", "name": "Sawai Madhopur terracotta",
			"name_hi": "सवाई माधोपुर मृण्मूर्ति", "main_centres": "Sawai Madhopur", "gi_tag": true}
		created := artAPIDo(e, "admin", "POST", "/api/v1/crafts", craft, 201)
		if created["active"] != true || created["version"] != float64(1) || created["gi_tag"] != true || created["name"] != "Sawai Madhopur terracotta" {
			t.Errorf("created = %v", created)
		}
		if got := refAPIFind(artAPIDo(e, "entry.jaipur", "GET", "/api/v1/crafts", nil, 200), "sawai-madhopur-terracotta"); got == nil {
			t.Errorf("new craft not listed")
		}

		// Only state admins.
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/crafts", craft, 403)
		artAPIDo(e, "board", "POST", "/api/v1/crafts", craft, 403)
		artAPIDo(e, "", "POST", "/api/v1/crafts", craft, 401)

		// Bad input names the field.
		for field, value := range map[string]any{"sector": "pottery", "slug": "Sawai Clay", "name": "", "name_hi": ""} {
			bad := map[string]any{"slug": "another-craft", "sector": "handloom", "name": "Another", "name_hi": "अन्य"}
			bad[field] = value
			out := artAPIDo(e, "admin", "POST", "/api/v1/crafts", bad, 422)
			if msg, _ := artAPIFields(out)[field].(string); msg == "" {
				t.Errorf("%s = %q: %v", field, value, out)
			}
		}
		out := artAPIDo(e, "admin", "POST", "/api/v1/crafts", craft, 422) // the slug is taken
		if artAPIFields(out)["slug"] == nil {
			t.Errorf("taken slug = %v", out)
		}
		artAPIDo(e, "admin", "POST", "/api/v1/crafts", map[string]any{"slug": "x-y", "sector": "khadi", "name": "X", "name_hi": "X", "colour": "red"}, 422)

		// Changing: what is sent changes, the rest stays; the version moves on.
		path := "/api/v1/crafts/sawai-madhopur-terracotta"
		changed := artAPIDo(e, "admin", "PATCH", path, map[string]any{"main_centres": "Sawai Madhopur, Karauli", "version": 1}, 200)
		if changed["main_centres"] != "Sawai Madhopur, Karauli" || changed["version"] != float64(2) || changed["name_hi"] != craft["name_hi"] ||
			changed["gi_tag"] != true || changed["slug"] != "sawai-madhopur-terracotta" {
			t.Errorf("changed = %v", changed)
		}
		out = artAPIDo(e, "admin", "PATCH", path, map[string]any{"name": "Stale", "version": 1}, 409)
		if errorCode(out) != "conflict" {
			t.Errorf("stale = %v", out)
		}
		if got := refAPIFind(artAPIDo(e, "admin", "GET", "/api/v1/crafts", nil, 200), "sawai-madhopur-terracotta"); got["name"] != "Sawai Madhopur terracotta" || got["version"] != float64(2) {
			t.Errorf("after a stale update = %v", got)
		}
		out = artAPIDo(e, "admin", "PATCH", path, map[string]any{"sector": "pottery", "version": 2}, 422)
		if artAPIFields(out)["sector"] == nil {
			t.Errorf("bad sector = %v", out)
		}
		artAPIDo(e, "admin", "PATCH", path, map[string]any{"name": "", "version": 2}, 422)
		artAPIDo(e, "admin", "PATCH", path, map[string]any{"colour": "red", "version": 2}, 422)
		artAPIDo(e, "admin", "PATCH", "/api/v1/crafts/no-such-craft", map[string]any{"name": "X", "version": 1}, 404)
		artAPIDo(e, "dic.jaipur", "PATCH", path, map[string]any{"name": "X", "version": 2}, 403)
		artAPIDo(e, "", "PATCH", path, map[string]any{"name": "X", "version": 2}, 401)

		// A deactivated craft is kept but cannot be chosen for a new artisan.
		gone := artAPIDo(e, "admin", "PATCH", path, map[string]any{"active": false, "version": 2}, 200)
		if gone["active"] != false {
			t.Errorf("deactivated = %v", gone)
		}
		body := artAPIBody(t, "Kishan Lal", "9829012345")
		body["primary_craft"] = "sawai-madhopur-terracotta"
		if out := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", body, 422); artAPIFields(out)["primary_craft"] == nil {
			t.Errorf("inactive craft chosen: %v", out)
		}
	})
}

// TestDistrictAdminAPI: state admins change a district's names and codes; others may not;
// a stale version is a 409 that changes nothing.
func TestDistrictAdminAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		jaipur := refAPIFind(artAPIDo(e, "admin", "GET", "/api/v1/districts", nil, 200), "jaipur")
		if jaipur == nil {
			t.Fatal("no jaipur district")
		}
		path := "/api/v1/districts/jaipur"
		changed := artAPIDo(e, "admin", "PATCH", path, map[string]any{"aliases": "jaypur|pink city", "version": jaipur["version"]}, 200)
		if changed["aliases"] != "jaypur|pink city" || changed["version"] != jaipur["version"].(float64)+1 ||
			changed["name"] != jaipur["name"] || changed["name_hi"] != jaipur["name_hi"] || changed["rto_code"] != jaipur["rto_code"] ||
			changed["division"] != jaipur["division"] {
			t.Errorf("changed = %v, was %v", changed, jaipur)
		}
		out := artAPIDo(e, "admin", "PATCH", path, map[string]any{"name": "Stale", "version": jaipur["version"]}, 409)
		if errorCode(out) != "conflict" {
			t.Errorf("stale = %v", out)
		}
		if got := refAPIFind(artAPIDo(e, "admin", "GET", "/api/v1/districts", nil, 200), "jaipur"); got["name"] != jaipur["name"] || got["version"] != changed["version"] {
			t.Errorf("after a stale update = %v", got)
		}
		out = artAPIDo(e, "admin", "PATCH", path, map[string]any{"name_hi": " ", "version": changed["version"]}, 422)
		if artAPIFields(out)["name_hi"] == nil {
			t.Errorf("empty Hindi name = %v", out)
		}
		artAPIDo(e, "admin", "PATCH", path, map[string]any{"slug": "pink-city", "version": changed["version"]}, 422)
		artAPIDo(e, "admin", "PATCH", "/api/v1/districts/atlantis", map[string]any{"name": "Atlantis", "version": 1}, 404)
		artAPIDo(e, "dic.jaipur", "PATCH", path, map[string]any{"name": "Mine", "version": changed["version"]}, 403)
		artAPIDo(e, "", "PATCH", path, map[string]any{"name": "Mine", "version": changed["version"]}, 401)

		// A deactivated district takes no new artisans.
		artAPIDo(e, "admin", "PATCH", "/api/v1/districts/jodhpur", map[string]any{"active": false,
			"version": refAPIFind(artAPIDo(e, "admin", "GET", "/api/v1/districts", nil, 200), "jodhpur")["version"]}, 200)
		if out := artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/artisans", artAPIJodhpurBody(t, "Bhanwar Lal", "9829022222"), 422); artAPIFields(out)["district"] == nil {
			t.Errorf("artisan in an inactive district: %v", out)
		}
	})
}
