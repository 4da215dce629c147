package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var hindiSamples = []string{
	"जिला उद्योग एवं वाणिज्य केंद्र",
	"कृष्ण",
	"क्षेत्र",
	"श्रीगंगानगर",
	"द्वारका",
	"प्रिंट",
}

const amount = "₹12,34,567"

var districts = []string{"अजमेर", "अलवर", "बांसवाड़ा", "बाड़मेर", "भरतपुर", "भीलवाड़ा", "बीकानेर",
	"बूंदी", "चित्तौड़गढ़", "चूरू", "दौसा", "धौलपुर", "डूंगरपुर", "श्रीगंगानगर", "हनुमानगढ़", "जयपुर"}

var sampleTime = time.Date(2025, 3, 31, 18, 0, 0, 0, time.UTC)

// Where the first Hindi line is drawn on page 1, for the raster check (mm).
const hindiX, hindiBase, hindiSize = 15.0, 30.0, 16.0

var tableColumns = []Column{
	{Title: "क्रम", Width: 12, Align: AlignRight},
	{Title: "जिला / District", Width: 38},
	{Title: "Artisan name (कारीगर)"},
	{Title: "Sales ₹", Width: 26, Align: AlignRight},
	{Title: "टिप्पणी / Remarks", Width: 45},
}

const pageHeader = "शिल्पकोश · District report"

func drawPageHeader(d *Doc, page int) {
	d.SetTextColor(100, 100, 100)
	d.Text(d.Left(), 12, pageHeader, 8, false)
	d.SetTextColor(0, 0, 0)
	d.SetY(16)
}

// samplePDF builds the document the tests read back: Hindi and English text,
// an amount, a bar chart and a table of rows that spans pages.
func samplePDF(t testing.TB, rows int) []byte {
	d := New(Options{Title: "जिला रिपोर्ट / District report", Author: "DIC", Lang: "hi", Time: sampleTime, Header: drawPageHeader})
	d.Text(hindiX, hindiBase, hindiSamples[0], hindiSize, true)
	y := hindiBase + 4
	for _, s := range hindiSamples[1:] {
		d.Text(hindiX, y+4, s, 12, false)
		y += 7
	}
	d.Text(hindiX, y+4, "Monthly sales report, March 2025 — total "+amount, 11, false)
	y += 8
	y += d.Paragraph(hindiX, y, d.ContentWidth(), "यह रिपोर्ट जिला उद्योग एवं वाणिज्य केंद्र द्वारा तैयार की गई है। "+
		"This report lists artisans registered in the district, their sales through the state portal and the "+
		"status of onboarding; राशि "+amount+" में दिखाई गई है।", 10, false)
	months := []string{"अप्रैल 24", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर", "जनवरी", "फरवरी", "मार्च", "अप्रैल 25"}
	vals := []int64{120000, 340500, 290000, 410250, 380000, 520000, 610000, 1234567, 980000, 720000, 650000, 700000, 150000}
	d.BarChart(hindiX, y+4, d.ContentWidth(), 70, months, vals, rupees)
	d.SetY(y + 80)
	tb := Table{Columns: tableColumns}
	for i := 0; i < rows; i++ {
		name := fmt.Sprintf("कारीगर %d", i+1)
		if i%7 == 3 {
			name = "श्री कृष्ण कुमार शर्मा, हस्तशिल्प सहकारी समिति (ब्लॉक प्रिंट एवं रंगाई), सांगानेर"
		}
		remark := ""
		switch i % 5 {
		case 1:
			remark = "Onboarded; पहला ऑर्डर प्राप्त"
		case 4:
			remark = "हस्तशिल्पविकासनिगमप्रमाणपत्रसत्यापनलंबित" // one over-long word
		}
		tb.Rows = append(tb.Rows, []string{fmt.Sprint(i + 1), districts[i%len(districts)], name, rupees(int64(i*1234 + 567)), remark})
	}
	d.Table(tb)
	out, err := d.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	return out
}

// rupees formats in the Indian grouping: ₹12,34,567.
func rupees(v int64) string {
	s := fmt.Sprint(v)
	if len(s) > 3 {
		head, tail := s[:len(s)-3], s[len(s)-3:]
		var parts []string
		for len(head) > 2 {
			parts = append([]string{head[len(head)-2:]}, parts...)
			head = head[:len(head)-2]
		}
		s = strings.Join(append(append([]string{head}, parts...), tail), ",")
	}
	return "₹" + s
}

// needTool finds a poppler tool; outside CI its absence skips the test, in CI
// (CI=true) it fails it, so a missing install step cannot pass silently.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (install poppler-utils): %v", name, err)
		}
		t.Skipf("%s not found (apt-get install poppler-utils)", name)
	}
	return p
}

