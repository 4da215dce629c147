package app

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// Lists read many artisans per request, and bun's reflective scan cost more than the
// query itself (a CPU profile put 55 % of the list handler in it). List pages therefore
// name their columns and scan them straight into the record's fields through
// database/sql; bun still builds the query, with the same filters and scope.

// artisanRowColumns are the columns of an Artisan, in the order scanArtisanRow reads
// them, with its other crafts last (artisanCraftsColumn).
var artisanRowColumns = strings.Join([]string{
	"a.id", "a.registration_no", "a.name", "a.name_key", "a.name_hi", "a.relative_name", "a.gender",
	"a.date_of_birth", "a.social_category", "a.disability", "a.mobile", "a.aadhaar_last4", "a.aadhaar_hash",
	"a.district", "a.tehsil", "a.village", "a.pin_code", "a.primary_craft", "c.sector", "a.years_in_craft",
	"a.pehchan_id", "a.weaver_id", "a.udyam", "a.pan", "a.gstin", "a.bank_account", "a.ifsc",
	"a.organisation_id", "a.status", "a.status_changed_at", "a.deactivation_reason", "a.deactivation_note",
	"a.merged_into", "a.version", "a.created_at", "a.updated_at", "a.created_by",
}, ", ")

// artisanCraftsColumn lists an artisan's other crafts in one column, in craft order and
// separated by commas (craft slugs hold none), so that a page needs no second query for
// them: on PostgreSQL that query was a round trip of its own.
func artisanCraftsColumn(pg bool) string {
	agg := "group_concat(ac.craft, ',' ORDER BY ac.craft)"
	if pg {
		agg = "string_agg(ac.craft, ',' ORDER BY ac.craft)"
	}
	return "(SELECT " + agg + " FROM artisan_crafts AS ac WHERE ac.artisan_id = a.id)"
}

// artisanListColumns is what a list page selects of each artisan.
func artisanListColumns(db bun.IDB) string {
	return artisanRowColumns + ", " + artisanCraftsColumn(IsPostgres(db))
}

// selectArtisanRows starts a query over artisans (aliased "a") joined with their craft
// (aliased "c"), limited to the actor's read scope; the caller names the columns.
func (s *Artisans) selectArtisanRows(actor Actor) *bun.SelectQuery {
	q := s.DB.NewSelect().TableExpr("artisans AS a").Join("JOIN crafts AS c ON c.slug = a.primary_craft")
	return s.scope(actor, "read").Apply(q, "a.district")
}

// listRows reads the rows of a page query (ordered and limited to n rows). When the page
// is picked from more matching ids than it shows, it is picked by id alone first, so that
// the sort carries the sort key and id of each match instead of every column (a common
// name prefix matches hundreds), and only the page's rows are read whole.
func (s *Artisans) listRows(ctx context.Context, actor Actor, q *bun.SelectQuery, n int, sr artisanSearch) ([]Artisan, error) {
	if !sr.resolved || len(sr.ids) <= n {
		return queryArtisanRows(ctx, s.DB, q.ColumnExpr(artisanListColumns(s.DB)), n)
	}
	var ids []int64
	if err := q.ColumnExpr("a.id").Scan(ctx, &ids); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return []Artisan{}, nil
	}
	rows, err := queryArtisanRows(ctx, s.DB, s.selectArtisanRows(actor).ColumnExpr(artisanListColumns(s.DB)).
		Where("a.id IN (?)", bun.In(ids)), len(ids))
	if err != nil {
		return nil, err
	}
	order := make(map[int64]int, len(ids))
	for i, id := range ids {
		order[id] = i
	}
	slices.SortFunc(rows, func(x, y Artisan) int { return order[x.ID] - order[y.ID] })
	return rows, nil
}

// queryArtisanRows runs a query started by selectArtisanRows and scans its rows.
func queryArtisanRows(ctx context.Context, db *bun.DB, q *bun.SelectQuery, capacity int) ([]Artisan, error) {
	query, err := q.AppendQuery(db.QueryGen(), nil)
	if err != nil {
		return nil, err
	}
	rows, err := db.DB.QueryContext(ctx, string(query))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Artisan, 0, capacity)
	for rows.Next() {
		out = append(out, Artisan{})
		if err := scanArtisanRow(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// scanArtisanRow reads one row of artisanListColumns into a, then the row's extra
// columns into extra. Both drivers return the timestamp columns as time.Time and SQLite's
// booleans as 0 or 1, which database/sql converts.
func scanArtisanRow(rows *sql.Rows, a *Artisan, extra ...any) error {
	var crafts sql.NullString
	dest := append([]any{&a.ID, &a.RegistrationNo, &a.Name, &a.NameKey, &a.NameHi, &a.RelativeName, &a.Gender,
		&a.DateOfBirth, &a.SocialCategory, &a.Disability, &a.Mobile, &a.AadhaarLast4, &a.AadhaarHash,
		&a.District, &a.Tehsil, &a.Village, &a.PINCode, &a.PrimaryCraft, &a.Sector, &a.YearsInCraft,
		&a.PehchanID, &a.WeaverID, &a.Udyam, &a.PAN, &a.GSTIN, &a.BankAccount, &a.IFSC,
		&a.OrganisationID, &a.Status, &a.StatusChangedAt, &a.DeactivationReason, &a.DeactivationNote,
		&a.MergedInto, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.CreatedBy, &crafts}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return fmt.Errorf("artisans: scan: %w", err)
	}
	a.Crafts = []string{}
	if crafts.String != "" {
		a.Crafts = strings.Split(crafts.String, ",")
	}
	return nil
}
