package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Document types, in the order forms show them. The artisan's photo is a document too.
const (
	DocIDProof      = "id_proof"
	DocBankPassbook = "bank_passbook"
	DocCertificate  = "certificate"
	DocPhoto        = "photo"
	DocOther        = "other"
)

// DocumentTypes lists every document type.
var DocumentTypes = []string{DocIDProof, DocBankPassbook, DocCertificate, DocPhoto, DocOther}

// Content types a document may have. They are always sniffed from the bytes; what the client
// declares is never believed.
const (
	ContentPDF  = "application/pdf"
	ContentJPEG = "image/jpeg"
	ContentPNG  = "image/png"
)

// Limits of an upload. Sizes are in bytes (MB = 2^20 bytes); MaxImagePixels stops a small
// compressed image that would take gigabytes of memory once decoded.
const (
	MaxDocumentBytes  = 5 << 20
	MaxPhotoBytes     = 2 << 20
	MaxImagePixels    = 40_000_000
	MaxFileNameLength = 100 // characters of the display name
)

const documentObject = "document"

// Document is a file attached to an artisan. The JSON field names are fixed: other systems
// read them. Where the file lies is internal and never shown.
type Document struct {
	bun.BaseModel `bun:"table:documents,alias:d"`

	ID             int64      `bun:"id,pk,autoincrement" json:"id"`
	ArtisanID      int64      `bun:"artisan_id" json:"artisan_id"`
	District       string     `bun:"district" json:"-"`
	DocType        string     `bun:"doc_type" json:"doc_type"`
	FileName       string     `bun:"file_name" json:"file_name"`
	ContentType    string     `bun:"content_type" json:"content_type"`
	SizeBytes      int64      `bun:"size_bytes" json:"size_bytes"`
	SHA256         string     `bun:"sha256" json:"sha256"`
	StorageKey     string     `bun:"storage_key" json:"-"`
	UploadedBy     *int64     `bun:"uploaded_by" json:"uploaded_by"`
	UploadedAt     time.Time  `bun:"uploaded_at" json:"uploaded_at"`
	DeletedAt      *time.Time `bun:"deleted_at" json:"-"`
	UploadedByName string     `bun:"uploaded_by_name,scanonly" json:"-"`
}

// DownloadName is the name to save the file under: the display name, with the extension of
// its content added when the name has none, so the saved file opens in the right program.
func (d *Document) DownloadName() string {
	if extensionFits(d.FileName, d.ContentType) {
		return d.FileName
	}
	return d.FileName + canonicalExtension[d.ContentType]
}

// Documents keeps the files attached to artisans. Every query is limited in SQL to the
// districts where the actor may read documents; a document or an artisan outside them is
// ErrNotFound, never ErrForbidden, so its existence is not confirmed. Files are kept under
// DataDir/documents; an empty DataDir refuses to store anything rather than write into the
// working folder.
type Documents struct {
	DB      *bun.DB
	Authz   Authorizer
	DataDir string
}

