package app

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
)

// Statuses of an import job: queued until a worker is free, validating while the file is
// read and every row checked, saving while the rows are written in one transaction, then
// done or failed.
const (
	ImportQueued     = "queued"
	ImportValidating = "validating"
	ImportSaving     = "saving"
	ImportDone       = "done"
	ImportFailed     = "failed"
)

// ImportKindArtisans is the kind of an import of artisans.
const ImportKindArtisans = "artisans"

const (
	importKeyInterrupted  = "imports.error.interrupted"
	importKeyDuplicateRow = "imports.error.duplicate_row" // arg: row (of the sheet)
	importKeyInternal     = "error.internal"
	importObject          = "import"
	// ImportReportMax caps the problems a job keeps for its report; error_count still
	// counts them all. A file wrong in every cell needs fixing before its last row does.
	ImportReportMax = 50000
	// importRedacted stands for an Aadhaar number in a report: never the number itself.
	importRedacted = "[redacted]"
)

// ImportJob is one upload being, or having been, imported.
type ImportJob struct {
	bun.BaseModel `bun:"table:import_jobs,alias:j"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	Kind          string     `bun:"kind" json:"kind"`
	Status        string     `bun:"status" json:"status"`
	FileName      string     `bun:"file_name" json:"file_name"`
	TotalRows     int        `bun:"total_rows" json:"total_rows"`
	DoneRows      int        `bun:"done_rows" json:"done_rows"`
	Created       int        `bun:"created_count" json:"created"`
	Existing      int        `bun:"existing_count" json:"existing"`
	Errors        int        `bun:"error_count" json:"errors"`
	MessageJSON   string     `bun:"message" json:"-"`
	Report        string     `bun:"report" json:"-"`
	CreatedBy     int64      `bun:"created_by" json:"created_by"`
	DistrictScope string     `bun:"district_scope" json:"-"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
	FinishedAt    *time.Time `bun:"finished_at" json:"finished_at"`
}

// Finished reports whether the job has come to an end.
func (j *ImportJob) Finished() bool { return j.Status == ImportDone || j.Status == ImportFailed }

// Message is the problem with the file as a whole (or the interruption) that failed the
// job, or nil when there was none.
func (j *ImportJob) Message() *Message {
	if j.MessageJSON == "" {
		return nil
	}
	var m Message
	if err := json.Unmarshal([]byte(j.MessageJSON), &m); err != nil || m.Key == "" {
		return &Message{Key: importKeyInternal}
	}
	return &m
}

// Problems returns the row-level problems kept for the job's report.
func (j *ImportJob) Problems() ([]ImportProblem, error) {
	if j.Report == "" {
		return nil, nil
	}
	var out []ImportProblem
	if err := json.Unmarshal([]byte(j.Report), &out); err != nil {
		return nil, fmt.Errorf("imports: report of %d: %w", j.ID, err)
	}
	return out, nil
}

// ImportProblem is one problem of one cell, as the user sees the sheet: Row counts from
// the header (row 1), Field is the column's field, Value what the cell held (for Aadhaar
// only "[redacted]"), Key and Args the catalogue message.
type ImportProblem struct {
	Row   int               `json:"row"`
	Field string            `json:"field"`
	Value string            `json:"value,omitempty"`
	Key   string            `json:"key"`
	Args  map[string]string `json:"args,omitempty"`
}

// importSlot lets one import check and save at a time. On SQLite the save holds the one
// write lock for its whole transaction, so a second would only wait for it and time out;
// imports are rare, and a queued job shows as such.
var importSlot = make(chan struct{}, 1)

// ImportJobs runs imports of artisan files and keeps their outcome. A job is visible to
// the user who started it and to those who may import artisans state-wide.
type ImportJobs struct {
	DB       *bun.DB
	Artisans *Artisans
	Log      *slog.Logger
}

// Start records a job for the file and imports it in the background; the job's row tells
// how far it is. The file is already in memory (at most ArtisanFileMaxBytes).
func (s *ImportJobs) Start(ctx context.Context, actor Actor, name string, data []byte) (*ImportJob, error) {
	job, hold, err := s.create(ctx, actor, name)
	if err != nil {
		return nil, err
	}
	go s.run(context.WithoutCancel(ctx), actor, job, hold, data)
	return job, nil
}

// Import records a job for the file and imports it before returning the finished job.
func (s *ImportJobs) Import(ctx context.Context, actor Actor, name string, data []byte) (*ImportJob, error) {
	job, hold, err := s.create(ctx, actor, name)
	if err != nil {
		return nil, err
	}
	s.run(ctx, actor, job, hold, data)
	return s.load(context.WithoutCancel(ctx), job.ID)
}

