// Command shilpkosh is the registry and admin panel of Rajasthan's Department of Industries
// & Commerce for handloom, handicraft and khadi artisans. One binary serves the web app and
// the API and runs the administrative commands.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"shilpkosh/app"
	"shilpkosh/migrations"
)

const usage = `Shilpkosh (शिल्पकोष): artisan registry and admin panel.

Usage: shilpkosh COMMAND [ARGS]

Commands:
  serve [--demo]              run the web app and API (migrates and seeds reference data first)
  migrate up|down|status      apply, roll back or list database migrations
  user add|passwd|list        manage user accounts
  seed reference|demo         load reference data, or the demo data set
  report district|all         write monthly progress reports as PDF (one district, or all and the state)
  backup --out FILE           write the database and uploaded files into one file
  restore [--force] FILE      restore a backup into an empty database
  audit verify                check the audit log's hash chain, naming the first broken entry
  healthcheck                 exit 0 if the server on SHILPKOSH_ADDR is ready (for containers)

Run "shilpkosh COMMAND --help" for a command's options.
Environment: SHILPKOSH_ADDR, DATABASE_URL, SHILPKOSH_SECRET, SHILPKOSH_ADMIN_PASSWORD,
SHILPKOSH_ENV, SHILPKOSH_DATA_DIR, SHILPKOSH_TRUSTED_PROXIES, SHILPKOSH_PUBLIC_URL (see README.md).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	commands := map[string]func(context.Context, []string, io.Reader, io.Writer) error{
		"serve": cmdServe, "migrate": cmdMigrate, "user": cmdUser, "seed": cmdSeed,
		"healthcheck": cmdHealthcheck, "report": cmdReport, "audit": cmdAudit,
		"backup": cmdBackup, "restore": cmdRestore,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "shilpkosh: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	stopProfile := cpuProfile()
	defer stopProfile()
	if err := cmd(ctx, args[1:], stdin, stdout); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		fmt.Fprintf(stderr, "shilpkosh %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// newFlags makes a command's flag set whose --help prints the command's own usage.
func newFlags(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: shilpkosh %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// openDatabase reads the configuration and opens the database it names.
func openDatabase(ctx context.Context) (app.Config, *bun.DB, error) {
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		return cfg, nil, err
	}
	db, err := app.OpenDB(ctx, cfg.DatabaseURL)
	return cfg, db, err
}

// prepare brings the database to the current schema and reference data, over a handle
// that allows long statements (a migration may backfill a roll-up over the whole registry).
func prepare(ctx context.Context, cfg app.Config, db *bun.DB) error {
	long, err := openLongDatabase(ctx, cfg, db)
	if err != nil {
		return err
	}
	if long != db {
		defer long.Close()
	}
	if _, err := migrations.Up(ctx, long); err != nil {
		return err
	}
	return migrations.SeedReference(ctx, long)
}

// openLongDatabase gives the generator and the migrations their own PostgreSQL handle
// without the server's 10-second socket timeouts: at state scale one index build,
// constraint check, roll-up backfill or ANALYZE runs for longer than that. SQLite has no such timeout, so its handle is db itself.
func openLongDatabase(ctx context.Context, cfg app.Config, db *bun.DB) (*bun.DB, error) {
	if !app.IsPostgres(db) {
		return db, nil
	}
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(cfg.DatabaseURL), pgdriver.WithDialTimeout(10*time.Second),
		pgdriver.WithReadTimeout(0), pgdriver.WithWriteTimeout(0)))
	load := bun.NewDB(sqldb, pgdialect.New())
	if err := load.PingContext(ctx); err != nil {
		load.Close()
		return nil, fmt.Errorf("db: connect for long statements: %w", err)
	}
	return load, nil
}

func newLogger(cfg app.Config, w io.Writer) *slog.Logger {
	if cfg.Production {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
