package app_test

import (
	"context"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/reports"
)

// rptBenchHistory gives each generated artisan the one event that set its status, which
// the reports replay, and the roll-up they read.
func rptBenchHistory(b *testing.B, e *artEnv) {
	if _, err := e.db.NewRaw("INSERT INTO artisan_events (artisan_id, at, actor_name, from_status, to_status, action) " +
		"SELECT id, status_changed_at, 'bench', '', status, 'import' FROM artisans").Exec(context.Background()); err != nil {
		b.Fatal(err)
	}
	if err := app.RebuildArtisanStatusMonths(context.Background(), e.db); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDistrictReport builds, renders (once: the code hashes the data) and archives
// one district's report over the generated registry:
// SHILPKOSH_BENCH_ARTISANS=200000 go test ./app/ -run '^$' -bench DistrictReport -benchtime 5x
func BenchmarkDistrictReport(b *testing.B) {
	artBench(b, func(b *testing.B, e *artEnv) {
		rptBenchHistory(b, e)
		ar := &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: reports.Renderer{BaseURL: "https://shilpkosh.example"}}
		m := app.MonthInIST(time.Now()).Prev()
		b.ResetTimer()
		for b.Loop() {
			if _, err := ar.Generate(context.Background(), app.System, "generate",
				app.GenerateRequest{District: "jaipur", Month: m.String(), Lang: "hi"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReportAll generates every district's report and the state summary in one
// language, GOMAXPROCS at a time, as `shilpkosh report all` does:
// SHILPKOSH_BENCH_ARTISANS=200000 go test ./app/ -run '^$' -bench ReportAll -benchtime 1x
func BenchmarkReportAll(b *testing.B) {
	artBench(b, func(b *testing.B, e *artEnv) {
		rptBenchHistory(b, e)
		ar := &app.ReportArchive{DB: e.db, Authz: e.authz, Renderer: reports.Renderer{BaseURL: "https://shilpkosh.example"}}
		m := app.MonthInIST(time.Now()).Prev()
		jobs, err := app.MonthJobs(context.Background(), e.db, m, []string{"en"})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if err := ar.GenerateAll(context.Background(), app.System, jobs, 0,
				func(app.GenerateRequest, *app.ArchivedReport) bool { return true }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
