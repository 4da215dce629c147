package app

import (
	"fmt"
	"strconv"
	"time"
)

// Month is a calendar month, the unit of the department's monthly returns. It is
// comparable, so it serves as a map key when reports bucket figures by month.
type Month struct {
	Year int
	M    time.Month
}

// ErrInvalidMonth is wrapped by ParseMonth and ParseFY errors; its key is KeyMonth.
var ErrInvalidMonth = Errorf(EINVALID, KeyMonth)

// ParseMonth reads exactly YYYY-MM, as <input type="month"> sends it. Looser forms
// ("2026-1", "26-10") are refused rather than guessed at.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' || !allASCIIDigits(s[:4]) || !allASCIIDigits(s[5:]) {
		return Month{}, fmt.Errorf("month: %q is not YYYY-MM: %w", s, ErrInvalidMonth)
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:])
	if m < 1 || m > 12 {
		return Month{}, fmt.Errorf("month: %q has no month %d: %w", s, m, ErrInvalidMonth)
	}
	return Month{y, time.Month(m)}, nil
}

// MonthOf returns the month of t in t's own location; pass a time in India's zone to get
// India's month, since 31 March 20:00 UTC is already April in Jaipur.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

// String formats m as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.M)) }

// AddMonths returns the month n months after m (before, for negative n).
func (m Month) AddMonths(n int) Month {
	i := m.Year*12 + int(m.M) - 1 + n
	y, r := i/12, i%12
	if r < 0 { // Go's % keeps the dividend's sign; months before year 0 still land in 1-12
		y, r = y-1, r+12
	}
	return Month{y, time.Month(r + 1)}
}

// Next returns the month after m.
func (m Month) Next() Month { return m.AddMonths(1) }

// Prev returns the month before m.
func (m Month) Prev() Month { return m.AddMonths(-1) }

// SameMonthLastYear returns m a year earlier, for year-on-year comparisons.
func (m Month) SameMonthLastYear() Month { return Month{m.Year - 1, m.M} }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || m.Year == o.Year && m.M < o.M
}

// Start returns the first instant of m in UTC.
func (m Month) Start() time.Time { return time.Date(m.Year, m.M, 1, 0, 0, 0, 0, time.UTC) }

// End returns the first instant after m, so that a query reads start <= t < end and never
// loses the last second of the month.
func (m Month) End() time.Time { return m.Next().Start() }

// Last13Months returns the thirteen months ending at m, oldest first: a year of trend
// with the same month last year at both ends of a chart.
func Last13Months(m Month) []Month {
	out := make([]Month, 13)
	for i := range out {
		out[i] = m.AddMonths(i - 12)
	}
	return out
}

// FY is an Indian financial year, April to March, named by the year it starts in.
type FY struct{ StartYear int }

// FinancialYear returns the financial year m falls in: January-March belong to the year
// that began the previous April.
func FinancialYear(m Month) FY {
	if m.M >= time.April {
		return FY{m.Year}
	}
	return FY{m.Year - 1}
}

// ParseFY reads the common form 2026-27, and refuses one whose second year does not
// follow the first ("2026-28").
func ParseFY(s string) (FY, error) {
	if len(s) != 7 || s[4] != '-' || !allASCIIDigits(s[:4]) || !allASCIIDigits(s[5:]) {
		return FY{}, fmt.Errorf("fy: %q is not YYYY-YY: %w", s, ErrInvalidMonth)
	}
	y, _ := strconv.Atoi(s[:4])
	fy := FY{y}
	if fy.String() != s {
		return FY{}, fmt.Errorf("fy: %q: %d is not followed by %s: %w", s, y, s[5:], ErrInvalidMonth)
	}
	return fy, nil
}

// String formats the year as 2026-27; the year after 2099 prints as 2099-00, the usual
// Indian form.
func (f FY) String() string {
	return fmt.Sprintf("%04d-%02d", f.StartYear, ((f.StartYear+1)%100+100)%100)
}

// Months returns the twelve months of f, April first.
func (f FY) Months() []Month {
	out := make([]Month, 12)
	for i := range out {
		out[i] = Month{f.StartYear, time.April}.AddMonths(i)
	}
	return out
}

// Start returns the first instant of f (1 April, UTC).
func (f FY) Start() time.Time { return Month{f.StartYear, time.April}.Start() }

// End returns the first instant after f (1 April of the next year, UTC).
func (f FY) End() time.Time { return Month{f.StartYear + 1, time.April}.Start() }

// FYToDate returns the months from April of m's financial year through m, for
// year-to-date totals.
func FYToDate(m Month) []Month {
	start := Month{FinancialYear(m).StartYear, time.April}
	var out []Month
	for c := start; !m.Before(c); c = c.Next() {
		out = append(out, c)
	}
	return out
}
