package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// Config is read from the environment once at start-up. A bad value stops start-up with a
// message that names the variable.
type Config struct {
	Addr           string   // SHILPKOSH_ADDR
	DatabaseURL    string   // DATABASE_URL
	Secret         []byte   // SHILPKOSH_SECRET
	AdminPassword  string   // SHILPKOSH_ADMIN_PASSWORD
	Production     bool     // SHILPKOSH_ENV=production
	DataDir        string   // SHILPKOSH_DATA_DIR
	TrustedProxies []string // SHILPKOSH_TRUSTED_PROXIES
	PublicURL      string   // SHILPKOSH_PUBLIC_URL: where reports' QR codes send readers to verify
	// NoReportSchedule (SHILPKOSH_REPORT_SCHEDULE=off) keeps this instance from archiving
	// last month's reports; another instance, or `shilpkosh report all`, does it. Load
	// benchmarks use it so that the month's reports are not built under the load.
	NoReportSchedule bool
}

// DefaultDatabaseURL is the embedded SQLite file a newcomer gets with no set-up.
const DefaultDatabaseURL = "sqlite:data/shilpkosh.db"

// LoadConfig reads the configuration through getenv (os.Getenv in the binary).
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:          orDefault(getenv("SHILPKOSH_ADDR"), ":8080"),
		DatabaseURL:   orDefault(getenv("DATABASE_URL"), DefaultDatabaseURL),
		AdminPassword: getenv("SHILPKOSH_ADMIN_PASSWORD"),
		DataDir:       orDefault(getenv("SHILPKOSH_DATA_DIR"), "data"),
		PublicURL:     strings.TrimRight(orDefault(getenv("SHILPKOSH_PUBLIC_URL"), "http://localhost:8080"), "/"),
	}
	switch v := getenv("SHILPKOSH_REPORT_SCHEDULE"); v {
	case "", "on":
	case "off":
		c.NoReportSchedule = true
	default:
		return c, fmt.Errorf("SHILPKOSH_REPORT_SCHEDULE: %q is neither on nor off", v)
	}
	switch env := getenv("SHILPKOSH_ENV"); env {
	case "", "development":
	case "production":
		c.Production = true
	default:
		return c, fmt.Errorf("SHILPKOSH_ENV: %q is neither development nor production", env)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, fmt.Errorf("SHILPKOSH_ADDR: %q is not host:port (%v)", c.Addr, err)
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return c, fmt.Errorf("DATABASE_URL: %q is neither sqlite:PATH nor postgres://...", c.DatabaseURL)
	}
	if p := c.AdminPassword; p != "" && len(p) < MinPasswordLength {
		return c, fmt.Errorf("SHILPKOSH_ADMIN_PASSWORD: must be at least %d characters", MinPasswordLength)
	}
	for _, p := range splitList(getenv("SHILPKOSH_TRUSTED_PROXIES")) {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return c, fmt.Errorf("SHILPKOSH_TRUSTED_PROXIES: %q is not an IP address or CIDR range", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	secret, err := loadSecret(getenv("SHILPKOSH_SECRET"), c)
	if err != nil {
		return c, err
	}
	c.Secret = secret
	return c, nil
}

// loadSecret returns the signing key. In development a missing key is generated once and
// kept under the data folder so sessions survive restarts; production must be told.
func loadSecret(value string, c Config) ([]byte, error) {
	if value != "" {
		if len(value) < 32 {
			return nil, errors.New("SHILPKOSH_SECRET: must be at least 32 characters")
		}
		return []byte(value), nil
	}
	if c.Production {
		return nil, errors.New("SHILPKOSH_SECRET: required when SHILPKOSH_ENV=production")
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, fmt.Errorf("SHILPKOSH_SECRET: generate: %w", err)
	}
	key := hex.EncodeToString(buf)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("SHILPKOSH_SECRET: store generated key: %w", err)
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("SHILPKOSH_SECRET: store generated key: %w", err)
	}
	return []byte(key), nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
