package bench

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// ImportHeader is the header row of the benchmark's import files: English, Hindi and
// bilingual headers, as offices fill in the template.
var ImportHeader = []string{"नाम / Name", "name_hi", "Father's or husband's name", "Gender", "Date of birth",
	"Social category", "Person with disability", "Mobile", "Aadhaar", "District", "Tehsil", "Village or town",
	"PIN code", "Main craft", "Other crafts", "Years in craft", "Bank account", "IFSC"}

// What the rows are drawn from: districts and crafts written as slugs, English and
// Hindi names and other spellings, as the importer must recognise them.
var (
	importFirst = [][2]string{{"Kishan", "किशन"}, {"Sita", "सीता"}, {"Ramesh", "रमेश"}, {"Geeta", "गीता"},
		{"Mohan", "मोहन"}, {"Kamla", "कमला"}, {"Suresh", "सुरेश"}, {"Lakshmi", "लक्ष्मी"}, {"Bhanwar", "भंवर"},
		{"Santosh", "संतोष"}, {"Gopal", "गोपाल"}, {"Pushpa", "पुष्पा"}}
	importLast = [][2]string{{"Chhipa", "छीपा"}, {"Kumhar", "कुम्हार"}, {"Meghwal", "मेघवाल"}, {"Soni", "सोनी"},
		{"Jangid", "जांगिड़"}, {"Rangrez", "रंगरेज"}, {"Prajapat", "प्रजापत"}}
	importDistricts = []string{"jaipur", "Jodhpur", "उदयपुर", "Ajmer", "Ganganagar", "Jalor", "bikaner",
		"Sawai Madhopur", "barmer", "Kota", "भीलवाड़ा", "Nagaur", "jaipur"}
	importCrafts = []string{"sanganeri-block-print", "Bagru hand block print", "dabu-print", "blue-pottery",
		"मीनाकारी", "bandhej", "Kota doria", "dhurrie", "lac-bangles", "mojari"}
	importCategories = []string{"obc", "SC", "st", "General", "अन्य पिछड़ा वर्ग", "mbc"}
)

// ImportMobile is the mobile of the benchmark's row i: the generator's mobile of
// artisan number 1,000,000,000 + i (migrations genMobile). The generator's formula is
// a bijection (2654435761 and 3999999999 are coprime), so these never meet the mobiles
// of a generated registry, which counts from 1: the duplicate checks run against
// real data and find nothing to refuse.
func ImportMobile(i int) string {
	id := int64(1_000_000_000 + i)
	return strconv.FormatInt(6000000000+(id*2654435761)%3999999999, 10)
}

// ImportRows builds n valid rows numbered from first, the same for the same arguments.
// Every second row has an Aadhaar number (made up, with a valid check digit), every
// third other crafts, every fifth a bank account.
func ImportRows(first, n int) [][]string {
	rows := make([][]string, n)
	for k := range rows {
		i := first + k
		f, l := importFirst[i%len(importFirst)], importLast[(i/len(importFirst))%len(importLast)]
		gender := "male"
		if i%len(importFirst)%2 == 1 {
			gender = "female"
		}
		aadhaar, others, account, ifsc, disabled := "", "", "", "", ""
		if i%2 == 0 {
			digits := fmt.Sprintf("8%010d", i)
			aadhaar = digits + string(app.VerhoeffCheckDigit(digits))
		}
		if i%3 == 0 {
			others = importCrafts[(i+1)%len(importCrafts)] + "; " + importCrafts[(i+2)%len(importCrafts)]
		}
		if i%5 == 0 {
			account, ifsc = fmt.Sprintf("%012d", 100000000000+i), "SBIN0001234"
		}
		if i%37 == 0 {
			disabled = "yes"
		}
		rows[k] = []string{
			f[0] + " " + l[0] + " " + strconv.Itoa(i), f[1] + " " + l[1], "Ramesh " + l[0], gender,
			fmt.Sprintf("%02d-%02d-19%02d", 1+i%28, 1+i%12, 50+i%50), importCategories[i%len(importCategories)],
			disabled, ImportMobile(i), aadhaar, importDistricts[i%len(importDistricts)], "Tehsil " + strconv.Itoa(i%40),
			"Village " + strconv.Itoa(i%400), strconv.Itoa(302000 + i%900), importCrafts[i%len(importCrafts)], others,
			strconv.Itoa(i % 20), account, ifsc,
		}
	}
	return rows
}

