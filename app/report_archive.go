package app

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Report kinds.
const (
	ReportDistrict = "district"
	ReportState    = "state"
)

// ArchivedReport is one generated report as kept in the archive. Who generated it and
// when are recorded here and shown on the verify page, never printed in the PDF, so the
// same data always gives the same bytes.
type ArchivedReport struct {
	bun.BaseModel `bun:"table:report_archive,alias:ra"`

	ID              int64      `bun:"id,pk,autoincrement" json:"id"`
	Kind            string     `bun:"kind" json:"kind"`
	District        string     `bun:"district" json:"district"` // "" for the state summary
	Month           string     `bun:"month" json:"month"`
	Lang            string     `bun:"lang" json:"lang"`
	SHA256          string     `bun:"sha256" json:"sha256"`
	Code            string     `bun:"code" json:"code"`
	SizeBytes       int64      `bun:"size_bytes" json:"size_bytes"`
	Content         []byte     `bun:"content" json:"-"`
	GeneratedBy     *int64     `bun:"generated_by" json:"generated_by"`
	GeneratedByName string     `bun:"generated_by_name" json:"generated_by_name"`
	GeneratedAt     time.Time  `bun:"generated_at" json:"generated_at"`
	SupersededAt    *time.Time `bun:"superseded_at" json:"superseded_at"`
	SupersededBy    *int64     `bun:"superseded_by" json:"superseded_by"`
	// Unchanged is set by Generate when the report equals the archived one it returns.
	Unchanged bool `bun:"-" json:"unchanged"`
}

// Filename is the download name: jaipur-2026-10.pdf, jaipur-2026-10-hi.pdf for Hindi,
// rajasthan-2026-10.pdf for the state summary.
func (a *ArchivedReport) Filename() string {
	name := a.District
	if a.Kind == ReportState {
		name = "rajasthan"
	}
	if a.Lang == "hi" {
		return name + "-" + a.Month + "-hi.pdf"
	}
	return name + "-" + a.Month + ".pdf"
}

// ReportRenderer turns built reports into PDF bytes; reports.Renderer implements it (app
// draws nothing itself). code is the verification code to print with its QR code; the
// empty code renders without one.
type ReportRenderer interface {
	DistrictPDF(r *DistrictReport, lang, code string) ([]byte, error)
	StatePDF(r *StateReport, lang, code string) ([]byte, error)
	// Layout names how the renderer draws (its layout version and the address its QR codes
	// point to): the same report data drawn by the same layout gives the same bytes.
	Layout() string
}

// codeEncoding is Crockford's base 32: no I, L, O or U to misread when typed from paper.
var codeEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// codeLen characters of base 32 carry 60 bits: no two reports will share a code by chance.
const codeLen = 12

// ReportCode is the verification code printed on a report: the SHA-256 of what makes its
// bytes (the renderer's layout, the kind, the language and the report's data), shortened.
// The same data drawn the same way gives the same code and the same file, and the report
// is drawn once: the code cannot be a hash of a file that prints it.
func ReportCode(layout, kind, lang string, report any) (string, error) {
	data, err := json.Marshal(report)
	if err != nil {
		return "", fmt.Errorf("reports: code: %w", err)
	}
	h := sha256.New()
	for _, part := range []string{layout, kind, lang} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(data)
	return codeEncoding.EncodeToString(h.Sum(nil))[:codeLen], nil
}

// NormalizeCode reads a code as typed: any case, with or without the dashes it is
// printed with, O for 0 and I or L for 1 as Crockford allows.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(s)
	return s
}

