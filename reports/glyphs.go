package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// Glyphs are drawn from their outlines because fpdf cannot shape Devanagari.
// Each distinct glyph becomes one PDF form XObject (an fpdf template), drawn
// once and placed with a matrix wherever it occurs: 10 Hindi pages come to
// ~90 KB, where inline outlines make megabytes.

const (
	// tplRefSize is the point size at which a glyph template is drawn.
	// fpdf writes the placement scale with four decimals, so templates are
	// drawn near the sizes used (scale ~1) rather than at 1 pt (scale ~0.01,
	// which would round glyph sizes by up to 1%); their coordinates, in
	// points at this size, need only two decimals.
	tplRefSize = 10.0
	mmPerPt    = 25.4 / 72
)

// glyphTpl is a glyph's template and its ink box in em units (Y up).
type glyphTpl struct {
	tpl                    fpdf.Template // nil for glyphs without ink (space)
	minX, minY, maxX, maxY float64
}

type glyphKey struct {
	font fontID
	gid  uint32
}

// glyphTpls caches templates across documents: templates are immutable and
// fpdf only reads them when writing a document. Bounded by the glyph count of
// the four fonts.
var glyphTpls struct {
	sync.Mutex
	m map[glyphKey]*glyphTpl
}

// fixedID wraps an fpdf template to give it a short, stable ID ("font-gid")
// in place of fpdf's SHA-1 of the content: fpdf recomputes that hash on every
// use, and its 40 hex digits are repeated in the PDF for every glyph drawn.
type fixedID struct {
	fpdf.Template
	id string
}

func (t *fixedID) ID() string { return t.id }

// glyphTemplate returns the template of glyph gid of font id; face must be a
// face of that font owned by the caller (faces are not concurrency-safe).
func glyphTemplate(id fontID, face *font.Face, gid uint32) *glyphTpl {
	key := glyphKey{id, gid}
	glyphTpls.Lock()
	defer glyphTpls.Unlock()
	if g, ok := glyphTpls.m[key]; ok {
		return g
	}
	if glyphTpls.m == nil {
		glyphTpls.m = make(map[glyphKey]*glyphTpl)
	}
	g := buildGlyph(id, face, gid)
	glyphTpls.m[key] = g
	return g
}

func buildGlyph(id fontID, face *font.Face, gid uint32) *glyphTpl {
	g := &glyphTpl{}
	out, ok := face.GlyphDataOutline(font.GID(gid))
	if !ok || len(out.Segments) == 0 {
		return g
	}
	em := 1 / float64(face.Upem())
	g.minX, g.minY = math.Inf(1), math.Inf(1)
	g.maxX, g.maxY = math.Inf(-1), math.Inf(-1)
	for _, s := range out.Segments {
		for _, p := range s.ArgsSlice() {
			// Control points bound the curve, so this box holds all ink.
			x, y := float64(p.X)*em, float64(p.Y)*em
			g.minX, g.maxX = math.Min(g.minX, x), math.Max(g.maxX, x)
			g.minY, g.maxY = math.Min(g.minY, y), math.Max(g.maxY, y)
		}
	}
	// A little air so the %.2f-rounded BBox never clips an edge.
	const pad = 0.01
	g.minX, g.minY, g.maxX, g.maxY = g.minX-pad, g.minY-pad, g.maxX+pad, g.maxY+pad

	// Path in points at tplRefSize, origin moved to the box's lower left.
	k := tplRefSize * em
	ox, oy := g.minX*tplRefSize, g.minY*tplRefSize
	var b strings.Builder
	num := func(v float64) { b.WriteString(fnum(v, 2)) }
	pt := func(x, y float64) {
		num(x - ox)
		b.WriteByte(' ')
		num(y - oy)
		b.WriteByte(' ')
	}
	var cx, cy float64 // current point, points
	open := false
	for _, s := range out.Segments {
		a := s.Args
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				b.WriteString("h\n")
			}
			cx, cy = float64(a[0].X)*k, float64(a[0].Y)*k
			pt(cx, cy)
			b.WriteString("m\n")
			open = true
		case ot.SegmentOpLineTo:
			cx, cy = float64(a[0].X)*k, float64(a[0].Y)*k
			pt(cx, cy)
			b.WriteString("l\n")
		case ot.SegmentOpQuadTo:
			// PDF has only cubic curves: raise the degree exactly.
			qx, qy := float64(a[0].X)*k, float64(a[0].Y)*k
			ex, ey := float64(a[1].X)*k, float64(a[1].Y)*k
			pt(cx+2.0/3*(qx-cx), cy+2.0/3*(qy-cy))
			pt(ex+2.0/3*(qx-ex), ey+2.0/3*(qy-ey))
			pt(ex, ey)
			b.WriteString("c\n")
			cx, cy = ex, ey
		case ot.SegmentOpCubeTo:
			pt(float64(a[0].X)*k, float64(a[0].Y)*k)
			pt(float64(a[1].X)*k, float64(a[1].Y)*k)
			cx, cy = float64(a[2].X)*k, float64(a[2].Y)*k
			pt(cx, cy)
			b.WriteString("c\n")
		}
	}
	b.WriteString("h f")
	w := (g.maxX - g.minX) * tplRefSize * mmPerPt
	h := (g.maxY - g.minY) * tplRefSize * mmPerPt
	path := b.String()
	t := fpdf.CreateTpl(fpdf.PointType{}, fpdf.SizeType{Wd: w, Ht: h}, "P", "mm", "",
		func(t *fpdf.Tpl) { t.RawWriteStr(path) })
	g.tpl = &fixedID{Template: t, id: fmt.Sprintf("%d-%d", id, gid)}
	return g
}

