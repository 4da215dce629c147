package reports

import (
	"strings"
	"unicode"

	"github.com/go-text/typesetting/segmenter"
)

// Wrap breaks s into lines no wider than width points at size points, using
// shaped widths. Lines break at Unicode line-break opportunities (UAX #14:
// spaces, after hyphens; a Hindi word is never broken by it); a word wider
// than the line is broken between grapheme clusters (UAX #29 with the Indic
// conjunct rule, so क्ष or श्र are never split). Newlines force a break.
// Trailing spaces are removed from each line.
func (sh *Shaper) Wrap(s string, width, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = sh.wrapPara(lines, para, width, size, bold)
	}
	return lines
}

func (sh *Shaper) wrapPara(lines []string, para string, width, size float64, bold bool) []string {
	para = trimSpace(para)
	if para == "" {
		return append(lines, "")
	}
	var seg segmenter.Segmenter
	seg.Init([]rune(para))
	it := seg.LineIterator()

	var pieces []string
	lineW := 0.0 // sum of the pieces' widths, trailing spaces included
	add := func(p string) {
		pieces = append(pieces, p)
		lineW += sh.Width(p, size, bold)
	}
	// emit writes out the current line. Pieces are measured apart (cached:
	// words repeat), which ignores kerning across a joint; so the joined line
	// is shaped once and pieces that then overflow move to the next line.
	emit := func() {
		n := len(pieces)
		for n > 1 && sh.measure(trimSpace(strings.Join(pieces[:n], "")), bold)*size > width {
			n--
		}
		lines = append(lines, trimSpace(strings.Join(pieces[:n], "")))
		rest := pieces[n:]
		pieces, lineW = nil, 0
		for _, p := range rest {
			add(p)
		}
	}
	for it.Next() {
		piece := string(it.Line().Text)
		word := trimSpace(piece)
		ww := sh.Width(word, size, bold)
		for len(pieces) > 0 && lineW+ww > width {
			emit()
		}
		if len(pieces) == 0 && ww > width {
			parts := sh.breakWord(word, width, size, bold)
			lines = append(lines, parts[:len(parts)-1]...)
			add(parts[len(parts)-1] + piece[len(word):])
			continue
		}
		add(piece)
	}
	for len(pieces) > 0 {
		emit()
	}
	return lines
}

func trimSpace(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }

// breakWord splits a word wider than width between grapheme clusters. Each
// part holds at least one cluster, so a single cluster wider than the line
// still makes progress (it overflows rather than looping).
func (sh *Shaper) breakWord(word string, width, size float64, bold bool) []string {
	var seg segmenter.Segmenter
	seg.Init([]rune(word))
	it := seg.GraphemeIterator()
	var parts []string
	cur := ""
	for it.Next() {
		g := string(it.Grapheme().Text)
		if cur != "" && sh.measure(cur+g, bold)*size > width {
			parts = append(parts, cur)
			cur = ""
		}
		cur += g
	}
	return append(parts, cur)
}