// FormatCode prints a code in groups of four: 7K2M-9QXA-31DF.
func FormatCode(code string) string {
	var b strings.Builder
	for i, r := range code {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ReportArchive generates, keeps and serves the monthly reports. Every report it hands
// out is archived first, so every code printed on paper can be verified.
type ReportArchive struct {
	DB       *bun.DB
	Authz    Authorizer
	Renderer ReportRenderer
}

// GenerateRequest names one report.
type GenerateRequest struct {
	Kind     string `json:"kind"`
	District string `json:"district"`
	Month    string `json:"month"`
	Lang     string `json:"lang"`
}

func (q *GenerateRequest) normalize() (Month, error) {
	q.Kind = strings.TrimSpace(q.Kind)
	if q.Kind == "" {
		q.Kind = ReportDistrict
	}
	q.District = strings.ToLower(strings.TrimSpace(q.District))
	if q.Lang == "" {
		q.Lang = "en"
	}
	v := Invalid{}
	m, err := ParseMonth(strings.TrimSpace(q.Month))
	if err != nil {
		v.Add("month", KeyMonth)
	}
	if q.Lang != "en" && q.Lang != "hi" {
		v.Add("lang", "validation.lang")
	}
	switch q.Kind {
	case ReportDistrict:
		if q.District == "" {
			v.Add("district", "report.district_required")
		}
	case ReportState:
		q.District = ""
	default:
		v.Add("kind", "report.kind_invalid")
	}
	return m, v.Err()
}

// Generate builds, renders and archives one report for actor, who needs action
// ("generate", or "read" for a plain download) on reports in the district, or in every
// district for the state summary. A report identical to the current archived one is
// that one, unchanged; a different one supersedes it.
func (s *ReportArchive) Generate(ctx context.Context, actor Actor, action string, q GenerateRequest) (*ArchivedReport, error) {
	m, err := q.normalize()
	if err != nil {
		return nil, err
	}
	if err := s.allow(actor, action, q); err != nil {
		return nil, err
	}
	if a, err := frozenReport(ctx, s.DB, q); err != nil || a != nil {
		return a, err
	}
	pdf, code, err := s.render(ctx, q, m)
	if err != nil {
		return nil, err
	}
	return s.archive(ctx, actor, q, pdf, code)
}

func (s *ReportArchive) allow(actor Actor, action string, q GenerateRequest) error {
	if actor.system {
		return nil
	}
	if q.Kind == ReportState {
		if !s.Authz.Scope(actor.UserID, reportObject, action).All {
			return ErrForbidden
		}
		return nil
	}
	if !s.Authz.Can(actor.UserID, q.District, reportObject, action) {
		return ErrNotFound // a district outside the actor's scope is not there for them
	}
	return nil
}

func (s *ReportArchive) render(ctx context.Context, q GenerateRequest, m Month) ([]byte, string, error) {
	if q.Kind == ReportState {
		r, err := BuildStateMonthly(ctx, s.DB, m)
		if err != nil {
			return nil, "", err
		}
		return s.drawState(r, q.Lang)
	}
	r, err := BuildDistrictMonthly(ctx, s.DB, q.District, m)
	if err != nil {
		return nil, "", err
	}
	return s.drawDistrict(r, q.Lang)
}

// drawDistrict renders a built district report with its verification code.
func (s *ReportArchive) drawDistrict(r *DistrictReport, lang string) ([]byte, string, error) {
	code, err := ReportCode(s.Renderer.Layout(), ReportDistrict, lang, r)
	if err != nil {
		return nil, "", err
	}
	pdf, err := s.Renderer.DistrictPDF(r, lang, code)
	return pdf, code, err
}

// drawState renders a built state summary with its verification code.
func (s *ReportArchive) drawState(r *StateReport, lang string) ([]byte, string, error) {
	code, err := ReportCode(s.Renderer.Layout(), ReportState, lang, r)
	if err != nil {
		return nil, "", err
	}
	pdf, err := s.Renderer.StatePDF(r, lang, code)
	return pdf, code, err
}

// archive stores pdf unless the current report of the same kind, district, month and
// language is byte-identical, in which case that one is returned; or unless the month
// was closed, and its report frozen, while this one was being drawn: the frozen one is
// returned and stays current.
func (s *ReportArchive) archive(ctx context.Context, actor Actor, q GenerateRequest, pdf []byte, code string) (*ArchivedReport, error) {
	var out *ArchivedReport
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The district's months first, then the report: a close takes them in this
		// order too (lockDistrictMonths, then the key as it freezes), so the two never
		// wait for each other in a circle.
		if q.Kind == ReportDistrict {
			if err := lockDistrictMonths(ctx, tx, q.District, false); err != nil {
				return err
			}
		}
		if err := lockReportKey(ctx, tx, q); err != nil {
			return err
		}
		frozen, err := frozenReport(ctx, tx, q)
		if err != nil || frozen != nil {
			out = frozen
			return err
		}
		out, err = storeReport(ctx, tx, actor, q, pdf, code)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reports: archive %s %s %s: %w", q.Kind, q.District, q.Month, err)
	}
	return out, nil
}

// storeReport adds pdf to the archive in tx as the current report of its key,
// superseding the one before, unless that one is byte-identical and is returned instead.
// The caller holds lockReportKey.
func storeReport(ctx context.Context, tx bun.Tx, actor Actor, q GenerateRequest, pdf []byte, code string) (*ArchivedReport, error) {
	sum := sha256.Sum256(pdf)
	digest := hex.EncodeToString(sum[:])
	cur, err := currentReport(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.SHA256 == digest {
		cur.Content, cur.Unchanged = pdf, true // identical bytes to those stored
		return cur, nil
	}
	now := Now()
	next := &ArchivedReport{Kind: q.Kind, District: q.District, Month: q.Month, Lang: q.Lang, SHA256: digest,
		Code: code, SizeBytes: int64(len(pdf)), Content: pdf, GeneratedBy: actorID(actor),
		GeneratedByName: archiveActorName(actor), GeneratedAt: now}
	// The old row stops being current before the new one is added: the unique index
	// allows one current report per key.
	if cur != nil {
		if _, err := tx.NewUpdate().Model((*ArchivedReport)(nil)).Set("superseded_at = ?", now).
			Where("id = ?", cur.ID).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if _, err := tx.NewInsert().Model(next).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	if cur != nil {
		if _, err := tx.NewUpdate().Model((*ArchivedReport)(nil)).Set("superseded_by = ?", next.ID).
			Where("id = ?", cur.ID).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return next, RecordAudit(ctx, tx, actor, Change{Entity: "report", EntityID: fmt.Sprint(next.ID), Action: "generate",
		District: q.District, After: map[string]any{"kind": q.Kind, "month": q.Month, "lang": q.Lang, "code": code,
			"sha256": digest, "supersedes": supersededID(cur)}})
}

// currentReport returns the current (not superseded) archived report of q's key without
// its file, or nil when there is none.
func currentReport(ctx context.Context, db bun.IDB, q GenerateRequest) (*ArchivedReport, error) {
	cur := new(ArchivedReport)
	err := db.NewSelect().Model(cur).ExcludeColumn("content").
		Where("ra.kind = ? AND ra.district = ? AND ra.month = ? AND ra.lang = ? AND ra.superseded_at IS NULL",
			q.Kind, q.District, q.Month, q.Lang).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reports: current %s %s %s %s: %w", q.Kind, q.District, q.Month, q.Lang, err)
	}
	return cur, nil
}

func supersededID(cur *ArchivedReport) *int64 {
	if cur == nil {
		return nil
	}
	return &cur.ID
}

func archiveActorName(actor Actor) string {
	if actor.Name != "" {
		return actor.Name
	}
	return actor.Username
}

// lockReportKey serialises generations of one report on PostgreSQL (SQLite has one
// writer at a time): two officials pressing "generate" together add one row, not two.
func lockReportKey(ctx context.Context, tx bun.Tx, q GenerateRequest) error {
	if !IsPostgres(tx) {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))",
		"report:"+q.Kind+":"+q.District+":"+q.Month+":"+q.Lang)
	return err
}

// ArchiveFilter selects archived reports; zero fields select all in scope.
type ArchiveFilter struct {
	District string
	Month    string
	Kind     string
	// Current leaves out superseded reports.
	Current bool
	Limit   int
}

// List returns the archived reports the actor may read, newest first, without their
// files. A DIC officer sees their districts' reports; the state summary only those who
// read reports state-wide.
func (s *ReportArchive) List(ctx context.Context, actor Actor, f ArchiveFilter) ([]ArchivedReport, error) {
	scope := s.Authz.Scope(actor.UserID, reportObject, "read")
	out := []ArchivedReport{}
	q := scope.Apply(s.DB.NewSelect().Model(&out).ExcludeColumn("content"), "ra.district")
	if d := strings.ToLower(strings.TrimSpace(f.District)); d != "" {
		q = q.Where("ra.district = ?", d)
	}
	if f.Month != "" {
		if _, err := ParseMonth(f.Month); err != nil {
			return nil, Invalid{"month": Msg(KeyMonth)}.Err()
		}
		q = q.Where("ra.month = ?", f.Month)
	}
	if f.Kind != "" {
		q = q.Where("ra.kind = ?", f.Kind)
	}
	if f.Current {
		q = q.Where("ra.superseded_at IS NULL")
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxPageSize {
		limit = MaxPageSize
	}
	if err := q.OrderExpr("ra.generated_at DESC, ra.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports: list archive: %w", err)
	}
	return out, nil
}

// File returns one archived report with its PDF; outside the actor's scope it is
// ErrNotFound. Downloads are audited.
func (s *ReportArchive) File(ctx context.Context, actor Actor, id int64) (*ArchivedReport, error) {
	scope := s.Authz.Scope(actor.UserID, reportObject, "read")
	out := new(ArchivedReport)
	err := scope.Apply(s.DB.NewSelect().Model(out), "ra.district").Where("ra.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reports: file %d: %w", id, err)
	}
	if err := RecordAudit(ctx, s.DB, actor, Change{Entity: "report", EntityID: fmt.Sprint(id), Action: "download",
		District: out.District}); err != nil {
		return nil, err
	}
	return out, nil
}

