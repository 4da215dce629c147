package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/migrations"
	"shilpkosh/policies"
)

const seedSynopsis = "seed reference|demo [--artisans N --months M --seed S --until YYYY-MM]"

func cmdSeed(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("seed", seedSynopsis, stdout)
	artisans := fs.Int("artisans", 0, "demo: generate this many artisans into an empty database instead of the small demo set")
	months := fs.Int("months", 24, "demo --artisans: months of store sales")
	seed := fs.Uint64("seed", 1, "demo --artisans: the same seed gives the same data")
	until := fs.String("until", app.MonthOf(time.Now()).Prev().String(), "demo --artisans: last month of sales")
	// The command comes first ("seed demo --artisans 1000"), so flags are read after it.
	what := ""
	if len(args) > 0 && slices.Contains([]string{"reference", "demo"}, args[0]) {
		what, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if what == "" || fs.NArg() != 0 || (what == "reference" && *artisans != 0) {
		fs.Usage()
		return errUsage
	}
	cfg, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, cfg, db); err != nil {
		return err
	}
	if what == "reference" {
		fmt.Fprintln(stdout, "Reference data loaded (existing rows kept as edited).")
		return nil
	}
	authz, err := policies.New(ctx, db)
	if err != nil {
		return err
	}
	demo := demoServices(db, authz, cfg)
	if *artisans > 0 {
		load, err := openLongDatabase(ctx, cfg, db)
		if err != nil {
			return err
		}
		if load != db {
			defer load.Close()
		}
		return seedGenerated(ctx, load, demo.Users, cfg, migrations.GenerateOptions{Artisans: *artisans,
			Months: *months, Until: *until, Seed: *seed, Log: stdout}, stdout)
	}
	if err := bootstrapAdmin(ctx, demo.Users, cfg, stdout); err != nil {
		return err
	}
	return seedDemo(ctx, demo, stdout)
}

// seedGenerated fills the empty database with a generated registry, then creates the
// administrator and the demo users of every role.
func seedGenerated(ctx context.Context, db *bun.DB, users *app.Users, cfg app.Config, opt migrations.GenerateOptions,
	stdout io.Writer) error {
	res, err := migrations.Generate(ctx, db, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Generated %d rows in %v (%.0f rows/s):\n", res.Total, res.Elapsed.Round(time.Millisecond),
		float64(res.Total)/res.Elapsed.Seconds())
	for _, t := range slices.Sorted(maps.Keys(res.Rows)) {
		fmt.Fprintf(stdout, "  %-24s %d\n", t, res.Rows[t])
	}
	if err := bootstrapAdmin(ctx, users, cfg, stdout); err != nil {
		return err
	}
	if _, err := migrations.SeedGeneratedUsers(ctx, users); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo sign-ins (password for each: "+migrations.DemoPassword+"):")
	for _, u := range migrations.DemoUsers {
		fmt.Fprintf(stdout, "  %-14s %s\n", u.Username, u.Name)
	}
	return nil
}
