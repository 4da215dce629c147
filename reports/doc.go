package reports

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Options configure a new document.
type Options struct {
	Title  string
	Author string
	// Lang is the BCP 47 language of the document ("hi", "en"); it is written
	// to the PDF catalogue and picks the default footer's wording.
	Lang string
	// Time is written as creation and modification date. It is an input, not
	// the clock, so the same report data gives byte-identical PDFs. The zero
	// value stands for 1970-01-01 UTC.
	Time time.Time
	// Landscape selects A4 landscape instead of A4 portrait.
	Landscape bool
	// Header, if set, runs after every page is started, with the cursor at
	// the top margin; it draws and moves the cursor (SetY) below itself.
	Header func(d *Doc, page int)
	// Footer runs for every page once the page count is known (in Bytes), so
	// it can say "page x of y" with shaped text. Nil means DefaultFooter.
	Footer func(d *Doc, page, total int)
}

// Align is the horizontal alignment of text in a box.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Page geometry in mm. The bottom margin leaves room for the footer.
const (
	pageFormat   = "A4"
	marginLeft   = 15.0
	marginRight  = 15.0
	marginTop    = 15.0
	marginBottom = 18.0
	footerBase   = 9.0 // footer baseline, from the bottom edge
)

// Line metrics as multiples of the font size. Devanagari needs more room than
// Latin: matras rise above the headline and ु ृ hang below the baseline.
const (
	lineHeightEm = 1.55
	baselineEm   = 1.08 // from the top of a line box to its baseline
)

// Doc is an A4 PDF document (mm units) whose text is shaped with HarfBuzz,
// so Hindi renders correctly, and stays searchable through an invisible text
// layer. A Doc is not safe for concurrent use; build documents in parallel
// with one Doc each.
type Doc struct {
	pdf       *fpdf.Fpdf
	sh        *Shaper
	opts      Options
	y         float64
	color     string             // PDF fill operator for text, e.g. "0 g"
	layerFont map[string]bool    // text-layer fonts registered with fpdf
	usedTpl   map[*glyphTpl]bool // glyph templates fpdf already knows
	out       []byte
	err       error
	section   string       // the latest heading, naming the tables under it
	tables    []namedTable // every table drawn, for the XLSX of the report
}

// New starts a document with its first page.
func New(opts Options) *Doc {
	orient := "P"
	if opts.Landscape {
		orient = "L"
	}
	if opts.Time.IsZero() {
		opts.Time = time.Unix(0, 0).UTC()
	}
	p := fpdf.New(orient, "mm", pageFormat, "")
	// All three are needed for identical bytes from identical input.
	p.SetCatalogSort(true)
	p.SetCreationDate(opts.Time)
	p.SetModificationDate(opts.Time)
	p.SetTitle(opts.Title, true)
	p.SetAuthor(opts.Author, true)
	p.SetCreator("Shilpkosh", true)
	if opts.Lang != "" {
		p.SetLang(opts.Lang)
	}
	p.SetMargins(marginLeft, marginTop, marginRight)
	// Page breaks are ours: fpdf's only act inside Cell/MultiCell.
	p.SetAutoPageBreak(false, 0)
	d := &Doc{pdf: p, sh: NewShaper(), opts: opts, color: "0 g", layerFont: map[string]bool{}, usedTpl: map[*glyphTpl]bool{}}
	d.AddPage()
	return d
}

// AddPage starts a new page, runs the header hook and puts the cursor below it.
func (d *Doc) AddPage() {
	d.pdf.AddPage()
	d.y = marginTop
	if d.opts.Header != nil {
		d.opts.Header(d, d.pdf.PageNo())
	}
}

// PageSize returns the page width and height in mm.
func (d *Doc) PageSize() (w, h float64) { return d.pdf.GetPageSize() }

// Left is the left margin, where content starts, in mm.
func (d *Doc) Left() float64 { return marginLeft }

// ContentWidth is the width between the margins in mm.
func (d *Doc) ContentWidth() float64 {
	w, _ := d.PageSize()
	return w - marginLeft - marginRight
}

// Bottom is the lowest y content may reach on a page, in mm.
func (d *Doc) Bottom() float64 {
	_, h := d.PageSize()
	return h - marginBottom
}

// Y is the cursor: the top of the next block, in mm from the page top.
func (d *Doc) Y() float64 { return d.y }

// SetY moves the cursor.
func (d *Doc) SetY(y float64) { d.y = y }

// EnsureSpace starts a new page unless h mm fit below the cursor.
func (d *Doc) EnsureSpace(h float64) {
	if d.y+h > d.Bottom() {
		d.AddPage()
	}
}

// SetTextColor sets the colour of text drawn from now on (RGB, 0–255).
func (d *Doc) SetTextColor(r, g, b int) {
	d.color = fmt.Sprintf("%.3f %.3f %.3f rg", float64(r)/255, float64(g)/255, float64(b)/255)
}

// LineHeight is the distance between baselines of wrapped text, in mm.
func LineHeight(size float64) float64 { return size * lineHeightEm * mmPerPt }

