package handlers_test

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app/apptest"
)

// jaipurRecords fills a database with Jaipur records of every kind (and two Jodhpur
// artisans), returning the ids that are Jodhpur's own and the highest id used.
func jaipurRecords(t *testing.T, e *docEnv) (jodhpurArtisans []int64, maxID int64) {
	t.Helper()
	ids := seedAttackRecords(t, e.env)
	e.upload("entry.jaipur", e.jaipur, "photo", docPart{"face.png", "image/png", docFixture(t, "sample.png")}).want(t, "document", 201)
	e.upload("entry.jaipur", ids.artisan, "other", docPart{"x.pdf", "application/pdf", docFixture(t, "sample.pdf")}).want(t, "document", 201)
	a := &catAPI{e: e.env, rec: &openAPIRecorder{}}
	a.photo("entry.jaipur", ids.product, "p.png", catPNG(t, 800, 800, 200), 201)
	a.do("entry.jaipur", "POST", "/api/v1/listings", map[string]any{"product_id": ids.product, "platform": "amazon",
		"listed_price_paise": 100000, "status": "live", "url": "https://example.com/p"}, 201)
	path := fmt.Sprintf("/api/v1/artisans/%d", ids.artisan)
	for _, step := range [][2]string{{"entry.jaipur", "submit"}, {"dic.jaipur", "verify"}, {"board", "approve"}} {
		rec := e.call("GET", path, e.token("admin"), nil, 200)
		e.call("POST", path+"/"+step[1], e.token(step[0]), map[string]any{"version": rec["version"]}, 200)
	}
	e.call("PUT", fmt.Sprintf("/api/v1/artisans/%d/onboarding/amazon", ids.artisan), e.token("entry.jaipur"),
		map[string]any{"stage": "documents", "version": 0}, 200)
	// A refused import still leaves its job, with a report naming the Jaipur row.
	csv := "name,relative_name,gender,date_of_birth,social_category,mobile,district,primary_craft\n" + attackMark + ",R,f,1980-01-01,sc,1,jaipur,x\n"
	if status, body := e.uploadImport("/api/v1/imports/artisans", "entry.jaipur", "a.csv", "text/csv", []byte(csv)); status != 422 {
		t.Fatalf("jaipur import: %d %s", status, body)
	}
	// Every report handed out is archived: this makes archive entry 1 Jaipur's.
	if resp := e.request("GET", "/api/v1/reports/districts/jaipur/monthly?month=2026-10", e.token("dic.jaipur"), nil); resp.StatusCode != 200 {
		t.Fatalf("jaipur report: %d", resp.StatusCode)
	}
	// Four artisans, two documents and one of everything else: ids up to 6 cover every
	// record and some that do not exist, which must answer the same.
	return []int64{e.jodhpur, ids.jodhpurArtisan}, 6
}

// TestAttackGuessedIDsAcrossDistricts: a Jodhpur DIC officer walks ids 1..N on every route
// of the table that takes an id, API and pages, reading and writing: nothing answers with
// a Jaipur record (404 or 403 only for reads, no success and no audit entry for writes).
func TestAttackGuessedIDsAcrossDistricts(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := newDocEnv(t, db)
		own, maxID := jaipurRecords(t, e)
		found := 0
		for _, r := range e.srv.Routes() {
			if !strings.Contains(r.Path, ":id") || r.Public {
				continue
			}
			for id := int64(1); id <= maxID; id++ {
				if strings.Contains(r.Path, "/artisans/:id") && slices.Contains(own, id) {
					continue
				}
				if strings.HasPrefix(r.Path, "/api/v1/users/") || strings.HasPrefix(r.Path, "/users/") {
					continue // users are not district records; only the state admin reaches them
				}
				path := samplePath(strings.Replace(r.Path, ":id", strconv.FormatInt(id, 10), 1))
				audited := auditCount(t, e.env)
				status, body := e.guess(r.Web, r.Method, path)
				if n := auditCount(t, e.env) - audited; n != 0 {
					t.Errorf("%s %s as dic.jodhpur wrote %d audit entries", r.Method, path, n)
				}
				if r.Method == "GET" && e.statusAs(r.Web, "GET", path, "admin", false) == 200 {
					found++ // the record exists: the refusal is the scope's, not a missing row's
				}
				switch {
				case r.Method == "GET" && status != 404 && status != 403:
					t.Errorf("%s %s as dic.jodhpur: %d, want 404", r.Method, path, status)
				case r.Method != "GET" && status < 400:
					t.Errorf("%s %s as dic.jodhpur: %d, want a refusal", r.Method, path, status)
				case strings.Contains(body, attackMark) || strings.Contains(body, "Kamla Devi"):
					t.Errorf("%s %s as dic.jodhpur: the refusal names a Jaipur record", r.Method, path)
				}
			}
		}
		if found < 30 {
			t.Errorf("only %d guessed records exist for the state admin: are records of every kind made?", found)
		}
	})
}

// guess calls a route as dic.jodhpur with an empty body, web routes with a valid CSRF token.
func (e *docEnv) guess(web bool, method, path string) (int, string) {
	e.t.Helper()
	if web {
		resp, body := e.page(method, path, "dic.jodhpur", nil, true)
		return resp.StatusCode, body
	}
	resp := e.request(method, path, e.token("dic.jodhpur"), `{"version":1}`)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(raw)
}

// TestAttackListsLeakNoOtherDistrict: every list, count, summary, export and report a
// Jodhpur DIC officer can open, with no filter and with district=jaipur asked for, names
// no Jaipur record and carries no Jaipur figure (the one sale's ₹7,77,777).
func TestAttackListsLeakNoOtherDistrict(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		e := newDocEnv(t, db)
		jaipurRecords(t, e)
		secrets := []string{attackMark, "Kamla Devi", "777777", "7,77,777", "7777.77"}
		checked := 0
		for _, r := range e.srv.Routes() {
			if r.Method != "GET" || r.Public || strings.Contains(r.Path, ":id") {
				continue
			}
			for _, query := range []string{"", "?district=jaipur", "?district=jaipur&format=csv", "?format=xlsx&month=2026-10"} {
				path := strings.NewReplacer(":district", "jodhpur", ":slug", "jodhpur", ":month", "2026-10", ":platform", "amazon").Replace(r.Path) + query
				status, body := e.guess(r.Web, "GET", path)
				if status != 200 {
					continue
				}
				checked++
				text := body
				if strings.HasPrefix(body, "PK") {
					cells, _, err := exportCells([]byte(body))
					if err != nil {
						t.Errorf("GET %s: %v", path, err)
					}
					text = strings.Join(cells, "\n")
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("GET %s as dic.jodhpur shows %q, a Jaipur record's", path, s)
					}
				}
			}
		}
		if checked < 30 {
			t.Errorf("only %d lists answered: is the route table walked?", checked)
		}
	})
}
