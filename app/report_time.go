package app

import (
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// reportIST is India's clock: the department's months begin at midnight in Jaipur, not in
// Greenwich, so a change at 31 October 20:00 UTC (1 November 01:30 IST) is November's.
// India keeps no daylight saving, so a fixed zone is exact.
var reportIST = time.FixedZone("IST", 5*3600+1800)

// ReportZone returns the zone reports date their months and times in.
func ReportZone() *time.Location { return reportIST }

// monthStartIST is the first instant of m in India, in UTC for the database: times are
// stored in UTC, and SQLite compares them as text.
func monthStartIST(m Month) time.Time {
	return time.Date(m.Year, m.M, 1, 0, 0, 0, 0, reportIST).UTC()
}

// monthEndIST is the first instant after m in India, in UTC.
func monthEndIST(m Month) time.Time { return monthStartIST(m.Next()) }

// MonthInIST returns the month that instant t falls in for the department.
func MonthInIST(t time.Time) Month { return MonthOf(t.In(reportIST)) }

// istMonthSQL is the SQL for the month (YYYY-MM, India time) of the UTC timestamp column
// col, for grouping a period's rows by month in the database; it gives the month that
// MonthInIST gives. The one expression that differs between the databases.
func istMonthSQL(db bun.IDB, col string) string {
	if db.Dialect().Name() == dialect.PG {
		return "to_char((" + col + " AT TIME ZONE 'UTC') + INTERVAL '330 minutes', 'YYYY-MM')"
	}
	return "strftime('%Y-%m', " + col + ", '+330 minutes')"
}
