package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// Search works the same on SQLite and PostgreSQL because it uses nothing either lacks:
// artisan_search_terms holds, per artisan, each lower-cased word of the names (with the
// artisan's district, so a search is scoped and counted from the index alone), and a
// prefix search is a range scan term >= p AND term < p+U+10FFFF on its primary key. Words
// are compared by code point (COLLATE "C" on PostgreSQL), so Hindi "कि" (क + ि) matches
// किशन but not कीमत (क + ी), where a tokenizer that splits at vowel signs would match both.
//
// Partial matches (a substring inside a word of the name) use the same range scan over the
// word's inner suffixes, stored with the mark "*" in front so they never answer a word
// prefix query. Only suffixes of at least artisanMinPartial characters are stored and
// searched: shorter fragments match too much to help, and the index stays small.
//
// A token of digits is a mobile number and one starting "RJ-" a registration number; both
// are range scans on the artisans table's own indexes, not terms.

// ArtisanSearchTerm is one row of the search index.
type ArtisanSearchTerm struct {
	bun.BaseModel `bun:"table:artisan_search_terms"`

	Term      string    `bun:"term,pk"`
	District  string    `bun:"district,pk"`
	ArtisanID int64     `bun:"artisan_id,pk"`
	CreatedAt time.Time `bun:"created_at"` // the artisan's, for the newest-first page
}

const (
	artisanSuffixMark = "*"
	artisanMinPartial = 3
	artisanMaxTokens  = 6
	// artisanTermEnd is above every character a term can hold (terms hold only letters,
	// marks and digits), so prefix+artisanTermEnd bounds every term starting with prefix,
	// including those continuing with characters outside the Basic Multilingual Plane.
	// The columns compared with it are byte-ordered on both databases (COLLATE "C").
	artisanTermEnd = "\U0010FFFF"
)

