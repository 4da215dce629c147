// Command shilpkosh is the registry and admin panel of Rajasthan's Department of Industries
// & Commerce for handloom, handicraft and khadi artisans. One binary serves the web app and
// the API and runs the administrative commands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/uptrace/bun"

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

// prepare brings the database to the current schema and reference data.
func prepare(ctx context.Context, db *bun.DB) error {
	if _, err := migrations.Up(ctx, db); err != nil {
		return err
	}
	return migrations.SeedReference(ctx, db)
}

func newLogger(cfg app.Config, w io.Writer) *slog.Logger {
	if cfg.Production {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
