package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"shilpkosh/app"
	"shilpkosh/reports"
)

const reportUsage = `Usage:
  shilpkosh report district --district SLUG --month YYYY-MM [--lang en|hi] --out FILE.pdf
  shilpkosh report all --month YYYY-MM [--lang en|hi] --out DIR`

// cmdReport writes monthly reports as the operator of the server (no user session): the
// command line is for officials who run the system. Every report written is archived
// first, so its printed verification code can be checked at /verify/{code}.
func cmdReport(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "district" && args[0] != "all") {
		fmt.Fprintln(stdout, reportUsage)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	if args[0] == "all" {
		return cmdReportAll(ctx, args[1:], stdout)
	}
	fs := newFlags("report district", "report district --district SLUG --month YYYY-MM [--lang en|hi] --out FILE.pdf", stdout)
	district := fs.String("district", "", "district slug, e.g. jaipur")
	month := fs.String("month", "", "month as YYYY-MM")
	lang := fs.String("lang", "en", "headings in en or hi")
	out := fs.String("out", "", "where to write the PDF")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	_, problem := reportFlagProblem(*month, *lang, *out)
	if problem == "" && *district == "" {
		problem = "--district is required, e.g. --district jaipur"
	}
	if problem != "" {
		return usageProblem(fs, problem)
	}
	arch, closeDB, err := openReportArchive(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	a, err := arch.Generate(ctx, app.System, "generate", app.GenerateRequest{Kind: app.ReportDistrict, District: *district,
		Month: *month, Lang: *lang})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, a.Content, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s (%d bytes, verification code %s).\n", *out, len(a.Content), app.FormatCode(a.Code))
	return nil
}

// reportFlagProblem checks the flags both report commands share and names the first
// that is wrong, or returns the month.
func reportFlagProblem(month, lang, out string) (app.Month, string) {
	m, err := app.ParseMonth(month)
	switch {
	case month == "":
		return m, "--month is required (YYYY-MM)"
	case err != nil:
		return m, fmt.Sprintf("--month %q: not a month (YYYY-MM)", month)
	case lang != "en" && lang != "hi":
		return m, fmt.Sprintf("--lang %q: want en or hi", lang)
	case out == "":
		return m, "--out is required"
	}
	return m, ""
}

// usageProblem prints what is wrong, then the usage, as the flag package does for a flag
// it cannot parse.
func usageProblem(fs *flag.FlagSet, problem string) error {
	fmt.Fprintln(fs.Output(), problem)
	fs.Usage()
	return errUsage
}

func openReportArchive(ctx context.Context) (*app.ReportArchive, func(), error) {
	cfg, db, err := openDatabase(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := prepare(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	return &app.ReportArchive{DB: db, Renderer: reports.Renderer{BaseURL: cfg.PublicURL}}, func() { db.Close() }, nil
}

// cmdReportAll writes every district's report and the state summary for a month into a
// folder, GOMAXPROCS at a time, with progress on stderr.
func cmdReportAll(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("report all", "report all --month YYYY-MM [--lang en|hi] --out DIR", stdout)
	month := fs.String("month", "", "month as YYYY-MM")
	lang := fs.String("lang", "en", "headings in en or hi")
	out := fs.String("out", "", "folder to write the PDFs into (created if missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, problem := reportFlagProblem(*month, *lang, *out)
	if problem != "" {
		return usageProblem(fs, problem)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	arch, closeDB, err := openReportArchive(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	jobs, err := app.MonthJobs(ctx, arch.DB, m, []string{*lang})
	if err != nil {
		return err
	}
	start, n := time.Now(), 0
	var writeErr error
	err = arch.GenerateAll(ctx, app.System, jobs, runtime.GOMAXPROCS(0), func(q app.GenerateRequest, a *app.ArchivedReport) bool {
		n++
		path := filepath.Join(*out, a.Filename())
		if writeErr = os.WriteFile(path, a.Content, 0o644); writeErr != nil {
			return false
		}
		fmt.Fprintf(os.Stderr, "[%2d/%d] %s %s\n", n, len(jobs), path, app.FormatCode(a.Code))
		return true
	})
	if writeErr != nil {
		return writeErr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %d reports for %s to %s in %s.\n", n, m, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