// ArtisanSearchTerms returns the search index terms of a record, sorted. Seeds and
// benchmarks that bulk-load artisans use it to fill artisan_search_terms.
func ArtisanSearchTerms(a *Artisan) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for i, text := range []string{a.Name, a.NameHi, a.RelativeName} {
		for _, w := range artisanWords(text) {
			add(w)
			if i < 2 { // partial matching is for the artisan's own name
				for _, s := range artisanInnerSuffixes(w) {
					add(artisanSuffixMark + s)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// artisanWords splits text into lower-cased words of letters, combining marks and digits
// (Devanagari digits read as ASCII ones).
func artisanWords(text string) []string {
	text = strings.Map(devanagariToASCII, strings.ToLower(norm.NFC.String(text)))
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r)
	})
}

// artisanInnerSuffixes returns the suffixes of word that start after its first character,
// at a character that is not a combining mark (a vowel sign cannot begin a syllable), and
// are at least artisanMinPartial characters long.
func artisanInnerSuffixes(word string) []string {
	var out []string
	n := utf8.RuneCountInString(word)
	i := 0
	for off, r := range word {
		if i > 0 && n-i >= artisanMinPartial && !unicode.IsMark(r) {
			out = append(out, word[off:])
		}
		i++
	}
	return out
}

// artisanSearch is a search split into what each token is matched against; every token
// must match.
type artisanSearch struct {
	names   []string // words of a name, matched in artisan_search_terms
	mobiles []string // digits: the beginning of a mobile number
	regs    []string // "RJ-...": the beginning of a registration number

	// How the page query finds the name matches, settled by Artisans.count.
	resolved bool    // ids holds every match
	ids      []int64 // the matches, when resolved
	probe    bool    // check each row of the list order against its own terms
	newest   bool    // the page newest first from the terms alone (listNewest)
}

func (sr artisanSearch) empty() bool { return len(sr.names)+len(sr.mobiles)+len(sr.regs) == 0 }

// parseArtisanSearch reads a search box: words of a name, a registration number
// ("RJ-JAIPUR-2026-000123" or its beginning) or a mobile number typed with spaces or +91.
// A search of punctuation alone has no token and filters nothing.
func parseArtisanSearch(q string) artisanSearch {
	var sr artisanSearch
	q = strings.TrimSpace(q)
	if q == "" {
		return sr
	}
	if m := NormalizeMobile(q); allASCIIDigits(m) {
		sr.mobiles = []string{m}
		return sr
	}
	var tokens []string
	for _, f := range strings.Fields(strings.ToLower(norm.NFC.String(q))) {
		if strings.HasPrefix(f, "rj-") {
			tokens = append(tokens, f)
			continue
		}
		tokens = append(tokens, artisanWords(f)...)
	}
	slices.Sort(tokens)
	tokens = slices.Compact(tokens)
	if len(tokens) > artisanMaxTokens {
		tokens = tokens[:artisanMaxTokens]
	}
	for _, t := range tokens {
		switch {
		case allASCIIDigits(t):
			sr.mobiles = append(sr.mobiles, t)
		case strings.HasPrefix(t, "rj-"):
			sr.regs = append(sr.regs, NormalizeUpper(t))
		default:
			sr.names = append(sr.names, t)
		}
	}
	return sr
}

// termCondition restricts a query over artisan_search_terms to the terms a name token
// matches: words starting with it and, from artisanMinPartial characters on, words
// containing it.
func artisanTermCondition(q *bun.SelectQuery, t string) *bun.SelectQuery {
	if utf8.RuneCountInString(t) < artisanMinPartial {
		return q.Where("term >= ? AND term < ?", t, t+artisanTermEnd)
	}
	p := artisanSuffixMark + t
	return q.Where("((term >= ? AND term < ?) OR (term >= ? AND term < ?))", t, t+artisanTermEnd, p, p+artisanTermEnd)
}

// apply restricts q (artisans aliased "a") to the artisans matching every token. The
// name matches are found as sr says: as a list of ids, by probing (each row q walks in
// its own order is checked against the artisan's own terms, a short seek on
// artisan_search_terms_artisan_idx, much faster than collecting every match first when
// they are many), or by the search index driving the query.
func (sr artisanSearch) apply(db bun.IDB, q *bun.SelectQuery) *bun.SelectQuery {
	for _, m := range sr.mobiles {
		q = q.Where("a.mobile >= ? AND a.mobile < ?", m, m+artisanTermEnd)
	}
	for _, r := range sr.regs {
		q = q.Where("a.registration_no >= ? AND a.registration_no < ?", r, r+artisanTermEnd)
	}
	switch {
	case len(sr.names) == 0:
		return q
	case sr.resolved && len(sr.ids) == 0:
		return q.Where("1 = 0")
	case sr.resolved:
		return q.Where("a.id IN (?)", bun.In(sr.ids))
	case sr.probe:
		for _, t := range sr.names {
			sub := db.NewSelect().TableExpr("artisan_search_terms AS t").ColumnExpr("1").Where("t.artisan_id = a.id")
			q = q.Where("EXISTS (?)", artisanTermCondition(sub, t))
		}
		return q
	default:
		return q.Where("a.id IN (?)", sr.matches(db, Scope{All: true}, ""))
	}
}

// matches selects the ids of the artisans in scope (and district, when given) whose names
// match every name token: one range scan per token, intersected.
func (sr artisanSearch) matches(db bun.IDB, scope Scope, district string) *bun.SelectQuery {
	var out *bun.SelectQuery
	for _, t := range sr.names {
		sub := tokenMatches(db, scope, district, t)
		if out == nil {
			out = sub
		} else {
			out = out.Intersect(sub)
		}
	}
	return out
}

// tokenMatches selects the ids of the artisans in scope (and district) with a term one
// name token matches. The word-prefix range and the inner-piece range are two index range
// scans joined by UNION: written as one WHERE with OR, SQLite read every term of the
// district instead (19 ms instead of 3 ms for "kis" in Jaipur at 100,000 artisans).
func tokenMatches(db bun.IDB, scope Scope, district, t string) *bun.SelectQuery {
	termRange := func(from string) *bun.SelectQuery {
		q := scope.Apply(db.NewSelect().Table("artisan_search_terms").ColumnExpr("DISTINCT artisan_id"), "district")
		if district != "" {
			q = q.Where("district = ?", district)
		}
		return q.Where("term >= ? AND term < ?", from, from+artisanTermEnd)
	}
	if utf8.RuneCountInString(t) < artisanMinPartial {
		return termRange(t)
	}
	both := termRange(t).Union(termRange(artisanSuffixMark + t))
	return db.NewSelect().TableExpr("(?) AS u", both).ColumnExpr("u.artisan_id")
}

// countNames counts, from the search index alone, the artisans in scope (and district,
// when given) whose names match every name token.
func (sr artisanSearch) countNames(ctx context.Context, db bun.IDB, scope Scope, district string) (int64, error) {
	var n int64
	err := db.NewSelect().TableExpr("(?) AS m", sr.matches(db, scope, district)).ColumnExpr("COUNT(*)").Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("artisans: count search: %w", err)
	}
	return n, nil
}

// writeArtisanTerms replaces the search terms of the artisans, and moves the counts of
// artisan_search_counts by the difference, inside the caller's transaction.
func writeArtisanTerms(ctx context.Context, tx bun.IDB, as ...*Artisan) error {
	ids := make([]int64, 0, len(as))
	terms := newArtisanTermRows(len(as))
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	for chunk := range slices.Chunk(ids, 500) {
		if err := terms.moved.untallyStoredTerms(ctx, tx, chunk); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*ArtisanSearchTerm)(nil)).Where("artisan_id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
			return fmt.Errorf("artisans: clear search terms: %w", err)
		}
	}
	for _, a := range as {
		terms.add(a)
	}
	return terms.write(ctx, tx)
}

