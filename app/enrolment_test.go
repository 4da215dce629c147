package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"shilpkosh/app"
)

// enrolEnv adds the scheme and enrolment services to an artisan environment.
type enrolEnv struct {
	*artEnv
	schemes *app.SchemeAdmin
	enrol   *app.Enrolments
}

func eachEnrolEnv(t *testing.T, fn func(t *testing.T, e *enrolEnv)) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		fn(t, &enrolEnv{artEnv: e, schemes: &app.SchemeAdmin{DB: e.db, Authz: e.authz},
			enrol: &app.Enrolments{DB: e.db, Authz: e.authz}})
	})
}

func enrolStr(s string) *string { return &s }

// scheme creates an open grant scheme as admin, with rules set by edit.
func (e *enrolEnv) scheme(slug string, edit func(in *app.SchemeInput)) *app.SchemeDetail {
	e.t.Helper()
	in := app.SchemeInput{Slug: slug, Name: enrolStr("Test " + slug), NameHi: enrolStr("परीक्षण योजना"),
		Sponsor: enrolStr("state"), Agency: enrolStr("doic"), BenefitType: enrolStr("grant")}
	if edit != nil {
		edit(&in)
	}
	sc, err := e.schemes.CreateScheme(context.Background(), e.actor("admin"), in)
	if err != nil {
		e.t.Fatalf("create scheme %s: %v", slug, err)
	}
	return sc
}

func (e *enrolEnv) apply(who string, artisanID int64, scheme string) (*app.Enrolment, error) {
	return e.enrol.Apply(context.Background(), e.actor(who), app.EnrolmentInput{ArtisanID: artisanID, Scheme: scheme})
}

// enrolFieldKey returns the message key of one field of an invalid error.
func enrolFieldKey(err error, field string) string {
	if e, ok := err.(*app.Error); ok {
		return e.Fields[field].Key
	}
	return ""
}

func TestSchemeAdmin(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		sc := e.scheme("test-grant", func(in *app.SchemeInput) {
			in.RuleGenders = &[]string{"female"}
			in.RuleDistricts = &[]string{"jaipur", "jodhpur"}
			in.RuleMinAge = enrolInt(18)
		})
		if sc.Version != 1 || !sc.Active || !sc.RuleApproved || len(sc.RuleDistricts) != 2 {
			t.Errorf("created %+v", sc)
		}
		got, err := e.schemes.GetScheme(ctx, "test-grant")
		if err != nil || got.RuleGenders[0] != "female" || got.RuleMinAge != 18 || len(got.RuleDistricts) != 2 {
			t.Errorf("read back %+v, %v", got, err)
		}
		_, err = e.schemes.CreateScheme(ctx, e.actor("dic.jaipur"), app.SchemeInput{Slug: "x"})
		artWant(t, "dic creates", err, app.EFORBIDDEN, "error.forbidden")
		_, err = e.schemes.CreateScheme(ctx, e.actor("admin"), app.SchemeInput{Slug: "test-grant", Name: enrolStr("a"),
			NameHi: enrolStr("b"), Sponsor: enrolStr("state"), Agency: enrolStr("doic"), BenefitType: enrolStr("grant")})
		if enrolFieldKey(err, "slug") != "scheme.slug_taken" {
			t.Errorf("slug taken: %v", err)
		}
		_, err = e.schemes.CreateScheme(ctx, e.actor("admin"), app.SchemeInput{Slug: "bad", Name: enrolStr("a"),
			NameHi: enrolStr("b"), Sponsor: enrolStr("city"), Agency: enrolStr("nobody"), BenefitType: enrolStr("cash"),
			RuleCrafts: &[]string{"no-such-craft"}, RuleMinAge: enrolInt(60), RuleMaxAge: enrolInt(40),
			StartsOn: enrolStr("2026-12-01"), EndsOn: enrolStr("2026-11-01")})
		for field, key := range map[string]string{"sponsor": "scheme.unknown_choice", "agency": "scheme.unknown_agency",
			"benefit_type": "scheme.unknown_choice", "rule_crafts": "scheme.unknown_choice",
			"rule_min_age": "scheme.age_range", "ends_on": "scheme.date_range"} {
			if got := enrolFieldKey(err, field); got != key {
				t.Errorf("bad scheme: %s = %q, want %q (%v)", field, got, key, err)
			}
		}

		up, err := e.schemes.UpdateScheme(ctx, e.actor("board"), "test-grant",
			app.SchemeInput{NameHi: enrolStr("नई योजना"), RuleGenders: &[]string{}, Version: 1})
		if err != nil || up.Version != 2 || up.NameHi != "नई योजना" || len(up.RuleGenders) != 0 || up.RuleMinAge != 18 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		_, err = e.schemes.UpdateScheme(ctx, e.actor("board"), "test-grant", app.SchemeInput{Version: 1})
		artWant(t, "stale", err, app.ECONFLICT, "error.stale")
		_, err = e.schemes.UpdateScheme(ctx, e.actor("board"), "no-such", app.SchemeInput{Version: 1})
		artWant(t, "missing", err, app.ENOTFOUND, "error.not_found")
		// Seeded schemes keep working with the new columns' defaults.
		seeded, err := e.schemes.GetScheme(ctx, "pm-vishwakarma")
		if err != nil || !seeded.RuleApproved || seeded.RuleMinAge != 0 || len(seeded.RuleCrafts) != 0 {
			t.Errorf("seeded: %+v, %v", seeded, err)
		}
		var n int64
		if n, err = e.db.NewSelect().Table("audit_log").Where("entity = 'scheme'").Count(ctx); err != nil || n != 2 {
			t.Errorf("scheme audit entries = %d, %v; want 2", n, err)
		}
	})
}

