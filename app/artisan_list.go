package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Sort orders of List.
const (
	ArtisanSortCreated        = "created"         // newest first (default)
	ArtisanSortName           = "name"            // by name, A-Z then Devanagari
	ArtisanSortRegistrationNo = "registration_no" // by number; records without one last
)

// Page sizes of List.
const (
	ArtisanDefaultLimit = 50
	ArtisanMaxLimit     = 500
)

// artisanNoRegistration sorts records without a registration number after every number
// ("~" is above the letters and digits numbers are made of).
const artisanNoRegistration = "~"

// ArtisanFilter selects artisans; zero fields select everything in the actor's scope.
type ArtisanFilter struct {
	District       string `json:"district"`
	Craft          string `json:"craft"` // primary or other craft
	Sector         string `json:"sector"`
	Status         string `json:"status"`
	Gender         string `json:"gender"`
	SocialCategory string `json:"social_category"`
	OrganisationID int64  `json:"organisation_id"`
	HasGSTIN       *bool  `json:"has_gstin"`
	HasPAN         *bool  `json:"has_pan"`
	HasBank        *bool  `json:"has_bank"`
	// Q finds a word of a name (English or Hindi) by its beginning, a part of a word of the
	// name (three characters or more), a registration number or a mobile number.
	Q      string `json:"q"`
	Sort   string `json:"sort"`
	Cursor string `json:"cursor"` // NextCursor of the previous page
	Limit  int    `json:"limit"`
}

// ArtisanPage is one page of a list, the exact number of artisans the filter selects, and
// the cursor of the next page ("" on the last).
type ArtisanPage struct {
	Items      []Artisan `json:"items"`
	Total      int64     `json:"total"`
	NextCursor string    `json:"next_cursor"`
}

// artisanCursor is the position after the last row of a page: its sort key and id.
type artisanCursor struct {
	Sort string    `json:"s"`
	Key  string    `json:"k"`
	ID   int64     `json:"i"`
	at   time.Time // Key read as a time, for the created order
}

// List returns a page of artisans in the actor's read scope.
func (s *Artisans) List(ctx context.Context, actor Actor, f ArtisanFilter) (ArtisanPage, error) {
	page := ArtisanPage{Items: []Artisan{}}
	if f.Sort == "" {
		f.Sort = ArtisanSortCreated
	}
	if !slices.Contains([]string{ArtisanSortCreated, ArtisanSortName, ArtisanSortRegistrationNo}, f.Sort) {
		return page, Invalid{"sort": Msg(artisanKeyChoice)}.Err()
	}
	if f.Limit <= 0 {
		f.Limit = ArtisanDefaultLimit
	}
	f.Limit = min(f.Limit, ArtisanMaxLimit)
	var after *artisanCursor
	if f.Cursor != "" {
		c, err := decodeArtisanCursor(f.Cursor, f.Sort)
		if err != nil {
			return page, err
		}
		after = c
	}

	sr := parseArtisanSearch(f.Q)
	scope := s.scope(actor, "read")
	if plainArtisanFilter(f) && sr.empty() && !scope.Empty() {
		return s.listPlain(ctx, actor, scope, f, after)
	}
	district, newest := newestPageFits(f, &sr, scope)
	if _, counted := sr.countedToken(); newest && counted {
		return s.listNewest(ctx, actor, scope, artisanNewest{sr.names[0], district, after, f.Limit}, nil)
	}
	total, err := s.count(ctx, actor, f, &sr)
	if err != nil {
		return page, err
	}
	page.Total = total
	if sr.newest {
		return s.listNewest(ctx, actor, scope, artisanNewest{sr.names[0], district, after, f.Limit}, &total)
	}

	q := s.filterArtisans(s.selectArtisanRows(actor), f, sr)
	switch f.Sort {
	case ArtisanSortCreated:
		if after != nil {
			q = q.Where("(a.created_at, a.id) < (?, ?)", after.at, after.ID)
		}
		q = q.OrderExpr("a.created_at DESC, a.id DESC")
	case ArtisanSortName:
		if after != nil {
			q = q.Where("(a.name_key, a.id) > (?, ?)", after.Key, after.ID)
		}
		q = q.OrderExpr("a.name_key ASC, a.id ASC")
	case ArtisanSortRegistrationNo:
		if after != nil {
			q = q.Where("(COALESCE(a.registration_no, ?), a.id) > (?, ?)", artisanNoRegistration, after.Key, after.ID)
		}
		q = q.OrderExpr("COALESCE(a.registration_no, ?) ASC, a.id ASC", artisanNoRegistration)
	}
	rows, err := s.listRows(ctx, actor, q.Limit(int64(f.Limit)+1), f.Limit+1, sr)
	if err != nil {
		return page, fmt.Errorf("artisans: list: %w", err)
	}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		page.NextCursor = encodeArtisanCursor(f.Sort, &rows[len(rows)-1])
	}
	s.mask(actor, rows)
	page.Items = rows
	return page, nil
}