// writeNewArtisanTerms writes the search terms of artisans inserted in the caller's
// transaction, which have none yet, and adds them to artisan_search_counts: what
// writeArtisanTerms does without reading and deleting the terms it would replace, for the
// import, where writing terms was most of the work.
func writeNewArtisanTerms(ctx context.Context, tx bun.IDB, as ...*Artisan) error {
	terms := newArtisanTermRows(len(as))
	for _, a := range as {
		terms.add(a)
	}
	return terms.write(ctx, tx)
}

// artisanTermsPerInsert is how many rows one INSERT of terms carries. bun writes the
// values into the statement's text, so no limit on bound variables applies; larger
// statements stopped paying off.
const artisanTermsPerInsert = 2000

// artisanTermRows collects the search terms of artisans, with the counts they move, to be
// inserted in one pass. An import of 100,000 artisans collects 1.35 million, so a row is
// compact: its term is a range of one shared text and its artisan an index into owners
// (12 bytes), not a string of its own and a pointer to the record (24 bytes, plus the
// string's allocation, and every record held until the end).
type artisanTermRows struct {
	text   strings.Builder
	rows   []artisanTermRow
	owners []artisanTermOwner
	moved  *SearchCountTally
}

// artisanTermRow is one term: text[start:end] of the artisan owners[owner]. uint32 is
// plenty: an import's terms take about 15 MB of text.
type artisanTermRow struct{ start, end, owner uint32 }

// artisanTermOwner is what a term row repeats of its artisan.
type artisanTermOwner struct {
	id        int64
	district  string
	createdAt time.Time
}

// newArtisanTermRows returns an empty collection, sized for n artisans.
func newArtisanTermRows(n int) *artisanTermRows {
	return &artisanTermRows{owners: make([]artisanTermOwner, 0, n), moved: NewSearchCountTally()}
}

// add collects the terms of a saved artisan (its ID set); the record is not kept.
func (t *artisanTermRows) add(a *Artisan) {
	terms := ArtisanSearchTerms(a)
	owner := uint32(len(t.owners))
	t.owners = append(t.owners, artisanTermOwner{a.ID, a.District, a.CreatedAt})
	for _, term := range terms {
		start := uint32(t.text.Len())
		t.text.WriteString(term)
		t.rows = append(t.rows, artisanTermRow{start, uint32(t.text.Len()), owner})
	}
	t.moved.Add(a.District, terms)
}

// reserve makes room for the terms of n more artisans like those added so far, so that
// an import's rows and text are not copied again and again as they grow, nor left a
// quarter unused.
func (t *artisanTermRows) reserve(n int) {
	if len(t.owners) == 0 {
		return
	}
	more := func(have int) int { return have*n/len(t.owners) + have*n/len(t.owners)/20 } // 5 % to spare
	t.rows = slices.Grow(t.rows, more(len(t.rows)))
	t.text.Grow(more(t.text.Len()))
}

// write inserts the collected terms, with their district and created_at, in multi-row
// statements, and writes the counts they move. The rows go in the table's key order: the
// terms of a batch repeat (Devi, Kumar, Lal), and the new rows of one word then land on
// the same pages of the key and of the district's index, instead of visiting a page of
// each for every row.
func (t *artisanTermRows) write(ctx context.Context, tx bun.IDB) error {
	text := t.text.String()
	term := func(r artisanTermRow) string { return text[r.start:r.end] }
	slices.SortFunc(t.rows, func(x, y artisanTermRow) int {
		ox, oy := &t.owners[x.owner], &t.owners[y.owner]
		return cmp.Or(strings.Compare(term(x), term(y)), strings.Compare(ox.district, oy.district), cmp.Compare(ox.id, oy.id))
	})
	const row = "(?, ?, ?, ?)"
	args := make([]any, 0, 4*min(len(t.rows), artisanTermsPerInsert))
	for chunk := range slices.Chunk(t.rows, artisanTermsPerInsert) {
		args = args[:0]
		for _, r := range chunk {
			o := &t.owners[r.owner]
			args = append(args, term(r), o.district, o.id, o.createdAt)
		}
		stmt := "INSERT INTO artisan_search_terms (term, district, artisan_id, created_at) VALUES " +
			strings.Repeat(row+", ", len(chunk)-1) + row
		if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
			return fmt.Errorf("artisans: search terms: %w", err)
		}
	}
	return t.moved.move(ctx, tx)
}
