package app

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// A short prefix ("kis", "कि") matches thousands of artisans in a large district, and
// counting them from artisan_search_terms means reading every matching entry on every
// request. artisan_search_counts (migration 17) holds, per district, how many artisans
// each short prefix matches, counting an artisan once however many of its terms start
// with the prefix. writeArtisanTerms, the one writer of the terms, moves the counts in
// the same transaction, so the total of a one-token search of up to
// artisanCountedPrefix characters is one row per district, exact and never stale.
// Longer tokens match few artisans and are counted from the index.

// artisanCountedPrefix is the longest search token, in characters (code points), whose
// matches are counted in artisan_search_counts. Migration 17 and searchCountsSQL list the
// same lengths.
const artisanCountedPrefix = 4

// artisanSearchCount is one row of artisan_search_counts.
type artisanSearchCount struct {
	bun.BaseModel `bun:"table:artisan_search_counts"`

	District string `bun:"district,pk"`
	Prefix   string `bun:"prefix,pk"`
	N        int64  `bun:"n"`
}

// artisanCountedPrefixes returns, once each, the counted prefixes an artisan with these
// search terms matches: what artisanTermCondition would match for a token of up to
// artisanCountedPrefix characters. A plain term matches each of its beginnings; a marked
// inner suffix matches its beginnings of artisanMinPartial characters or more.
func artisanCountedPrefixes(terms []string) []string {
	var out []string
	for _, term := range terms {
		word, minLen := term, 1
		if rest, ok := strings.CutPrefix(term, artisanSuffixMark); ok {
			word, minLen = rest, artisanMinPartial
		}
		n := 0
		for off, r := range word {
			n++
			if n > artisanCountedPrefix {
				break
			}
			if n >= minLen {
				out = append(out, word[:off+utf8.RuneLen(r)])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// searchCountKey is a row of artisan_search_counts.
type searchCountKey struct{ district, prefix string }

// SearchCountTally adds up artisan_search_counts for artisans written by other means than
// the app (the generator, a bulk load), one artisan at a time.
type SearchCountTally struct{ n map[searchCountKey]int64 }

// NewSearchCountTally returns an empty tally.
func NewSearchCountTally() *SearchCountTally {
	return &SearchCountTally{n: map[searchCountKey]int64{}}
}

// Add counts one artisan of district with these search terms (all of its terms, in any
// order, repeats allowed).
func (t *SearchCountTally) Add(district string, terms []string) { t.add(district, terms, 1) }

func (t *SearchCountTally) add(district string, terms []string, sign int64) {
	for _, p := range artisanCountedPrefixes(terms) {
		t.n[searchCountKey{district, p}] += sign
	}
}

// Replace writes the tally as the whole of artisan_search_counts, in one transaction.
func (t *SearchCountTally) Replace(ctx context.Context, db *bun.DB) error {
	return replaceRollup(ctx, db, "artisan_search_counts", t.move)
}

// move adds the tally to artisan_search_counts. The rows are written in key order, so
// two transactions moving the same counts lock them in the same order (no deadlock).
func (t *SearchCountTally) move(ctx context.Context, tx bun.IDB) error {
	rows := make([]artisanSearchCount, 0, len(t.n))
	for k, n := range t.n {
		if n != 0 {
			rows = append(rows, artisanSearchCount{District: k.district, Prefix: k.prefix, N: n})
		}
	}
	slices.SortFunc(rows, func(a, b artisanSearchCount) int {
		return cmp.Or(strings.Compare(a.District, b.District), strings.Compare(a.Prefix, b.Prefix))
	})
	for chunk := range slices.Chunk(rows, 1000) {
		_, err := tx.NewInsert().Model(&chunk).ModelTableExpr("artisan_search_counts").On("CONFLICT (district, prefix) DO UPDATE").
			Set("n = artisan_search_counts.n + EXCLUDED.n").Exec(ctx)
		if err != nil {
			return fmt.Errorf("artisans: search counts: %w", err)
		}
	}
	return nil
}

// untallyStoredTerms subtracts from the tally the artisans' search terms as stored, before
// writeArtisanTerms replaces them.
func (t *SearchCountTally) untallyStoredTerms(ctx context.Context, tx bun.IDB, ids []int64) error {
	var stored []ArtisanSearchTerm
	err := tx.NewSelect().Model(&stored).Column("artisan_id", "district", "term").
		Where("artisan_id IN (?)", bun.In(ids)).OrderExpr("artisan_id").Scan(ctx)
	if err != nil {
		return fmt.Errorf("artisans: read search terms: %w", err)
	}
	for start := 0; start < len(stored); {
		end := start + 1
		for end < len(stored) && stored[end].ArtisanID == stored[start].ArtisanID {
			end++
		}
		terms := make([]string, 0, end-start)
		for _, s := range stored[start:end] {
			terms = append(terms, s.Term)
		}
		t.add(stored[start].District, terms, -1)
		start = end
	}
	return nil
}

// RebuildSearchCounts recounts artisan_search_counts from artisan_search_terms, for a
// database whose terms were written directly (the generator, migration 17), and replaces
// the counts in one transaction. It reads the terms once, in the table's own order (on
// PostgreSQL the heap is in term order, so reading by artisan would visit every page per
// batch; one sorted read would stall past the driver's read timeout), holding each
// artisan's terms as small numbers: about 100 MB at 1,000,000 artisans.
func RebuildSearchCounts(ctx context.Context, db *bun.DB) error {
	var maxID int64
	if err := db.NewSelect().Table("artisan_search_terms").ColumnExpr("COALESCE(MAX(artisan_id), 0)").Scan(ctx, &maxID); err != nil {
		return fmt.Errorf("artisans: read search terms: %w", err)
	}
	rows, err := db.QueryContext(ctx, "SELECT artisan_id, district, term FROM artisan_search_terms")
	if err != nil {
		return fmt.Errorf("artisans: read search terms: %w", err)
	}
	held, err := holdTermRows(rows, maxID)
	if err != nil {
		return err
	}
	return held.tally().Replace(ctx, db)
}

// heldTerms are the search terms of every artisan, interned: terms[id] and districts[id]
// number into termNames and districtNames.
type heldTerms struct {
	termNames, districtNames []string
	terms                    [][]int32
	districts                []int32
}

func holdTermRows(rows *sql.Rows, maxID int64) (*heldTerms, error) {
	defer rows.Close()
	h := &heldTerms{terms: make([][]int32, maxID+1), districts: make([]int32, maxID+1)}
	termIDs, districtIDs := map[string]int32{}, map[string]int32{}
	intern := func(ids map[string]int32, names *[]string, s string) int32 {
		id, ok := ids[s]
		if !ok {
			id = int32(len(*names))
			ids[s] = id
			*names = append(*names, s)
		}
		return id
	}
	var (
		id             int64
		district, term string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &district, &term); err != nil {
			return nil, fmt.Errorf("artisans: read search terms: %w", err)
		}
		if id < 0 || id > maxID {
			return nil, fmt.Errorf("artisans: read search terms: artisan %d beyond %d", id, maxID)
		}
		h.terms[id] = append(h.terms[id], intern(termIDs, &h.termNames, term))
		h.districts[id] = intern(districtIDs, &h.districtNames, district)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("artisans: read search terms: %w", err)
	}
	return h, nil
}

// tally counts each artisan's prefixes once.
func (h *heldTerms) tally() *SearchCountTally {
	t := NewSearchCountTally()
	var terms []string
	for id, ids := range h.terms {
		if len(ids) == 0 {
			continue
		}
		terms = terms[:0]
		for _, tid := range ids {
			terms = append(terms, h.termNames[tid])
		}
		t.Add(h.districtNames[h.districts[id]], terms)
	}
	return t
}

// searchCountsSQL recounts artisan_search_counts from the terms in SQL: the check of the
// counts the app keeps (and RebuildSearchCounts fills), by a second way of counting.
const searchCountsSQL = `SELECT district, prefix, COUNT(*) AS n FROM (
	SELECT DISTINCT district, artisan_id, prefix FROM (
		SELECT district, artisan_id, substr(term, 1, 1) AS prefix FROM artisan_search_terms WHERE substr(term, 1, 1) <> '*'
		UNION ALL SELECT district, artisan_id, substr(term, 1, 2) FROM artisan_search_terms WHERE substr(term, 1, 1) <> '*' AND length(term) >= 2
		UNION ALL SELECT district, artisan_id, substr(term, 1, 3) FROM artisan_search_terms WHERE substr(term, 1, 1) <> '*' AND length(term) >= 3
		UNION ALL SELECT district, artisan_id, substr(term, 1, 4) FROM artisan_search_terms WHERE substr(term, 1, 1) <> '*' AND length(term) >= 4
		UNION ALL SELECT district, artisan_id, substr(term, 2, 3) FROM artisan_search_terms WHERE substr(term, 1, 1) = '*' AND length(term) >= 4
		UNION ALL SELECT district, artisan_id, substr(term, 2, 4) FROM artisan_search_terms WHERE substr(term, 1, 1) = '*' AND length(term) >= 5
	) AS prefixes
) AS distinct_prefixes GROUP BY district, prefix`

// SearchCountDrift is a district and prefix whose kept count differs from a recount.
type SearchCountDrift struct {
	District string `bun:"district"`
	Prefix   string `bun:"prefix"`
	Kept     int64  `bun:"kept"`
	Actual   int64  `bun:"actual"`
}

// SearchCountsDrift compares artisan_search_counts with a recount from the terms, in one
// statement. It is empty unless the terms were written bypassing writeArtisanTerms.
func SearchCountsDrift(ctx context.Context, db bun.IDB) ([]SearchCountDrift, error) {
	var out []SearchCountDrift
	err := db.NewRaw("SELECT district, prefix, SUM(kept) AS kept, SUM(actual) AS actual FROM ("+
		"SELECT district, prefix, n AS kept, 0 AS actual FROM artisan_search_counts "+
		"UNION ALL SELECT district, prefix, 0, n FROM ("+searchCountsSQL+") AS recount"+
		") AS both_sides GROUP BY district, prefix HAVING SUM(kept) <> SUM(actual) ORDER BY district, prefix").
		Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("artisans: search count drift: %w", err)
	}
	return out, nil
}

// countedToken returns the search's one name token when its matches are counted in
// artisan_search_counts.
func (sr artisanSearch) countedToken() (string, bool) {
	if len(sr.names) != 1 || utf8.RuneCountInString(sr.names[0]) > artisanCountedPrefix {
		return "", false
	}
	return sr.names[0], true
}

// countCounted reads, in one statement, the kept number of artisans matching a counted
// token in scope and district, and the number of artisans there (of status, when given).
func countCounted(ctx context.Context, db bun.IDB, scope Scope, district, status, token string) (matches, rows int64, err error) {
	m := scope.Apply(db.NewSelect().Table("artisan_search_counts").ColumnExpr("COALESCE(SUM(n), 0)"), "district").
		Where("prefix = ?", token)
	r := scope.Apply(db.NewSelect().Table("artisan_counts").ColumnExpr("COALESCE(SUM(n), 0)"), "district")
	if district != "" {
		m, r = m.Where("district = ?", district), r.Where("district = ?", district)
	}
	if status != "" {
		r = r.Where("status = ?", status)
	}
	err = db.NewSelect().ColumnExpr("(?) AS matches, (?) AS all_rows", m, r).Scan(ctx, &matches, &rows)
	if err != nil {
		return 0, 0, fmt.Errorf("artisans: search counts: %w", err)
	}
	return matches, rows, nil
}
