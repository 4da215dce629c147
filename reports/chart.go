package reports

import (
	"math"
	"strconv"
)

// Chart text sizes, points. Value labels shrink to fit their bar's slot, down
// to chartMinSize, so 13 monthly rupee amounts fit on a portrait page.
const (
	chartSize    = 7.0
	chartMinSize = 4.5
)

// BarChart draws a vertical bar chart in the box (x, y, w, h) mm: a value axis
// with gridlines, one bar per value, the value above each bar (below, for
// negative values) and the labels under the bars, wrapped to the bar's slot.
// format renders values and axis ticks (e.g. rupee amounts); nil prints
// plain integers.
func (d *Doc) BarChart(x, y, w, h float64, labels []string, values []int64, format func(int64) string) {
	if format == nil {
		format = func(v int64) string { return strconv.FormatInt(v, 10) }
	}
	lo, hi := int64(0), int64(0)
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	ticks := niceTicks(lo, hi)
	lo, hi = ticks[0], ticks[len(ticks)-1]

	lh := LineHeight(chartSize)
	axisW := 0.0
	for _, t := range ticks {
		axisW = max(axisW, d.TextWidth(format(t), chartSize, false))
	}
	axisW += 2
	px, pw := x+axisW, w-axisW
	n := max(len(values), 1)
	slot := pw / float64(n)

	labelLines := make([][]string, len(values))
	labelH := 0.0
	for i := range values {
		if i < len(labels) {
			labelLines[i] = d.Wrap(labels[i], slot-1, chartSize, false)
		}
		labelH = max(labelH, float64(len(labelLines[i]))*lh)
	}
	py := y + lh // room for value labels above the tallest bar
	ph := h - lh - labelH - 1
	if lo < 0 {
		ph -= lh // and below the deepest negative one
	}
	if ph <= 0 || pw <= 0 {
		return // box too small to say anything legible
	}
	yOf := func(v int64) float64 { return py + ph*float64(hi-v)/float64(hi-lo) }

	d.pdf.SetLineWidth(0.15)
	d.pdf.SetDrawColor(215, 218, 224)
	for _, t := range ticks {
		ty := yOf(t)
		d.pdf.Line(px, ty, px+pw, ty)
		d.TextAligned(x, ty+chartSize*0.35*mmPerPt, axisW-1.5, format(t), chartSize, false, AlignRight)
	}
	d.pdf.SetDrawColor(90, 90, 90)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(px, py, px, py+ph)
	zero := yOf(0)
	d.pdf.Line(px, zero, px+pw, zero)

	d.pdf.SetFillColor(52, 101, 164)
	for i, v := range values {
		bx := px + float64(i)*slot + slot*0.2
		top, bot := yOf(max(v, 0)), yOf(min(v, 0))
		if bot > top {
			d.pdf.Rect(bx, top, slot*0.6, bot-top, "F")
		}
		s := format(v)
		size := chartSize
		if tw := d.TextWidth(s, size, false); tw > slot-0.5 {
			size = max(chartMinSize, size*(slot-0.5)/tw)
		}
		base := top - 0.8
		if v < 0 {
			base = bot + size*baselineEm*mmPerPt
		}
		d.TextAligned(px+float64(i)*slot, base, slot, s, size, false, AlignCenter)
		for j, l := range labelLines[i] {
			ly := yOf(lo) + 1 + float64(j)*lh + chartSize*baselineEm*mmPerPt
			if lo < 0 {
				ly += lh
			}
			d.TextAligned(px+float64(i)*slot, ly, slot, l, chartSize, false, AlignCenter)
		}
	}
}

// niceTicks returns 3–6 evenly spaced round values (1, 2 or 5 × 10^k apart)
// covering [lo, hi], which include 0.
func niceTicks(lo, hi int64) []int64 {
	if lo == hi {
		hi = lo + 1
	}
	raw := float64(hi-lo) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	st := max(int64(step), 1)
	first := int64(math.Floor(float64(lo)/float64(st))) * st
	var ticks []int64
	for t := first; ; t += st {
		ticks = append(ticks, t)
		if t >= hi {
			break
		}
	}
	return ticks
}
