package app

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Paise is an amount of money in paise (1/100 rupee). Money is never a float: sums of
// subsidies and sales must come out to the paisa in every report.
type Paise int64

// String formats p as FormatRupees does, so templates and logs show rupees.
func (p Paise) String() string { return FormatRupees(p) }

// ErrInvalidAmount is wrapped by every ParseRupees error; its key is KeyAmount.
var ErrInvalidAmount = Errorf(EINVALID, KeyAmount)

// FormatIndian formats n with Indian digit grouping: the last three digits, then pairs
// (12,34,567 for twelve lakh thirty-four thousand five hundred sixty-seven), which is how
// officials read figures.
func FormatIndian(n int64) string {
	if n < 0 {
		// Negating in uint64 keeps math.MinInt64, whose negation overflows int64.
		return "-" + groupIndian(-uint64(n))
	}
	return groupIndian(uint64(n))
}

func groupIndian(u uint64) string {
	digits := fmt.Sprint(u)
	if len(digits) <= 3 {
		return digits
	}
	head, tail := digits[:len(digits)-3], digits[len(digits)-3:]
	var b strings.Builder
	if len(head)%2 == 1 {
		b.WriteString(head[:1])
		head = head[1:]
	} else {
		b.WriteString(head[:2])
		head = head[2:]
	}
	for ; head != ""; head = head[2:] {
		b.WriteByte(',')
		b.WriteString(head[:2])
	}
	b.WriteByte(',')
	b.WriteString(tail)
	return b.String()
}

// FormatRupees formats p as ₹12,34,567, or ₹12,34,567.50 when there are paise; negative
// amounts as -₹1,000.
func FormatRupees(p Paise) string {
	sign, u := "", uint64(p)
	if p < 0 {
		sign, u = "-", -u // in uint64, as in FormatIndian, for math.MinInt64
	}
	s := sign + "₹" + groupIndian(u/100)
	if paise := u % 100; paise != 0 {
		s += fmt.Sprintf(".%02d", paise)
	}
	return s
}

// ParseRupees reads a rupee amount as typed: "1234", "1,234.5", "₹ 12,34,567.50", "-₹1,000",
// in ASCII or Devanagari digits.
// Commas must follow Indian or international grouping, because a misplaced comma
// ("10,0000") usually means a mistyped amount. More than two decimals, anything but digits,
// and amounts beyond int64 paise are refused. The result is exact: no float is involved.
func ParseRupees(s string) (Paise, error) {
	p, err := parseRupees(s)
	if err != nil {
		return 0, fmt.Errorf("money: %q: %v: %w", s, err, ErrInvalidAmount)
	}
	return p, nil
}

func parseRupees(s string) (Paise, error) {
	s = strings.Map(devanagariToASCII, strings.TrimSpace(s))
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	if rest, ok := strings.CutPrefix(s, "₹"); ok {
		s = strings.TrimSpace(rest)
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		return 0, errors.New("no rupees")
	}
	if hasFrac && (frac == "" || len(frac) > 2 || !allASCIIDigits(frac)) {
		return 0, errors.New("paise must be one or two digits")
	}
	if strings.Contains(whole, ",") {
		if !groupedIndian(whole) && !groupedInternational(whole) {
			return 0, errors.New("misplaced comma")
		}
		whole = strings.ReplaceAll(whole, ",", "")
	}
	if !allASCIIDigits(whole) {
		return 0, errors.New("not a number")
	}
	// Accumulate the magnitude in uint64 so that -₹92,23,37,20,36,85,47,758.08
	// (math.MinInt64 paise) parses, since FormatRupees prints it.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var u uint64
	for _, c := range []byte(whole + (frac + "00")[:2]) {
		d := uint64(c - '0')
		if u > (limit-d)/10 {
			return 0, errors.New("too large")
		}
		u = u*10 + d
	}
	if neg {
		return Paise(int64(-u)), nil // two's complement: right for every u up to 2^63
	}
	return Paise(u), nil
}

// groupedIndian reports whether s is digits grouped as 12,34,567.
func groupedIndian(s string) bool {
	groups := strings.Split(s, ",")
	last := len(groups) - 1
	for i, g := range groups {
		want := 2
		if i == last {
			want = 3
		}
		if !allASCIIDigits(g) || len(g) != want && !(i == 0 && len(g) == 1) {
			return false
		}
	}
	return true
}

// groupedInternational reports whether s is digits grouped as 1,234,567.
func groupedInternational(s string) bool {
	groups := strings.Split(s, ",")
	for i, g := range groups {
		if !allASCIIDigits(g) || len(g) != 3 && !(i == 0 && len(g) >= 1 && len(g) <= 2) {
			return false
		}
	}
	return true
}