// placeGlyphs draws the glyphs of one run with its baseline origin at (x, y)
// mm. The fill colour in force is the text colour: templates set none.
//
// The first use of a glyph in a document goes through fpdf's
// UseTemplateScaled, which is what registers the template with the document.
// Later uses are written directly, as small relative moves inside one scaled
// coordinate system per run: fpdf's own placement costs ~95 bytes per glyph
// (absolute matrix with four decimals), which made 10 Hindi pages ~320 KB.
func (d *Doc) placeGlyphs(r *Run, x, y, size float64) {
	id := pickFont(r.Devanagari, r.Bold)
	mm := size * mmPerPt // mm per em
	tpls := make([]*glyphTpl, len(r.Glyphs))
	for i, gl := range r.Glyphs {
		g := glyphTemplate(id, d.sh.faces[id], gl.ID)
		if g.tpl == nil {
			continue
		}
		if !d.usedTpl[g] {
			d.usedTpl[g] = true
			gx, gy := x+gl.X*mmPerPt, y-gl.Y*mmPerPt
			// fpdf v0.9.0 measures the placement from the top of the page
			// as if it were portrait (curPageSize is unrotated), which puts
			// it 87 mm off on landscape pages; shift by the difference.
			_, pageH := d.pdf.GetPageSize()
			shift := d.pdf.GetPageSizeStr(pageFormat).Ht - pageH
			d.pdf.UseTemplateScaled(g.tpl,
				fpdf.PointType{X: gx + g.minX*mm, Y: gy - g.maxY*mm + shift},
				fpdf.SizeType{Wd: (g.maxX - g.minX) * mm, Ht: (g.maxY - g.minY) * mm})
			continue
		}
		tpls[i] = g
	}

	// Template space: points at tplRefSize, origin at the run's baseline start.
	k := tplRefSize / size // template units per point of this size
	var b strings.Builder
	_, pageH := d.pdf.GetPageSize()
	scale := fnum(size/tplRefSize, 5)
	fmt.Fprintf(&b, "q %s 0 0 %s %s %s cm\n", scale, scale, fnum(x/mmPerPt, 3), fnum((pageH-y)/mmPerPt, 3))
	var cx, cy float64 // translation so far, template units, as written
	n := 0
	for i, g := range tpls {
		if g == nil {
			continue
		}
		gl := r.Glyphs[i]
		tx := gl.X*k + g.minX*tplRefSize
		ty := gl.Y*k + g.minY*tplRefSize
		dx, dy := round2(tx-cx), round2(ty-cy)
		cx, cy = cx+dx, cy+dy
		fmt.Fprintf(&b, "1 0 0 1 %s %s cm /TPL%s Do\n", fnum(dx, 2), fnum(dy, 2), g.tpl.ID())
		n++
	}
	if n > 0 {
		b.WriteString("Q")
		d.pdf.RawWriteStr(b.String())
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// fnum formats v with at most prec decimals and no trailing zeros.
func fnum(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
