package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// ArtisanImportMaxRows caps one CreateMany call, so one transaction stays reasonable.
const ArtisanImportMaxRows = 100000

// RowError is a problem with one field of one row of a bulk input. Row counts from 1 in
// the order of the rows given; Key and Args are a catalogue message, as in Invalid.
type RowError struct {
	Row   int               `json:"row"`
	Field string            `json:"field"`
	Key   string            `json:"key"`
	Args  map[string]string `json:"args,omitempty"`
}

// RowErrors lists every problem of a bulk input, by row and field. It travels inside an
// EINVALID *Error; errors.As(err, &rowErrs) gets it back.
type RowErrors []RowError

func (r RowErrors) Error() string {
	parts := make([]string, 0, min(len(r), 5))
	for i, e := range r {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(r)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("row %d %s: %s", e.Row, e.Field, e.Key))
	}
	return strings.Join(parts, "; ")
}

// ArtisanImportResult tells what CreateMany did: the records it created (ids in row order)
// and the rows it skipped because the artisan is registered already.
type ArtisanImportResult struct {
	Created     int     `json:"created"`
	Present     int     `json:"present"`
	IDs         []int64 `json:"ids"`
	PresentRows []int   `json:"present_rows"`
}

// CreateMany saves many new artisans as drafts in one transaction, for the importer. It
// validates every row first and either saves all of them or returns an EINVALID error
// holding RowErrors with nothing saved. It is idempotent: a row is skipped as present when
// its Aadhaar is registered already or, without Aadhaar, when its district, mobile and
// name are (also within the rows given), so importing a file twice creates nothing new.
// A row with the same mobile and a similar name in its district fails with
// artisan.possible_duplicate unless it carries ConfirmDuplicate. It needs artisan:import
// in each row's district.
func (s *Artisans) CreateMany(ctx context.Context, actor Actor, rows []ArtisanInput) (*ArtisanImportResult, error) {
	if len(rows) > ArtisanImportMaxRows {
		return nil, Errorf(EINVALID, artisanKeyImportTooMany, "max", strconv.Itoa(ArtisanImportMaxRows))
	}
	rows = slices.Clone(rows)
	for i := range rows {
		rows[i].normalize()
	}
	return s.createNormalized(ctx, actor, rows)
}

