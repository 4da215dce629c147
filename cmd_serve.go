package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/handlers"
	"shilpkosh/migrations"
	"shilpkosh/policies"
	"shilpkosh/reports"
)

func cmdServe(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("serve", "serve [--demo]", stdout)
	demo := fs.Bool("demo", false, "load the demo data set (demo users of every role) before serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, cfg, db); err != nil {
		return err
	}
	authz, err := policies.New(ctx, db)
	if err != nil {
		return err
	}
	users := &app.Users{DB: db, Authz: authz}
	if err := bootstrapAdmin(ctx, users, cfg, stdout); err != nil {
		return err
	}
	if *demo {
		if err := seedDemo(ctx, demoServices(db, authz, cfg), stdout); err != nil {
			return err
		}
	}
	log := newLogger(cfg, os.Stderr)
	// An import cut off by a restart saved nothing (its save is one transaction); say so.
	if n, err := app.RecoverImportJobs(ctx, db); err != nil {
		return err
	} else if n > 0 {
		log.Warn("imports interrupted by the last shutdown marked failed", "jobs", n)
	}
	// Other instances sharing the database may change roles or policy: follow them.
	go authz.Watch(ctx, 2*time.Second, log)
	// On the 1st of each month, archive last month's reports (once across instances).
	if !cfg.NoReportSchedule {
		go app.NewReportSchedule(db, authz, reports.Renderer{BaseURL: cfg.PublicURL}, log).Start(ctx)
	}
	srv := handlers.New(handlers.Deps{Config: cfg, DB: db, Authz: authz, Logger: log})
	errs := make(chan error, 1)
	go func() { errs <- srv.Listen(cfg.Addr) }()
	fmt.Fprintf(stdout, "Shilpkosh is serving on http://%s\n", displayAddr(cfg.Addr))
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// bootstrapAdmin creates the first state administrator on an empty database and prints its
// password once when it was generated.
func bootstrapAdmin(ctx context.Context, users *app.Users, cfg app.Config, out io.Writer) error {
	created, password, err := users.Bootstrap(ctx, cfg.AdminPassword)
	if err != nil || !created {
		return err
	}
	if cfg.AdminPassword == "" {
		fmt.Fprintf(out, "Created the first state administrator: username %q, password %q (shown once; change it).\n",
			app.AdminUsername, password)
	} else {
		fmt.Fprintf(out, "Created the first state administrator %q with the password from SHILPKOSH_ADMIN_PASSWORD.\n",
			app.AdminUsername)
	}
	return nil
}

func demoServices(db *bun.DB, authz app.Authorizer, cfg app.Config) migrations.Demo {
	return migrations.Demo{
		Users:         &app.Users{DB: db, Authz: authz},
		Artisans:      &app.Artisans{DB: db, Authz: authz, Keys: app.NewKeys(cfg.Secret)},
		Organisations: &app.Organisations{DB: db, Authz: authz},
		Stores:        &app.Stores{DB: db, Authz: authz},
		Sales:         &app.Sales{DB: db, Authz: authz},
	}
}

func seedDemo(ctx context.Context, d migrations.Demo, out io.Writer) error {
	res, err := migrations.SeedDemo(ctx, d)
	if err != nil {
		return err
	}
	if res.Users > 0 || res.Artisans > 0 {
		fmt.Fprintf(out, "Loaded the demo data set (%d demo users, %d artisans, %d store sales).\n", res.Users, res.Artisans, res.Sales)
	}
	fmt.Fprintln(out, "Demo sign-ins (password for each: "+migrations.DemoPassword+"):")
	for _, u := range migrations.AllDemoUsers() {
		fmt.Fprintf(out, "  %-14s %s\n", u.Username, u.Name)
	}
	return nil
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "localhost" + addr
	}
	return addr
}

var errUsage = errors.New("see --help")
