package app_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"shilpkosh/app"
)

func testMonth(y int, m time.Month) app.Month { return app.Month{Year: y, M: m} }

func TestParseMonth(t *testing.T) {
	for in, want := range map[string]app.Month{
		"2026-10": testMonth(2026, time.October),
		"2027-01": testMonth(2027, time.January),
		"1999-12": testMonth(1999, time.December),
	} {
		got, err := app.ParseMonth(in)
		if err != nil || got != want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), in)
		}
	}
	for _, in := range []string{"2026-1", "2026-13", "2026-00", "26-10", "2026/10", "2026-10-01",
		" 2026-10", "2026-1a", "+026-10", "２０２６-10", ""} {
		if got, err := app.ParseMonth(in); err == nil {
			t.Errorf("ParseMonth(%q) = %v, want an error", in, got)
		} else if !errors.Is(err, app.ErrInvalidMonth) {
			t.Errorf("ParseMonth(%q) error %v is not ErrInvalidMonth", in, err)
		}
	}
}

func TestMonthArithmetic(t *testing.T) {
	dec, jan := testMonth(2026, time.December), testMonth(2027, time.January)
	if dec.Next() != jan || jan.Prev() != dec {
		t.Errorf("December/January wrap: %v.Next() = %v, %v.Prev() = %v", dec, dec.Next(), jan, jan.Prev())
	}
	for _, c := range []struct {
		from app.Month
		n    int
		want app.Month
	}{
		{testMonth(2026, time.October), 0, testMonth(2026, time.October)},
		{testMonth(2026, time.October), 3, testMonth(2027, time.January)},
		{testMonth(2026, time.October), -10, testMonth(2025, time.December)},
		{testMonth(2026, time.January), -1, testMonth(2025, time.December)},
		{testMonth(2026, time.January), -13, testMonth(2024, time.December)},
		{testMonth(2026, time.March), 24, testMonth(2028, time.March)},
		{testMonth(0, time.January), -1, testMonth(-1, time.December)},
	} {
		if got := c.from.AddMonths(c.n); got != c.want {
			t.Errorf("%v.AddMonths(%d) = %v, want %v", c.from, c.n, got, c.want)
		}
	}
	if got := testMonth(2026, time.February).SameMonthLastYear(); got != testMonth(2025, time.February) {
		t.Errorf("SameMonthLastYear = %v", got)
	}
	if !dec.Before(jan) || jan.Before(dec) || dec.Before(dec) {
		t.Error("Before disagrees with the calendar")
	}
}

func TestMonthStartEnd(t *testing.T) {
	m := testMonth(2024, time.February)
	if got, want := m.Start(), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Start = %v, want %v", got, want)
	}
	if got, want := m.End(), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("End = %v, want %v", got, want)
	}
	if got := testMonth(2026, time.December).End(); !got.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("December End = %v", got)
	}
}

func TestMonthOf(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	utc := time.Date(2027, 3, 31, 20, 0, 0, 0, time.UTC)
	if got := app.MonthOf(utc); got != testMonth(2027, time.March) {
		t.Errorf("MonthOf(UTC) = %v", got)
	}
	if got := app.MonthOf(utc.In(ist)); got != testMonth(2027, time.April) {
		t.Errorf("MonthOf(IST) = %v, want 2027-04", got)
	}
}

func TestLast13Months(t *testing.T) {
	got := app.Last13Months(testMonth(2026, time.October))
	if len(got) != 13 || got[0] != testMonth(2025, time.October) || got[12] != testMonth(2026, time.October) {
		t.Fatalf("Last13Months = %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Next() != got[i] {
			t.Errorf("Last13Months not consecutive at %d: %v", i, got)
		}
	}
}

func TestFYOfMonth(t *testing.T) {
	for m, want := range map[app.Month]string{
		testMonth(2026, time.April):    "2026-27",
		testMonth(2027, time.March):    "2026-27",
		testMonth(2027, time.April):    "2027-28",
		testMonth(2027, time.January):  "2026-27",
		testMonth(2026, time.December): "2026-27",
		testMonth(2099, time.May):      "2099-00",
		testMonth(2100, time.February): "2099-00",
		testMonth(1999, time.June):     "1999-00",
		testMonth(2009, time.June):     "2009-10",
	} {
		if got := app.FinancialYear(m).String(); got != want {
			t.Errorf("FinancialYear(%v) = %s, want %s", m, got, want)
		}
	}
}

