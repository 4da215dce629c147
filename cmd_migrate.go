package main

import (
	"context"
	"fmt"
	"io"

	"shilpkosh/migrations"
)

func cmdMigrate(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("migrate", "migrate up|down|status", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	cfg, served, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer served.Close()
	db, err := openLongDatabase(ctx, cfg, served)
	if err != nil {
		return err
	}
	if db != served {
		defer db.Close()
	}
	switch fs.Arg(0) {
	case "up":
		group, err := migrations.Up(ctx, db)
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Fprintln(stdout, "The database is up to date.")
			return nil
		}
		fmt.Fprintf(stdout, "Applied %s\n", group)
	case "down":
		group, err := migrations.Down(ctx, db)
		if err != nil {
			return err
		}
		if group.IsZero() {
			fmt.Fprintln(stdout, "Nothing to roll back.")
			return nil
		}
		fmt.Fprintf(stdout, "Rolled back %s\n", group)
	case "status":
		ms, err := migrations.Status(ctx, db)
		if err != nil {
			return err
		}
		for _, m := range ms {
			state := "pending"
			if m.IsApplied() {
				state = fmt.Sprintf("applied (group %d)", m.GroupID)
			}
			fmt.Fprintf(stdout, "%-40s %s\n", m.Name+"_"+m.Comment, state)
		}
	default:
		fs.Usage()
		return errUsage
	}
	return nil
}
