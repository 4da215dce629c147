package main

import (
	"context"
	"fmt"
	"io"

	"shilpkosh/policies"
)

func cmdSeed(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("seed", "seed reference|demo", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "reference" && fs.Arg(0) != "demo") {
		fs.Usage()
		return errUsage
	}
	cfg, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, db); err != nil {
		return err
	}
	if fs.Arg(0) == "reference" {
		fmt.Fprintln(stdout, "Reference data loaded (existing rows kept as edited).")
		return nil
	}
	authz, err := policies.New(ctx, db)
	if err != nil {
		return err
	}
	demo := demoServices(db, authz, cfg)
	if err := bootstrapAdmin(ctx, demo.Users, cfg, stdout); err != nil {
		return err
	}
	return seedDemo(ctx, demo, stdout)
}