func TestFYMonths(t *testing.T) {
	fy := app.FY{StartYear: 2026}
	ms := fy.Months()
	if len(ms) != 12 || ms[0] != testMonth(2026, time.April) || ms[8] != testMonth(2026, time.December) ||
		ms[9] != testMonth(2027, time.January) || ms[11] != testMonth(2027, time.March) {
		t.Errorf("Months = %v", ms)
	}
	for _, m := range ms {
		if app.FinancialYear(m) != fy {
			t.Errorf("%v is listed in %v but belongs to %v", m, fy, app.FinancialYear(m))
		}
	}
	if got := fy.Start(); !got.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Start = %v", got)
	}
	if got := fy.End(); !got.Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) || !got.Equal(ms[11].End()) {
		t.Errorf("End = %v", got)
	}
}

func TestFYToDate(t *testing.T) {
	for _, c := range []struct {
		m     app.Month
		first app.Month
		n     int
	}{
		{testMonth(2026, time.April), testMonth(2026, time.April), 1},
		{testMonth(2026, time.October), testMonth(2026, time.April), 7},
		{testMonth(2027, time.January), testMonth(2026, time.April), 10},
		{testMonth(2027, time.March), testMonth(2026, time.April), 12},
		{testMonth(2027, time.April), testMonth(2027, time.April), 1},
	} {
		got := app.FYToDate(c.m)
		if len(got) != c.n || got[0] != c.first || got[len(got)-1] != c.m {
			t.Errorf("FYToDate(%v) = %v", c.m, got)
		}
	}
	want := app.FY{StartYear: 2026}.Months()
	if got := app.FYToDate(testMonth(2027, time.March)); !slices.Equal(got, want) {
		t.Errorf("FYToDate(March) = %v, want the whole year %v", got, want)
	}
}

func TestParseFY(t *testing.T) {
	for in, want := range map[string]int{"2026-27": 2026, "2099-00": 2099, "1999-00": 1999, "2009-10": 2009} {
		got, err := app.ParseFY(in)
		if err != nil || got.StartYear != want || got.String() != in {
			t.Errorf("ParseFY(%q) = %v, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"2026-28", "2026-26", "2026-2027", "2026", "26-27", "2026/27", "2099-100", "2026-2", "abcd-ef", ""} {
		if got, err := app.ParseFY(in); err == nil {
			t.Errorf("ParseFY(%q) = %v, want an error", in, got)
		} else if !errors.Is(err, app.ErrInvalidMonth) {
			t.Errorf("ParseFY(%q) error %v is not ErrInvalidMonth", in, err)
		}
	}
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-10", "2026-1", "2026-13", "26-10", "0000-01", ""} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		m, err := app.ParseMonth(s)
		if err != nil {
			return
		}
		if m.String() != s {
			t.Errorf("ParseMonth(%q).String() = %q", s, m.String())
		}
		n %= 100000 // keep years in range for time.Date
		if got := m.AddMonths(n).AddMonths(-n); got != m {
			t.Errorf("%v.AddMonths(%d).AddMonths(%d) = %v", m, n, -n, got)
		}
		if !m.Start().Before(m.End()) || !m.End().Equal(m.Next().Start()) {
			t.Errorf("%v: Start %v, End %v", m, m.Start(), m.End())
		}
		fy := app.FinancialYear(m)
		if !slices.Contains(fy.Months(), m) {
			t.Errorf("%v not among the months of %v", m, fy)
		}
		if ytd := app.FYToDate(m); ytd[len(ytd)-1] != m || app.FinancialYear(ytd[0]) != fy {
			t.Errorf("FYToDate(%v) = %v", m, ytd)
		}
	})
}

func FuzzParseFY(f *testing.F) {
	for _, s := range []string{"2026-27", "2099-00", "2026-28", "2026-2027", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fy, err := app.ParseFY(s)
		if err != nil {
			return
		}
		if fy.String() != s {
			t.Errorf("ParseFY(%q).String() = %q", s, fy.String())
		}
		if ms := fy.Months(); app.FinancialYear(ms[0]) != fy || app.FinancialYear(ms[11]) != fy {
			t.Errorf("%v: months %v fall outside it", fy, ms)
		}
	})
}
