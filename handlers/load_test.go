package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// loadClients is how many clients the load test runs at once; SHILPKOSH_LOAD_SECONDS
// says for how long (3 s by default, so CI stays short; set 60 for a soak).
const loadClients = 50

func loadDuration(t *testing.T) time.Duration {
	s := os.Getenv("SHILPKOSH_LOAD_SECONDS")
	if s == "" {
		return 3 * time.Second
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("SHILPKOSH_LOAD_SECONDS=%q: want a whole number of seconds", s)
	}
	return time.Duration(n) * time.Second
}

// loadTally is what the clients were told: the sales answered 201 (count and paise) and
// per artisan the edits answered 200; and every status seen.
type loadTally struct {
	mu       sync.Mutex
	sales    int64
	paise    int64
	edits    map[int64]int64
	statuses map[int]int
	stale    int // deliberately stale edits, each of which must get 409
}

func (l *loadTally) saw(status int) {
	l.mu.Lock()
	l.statuses[status]++
	l.mu.Unlock()
}

// TestLoadSalesAndEdits runs 50 concurrent clients against the real server on loopback:
// half enter sales, half edit ten artisans with optimistic locking, some edits stale on
// purpose. Afterwards the database holds exactly the sales answered 201 (count, sum, no
// duplicate invoice), each artisan's version counts exactly the edits answered 200, every
// stale edit got 409, and no request got a 5xx.
func TestLoadSalesAndEdits(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go e.srv.App().Listener(ln)                                //nolint:errcheck // ends at Shutdown
		t.Cleanup(func() { e.srv.Shutdown(context.Background()) }) //nolint:errcheck // test teardown
		base := "http://" + ln.Addr().String()

		store := e.call("POST", "/api/v1/stores", e.token("admin"), saleStore("Rajasthali Ajmer", "rajasthali", "ajmer"), 201)
		var artisans []int64
		for i := range 10 {
			a := e.call("POST", "/api/v1/artisans", e.token("entry.jaipur"), artAPIBody(t, fmt.Sprintf("Load Artisan %d", i), fmt.Sprintf("98290%05d", 10000+i)), 201)
			artisans = append(artisans, int64(a["id"].(float64)))
		}
		sellers := []string{e.token("store.ajmer"), e.token("admin")}
		editors := []string{e.token("entry.jaipur"), e.token("dic.jaipur")}

		client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		tally := &loadTally{edits: map[int64]int64{}, statuses: map[int]int{}}
		deadline := time.Now().Add(loadDuration(t))
		var wg sync.WaitGroup
		for c := range loadClients {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(c), 7))
				for n := 0; time.Now().Before(deadline); n++ {
					if c%2 == 0 {
						loadSale(t, client, base, sellers[c/2%2], int64(store["id"].(float64)), fmt.Sprintf("L%02d-%05d", c, n), rng, tally)
					} else {
						loadEdit(t, client, base, editors[c/2%2], artisans[rng.IntN(len(artisans))], fmt.Sprintf("Sanganer %d-%d", c, n), loadStale(c, n), tally)
					}
				}
			})
		}
		wg.Wait()
		client.CloseIdleConnections()
		checkLoad(t, e, tally, artisans)
	})
}

// loadStale says which edits are stale on purpose: every other edit of half the editors,
// their first included, so even a slow run (the race detector on a busy machine) has some.
func loadStale(client, n int) bool { return client%4 == 3 && n%2 == 0 }

// loadDo sends one JSON request and decodes the answer; a transport error fails the test.
func loadDo(t *testing.T, client *http.Client, method, url, token string, body any) (int, map[string]any) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return 0, nil
	}
	defer resp.Body.Close()
	out := map[string]any{}
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out) //nolint:errcheck // error answers are checked by status
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: %d %s", method, url, resp.StatusCode, data)
	}
	return resp.StatusCode, out
}

func loadSale(t *testing.T, client *http.Client, base, token string, store int64, invoice string, rng *rand.Rand, tally *loadTally) {
	amount := 100 + rng.Int64N(1_000_000)
	status, _ := loadDo(t, client, "POST", base+"/api/v1/sales", token, saleBody(int(store), "2026-11-02", invoice, amount))
	tally.saw(status)
	if status == 201 {
		tally.mu.Lock()
		tally.sales++
		tally.paise += amount
		tally.mu.Unlock()
	} else if status != 0 {
		t.Errorf("sale %s: %d", invoice, status)
	}
}

// loadEdit reads an artisan and changes its tehsil (to a text no other edit uses, so
// every accepted edit is a change) at the version read; a stale edit
// sends the version before it, which the server must refuse.
func loadEdit(t *testing.T, client *http.Client, base, token string, id int64, tehsil string, stale bool, tally *loadTally) {
	url := base + "/api/v1/artisans/" + strconv.FormatInt(id, 10)
	status, rec := loadDo(t, client, "GET", url, token, nil)
	tally.saw(status)
	if status != 200 {
		t.Errorf("read artisan %d: %d", id, status)
		return
	}
	version := int64(rec["version"].(float64))
	if stale {
		version--
	}
	status, _ = loadDo(t, client, "PATCH", url, token, map[string]any{"tehsil": tehsil, "version": version})
	tally.saw(status)
	tally.mu.Lock()
	defer tally.mu.Unlock()
	switch {
	case stale && status != 409:
		t.Errorf("stale edit of artisan %d at version %d: %d, want 409", id, version, status)
	case stale:
		tally.stale++
	case status == 200:
		tally.edits[id]++
	case status != 409: // another client edited it between the read and the write
		t.Errorf("edit of artisan %d: %d", id, status)
	}
}

// checkLoad compares the database with what the clients were told.
func checkLoad(t *testing.T, e *env, tally *loadTally, artisans []int64) {
	ctx := context.Background()
	var got struct {
		N        int64 `bun:"n"`
		Sum      int64 `bun:"total"`
		Invoices int64 `bun:"invoices"`
	}
	err := e.db.NewSelect().Table("sales").
		ColumnExpr("COUNT(*) AS n, COALESCE(SUM(amount_paise), 0) AS total, COUNT(DISTINCT invoice_no) AS invoices").Scan(ctx, &got)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != tally.sales || got.Sum != tally.paise || got.Invoices != got.N {
		t.Errorf("sales: database %d rows, %d paise, %d invoices; clients got 201 for %d, %d paise", got.N, got.Sum, got.Invoices, tally.sales, tally.paise)
	}
	var edits int64
	for _, id := range artisans {
		var version int64
		if err := e.db.NewSelect().Table("artisans").Column("version").Where("id = ?", id).Scan(ctx, &version); err != nil {
			t.Fatal(err)
		}
		if version != 1+tally.edits[id] {
			t.Errorf("artisan %d: version %d after %d edits answered 200", id, version, tally.edits[id])
		}
		edits += tally.edits[id]
	}
	if tally.sales == 0 || edits == 0 || tally.stale == 0 {
		t.Errorf("load did too little: %d sales, %d edits, %d stale edits", tally.sales, edits, tally.stale)
	}
	t.Logf("%d clients: %d sales (%d paise), %d edits, %d stale edits refused; statuses %v",
		loadClients, tally.sales, tally.paise, edits, tally.stale, tally.statuses)
}
