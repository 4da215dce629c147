package handlers_test

import (
	"strings"
	"testing"
)

// schemeRowOf returns the table row of the scheme list that links to slug.
func schemeRowOf(t *testing.T, body, slug string) string {
	t.Helper()
	i := strings.Index(body, `<a href="/schemes/`+slug+`">`)
	if i < 0 {
		t.Fatalf("no row for %s", slug)
	}
	row := body[i:]
	return row[:strings.Index(row, "</tr>")]
}

// TestSchemeListCounts counts a Jaipur enrolment sanctioned and part paid and a Jodhpur
// one applied: the admin sees both, each DIC officer only their district's, and a store
// manager, who reads no enrolment, no counts at all.
func TestSchemeListCounts(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if resp, _ := postPage(e, "admin", "/schemes", schemeForm()); resp.StatusCode != 303 {
			t.Fatalf("scheme: %d", resp.StatusCode)
		}
		jaipur := schAPIApproved(e, "entry.jaipur", "dic.jaipur", artAPIBody(t, "Kishan Lal", "9829012345"))
		jodhpur := schAPIApproved(e, "admin", "dic.jodhpur", artAPIJodhpurBody(t, "Gopal Ram", "9829012346"))
		en := artAPIDo(e, "admin", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jaipur["id"], "scheme": "rj-toolkit"}, 201)
		artAPIDo(e, "admin", "POST", "/api/v1/enrolments", map[string]any{"artisan_id": jodhpur["id"], "scheme": "rj-toolkit"}, 201)
		en = schAPIStep(e, "dic.jaipur", en, "verify", 200, nil)
		en = schAPIStep(e, "board", en, "sanction", 200, map[string]any{"amount_paise": 5_000_00})
		schAPIStep(e, "board", en, "disburse", 200, map[string]any{"amount_paise": 2_000_00, "paid_on": "2026-11-20", "reference": "PFMS-1"})

		cases := []struct {
			user                 string
			applied, sanctioned  string
			sanctionedRs, paidRs string
		}{
			{"admin", "1", "1", "₹5,000", "₹2,000"},
			{"dic.jaipur", "0", "1", "₹5,000", "₹2,000"},
			{"dic.jodhpur", "1", "0", "₹0", "₹0"},
		}
		for _, c := range cases {
			row := schemeRowOf(t, getPage(t, e, c.user, "/schemes", "en"), "rj-toolkit")
			for _, want := range []string{
				`status=applied">Applied ` + c.applied + `</a>`,
				`status=sanctioned">Sanctioned ` + c.sanctioned + `</a>`,
				`status=verified">Verified 0</a>`,
				`class="num">` + c.sanctionedRs + `</td>`,
				`class="num">` + c.paidRs + `</td>`,
			} {
				if !strings.Contains(row, want) {
					t.Errorf("%s: row lacks %q:\n%s", c.user, want, row)
				}
			}
		}
		body := getPage(t, e, "dic.jodhpur", "/schemes", "hi")
		if row := schemeRowOf(t, body, "rj-toolkit"); !strings.Contains(row, `status=applied">आवेदित 1</a>`) {
			t.Errorf("Hindi row: %s", row)
		}
		if body := getPage(t, e, "store.ajmer", "/schemes", "en"); strings.Contains(body, "status=applied") {
			t.Errorf("a store manager sees enrolment counts")
		}
		body = getPage(t, e, "dic.jaipur", "/schemes/rj-toolkit", "en")
		if !strings.Contains(body, "<dt>Sanctioned</dt><dd>1</dd>") || !strings.Contains(body, "<dt>Applied</dt><dd>0</dd>") {
			t.Errorf("scheme page lacks the Jaipur counts")
		}
	})
}
