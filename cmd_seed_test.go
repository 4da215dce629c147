package main

import (
	"strings"
	"testing"
)

func TestSeedGenerated(t *testing.T) {
	useTempDatabase(t)
	code, out, errOut := cli(t, "", "seed", "demo", "--artisans", "400", "--months", "3", "--seed", "9", "--until", "2026-10")
	if code != 0 || !strings.Contains(out, "Generated") || !strings.Contains(out, "artisans                 400") ||
		!strings.Contains(out, `"admin"`) || !strings.Contains(out, "dic.jaipur") {
		t.Fatalf("seed demo --artisans: %d %q %q", code, out, errOut)
	}
	// The generator fills empty databases only; the small demo set still loads its users.
	if code, _, errOut := cli(t, "", "seed", "demo", "--artisans", "10"); code == 0 || !strings.Contains(errOut, "empty database") {
		t.Errorf("second generation: %d %q", code, errOut)
	}
	if code, out, _ := cli(t, "", "seed", "reference", "--artisans", "10"); code == 0 || !strings.Contains(out, "Usage") {
		t.Errorf("seed reference --artisans: %d %q", code, out)
	}
}
