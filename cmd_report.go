package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// cmdReport writes a district's monthly progress report, as the operator of the server
// (no user session): the command line is for officials who run the system.
func cmdReport(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "district" {
		fmt.Fprintln(stdout, "Usage: shilpkosh report district --district SLUG --month YYYY-MM [--lang en|hi] --out FILE.pdf")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	fs := newFlags("report district", "report district --district SLUG --month YYYY-MM [--lang en|hi] --out FILE.pdf", stdout)
	district := fs.String("district", "", "district slug, e.g. jaipur")
	month := fs.String("month", "", "month as YYYY-MM")
	lang := fs.String("lang", "en", "headings in en or hi")
	out := fs.String("out", "", "where to write the PDF")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	m, err := app.ParseMonth(*month)
	if err != nil || *district == "" || *out == "" || (*lang != "en" && *lang != "hi") {
		fs.Usage()
		return errUsage
	}
	_, db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, db); err != nil {
		return err
	}
	r, err := app.BuildDistrictMonthly(ctx, db, *district, m)
	if err != nil {
		return err
	}
	pdf, err := reports.DistrictMonthly(r, *lang)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s (%d bytes).\n", *out, len(pdf))
	return nil
}
