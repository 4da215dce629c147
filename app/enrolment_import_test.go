package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"shilpkosh/app"
)

// enrolDay is a date n days before today in India, as YYYY-MM-DD.
func enrolDay(n int) string { return time.Now().In(enrolIST()).AddDate(0, 0, -n).Format(time.DateOnly) }

// enrolRowKeys lists the problems of a refused import as "row field key".
func enrolRowKeys(t *testing.T, res *app.EnrolmentImportResult, err error) map[string]bool {
	t.Helper()
	var rows app.RowErrors
	if app.ErrorCode(err) != app.EINVALID || !errors.As(err, &rows) {
		t.Fatalf("import: %v, want row errors", err)
	}
	if res == nil || len(res.Errors) != len(rows) || res.Created != 0 {
		t.Fatalf("result of a refused import = %+v", res)
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[fmt.Sprintf("%d %s %s", r.Row, r.Field, r.Key)] = true
	}
	return out
}

func (e *enrolEnv) enrolmentCount() int {
	e.t.Helper()
	n, err := e.db.NewSelect().Table("enrolments").Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// TestEnrolmentImport: one bad row saves nothing and names each failed rule; the good file
// saves every row; a second upload adds nothing; Hindi and English headers, CSV and XLSX.
func TestEnrolmentImport(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		ctx := context.Background()
		mohan := e.approved(artInput("Mohan Lal", "9829012345"))
		gopal := e.approved(artInput("Gopal Das", "9829012346"))
		jodhpur := artInput("Ramu Ram", "9829012347")
		jodhpur.District, jodhpur.Tehsil, jodhpur.PINCode = "jodhpur", "Jodhpur", "342001"
		far := e.approved(jodhpur)
		e.scheme("toolkit", nil)
		e.scheme("women", func(in *app.SchemeInput) { in.RuleGenders = &[]string{"female"} })
		day := enrolDay(1)

		bad := "कारीगर आईडी,योजना,आवेदन तिथि,टिप्पणी\n" +
			fmt.Sprintf("%d,toolkit,%s,camp at Sanganer\n", mohan.ID, day) +
			fmt.Sprintf("%d,women,%s,\n", gopal.ID, day) +
			fmt.Sprintf("%d,toolkit,%s,\n", far.ID, day) +
			fmt.Sprintf("%d,no-such,31-02-2026,\n", gopal.ID) +
			fmt.Sprintf("x%d,toolkit,%s,\n", gopal.ID, day) +
			fmt.Sprintf("%d,toolkit,%s,again\n", mohan.ID, day)
		res, err := e.enrol.Import(ctx, e.actor("entry.jaipur"), []byte(bad))
		got := enrolRowKeys(t, res, err)
		for _, want := range []string{
			"3 gender enrolment.ineligible.gender",
			"4 artisan_id enrolment.unknown_artisan",
			"5 scheme enrolment.unknown_scheme",
			"5 applied_on validation.date",
			"6 artisan_id validation.number",
			"7 artisan_id enrolment.duplicate_in_file",
		} {
			if !got[want] {
				t.Errorf("problems %v lack %q", got, want)
			}
		}
		if len(got) != 6 {
			t.Errorf("problems = %v, want 6", got)
		}
		if n := e.enrolmentCount(); n != 0 {
			t.Fatalf("a refused file saved %d enrolments", n)
		}

		good := "Artisan ID,Scheme,Applied date,Remarks\n" +
			fmt.Sprintf("%d,toolkit,%s,camp at Sanganer\n", mohan.ID, day) +
			fmt.Sprintf("%d,Toolkit,%s,\n", gopal.ID, day)
		res, err = e.enrol.Import(ctx, e.actor("entry.jaipur"), []byte(good))
		if err != nil || res.Created != 2 || res.Existing != 0 || len(res.IDs) != 2 {
			t.Fatalf("good file = %+v, %v", res, err)
		}
		created := res.IDs
		res, err = e.enrol.Import(ctx, e.actor("dic.jaipur"), []byte(good))
		if err != nil || res.Created != 0 || res.Existing != 2 || e.enrolmentCount() != 2 {
			t.Fatalf("second upload = %+v, %v; %d enrolments", res, err, e.enrolmentCount())
		}
		full, err := e.enrol.Get(ctx, e.actor("dic.jaipur"), created[0])
		if err != nil || full.Status != app.EnrolmentApplied || full.AppliedAt.In(enrolIST()).Format(time.DateOnly) != day ||
			full.History[0].Action != "import" || full.History[0].Reason != "camp at Sanganer" {
			t.Errorf("imported enrolment = %+v, %v", full, err)
		}
		if n, err := e.db.NewSelect().Table("audit_log").Where("entity = 'enrolment' AND action = 'import'").Count(ctx); err != nil || n != 2 {
			t.Errorf("import audit entries = %d, %v", n, err)
		}

		// XLSX with an Excel date; the scope of the uploader decides.
		x := enrolXLSX(t, [][]any{{"artisan", "scheme", "applied_on"}, {far.ID, "toolkit", 46300}})
		if _, err := e.enrol.Import(ctx, e.actor("entry.jaipur"), x); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("jaipur imports a jodhpur artisan: %v", err)
		}
		if res, err := e.enrol.Import(ctx, e.actor("entry.jodhpur"), x); err != nil || res.Created != 1 {
			t.Errorf("xlsx import = %+v, %v", res, err)
		}
		if _, err := e.enrol.Import(ctx, e.actor("board"), []byte(good)); !errors.Is(err, app.ErrForbidden) {
			t.Errorf("board imports: %v", err)
		}
		_, err = e.enrol.Import(ctx, e.actor("admin"), []byte("name,place\nx,y\n"))
		artWant(t, "unknown columns", err, app.EINVALID, "imports.error.unknown_columns")
	})
}

func enrolXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEnrolmentImportTemplate: the template's own headers are recognised by the import.
func TestEnrolmentImportTemplate(t *testing.T) {
	eachEnrolEnv(t, func(t *testing.T, e *enrolEnv) {
		b, err := app.EnrolmentImportTemplate()
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "Enrolments" {
			t.Errorf("sheets = %v", sheets)
		}
		_, err = e.enrol.Import(context.Background(), e.actor("admin"), b)
		artWant(t, "empty template", err, app.EINVALID, "enrolment.import_no_rows")
	})
}
