package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A one-word name search in a district, newest first (the registry's search box), finds
// its page in artisan_search_terms alone: each term row carries its artisan's created_at
// (migration 19) and artisan_search_terms_created_idx orders a district's rows of one
// term by (created_at, artisan_id). A token's matches are the rows of every term in its
// ranges (words starting with it, and inner pieces), so the page is a merge: the
// statement walks the distinct terms of the ranges one index seek each, takes the newest
// limit+1 rows of each term after the cursor, keeps the newest limit+1 artisans of those
// and only then reads their records by id. It reads about (terms × page) index entries,
// whatever the number of matches: "kis" in Jaipur at 1,000,000 artisans is one term
// (kishan) of 4,805 rows. Before, the page walked the district's artisans newest first
// checking each one's terms (about 900 of them for "kis"), and PostgreSQL planned that
// walk over the whole state's artisans.

// newestPageFits returns the district of a list that the newest-first page serves: one
// name token of at least newestMinRunes characters and nothing else, the created order,
// and one district (named, or the only one of the actor's scope).
func newestPageFits(f ArtisanFilter, sr *artisanSearch, scope Scope) (string, bool) {
	rest := f
	rest.District, rest.Q, rest.Cursor, rest.Limit = "", "", "", 0
	if rest != (ArtisanFilter{Sort: ArtisanSortCreated}) || len(sr.names) != 1 || len(sr.mobiles)+len(sr.regs) > 0 ||
		utf8.RuneCountInString(sr.names[0]) < newestMinRunes || scope.Empty() {
		return "", false
	}
	if f.District != "" {
		return f.District, true
	}
	if !scope.All && len(scope.Districts) == 1 {
		return scope.Districts[0], true
	}
	return "", false
}

// newestMinRunes keeps one-letter searches off the newest-first page: the page costs a
// seek per distinct word the token covers, and a real district's names hold hundreds of
// words starting with any one letter (the generated registry, 15 at most). Probing the
// list order serves such a common token better.
const newestMinRunes = 2

// artisanNewest is a newest-first page of a one-word search in a district.
type artisanNewest struct {
	token    string
	district string
	after    *artisanCursor
	limit    int
}

// listNewest reads the page and, when total is nil, the kept number of matches
// (artisan_search_counts) in the same statement, prepared once per text.
func (s *Artisans) listNewest(ctx context.Context, actor Actor, scope Scope, n artisanNewest, total *int64) (ArtisanPage, error) {
	page := ArtisanPage{Items: []Artisan{}}
	text, args := n.pageSQL(IsPostgres(s.DB), scope, total == nil)
	rows, err := queryCached(ctx, s.DB, text, args...)
	if err != nil {
		return page, fmt.Errorf("artisans: search page: %w", err)
	}
	defer rows.Close()
	var extra []any
	if total == nil {
		extra = []any{&page.Total}
	} else {
		page.Total = *total
	}
	items := make([]Artisan, 0, n.limit+1)
	for rows.Next() {
		items = append(items, Artisan{})
		if err := scanArtisanRow(rows, &items[len(items)-1], extra...); err != nil {
			return page, err
		}
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("artisans: search page: %w", err)
	}
	if len(items) == 0 && total == nil { // an empty page carries no total
		if page.Total, _, err = countCounted(ctx, s.DB, scope, n.district, "", n.token); err != nil {
			return page, err
		}
	}
	if len(items) > n.limit {
		items = items[:n.limit]
		page.NextCursor = encodeArtisanCursor(ArtisanSortCreated, &items[len(items)-1])
	}
	s.mask(actor, items)
	page.Items = items
	return page, nil
}

// pageSQL writes the statement of listNewest, with ? placeholders, and its arguments.
// The ranges' distinct terms are found by a recursive walk of the index (the next term
// above the last, in the same range); each term's cut is the created_at of its
// limit+1-th newest row after the cursor (or of its oldest), so the rows at or above the
// cuts hold the page. The ids come first (CROSS JOIN): SQLite otherwise walked the
// district's artisans newest first, testing each id against the list.
func (n artisanNewest) pageSQL(pg bool, scope Scope, withTotal bool) (string, []any) {
	ranges := []string{n.token}
	if utf8.RuneCountInString(n.token) >= artisanMinPartial {
		ranges = append(ranges, artisanSuffixMark+n.token)
	}
	// The limit is written into the text, not bound: SQLite re-prepared the whole statement
	// on every run when its subqueries' LIMIT was a parameter (a quarter of a search's CPU
	// at 1,000,000 artisans). It is an int of ours; a text per page size is cached.
	limit := strconv.Itoa(n.limit + 1)
	var b strings.Builder
	var args []any
	b.WriteString("WITH RECURSIVE w(term, hi) AS (")
	for i, lo := range ranges {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT (SELECT MIN(term) FROM artisan_search_terms WHERE district = ? AND term >= ? AND term < ?), CAST(? AS TEXT)")
		args = append(args, n.district, lo, lo+artisanTermEnd, lo+artisanTermEnd)
	}
	b.WriteString(" UNION ALL SELECT (SELECT MIN(s.term) FROM artisan_search_terms AS s" +
		" WHERE s.district = ? AND s.term > w.term AND s.term < w.hi), w.hi FROM w WHERE w.term IS NOT NULL)")
	args = append(args, n.district)
	after, afterArgs := "", []any(nil)
	if n.after != nil {
		after = " AND (x.created_at, x.artisan_id) < (?, ?)"
		afterArgs = []any{n.after.at.UTC().Format(sqlTimeFormat), n.after.ID}
	}
	b.WriteString(", cut(term, cut_at) AS (SELECT w.term, (SELECT MIN(top.created_at) FROM (" +
		"SELECT x.created_at FROM artisan_search_terms AS x WHERE x.district = ? AND x.term = w.term" + after +
		" ORDER BY x.created_at DESC, x.artisan_id DESC LIMIT " + limit + ") AS top) FROM w WHERE w.term IS NOT NULL)")
	args = append(append(args, n.district), afterArgs...)
	b.WriteString(", m(artisan_id) AS (SELECT x.artisan_id FROM cut JOIN artisan_search_terms AS x" +
		" ON x.district = ? AND x.term = cut.term AND x.created_at >= cut.cut_at WHERE 1 = 1" + after +
		" GROUP BY x.created_at, x.artisan_id ORDER BY x.created_at DESC, x.artisan_id DESC LIMIT " + limit + ")")
	args = append(append(args, n.district), afterArgs...)

	b.WriteString(" SELECT " + artisanRowColumns + ", " + artisanCraftsColumn(pg))
	conds := []string{"a.id = m.artisan_id", "a.district = ?"}
	var scopeArgs []any
	if !scope.All {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(scope.Districts)), ", ")
		conds = append(conds, "a.district IN ("+marks+")")
		scopeArgs = anySlice(scope.Districts)
	}
	if withTotal {
		// The total of the scope and district, as countCounted reads it.
		b.WriteString(", (SELECT COALESCE(SUM(n), 0) FROM artisan_search_counts WHERE prefix = ? AND district = ?")
		args = append(args, n.token, n.district)
		if !scope.All {
			b.WriteString(" AND district IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(scope.Districts)), ", ") + ")")
			args = append(args, scopeArgs...)
		}
		b.WriteString(") AS total")
	}
	b.WriteString(" FROM m CROSS JOIN artisans AS a JOIN crafts AS c ON c.slug = a.primary_craft" + whereClause(conds) +
		" ORDER BY a.created_at DESC, a.id DESC LIMIT " + limit)
	args = append(append(args, n.district), scopeArgs...)
	return b.String(), args
}