// create records a queued job, held by this process (holdNewJob) until run releases it.
func (s *ImportJobs) create(ctx context.Context, actor Actor, name string) (*ImportJob, *jobHold, error) {
	scope := s.Artisans.scope(actor, "import")
	if scope.Empty() {
		return nil, nil, ErrForbidden
	}
	district := "*"
	if !scope.All {
		district = strings.Join(scope.Districts, "|")
	}
	now := Now()
	job := &ImportJob{Kind: ImportKindArtisans, Status: ImportQueued, FileName: importFileName(name),
		CreatedBy: actor.UserID, DistrictScope: district, CreatedAt: now, UpdatedAt: now}
	hold, err := holdNewJob(ctx, s.DB, job)
	if err != nil {
		return nil, nil, fmt.Errorf("imports: create: %w", err)
	}
	return job, hold, nil
}

// importFileName keeps the last part of an uploaded file's name, without control
// characters, at most 200 characters: it is shown, never used as a path.
func importFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	if r := []rune(strings.TrimSpace(name)); len(r) > 200 {
		name = string(r[:200])
	}
	return strings.TrimSpace(name)
}

// run takes a job from queued to done or failed. Every row is read and checked before
// anything is saved; the save is one transaction, as CreateMany's, so a job that fails or
// is cut short has saved nothing.
func (s *ImportJobs) run(ctx context.Context, actor Actor, job *ImportJob, hold *jobHold, data []byte) {
	defer hold.release(context.WithoutCancel(ctx), s.logger()) // last: after the outcome is written
	defer func() {
		if r := recover(); r != nil {
			s.fail(ctx, actor, job, fmt.Errorf("panic: %v", r))
		}
	}()
	select {
	case importSlot <- struct{}{}:
	case <-ctx.Done():
		s.fail(ctx, actor, job, ctx.Err())
		return
	}
	defer func() { <-importSlot }()

	s.update(ctx, job.ID, "status = ?", ImportValidating)
	file, err := readArtisanFile(ctx, s.DB, data, func(done, total int) {
		s.update(ctx, job.ID, "done_rows = ?, total_rows = ?", done, total)
	})
	if err != nil {
		s.fail(ctx, actor, job, err)
		return
	}
	job.TotalRows, job.DoneRows = len(file.Inputs), len(file.Inputs)
	raw := normalizeImportRows(file.Inputs)
	problems, err := s.check(ctx, actor, file, raw)
	if err != nil {
		s.fail(ctx, actor, job, err)
		return
	}
	if len(problems) > 0 {
		s.failRows(ctx, actor, job, problems)
		return
	}
	s.update(ctx, job.ID, "status = ?, done_rows = ?, total_rows = ?", ImportSaving, job.DoneRows, job.TotalRows)
	// The save takes the rows over, normalized once for the check and the save. It finds
	// problems only in its plan, before it builds a record, so the rows are still whole
	// for the report when it does.
	res, err := s.Artisans.createNormalized(ctx, actor, file.Inputs)
	var rowErrs RowErrors
	switch {
	case errors.As(err, &rowErrs): // the registry changed between check and save
		s.failRows(ctx, actor, job, importProblems(file, raw, nil, rowErrs))
		return
	case err != nil:
		s.fail(ctx, actor, job, err)
		return
	}
	job.Status, job.Created, job.Existing = ImportDone, res.Created, res.Present
	s.finish(ctx, actor, job)
}

// check validates every row, normalized already, as the save will, without saving, and
// returns the problems of the file: the cells that could not be read and what validation
// finds.
func (s *ImportJobs) check(ctx context.Context, actor Actor, file *ArtisanFile, raw importRawValues) ([]ImportProblem, error) {
	_, err := s.Artisans.planImport(ctx, s.DB, actor, file.Inputs)
	var rowErrs RowErrors
	if err != nil && !errors.As(err, &rowErrs) {
		return nil, err
	}
	return importProblems(file, raw, file.Problems, rowErrs), nil
}

// importRawValues are the cells of a file that normalizing its inputs changed, as the
// file gave them: a problem shows its cell so.
type importRawValues map[importCell]string

// importCell is a cell of a file: the index of its input and its field.
type importCell struct {
	input int
	field string
}

