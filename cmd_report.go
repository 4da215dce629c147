package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
	if err := writeReportFile(*out, a.Content); err != nil {
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
	if err := prepare(ctx, cfg, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	return &app.ReportArchive{DB: db, Renderer: reports.Renderer{BaseURL: cfg.PublicURL}}, func() { db.Close() }, nil
}

// cmdReportAll writes every district's report and the state summary for a month into a
// folder, GOMAXPROCS at a time, with progress on stderr. A run cut short (killed, or
// failed) leaves whole reports only; the next run regenerates every report rather than
// trusting the files already there, since the data may have changed since: reports whose
// data has not are found unchanged in the archive and rewritten with the same bytes.
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
	if err := removePartialReports(*out); err != nil {
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
		if writeErr = writeReportFile(path, a.Content); writeErr != nil {
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

// partialSuffix marks a report being written: ".jaipur-2026-10.pdf.partial-123456" is
// hidden, does not end in .pdf, and is renamed into place only once whole.
const partialSuffix = ".partial-"

// writeReportFile writes a report so that its path holds either the previous file or the
// whole new one, never part of it, even if the process is killed: the bytes go to a
// temporary file beside it, are synced to disk, and renamed over the target.
func writeReportFile(path string, data []byte) error {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+partialSuffix+"*")
	if err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	err = fillAndSync(tmp, data)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name()) //nolint:errcheck // best effort: the next run removes it too
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() //nolint:errcheck // makes the rename durable where the filesystem allows
		d.Close()
	}
	return nil
}

// fillAndSync writes data to f, with the mode reports are published with, and closes it
// once the bytes are on disk.
func fillAndSync(f *os.File, data []byte) error {
	err := f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// removePartialReports deletes the temporary files a killed run left in dir, saying so
// on stderr. Two runs writing into one folder at the same time are not supported.
func removePartialReports(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("report: read %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		if !isPartialReport(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("report: remove partial file: %w", err)
		}
		n++
	}
	if n > 0 {
		fmt.Fprintf(os.Stderr, "Removed %d partial files left by an interrupted run.\n", n)
	}
	return nil
}

func isPartialReport(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".pdf"+partialSuffix)
}
