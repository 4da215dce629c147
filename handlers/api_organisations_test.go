package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// orgAPIBody is a valid new organisation of a district.
func orgAPIBody(name, kind, district string) map[string]any {
	return map[string]any{"name": name, "name_hi": "", "kind": kind, "district": district,
		"registration_no": "RCS/JPR/2019/114", "address": "Sanganer, Jaipur"}
}

// orgAPINames lists the names of an organisation list.
func orgAPINames(out map[string]any) string {
	var names []string
	for _, it := range artAPIItems(out) {
		names = append(names, fmt.Sprint(it["name"]))
	}
	return strings.Join(names, ", ")
}

// TestOrganisationAPI: create, read, list and change organisations, within the districts
// where the user manages them; a stale version is refused and changes nothing.
func TestOrganisationAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := orgAPIBody("  Sanganer   Printers ", "cooperative", "jaipur")
		body["name_hi"] = "सांगानेर छीपा सहकारी समिति"
		created := artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", body, 201)
		if created["name"] != "Sanganer Printers" || created["active"] != true || created["version"] != float64(1) ||
			created["created_by"] == nil || created["district"] != "jaipur" {
			t.Errorf("created = %v", created)
		}
		path := "/api/v1/organisations/" + artAPIID(created)
		shg := artAPIDo(e, "entry.jaipur", "POST", "/api/v1/organisations", orgAPIBody("Bagru Women SHG", "shg", "jaipur"), 201)
		closed := orgAPIBody("Old Khadi Bhandar", "khadi_institution", "jaipur")
		closed["active"] = false
		artAPIDo(e, "admin", "POST", "/api/v1/organisations", closed, 201)
		artAPIDo(e, "dic.jodhpur", "POST", "/api/v1/organisations", orgAPIBody("Salawas Durrie Weavers", "producer_company", "jodhpur"), 201)

		// Bad input names the field; an unknown field or bad JSON is refused too.
		for field, value := range map[string]any{"name": " ", "kind": "club", "district": "lahore", "registration_no": strings.Repeat("1", 51),
			"address": strings.Repeat("a", 501)} {
			b := orgAPIBody("Any", "shg", "jaipur")
			b[field] = value
			out := artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", b, 422)
			if msg, _ := artAPIFields(out)[field].(string); msg == "" {
				t.Errorf("%s = %v: %v", field, value, out)
			}
		}
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", map[string]any{"name": "X", "kind": "shg", "district": "jaipur", "members": 3}, 422)
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", `{`, 422)
		// Outside the user's districts, or without the right.
		artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", orgAPIBody("Elsewhere", "shg", "jodhpur"), 403)
		artAPIDo(e, "auditor", "POST", "/api/v1/organisations", orgAPIBody("Audit SHG", "shg", "jaipur"), 403)
		artAPIDo(e, "", "POST", "/api/v1/organisations", orgAPIBody("Anon SHG", "shg", "jaipur"), 401)

		// Lists: by district and name, within the reader's districts, filtered.
		for who, q := range map[string]map[string]string{
			"dic.jaipur": {
				"":                              "Bagru Women SHG, Old Khadi Bhandar, Sanganer Printers",
				"?active=true":                  "Bagru Women SHG, Sanganer Printers",
				"?active=0":                     "Old Khadi Bhandar",
				"?kind=shg":                     "Bagru Women SHG",
				"?q=PRINT":                      "Sanganer Printers",
				"?q=" + url.QueryEscape("छीपा"): "Sanganer Printers",
				"?district=jodhpur":             "",
			},
			"dic.jodhpur": {"": "Salawas Durrie Weavers", "?district=jaipur": "", "?q=sanganer": ""},
			"auditor":     {"?kind=producer_company": "Salawas Durrie Weavers"},
		} {
			for query, want := range q {
				if got := orgAPINames(artAPIDo(e, who, "GET", "/api/v1/organisations"+query, nil, 200)); got != want {
					t.Errorf("%s lists %q for %q, want %q", who, got, query, want)
				}
			}
		}
		if n := len(artAPIItems(artAPIDo(e, "admin", "GET", "/api/v1/organisations", nil, 200))); n != 4 {
			t.Errorf("admin lists %d organisations, want 4", n)
		}
		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/organisations?active=maybe", nil, 422)
		artAPIDo(e, "", "GET", "/api/v1/organisations", nil, 401)
		artAPIDo(e, "store.ajmer", "GET", "/api/v1/organisations", nil, 403)

		// Reading and changing one.
		if got := artAPIDo(e, "auditor", "GET", path, nil, 200); got["name_hi"] != body["name_hi"] {
			t.Errorf("read = %v", got)
		}
		artAPIDo(e, "dic.jodhpur", "GET", path, nil, 404)
		artAPIDo(e, "dic.jaipur", "GET", "/api/v1/organisations/999999", nil, 404)
		artAPIDo(e, "", "GET", path, nil, 401)
		artAPIDo(e, "store.ajmer", "GET", path, nil, 403)

		update := orgAPIBody("Sanganer Chhipa Cooperative", "cooperative", "jaipur")
		update["name_hi"], update["version"] = body["name_hi"], created["version"]
		changed := artAPIDo(e, "dic.jaipur", "PATCH", path, update, 200)
		if changed["name"] != "Sanganer Chhipa Cooperative" || changed["version"] != float64(2) || changed["active"] != true {
			t.Errorf("changed = %v", changed)
		}
		// The same version again is stale: 409, nothing changed.
		update["name"] = "Stale Name"
		out := artAPIDo(e, "entry.jaipur", "PATCH", path, update, 409)
		if errorCode(out) != "conflict" {
			t.Errorf("stale = %v", out)
		}
		if got := artAPIDo(e, "dic.jaipur", "GET", path, nil, 200); got["name"] != "Sanganer Chhipa Cooperative" || got["version"] != float64(2) {
			t.Errorf("after a stale update = %v", got)
		}
		// Another district's officer cannot see it to change it.
		update["version"] = float64(2)
		artAPIDo(e, "dic.jodhpur", "PATCH", path, update, 404)
		artAPIDo(e, "auditor", "PATCH", path, update, 403)
		artAPIDo(e, "", "PATCH", path, update, 401)
		artAPIDo(e, "dic.jaipur", "PATCH", "/api/v1/organisations/999999", update, 404)
		artAPIDo(e, "dic.jaipur", "PATCH", path, map[string]any{"name": "X", "kind": "guild", "district": "jaipur", "version": 2}, 422)
		artAPIDo(e, "dic.jaipur", "PATCH", path, map[string]any{"name": "X", "kind": "shg", "district": "jaipur", "version": 2, "colour": "red"}, 422)
		// Moving it to a district the officer does not manage.
		update["district"] = "jodhpur"
		artAPIDo(e, "dic.jaipur", "PATCH", path, update, 403)

		// Deactivating keeps everything else.
		update["district"], update["name"], update["active"] = "jaipur", "Sanganer Chhipa Cooperative", false
		changed = artAPIDo(e, "dic.jaipur", "PATCH", path, update, 200)
		if changed["active"] != false || changed["version"] != float64(3) || changed["name_hi"] != body["name_hi"] {
			t.Errorf("deactivated = %v", changed)
		}

		// With members, an organisation may not move to another district.
		member := artAPIBody(t, "Kishan Lal", "9829012345")
		member["organisation_id"] = shg["id"]
		artAPIDo(e, "entry.jaipur", "POST", "/api/v1/artisans", member, 201)
		move := orgAPIBody("Bagru Women SHG", "shg", "jodhpur")
		move["version"] = shg["version"]
		out = artAPIDo(e, "admin", "PATCH", "/api/v1/organisations/"+artAPIID(shg), move, 422)
		if artAPIFields(out)["district"] == nil {
			t.Errorf("moving an organisation with members = %v", out)
		}
	})
}

// TestOrganisationAPIPatchIsPartial: like every other PATCH of the API, changing one field
// of an organisation keeps the others.
func TestOrganisationAPIPatchIsPartial(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := orgAPIBody("Sanganer Printers", "cooperative", "jaipur")
		body["name_hi"] = "सांगानेर छीपा सहकारी समिति"
		created := artAPIDo(e, "dic.jaipur", "POST", "/api/v1/organisations", body, 201)
		path := "/api/v1/organisations/" + artAPIID(created)
		// Deactivating names only what changes.
		out, _ := artAPICall(e, "PATCH", path, e.token("dic.jaipur"), map[string]any{"active": false, "version": created["version"]}, 200)
		for _, k := range []string{"name", "name_hi", "kind", "district", "registration_no", "address"} {
			if out[k] != created[k] {
				t.Errorf("after PATCH {active:false}: %s = %v, was %v", k, out[k], created[k])
			}
		}
	})
}
