package handlers

// The audit log page for state administrators and auditors: every change, newest first,
// filtered by user, object and dates, a page at a time. app.Audit applies the reader's
// scope in SQL.

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// auditPageSize keeps a page light on a phone.
const auditPageSize = 50

// auditListParams are the filter's query parameters; the next-page link keeps them.
var auditListParams = []string{"user", "entity", "entity_id", "from", "to"}

// auditObjects are the kinds of record the log names, offered in the object filter.
var auditObjects = []string{"artisan", "craft", "district", "document", "enrolment", "import", "listing", "month",
	"onboarding", "organisation", "platform", "policy", "product", "product_photo", "reference", "report", "sale",
	"scheme", "store", "user"}

// auditListData is the Data of audit/list.
type auditListData struct {
	Filters  []control
	Problem  problem
	Rows     []auditRow
	Filtered bool
	NextHref string
}

type auditRow struct {
	At, Actor, Entity, EntityID, Action, District, IP string
	Before, After                                     string
}

func (s *Server) auditListPage(c *fiber.Ctx) error {
	a, lang := actor(c), s.lang(c)
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	values := map[string]string{}
	kept := url.Values{}
	for _, k := range auditListParams {
		if v := strings.TrimSpace(c.Query(k)); v != "" {
			values[k] = v
			kept.Set(k, v)
		}
	}
	data := &auditListData{Filtered: len(kept) > 0}
	f, err := s.auditFilter(c, values)
	status := fiber.StatusOK
	var entries []app.AuditEntry
	var next int64
	if err == nil {
		entries, next, err = s.audit.List(c.UserContext(), a, f)
	}
	if err != nil {
		e := classify(err)
		if e.Code != app.EINVALID {
			return err
		}
		status, data.Problem = statusOf[e.Code], problemOf(lang, e)
	}
	b := formBuilder{lang: lang, values: values, errors: data.Problem.fields}
	anyOf := b.t("registry.any")
	data.Filters = []control{
		b.text("user", "audit.filter.user").maxlen(32).code(),
		b.choice("entity", "audit.filter.entity", anyOf, enumOptions(b, "audit.entity.", auditObjects)),
		b.text("entity_id", "audit.filter.entity_id").maxlen(40),
		b.text("from", "audit.filter.from").typ("date"),
		b.text("to", "audit.filter.to").typ("date"),
	}
	data.Filters[0].AutoCapitalize = "none"
	data.Problem.Items = summarize(data.Filters, data.Problem)
	for _, e := range entries {
		data.Rows = append(data.Rows, auditRow{At: formatDateTime(e.At), Actor: e.ActorName,
			Entity: auditWord(lang, "audit.entity.", e.Entity), EntityID: e.EntityID,
			Action: auditWord(lang, "audit.action.", e.Action), District: refs.district[e.District], IP: e.IP,
			Before: e.Before, After: e.After})
	}
	if next > 0 {
		kept.Set("before", strconv.FormatInt(next, 10))
		data.NextHref = "/audit?" + kept.Encode()
	}
	return s.render(c, status, "audit/list", "audit.list.title", data)
}

// auditFilter reads the filter: a username, an object, a record id, and dates typed
// day first or as the date picker sends them, read in India's clock; "to" includes its day.
func (s *Server) auditFilter(c *fiber.Ctx, values map[string]string) (app.AuditFilter, error) {
	f := app.AuditFilter{Entity: values["entity"], EntityID: values["entity_id"], Limit: auditPageSize}
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	f.Actor = strings.ToLower(values["user"])
	v := app.Invalid{}
	for _, k := range []string{"from", "to"} {
		if values[k] == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, isoDate(values[k]), ist)
		if err != nil {
			v.Add(k, "audit.bad_date")
			continue
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d.AddDate(0, 0, 1)
		}
	}
	return f, v.Err()
}

// auditWord names a kind of record or an action in the reader's language; one this page
// has no word for yet keeps its code.
func auditWord(lang, prefix, code string) string {
	if views.HasKey(prefix + code) {
		return views.T(lang, prefix+code, nil)
	}
	return code
}