func enrolInt(n int) *int { return &n }

// TestEnrolmentEligibility refuses, rule by rule, an approved Jaipur block printer (male,
// OBC, born 1980, no bank account) and a record not yet approved, and checks that the
// eligible list agrees with each refusal.
func TestEnrolmentEligibility(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		a := e.approved(artInput("Mohan Lal", "9829012345"))
		pending := e.create("entry.jaipur", artInput("Sita Devi", "9829012346"))
		cases := []struct {
			slug, field, key string
			edit             func(in *app.SchemeInput)
			who              *app.Artisan
		}{
			{"rule-age", "age", "enrolment.ineligible.age", func(in *app.SchemeInput) { in.RuleMinAge = enrolInt(50) }, a},
			{"rule-max-age", "age", "enrolment.ineligible.age", func(in *app.SchemeInput) { in.RuleMinAge, in.RuleMaxAge = enrolInt(18), enrolInt(40) }, a},
			{"rule-gender", "gender", "enrolment.ineligible.gender", func(in *app.SchemeInput) { in.RuleGenders = &[]string{"female"} }, a},
			{"rule-sector", "sector", "enrolment.ineligible.sector", func(in *app.SchemeInput) { in.RuleSectors = &[]string{"handloom"} }, a},
			{"rule-craft", "craft", "enrolment.ineligible.craft", func(in *app.SchemeInput) { in.RuleCrafts = &[]string{"kota-doria"} }, a},
			{"rule-category", "social_category", "enrolment.ineligible.social_category", func(in *app.SchemeInput) { in.RuleCategories = &[]string{"sc", "st"} }, a},
			{"rule-district", "district", "enrolment.ineligible.district", func(in *app.SchemeInput) { in.RuleDistricts = &[]string{"jodhpur"} }, a},
			{"rule-bank", "bank_account", "enrolment.ineligible.bank_account", func(in *app.SchemeInput) { in.RuleBankAccount = enrolBool(true) }, a},
			{"rule-approved", "status", "enrolment.ineligible.approved", nil, pending},
		}
		for _, c := range cases {
			e.scheme(c.slug, c.edit)
			_, err := e.apply("entry.jaipur", c.who.ID, c.slug)
			artWant(t, c.slug, err, app.EINVALID, "error.invalid")
			if got := enrolFieldKey(err, c.field); got != c.key {
				t.Errorf("%s: field %s = %q, want %q (%v)", c.slug, c.field, got, c.key, err)
			}
			list, _, err := e.enrol.Eligible(ctx, e.actor("dic.jaipur"), c.slug, 0, 10)
			if err != nil || len(list) != 0 && c.who == a {
				t.Errorf("%s: eligible = %v, %v; want nobody", c.slug, list, err)
			}
		}
		var ae *app.Error
		_, err := e.apply("entry.jaipur", a.ID, "rule-age")
		if ae, _ = err.(*app.Error); ae == nil || ae.Fields["age"].Args["age"] != strconv.Itoa(app.ArtisanAge(time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC), time.Now().In(enrolIST()))) {
			t.Errorf("age args: %v", err)
		}

		// Every rule satisfied: eligible, then enrolled, then no longer listed.
		e.scheme("all-rules", func(in *app.SchemeInput) {
			in.RuleMinAge, in.RuleMaxAge = enrolInt(18), enrolInt(60)
			in.RuleGenders, in.RuleSectors = &[]string{"male", "female"}, &[]string{"handicraft"}
			in.RuleCrafts, in.RuleCategories = &[]string{"sanganeri-block-print"}, &[]string{"obc"}
			in.RuleDistricts = &[]string{"jaipur"}
		})
		list, next, err := e.enrol.Eligible(ctx, e.actor("dic.jaipur"), "all-rules", 0, 10)
		if err != nil || len(list) != 1 || list[0].ID != a.ID || next != 0 || list[0].Sector != "handicraft" {
			t.Fatalf("eligible all-rules = %+v, %d, %v", list, next, err)
		}
		if list, _, _ := e.enrol.Eligible(ctx, e.actor("dic.jodhpur"), "all-rules", 0, 10); len(list) != 0 {
			t.Errorf("dic.jodhpur sees a jaipur artisan as eligible: %v", list)
		}
		if _, err := e.apply("entry.jaipur", a.ID, "all-rules"); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := e.enrol.Eligible(ctx, e.actor("dic.jaipur"), "all-rules", 0, 10); len(list) != 0 {
			t.Errorf("enrolled artisan still eligible: %v", list)
		}

		// A closed scheme takes no applications.
		e.scheme("closed", func(in *app.SchemeInput) { in.EndsOn = enrolStr("2020-03-31") })
		_, err = e.apply("entry.jaipur", a.ID, "closed")
		if enrolFieldKey(err, "scheme") != "enrolment.scheme_closed" {
			t.Errorf("closed scheme: %v", err)
		}
		_, err = e.apply("entry.jaipur", a.ID, "no-such-scheme")
		if enrolFieldKey(err, "scheme") != "enrolment.unknown_scheme" {
			t.Errorf("unknown scheme: %v", err)
		}
		_, err = e.apply("entry.jodhpur", a.ID, "all-rules")
		if enrolFieldKey(err, "artisan_id") != "enrolment.unknown_artisan" {
			t.Errorf("artisan outside scope: %v", err)
		}
	})
}

