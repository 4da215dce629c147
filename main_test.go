package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the binary's entry point in-process against a fresh SQLite file.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func useTempDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", "sqlite:"+filepath.Join(dir, "cli.db"))
	t.Setenv("SHILPKOSH_DATA_DIR", dir)
	t.Setenv("SHILPKOSH_ADMIN_PASSWORD", "")
}

func TestHelpOnEveryCommand(t *testing.T) {
	useTempDatabase(t)
	for _, cmd := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"user", "--help"},
		{"user", "add", "--help"}, {"user", "passwd", "--help"}, {"user", "list", "--help"}, {"seed", "--help"}, {"healthcheck", "--help"},
		{"report", "--help"}, {"report", "district", "--help"}} {
		code, out, errOut := cli(t, "", cmd...)
		if code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d, out %q err %q", cmd, code, out, errOut)
		}
	}
	if code, _, errOut := cli(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d %q", code, errOut)
	}
}

func TestMigrateUserAndSeedCommands(t *testing.T) {
	useTempDatabase(t)
	if code, out, errOut := cli(t, "", "migrate", "up"); code != 0 || !strings.Contains(out, "Applied") {
		t.Fatalf("migrate up: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(t, "", "migrate", "status"); code != 0 || !strings.Contains(out, "applied") {
		t.Errorf("migrate status: %d %q", code, out)
	}
	if code, out, _ := cli(t, "", "migrate", "down"); code != 0 || !strings.Contains(out, "Rolled back") {
		t.Errorf("migrate down: %d %q", code, out)
	}
	if code, out, _ := cli(t, "", "migrate", "status"); code != 0 || strings.Contains(out, "applied") {
		t.Errorf("status after down: %q", out)
	}

	// On an empty database the first command that loads users creates the administrator.
	if code, out, _ := cli(t, "", "seed", "demo"); code != 0 || !strings.Contains(out, "dic.jaipur") || !strings.Contains(out, `"admin"`) ||
		!strings.Contains(out, "6 demo users, 16 artisans, 15 store sales") || !strings.Contains(out, "store.jaipur") {
		t.Errorf("seed demo: %d %q", code, out)
	}
	// The demo set loads once: a second run creates nothing.
	if code, out, _ := cli(t, "", "seed", "demo"); code != 0 || strings.Contains(out, "Loaded") {
		t.Errorf("second seed demo: %d %q", code, out)
	}
	code, out, errOut := cli(t, "a-secret-password\n", "user", "add", "--username", "dic.ajmer", "--name", "DIC Ajmer",
		"--role", "dic_officer", "--districts", "ajmer", "--password-stdin")
	if code != 0 || !strings.Contains(out, `Created user "dic.ajmer"`) {
		t.Fatalf("user add: %d %q %q", code, out, errOut)
	}
	code, _, errOut = cli(t, "", "user", "add", "--username", "x", "--name", "", "--role", "dic_officer", "--districts", "atlantis")
	if code != 1 || !strings.Contains(errOut, "districts: user.unknown_district") || !strings.Contains(errOut, "username") {
		t.Errorf("bad user add: %d %q", code, errOut)
	}
	if code, out, _ := cli(t, "", "user", "passwd", "dic.ajmer"); code != 0 || !strings.Contains(out, "New password (shown once)") {
		t.Errorf("passwd: %d %q", code, out)
	}
	code, out, _ = cli(t, "", "user", "list")
	for _, want := range []string{"admin", "state_admin", "dic.ajmer", "ajmer", "dic.jaipur"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("user list lacks %q: %q", want, out)
		}
	}
	if code, out, _ := cli(t, "", "seed", "reference"); code != 0 || !strings.Contains(out, "Reference data loaded") {
		t.Errorf("seed reference: %d %q", code, out)
	}
	pdf := filepath.Join(t.TempDir(), "jaipur.pdf")
	if code, out, errOut := cli(t, "", "report", "district", "--district", "jaipur", "--month", "2026-10", "--lang", "hi", "--out", pdf); code != 0 || !strings.Contains(out, "Wrote") {
		t.Errorf("report district: %d %q %q", code, out, errOut)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("report file: %v", err)
	}
	if code, _, _ := cli(t, "", "report", "district", "--district", "jaipur", "--month", "2026-13", "--out", pdf); code != 1 {
		t.Errorf("bad month accepted: exit %d", code)
	}
}

// TestReportAllCommand: `report all` writes every district's report and the state summary
// into a folder, reporting progress on stderr; a bad month writes nothing and says why.
func TestReportAllCommand(t *testing.T) {
	useTempDatabase(t)
	dir := filepath.Join(t.TempDir(), "reports")
	// Progress goes to the process's stderr, as an operator watching a long run sees it.
	progress, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = progress
	code, out, errOut := cli(t, "", "report", "all", "--month", "2026-10", "--out", dir)
	os.Stderr = stderr
	if code != 0 || !strings.Contains(out, "Wrote 42 reports for 2026-10") {
		t.Fatalf("report all: %d %q %q", code, out, errOut)
	}
	for _, name := range []string{"jaipur-2026-10.pdf", "jaisalmer-2026-10.pdf", "rajasthan-2026-10.pdf"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(files) != 42 {
		t.Errorf("%d files, want 41 districts and the state summary", len(files))
	}
	log, _ := os.ReadFile(progress.Name())
	if lines := strings.Count(string(log), "\n"); lines != 42 || !strings.Contains(string(log), "/42] ") {
		t.Errorf("progress on stderr:\n%s", log)
	}

	empty := filepath.Join(t.TempDir(), "none")
	code, out, errOut = cli(t, "", "report", "all", "--month", "2026-13", "--out", empty)
	if code == 0 || !strings.HasPrefix(out, `--month "2026-13": not a month (YYYY-MM)`+"\n") ||
		!strings.Contains(out, "--month YYYY-MM") || !strings.Contains(errOut, "see --help") {
		t.Errorf("bad month: exit %d, out %q, err %q", code, out, errOut)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("bad month created the folder: %v", err)
	}
}