// plainArtisanFilter reports whether f filters by district and status alone, the list
// every registry page opens on, which listPlain serves.
func plainArtisanFilter(f ArtisanFilter) bool {
	rest := f
	rest.District, rest.Status, rest.Sort, rest.Cursor, rest.Limit = "", "", "", "", 0
	return rest == (ArtisanFilter{})
}

// listPlain serves a list filtered by district and status alone with one prepared
// statement: the page, each row's other crafts and the exact total from artisan_counts
// (the roll-up countTotals sums), read in one snapshot and, on PostgreSQL, one round trip
// instead of three. An empty page carries no total, so it is counted apart.
func (s *Artisans) listPlain(ctx context.Context, actor Actor, scope Scope, f ArtisanFilter, after *artisanCursor) (ArtisanPage, error) {
	page := ArtisanPage{Items: []Artisan{}}
	text, args := plainArtisanPageSQL(IsPostgres(s.DB), scope, f, after)
	rows, err := queryCached(ctx, s.DB, text, args...)
	if err != nil {
		return page, fmt.Errorf("artisans: list: %w", err)
	}
	defer rows.Close()
	items := make([]Artisan, 0, f.Limit+1)
	for rows.Next() {
		items = append(items, Artisan{})
		if err := scanArtisanRow(rows, &items[len(items)-1], &page.Total); err != nil {
			return page, err
		}
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("artisans: list: %w", err)
	}
	if len(items) == 0 {
		page.Total, err = s.countTotals(ctx, scope, f.District, f.Status)
		return page, err
	}
	if len(items) > f.Limit {
		items = items[:f.Limit]
		page.NextCursor = encodeArtisanCursor(f.Sort, &items[len(items)-1])
	}
	s.mask(actor, items)
	page.Items = items
	return page, nil
}

// plainArtisanPageSQL writes the statement of listPlain, with ? placeholders, and its
// arguments. The text depends only on which filters are set, the scope's size and the
// sort, so a few texts serve every request and each is prepared once.
func plainArtisanPageSQL(pg bool, scope Scope, f ArtisanFilter, after *artisanCursor) (string, []any) {
	var counts, rows []string
	var countArgs, rowArgs []any
	where := func(col, cond string, args ...any) {
		counts, rows = append(counts, col+cond), append(rows, "a."+col+cond)
		countArgs, rowArgs = append(countArgs, args...), append(rowArgs, args...)
	}
	if f.District != "" {
		where("district", " = ?", f.District)
	}
	if f.Status != "" {
		where("status", " = ?", f.Status)
	}
	if !scope.All {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(scope.Districts)), ", ")
		where("district", " IN ("+marks+")", anySlice(scope.Districts)...)
	}
	key, order := "a.created_at", "DESC"
	switch f.Sort {
	case ArtisanSortName:
		key, order = "a.name_key", "ASC"
	case ArtisanSortRegistrationNo:
		// The literal, not a parameter, so that the expression index serves the order.
		key, order = "COALESCE(a.registration_no, '"+artisanNoRegistration+"')", "ASC"
	}
	if after != nil {
		op, arg := ">", any(after.Key)
		if f.Sort == ArtisanSortCreated {
			op, arg = "<", after.at.UTC().Format(sqlTimeFormat)
		}
		rows = append(rows, "("+key+", a.id) "+op+" (?, ?)")
		rowArgs = append(rowArgs, arg, after.ID)
	}
	text := "SELECT " + artisanRowColumns + ", " + artisanCraftsColumn(pg) +
		", (SELECT COALESCE(SUM(n), 0) FROM artisan_counts" + whereClause(counts) + ") AS total" +
		" FROM artisans AS a JOIN crafts AS c ON c.slug = a.primary_craft" + whereClause(rows) +
		" ORDER BY " + key + " " + order + ", a.id " + order + " LIMIT " + strconv.Itoa(f.Limit+1)
	return text, append(countArgs, rowArgs...)
}

