package app_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"shilpkosh/app"
)

func TestFormatIndian(t *testing.T) {
	for n, want := range map[int64]string{
		0:              "0",
		7:              "7",
		999:            "999",
		1000:           "1,000",
		-1000:          "-1,000",
		12345:          "12,345",
		100000:         "1,00,000",
		1234567:        "12,34,567",
		-1234567:       "-12,34,567",
		10000000:       "1,00,00,000", // one crore
		math.MaxInt64:  "92,23,37,20,36,85,47,75,807",
		math.MinInt64:  "-92,23,37,20,36,85,47,75,808",
		-999:           "-999",
		123456789012:   "1,23,45,67,89,012",
		-1234567890123: "-12,34,56,78,90,123",
	} {
		if got := app.FormatIndian(n); got != want {
			t.Errorf("FormatIndian(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatRupees(t *testing.T) {
	for p, want := range map[app.Paise]string{
		0:             "₹0",
		5:             "₹0.05",
		50:            "₹0.50",
		-50:           "-₹0.50",
		100000:        "₹1,000",
		-100000:       "-₹1,000",
		123456700:     "₹12,34,567",
		123456750:     "₹12,34,567.50",
		123456705:     "₹12,34,567.05",
		math.MinInt64: "-₹92,23,37,20,36,85,47,758.08",
		math.MaxInt64: "₹92,23,37,20,36,85,47,758.07",
	} {
		if got := app.FormatRupees(p); got != want {
			t.Errorf("FormatRupees(%d) = %q, want %q", int64(p), got, want)
		}
	}
	if got := app.Paise(150).String(); got != "₹1.50" {
		t.Errorf("Paise.String() = %q", got)
	}
}

func TestParseRupees(t *testing.T) {
	for in, want := range map[string]app.Paise{
		"1234":                          123400,
		"1,234.5":                       123450,
		"₹ 12,34,567.50":                123456750,
		"₹12,34,567":                    123456700,
		"1,234,567":                     123456700, // international grouping is read too
		"1234.05":                       123405,
		"0.5":                           50,
		" 75 ":                          7500,
		"-₹1,000":                       -100000,
		"-250.75":                       -25075,
		"-0":                            0,
		"0001":                          100,
		"₹ १२,३४०.५०":                   1234050, // Devanagari digits from a Hindi keyboard
		"₹92,23,37,20,36,85,47,758.07":  math.MaxInt64,
		"-₹92,23,37,20,36,85,47,758.08": math.MinInt64,
	} {
		got, err := app.ParseRupees(in)
		if err != nil || got != want {
			t.Errorf("ParseRupees(%q) = %d, %v; want %d", in, int64(got), err, int64(want))
		}
	}
	for _, in := range []string{
		"", " ", "₹", "-", "-₹",
		"1234.567",             // three decimals
		"12.3.4", "12.", ".50", // malformed decimals
		"12a", "abc", "1e5", "0x10", "Rs 100", "١٢٣", // letters and other scripts' digits
		"10,0000", "1,00,0000", ",100", "100,", "1,,000", "12,34,567.5,0", // misplaced commas
		"1 234", "+100", "--5", "₹-5", "5-",
		"₹92,23,37,20,36,85,47,758.08",  // one paisa past int64
		"-₹92,23,37,20,36,85,47,758.09", // one paisa past int64, negative
		"99999999999999999999",
	} {
		got, err := app.ParseRupees(in)
		if err == nil {
			t.Errorf("ParseRupees(%q) = %d, want an error", in, int64(got))
			continue
		}
		if !errors.Is(err, app.ErrInvalidAmount) || app.ErrorCode(err) != app.EINVALID {
			t.Errorf("ParseRupees(%q) error %v is not ErrInvalidAmount", in, err)
		}
	}
}

func FuzzFormatRupees(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 99, 100, 123456750, -100000, math.MaxInt64, math.MinInt64} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		s := app.FormatRupees(app.Paise(n))
		got, err := app.ParseRupees(s)
		if err != nil || got != app.Paise(n) {
			t.Errorf("ParseRupees(FormatRupees(%d) = %q) = %d, %v", n, s, int64(got), err)
		}
		if plain := strings.ReplaceAll(app.FormatIndian(n), ",", ""); plain != strconv.FormatInt(n, 10) {
			t.Errorf("FormatIndian(%d) without commas = %q", n, plain)
		}
	})
}

func FuzzParseRupees(f *testing.F) {
	for _, s := range []string{"1234", "1,234.5", "₹ 12,34,567.50", "-₹1,000", "1234.567", "10,0000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := app.ParseRupees(s)
		if err != nil {
			if !errors.Is(err, app.ErrInvalidAmount) {
				t.Errorf("ParseRupees(%q) error %v is not ErrInvalidAmount", s, err)
			}
			return
		}
		again, err := app.ParseRupees(app.FormatRupees(p))
		if err != nil || again != p {
			t.Errorf("ParseRupees(%q) = %d, but its formatted form reads back as %d, %v", s, int64(p), int64(again), err)
		}
	})
}