// Verification is what the public verify page tells about a code.
type Verification struct {
	Report ArchivedReport
	// Current is the report that superseded this one, if any.
	Current *ArchivedReport
}

// Verify looks a printed code up, for anyone: it tells which report the code belongs
// to and whether it has been superseded, never the file. An unknown code is
// ErrNotFound.
func (s *ReportArchive) Verify(ctx context.Context, code string) (*Verification, error) {
	code = NormalizeCode(code)
	if len(code) != codeLen {
		return nil, ErrNotFound
	}
	var rows []ArchivedReport
	if err := s.DB.NewSelect().Model(&rows).ExcludeColumn("content").Where("ra.code = ?", code).
		OrderExpr("ra.id DESC").Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports: verify: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	v := &Verification{Report: rows[0]}
	if v.Report.SupersededAt != nil {
		cur := new(ArchivedReport)
		err := s.DB.NewSelect().Model(cur).ExcludeColumn("content").
			Where("ra.kind = ? AND ra.district = ? AND ra.month = ? AND ra.lang = ? AND ra.superseded_at IS NULL",
				v.Report.Kind, v.Report.District, v.Report.Month, v.Report.Lang).Scan(ctx)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("reports: verify current: %w", err)
		}
		if err == nil {
			v.Current = cur
		}
	}
	return v, nil
}
