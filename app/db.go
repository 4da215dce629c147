package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"
)

// sqliteConns is the size of the SQLite pool: readers run side by side in WAL mode, and
// writers queue on the database's one write lock (busy_timeout) whatever the pool size.
const sqliteConns = 8

// OpenDB opens the database named by url: "sqlite:PATH" for the embedded default or
// "postgres://..." for production. Both speak the same schema and queries.
func OpenDB(ctx context.Context, url string) (*bun.DB, error) {
	var db *bun.DB
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("db: sqlite URL %q names no file", url)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("db: create folder for %s: %w", path, err)
		}
		// WAL lets readers run beside the writer; busy_timeout waits instead of failing
		// on a locked database; _txlock=immediate takes the write lock at BEGIN so two
		// transactions never deadlock upgrading from read to write.
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
		if err != nil {
			return nil, fmt.Errorf("db: open sqlite: %w", err)
		}
		// Keep every connection open: database/sql keeps only 2 idle by default, and a new
		// SQLite connection costs its pragmas and a parse of the whole schema, which under
		// 8 concurrent requests meant a new connection for most of them.
		sqldb.SetMaxOpenConns(sqliteConns)
		sqldb.SetMaxIdleConns(sqliteConns)
		sqldb.SetConnMaxIdleTime(0)
		db = bun.NewDB(sqldb, sqlitedialect.New())
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url), pgdriver.WithTimeout(10*time.Second)))
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(10)
		db = bun.NewDB(sqldb, pgdialect.New())
	default:
		return nil, fmt.Errorf("db: unsupported database URL %q (want sqlite:PATH or postgres://...)", url)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("db: connect: %w", err)
	}
	return db, nil
}

// IsPostgres reports whether db speaks PostgreSQL; used only where the two databases differ
// in a way plain SQL cannot hide (full-text search, bulk load).
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// IsUniqueViolation reports whether err is a unique-constraint failure, for the race that
// a check-then-insert leaves: two requests that both passed the check.
func IsUniqueViolation(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Now is the clock every service stamps rows with. Times are set from Go, never by
// database defaults, because SQLite and PostgreSQL store defaults in different text forms.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// preparedQuery is a statement a hot path runs on every request, prepared on first use and
// kept (database/sql prepares it once on each connection of the pool): SQLite spent more
// time parsing the per-request session check than running it. It holds no data, only
// the compiled statement. The text uses ? placeholders, numbered for PostgreSQL.
type preparedQuery struct {
	text string
	stmt atomic.Pointer[sql.Stmt]
}

// queryRow runs the statement with args on db.
func (p *preparedQuery) queryRow(ctx context.Context, db *bun.DB, args ...any) (*sql.Row, error) {
	stmt := p.stmt.Load()
	if stmt == nil {
		text := p.text
		if IsPostgres(db) {
			text = numberPlaceholders(text)
		}
		prepared, err := db.DB.PrepareContext(ctx, text)
		if err != nil {
			return nil, fmt.Errorf("db: prepare: %w", err)
		}
		if p.stmt.CompareAndSwap(nil, prepared) {
			stmt = prepared
		} else { // another request prepared it first
			prepared.Close()
			stmt = p.stmt.Load()
		}
	}
	return stmt.QueryRowContext(ctx, args...), nil
}

// numberPlaceholders turns the ? placeholders of text into PostgreSQL's $1, $2...
func numberPlaceholders(text string) string {
	var b strings.Builder
	n := 0
	for _, r := range text {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
