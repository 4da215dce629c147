package migrations

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// genJournal takes a SQLite database out of WAL mode for the load and puts it back. In
// WAL mode every page the load writes goes to the log first and is copied into the file
// by a checkpoint that reads it back; a load into an empty database needs neither: the
// rows land on pages past the file's end at the start of each batch, which a rollback
// journal does not copy, so an in-memory journal (still able to roll a failed batch back)
// costs almost nothing.
//
// Leaving WAL needs the loading connection to be the only one open on the file (in WAL
// mode an idle connection keeps its shared lock), so the pool's idle connections are
// closed for the load and the pool keeps none until the database is back in WAL mode.
type genJournal struct {
	db   *bun.DB
	conn bun.Conn
	idle int  // idle connections the pool keeps again afterwards
	left bool // the database is out of WAL mode
}

// genLeaveWAL switches the database of conn, one of db's connections, to an in-memory
// rollback journal. When it cannot (another process holds the database open), the load
// runs in WAL mode as before, which changes its speed only.
func genLeaveWAL(ctx context.Context, db *bun.DB, conn bun.Conn, logf func(string, ...any)) *genJournal {
	j := &genJournal{db: db, conn: conn}
	// app.OpenDB keeps as many idle connections as it may open; database/sql's default
	// is 2.
	j.idle = cmp.Or(db.Stats().MaxOpenConnections, 2)
	db.SetMaxIdleConns(0) // closes the idle ones; conn is in use and stays open
	var got string
	err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = MEMORY").Scan(&got)
	if err == nil && strings.EqualFold(got, "memory") {
		j.left = true
		return j
	}
	db.SetMaxIdleConns(j.idle)
	if err != nil {
		logf("loading in WAL mode: %v", err)
	} else {
		logf("loading in WAL mode: another connection holds the database open")
	}
	return j
}

// backToWAL puts the database back in WAL mode, where the app's connections expect it,
// and lets the pool keep its idle connections again. It runs after a failed load too,
// and once only.
func (j *genJournal) backToWAL() error {
	if j == nil || !j.left {
		return nil
	}
	var got string
	if err := j.conn.QueryRowContext(context.Background(), "PRAGMA journal_mode = WAL").Scan(&got); err != nil {
		return fmt.Errorf("generate: back to WAL mode: %w", err)
	}
	if !strings.EqualFold(got, "wal") {
		return fmt.Errorf("generate: back to WAL mode: journal mode is %s", got)
	}
	j.left = false
	j.db.SetMaxIdleConns(j.idle)
	return nil
}
