package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

const reportObject = "report"

// Reports builds the figures of the printed reports. It only reads, with plain SQL that
// runs the same on SQLite and PostgreSQL, and never looks at the clock: identical data
// gives an identical report.
type Reports struct {
	DB    *bun.DB
	Authz Authorizer
}

// Name is a reference-data label in both languages.
type Name struct {
	Key string `json:"key"`
	EN  string `json:"en"`
	HI  string `json:"hi"`
}

// In returns the label in lang ("hi" or anything else for English); an empty Hindi name
// falls back to English.
func (n Name) In(lang string) string {
	if strings.HasPrefix(lang, "hi") && n.HI != "" {
		return n.HI
	}
	if n.EN != "" {
		return n.EN
	}
	return n.Key
}

// CountRow is one line of a breakdown of artisans.
type CountRow struct {
	Name
	N int64 `json:"n"`
}

// Figure is one key figure of the summary box, for the report month, the month before
// and the same month last year. Money figures are paise.
type Figure struct {
	Key      string `json:"key"`
	Money    bool   `json:"money"`
	Value    int64  `json:"value"`
	Prev     int64  `json:"prev"`
	LastYear int64  `json:"last_year"`
}

// RegistrySection is the artisan registry at the end of the month.
type RegistrySection struct {
	Approved     int64      `json:"approved"`      // approved at month end
	NewApprovals int64      `json:"new_approvals"` // approved during the month
	BySector     []CountRow `json:"by_sector"`
	ByCraft      []CountRow `json:"by_craft"`
	ByGender     []CountRow `json:"by_gender"`
	ByCategory   []CountRow `json:"by_category"`
	Pending      int64      `json:"pending"` // submitted, awaiting verification, at month end
	// PendingAge counts pending records by days waiting at month end: 0–7, 8–30, >30.
	PendingAge [3]int64 `json:"pending_age"`
}

// SchemeFigures are one scheme's movements over a period.
type SchemeFigures struct {
	Applications    int64 `json:"applications"`
	Sanctioned      int64 `json:"sanctioned"`
	SanctionedPaise Paise `json:"sanctioned_paise"`
	Disbursed       int64 `json:"disbursed"` // instalments paid
	DisbursedPaise  Paise `json:"disbursed_paise"`
}

func (f *SchemeFigures) add(o SchemeFigures) {
	f.Applications += o.Applications
	f.Sanctioned += o.Sanctioned
	f.SanctionedPaise += o.SanctionedPaise
	f.Disbursed += o.Disbursed
	f.DisbursedPaise += o.DisbursedPaise
}

// SchemeRow is one scheme in the month and the financial year to date.
type SchemeRow struct {
	Scheme Name          `json:"scheme"`
	Month  SchemeFigures `json:"month"`
	FYTD   SchemeFigures `json:"fytd"`
}

// SalesRow is the sales of one store or craft, paise.
type SalesRow struct {
	Name
	Month    Paise `json:"month"`
	Prev     Paise `json:"prev"`
	LastYear Paise `json:"last_year"`
	FYTD     Paise `json:"fytd"`
}

// ArtisanSales is one of the month's top-selling artisans.
type ArtisanSales struct {
	ArtisanID      int64  `json:"artisan_id"`
	RegistrationNo string `json:"registration_no"`
	Name           Name   `json:"name"`
	Craft          Name   `json:"craft"`
	Paise          Paise  `json:"paise"`
}

// MonthSales is a month's total sales, for the trend chart.
type MonthSales struct {
	Month Month `json:"month"`
	Paise Paise `json:"paise"`
}

// SalesSection is government-store sales of the district.
type SalesSection struct {
	Month        Paise `json:"month"`
	Prev         Paise `json:"prev"`
	LastYear     Paise `json:"last_year"`
	FYTD         Paise `json:"fytd"`
	FYTDLastYear Paise `json:"fytd_last_year"`
	// Growth in percent against the previous month, the same month last year and last
	// year's FY to date; nil where the base is zero.
	GrowthPrev     *float64       `json:"growth_prev"`
	GrowthLastYear *float64       `json:"growth_last_year"`
	GrowthFYTD     *float64       `json:"growth_fytd"`
	ByStore        []SalesRow     `json:"by_store"`
	ByCraft        []SalesRow     `json:"by_craft"`
	TopArtisans    []ArtisanSales `json:"top_artisans"` // at most 10
	Trend          []MonthSales   `json:"trend"`        // the 13 months ending with the report month
}