func writeSample(t *testing.T) (string, []byte) {
	t.Helper()
	out := samplePDF(t, 120)
	path := filepath.Join(t.TempDir(), "sample.pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("REPORTS_SAMPLE_PDF"); dst != "" {
		_ = os.WriteFile(dst, out, 0o644) // for looking at it by eye
	}
	return path, out
}

func TestExtractedText(t *testing.T) {
	tool := needTool(t, "pdftotext")
	path, _ := writeSample(t)
	raw, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(raw), "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("want the 120-row table to span pages, got %d page(s)", len(pages))
	}
	all := string(raw)
	for _, s := range append(hindiSamples, amount, "Monthly sales report, March 2025", "यह रिपोर्ट जिला उद्योग एवं वाणिज्य") {
		if !strings.Contains(all, s) {
			t.Errorf("extracted text lacks %q", s)
		}
	}
	for i, p := range pages {
		for _, c := range tableColumns {
			first := strings.Fields(c.Title)[0]
			if !strings.Contains(p, first) {
				t.Errorf("page %d: table header %q missing", i+1, first)
			}
		}
		if !strings.Contains(p, pageHeader) {
			t.Errorf("page %d: page header missing", i+1)
		}
		footer := fmt.Sprintf("पृष्ठ %d / %d", i+1, len(pages))
		if !strings.Contains(p, footer) {
			t.Errorf("page %d: footer %q missing", i+1, footer)
		}
	}
	// Every row's name made it, unbroken by wrapping or page breaks.
	for _, n := range []string{"कारीगर 1 ", "कारीगर 120", "हस्तशिल्प सहकारी", "पहला ऑर्डर प्राप्त"} {
		if !strings.Contains(all, n) {
			t.Errorf("extracted text lacks %q", n)
		}
	}
}

func TestEnglishFooter(t *testing.T) {
	tool := needTool(t, "pdftotext")
	d := New(Options{Title: "t", Lang: "en", Time: sampleTime, Landscape: true})
	d.Text(15, 20, "first", 10, false)
	d.AddPage()
	d.AddPage()
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "en.pdf")
	os.WriteFile(path, out, 0o644)
	raw, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if want := fmt.Sprintf("Page %d of 3", i); !strings.Contains(string(raw), want) {
			t.Errorf("missing %q in %q", want, raw)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := samplePDF(t, 40), samplePDF(t, 40)
	if !bytes.Equal(a, b) {
		t.Errorf("two generations differ (%d vs %d bytes)", len(a), len(b))
	}
}

func TestGlyphsRender(t *testing.T) {
	tool := needTool(t, "pdftoppm")
	path, _ := writeSample(t)
	prefix := filepath.Join(t.TempDir(), "p")
	if out, err := exec.Command(tool, "-png", "-r", "60", "-f", "1", "-l", "1", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	files, _ := filepath.Glob(prefix + "*.png")
	if len(files) != 1 {
		t.Fatalf("want one PNG, got %v", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	px := func(mm float64) int { return int(mm / 25.4 * 60) }
	// The bold Hindi heading: only glyph outlines can darken it, the text
	// layer is invisible.
	box := image.Rect(px(hindiX), px(hindiBase-hindiSize*0.35), px(hindiX+60), px(hindiBase+1))
	if dark := darkPixels(img, box); dark < 50 {
		t.Errorf("Hindi heading region %v has %d dark pixels, want glyphs drawn", box, dark)
	}
	// Sanity: the margin left of it is blank.
	if dark := darkPixels(img, image.Rect(0, box.Min.Y, px(hindiX)-2, box.Max.Y)); dark != 0 {
		t.Errorf("left margin has %d dark pixels", dark)
	}
}

func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr+cg+cb < 3*0x8000 {
				n++
			}
		}
	}
	return n
}

