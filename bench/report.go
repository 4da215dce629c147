package bench

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ReportOptions say what server to load and for how long.
type ReportOptions struct {
	BaseURL   string
	DB        *sql.DB // the server's database, for the SQL floor
	Postgres  bool
	District  string // the largest district
	Only      string // run only the workloads whose name contains it ("": all)
	Token     string
	ServerPID int // 0: not measured
	Duration  time.Duration
	Command   string // how this run was started, printed with each figure
}

// Report runs every workload at 8 clients, at a fixed 100 requests a second and with one
// client, then the SQL floors, and prints each figure with the command behind it.
func Report(ctx context.Context, out io.Writer, o ReportOptions) error {
	line := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	line("# %s", o.Command)
	ones := map[string]Result{}
	for _, w := range Workloads(o.District) {
		if !strings.Contains(w.Name, o.Only) {
			continue
		}
		if _, err := Get(o.BaseURL+w.Path, o.Token); err != nil {
			return err
		}
		for _, load := range []struct {
			label              string
			clients, perSecond int
		}{{"8 clients", 8, 0}, {"100 req/s", 8, 100}, {"1 client", 1, 0}} {
			r, err := attackMeasured(o, w, load.clients, load.perSecond)
			if err != nil {
				return err
			}
			line("%-28s %-10s %s", w.Name, load.label, r)
			if load.clients == 1 {
				ones[w.Name] = r
			}
		}
	}
	if o.ServerPID > 0 {
		rss, err := PeakRSS(o.ServerPID)
		if err != nil {
			return err
		}
		line("%-28s %.0f MiB (VmHWM of pid %d)", "server peak RSS under load", rss, o.ServerPID)
	}
	if o.Only != "" {
		return nil
	}
	page, err := PrepareListPage(ctx, o.DB, o.Postgres, o.District)
	if err != nil {
		return err
	}
	defer page.Close()
	floor, err := Floor(500, func() error { return page.Run(ctx) })
	if err != nil {
		return err
	}
	app := ones[Workloads(o.District)[0].Name].P50
	line("%-28s %s; app p50 with 1 client %s; ratio %.2f", "list page SQL floor p50", ms(floor), ms(app),
		float64(app)/float64(floor))
	userID, sid := TokenSession(o.Token)
	session, err := Floor(2000, func() error { return SessionSQL(ctx, o.DB, o.Postgres, sid, userID) })
	if err != nil {
		return err
	}
	noop := ones["authenticated no-op"].P50
	line("%-28s %s of the no-op's p50 %s (%.0f%%)", "session check SQL p50", ms(session), ms(noop),
		100*float64(session)/float64(noop))
	return nil
}

// TokenSession reads the user and session of an access token without checking it (the
// server has): the floor of the session check needs them.
func TokenSession(token string) (int64, string) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0, ""
	}
	var c struct {
		Sub string `json:"sub"`
		Sid string `json:"sid"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return 0, ""
	}
	id, _ := strconv.ParseInt(c.Sub, 10, 64)
	return id, c.Sid
}

// attackMeasured runs Attack and, when the server's process is known, adds the server's
// CPU time per request.
func attackMeasured(o ReportOptions, w Workload, clients, perSecond int) (Result, error) {
	if o.ServerPID <= 0 {
		return Attack(o.BaseURL+w.Path, o.Token, clients, perSecond, o.Duration), nil
	}
	before, err := CPUTime(o.ServerPID)
	if err != nil {
		return Result{}, err
	}
	r := Attack(o.BaseURL+w.Path, o.Token, clients, perSecond, o.Duration)
	after, err := CPUTime(o.ServerPID)
	if err != nil {
		return Result{}, err
	}
	if r.Requests > 0 {
		r.ServerCPU = (after - before) / time.Duration(r.Requests)
	}
	return r, nil
}
