package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"shilpkosh/app"
)

// TestServeReportScheduleOff runs the binary: an instance started with
// SHILPKOSH_REPORT_SCHEDULE=off never claims last month's reports (the benchmarks start
// such instances so as to measure requests, not 84 reports), while one started with it on
// claims them on start.
func TestServeReportScheduleOff(t *testing.T) {
	bin := buildBinary(t)
	for _, setting := range []string{"on", "off"} {
		t.Run(setting, func(t *testing.T) {
			t.Setenv("SHILPKOSH_REPORT_SCHEDULE", setting)
			dir := t.TempDir()
			url := "sqlite:" + filepath.Join(dir, "shilpkosh.db")
			srv := startServer(t, bin, url, dir)
			ctx := context.Background()
			db, err := app.OpenDB(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			claims := func() int {
				t.Helper()
				var n int
				if err := db.NewRaw("SELECT COUNT(*) FROM report_runs").Scan(ctx, &n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			// The schedule looks at once on start; on a busy machine give it a few seconds.
			deadline := time.Now().Add(20 * time.Second)
			if setting == "off" {
				deadline = time.Now().Add(3 * time.Second)
			}
			for claims() == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if got, want := claims() > 0, setting == "on"; got != want {
				t.Errorf("SHILPKOSH_REPORT_SCHEDULE=%s: reports claimed %v, want %v\n%s", setting, got, want, srv.log.String())
			}
		})
	}
}