// TextWidth is the shaped width of s in mm.
func (d *Doc) TextWidth(s string, size float64, bold bool) float64 {
	return d.sh.Width(s, size, bold) * mmPerPt
}

// Wrap breaks s into lines at most width mm wide; see Shaper.Wrap.
func (d *Doc) Wrap(s string, width, size float64, bold bool) []string {
	return d.sh.Wrap(s, width/mmPerPt, size, bold)
}

// Text draws s on one line with its baseline at y and its left end at x (mm).
func (d *Doc) Text(x, y float64, s string, size float64, bold bool) {
	sh := d.sh.Shape(s, size, bold)
	if len(sh.Runs) == 0 {
		return
	}
	// Glyph templates carry no colour of their own: they take this fill.
	d.pdf.RawWriteStr("q " + d.color)
	for i := range sh.Runs {
		d.placeGlyphs(&sh.Runs[i], x, y, size)
	}
	d.pdf.RawWriteStr("Q")
	for i := range sh.Runs {
		d.textLayer(&sh.Runs[i], x, y, size)
	}
}

// TextAligned draws s with its baseline at y, aligned inside [x, x+w] mm.
func (d *Doc) TextAligned(x, y, w float64, s string, size float64, bold bool, a Align) {
	switch a {
	case AlignCenter:
		x += (w - d.TextWidth(s, size, bold)) / 2
	case AlignRight:
		x += w - d.TextWidth(s, size, bold)
	}
	d.Text(x, y, s, size, bold)
}

// Paragraph draws s wrapped to w mm with the top of its first line at y and
// returns the height used. It does not break pages: check the height first
// (len(Wrap(...)) * LineHeight(size)) or use EnsureSpace.
func (d *Doc) Paragraph(x, y, w float64, s string, size float64, bold bool) (height float64) {
	lh := LineHeight(size)
	lines := d.Wrap(s, w, size, bold)
	for i, l := range lines {
		d.Text(x, y+float64(i)*lh+size*baselineEm*mmPerPt, l, size, bold)
	}
	return float64(len(lines)) * lh
}

// textLayer writes the run's characters in invisible text (render mode 3)
// over its glyphs, so text extraction and search see the real Unicode. fpdf's
// UTF-8 fonts are used only for their ToUnicode map; the text is stretched
// (Tz) to the shaped width so extracted words line up with what is seen.
func (d *Doc) textLayer(r *Run, x, y, size float64) {
	txt := strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return ' '
		}
		return c
	}, r.Text)
	if strings.TrimSpace(txt) == "" {
		return
	}
	fam, id := "layerlatin", latinRegular
	if r.Devanagari {
		fam, id = "layerdeva", devaRegular
	}
	if !d.layerFont[fam] {
		d.pdf.AddUTF8FontFromBytes(fam, "", fontBytes(id))
		d.layerFont[fam] = true
	}
	d.pdf.SetFont(fam, "", size)
	tz := 100.0
	if uw := d.pdf.GetStringWidth(txt); uw > 0 {
		tz = 100 * r.Width * mmPerPt / uw
	}
	d.pdf.RawWriteStr("q 3 Tr " + strconv.FormatFloat(tz, 'f', 2, 64) + " Tz")
	d.pdf.Text(x+r.X*mmPerPt, y, txt)
	d.pdf.RawWriteStr("Q")
}

// DefaultFooter draws "Page x of y" (Hindi documents: "पृष्ठ x / y") centred
// at the bottom of the page, in grey.
func DefaultFooter(d *Doc, page, total int) {
	s := fmt.Sprintf("Page %d of %d", page, total)
	if strings.HasPrefix(d.opts.Lang, "hi") {
		s = fmt.Sprintf("पृष्ठ %d / %d", page, total)
	}
	w, h := d.PageSize()
	prev := d.color
	d.SetTextColor(90, 90, 90)
	d.TextAligned(0, h-footerBase, w, s, 8, false, AlignCenter)
	d.color = prev
}

// Bytes finishes the document and returns the PDF. Footers are drawn here,
// page by page, because only now is the page count known: fpdf's
// AliasNbPages would patch the number into the content stream after the
// font subset is fixed, so its digits can come out as missing glyphs, and it
// cannot reach numbers drawn as glyph outlines. Calling Bytes again returns
// the same result; drawing after Bytes has no effect on it.
func (d *Doc) Bytes() ([]byte, error) {
	if d.out != nil || d.err != nil {
		return d.out, d.err
	}
	footer := d.opts.Footer
	if footer == nil {
		footer = DefaultFooter
	}
	total := d.pdf.PageCount()
	for p := 1; p <= total; p++ {
		d.pdf.SetPage(p)
		// fpdf tracks one "current font" for the whole document; the page
		// we return to may have ended with another, so force a font switch.
		if len(d.layerFont) > 0 {
			d.pdf.SetFontSize(1)
		}
		footer(d, p, total)
	}
	d.pdf.SetPage(total)
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		d.err = fmt.Errorf("reports: write pdf: %w", err)
		return nil, d.err
	}
	d.out = stripFormFonts(buf.Bytes())
	return d.out, nil
}