// sqlTimeFormat is how bun writes a time into SQL, and so how SQLite stores it as text:
// a cursor compares in the same form.
const sqlTimeFormat = "2006-01-02 15:04:05.999999-07:00"

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// ArtisanListPageSQL is the statement, in the placeholders of PostgreSQL (pg) or SQLite,
// and the arguments that a state-wide reader's GET /api/v1/artisans?district=DISTRICT
// runs: the benchmarks time it alone through the driver as the page's floor.
func ArtisanListPageSQL(pg bool, district string) (string, []any) {
	text, args := plainArtisanPageSQL(pg, AllDistricts,
		ArtisanFilter{District: district, Sort: ArtisanSortCreated, Limit: ArtisanDefaultLimit}, nil)
	if pg {
		text = numberPlaceholders(text)
	}
	return text, args
}

// mask hides what the actor may not see on listed rows, which carry their crafts.
func (s *Artisans) mask(actor Actor, rows []Artisan) {
	personal := s.scope(actor, "view_personal")
	for i := range rows {
		s.present(actor, personal, &rows[i])
	}
}

// finish loads the other crafts of listed artisans and masks what the actor may not see.
func (s *Artisans) finish(ctx context.Context, actor Actor, rows []Artisan) error {
	ptrs := make([]*Artisan, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	if err := loadArtisanCrafts(ctx, s.DB, ptrs); err != nil {
		return err
	}
	personal := s.scope(actor, "view_personal")
	for _, a := range ptrs {
		s.present(actor, personal, a)
	}
	return nil
}

// filterArtisans adds the filter's conditions (not its order or cursor) to q, whose
// artisans table is aliased "a".
func (s *Artisans) filterArtisans(q *bun.SelectQuery, f ArtisanFilter, sr artisanSearch) *bun.SelectQuery {
	eq := map[string]string{"a.district": f.District, "a.status": f.Status, "a.gender": f.Gender,
		"a.social_category": f.SocialCategory}
	for _, col := range []string{"a.district", "a.status", "a.gender", "a.social_category"} {
		if v := eq[col]; v != "" {
			q = q.Where("? = ?", bun.Ident(col), v)
		}
	}
	if f.Craft != "" {
		q = q.Where("(a.primary_craft = ? OR a.id IN (SELECT artisan_id FROM artisan_crafts WHERE craft = ?))", f.Craft, f.Craft)
	}
	if f.Sector != "" {
		q = q.Where("a.primary_craft IN (SELECT slug FROM crafts WHERE sector = ?)", f.Sector)
	}
	if f.OrganisationID != 0 {
		q = q.Where("a.organisation_id = ?", f.OrganisationID)
	}
	for col, has := range map[string]*bool{"a.gstin": f.HasGSTIN, "a.pan": f.HasPAN, "a.bank_account": f.HasBank} {
		switch {
		case has == nil:
		case *has:
			q = q.Where("? <> ''", bun.Ident(col))
		default:
			q = q.Where("? = ''", bun.Ident(col))
		}
	}
	return sr.apply(s.DB, q)
}

// artisanIDListMax is how many name matches List fetches as a list of ids unless
// Artisans.SearchIDList says otherwise: up to it, the count is the list's length and the
// page is a look-up of those ids.
const artisanIDListMax = 2000

// count returns the exact number of artisans the filter selects in the actor's scope,
// the cheapest way it can: from artisan_counts when the filter is by district and status
// alone, from the search index when it is a name search (and district), else COUNT(*).
// For a name search it also settles, in sr, how the page query finds the matches: by
// their ids when they are few, by probing each row of the list order when they are many
// compared with the rows they are taken from, else by the search index.
func (s *Artisans) count(ctx context.Context, actor Actor, f ArtisanFilter, sr *artisanSearch) (int64, error) {
	scope := s.scope(actor, "read")
	rest := f
	rest.District, rest.Status, rest.Q, rest.Sort, rest.Cursor, rest.Limit = "", "", "", "", "", 0
	plain := rest == (ArtisanFilter{})
	if plain && sr.empty() {
		return s.countTotals(ctx, scope, f.District, f.Status)
	}
	if len(sr.names) > 0 {
		matches, err := s.settleSearch(ctx, scope, f, sr)
		if err != nil {
			return 0, err
		}
		if plain && f.Status == "" && len(sr.mobiles)+len(sr.regs) == 0 {
			return matches, nil
		}
	}
	return s.countRows(ctx, scope, f, *sr)
}

// settleSearch counts the artisans whose names match the search, in scope and district,
// and settles in sr how the page query finds them.
func (s *Artisans) settleSearch(ctx context.Context, scope Scope, f ArtisanFilter, sr *artisanSearch) (int64, error) {
	max := int64(artisanIDListMax)
	if s.SearchIDList > 0 {
		max = int64(s.SearchIDList)
	}
	if token, ok := sr.countedToken(); ok {
		matches, rows, err := countCounted(ctx, s.DB, scope, f.District, f.Status, token)
		if err != nil {
			return 0, err
		}
		// A few matches are fetched as an id list below (the count is its length); of more,
		// probing walks about limit*rows/matches rows, the index way reads every match.
		if matches > max {
			sr.probe = matches*matches > int64(f.Limit+1)*rows
			return matches, nil
		}
	}
	// Fetch up to one more match than an id list holds, in one scan of the index: when
	// they are few (the usual case) that is both the count and the list; only a common
	// prefix is counted by a second scan.
	var ids []int64
	err := s.DB.NewSelect().TableExpr("(?) AS m", sr.matches(s.DB, scope, f.District)).
		ColumnExpr("m.artisan_id").Limit(max+1).Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("artisans: search: %w", err)
	}
	if matches := int64(len(ids)); matches <= max {
		sr.ids, sr.resolved = ids, true
		return matches, nil
	}
	matches, err := sr.countNames(ctx, s.DB, scope, f.District)
	if err != nil {
		return 0, err
	}
	// Too many to list: the newest page finds its own, when it serves the list.
	if _, newest := newestPageFits(f, sr, scope); newest {
		sr.newest = true
		return matches, nil
	}
	rows, err := s.countTotals(ctx, scope, f.District, f.Status)
	if err != nil {
		return 0, err
	}
	// Probing walks about limit*rows/matches rows; the index way fetches every match.
	sr.probe = matches*matches > int64(f.Limit+1)*rows
	return matches, nil
}

