package reports

import "bytes"

// stripFormFonts blanks the /Font entry of every form XObject (fpdf
// template) in a finished PDF.
//
// Why: fpdf gives each template a resource dictionary naming every font of
// the document. Our templates are glyph outlines and use no font, but
// Poppler (pdftotext, Evince, Okular) loads those fonts again on every
// placement of a template — once per glyph drawn — which made a 4-page
// report take 20 s to open instead of 0.2 s.
//
// The entry is overwritten with spaces of the same length, so the xref
// offsets stay valid. The patterns are those fpdf v0.9.0 writes
// (template.go: putTemplates, templateFontCatalog); TestFormsHaveNoFonts
// notices if an fpdf upgrade changes them.
func stripFormFonts(pdf []byte) []byte {
	formMark := []byte("/Subtype /Form\n")
	fontStart := []byte("\n/Font <<")
	streamMark := []byte("stream\n")
	for i := 0; ; {
		j := bytes.Index(pdf[i:], formMark)
		if j < 0 {
			return pdf
		}
		i += j + len(formMark)
		dictEnd := bytes.Index(pdf[i:], streamMark)
		if dictEnd < 0 {
			return pdf
		}
		dict := pdf[i : i+dictEnd]
		f := bytes.Index(dict, fontStart)
		if f < 0 {
			continue
		}
		// fpdf's font catalogue is flat ("/F1 5 0 R" lines), so the first
		// ">>" after its "<<" closes it.
		e := bytes.Index(dict[f+len(fontStart):], []byte(">>"))
		if e < 0 {
			continue
		}
		end := f + len(fontStart) + e + 2
		for k := f + 1; k < end; k++ { // keep the newline before /Font
			dict[k] = ' '
		}
		i += dictEnd
	}
}