func enrolBool(b bool) *bool { return &b }

func TestEnrolmentWorkflow(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		a := e.approved(artInput("Mohan Lal", "9829012345"))
		e.scheme("toolkit", nil)
		en, err := e.apply("entry.jaipur", a.ID, "toolkit")
		if err != nil || en.Status != app.EnrolmentApplied || en.District != "jaipur" || en.Version != 1 {
			t.Fatalf("apply: %+v, %v", en, err)
		}
		_, err = e.apply("dic.jaipur", a.ID, "toolkit")
		artWant(t, "second open enrolment", err, app.ECONFLICT, "enrolment.already_open")

		step := func(who, action string, in app.EnrolmentStep) (*app.Enrolment, error) {
			return e.enrol.Step(ctx, e.actor(who), en.ID, action, in)
		}
		_, err = step("dic.jodhpur", "verify", app.EnrolmentStep{Version: 1})
		artWant(t, "jodhpur verifies jaipur", err, app.ENOTFOUND, "error.not_found")
		_, err = step("board", "verify", app.EnrolmentStep{Version: 1})
		artWant(t, "board verifies", err, app.EFORBIDDEN, "error.forbidden")
		_, err = step("dic.jaipur", "sanction", app.EnrolmentStep{Version: 1, AmountPaise: 100})
		artWant(t, "dic sanctions", err, app.EFORBIDDEN, "error.forbidden")
		_, err = step("board", "sanction", app.EnrolmentStep{Version: 1, AmountPaise: 100})
		artWant(t, "sanction before verify", err, app.ECONFLICT, "enrolment.bad_transition")
		if en, err = step("dic.jaipur", "verify", app.EnrolmentStep{Version: 1}); err != nil || en.Status != app.EnrolmentVerified {
			t.Fatalf("verify: %+v, %v", en, err)
		}
		_, err = step("board", "sanction", app.EnrolmentStep{Version: 1, AmountPaise: 100})
		artWant(t, "stale sanction", err, app.ECONFLICT, "error.stale")
		_, err = step("board", "sanction", app.EnrolmentStep{Version: 2})
		if enrolFieldKey(err, "amount_paise") != "enrolment.amount" {
			t.Errorf("zero sanction: %v", err)
		}
		if en, err = step("board", "sanction", app.EnrolmentStep{Version: 2, AmountPaise: 10_000_00}); err != nil || en.SanctionedPaise != 10_000_00 {
			t.Fatalf("sanction: %+v, %v", en, err)
		}
		_, err = step("board", "disburse", app.EnrolmentStep{Version: 3, AmountPaise: 10_000_01, PaidOn: "2026-11-20", Reference: "PFMS-1"})
		if enrolFieldKey(err, "amount_paise") != "enrolment.exceeds_sanction" {
			t.Errorf("over-disbursement: %v", err)
		}
		_, err = step("board", "disburse", app.EnrolmentStep{Version: 3, AmountPaise: 100, PaidOn: "20/11/2026"})
		if enrolFieldKey(err, "paid_on") != app.KeyDate || enrolFieldKey(err, "reference") != app.KeyRequired {
			t.Errorf("bad disbursement: %v", err)
		}
		en, err = step("board", "disburse", app.EnrolmentStep{Version: 3, AmountPaise: 4_000_00, PaidOn: "2026-11-20", Reference: "PFMS-1"})
		if err != nil || en.Status != app.EnrolmentSanctioned || en.DisbursedPaise != 4_000_00 {
			t.Fatalf("first instalment: %+v, %v", en, err)
		}
		_, err = step("board", "disburse", app.EnrolmentStep{Version: 4, AmountPaise: 6_000_01, PaidOn: "2026-11-21", Reference: "PFMS-2"})
		if ae, ok := err.(*app.Error); !ok || ae.Fields["amount_paise"].Args["left"] != "₹6,000" {
			t.Errorf("second instalment over the rest: %v", err)
		}
		_, err = step("admin", "reject", app.EnrolmentStep{Version: 4, Reason: "changed mind"})
		artWant(t, "reject after payment", err, app.ECONFLICT, "enrolment.bad_transition")
		en, err = step("board", "disburse", app.EnrolmentStep{Version: 4, AmountPaise: 6_000_00, PaidOn: "2026-11-21", Reference: "PFMS-2"})
		if err != nil || en.Status != app.EnrolmentDisbursed || en.DisbursedPaise != 10_000_00 {
			t.Fatalf("last instalment: %+v, %v", en, err)
		}
		_, err = step("board", "disburse", app.EnrolmentStep{Version: 5, AmountPaise: 1, PaidOn: "2026-11-21", Reference: "PFMS-3"})
		artWant(t, "disburse when done", err, app.ECONFLICT, "enrolment.bad_transition")

		full, err := e.enrol.Get(ctx, e.actor("dic.jaipur"), en.ID)
		if err != nil || len(full.Disbursements) != 2 || len(full.History) != 5 || full.ArtisanName != "Mohan Lal" {
			t.Fatalf("get: %+v, %v", full, err)
		}
		if _, err := e.enrol.Get(ctx, e.actor("dic.jodhpur"), en.ID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("jodhpur get: %v", err)
		}
		n, err := e.db.NewSelect().Table("audit_log").Where("entity = 'enrolment' AND entity_id = ?", enrolID(en.ID)).Count(ctx)
		if err != nil || n != 5 {
			t.Errorf("audit entries = %d, %v; want 5", n, err)
		}

		// A rejection needs a reason and allows a fresh application.
		second, err := e.apply("entry.jaipur", a.ID, "toolkit")
		if err != nil {
			t.Fatalf("apply after disbursement: %v", err)
		}
		_, err = e.enrol.Reject(ctx, e.actor("dic.jaipur"), second.ID, app.EnrolmentStep{Version: 1})
		if enrolFieldKey(err, "reason") != app.KeyRequired {
			t.Errorf("reject without reason: %v", err)
		}
		_, err = e.enrol.Reject(ctx, e.actor("entry.jaipur"), second.ID, app.EnrolmentStep{Version: 1, Reason: "x"})
		artWant(t, "data entry rejects", err, app.EFORBIDDEN, "error.forbidden")
		if r, err := e.enrol.Reject(ctx, e.actor("dic.jaipur"), second.ID, app.EnrolmentStep{Version: 1, Reason: "documents missing"}); err != nil || r.Status != app.EnrolmentRejected {
			t.Fatalf("reject: %+v, %v", r, err)
		}

		// Lists: scope, scheme, status, month; beneficiaries are sanctioned and disbursed.
		list := func(who string, f app.EnrolmentFilter) []app.Enrolment {
			t.Helper()
			out, _, err := e.enrol.List(ctx, e.actor(who), f)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		if got := list("dic.jaipur", app.EnrolmentFilter{Scheme: "toolkit"}); len(got) != 2 || got[0].ID != second.ID {
			t.Errorf("jaipur list = %+v", got)
		}
		if got := list("dic.jodhpur", app.EnrolmentFilter{}); len(got) != 0 {
			t.Errorf("jodhpur list = %+v", got)
		}
		if got := list("auditor", app.EnrolmentFilter{Scheme: "toolkit", Statuses: []string{"sanctioned", "disbursed"}}); len(got) != 1 || got[0].ID != en.ID {
			t.Errorf("beneficiaries = %+v", got)
		}
		month := app.MonthOf(app.Now().In(enrolIST())).String()
		if got := list("admin", app.EnrolmentFilter{Month: month, District: "jaipur"}); len(got) != 2 {
			t.Errorf("month %s list = %+v", month, got)
		}
		if got := list("admin", app.EnrolmentFilter{Month: "2020-01"}); len(got) != 0 {
			t.Errorf("2020-01 list = %+v", got)
		}
		page, next, err := e.enrol.List(ctx, e.actor("admin"), app.EnrolmentFilter{Limit: 1})
		if err != nil || len(page) != 1 || next != second.ID {
			t.Errorf("page 1 = %v, %d, %v", page, next, err)
		}
		if page, next, _ = e.enrol.List(ctx, e.actor("admin"), app.EnrolmentFilter{Limit: 1, BeforeID: next}); len(page) != 1 || page[0].ID != en.ID || next != 0 {
			t.Errorf("page 2 = %v, %d", page, next)
		}
		_, _, err = e.enrol.List(ctx, e.actor("admin"), app.EnrolmentFilter{Month: "2026-13", Statuses: []string{"paid"}})
		if enrolFieldKey(err, "month") != app.KeyMonth || enrolFieldKey(err, "status") == "" {
			t.Errorf("bad filter: %v", err)
		}
	})
}

func enrolIST() *time.Location { return time.FixedZone("IST", 5*3600+1800) }

func enrolID(id int64) string { return strconv.FormatInt(id, 10) }