// DistrictReport is the district monthly progress report: everything the PDF shows.
type DistrictReport struct {
	District Name  `json:"district"`
	Division Name  `json:"division"` // named after its headquarters district
	Month    Month `json:"month"`
	FY       FY    `json:"fy"`
	// AsOf is when the figures were final: the month's close, or else the latest change
	// included (never after the month end). It is also the PDF's creation date.
	AsOf    time.Time `json:"as_of"`
	Closed  bool      `json:"closed"`
	Summary []Figure  `json:"summary"`

	Registry RegistrySection `json:"registry"`
	Schemes  []SchemeRow     `json:"schemes"`
	// SchemesTotal sums Schemes.
	SchemesTotal SchemeRow        `json:"schemes_total"`
	Sales        SalesSection     `json:"sales"`
	Ecommerce    EcommerceSection `json:"ecommerce"`
}

// Summary figure keys, in the order of the box.
const (
	FigApproved     = "approved"
	FigNewApprovals = "new_approvals"
	FigPending      = "pending"
	FigApplications = "applications"
	FigSanctioned   = "sanctioned_paise"
	FigDisbursed    = "disbursed_paise"
	FigSales        = "sales_paise"
)

// DistrictMonthly builds the report of district for month m. It needs report:read in the
// district; a district the actor may not read, or that does not exist, is ErrNotFound.
func (s *Reports) DistrictMonthly(ctx context.Context, actor Actor, district string, m Month) (*DistrictReport, error) {
	district = strings.ToLower(strings.TrimSpace(district))
	if !actor.system && (s.Authz == nil || !s.Authz.Can(actor.UserID, district, reportObject, "read")) {
		return nil, ErrNotFound
	}
	return BuildDistrictMonthly(ctx, s.DB, district, m)
}

// BuildDistrictMonthly builds the report without a permission check, for callers that act
// for the binary itself (the command line). Handlers go through Reports.DistrictMonthly.
func BuildDistrictMonthly(ctx context.Context, db *bun.DB, district string, m Month) (*DistrictReport, error) {
	b := &reportBuilder{db: db, district: district, m: m}
	r := &DistrictReport{Month: m, FY: FinancialYear(m)}
	var d struct {
		Slug     string `bun:"slug"`
		NameEN   string `bun:"name_en"`
		NameHI   string `bun:"name_hi"`
		Division string `bun:"division"`
	}
	err := db.NewRaw("SELECT slug, name_en, name_hi, division FROM districts WHERE slug = ?", district).Scan(ctx, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("report: district: %w", err)
	}
	r.District = Name{Key: d.Slug, EN: d.NameEN, HI: d.NameHI}
	r.Division = Name{Key: d.Division, EN: d.Division}
	// A division bears its headquarters district's name, so that district's Hindi name
	// is the division's; it follows a rename of the district.
	var hq []string
	if err := db.NewRaw("SELECT name_hi FROM districts WHERE name_en = ?", d.Division).Scan(ctx, &hq); err != nil {
		return nil, fmt.Errorf("report: division: %w", err)
	}
	if len(hq) == 1 {
		r.Division.HI = hq[0]
	}

	steps := []func(context.Context, *DistrictReport) error{b.registry, b.schemes, b.sales, b.ecommerce, b.summary, b.asOf}
	for _, step := range steps {
		if err := step(ctx, r); err != nil {
			return nil, fmt.Errorf("report: %s %s: %w", district, m, err)
		}
	}
	return r, nil
}

type reportBuilder struct {
	db       *bun.DB // the onboarding and catalogue services take a *bun.DB
	district string
	m        Month
	totals   map[monthStatus]statusDelta // statusTotals, read once
	// schemes13 is schemeMonths, read once: scheme figures by month and scheme.
	schemes13 map[string]map[string]SchemeFigures
}

type nameCount struct {
	Key string `bun:"k"`
	EN  string `bun:"en"`
	HI  string `bun:"hi"`
	N   int64  `bun:"n"`
}

func (b *reportBuilder) counts(ctx context.Context, query string, args ...any) ([]CountRow, error) {
	var rows []nameCount
	if err := b.db.NewRaw(query, args...).Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	out := make([]CountRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, CountRow{Name: Name{Key: r.Key, EN: r.EN, HI: r.HI}, N: r.N})
	}
	return out, nil
}

func (b *reportBuilder) scalar(ctx context.Context, query string, args ...any) (int64, error) {
	var n sql.NullInt64
	if err := b.db.NewRaw(query, args...).Scan(ctx, &n); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return n.Int64, nil
}