// ImportCSV writes rows as UTF-8 CSV with a BOM, as Excel saves "CSV UTF-8".
func ImportCSV(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	if err := w.Write(ImportHeader); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ImportXLSX writes rows into the first sheet of a workbook, mobile, Aadhaar, PIN, years
// and account as numbers, as a spreadsheet user's typing stores them.
func ImportXLSX(rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	numeric := map[int]bool{7: true, 8: true, 12: true, 15: true, 16: true}
	put := func(n int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
			if v, err := strconv.ParseInt(c, 10, 64); err == nil && numeric[i] && n > 1 {
				vals[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	if err := put(1, ImportHeader); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if err := put(i+2, r); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ImportResult is what one upload did.
type ImportResult struct {
	Elapsed  time.Duration // from the first byte sent to the job's end
	Status   string        // the job's status: done or failed
	Created  int
	Existing int
	Errors   int
	Message  string // the server's answer when the job failed
}

// Upload posts a file to POST /api/v1/imports/artisans, which answers when the job has
// ended, then reads the job (GET /api/v1/imports/:id) for its final state.
func Upload(baseURL, token, name string, data []byte) (ImportResult, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		return ImportResult{}, err
	}
	if _, err := part.Write(data); err != nil {
		return ImportResult{}, err
	}
	if err := mw.Close(); err != nil {
		return ImportResult{}, err
	}
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/api/v1/imports/artisans", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	start := time.Now()
	res, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return ImportResult{}, fmt.Errorf("bench: import %s: %w", name, err)
	}
	answer, err := io.ReadAll(res.Body)
	res.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return ImportResult{}, fmt.Errorf("bench: import %s: %w", name, err)
	}
	var ended struct {
		ID    int64 `json:"id"`
		Error struct {
			ImportID int64  `json:"import_id"`
			Message  string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(answer, &ended)
	id := max(ended.ID, ended.Error.ImportID)
	if id == 0 {
		return ImportResult{Elapsed: elapsed, Status: "failed",
			Message: fmt.Sprintf("status %d: %.300s", res.StatusCode, answer)}, nil
	}
	job, err := Get(baseURL+"/api/v1/imports/"+strconv.FormatInt(id, 10), token)
	if err != nil {
		return ImportResult{}, err
	}
	var j struct {
		Status   string  `json:"status"`
		Created  int     `json:"created"`
		Existing int     `json:"existing"`
		Errors   int     `json:"errors"`
		Message  *string `json:"message"`
	}
	if err := json.Unmarshal(job, &j); err != nil {
		return ImportResult{}, fmt.Errorf("bench: import %s: job: %w", name, err)
	}
	r := ImportResult{Elapsed: elapsed, Status: j.Status, Created: j.Created, Existing: j.Existing, Errors: j.Errors}
	if j.Message != nil {
		r.Message = *j.Message
	} else if ended.Error.Message != "" {
		r.Message = ended.Error.Message
	}
	return r, nil
}

// ImportOptions say what to import and where.
type ImportOptions struct {
	BaseURL   string
	Token     string
	Rows      int // rows of each file
	First     int // number of the first row: a second run imports new rows from Rows*2 on
	ServerPID int // 0: not measured
	Command   string
}

// Imports uploads a CSV and then an XLSX file of o.Rows new artisans each (different
// rows, so both are saved rather than found present) and prints, for each, the time from
// upload to the job's end, rows a second, the server's peak RSS and the job's outcome.
// The peak is the server's VmHWM, reset before each upload where the kernel allows it.
func Imports(out io.Writer, o ImportOptions) error {
	line := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	line("# %s", o.Command)
	for k, format := range []string{"csv", "xlsx"} {
		rows := ImportRows(o.First+k*o.Rows, o.Rows)
		var data []byte
		var err error
		if format == "csv" {
			data, err = ImportCSV(rows)
		} else {
			data, err = ImportXLSX(rows)
		}
		if err != nil {
			return err
		}
		rows = nil
		reset := o.ServerPID > 0 && resetPeakRSS(o.ServerPID) == nil
		before, _ := CPUTime(o.ServerPID)
		r, err := Upload(o.BaseURL, o.Token, fmt.Sprintf("bench-%d.%s", o.Rows, format), data)
		if err != nil {
			return err
		}
		after, _ := CPUTime(o.ServerPID)
		label := fmt.Sprintf("import %d rows %s", o.Rows, format)
		s := fmt.Sprintf("%-24s %.2f s  %.0f rows/s  (%.1f MB file)  job %s: %d created, %d present, %d row errors",
			label, r.Elapsed.Seconds(), float64(o.Rows)/r.Elapsed.Seconds(), float64(len(data))/1e6,
			r.Status, r.Created, r.Existing, r.Errors)
		if r.Message != "" {
			s += "  message: " + r.Message
		}
		if o.ServerPID > 0 {
			rss, err := PeakRSS(o.ServerPID)
			if err != nil {
				return err
			}
			since := "since reset"
			if !reset {
				since = "since start: could not reset"
			}
			s += fmt.Sprintf("  server peak RSS %.0f MiB (%s), server CPU %.1f s", rss, since, (after - before).Seconds())
		}
		line("%s", s)
		if r.Status != app.ImportDone || r.Created != o.Rows {
			return fmt.Errorf("bench: import %s did not create every row: %+v", format, r)
		}
	}
	return nil
}

// resetPeakRSS sets a process's VmHWM back to its current RSS (Linux clear_refs "5"), so
// the next reading is the peak of what follows.
func resetPeakRSS(pid int) error {
	return os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}