// createNormalized is CreateMany for rows normalized already, which it takes over: it
// clears each row once its record is built, so that an import holds the text of a row
// once, in the row or in its record, and each record only until it is written. Its
// RowErrors come from its plan, before any row is cleared. The import job passes the
// rows its check normalized.
func (s *Artisans) createNormalized(ctx context.Context, actor Actor, rows []ArtisanInput) (*ArtisanImportResult, error) {
	res := &ArtisanImportResult{IDs: []int64{}, PresentRows: []int{}}
	if len(rows) > ArtisanImportMaxRows {
		return nil, Errorf(EINVALID, artisanKeyImportTooMany, "max", strconv.Itoa(ArtisanImportMaxRows))
	}
	if s.scope(actor, "import").Empty() {
		return nil, ErrForbidden
	}
	if len(rows) == 0 {
		return res, nil
	}
	err := runImportTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		plan, err := s.planImport(ctx, tx, actor, rows)
		if err != nil {
			return err
		}
		res.PresentRows = plan.present
		res.Present = len(plan.present)
		if len(plan.create) == 0 {
			return nil
		}
		ids, err := s.insertMany(ctx, tx, actor, plan, rows)
		if err != nil {
			return err
		}
		res.IDs, res.Created = ids, len(ids)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// artisanImportPlan is what a valid import will do. The records are built as they are
// written (insertMany), not when planned: 100,000 of them at once were a quarter of an
// import's memory.
type artisanImportPlan struct {
	create  []int // indexes of the rows to create, in row order
	present []int // row numbers
	refs    *artisanRefs
}

// artisanSeen is an existing record, or one to be created, as duplicate checks see it.
type artisanSeen struct {
	id       int64
	row      int // row number when it comes from this import
	district string
	mobile   string
	nameKey  string
	display  string
	inactive bool
}

// planImport validates every row and decides which to create and which are present.
func (s *Artisans) planImport(ctx context.Context, tx bun.IDB, actor Actor, rows []ArtisanInput) (*artisanImportPlan, error) {
	refs, err := loadArtisanRefs(ctx, tx, artisanOrgIDs(rows...))
	if err != nil {
		return nil, err
	}
	var problems RowErrors
	addInvalid := func(row int, v Invalid) {
		for field, m := range v {
			problems = append(problems, RowError{Row: row, Field: field, Key: m.Key, Args: m.Args})
		}
	}
	today := artisanToday()
	valid := make([]bool, len(rows))
	for i := range rows {
		v := Invalid{}
		validateArtisan(v, &rows[i], refs, today, nil)
		if d := rows[i].District; refs.districts[d] && !s.can(actor, d, "import") {
			v.Add("district", artisanKeyDistrictDenied)
		}
		addInvalid(i+1, v)
		valid[i] = len(v) == 0
	}

	hashes := make([]string, len(rows))
	var mobiles []string
	for i, in := range rows {
		if valid[i] && in.Aadhaar != "" {
			hashes[i] = s.aadhaarHash(in.Aadhaar)
		}
		mobiles = append(mobiles, in.Mobile)
	}
	byHash, byMobile, err := s.existingForImport(ctx, tx, hashes, mobiles)
	if err != nil {
		return nil, err
	}

	plan := &artisanImportPlan{refs: refs}
	batchHash := map[string]bool{}
	closedMonths := map[string]*Message{} // district → refusal, nil when its month is open
	for i := range rows {
		in, row := &rows[i], i+1
		if !valid[i] {
			continue
		}
		nameKey := ArtisanNameKey(in.Name)
		same := byMobile[in.District+"|"+in.Mobile]
		if h := hashes[i]; h != "" {
			if byHash[h] != nil || batchHash[h] {
				plan.present = append(plan.present, row)
				continue
			}
		} else if slices.ContainsFunc(same, func(o *artisanSeen) bool { return o.nameKey == nameKey }) {
			plan.present = append(plan.present, row)
			continue
		}
		if !in.ConfirmDuplicate {
			if j := slices.IndexFunc(same, func(o *artisanSeen) bool {
				return !o.inactive && artisanSimilarNames(o.nameKey, nameKey)
			}); j >= 0 {
				o := same[j]
				m := Msg(artisanKeyPossibleDup, "row", strconv.Itoa(o.row))
				switch {
				case o.row > 0: // an earlier row of this import
				case s.can(actor, o.district, "read"):
					m = Msg(artisanKeyPossibleDup, "existing", o.display)
				default:
					m = Msg(artisanKeyPossibleDup)
				}
				problems = append(problems, RowError{Row: row, Field: "name", Key: m.Key, Args: m.Args})
				continue
			}
		}
		if m, err := registrationRefusal(ctx, tx, closedMonths, in.District); err != nil {
			return nil, err
		} else if m != nil {
			problems = append(problems, RowError{Row: row, Field: "district", Key: m.Key, Args: m.Args})
			continue
		}
		plan.create = append(plan.create, i)
		if h := hashes[i]; h != "" {
			batchHash[h] = true
		}
		key := in.District + "|" + in.Mobile
		byMobile[key] = append(byMobile[key], &artisanSeen{row: row, district: in.District, mobile: in.Mobile, nameKey: nameKey})
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b RowError) int {
			return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.Field, b.Field))
		})
		bad := map[int]bool{}
		for _, p := range problems {
			bad[p.Row] = true
		}
		return nil, &Error{Code: EINVALID, Message: Msg(artisanKeyImportInvalid, "rows", strconv.Itoa(len(bad))),
			Err: problems}
	}
	return plan, nil
}