// countTotals sums artisan_counts over the scope, district and status ("" for any).
func (s *Artisans) countTotals(ctx context.Context, scope Scope, district, status string) (int64, error) {
	q := scope.Apply(s.DB.NewSelect().Table("artisan_counts").ColumnExpr("COALESCE(SUM(n), 0)"), "district")
	if district != "" {
		q = q.Where("district = ?", district)
	}
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var n int64
	if err := q.Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("artisans: count totals: %w", err)
	}
	return n, nil
}

// countRows counts with COUNT(*) over artisans. It never probes: a count visits every
// match anyway.
func (s *Artisans) countRows(ctx context.Context, scope Scope, f ArtisanFilter, sr artisanSearch) (int64, error) {
	q := scope.Apply(s.DB.NewSelect().TableExpr("artisans AS a"), "a.district")
	sr.probe, sr.newest = false, false
	n, err := s.filterArtisans(q, f, sr).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("artisans: count: %w", err)
	}
	return int64(n), nil
}

func encodeArtisanCursor(sort string, a *Artisan) string {
	c := artisanCursor{Sort: sort, ID: a.ID}
	switch sort {
	case ArtisanSortCreated:
		c.Key = a.CreatedAt.UTC().Format(time.RFC3339Nano)
	case ArtisanSortName:
		c.Key = a.NameKey
	case ArtisanSortRegistrationNo:
		c.Key = artisanNoRegistration
		if a.RegistrationNo != nil {
			c.Key = *a.RegistrationNo
		}
	}
	b, _ := json.Marshal(c) //nolint:errchkjson // a struct of strings and an int always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeArtisanCursor reads a cursor, refusing one made for another sort order.
func decodeArtisanCursor(s, sort string) (*artisanCursor, error) {
	bad := Invalid{"cursor": Msg(artisanKeyBadCursor)}.Err()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c artisanCursor
	if err := json.Unmarshal(raw, &c); err != nil || c.Sort != sort || c.ID <= 0 {
		return nil, bad
	}
	if sort == ArtisanSortCreated {
		if c.at, err = time.Parse(time.RFC3339Nano, c.Key); err != nil {
			return nil, bad
		}
	}
	return &c, nil
}
