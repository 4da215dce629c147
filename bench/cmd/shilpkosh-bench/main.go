// Command shilpkosh-bench loads a running Shilpkosh server and prints each figure with
// the command that produced it. bench/run.sh starts the server and calls it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"shilpkosh/app"
	"shilpkosh/bench"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8181", "the server's base URL")
	user := flag.String("user", "admin", "who signs in")
	password := flag.String("password", os.Getenv("SHILPKOSH_ADMIN_PASSWORD"), "their password")
	district := flag.String("district", "jaipur", "the district to list and search")
	pid := flag.Int("pid", 0, "the server's process id, for its peak RSS")
	duration := flag.Duration("duration", 10*time.Second, "how long each load runs")
	only := flag.String("only", "", "run only the workloads whose name contains this")
	importRows := flag.Int("import-rows", 0, "instead of the load: upload a CSV and an XLSX file of this many new artisans each")
	importFirst := flag.Int("import-first", 0, "number of the first generated row (a second run on one database needs new rows)")
	flag.Parse()
	var err error
	if *importRows > 0 {
		err = runImports(*url, *user, *password, *pid, *importRows, *importFirst)
	} else {
		err = run(*url, *user, *password, *district, *only, *pid, *duration)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(url, user, password, district, only string, pid int, d time.Duration) error {
	ctx := context.Background()
	dbURL := os.Getenv("DATABASE_URL")
	db, err := app.OpenDB(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	token, err := bench.Login(url, user, password)
	if err != nil {
		return err
	}
	return bench.Report(ctx, os.Stdout, bench.ReportOptions{BaseURL: url, DB: db.DB, Postgres: app.IsPostgres(db),
		District: district, Only: only, Token: token, ServerPID: pid, Duration: d,
		Command: "DATABASE_URL=" + redact(dbURL) + " go run ./bench/cmd/shilpkosh-bench " + strings.Join(os.Args[1:], " ")})
}

// runImports times the import of generated files through the server's API.
func runImports(url, user, password string, pid, rows, first int) error {
	token, err := bench.Login(url, user, password)
	if err != nil {
		return err
	}
	return bench.Imports(os.Stdout, bench.ImportOptions{BaseURL: url, Token: token, Rows: rows, First: first,
		ServerPID: pid, Command: "go run ./bench/cmd/shilpkosh-bench " + strings.Join(os.Args[1:], " ")})
}

func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 && strings.Contains(url, "://") {
		scheme := url[:strings.Index(url, "://")+3]
		return scheme + "…" + url[at:]
	}
	return url
}
