package views

// DashBlock is one block of the dashboard: a heading, figures that each open the list they
// count, and optionally a bar chart whose numbers are also given as a table. Every block
// renders through partials/dash_block, so a feature adds a block without a template.
type DashBlock struct {
	ID      string // id of the heading, e.g. "dash-sales"
	Title   string
	Figures []DashFigure
	Notes   []string // short sentences under the figures
	Chart   *BarChart
}

// DashFigure is one number with its label; Href opens the filtered list it counts.
type DashFigure struct {
	Label, Value, Note, Href string
	Alert                    bool // shown in the warning colour (e.g. an old inbox item)
}

// BarChart is a column chart drawn as inline SVG by the server: no script, no chart
// library. Geometry is computed here so the template only places shapes.
type BarChart struct {
	Caption              string // names the chart and captions its table
	LabelHead, ValueHead string // table column headings
	Width, Height        int    // the SVG's viewBox
	Baseline             int    // y of the axis
	Bars                 []Bar
}

// Bar is one column: its label in the table, its shorter label under the axis, its
// formatted value, and where it is drawn.
type Bar struct {
	Label, Short, Value string
	X, Y, W, H          int
	LabelX              int
	Current             bool // the latest column, drawn in the accent colour
}

// Chart geometry in viewBox units; the SVG scales to the width of its block.
const (
	chartWidth  = 640
	chartHeight = 220
	chartTop    = 10
	chartBottom = 28 // room for the month labels under the axis
	chartGap    = 8
)

// NewBarChart lays out one bar per value; labels, short labels and formatted values must
// match values in length. The highest value fills the height; all zero draws an empty axis.
func NewBarChart(caption, labelHead, valueHead string, labels, shorts, formatted []string, values []int64) *BarChart {
	c := &BarChart{Caption: caption, LabelHead: labelHead, ValueHead: valueHead,
		Width: chartWidth, Height: chartHeight, Baseline: chartHeight - chartBottom}
	var top int64
	for _, v := range values {
		top = max(top, v)
	}
	n := len(values)
	if n == 0 {
		return c
	}
	slot := chartWidth / n
	plot := int64(c.Baseline - chartTop)
	for i, v := range values {
		h := 0
		if top > 0 && v > 0 {
			h = max(1, int(v*plot/top))
		}
		x := i*slot + chartGap/2
		c.Bars = append(c.Bars, Bar{Label: labels[i], Short: shorts[i], Value: formatted[i], X: x, Y: c.Baseline - h,
			W: slot - chartGap, H: h, LabelX: x + (slot-chartGap)/2, Current: i == n-1})
	}
	return c
}