// existingForImport finds the records sharing an Aadhaar hash or a mobile with the rows:
// by hash, and by district|mobile.
func (s *Artisans) existingForImport(ctx context.Context, tx bun.IDB, hashes, mobiles []string) (map[string]*artisanSeen, map[string][]*artisanSeen, error) {
	byHash := map[string]*artisanSeen{}
	byMobile := map[string][]*artisanSeen{}
	seen := func(a *Artisan) *artisanSeen {
		return &artisanSeen{id: a.ID, district: a.District, mobile: a.Mobile, nameKey: a.NameKey,
			display: a.display(), inactive: a.Status == ArtisanInactive}
	}
	hs := slices.DeleteFunc(slices.Clone(hashes), func(h string) bool { return h == "" })
	for chunk := range slices.Chunk(artisanUnique(hs), 500) {
		var found []Artisan
		if err := tx.NewSelect().Model(&found).Column("id", "registration_no", "district", "aadhaar_hash").
			Where("aadhaar_hash IN (?)", bun.In(chunk)).Scan(ctx); err != nil {
			return nil, nil, fmt.Errorf("artisans: import: find aadhaar: %w", err)
		}
		for i := range found {
			byHash[*found[i].AadhaarHash] = seen(&found[i])
		}
	}
	ms := slices.DeleteFunc(slices.Clone(mobiles), func(m string) bool { return m == "" })
	for chunk := range slices.Chunk(artisanUnique(ms), 500) {
		var found []Artisan
		if err := tx.NewSelect().Model(&found).Column("id", "registration_no", "district", "mobile", "name_key", "status").
			Where("mobile IN (?)", bun.In(chunk)).OrderExpr("id").Scan(ctx); err != nil {
			return nil, nil, fmt.Errorf("artisans: import: find mobile: %w", err)
		}
		for i := range found {
			key := found[i].District + "|" + found[i].Mobile
			byMobile[key] = append(byMobile[key], seen(&found[i]))
		}
	}
	return byHash, byMobile, nil
}

// importSaveChunk is how many records insertMany builds and writes, with their crafts,
// events and audit entries, before building the next ones: what is built per record (the
// record itself, the audit entry's JSON above all) is held for one chunk, not for the
// whole import.
const importSaveChunk = 2000

// insertMany builds the planned records from their rows, clearing each row, and writes
// them with everything that goes with them, chunk by chunk in multi-row statements, then
// their search terms, and moves the counts once. It returns the new ids in row order.
func (s *Artisans) insertMany(ctx context.Context, tx bun.IDB, actor Actor, plan *artisanImportPlan, rows []ArtisanInput) ([]int64, error) {
	ids := make([]int64, 0, len(plan.create))
	counts := map[[2]string]int64{}
	// The search terms of the whole import go in one pass, in the index's order, after the
	// records: written chunk by chunk they landed all over the index again for every chunk.
	terms := newArtisanTermRows(len(plan.create))
	as := make([]*Artisan, 0, importSaveChunk)
	for chunk := range slices.Chunk(plan.create, importSaveChunk) {
		as = as[:0]
		for _, i := range chunk {
			as = append(as, s.newArtisan(actor, &rows[i], plan.refs))
			rows[i] = ArtisanInput{}
		}
		if err := s.insertManyChunk(ctx, tx, actor, as); err != nil {
			return nil, err
		}
		for _, a := range as {
			ids = append(ids, a.ID)
			counts[[2]string{a.District, a.Status}]++
			terms.add(a)
		}
		if len(ids) == len(as) { // after the first chunk: the rest will be like it
			terms.reserve(len(plan.create) - len(ids))
		}
	}
	clear(as)
	if err := terms.write(ctx, tx); err != nil {
		return nil, err
	}
	// In key order, so that concurrent writers lock the count rows in the same order.
	for _, k := range slices.SortedFunc(maps.Keys(counts), func(a, b [2]string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]))
	}) {
		if err := addArtisanCount(ctx, tx, k[0], k[1], counts[k]); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// insertManyChunk writes one chunk of new records with their crafts, first events and
// audit entries.
func (s *Artisans) insertManyChunk(ctx context.Context, tx bun.IDB, actor Actor, as []*Artisan) error {
	for chunk := range slices.Chunk(as, 1000) {
		if err := insertArtisanChunk(ctx, tx, chunk); err != nil {
			return err
		}
	}
	events := make([]*ArtisanEvent, 0, len(as))
	audits := make([]*AuditEntry, 0, len(as))
	for _, a := range as {
		events = append(events, newArtisanEvent(actor, a, "", "import", "", ""))
		// What RecordAudit writes, built here so a thousand entries go in one statement.
		after, err := marshalAudit(publicArtisan(a))
		if err != nil {
			return err
		}
		e := &AuditEntry{At: Now(), ActorName: actor.Username, Entity: artisanObject, EntityID: idString(a.ID),
			Action: "import", District: a.District, After: after, IP: actor.IP}
		if actor.UserID != 0 {
			id := actor.UserID
			e.ActorID = &id
		}
		audits = append(audits, e)
	}
	if err := writeArtisanCrafts(ctx, tx, as...); err != nil {
		return err
	}
	for chunk := range slices.Chunk(events, 1000) {
		// With their ids (RETURNING), which the reports' roll-up of status changes keeps.
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return fmt.Errorf("artisans: import: events: %w", err)
		}
	}
	if err := AddNewArtisansStatusMonths(ctx, tx, as, events); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, audits...); err != nil {
		return fmt.Errorf("artisans: import: %w", err)
	}
	return nil
}

