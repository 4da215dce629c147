package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"shilpkosh/app"
)

// cmdBackup writes the database and the uploaded files into one file. It runs beside a
// serving instance: the copy is of one consistent moment.
func cmdBackup(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("backup", "backup --out FILE.tar.gz", stdout)
	out := fs.String("out", "", "where to write the backup (a gzipped tar file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	// Written beside the target and renamed at the end: a backup cut short never looks whole.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	m, err := app.WriteBackup(ctx, cfg.DatabaseURL, cfg.DataDir, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s: %s database, %d tables, %d rows, %d files.\n", *out, m.Dialect, len(m.Rows), totalRows(m), m.Files)
	return nil
}

// cmdRestore restores a backup into an empty database (or over one with --force) and its
// files into the data folder, then checks the row counts against the backup's.
func cmdRestore(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("restore", "restore [--force] FILE.tar.gz", stdout)
	force := fs.Bool("force", false, "replace what the target database holds (stop every server first)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := app.RestoreBackup(ctx, cfg.DatabaseURL, cfg.DataDir, f, *force)
	if errors.Is(err, app.ErrRestoreTargetNotEmpty) {
		return fmt.Errorf("%w; DATABASE_URL names a database that already holds tables", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored the backup of %s: %d tables, %d rows, %d files; row counts match the backup.\n",
		m.CreatedAt.Format("2006-01-02 15:04 MST"), len(m.Rows), totalRows(m), m.Files)
	return nil
}

func totalRows(m *app.BackupManifest) int64 {
	var n int64
	for _, c := range m.Rows {
		n += c
	}
	return n
}