// lastStatusEventSQL reads one column of an artisan's latest event that changed its status
// before an instant (its one argument): the status the artisan had then, and since when.
// An edit repeats the status, so it does not count; of two events at one instant the later
// written wins. artisan is the SQL column holding the artisan's id. The registry keeps only
// the current status, so an artisan approved in October and deactivated in December still
// counts as approved in October. Each artisan is one probe of artisan_events_artisan_at_idx
// (a replay of every event with a window function cost seconds at 100,000 artisans).
func lastStatusEventSQL(column, artisan string) string {
	return "(SELECT ev." + column + " FROM artisan_events ev WHERE ev.artisan_id = " + artisan +
		" AND ev.at < ? AND ev.from_status <> ev.to_status ORDER BY ev.at DESC, ev.id DESC LIMIT 1)"
}

// statusAtSQL is the status artisan a (an alias of artisans) had at an instant, its two
// arguments (the same instant twice): its current status when that was set before the
// instant, else the one its history gives (lastStatusEventSQL, one probe). Its latest
// status change is then before the instant, so no probe is needed for most artisans of a
// past month. It is exact while ArtisanStatusSinceDrift is empty: each status change is
// dated by the record's status_changed_at (newArtisanEvent), and the generator writes them
// so.
func statusAtSQL(a string) string {
	return "(CASE WHEN " + a + ".status_changed_at < ? THEN " + a + ".status ELSE " +
		lastStatusEventSQL("to_status", a+".id") + " END)"
}

// ArtisanStatusSinceDrift lists the artisans whose status or status_changed_at disagree
// with their history: the status must be the latest status change's, and status_changed_at
// no earlier than it. statusAtSQL and pendingAge rely on both.
func ArtisanStatusSinceDrift(ctx context.Context, db bun.IDB) ([]int64, error) {
	var ids []int64
	err := db.NewRaw("SELECT a.id FROM artisans a JOIN artisan_events ev ON ev.id = (SELECT l.id FROM artisan_events l "+
		"WHERE l.artisan_id = a.id AND l.from_status <> l.to_status ORDER BY l.at DESC, l.id DESC LIMIT 1) "+
		"WHERE a.status <> ev.to_status OR a.status_changed_at < ev.at ORDER BY a.id").Scan(ctx, &ids)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("artisans: status since drift: %w", err)
	}
	return ids, nil
}

// statusTotals reads the district's roll-up of status changes up to the report month once,
// by month and status (a few hundred rows): the registry and the summary's three months
// sum it.
func (b *reportBuilder) statusTotals(ctx context.Context) (map[monthStatus]statusDelta, error) {
	if b.totals != nil {
		return b.totals, nil
	}
	var rows []struct {
		Month     string `bun:"month"`
		Status    string `bun:"status"`
		N         int64  `bun:"n"`
		Approvals int64  `bun:"approvals"`
	}
	if err := b.db.NewRaw("SELECT month, status, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(approvals) AS BIGINT) AS approvals "+
		"FROM artisan_status_months WHERE district = ? AND month <= ? GROUP BY month, status", b.district, b.m.String()).
		Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("status months: %w", err)
	}
	b.totals = make(map[monthStatus]statusDelta, len(rows))
	for _, r := range rows {
		b.totals[monthStatus{r.Month, r.Status}] = statusDelta{N: r.N, Approvals: r.Approvals}
	}
	return b.totals, nil
}