// insertArtisanChunk inserts new records in one statement and gives each its id. Neither
// database promises RETURNING rows in the order of VALUES, so each returned id is matched
// back by what identifies the record within one import: its Aadhaar hash, or without one
// its district, mobile and name (planImport lets no two rows share either).
func insertArtisanChunk(ctx context.Context, tx bun.IDB, chunk []*Artisan) error {
	identity := func(hash *string, district, mobile, nameKey string) string {
		if hash != nil {
			return "h:" + *hash
		}
		return "k:" + district + "|" + mobile + "|" + nameKey
	}
	byIdentity := make(map[string]*Artisan, len(chunk))
	for _, a := range chunk {
		byIdentity[identity(a.AadhaarHash, a.District, a.Mobile, a.NameKey)] = a
	}
	var ret []struct {
		ID          int64   `bun:"id"`
		AadhaarHash *string `bun:"aadhaar_hash"`
		District    string  `bun:"district"`
		Mobile      string  `bun:"mobile"`
		NameKey     string  `bun:"name_key"`
	}
	err := tx.NewInsert().Model(&chunk).Returning("id, aadhaar_hash, district, mobile, name_key").Scan(ctx, &ret)
	if err != nil {
		if IsUniqueViolation(err) {
			return Errorf(ECONFLICT, artisanKeyDupAadhaar)
		}
		return fmt.Errorf("artisans: import: insert: %w", err)
	}
	for _, r := range ret {
		a := byIdentity[identity(r.AadhaarHash, r.District, r.Mobile, r.NameKey)]
		if a == nil || a.ID != 0 {
			return fmt.Errorf("artisans: import: cannot match inserted row %d", r.ID)
		}
		a.ID = r.ID
	}
	if len(ret) != len(chunk) {
		return fmt.Errorf("artisans: import: %d rows inserted, %d returned", len(chunk), len(ret))
	}
	return nil
}

func artisanUnique(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}

// registrationRefusal applies single create's month-close rule to a record imported into
// district: the message refusing it when the month it is registered in is closed there,
// or nil. Every record of an import registers now, so each district is asked once.
func registrationRefusal(ctx context.Context, db bun.IDB, asked map[string]*Message, district string) (*Message, error) {
	if m, ok := asked[district]; ok {
		return m, nil
	}
	err := checkRegistrationOpen(ctx, db, nil, &Artisan{District: district, CreatedAt: Now()})
	var refused *Error
	switch {
	case errors.As(err, &refused) && refused.Code == EINVALID:
		m := refused.Fields["district"]
		asked[district] = &m
	case err != nil:
		return nil, err
	default:
		asked[district] = nil
	}
	return asked[district], nil
}
