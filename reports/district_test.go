package reports

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
)

// bigDistrictReport is a report with enough crafts and artisans to run over several pages.
func bigDistrictReport() *app.DistrictReport {
	m := app.Month{Year: 2027, M: time.February}
	r := &app.DistrictReport{
		District: app.Name{Key: "jaipur", EN: "Jaipur", HI: "जयपुर"}, Division: app.Name{Key: "Jaipur", EN: "Jaipur", HI: "जयपुर"},
		Month: m, FY: app.FinancialYear(m), AsOf: time.Date(2027, 3, 2, 9, 30, 0, 0, time.UTC), Closed: true,
	}
	r.Summary = []app.Figure{{Key: app.FigApproved, Value: 1234567, Prev: 1234000, LastYear: 1100000},
		{Key: app.FigSales, Money: true, Value: 123456700, Prev: 100000000, LastYear: 0}}
	r.Registry.Approved, r.Registry.Pending, r.Registry.PendingAge = 1234567, 42, [3]int64{10, 20, 12}
	for i := 0; i < 70; i++ {
		r.Registry.ByCraft = append(r.Registry.ByCraft, app.CountRow{
			Name: app.Name{Key: fmt.Sprint(i), EN: fmt.Sprintf("Craft number %d", i), HI: fmt.Sprintf("शिल्प क्रमांक %d", i)}, N: int64(1000 - i)})
	}
	r.Schemes = []app.SchemeRow{{Scheme: app.Name{Key: "mlupy", EN: "MLUPY", HI: "मुख्यमंत्री लघु उद्योग प्रोत्साहन योजना"},
		Month: app.SchemeFigures{Applications: 3, Sanctioned: 2, SanctionedPaise: 5000000}}}
	r.SchemesTotal = app.SchemeRow{Month: r.Schemes[0].Month}
	for _, mm := range app.Last13Months(m) {
		r.Sales.Trend = append(r.Sales.Trend, app.MonthSales{Month: mm, Paise: app.Paise(int64(mm.M) * 12345600)})
	}
	r.Sales.Month = 123456700
	for i := 0; i < 10; i++ {
		r.Sales.TopArtisans = append(r.Sales.TopArtisans, app.ArtisanSales{ArtisanID: int64(i + 1),
			Name: app.Name{EN: fmt.Sprintf("Artisan %d", i+1), HI: fmt.Sprintf("कारीगर %d", i+1)}, Paise: app.Paise(1000000 - i)})
	}
	return r
}

func TestDistrictMonthlyRender(t *testing.T) {
	r := bigDistrictReport()
	en, err := DistrictMonthly(r, "en")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := DistrictMonthly(r, "en")
	if !bytes.Equal(en, again) {
		t.Fatal("the same report gives different bytes")
	}
	if !bytes.Contains(en, []byte("D:20270302093000")) {
		t.Error("creation date is not the as-of time")
	}
	if DistrictFilename(r) != "jaipur-2027-02.pdf" {
		t.Errorf("filename = %s", DistrictFilename(r))
	}
	tool := needTool(t, "pdftotext")
	dir := t.TempDir()
	path := filepath.Join(dir, "en.pdf")
	if err := os.WriteFile(path, en, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n "), "\f")
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	for i, p := range pages {
		for _, s := range []string{"District monthly progress report", "Jaipur / जयपुर", "February 2027 · FY 2026-27",
			fmt.Sprintf("Page %d of %d", i+1, len(pages))} {
			if !strings.Contains(p, s) {
				t.Errorf("page %d lacks %q", i+1, s)
			}
		}
	}
	for _, s := range []string{"12,34,567", "₹12,34,567", "+23.5%", "Craft number 69", "Feb 26", "Feb 27", "Artisan 10",
		"month closed", "Division: Jaipur"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	// The craft table runs over a page break and its header comes again.
	if n := strings.Count(string(out), "Craft number 0"); n != 1 {
		t.Errorf("craft 0 appears %d times", n)
	}
	headers := 0
	for _, p := range pages {
		if strings.Contains(p, "Craft number") && strings.Contains(p, "Count") {
			headers++
		}
	}
	if headers < 2 {
		t.Errorf("craft table header on %d pages, want it repeated", headers)
	}

	hi, err := DistrictMonthly(r, "hi")
	if err != nil {
		t.Fatal(err)
	}
	hpath := filepath.Join(dir, "hi.pdf")
	if err := os.WriteFile(hpath, hi, 0o644); err != nil {
		t.Fatal(err)
	}
	hout, err := exec.Command(tool, "-layout", hpath, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"जयपुर", "जिला मासिक प्रगति रिपोर्ट", "फरवरी 2027", "मुख्यमंत्री लघु उद्योग प्रोत्साहन योजना", "शिल्प क्रमांक 69", "पृष्ठ 1 /"} {
		if !strings.Contains(string(hout), s) {
			t.Errorf("Hindi report lacks %q", s)
		}
	}

	// The first page rasterises to a page with ink on it.
	ppm := needTool(t, "pdftoppm")
	if err := exec.Command(ppm, "-png", "-r", "60", "-f", "1", "-l", "1", hpath, filepath.Join(dir, "p")).Run(); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(matches) != 1 {
		t.Fatalf("rasterised %v", matches)
	}
	f, err := os.Open(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := darkPixels(img, img.Bounds()); n < 2000 {
		t.Errorf("page 1 has only %d dark pixels", n)
	}
}

func TestDistrictMonthlyNil(t *testing.T) {
	if _, err := DistrictMonthly(nil, "en"); err == nil {
		t.Error("nil report rendered")
	}
}