// Upload checks and stores a file for an artisan. r is the file's content (nil when no file
// was chosen) and declaredSize its size when the caller knows it (-1 otherwise), so an
// oversized file is refused before it is read. The content type is sniffed; fileName is
// only cleaned for display, and its extension must not contradict the content. A new photo
// replaces the artisan's previous one.
func (s *Documents) Upload(ctx context.Context, actor Actor, artisanID int64, docType, fileName string, r io.Reader, declaredSize int64) (*Document, error) {
	district, err := s.artisanDistrict(ctx, s.DB, actor, artisanID)
	if err != nil {
		return nil, err
	}
	if !s.can(actor, district, "create") {
		return nil, ErrForbidden
	}
	limit := documentLimit(docType)
	v := Invalid{}
	switch {
	case docType == "":
		v.Add("doc_type", "validation.required")
	case !IsDocumentType(docType):
		v.Add("doc_type", "document.doc_type")
	}
	switch {
	case r == nil:
		v.Add("file", "document.file_required")
	case declaredSize > limit:
		v.Add("file", "document.too_large", "max", formatMB(limit))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("documents: read upload: %w", err)
	}
	contentType, name, err := checkDocument(data, fileName, limit)
	if err != nil {
		return nil, err
	}
	key, err := newStorageKey()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	doc := &Document{
		ArtisanID: artisanID, DocType: docType, FileName: name, ContentType: contentType,
		SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), StorageKey: key, UploadedAt: Now(),
	}
	if actor.UserID != 0 {
		id := actor.UserID
		doc.UploadedBy = &id
	}
	path, err := s.path(key)
	if err != nil {
		return nil, err
	}
	written := false
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Read the district again inside the transaction: the artisan may have moved.
		district, err := s.artisanDistrict(ctx, tx, actor, artisanID)
		if err != nil {
			return err
		}
		doc.District = district
		if !s.can(actor, district, "create") {
			return ErrForbidden
		}
		if docType == DocPhoto {
			if err := s.retirePhotos(ctx, tx, actor, artisanID, doc.UploadedAt); err != nil {
				return err
			}
		}
		if _, err := tx.NewInsert().Model(doc).Exec(ctx); err != nil {
			return fmt.Errorf("documents: insert: %w", err)
		}
		if err := refreshReadiness(ctx, tx, artisanID); err != nil {
			return err
		}
		if err := RecordAudit(ctx, tx, actor, Change{Entity: documentObject, EntityID: idString(doc.ID),
			Action: "create", District: doc.District, After: doc}); err != nil {
			return err
		}
		// The file is written last and before the commit: a failed commit removes it below,
		// and a crash before the rename leaves only a temporary file, never a row without one.
		if err := writeFileAtomic(path, data); err != nil {
			return err
		}
		written = true
		return nil
	})
	if err != nil {
		if written {
			os.Remove(path) //nolint:errcheck // best effort: the row was not committed
		}
		return nil, err
	}
	return doc, nil
}

// retirePhotos soft-deletes the artisan's current photos: an artisan has one photo, and the
// old ones stay on disk for the audit trail.
func (s *Documents) retirePhotos(ctx context.Context, tx bun.Tx, actor Actor, artisanID int64, at time.Time) error {
	var old []Document
	if err := tx.NewSelect().Model(&old).Where("d.artisan_id = ? AND d.doc_type = ? AND d.deleted_at IS NULL",
		artisanID, DocPhoto).Scan(ctx); err != nil {
		return fmt.Errorf("documents: previous photos: %w", err)
	}
	for i := range old {
		if _, err := tx.NewUpdate().Table("documents").Set("deleted_at = ?", at).Where("id = ?", old[i].ID).Exec(ctx); err != nil {
			return fmt.Errorf("documents: retire photo: %w", err)
		}
		if err := RecordAudit(ctx, tx, actor, Change{Entity: documentObject, EntityID: idString(old[i].ID),
			Action: "replace", District: old[i].District, Before: &old[i]}); err != nil {
			return err
		}
	}
	return nil
}

// List returns the artisan's documents, newest first.
func (s *Documents) List(ctx context.Context, actor Actor, artisanID int64) ([]Document, error) {
	if _, err := s.artisanDistrict(ctx, s.DB, actor, artisanID); err != nil {
		return nil, err
	}
	out := []Document{}
	q := s.selectDocuments(s.DB, actor, &out).Where("d.artisan_id = ?", artisanID).OrderExpr("d.uploaded_at DESC, d.id DESC")
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("documents: list: %w", err)
	}
	return out, nil
}

// Get returns one document's details.
func (s *Documents) Get(ctx context.Context, actor Actor, id int64) (*Document, error) {
	return s.find(ctx, s.DB, actor, id)
}

// Open returns a document and its content for download, and records the download in the
// audit log before a byte is sent. The caller closes the reader.
func (s *Documents) Open(ctx context.Context, actor Actor, id int64) (*Document, io.ReadCloser, error) {
	doc, err := s.find(ctx, s.DB, actor, id)
	if err != nil {
		return nil, nil, err
	}
	path, err := s.path(doc.StorageKey)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("documents: open file of document %d: %w", doc.ID, err)
	}
	if st, err := f.Stat(); err != nil || st.Size() != doc.SizeBytes {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%d bytes on disk, %d recorded", st.Size(), doc.SizeBytes)
		}
		return nil, nil, fmt.Errorf("documents: file of document %d: %w", doc.ID, err)
	}
	if err := RecordAudit(ctx, s.DB, actor, Change{Entity: documentObject, EntityID: idString(doc.ID),
		Action: "download", District: doc.District, After: doc}); err != nil {
		f.Close()
		return nil, nil, err
	}
	return doc, f, nil
}