// normalizeImportRows normalizes the inputs in place and returns the values that changed.
// Few do (spaces, case, a mobile's +91, the order of crafts), so an import holds these,
// not a second copy of 100,000 inputs.
func normalizeImportRows(inputs []ArtisanInput) importRawValues {
	raw := importRawValues{}
	for i := range inputs {
		in := &inputs[i]
		was := *in
		in.normalize()
		for _, c := range ArtisanColumns {
			if v := artisanInputValue(&was, c.Field); v != artisanInputValue(in, c.Field) {
				raw[importCell{i, c.Field}] = v
			}
		}
	}
	return raw
}

// importProblems merges the problems found reading the file (sheet rows) with those of
// validation (rows counted from 1 in the order given), in sheet rows, one per cell.
func importProblems(file *ArtisanFile, raw importRawValues, read, valid RowErrors) []ImportProblem {
	sheetRow := func(i int) int {
		if i >= 1 && i <= len(file.Rows) {
			return file.Rows[i-1]
		}
		return i
	}
	rowOf := map[int]int{}
	for i, r := range file.Rows {
		rowOf[r] = i
	}
	seen := map[[2]string]bool{}
	var out []ImportProblem
	add := func(e RowError) {
		k := [2]string{strconv.Itoa(e.Row), e.Field}
		if seen[k] {
			return
		}
		seen[k] = true
		p := ImportProblem{Row: e.Row, Field: e.Field, Key: e.Key, Args: e.Args}
		if v, ok := e.Args["value"]; ok {
			p.Value = v
		} else if i, ok := rowOf[e.Row]; ok {
			if v, ok := raw[importCell{i, e.Field}]; ok {
				p.Value = v
			} else {
				p.Value = artisanInputValue(&file.Inputs[i], e.Field)
			}
		}
		if e.Field == "aadhaar" {
			p.Value, p.Args = importRedacted, nil
		}
		out = append(out, p)
	}
	for _, e := range read {
		add(e)
	}
	for _, e := range valid {
		e.Row = sheetRow(e.Row)
		if r, ok := e.Args["row"]; ok && e.Key == artisanKeyPossibleDup { // like a row above in this file
			if n, err := strconv.Atoi(r); err == nil {
				e.Key, e.Args = importKeyDuplicateRow, withArg(e.Args, "row", strconv.Itoa(sheetRow(n)))
			}
		}
		add(e)
	}
	slices.SortStableFunc(out, func(a, b ImportProblem) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.Field, b.Field))
	})
	return out
}

// withArg returns a copy of m with k set to v.
func withArg(m map[string]string, k, v string) map[string]string {
	c := make(map[string]string, len(m))
	for a, b := range m {
		c[a] = b
	}
	c[k] = v
	return c
}

// artisanInputValue is the text of one field of an input as the file gave it.
func artisanInputValue(in *ArtisanInput, field string) string {
	switch field {
	case "name":
		return in.Name
	case "name_hi":
		return in.NameHi
	case "relative_name":
		return in.RelativeName
	case "gender":
		return in.Gender
	case "date_of_birth":
		return in.DateOfBirth
	case "social_category":
		return in.SocialCategory
	case "mobile":
		return in.Mobile
	case "aadhaar":
		return importRedacted
	case "district":
		return in.District
	case "tehsil":
		return in.Tehsil
	case "village":
		return in.Village
	case "pin_code":
		return in.PINCode
	case "primary_craft":
		return in.PrimaryCraft
	case "crafts":
		return strings.Join(in.Crafts, ";")
	case "years_in_craft":
		return strconv.Itoa(in.YearsInCraft)
	case "pehchan_id":
		return in.PehchanID
	case "weaver_id":
		return in.WeaverID
	case "udyam":
		return in.Udyam
	case "pan":
		return in.PAN
	case "gstin":
		return in.GSTIN
	case "bank_account":
		return in.BankAccount
	case "ifsc":
		return in.IFSC
	case "organisation_id":
		if in.OrganisationID != nil {
			return strconv.FormatInt(*in.OrganisationID, 10)
		}
	case "disability", "confirm_duplicate":
		if (field == "disability" && in.Disability) || (field == "confirm_duplicate" && in.ConfirmDuplicate) {
			return "yes"
		}
		return "no"
	}
	return ""
}

// update changes the running job's row in a statement of its own. A failure only costs
// the progress display, so it is logged, not fatal.
func (s *ImportJobs) update(ctx context.Context, id int64, set string, args ...any) {
	_, err := s.DB.NewUpdate().Model((*ImportJob)(nil)).Set(set, args...).Set("updated_at = ?", Now()).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		s.logger().Warn("import progress not recorded", "job", id, "error", err.Error())
	}
}

