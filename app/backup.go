package app

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// A backup is one gzipped tar file: a manifest first, then the database (a consistent
// SQLite copy made with VACUUM INTO, or a pg_dump custom-format archive), then the uploaded
// files under the data folder's subfolders (documents, photos) as files/<path>. The
// database file and secret.key at the top of the data folder are not files of the
// backup: the secret must be kept apart from the data it protects.
const (
	backupFormat       = 1
	backupManifestName = "shilpkosh-backup.json"
	backupSQLiteName   = "database.sqlite"
	backupPGName       = "database.pgdump"
	backupFilesPrefix  = "files/"
)

// BackupManifest describes a backup: which database it came from and what it held, so a
// restore can check that everything arrived.
type BackupManifest struct {
	Format    int              `json:"format"`
	Dialect   string           `json:"dialect"` // sqlite or postgres
	CreatedAt time.Time        `json:"created_at"`
	Rows      map[string]int64 `json:"rows"` // rows per table at the moment of the copy
	Files     int              `json:"files"`
}

// ErrRestoreTargetNotEmpty refuses a restore over a database that holds tables.
var ErrRestoreTargetNotEmpty = errors.New("backup: the target database is not empty (use --force to replace it)")

// WriteBackup writes a backup of the database at databaseURL and the files under dataDir.
func WriteBackup(ctx context.Context, databaseURL, dataDir string, w io.Writer) (*BackupManifest, error) {
	tmp, err := os.MkdirTemp("", "shilpkosh-backup-")
	if err != nil {
		return nil, fmt.Errorf("backup: temp folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	m := &BackupManifest{Format: backupFormat, CreatedAt: Now()}
	var dbFile, dbName string
	if strings.HasPrefix(databaseURL, "sqlite:") {
		m.Dialect, dbName, dbFile = "sqlite", backupSQLiteName, filepath.Join(tmp, backupSQLiteName)
		m.Rows, err = copySQLite(ctx, databaseURL, dbFile)
	} else {
		m.Dialect, dbName, dbFile = "postgres", backupPGName, filepath.Join(tmp, backupPGName)
		m.Rows, err = dumpPostgres(ctx, databaseURL, dbFile)
	}
	if err != nil {
		return nil, err
	}
	files, err := uploadedFiles(dataDir)
	if err != nil {
		return nil, err
	}
	m.Files = len(files)
	return m, writeBundle(w, m, dbName, dbFile, dataDir, files)
}

// copySQLite makes a consistent copy of a live SQLite database (VACUUM INTO reads one
// snapshot while writers go on) and counts the copy's rows.
func copySQLite(ctx context.Context, databaseURL, dst string) (map[string]int64, error) {
	db, err := OpenDB(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return nil, fmt.Errorf("backup: sqlite copy: %w", err)
	}
	cp, err := OpenDB(ctx, "sqlite:"+dst)
	if err != nil {
		return nil, err
	}
	defer cp.Close() // closing the last connection folds the WAL back into the file
	return TableRows(ctx, cp)
}

// TableRows counts the rows of every table of the database's schema.
func TableRows(ctx context.Context, db bun.IDB) (map[string]int64, error) {
	var tables []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if IsPostgres(db) {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() " +
			"AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	if err := db.NewRaw(q).Scan(ctx, &tables); err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	rows := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		if err := db.NewRaw("SELECT COUNT(*) FROM ?", bun.Ident(t)).Scan(ctx, &n); err != nil {
			return nil, fmt.Errorf("backup: count %s: %w", t, err)
		}
		rows[t] = n
	}
	return rows, nil
}

// uploadedFiles lists the files under dataDir's subfolders, as slash paths relative to it.
func uploadedFiles(dataDir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dataDir {
				return fs.SkipDir
			}
			return err
		}
		rel, err := filepath.Rel(dataDir, p)
		if err != nil || !d.Type().IsRegular() || !strings.Contains(filepath.ToSlash(rel), "/") {
			return err // top-level files (database, secret.key, other backups) stay out
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup: list files: %w", err)
	}
	return out, nil
}

func writeBundle(w io.Writer, m *BackupManifest, dbName, dbFile, dataDir string, files []string) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if err := tarBytes(tw, backupManifestName, manifest); err != nil {
		return err
	}
	if err := tarFile(tw, dbName, dbFile); err != nil {
		return err
	}
	for _, f := range files {
		if err := tarFile(tw, backupFilesPrefix+f, filepath.Join(dataDir, filepath.FromSlash(f))); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	return nil
}

func tarBytes(tw *tar.Writer, name string, b []byte) error {
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: time.Now(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("backup: write %s: %w", name, err)
	}
	if _, err := tw.Write(b); err != nil {
		return fmt.Errorf("backup: write %s: %w", name, err)
	}
	return nil
}

func tarFile(tw *tar.Writer, name, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("backup: read %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("backup: read %s: %w", name, err)
	}
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("backup: write %s: %w", name, err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("backup: write %s: %w", name, err)
	}
	return nil
}