// countAt counts the district's artisans whose status was status at the end of m (India
// time): the artisans that entered it less those that left it, up to m. An artisan
// approved in October and deactivated in December counts as approved in October.
func (b *reportBuilder) countAt(ctx context.Context, m Month, status string) (int64, error) {
	totals, err := b.statusTotals(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	for k, v := range totals {
		if k.Status == status && k.Month <= m.String() {
			n += v.N
		}
	}
	return n, nil
}

// approvedAt counts the district's artisans whose status was approved at the end of m
// (India time).
func (b *reportBuilder) approvedAt(ctx context.Context, m Month) (int64, error) {
	return b.countAt(ctx, m, ArtisanApproved)
}

// newApprovals counts the artisans approved during m.
func (b *reportBuilder) newApprovals(ctx context.Context, m Month) (int64, error) {
	totals, err := b.statusTotals(ctx)
	return totals[monthStatus{m.String(), ArtisanApproved}].Approvals, err
}

// pending counts the artisans awaiting verification (submitted) at the end of m.
func (b *reportBuilder) pending(ctx context.Context, m Month) (int64, error) {
	return b.countAt(ctx, m, ArtisanSubmitted)
}

// pendingAge counts the total artisans pending at the end of the report month by the days
// they had waited then: 0–7, 8–30, >30. Only the recent ones need reading: the artisans
// whose latest status change before the month end entered submitted in its last 32 days;
// the rest waited longer. Such an artisan's status_changed_at is no earlier than that
// change (ArtisanStatusSinceDrift), so they are among the district's artisans changed since
// the window opened: one range of artisans_district_status_idx and a probe of each one's
// history. (Reading the window's events statewide cost 130 ms for any district at
// 1,000,000 artisans, a quarter of `report all`.)
func (b *reportBuilder) pendingAge(ctx context.Context, total int64) ([3]int64, error) {
	end := monthEndIST(b.m)
	from := end.Add(-32 * 24 * time.Hour)
	var recent []time.Time
	if err := b.db.NewRaw("SELECT ev.at FROM artisans a JOIN artisan_events ev ON ev.id = (SELECT l.id FROM artisan_events l "+
		"WHERE l.artisan_id = a.id AND l.at < ? AND l.from_status <> l.to_status ORDER BY l.at DESC, l.id DESC LIMIT 1) "+
		"WHERE a.district = ? AND a.status_changed_at >= ? AND ev.to_status = 'submitted' AND ev.at >= ?",
		end, b.district, from, from).Scan(ctx, &recent); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return [3]int64{}, fmt.Errorf("pending: %w", err)
	}
	var age [3]int64
	for _, since := range recent {
		switch days := int(end.Sub(since).Hours() / 24); {
		case days <= 7:
			age[0]++
		case days <= 30:
			age[1]++
		}
	}
	age[2] = total - age[0] - age[1]
	return age, nil
}

func (b *reportBuilder) registry(ctx context.Context, r *DistrictReport) error {
	g := &r.Registry
	var err error
	if g.Approved, err = b.approvedAt(ctx, b.m); err != nil {
		return err
	}
	if g.NewApprovals, err = b.newApprovals(ctx, b.m); err != nil {
		return err
	}
	if g.Pending, err = b.pending(ctx, b.m); err != nil {
		return err
	}
	if g.PendingAge, err = b.pendingAge(ctx, g.Pending); err != nil {
		return err
	}
	crafts, err := b.crafts(ctx)
	if err != nil {
		return err
	}
	groups, err := b.approvedGroups(ctx)
	if err != nil {
		return err
	}
	sectors, byCraft, genders, categories := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, p := range groups {
		if p.N == 0 {
			continue // every artisan of the group left approved
		}
		if c, ok := crafts[p.Craft]; ok { // as the join on crafts did
			sectors[c.Sector] += p.N
			byCraft[p.Craft] += p.N
		}
		genders[p.Gender] += p.N
		categories[p.Category] += p.N
	}
	g.BySector = rankCounts(sectors, func(k string) Name { return sectorNames[k] })
	g.ByCraft = rankCounts(byCraft, func(k string) Name { return crafts[k].Name })
	g.ByGender = rankCounts(genders, func(k string) Name { return labelOf(genderNames, k) })
	g.ByCategory = rankCounts(categories, func(k string) Name { return labelOf(categoryNames, k) })
	return nil
}

// approvedGroup is how many of the district's artisans with one craft, gender and category
// were approved at the end of the report month. Craft, gender and category are the
// record's current ones: edits are not replayed.
type approvedGroup struct {
	Craft    string `bun:"primary_craft"`
	Gender   string `bun:"gender"`
	Category string `bun:"social_category"`
	N        int64  `bun:"n"`
}

// approvedGroups sums the roll-up of the approved status up to the report month by craft,
// gender and category.
func (b *reportBuilder) approvedGroups(ctx context.Context) ([]approvedGroup, error) {
	var rows []approvedGroup
	if err := b.db.NewRaw("SELECT primary_craft, gender, social_category, CAST(SUM(n) AS BIGINT) AS n FROM artisan_status_months "+
		"WHERE district = ? AND month <= ? AND status = ? GROUP BY primary_craft, gender, social_category",
		b.district, b.m.String(), ArtisanApproved).Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("approved artisans: %w", err)
	}
	return rows, nil
}

// craftRow is a craft's names and sector.
type craftRow struct {
	Name
	Sector string
}

// crafts returns every craft by slug.
func (b *reportBuilder) crafts(ctx context.Context) (map[string]craftRow, error) {
	var rows []struct {
		Slug   string `bun:"slug"`
		EN     string `bun:"name_en"`
		HI     string `bun:"name_hi"`
		Sector string `bun:"sector"`
	}
	if err := b.db.NewRaw("SELECT slug, name_en, name_hi, sector FROM crafts").Scan(ctx, &rows); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("crafts: %w", err)
	}
	out := make(map[string]craftRow, len(rows))
	for _, r := range rows {
		out[r.Slug] = craftRow{Name: Name{Key: r.Slug, EN: r.EN, HI: r.HI}, Sector: r.Sector}
	}
	return out, nil
}