// fail ends the job with a file-level problem, or an internal error that is logged and
// shown only as such.
func (s *ImportJobs) fail(ctx context.Context, actor Actor, job *ImportJob, err error) {
	var e *Error
	m := Msg(importKeyInternal)
	if errors.As(err, &e) && e.Code != EINTERNAL {
		m = e.Message
	} else {
		s.logger().Error("import failed", "job", job.ID, "error", err.Error())
	}
	b, _ := json.Marshal(m) //nolint:errchkjson // a key and a map of strings always marshal
	job.Status, job.MessageJSON = ImportFailed, string(b)
	s.finish(ctx, actor, job)
}

// failRows ends the job with its row-level problems, keeping at most ImportReportMax.
func (s *ImportJobs) failRows(ctx context.Context, actor Actor, job *ImportJob, problems []ImportProblem) {
	job.Status, job.Errors = ImportFailed, len(problems)
	b, err := json.Marshal(problems[:min(len(problems), ImportReportMax)])
	if err != nil {
		s.fail(ctx, actor, job, err)
		return
	}
	job.Report = string(b)
	s.finish(ctx, actor, job)
}

// finish writes the job's outcome and its audit entry in one transaction.
func (s *ImportJobs) finish(ctx context.Context, actor Actor, job *ImportJob) {
	ctx = context.WithoutCancel(ctx) // a cancelled request must still leave an ended job
	now := Now()
	job.UpdatedAt, job.FinishedAt = now, &now
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(job).WherePK().
			Column("status", "total_rows", "done_rows", "created_count", "existing_count", "error_count",
				"message", "report", "updated_at", "finished_at").Exec(ctx); err != nil {
			return fmt.Errorf("imports: finish: %w", err)
		}
		return RecordAudit(ctx, tx, actor, importAudit(job))
	})
	if err != nil {
		s.logger().Error("import outcome not recorded", "job", job.ID, "error", err.Error())
	}
}

// importAudit is the audit entry of an ended job: what was imported and how it went.
func importAudit(job *ImportJob) Change {
	type outcome struct {
		Kind     string `json:"kind"`
		File     string `json:"file_name"`
		Status   string `json:"status"`
		Rows     int    `json:"rows"`
		Created  int    `json:"created"`
		Existing int    `json:"existing"`
		Errors   int    `json:"errors"`
	}
	return Change{Entity: importObject, EntityID: idString(job.ID), Action: "import",
		After: outcome{job.Kind, job.FileName, job.Status, job.TotalRows, job.Created, job.Existing, job.Errors}}
}

func (s *ImportJobs) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *ImportJobs) load(ctx context.Context, id int64) (*ImportJob, error) {
	job := new(ImportJob)
	if err := s.DB.NewSelect().Model(job).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("imports: load %d: %w", id, err)
	}
	return job, nil
}

// seesAll reports whether the actor may see every user's jobs: those who may import
// artisans in every district (the state administrators, by the default policy).
func (s *ImportJobs) seesAll(actor Actor) bool { return s.Artisans.scope(actor, "import").All }

// Get returns a job the actor may see, with its report.
func (s *ImportJobs) Get(ctx context.Context, actor Actor, id int64) (*ImportJob, error) {
	job := new(ImportJob)
	q := s.DB.NewSelect().Model(job).Where("id = ?", id)
	if !s.seesAll(actor) {
		q = q.Where("created_by = ?", actor.UserID)
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("imports: get: %w", err)
	}
	return job, nil
}

// Recent returns the actor's own latest jobs, newest first, without their reports.
func (s *ImportJobs) Recent(ctx context.Context, actor Actor, limit int) ([]ImportJob, error) {
	out := []ImportJob{}
	err := s.DB.NewSelect().Model(&out).ExcludeColumn("report").Where("created_by = ?", actor.UserID).
		OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("imports: recent: %w", err)
	}
	return out, nil
}

