package app

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// dumpPostgres runs pg_dump (custom format) on the database's schema and counts the rows
// of the very snapshot it dumps: a repeatable-read transaction exports its snapshot and
// pg_dump reads through it, so the counts and the dump agree even while the app writes.
func dumpPostgres(ctx context.Context, databaseURL, dst string) (map[string]int64, error) {
	bin, err := postgresTool("pg_dump")
	if err != nil {
		return nil, err
	}
	conn, schema, err := libpqURL(databaseURL)
	if err != nil {
		return nil, err
	}
	db, err := OpenDB(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("backup: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	var snapshot string
	if err := tx.NewRaw("SELECT pg_export_snapshot()").Scan(ctx, &snapshot); err != nil {
		return nil, fmt.Errorf("backup: export snapshot: %w", err)
	}
	rows, err := TableRows(ctx, tx)
	if err != nil {
		return nil, err
	}
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--snapshot=" + snapshot,
		"--file=" + dst, "--dbname=" + conn}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	if err := runTool(ctx, bin, args); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return rows, nil
}

// restorePostgres runs pg_restore into the database's schema, which must hold no tables
// unless force is set (then what the backup holds is dropped and recreated). It runs in
// one transaction: a restore that fails leaves the database as it was.
func restorePostgres(ctx context.Context, databaseURL, src string, force bool) error {
	bin, err := postgresTool("pg_restore")
	if err != nil {
		return err
	}
	conn, _, err := libpqURL(databaseURL)
	if err != nil {
		return err
	}
	if !force {
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
	args := []string{"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=" + conn}
	if force {
		args = append(args, "--clean", "--if-exists")
	}
	if err := runTool(ctx, bin, append(args, src)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// libpqURL turns the app's database URL into one pg_dump and pg_restore accept: they know
// sslmode and a few more parameters but not search_path, which names the schema instead.
func libpqURL(databaseURL string) (conn, schema string, err error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", "", fmt.Errorf("backup: DATABASE_URL: %w", err)
	}
	q := u.Query()
	schema = q.Get("search_path")
	keep := url.Values{}
	for k, v := range q {
		if slices.Contains([]string{"sslmode", "application_name", "connect_timeout", "sslrootcert"}, k) {
			keep[k] = v
		}
	}
	if schema != "" {
		keep.Set("options", "-c search_path="+schema)
	}
	u.RawQuery = strings.ReplaceAll(keep.Encode(), "+", "%20") // libpq reads no + as a space
	return u.String(), schema, nil
}

// postgresTool finds a PostgreSQL client program on PATH or where Debian installs the
// server's (the newest version first).
func postgresTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	slices.Sort(found) // a version-number sort is not needed while versions have two digits
	if len(found) > 0 {
		return found[len(found)-1], nil
	}
	return "", fmt.Errorf("backup: %s not found: install the PostgreSQL client programs", name)
}

func runTool(ctx context.Context, bin string, args []string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(bin), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