func TestShapingReordersAndJoins(t *testing.T) {
	sh := NewShaper()
	face := sh.faces[devaRegular]
	ja, _ := face.NominalGlyph('ज')
	s := sh.Shape("जिला", 12, false)
	if len(s.Runs) != 1 || !s.Runs[0].Devanagari {
		t.Fatalf("want one Devanagari run, got %+v", s.Runs)
	}
	if g := s.Runs[0].Glyphs[0]; g.ID == uint32(ja) {
		t.Errorf("ि matra not reordered before ज: first glyph is ज")
	}
	// क्ष is one conjunct glyph, not क + visible halant + ष.
	if n := len(sh.Shape("क्ष", 12, false).Runs[0].Glyphs); n != 1 {
		t.Errorf("क्ष shaped to %d glyphs, want 1 conjunct", n)
	}
}

func TestScriptRuns(t *testing.T) {
	sh := NewShaper()
	s := sh.Shape("कुल ₹12,34,567 (जयपुर)", 10, false)
	var got []string
	for _, r := range s.Runs {
		got = append(got, fmt.Sprintf("%v:%s", r.Devanagari, r.Text))
	}
	want := []string{"true:कुल ", "false:₹12,34,567 (", "true:जयपुर", "false:)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("runs = %q, want %q", got, want)
	}
	for _, bold := range []bool{false, true} {
		for _, r := range sh.Shape(amount, 10, bold).Runs {
			for _, g := range r.Glyphs {
				if g.ID == 0 {
					t.Errorf("bold=%v: %q has a missing glyph (.notdef)", bold, r.Text)
				}
			}
		}
	}
	if w := Width(amount, 10, false); w < 30 || w > 80 {
		t.Errorf("Width(%q) = %.1f pt, implausible", amount, w)
	}
}

func TestWrap(t *testing.T) {
	sh := NewShaper()
	text := "जिला उद्योग एवं वाणिज्य केंद्र श्रीगंगानगर द्वारा प्रिंट की गई रिपोर्ट, total " + amount + " for 2024-25"
	for _, width := range []float64{60, 90, 150, 400} {
		lines := sh.Wrap(text, width, 10, false)
		for _, l := range lines {
			if w := sh.Width(l, 10, false); w > width && len(strings.Fields(l)) > 1 {
				t.Errorf("width %v: line %q is %.1f wide", width, l, w)
			}
		}
		if got := strings.Join(strings.Fields(strings.Join(lines, " ")), " "); got != text {
			t.Errorf("width %v: wrapped text changed:\n%q\n%q", width, got, text)
		}
	}
	// An over-long word breaks between clusters, never inside क्ष or श्र.
	word := "क्षेत्रश्रीगंगानगरक्षेत्रश्रीगंगानगर"
	parts := sh.Wrap(word, 40, 10, false)
	if len(parts) < 2 || strings.Join(parts, "") != word {
		t.Fatalf("long word split into %q", parts)
	}
	for _, p := range parts[1:] {
		if strings.HasPrefix(p, "्") || strings.HasPrefix(p, "\u0947") || strings.HasPrefix(p, "ी") {
			t.Errorf("part %q starts inside a cluster", p)
		}
	}
	for _, p := range parts[:len(parts)-1] {
		if strings.HasSuffix(p, "्") {
			t.Errorf("part %q ends with a halant: conjunct split", p)
		}
	}
	if got := sh.Wrap("a\n\nb", 100, 10, false); strings.Join(got, "|") != "a||b" {
		t.Errorf("newlines: %q", got)
	}
}

