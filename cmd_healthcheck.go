package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// cmdHealthcheck asks the local server's /readyz; the container image has no curl.
func cmdHealthcheck(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := newFlags("healthcheck", "healthcheck", stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Only the address is read: loading the whole configuration could generate a key.
	addr := os.Getenv("SHILPKOSH_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+displayAddr(addr)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	return nil
}