// Delete removes a document from the artisan's list. The row and the file are kept for the
// audit trail. A document never changes after upload, so there is no version to compare:
// deleting it twice answers ErrNotFound the second time.
func (s *Documents) Delete(ctx context.Context, actor Actor, id int64) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		doc, err := s.find(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !s.can(actor, doc.District, "create") {
			return ErrForbidden
		}
		res, err := tx.NewUpdate().Table("documents").Set("deleted_at = ?", Now()).
			Where("id = ? AND deleted_at IS NULL", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("documents: delete: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrNotFound
		}
		if err := refreshReadiness(ctx, tx, doc.ArtisanID); err != nil {
			return err
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: documentObject, EntityID: idString(id),
			Action: "delete", District: doc.District, Before: doc})
	})
}

// IsDocumentType reports whether t is one of DocumentTypes.
func IsDocumentType(t string) bool {
	for _, x := range DocumentTypes {
		if t == x {
			return true
		}
	}
	return false
}

// DocumentLimit returns the largest file accepted for a document type, in bytes.
func DocumentLimit(docType string) int64 { return documentLimit(docType) }

func documentLimit(docType string) int64 {
	if docType == DocPhoto {
		return MaxPhotoBytes
	}
	return MaxDocumentBytes
}

// can reports whether the actor may perform action on documents in district.
func (s *Documents) can(actor Actor, district, action string) bool {
	return actor.system || s.Authz.Can(actor.UserID, district, documentObject, action)
}

// scope returns where the actor may perform action on documents.
func (s *Documents) scope(actor Actor, action string) Scope {
	if actor.system {
		return AllDistricts
	}
	return s.Authz.Scope(actor.UserID, documentObject, action)
}

// artisanDistrict returns the district of an artisan the actor may read and whose documents
// the actor may read; any other artisan is ErrNotFound.
func (s *Documents) artisanDistrict(ctx context.Context, db bun.IDB, actor Actor, artisanID int64) (string, error) {
	artisans := AllDistricts
	if !actor.system {
		artisans = s.Authz.Scope(actor.UserID, artisanObject, "read")
	}
	var district string
	q := db.NewSelect().Table("artisans").Column("district").Where("id = ?", artisanID)
	q = artisans.Apply(s.scope(actor, "read").Apply(q, "district"), "district")
	err := q.Scan(ctx, &district)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("documents: find artisan: %w", err)
	}
	return district, nil
}

// selectDocuments starts a query over the documents not deleted, with the uploader's name,
// limited to the actor's read scope.
func (s *Documents) selectDocuments(db bun.IDB, actor Actor, dest any) *bun.SelectQuery {
	q := db.NewSelect().Model(dest).ColumnExpr("d.*").ColumnExpr("COALESCE(u.name, '') AS uploaded_by_name").
		Join("LEFT JOIN users AS u ON u.id = d.uploaded_by").Where("d.deleted_at IS NULL")
	return s.scope(actor, "read").Apply(q, "d.district")
}

// find loads one document within the actor's read scope.
func (s *Documents) find(ctx context.Context, db bun.IDB, actor Actor, id int64) (*Document, error) {
	d := new(Document)
	err := s.selectDocuments(db, actor, d).Where("d.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("documents: find: %w", err)
	}
	return d, nil
}

