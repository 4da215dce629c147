package reports

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	"shilpkosh/app"
)

// Renderer renders the monthly reports with their verification code and QR code; it
// implements app.ReportRenderer. BaseURL is where the QR code sends a reader
// (SHILPKOSH_PUBLIC_URL), so it is part of what makes the bytes.
type Renderer struct {
	BaseURL string
}

// layoutVersion names the drawing of the reports. Bump it with any change to how a report
// is drawn: the verification code hashes the data and this, not the file (app.ReportCode).
const layoutVersion = "2026-11-e1"

// Layout is the layout version and the address the QR codes point to.
func (rd Renderer) Layout() string { return layoutVersion + " " + rd.BaseURL }

// DistrictPDF renders the district report with its verification code; code "" renders it
// without the verification block.
func (rd Renderer) DistrictPDF(r *app.DistrictReport, lang, code string) ([]byte, error) {
	return districtMonthly(r, lang, rd.verification(code))
}

// StatePDF renders the state summary; code "" renders it without the verification block.
func (rd Renderer) StatePDF(r *app.StateReport, lang, code string) ([]byte, error) {
	return stateMonthly(r, lang, rd.verification(code))
}

// VerifyURL is the address a report's QR code points to.
func (rd Renderer) VerifyURL(code string) string { return rd.BaseURL + "/verify/" + code }

// verification is what a report prints to be checked: nothing without a code.
type verification struct {
	code, url string
}

func (rd Renderer) verification(code string) *verification {
	if code == "" {
		return nil
	}
	return &verification{code: code, url: rd.VerifyURL(code)}
}

var verifyText = map[string]map[string]string{
	"en": {"code": "Verification code", "how": "Check that this report is genuine and current: scan the code or open"},
	"hi": {"code": "सत्यापन कोड", "how": "यह रिपोर्ट असली और नवीनतम है, जांचें: कोड स्कैन करें या खोलें"},
}

// footer is the page footer: "Page x of y", and the verification code on the left
// when there is one, so every printed page can be checked.
func (v *verification) footer(lang string) func(d *Doc, page, total int) {
	return func(d *Doc, page, total int) {
		DefaultFooter(d, page, total)
		if v == nil {
			return
		}
		_, h := d.PageSize()
		prev := d.color
		d.SetTextColor(90, 90, 90)
		d.Text(d.Left(), h-footerBase, verifyText[lang]["code"]+": "+app.FormatCode(v.code), 8, false)
		d.color = prev
	}
}

// qrSize is the side of the printed QR code, mm: large enough for a phone at arm's length.
const qrSize = 26.0

// block draws the verification box at the end of the report: the QR code, the code and
// the address. Without a code it draws nothing.
func (v *verification) block(d *Doc, lang string) error {
	if v == nil {
		return nil
	}
	q, err := qrcode.New(v.url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("reports: qr code: %w", err)
	}
	q.DisableBorder = true
	h := qrSize + 6
	d.EnsureSpace(h)
	x, y, w := d.Left(), d.Y()+2, d.ContentWidth()
	d.pdf.SetDrawColor(30, 60, 110)
	d.pdf.SetLineWidth(0.4)
	d.pdf.Rect(x, y, w, h-2, "D")
	drawQR(d, q.Bitmap(), x+2, y+2, qrSize-4)
	tx := x + qrSize + 2
	d.Text(tx, y+7, verifyText[lang]["code"]+": "+app.FormatCode(v.code), 12, true)
	d.SetY(y + 10)
	d.SetY(d.Y() + d.Paragraph(tx, d.Y(), w-qrSize-4, verifyText[lang]["how"], 8.5, false))
	d.Text(tx, d.Y()+4, v.url, 9, false)
	d.SetY(y + h)
	return nil
}

// drawQR draws the modules as filled rectangles, one per run of dark modules in a row:
// vector, sharp at any print size, and the same bytes every time.
func drawQR(d *Doc, bitmap [][]bool, x, y, size float64) {
	if len(bitmap) == 0 {
		return
	}
	m := size / float64(len(bitmap))
	d.pdf.SetFillColor(0, 0, 0)
	for r, row := range bitmap {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			d.pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
}
