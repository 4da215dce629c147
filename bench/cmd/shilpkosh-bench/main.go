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
	flag.Parse()
	if err := run(*url, *user, *password, *district, *only, *pid, *duration); err != nil {
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

func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 && strings.Contains(url, "://") {
		scheme := url[:strings.Index(url, "://")+3]
		return scheme + "…" + url[at:]
	}
	return url
}