// storageKeyPattern is the only shape of key that becomes a path; a key read from the
// database is checked again before use.
var storageKeyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func newStorageKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("documents: storage key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// path is where the file of a key lives: DataDir/documents/<first two characters>/<key>, so
// no folder grows beyond a few thousand files.
func (s *Documents) path(key string) (string, error) {
	if s.DataDir == "" {
		return "", errors.New("documents: no data folder configured")
	}
	if !storageKeyPattern.MatchString(key) {
		return "", fmt.Errorf("documents: malformed storage key %q", key)
	}
	return filepath.Join(s.DataDir, "documents", key[:2], key), nil
}

// writeFileAtomic writes data to a temporary file in the target's folder and renames it into
// place, so the path holds either nothing or the whole file. Files are readable by the
// server's user only.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("documents: create folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("documents: create file: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name()) //nolint:errcheck // best effort clean-up of a failed write
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("documents: file mode: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("documents: write file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("documents: sync file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("documents: close file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("documents: place file: %w", err)
	}
	done = true
	if d, err := os.Open(dir); err == nil {
		d.Sync() //nolint:errcheck // makes the rename durable where the filesystem allows
		d.Close()
	}
	return nil
}

// checkDocument decides what a file is from its bytes and returns its content type and the
// display name. data holds at most limit+1 bytes of the file.
func checkDocument(data []byte, fileName string, limit int64) (contentType, name string, err error) {
	refuse := func(key string, pairs ...string) (string, string, error) {
		return "", "", Invalid{"file": Msg(key, pairs...)}.Err()
	}
	switch {
	case int64(len(data)) > limit:
		return refuse("document.too_large", "max", formatMB(limit))
	case len(data) == 0:
		return refuse("document.empty")
	}
	contentType, key, pairs := sniffDocument(data)
	if key != "" {
		return refuse(key, pairs...)
	}
	name = CleanFileName(fileName)
	if ext, ok := extensionOf(name); ok && !extensionFits(name, contentType) {
		return refuse("document.extension_mismatch", "ext", "."+ext, "kind", kindName[contentType],
			"want", canonicalExtension[contentType])
	}
	return contentType, name, nil
}

// sniffDocument returns the content type of data, or the catalogue key (and arguments) of
// why it is refused. Images are measured with DecodeConfig, which reads only the header, and
// decoded in full only when their size in pixels is acceptable.
func sniffDocument(data []byte) (contentType, refusal string, pairs []string) {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return ContentPDF, "", nil
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch contentType = http.DetectContentType(data); contentType {
	case ContentJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case ContentPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	default:
		return "", "document.type_not_allowed", nil
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return "", "document.image_unreadable", nil
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return "", "document.image_too_big", []string{"width", strconv.Itoa(cfg.Width),
			"height", strconv.Itoa(cfg.Height), "max", strconv.Itoa(MaxImagePixels / 1_000_000)}
	}
	decodeSlots <- struct{}{}
	_, err = decode(bytes.NewReader(data))
	<-decodeSlots
	if err != nil {
		return "", "document.image_unreadable", nil
	}
	return contentType, "", nil
}

// decodeSlots bounds how many images are decoded in full at once: an image at the pixel
// limit takes a few hundred megabytes of memory while it is checked.
var decodeSlots = make(chan struct{}, 2)

// Extensions a display name may end with for each content type; the first is added to a
// download name that has none.
var (
	allowedExtensions = map[string][]string{
		ContentPDF:  {"pdf"},
		ContentJPEG: {"jpg", "jpeg", "jpe", "jfif"},
		ContentPNG:  {"png"},
	}
	canonicalExtension = map[string]string{ContentPDF: ".pdf", ContentJPEG: ".jpg", ContentPNG: ".png"}
	kindName           = map[string]string{ContentPDF: "PDF", ContentJPEG: "JPEG", ContentPNG: "PNG"}
)

// extensionOf returns the lower-cased extension of name when it looks like a file type: one
// to five ASCII letters or digits with at least one letter. "Report v1.2" has none.
func extensionOf(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || i == len(name)-1 {
		return "", false
	}
	ext := strings.ToLower(name[i+1:])
	if len(ext) > 5 {
		return "", false
	}
	letter := false
	for _, r := range ext {
		switch {
		case r >= 'a' && r <= 'z':
			letter = true
		case r >= '0' && r <= '9':
		default:
			return "", false
		}
	}
	return ext, letter
}

func extensionFits(name, contentType string) bool {
	ext, _ := extensionOf(name)
	for _, e := range allowedExtensions[contentType] {
		if ext == e {
			return true
		}
	}
	return false
}

// CleanFileName turns a name sent by a client into one safe to show and to offer as a
// download name: the last element of any path (either slash, a drive letter), without
// control or bidirectional-override characters or characters Windows forbids in names,
// trimmed of spaces and dots at the ends, at most MaxFileNameLength characters with its
// extension kept. It is never used to name a stored file.
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z') {
		name = name[2:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200c' || r == '\u200d': // ZWNJ and ZWJ shape Devanagari conjuncts
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return -1 // includes the bidirectional overrides that disguise "fdp.exe" as "exe.pdf"
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" {
		return "document"
	}
	if utf8.RuneCountInString(name) <= MaxFileNameLength {
		return name
	}
	ext := ""
	if e, ok := extensionOf(name); ok {
		ext = name[len(name)-len(e)-1:]
		name = name[:len(name)-len(ext)]
	}
	r := []rune(name)
	return strings.TrimRight(string(r[:MaxFileNameLength-len(ext)]), " .") + ext
}

// formatMB writes a byte limit as whole megabytes for messages: "5 MB".
func formatMB(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }
