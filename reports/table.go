package reports

import "math"

// Column is one table column. Width is in mm; columns with Width 0 share the
// content width left by the others. If the widths add up to more than the
// content width they are scaled down to fit.
type Column struct {
	Title string
	Width float64
	Align Align
}

// Table is a bordered table with a bold header row and zebra-striped rows.
// Cells wrap (no text is cut off), rows break across pages, and the header is
// repeated at the top of every page the table runs over.
type Table struct {
	Columns []Column
	Rows    [][]string
	// Size is the font size in points; 0 means 9.
	Size float64
}

// Table cell geometry, mm.
const (
	cellPadX = 1.2
	cellPadY = 0.9
)

// Table draws t at the cursor, across as many pages as needed, and moves the
// cursor below it.
func (d *Doc) Table(t Table) {
	if len(t.Columns) == 0 {
		return
	}
	d.tables = append(d.tables, namedTable{Section: d.section, Table: t})
	size := t.Size
	if size == 0 {
		size = 9
	}
	widths := d.columnWidths(t.Columns)
	lh := LineHeight(size)

	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Title
	}
	headLines := d.wrapCells(header, widths, size, true)
	headH := float64(maxLines(headLines))*lh + 2*cellPadY
	drawHeader := func() {
		d.drawRow(t.Columns, widths, headLines, 0, maxLines(headLines), size, true, [3]int{221, 228, 238})
		d.y += headH
	}

	// A header alone at the foot of a page is useless: keep it with a line.
	d.EnsureSpace(headH + lh + 2*cellPadY)
	drawHeader()
	for ri, row := range t.Rows {
		lines := d.wrapCells(row, widths, size, false)
		fill := [3]int{255, 255, 255}
		if ri%2 == 1 {
			fill = [3]int{243, 245, 248}
		}
		n := maxLines(lines)
		for from := 0; from < n || n == 0; {
			need := float64(n-from)*lh + 2*cellPadY
			if d.y+need <= d.Bottom() {
				d.drawRow(t.Columns, widths, lines, from, n, size, false, fill)
				d.y += need
				break
			}
			// Does not fit. Move the whole row to a fresh page if it fits
			// there; only a row taller than a page is split between lines.
			fresh := d.Bottom() - marginTop - headH
			fit := int(math.Floor((d.Bottom() - d.y - 2*cellPadY) / lh))
			if (from == 0 && need <= fresh) || fit < 1 {
				d.AddPage()
				drawHeader()
				continue
			}
			d.drawRow(t.Columns, widths, lines, from, from+fit, size, false, fill)
			from += fit
			d.AddPage()
			drawHeader()
		}
	}
}

// columnWidths resolves zero widths and scales the columns into the page.
func (d *Doc) columnWidths(cols []Column) []float64 {
	avail := d.ContentWidth()
	fixed, free := 0.0, 0
	for _, c := range cols {
		fixed += c.Width
		if c.Width <= 0 {
			free++
		}
	}
	w := make([]float64, len(cols))
	share := 0.0
	if free > 0 && avail > fixed {
		share = (avail - fixed) / float64(free)
	}
	total := 0.0
	for i, c := range cols {
		w[i] = c.Width
		if c.Width <= 0 {
			w[i] = math.Max(share, 10)
		}
		total += w[i]
	}
	if total > avail {
		for i := range w {
			w[i] *= avail / total
		}
	}
	return w
}

func (d *Doc) wrapCells(cells []string, widths []float64, size float64, bold bool) [][]string {
	out := make([][]string, len(widths))
	for i := range widths {
		if i < len(cells) && cells[i] != "" {
			out[i] = d.Wrap(cells[i], widths[i]-2*cellPadX, size, bold)
		}
	}
	return out
}

func maxLines(cells [][]string) int {
	n := 0
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// drawRow draws lines [from, to) of every cell as one row at the cursor.
func (d *Doc) drawRow(cols []Column, widths []float64, lines [][]string, from, to int, size float64, bold bool, fill [3]int) {
	lh := LineHeight(size)
	h := float64(max(to-from, 0))*lh + 2*cellPadY
	d.pdf.SetFillColor(fill[0], fill[1], fill[2])
	d.pdf.SetDrawColor(160, 166, 175)
	d.pdf.SetLineWidth(0.2)
	x := d.Left()
	for i, w := range widths {
		d.pdf.Rect(x, d.y, w, h, "FD")
		align := cols[i].Align
		for j := from; j < to && j < len(lines[i]); j++ {
			base := d.y + cellPadY + float64(j-from)*lh + size*baselineEm*mmPerPt
			d.TextAligned(x+cellPadX, base, w-2*cellPadX, lines[i][j], size, bold, align)
		}
		x += w
	}
}
