package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shilpkosh/app"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaultsAndGeneratedSecret(t *testing.T) {
	dir := t.TempDir()
	c, err := app.LoadConfig(envOf(map[string]string{"SHILPKOSH_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "sqlite:data/shilpkosh.db" || c.Production {
		t.Errorf("defaults = %+v", c)
	}
	if len(c.Secret) < 32 {
		t.Errorf("generated secret too short: %d", len(c.Secret))
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", info, err)
	}
	// The key survives a restart, so sessions do too.
	again, err := app.LoadConfig(envOf(map[string]string{"SHILPKOSH_DATA_DIR": dir}))
	if err != nil || string(again.Secret) != string(c.Secret) {
		t.Errorf("secret changed across loads: %v", err)
	}
}

func TestConfigRefusesBadValuesNamingTheVariable(t *testing.T) {
	long := strings.Repeat("k", 32)
	cases := map[string]map[string]string{
		"SHILPKOSH_ADDR":            {"SHILPKOSH_ADDR": "8080", "SHILPKOSH_SECRET": long},
		"DATABASE_URL":              {"DATABASE_URL": "mysql://x", "SHILPKOSH_SECRET": long},
		"SHILPKOSH_SECRET":          {"SHILPKOSH_SECRET": "short"},
		"SHILPKOSH_ENV":             {"SHILPKOSH_ENV": "staging", "SHILPKOSH_SECRET": long},
		"SHILPKOSH_ADMIN_PASSWORD":  {"SHILPKOSH_ADMIN_PASSWORD": "abc", "SHILPKOSH_SECRET": long},
		"SHILPKOSH_TRUSTED_PROXIES": {"SHILPKOSH_TRUSTED_PROXIES": "10.0.0.1,not-an-ip", "SHILPKOSH_SECRET": long},
		"SHILPKOSH_REPORT_SCHEDULE": {"SHILPKOSH_REPORT_SCHEDULE": "sometimes", "SHILPKOSH_SECRET": long},
	}
	for variable, env := range cases {
		_, err := app.LoadConfig(envOf(env))
		if err == nil || !strings.HasPrefix(err.Error(), variable+":") {
			t.Errorf("%s: err = %v, want one naming the variable", variable, err)
		}
	}
	// Production must be given its key: a generated one would differ between instances.
	_, err := app.LoadConfig(envOf(map[string]string{"SHILPKOSH_ENV": "production", "SHILPKOSH_DATA_DIR": t.TempDir()}))
	if err == nil || !strings.HasPrefix(err.Error(), "SHILPKOSH_SECRET:") {
		t.Errorf("production without secret: %v", err)
	}
	c, err := app.LoadConfig(envOf(map[string]string{"SHILPKOSH_ENV": "production", "SHILPKOSH_SECRET": long,
		"SHILPKOSH_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.5", "DATABASE_URL": "postgres://u@h/db"}))
	if err != nil || !c.Production || len(c.TrustedProxies) != 2 {
		t.Errorf("production config = %+v, %v", c, err)
	}
}

func TestConfigReportScheduleOff(t *testing.T) {
	long := strings.Repeat("k", 32)
	for v, off := range map[string]bool{"": false, "on": false, "off": true} {
		c, err := app.LoadConfig(envOf(map[string]string{"SHILPKOSH_REPORT_SCHEDULE": v, "SHILPKOSH_SECRET": long}))
		if err != nil || c.NoReportSchedule != off {
			t.Errorf("SHILPKOSH_REPORT_SCHEDULE=%q: NoReportSchedule = %v, %v; want %v", v, c.NoReportSchedule, err, off)
		}
	}
}