// RecoverImportJobs marks the jobs a stopped server left unfinished as failed, each with
// an audit entry, and returns how many. Call it at start-up, before serving. The message
// says nothing was saved, which holds because the save is one transaction; in the moment
// between its commit and the job's last update it may not, and uploading again is then
// still right: an import is idempotent and creates nothing twice.
//
// On PostgreSQL other instances may be running jobs against the same database right now:
// only the jobs whose hold (holdNewJob) it can take are failed, those whose process is
// gone. On SQLite there is one instance (one process owns the database file), so every
// unfinished job is a stopped one.
func RecoverImportJobs(ctx context.Context, db *bun.DB) (int, error) {
	var jobs []ImportJob
	if err := db.NewSelect().Model(&jobs).ExcludeColumn("report").
		Where("status IN (?)", bun.In(importUnfinished)).OrderExpr("id").Scan(ctx); err != nil {
		return 0, fmt.Errorf("imports: recover: %w", err)
	}
	msg, _ := json.Marshal(Msg(importKeyInterrupted)) //nolint:errchkjson // always marshals
	n := 0
	for i := range jobs {
		job := &jobs[i]
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if dead, err := jobHolderGone(ctx, tx, job.ID); err != nil || !dead {
				return err
			}
			now := Now()
			job.Status, job.MessageJSON, job.UpdatedAt, job.FinishedAt = ImportFailed, string(msg), now, &now
			res, err := tx.NewUpdate().Model(job).WherePK().Column("status", "message", "updated_at", "finished_at").
				Where("status IN (?)", bun.In(importUnfinished)).Exec(ctx)
			if err != nil {
				return fmt.Errorf("imports: recover %d: %w", job.ID, err)
			}
			if done, _ := res.RowsAffected(); done == 0 {
				return nil // it finished after the list was read
			}
			n++
			return RecordAudit(ctx, tx, System, importAudit(job))
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

var importUnfinished = []string{ImportQueued, ImportValidating, ImportSaving}

// Holding a job across instances.
//
// On PostgreSQL several server instances share one database, and the one that starts must
// not fail a job another is still running (its rows would commit under a "failed" job). A
// job is therefore held, for its whole life, by a PostgreSQL session advisory lock keyed
// by its id, on a connection of its own; the lock is taken in the transaction that
// inserts the job, so there is no moment when the job can be seen and is not held.
// Recovery fails only the jobs whose lock it can take: those whose holder's session has
// ended. A process that dies (even kill -9) closes its sockets and PostgreSQL ends its
// sessions and locks at once, so a restart fails its jobs at once; a host that vanishes
// is given up by TCP keepalive, set on the holding connection to about a minute. A
// heartbeat column would need a staleness bound instead, and a restart right after a
// crash would find the dead job still fresh. The lock's first key scopes it to the
// database schema, so two deployments (or test schemas) in one database never meet.

// jobHold is the advisory lock held for a job; nil on SQLite, where there is nothing to
// hold.
type jobHold struct {
	conn bun.Conn
	id   int64
}

// jobLockSQL is the two-key advisory lock of a job: the schema, then the id (job ids
// 2^32 apart share a lock, which only makes recovery wait for the other).
const jobLockSQL = "(hashtext('import_job:' || current_schema()), CAST(? % 4294967296 - 2147483648 AS integer))"

// holdNewJob inserts job and, on PostgreSQL, takes its lock in the same transaction on a
// connection kept for the job's life.
func holdNewJob(ctx context.Context, db *bun.DB, job *ImportJob) (*jobHold, error) {
	if !IsPostgres(db) {
		_, err := db.NewInsert().Model(job).Exec(ctx)
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	err = conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(job).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "SELECT pg_advisory_lock"+jobLockSQL+", set_config('tcp_keepalives_idle', '30', false), "+
			"set_config('tcp_keepalives_interval', '10', false), set_config('tcp_keepalives_count', '3', false)", job.ID)
		return err
	})
	if err != nil {
		discardConn(conn) // a session lock outlives a rolled-back transaction
		return nil, err
	}
	return &jobHold{conn: conn, id: job.ID}, nil
}

// release gives the job's lock up. A connection whose unlock failed is discarded, never
// pooled: it would go on holding the lock.
func (h *jobHold) release(ctx context.Context, log *slog.Logger) {
	if h == nil {
		return
	}
	if _, err := h.conn.ExecContext(ctx, "SELECT pg_advisory_unlock"+jobLockSQL, h.id); err != nil {
		log.Warn("import job lock not released; dropping its connection", "job", h.id, "error", err.Error())
		discardConn(h.conn)
		return
	}
	_ = h.conn.Close()
}

func discardConn(conn bun.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// jobHolderGone reports whether no live process holds job id, keeping it so until tx
// ends; on SQLite always.
func jobHolderGone(ctx context.Context, tx bun.Tx, id int64) (bool, error) {
	if !IsPostgres(tx) {
		return true, nil
	}
	var free bool
	if err := tx.NewRaw("SELECT pg_try_advisory_xact_lock"+jobLockSQL, id).Scan(ctx, &free); err != nil {
		return false, fmt.Errorf("imports: recover %d: lock: %w", id, err)
	}
	return free, nil
}
