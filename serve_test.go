package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// These helpers run the real binary, as an operator would, for the tests of faults and of
// several instances.

const (
	testSecret        = "a-test-secret-of-more-than-32-characters"
	testAdminPassword = "admin-password-for-tests"
)

// buildBinary builds shilpkosh into the test's temporary folder (the build cache keeps a
// second build to a link).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "shilpkosh")
	cmd := exec.Command("go", "build", "-o", bin, ".") // go test puts its own go first on PATH
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serverProcess is one running `shilpkosh serve`.
type serverProcess struct {
	cmd  *exec.Cmd
	base string
	log  *syncBuffer
	done chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer starts `serve` on a free port over databaseURL and waits until it is ready.
func startServer(t *testing.T, bin, databaseURL, dataDir string) *serverProcess {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, "SHILPKOSH_ADDR="+addr,
		"SHILPKOSH_DATA_DIR="+dataDir, "SHILPKOSH_SECRET="+testSecret, "SHILPKOSH_ADMIN_PASSWORD="+testAdminPassword)
	p := &serverProcess{cmd: cmd, base: "http://" + addr, log: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }() //nolint:errcheck // killed on purpose
	t.Cleanup(func() { p.kill(t) })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if st, _ := p.get(t, "/readyz", ""); st == http.StatusOK {
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited:\n%s", p.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve not ready in 30 s:\n%s", p.log.String())
	return nil
}

// kill ends the process with SIGKILL: no shutdown, no deferred work.
func (p *serverProcess) kill(t *testing.T) {
	t.Helper()
	p.cmd.Process.Kill() //nolint:errcheck // may have ended already
	<-p.done
}

var httpClient = &http.Client{Timeout: 2 * time.Minute} // an import of thousands of rows on a busy machine

// do sends a request and decodes a JSON answer into out (when not nil); it returns the
// status, or 0 when the request failed.
func (p *serverProcess) do(t *testing.T, method, path, token, contentType string, body io.Reader, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, p.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		json.Unmarshal(b, out) //nolint:errcheck // the status tells what went wrong
	}
	return resp.StatusCode
}

// get returns the status and the error code of the JSON answer, if any.
func (p *serverProcess) get(t *testing.T, path, token string) (int, string) {
	t.Helper()
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	st := p.do(t, http.MethodGet, path, token, "", nil, &body)
	return st, body.Error.Code
}

func (p *serverProcess) postJSON(t *testing.T, path, token string, in, out any) int {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return p.do(t, http.MethodPost, path, token, "application/json", bytes.NewReader(b), out)
}

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func (p *serverProcess) login(t *testing.T, username, password string) tokenPair {
	t.Helper()
	var tok tokenPair
	if st := p.postJSON(t, "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, &tok); st != http.StatusOK {
		t.Fatalf("login %s: %d\n%s", username, st, p.log.String())
	}
	return tok
}

// upload posts a file as the multipart field "file".
func (p *serverProcess) upload(t *testing.T, path, token, name string, data []byte, out any) int {
	t.Helper()
	body, contentType := multipartFile(t, name, data)
	return p.do(t, http.MethodPost, path, token, contentType, body, out)
}

func multipartFile(t *testing.T, name string, data []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data) //nolint:errcheck // a bytes.Buffer does not fail
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// uploadInBackground posts a file without waiting for (or caring about) the answer: the
// server is about to be killed.
func (p *serverProcess) uploadInBackground(t *testing.T, path, token, name string, data []byte) {
	t.Helper()
	body, contentType := multipartFile(t, name, data)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, p.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	go func() {
		if resp, err := httpClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
}

// artisanCSV is an import file of n valid artisans in Jaipur, each with its own mobile.
func artisanCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("Name,Father's or husband's name,Gender,Date of birth,Social category,Mobile,District,Tehsil,Village or town,Main craft,Years in craft\n")
	for i := range n {
		fmt.Fprintf(&b, "Kamla Devi %d,Ramesh Lal,female,%02d-%02d-1970,obc,9%09d,Jaipur,Sanganer,Bagru,blue-pottery,%d\n",
			i, 1+i%28, 1+i%12, 100000000+i, i%10)
	}
	return []byte(b.String())
}