// RestoreBackup restores a backup into the database at databaseURL, which must be empty
// unless force is set, and its files into dataDir; then it counts the restored rows
// against the manifest. Stop every server on the database first.
func RestoreBackup(ctx context.Context, databaseURL, dataDir string, r io.Reader, force bool) (*BackupManifest, error) {
	tmp, err := os.MkdirTemp("", "shilpkosh-restore-")
	if err != nil {
		return nil, fmt.Errorf("restore: temp folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	m, dbFile, files, err := readBundle(r, tmp)
	if err != nil {
		return nil, err
	}
	wantDialect := "postgres"
	if strings.HasPrefix(databaseURL, "sqlite:") {
		wantDialect = "sqlite"
	}
	if m.Dialect != wantDialect {
		return nil, fmt.Errorf("restore: a %s backup cannot be restored into %s", m.Dialect, wantDialect)
	}
	if m.Dialect == "sqlite" {
		err = restoreSQLite(ctx, databaseURL, dbFile, force)
	} else {
		err = restorePostgres(ctx, databaseURL, dbFile, force)
	}
	if err != nil {
		return nil, err
	}
	if err := placeFiles(tmp, dataDir, files); err != nil {
		return nil, err
	}
	return m, checkRestoredRows(ctx, databaseURL, m.Rows)
}

// readBundle unpacks a backup into dir and returns its manifest, the database file and
// the uploaded files' relative paths. Names are checked: nothing lands outside dir.
func readBundle(r io.Reader, dir string) (*BackupManifest, string, []string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, "", nil, fmt.Errorf("restore: not a Shilpkosh backup: %w", err)
	}
	tr := tar.NewReader(zr)
	var m *BackupManifest
	var dbFile string
	var files []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", nil, fmt.Errorf("restore: read: %w", err)
		}
		name := path.Clean(hdr.Name)
		if hdr.Typeflag != tar.TypeReg || !fs.ValidPath(name) {
			return nil, "", nil, fmt.Errorf("restore: unexpected entry %q in the backup", hdr.Name)
		}
		switch {
		case name == backupManifestName:
			if m, err = readManifest(tr); err != nil {
				return nil, "", nil, err
			}
		case m == nil:
			return nil, "", nil, errors.New("restore: not a Shilpkosh backup (no manifest first)")
		case name == backupSQLiteName || name == backupPGName:
			dbFile = filepath.Join(dir, name)
			err = extractTo(tr, dbFile)
		case strings.HasPrefix(name, backupFilesPrefix):
			rel := strings.TrimPrefix(name, backupFilesPrefix)
			files = append(files, rel)
			err = extractTo(tr, filepath.Join(dir, "files", filepath.FromSlash(rel)))
		default:
			err = fmt.Errorf("restore: unexpected entry %q in the backup", hdr.Name)
		}
		if err != nil {
			return nil, "", nil, err
		}
	}
	if m == nil || dbFile == "" {
		return nil, "", nil, errors.New("restore: the backup is incomplete (no manifest or no database)")
	}
	return m, dbFile, files, nil
}

func readManifest(r io.Reader) (*BackupManifest, error) {
	m := new(BackupManifest)
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(m); err != nil {
		return nil, fmt.Errorf("restore: manifest: %w", err)
	}
	if m.Format != backupFormat {
		return nil, fmt.Errorf("restore: backup format %d is not %d", m.Format, backupFormat)
	}
	return m, nil
}

func extractTo(r io.Reader, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("restore: extract %s: %w", filepath.Base(dst), err)
	}
	return f.Close()
}

// restoreSQLite puts the copy in place of the target file, which must hold no tables
// unless force is set.
func restoreSQLite(ctx context.Context, databaseURL, src string, force bool) error {
	target := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
	if st, err := os.Stat(target); err == nil && st.Size() > 0 && !force {
		db, err := OpenDB(ctx, databaseURL)
		if err != nil {
			return err
		}
		rows, err := TableRows(ctx, db)
		db.Close()
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			return ErrRestoreTargetNotEmpty
		}
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	// A rename within one folder replaces the file at once: never half a database.
	staged := target + ".restoring"
	if err := copyFile(src, staged); err != nil {
		return err
	}
	if err := os.Rename(staged, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	return extractTo(in, dst)
}

// placeFiles moves the restored uploads into dataDir, replacing files of the same name.
func placeFiles(tmp, dataDir string, files []string) error {
	for _, rel := range files {
		dst := filepath.Join(dataDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if err := copyFile(filepath.Join(tmp, "files", filepath.FromSlash(rel)), dst); err != nil {
			return err
		}
	}
	return nil
}

// checkRestoredRows counts the restored database's rows against the manifest.
func checkRestoredRows(ctx context.Context, databaseURL string, want map[string]int64) error {
	db, err := OpenDB(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	got, err := TableRows(ctx, db)
	if err != nil {
		return err
	}
	for table, n := range want {
		if got[table] != n {
			return fmt.Errorf("restore: table %s has %d rows, the backup had %d", table, got[table], n)
		}
	}
	return nil
}