// rankCounts turns counts by key into rows, the largest first, then by key (byte order,
// as the databases' C collation sorts).
func rankCounts(counts map[string]int64, name func(key string) Name) []CountRow {
	out := make([]CountRow, 0, len(counts))
	for k, n := range counts {
		out = append(out, CountRow{Name: name(k), N: n})
		out[len(out)-1].Key = k
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	return out
}

var sectorNames = map[string]Name{
	"handicraft": {"handicraft", "Handicraft", "हस्तशिल्प"},
	"handloom":   {"handloom", "Handloom", "हथकरघा"},
	"khadi":      {"khadi", "Khadi", "खादी"},
}

var genderNames = map[string]Name{
	"female":      {"female", "Female", "महिला"},
	"male":        {"male", "Male", "पुरुष"},
	"transgender": {"transgender", "Transgender", "ट्रांसजेंडर"},
	"other":       {"other", "Other", "अन्य"},
}

var categoryNames = map[string]Name{
	"sc":      {"sc", "SC", "अनुसूचित जाति"},
	"st":      {"st", "ST", "अनुसूचित जनजाति"},
	"obc":     {"obc", "OBC", "अन्य पिछड़ा वर्ग"},
	"mbc":     {"mbc", "MBC", "अति पिछड़ा वर्ग"},
	"ews":     {"ews", "EWS", "आर्थिक रूप से कमजोर वर्ग"},
	"general": {"general", "General", "सामान्य"},
}

func labelOf(names map[string]Name, key string) Name {
	if n, ok := names[key]; ok {
		return n
	}
	return Name{Key: key, EN: key}
}

type schemeAgg struct {
	Scheme string `bun:"scheme"`
	Month  string `bun:"month"`
	N      int64  `bun:"n"`
	Paise  int64  `bun:"paise"`
}

// schemeMonths reads each scheme's figures per month (India time) from the same month
// last year to the report month, once per report: three grouped queries serve the month,
// the financial year to date and the summary's three months, which were fifteen range
// queries, each probing every enrolment of the district.
func (b *reportBuilder) schemeMonths(ctx context.Context) (map[string]map[string]SchemeFigures, error) {
	if b.schemes13 != nil {
		return b.schemes13, nil
	}
	from := monthStartIST(min13(Month{FinancialYear(b.m).StartYear, time.April}, b.m.SameMonthLastYear()))
	to := monthEndIST(b.m)
	month := func(col string) string { return istMonthSQL(b.db, col) }
	queries := []string{
		"SELECT scheme, " + month("applied_at") + " AS month, COUNT(*) AS n, 0 AS paise FROM enrolments " +
			"WHERE district = ? AND applied_at >= ? AND applied_at < ? GROUP BY 1, 2",
		"SELECT e.scheme, " + month("ev.at") + " AS month, COUNT(*) AS n, CAST(COALESCE(SUM(ev.amount_paise), 0) AS BIGINT) AS paise " +
			"FROM enrolment_events ev JOIN enrolments e ON e.id = ev.enrolment_id " +
			"WHERE e.district = ? AND ev.action = 'sanction' AND ev.at >= ? AND ev.at < ? GROUP BY 1, 2",
		// A correction nets into the amount but is not another payment, so it is not counted.
		"SELECT e.scheme, " + month("d.at") + " AS month, COUNT(CASE WHEN d.corrects_id IS NULL THEN 1 END) AS n, " +
			"CAST(COALESCE(SUM(d.amount_paise), 0) AS BIGINT) AS paise FROM enrolment_disbursements d " +
			"JOIN enrolments e ON e.id = d.enrolment_id WHERE e.district = ? AND d.at >= ? AND d.at < ? GROUP BY 1, 2",
	}
	out := map[string]map[string]SchemeFigures{}
	for qi, q := range queries {
		var rows []schemeAgg
		if err := b.db.NewRaw(q, b.district, from, to).Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		for _, row := range rows {
			if out[row.Month] == nil {
				out[row.Month] = map[string]SchemeFigures{}
			}
			f := out[row.Month][row.Scheme]
			switch qi {
			case 0:
				f.Applications = row.N
			case 1:
				f.Sanctioned, f.SanctionedPaise = row.N, Paise(row.Paise)
			case 2:
				f.Disbursed, f.DisbursedPaise = row.N, Paise(row.Paise)
			}
			out[row.Month][row.Scheme] = f
		}
	}
	b.schemes13 = out
	return out, nil
}

// schemePeriod returns each scheme's figures for the months from first to last; a scheme
// is there when it moved in one of them.
func (b *reportBuilder) schemePeriod(ctx context.Context, first, last Month) (map[string]SchemeFigures, error) {
	byMonth, err := b.schemeMonths(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]SchemeFigures{}
	for m := first; !last.Before(m); m = m.Next() {
		for scheme, f := range byMonth[m.String()] {
			sum := out[scheme]
			sum.add(f)
			out[scheme] = sum
		}
	}
	return out, nil
}

func (b *reportBuilder) schemes(ctx context.Context, r *DistrictReport) error {
	month, err := b.schemePeriod(ctx, b.m, b.m)
	if err != nil {
		return err
	}
	fytd, err := b.schemePeriod(ctx, Month{r.FY.StartYear, time.April}, b.m)
	if err != nil {
		return err
	}
	var names []struct {
		Slug string `bun:"slug"`
		EN   string `bun:"name_en"`
		HI   string `bun:"name_hi"`
	}
	if err := b.db.NewRaw("SELECT slug, name_en, name_hi FROM schemes ORDER BY slug").Scan(ctx, &names); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return err
	}
	r.Schemes = []SchemeRow{}
	r.SchemesTotal = SchemeRow{Scheme: Name{Key: "total", EN: "Total", HI: "कुल"}}
	for _, n := range names {
		mf, ok1 := month[n.Slug]
		yf, ok2 := fytd[n.Slug]
		if !ok1 && !ok2 {
			continue // a scheme with no movement this year is left out
		}
		r.Schemes = append(r.Schemes, SchemeRow{Scheme: Name{Key: n.Slug, EN: n.EN, HI: n.HI}, Month: mf, FYTD: yf})
		r.SchemesTotal.Month.add(mf)
		r.SchemesTotal.FYTD.add(yf)
	}
	return nil
}

// salesMonths sums the district's sales per month for months in [from, to], from the
// monthly roll-up.
func (b *reportBuilder) salesMonths(ctx context.Context, from, to Month) (map[Month]Paise, error) {
	var rows []struct {
		Month string `bun:"month"`
		Paise int64  `bun:"paise"`
	}
	if err := b.db.NewRaw("SELECT month, CAST(SUM(paise) AS BIGINT) AS paise FROM sales_months "+
		"WHERE district = ? AND month >= ? AND month <= ? GROUP BY month", b.district, from.String(), to.String()).
		Scan(ctx, &rows); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	out := map[Month]Paise{}
	for _, row := range rows {
		m, err := ParseMonth(row.Month)
		if err != nil {
			return nil, err
		}
		out[m] = Paise(row.Paise)
	}
	return out, nil
}

func sumMonths(by map[Month]Paise, from, to Month) Paise {
	var s Paise
	for m, p := range by {
		if !m.Before(from) && !to.Before(m) {
			s += p
		}
	}
	return s
}

// Growth returns the change from base to cur in percent, or nil when base is zero.
func Growth(cur, base Paise) *float64 {
	if base == 0 {
		return nil
	}
	g := float64(cur-base) * 100 / float64(base)
	return &g
}

type salesAgg struct {
	Key      string `bun:"k"`
	EN       string `bun:"en"`
	HI       string `bun:"hi"`
	Month    int64  `bun:"m"`
	Prev     int64  `bun:"p"`
	LastYear int64  `bun:"ly"`
	FYTD     int64  `bun:"fy"`
}

func (b *reportBuilder) sales(ctx context.Context, r *DistrictReport) error {
	s := &r.Sales
	fyStart := Month{r.FY.StartYear, time.April}
	lyFYStart, ly := fyStart.AddMonths(-12), b.m.SameMonthLastYear()
	from := min13(fyStart.AddMonths(-12), b.m.AddMonths(-12))
	by, err := b.salesMonths(ctx, from, b.m)
	if err != nil {
		return err
	}
	s.Month, s.Prev, s.LastYear = by[b.m], by[b.m.Prev()], by[ly]
	s.FYTD, s.FYTDLastYear = sumMonths(by, fyStart, b.m), sumMonths(by, lyFYStart, ly)
	s.GrowthPrev, s.GrowthLastYear, s.GrowthFYTD = Growth(s.Month, s.Prev), Growth(s.Month, s.LastYear), Growth(s.FYTD, s.FYTDLastYear)
	for _, m := range Last13Months(b.m) {
		s.Trend = append(s.Trend, MonthSales{Month: m, Paise: by[m]})
	}

	// The stores and crafts are summed from the monthly roll-up (sales_months), a few
	// hundred rows, instead of every line of up to 19 months.
	cols := "CAST(SUM(CASE WHEN s.month = ? THEN s.paise ELSE 0 END) AS BIGINT) AS m, " +
		"CAST(SUM(CASE WHEN s.month = ? THEN s.paise ELSE 0 END) AS BIGINT) AS p, " +
		"CAST(SUM(CASE WHEN s.month = ? THEN s.paise ELSE 0 END) AS BIGINT) AS ly, " +
		"CAST(SUM(CASE WHEN s.month >= ? THEN s.paise ELSE 0 END) AS BIGINT) AS fy "
	args := []any{b.m.String(), b.m.Prev().String(), ly.String(), fyStart.String()}
	// Rows are every store or craft with a sale in the report month, the month before, the
	// same month last year or this financial year.
	where := " WHERE s.district = ? AND s.month <= ? AND (s.month >= ? OR s.month = ?) "
	wargs := []any{b.district, b.m.String(), min13(fyStart, b.m.Prev()).String(), ly.String()}
	scan := func(q string) ([]SalesRow, error) {
		var rows []salesAgg
		if err := b.db.NewRaw(q, append(append([]any{}, args...), wargs...)...).Scan(ctx, &rows); err != nil &&
			!errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out := make([]SalesRow, 0, len(rows))
		for _, row := range rows {
			out = append(out, SalesRow{Name: Name{Key: row.Key, EN: row.EN, HI: row.HI}, Month: Paise(row.Month),
				Prev: Paise(row.Prev), LastYear: Paise(row.LastYear), FYTD: Paise(row.FYTD)})
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Month != out[j].Month {
				return out[i].Month > out[j].Month
			}
			if out[i].FYTD != out[j].FYTD {
				return out[i].FYTD > out[j].FYTD
			}
			return out[i].Key < out[j].Key
		})
		return out, nil
	}
	if s.ByStore, err = scan("SELECT CAST(st.id AS TEXT) AS k, st.name AS en, st.name AS hi, " + cols +
		"FROM sales_months s JOIN stores st ON st.id = s.store_id" + where + "GROUP BY st.id, st.name"); err != nil {
		return err
	}
	if s.ByCraft, err = scan("SELECT c.slug AS k, c.name_en AS en, c.name_hi AS hi, " + cols +
		"FROM sales_months s JOIN crafts c ON c.slug = s.craft" + where + "GROUP BY c.slug, c.name_en, c.name_hi"); err != nil {
		return err
	}

	var top []struct {
		ID      int64          `bun:"id"`
		RegNo   sql.NullString `bun:"registration_no"`
		Name    string         `bun:"name"`
		NameHI  string         `bun:"name_hi"`
		Craft   string         `bun:"craft"`
		CraftEN string         `bun:"craft_en"`
		CraftHI string         `bun:"craft_hi"`
		Paise   int64          `bun:"paise"`
	}
	// The month's lines are summed per artisan from sales_report_idx alone and only the ten
	// best are looked up: joining every line to its artisan first read tens of thousands of
	// artisan rows at 1,000,000 artisans. Every artisan exists and has a craft (foreign
	// keys), so the joins drop no row and the ten are the same.
	if err := b.db.NewRaw("SELECT a.id, a.registration_no, a.name, a.name_hi, c.slug AS craft, c.name_en AS craft_en, "+
		"c.name_hi AS craft_hi, t.paise FROM (SELECT s.artisan_id, CAST(SUM(s.amount_paise) AS BIGINT) AS paise FROM sales s "+
		"WHERE s.district = ? AND s.month = ? AND s.artisan_id IS NOT NULL GROUP BY s.artisan_id "+
		"HAVING SUM(s.amount_paise) > 0 ORDER BY paise DESC, s.artisan_id LIMIT 10) AS t "+
		"JOIN artisans a ON a.id = t.artisan_id JOIN crafts c ON c.slug = a.primary_craft ORDER BY t.paise DESC, a.id",
		b.district, b.m.String()).
		Scan(ctx, &top); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	s.TopArtisans = []ArtisanSales{}
	for _, t := range top {
		s.TopArtisans = append(s.TopArtisans, ArtisanSales{ArtisanID: t.ID, RegistrationNo: t.RegNo.String,
			Name: Name{Key: fmt.Sprint(t.ID), EN: t.Name, HI: t.NameHI}, Craft: Name{Key: t.Craft, EN: t.CraftEN, HI: t.CraftHI},
			Paise: Paise(t.Paise)})
	}
	return nil
}