func BenchmarkTenPagesHindi(b *testing.B) {
	para := strings.Repeat("जिला उद्योग एवं वाणिज्य केंद्र श्रीगंगानगर द्वारा कृष्ण क्षेत्र के कारीगरों की बिक्री का विवरण। ", 6)
	var size int
	for b.Loop() {
		d := New(Options{Title: "बेंचमार्क", Lang: "hi", Time: sampleTime})
		for d.pdf.PageCount() < 10 {
			d.EnsureSpace(40)
			d.SetY(d.Y() + d.Paragraph(d.Left(), d.Y(), d.ContentWidth(), para, 11, false) + 3)
		}
		out, err := d.Bytes()
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
}

// BenchmarkWidth shows what the shaping cache buys when words repeat.
func BenchmarkWidth(b *testing.B) {
	words := strings.Fields("जिला उद्योग एवं वाणिज्य केंद्र श्रीगंगानगर Monthly sales report " + amount)
	b.Run("cached", func(b *testing.B) {
		sh := NewShaper()
		for i := 0; b.Loop(); i++ {
			sh.Width(words[i%len(words)], 10, false)
		}
	})
	b.Run("uncached", func(b *testing.B) {
		sh := NewShaper()
		for i := 0; b.Loop(); i++ {
			sh.measure(words[i%len(words)], false)
		}
	})
}

// Documents are built in parallel (one per district); they share the parsed
// fonts and the glyph-template cache.
func TestConcurrentIdentical(t *testing.T) {
	want := samplePDF(t, 30)
	got := make([][]byte, 4)
	done := make(chan int)
	for i := range got {
		go func() {
			got[i] = samplePDF(t, 30)
			done <- i
		}()
	}
	for range got {
		<-done
	}
	for i, g := range got {
		if !bytes.Equal(g, want) {
			t.Errorf("goroutine %d: output differs from sequential", i)
		}
	}
}

// Glyph templates must not name fonts: Poppler reloads them on every glyph
// placement (see stripFormFonts).
func TestFormsHaveNoFonts(t *testing.T) {
	out := samplePDF(t, 10)
	forms := bytes.Split(out, []byte("/Subtype /Form\n"))[1:]
	if len(forms) < 20 {
		t.Fatalf("found %d form XObjects, want one per distinct glyph", len(forms))
	}
	for i, f := range forms {
		dict := f[:bytes.Index(f, []byte("stream\n"))]
		if bytes.Contains(dict, []byte("/Font")) {
			t.Errorf("form %d still lists fonts: %q", i, dict)
		}
	}
	if !bytes.Contains(out, []byte("/Font <<")) {
		t.Errorf("page resources lost their fonts too")
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi int64
		want   string
	}{
		{0, 1234567, "[0 500000 1000000 1500000]"},
		{0, 0, "[0 1]"},
		{0, 7, "[0 2 4 6 8]"},
		{-300, 900, "[-500 0 500 1000]"},
	} {
		if got := fmt.Sprint(niceTicks(c.lo, c.hi)); got != c.want {
			t.Errorf("niceTicks(%d, %d) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}

// Every glyph lands where it was asked to, in both orientations: the first
// use of a glyph goes through fpdf's placement, later ones through ours.
func TestGlyphPlacement(t *testing.T) {
	tool := needTool(t, "pdftoppm")
	for _, land := range []bool{false, true} {
		d := New(Options{Time: sampleTime, Landscape: land, Footer: func(*Doc, int, int) {}})
		// The second copy uses only glyphs already placed once: both copies
		// must look the same. At y=120 a portrait-based offset (87 mm on
		// landscape) would still land on the page, where it is counted.
		const x, base, size = 30.0, 120.0, 16.0
		half := "जिला Wq ₹12 क्षेत्र"
		s := half + "    " + half
		d.Text(x, base, s, size, false)
		w := d.TextWidth(s, size, false)
		hw := d.TextWidth(half, size, false)
		out, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "p.pdf")
		os.WriteFile(path, out, 0o644)
		if msg, err := exec.Command(tool, "-png", "-r", "60", path, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, msg)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
		f, err := os.Open(files[0])
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		px := func(mm float64) int { return int(mm / 25.4 * 60) }
		box := image.Rect(px(x)-1, px(base-size*0.45), px(x+w)+2, px(base+size*0.2)+1)
		in, all := darkPixels(img, box), darkPixels(img, img.Bounds())
		if in < 100 || in != all {
			t.Errorf("landscape=%v: %d dark pixels in the text box %v, %d on the page", land, in, box, all)
		}
		first := darkPixels(img, image.Rect(box.Min.X, box.Min.Y, px(x+hw)+1, box.Max.Y))
		second := darkPixels(img, image.Rect(px(x+w-hw)-1, box.Min.Y, box.Max.X, box.Max.Y))
		if first < 50 || second < first*9/10 || second > first*11/10 {
			t.Errorf("landscape=%v: copies differ: %d vs %d dark pixels", land, first, second)
		}
	}
}
