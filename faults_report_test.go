package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// TestKillDuringReportRunLeavesWholeFiles kills `report all` with SIGKILL after its first
// reports: every PDF in the folder is whole, every archived row matches its hash, and a
// second run removes what the first left half-written and writes all 42 reports, the same
// bytes as the archive holds.
func TestKillDuringReportRunLeavesWholeFiles(t *testing.T) {
	bin := buildBinary(t)
	for _, dialect := range apptest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			databaseURL := apptest.URL(t, dialect)
			env := append(os.Environ(), "DATABASE_URL="+databaseURL, "SHILPKOSH_DATA_DIR="+t.TempDir(),
				"SHILPKOSH_SECRET="+testSecret, "SHILPKOSH_ADMIN_PASSWORD="+testAdminPassword)
			runCommand(t, bin, env, "seed", "demo", "--artisans", "500", "--months", "3", "--until", "2026-10", "--seed", "1")
			db := openURL(t, databaseURL)
			dir := t.TempDir()

			written := killReportRunAfter(t, bin, env, dir, 2)
			checkWholePDFs(t, dir)
			if n := checkArchiveHashes(t, db); n < written {
				t.Errorf("%d reports archived, but %d were written before the kill", n, written)
			}

			// A write cut off by the kill, as the rename would have left it.
			partial := filepath.Join(dir, ".jaipur-2026-10.pdf"+partialSuffix+"123")
			if err := os.WriteFile(partial, []byte("%PDF-1.4\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if out := runCommand(t, bin, env, "report", "all", "--month", "2026-10", "--out", dir); !strings.Contains(out, "Wrote 42 reports") {
				t.Errorf("rerun: %q", out)
			}
			if _, err := os.Stat(partial); !os.IsNotExist(err) {
				t.Errorf("the partial file is still there: %v", err)
			}
			if n := checkWholePDFs(t, dir); n != 42 {
				t.Errorf("%d reports after the rerun, want 41 districts and the state summary", n)
			}
			checkArchiveHashes(t, db)
			checkFilesMatchArchive(t, db, dir)
			if out := runCommand(t, bin, env, "audit", "verify"); !strings.HasPrefix(out, "OK") {
				t.Errorf("audit verify: %s", out)
			}
		})
	}
}

// runCommand runs the binary to the end and returns its output; failing is fatal.
func runCommand(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// killReportRunAfter starts `report all` into dir and kills it with SIGKILL as soon as it
// has written `after` reports, while the others are being drawn and written. It returns
// how many reports the run said it wrote.
func killReportRunAfter(t *testing.T, bin string, env []string, dir string, after int) int {
	t.Helper()
	cmd := exec.Command(bin, "report", "all", "--month", "2026-10", "--out", dir)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		for s := bufio.NewScanner(stderr); s.Scan(); {
			lines <- s.Text()
		}
	}()
	var seen []string
	timeout := time.After(60 * time.Second)
	for len(seen) < after {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait() //nolint:errcheck // the output says what went wrong
				t.Fatalf("report all ended before the kill:\n%s", strings.Join(seen, "\n"))
			}
			seen = append(seen, line)
		case <-timeout:
			cmd.Process.Kill() //nolint:errcheck
			t.Fatalf("no progress in 60 s:\n%s", strings.Join(seen, "\n"))
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for line := range lines { // lines the run printed before the signal landed
		seen = append(seen, line)
	}
	cmd.Wait() //nolint:errcheck // killed on purpose
	if len(seen) >= 42 {
		t.Fatalf("the run finished before the kill:\n%s", strings.Join(seen, "\n"))
	}
	t.Logf("killed after %d reports", len(seen))
	return len(seen)
}

// checkWholePDFs fails on any *.pdf in dir that is not a whole PDF and returns how many
// there are. Partial files are hidden and do not end in .pdf, so they are not counted.
func checkWholePDFs(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF")) {
			t.Errorf("%s is not a whole PDF (%d bytes)", filepath.Base(f), len(b))
		}
	}
	return len(files)
}

// checkArchiveHashes fails on any archived report whose stored bytes do not match its
// recorded SHA-256 or size, and returns how many are current.
func checkArchiveHashes(t *testing.T, db testDB) int {
	t.Helper()
	var rows []app.ArchivedReport
	if err := db.NewSelect().Model(&rows).Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	current := 0
	for _, r := range rows {
		sum := sha256.Sum256(r.Content)
		if hex.EncodeToString(sum[:]) != r.SHA256 || int64(len(r.Content)) != r.SizeBytes {
			t.Errorf("archived report %d (%s): stored bytes do not match its hash or size", r.ID, r.Filename())
		}
		if r.SupersededAt == nil {
			current++
		}
	}
	return current
}

// checkFilesMatchArchive fails unless the folder holds, for every current archived report
// of the month, its very bytes.
func checkFilesMatchArchive(t *testing.T, db testDB, dir string) {
	t.Helper()
	var rows []app.ArchivedReport
	if err := db.NewSelect().Model(&rows).Where("month = '2026-10' AND superseded_at IS NULL").Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 42 {
		t.Errorf("%d current reports archived, want 42", len(rows))
	}
	for _, r := range rows {
		if b, err := os.ReadFile(filepath.Join(dir, r.Filename())); err != nil || !bytes.Equal(b, r.Content) {
			t.Errorf("%s differs from the archived report %d: %v", r.Filename(), r.ID, err)
		}
	}
}

// TestWriteReportFileLeavesOnlyTheReport: a report replaces the file before it whole, is
// readable by others, and leaves no partial file; only partial files are swept.
func TestWriteReportFileLeavesOnlyTheReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jaipur-2026-10.pdf")
	for _, content := range []string{"%PDF-1.4 first %%EOF", "%PDF-1.4 second %%EOF"} {
		if err := writeReportFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	info, err := os.Stat(path)
	if len(entries) != 1 || err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("folder after two writes: %v, %v %v", entries, info, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF-1.4 second %%EOF" {
		t.Errorf("content %q", b)
	}
	if err := writeReportFile(filepath.Join(dir, "missing", "x.pdf"), []byte("x")); err == nil {
		t.Error("wrote into a folder that does not exist")
	}
	for name, partial := range map[string]bool{".jaipur-2026-10.pdf.partial-123": true, "jaipur-2026-10.pdf": false,
		".jaipur-2026-10.pdf": false, "notes.partial-1": false} {
		if isPartialReport(name) != partial {
			t.Errorf("isPartialReport(%q) = %v", name, !partial)
		}
	}
}
