package reports

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"github.com/go-text/typesetting/font"
)

// The fonts travel inside the binary: district offices run this on machines
// that may have no fonts installed at all. Licences: fonts/LICENSES.txt.
//
//go:embed fonts/*.ttf
var fontFiles embed.FS

// fontID names one of the embedded faces. Noto Sans Devanagari has no Latin
// letters or digits, so every string may need two families.
type fontID uint8

const (
	latinRegular fontID = iota
	latinBold
	devaRegular
	devaBold
	numFonts
)

var fontFileNames = [numFonts]string{
	latinRegular: "fonts/NotoSans-Regular.ttf",
	latinBold:    "fonts/NotoSans-Bold.ttf",
	devaRegular:  "fonts/NotoSansDevanagari-Regular.ttf",
	devaBold:     "fonts/NotoSansDevanagari-Bold.ttf",
}

func pickFont(deva, bold bool) fontID {
	id := latinRegular
	if deva {
		id = devaRegular
	}
	if bold {
		id++
	}
	return id
}

// parsedFonts holds the parsed font files. *font.Font is safe for concurrent
// use, unlike *font.Face, so it is parsed once and every Shaper wraps it in
// its own faces.
var parsedFonts = sync.OnceValues(func() ([numFonts]*font.Font, error) {
	var out [numFonts]*font.Font
	for id, name := range fontFileNames {
		b, err := fontFiles.ReadFile(name)
		if err != nil {
			return out, fmt.Errorf("reports: read %s: %w", name, err)
		}
		face, err := font.ParseTTF(bytes.NewReader(b))
		if err != nil {
			return out, fmt.Errorf("reports: parse %s: %w", name, err)
		}
		out[id] = face.Font
	}
	return out, nil
})

// mustFonts returns the parsed fonts. The files are embedded at build time, so
// a parse failure is a broken build, not a runtime condition to handle.
func mustFonts() [numFonts]*font.Font {
	fs, err := parsedFonts()
	if err != nil {
		panic(err)
	}
	return fs
}

// fontBytes returns the raw file of a font, for fpdf's invisible text layer.
func fontBytes(id fontID) []byte {
	b, err := fontFiles.ReadFile(fontFileNames[id])
	if err != nil {
		panic(err) // embedded at build time
	}
	return b
}