func min13(a, b Month) Month {
	if a.Before(b) {
		return a
	}
	return b
}

// summary fills the key figures for the month, the month before and last year's month.
func (b *reportBuilder) summary(ctx context.Context, r *DistrictReport) error {
	months := []Month{b.m, b.m.Prev(), b.m.SameMonthLastYear()}
	figs := []Figure{{Key: FigApproved}, {Key: FigNewApprovals}, {Key: FigPending}, {Key: FigApplications},
		{Key: FigSanctioned, Money: true}, {Key: FigDisbursed, Money: true}, {Key: FigSales, Money: true}}
	sales, err := b.salesMonths(ctx, months[2], months[0])
	if err != nil {
		return err
	}
	for i, m := range months {
		vals := make([]int64, len(figs))
		var err error
		if vals[0], err = b.approvedAt(ctx, m); err != nil {
			return err
		}
		if vals[1], err = b.newApprovals(ctx, m); err != nil {
			return err
		}
		if vals[2], err = b.pending(ctx, m); err != nil {
			return err
		}
		per, err := b.schemePeriod(ctx, m, m)
		if err != nil {
			return err
		}
		var tot SchemeFigures
		for _, f := range per {
			tot.add(f)
		}
		vals[3], vals[4], vals[5] = tot.Applications, int64(tot.SanctionedPaise), int64(tot.DisbursedPaise)
		vals[6] = int64(sales[m])
		for j := range figs {
			switch i {
			case 0:
				figs[j].Value = vals[j]
			case 1:
				figs[j].Prev = vals[j]
			case 2:
				figs[j].LastYear = vals[j]
			}
		}
	}
	r.Summary = figs
	return nil
}

// asOf sets the report's time: the close of the month if it is closed, else the latest
// change the report includes (registry and scheme events up to the month end, sales of
// the month and before whenever entered), so identical data always gives the same time.
func (b *reportBuilder) asOf(ctx context.Context, r *DistrictReport) error {
	var closes []time.Time
	if err := b.db.NewRaw("SELECT closed_at FROM month_closes WHERE district = ? AND month = ? AND reopened_at IS NULL",
		b.district, b.m.String()).Scan(ctx, &closes); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if len(closes) > 0 {
		r.AsOf, r.Closed = closes[0].UTC(), true
		return nil
	}
	end := monthEndIST(b.m)
	latest := monthStartIST(b.m)
	// Each latest time is a backward walk of the history's time index from the month end
	// to the district's first row (CROSS JOIN keeps SQLite from reading the district's
	// whole history and sorting it; every district has a steady flow of changes, so the
	// walk is short), and for sales a backward walk of sales_district_created_idx.
	queries := []struct {
		q    string
		args []any
	}{
		{"SELECT ev.at FROM artisan_events ev CROSS JOIN artisans a WHERE a.id = ev.artisan_id AND a.district = ? AND ev.at < ? " +
			"ORDER BY ev.at DESC LIMIT 1", []any{b.district, end}},
		{"SELECT e.applied_at FROM enrolments e WHERE e.district = ? AND e.applied_at < ? ORDER BY e.applied_at DESC LIMIT 1",
			[]any{b.district, end}},
		{"SELECT ev.at FROM enrolment_events ev CROSS JOIN enrolments e WHERE e.id = ev.enrolment_id AND e.district = ? AND ev.at < ? " +
			"ORDER BY ev.at DESC LIMIT 1", []any{b.district, end}},
		{"SELECT d.at FROM enrolment_disbursements d CROSS JOIN enrolments e WHERE e.id = d.enrolment_id AND e.district = ? AND d.at < ? " +
			"ORDER BY d.at DESC LIMIT 1", []any{b.district, end}},
		{"SELECT created_at FROM sales WHERE district = ? AND month <= ? ORDER BY created_at DESC LIMIT 1",
			[]any{b.district, b.m.String()}},
		{"SELECT e.at FROM onboarding_events e CROSS JOIN onboardings o CROSS JOIN artisans a WHERE o.id = e.onboarding_id " +
			"AND a.id = o.artisan_id AND a.district = ? AND e.at < ? ORDER BY e.at DESC LIMIT 1", []any{b.district, end}},
	}
	for _, q := range queries {
		var ts []time.Time
		if err := b.db.NewRaw(q.q, q.args...).Scan(ctx, &ts); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if len(ts) > 0 && ts[0].After(latest) {
			latest = ts[0]
		}
	}
	r.AsOf = latest.UTC().Truncate(time.Second)
	return nil
}
