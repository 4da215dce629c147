package reports

import (
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Glyph is one shaped glyph. Positions are relative to the start of the
// shaped string, in points; Y grows upwards (font convention).
type Glyph struct {
	ID      uint32  // glyph index in the font of its Run
	X, Y    float64 // where to put the glyph origin (pen position plus offsets)
	Advance float64 // how far the pen moves after this glyph
	Cluster int     // byte offset in the source string of the cluster's first character
}

// Run is a stretch of the string set in one font: Devanagari or Latin/common.
type Run struct {
	Text       string // the run's characters, for the searchable text layer
	Start      int    // byte offset of Text in the source string
	Devanagari bool   // set in Noto Sans Devanagari, else in Noto Sans
	Bold       bool
	X, Width   float64 // start and advance of the run, points from the string start
	Glyphs     []Glyph
}

// Shaped is a string shaped at one size.
type Shaped struct {
	Runs  []Run
	Width float64 // total advance in points
}

// Shaper shapes strings with HarfBuzz (go-text's port), choosing the font per
// script run. A Shaper is not safe for concurrent use (go-text faces and the
// HarfBuzz buffer are not); use one per goroutine, or the package-level
// Width, which pools them.
type Shaper struct {
	hb    shaping.HarfbuzzShaper
	faces [numFonts]*font.Face
	cache map[shapeKey]*Shaped
}

type shapeKey struct {
	s    string
	bold bool
}

// shapeCacheMax bounds the per-Shaper cache. Reports repeat the same words
// (district names, column titles, amounts) and Wrap measures every word, so
// caching pays: ~25 ns instead of ~7 µs per word (BenchmarkWidth), 10 Hindi
// pages in ~60 ms instead of ~215 ms. The bound keeps a long-lived Shaper
// from growing without limit; when full, the cache is simply reset.
const shapeCacheMax = 4096

// NewShaper returns a Shaper over the embedded fonts.
func NewShaper() *Shaper {
	fonts := mustFonts()
	s := &Shaper{cache: make(map[shapeKey]*Shaped)}
	for i, f := range fonts {
		s.faces[i] = font.NewFace(f)
	}
	return s
}

// Shape shapes s at size points. Control characters (tabs, newlines) are
// shaped as spaces; Wrap is the place that gives newlines meaning.
func (sh *Shaper) Shape(s string, size float64, bold bool) Shaped {
	em := sh.shapeEm(s, bold)
	out := Shaped{Width: em.Width * size, Runs: make([]Run, len(em.Runs))}
	for i, r := range em.Runs {
		r.X *= size
		r.Width *= size
		gs := make([]Glyph, len(r.Glyphs))
		for j, g := range r.Glyphs {
			g.X *= size
			g.Y *= size
			g.Advance *= size
			gs[j] = g
		}
		r.Glyphs = gs
		out.Runs[i] = r
	}
	return out
}

// Width is the shaped advance of s at size points, in points.
func (sh *Shaper) Width(s string, size float64, bold bool) float64 {
	return sh.shapeEm(s, bold).Width * size
}

// measure is the em width of s without caching it: for one-off strings such
// as whole candidate lines, which would only crowd out reusable words.
func (sh *Shaper) measure(s string, bold bool) float64 {
	if r, ok := sh.cache[shapeKey{s, bold}]; ok {
		return r.Width
	}
	return sh.shape(s, bold).Width
}

var shaperPool = sync.Pool{New: func() any { return NewShaper() }}

// Width is the shaped advance of s at size points, in points. It is safe for
// concurrent use.
func Width(s string, size float64, bold bool) float64 {
	sh := shaperPool.Get().(*Shaper)
	defer shaperPool.Put(sh)
	return sh.Width(s, size, bold)
}

// shapeEm returns s shaped in em units (as if at 1 pt). HarfBuzz applies no
// hinting here, so positions scale linearly and one cached result serves
// every size. The result is shared: callers must not modify it.
func (sh *Shaper) shapeEm(s string, bold bool) *Shaped {
	key := shapeKey{s, bold}
	if r, ok := sh.cache[key]; ok {
		return r
	}
	out := sh.shape(s, bold)
	if len(sh.cache) >= shapeCacheMax {
		clear(sh.cache)
	}
	sh.cache[key] = out
	return out
}

func (sh *Shaper) shape(s string, bold bool) *Shaped {
	runes := make([]rune, 0, len(s))
	offsets := make([]int, 0, len(s)+1) // rune index -> byte offset
	for i, r := range s {
		if r < 0x20 || r == 0x7f {
			r = ' '
		}
		runes = append(runes, r)
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(s))

	out := &Shaped{}
	for _, sp := range sh.scriptSpans(runes) {
		id := pickFont(sp.deva, bold)
		face := sh.faces[id]
		upem := float64(face.Upem())
		in := shaping.Input{
			Text:      runes,
			RunStart:  sp.start,
			RunEnd:    sp.end,
			Direction: di.DirectionLTR,
			Face:      face,
			// Shaping at upem makes HarfBuzz return plain font units.
			Size:     fixed.I(int(face.Upem())),
			Script:   language.Latin,
			Language: language.NewLanguage("en"),
		}
		if sp.deva {
			in.Script = language.Devanagari
			in.Language = language.NewLanguage("hi")
		}
		o := sh.hb.ShapeNoExtents(in)
		scale := 1 / (64 * upem) // 26.6 font units -> em
		run := Run{
			Text:       s[offsets[sp.start]:offsets[sp.end]],
			Start:      offsets[sp.start],
			Devanagari: sp.deva,
			Bold:       bold,
			X:          out.Width,
			Glyphs:     make([]Glyph, 0, len(o.Glyphs)),
		}
		pen := out.Width
		for _, g := range o.Glyphs {
			run.Glyphs = append(run.Glyphs, Glyph{
				ID:      uint32(g.GlyphID),
				X:       pen + float64(g.XOffset)*scale,
				Y:       float64(g.YOffset) * scale,
				Advance: float64(g.Advance) * scale,
				Cluster: offsets[g.ClusterIndex],
			})
			pen += float64(g.Advance) * scale
		}
		run.Width = pen - out.Width
		out.Width = pen
		out.Runs = append(out.Runs, run)
	}
	return out
}

type span struct {
	start, end int
	deva       bool
}

// scriptSpans splits text into Devanagari and non-Devanagari runs. Spaces
// stay in a Devanagari run, so a Hindi phrase is shaped as one run; combining
// marks and ZWJ/ZWNJ stay with their base. Other common characters (digits,
// ₹, punctuation) take Noto Sans, so an amount looks the same in a Hindi and
// an English sentence; only what Noto Sans lacks (danda ।) goes to Noto Sans
// Devanagari.
func (sh *Shaper) scriptSpans(text []rune) []span {
	var spans []span
	has := func(deva bool, r rune) bool {
		_, ok := sh.faces[pickFont(deva, false)].NominalGlyph(r)
		return ok
	}
	for i, r := range text {
		var deva bool
		cur := len(spans) > 0
		switch sc := language.LookupScript(r); {
		case sc == language.Devanagari:
			deva = true
		case sc == language.Inherited && cur:
			deva = spans[len(spans)-1].deva
		case sc == language.Common && cur && spans[len(spans)-1].deva && unicode.IsSpace(r) && has(true, r):
			deva = true
		default:
			deva = !has(false, r) && has(true, r)
		}
		if cur && spans[len(spans)-1].deva == deva {
			spans[len(spans)-1].end = i + 1
			continue
		}
		spans = append(spans, span{start: i, end: i + 1, deva: deva})
	}
	return spans
}
