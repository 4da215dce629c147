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
	"sync"
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
		PinSQLiteAllocator()
		db = bun.NewDB(sqldb, sqlitedialect.New())
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		// The statements the app prepares (the session check, the list pages) are planned
		// once: PostgreSQL otherwise planned the list page again on every execution
		// ("custom" plans, 0.5-1 ms each at 1,000,000 artisans, more than running it),
		// and the generic plan reads the (district, created_at, id) index, which serves
		// every district. Statements not prepared (all of bun's) are unaffected.
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url), pgdriver.WithTimeout(10*time.Second),
			withDefaultConnParam("plan_cache_mode", "force_generic_plan"),
			// No JIT compilation: it cost 70 ms on a report query that runs in 400 ms, and
			// the app's statements are short; a URL may still set jit=on.
			withDefaultConnParam("jit", "off")))
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

// withDefaultConnParam sets a PostgreSQL session parameter unless the URL sets it,
// keeping the URL's other parameters (pgdriver.WithConnParams would replace them all,
// search_path included).
func withDefaultConnParam(key string, value any) pgdriver.Option {
	return func(c *pgdriver.Config) {
		if c.ConnParams == nil {
			c.ConnParams = map[string]any{}
		}
		if _, set := c.ConnParams[key]; !set {
			c.ConnParams[key] = value
		}
	}
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

// Hot queries whose text varies with a few choices (which filters are set, the sort
// order) are prepared once per text and kept, like preparedQuery: on SQLite, parsing a
// page's statement and freeing it again cost more than running it, and on PostgreSQL a
// prepared statement is planned from a parse kept on the server. The cache holds compiled
// statements only, never rows, so it cannot serve stale data.
const (
	maxPreparedTexts = 64 // per database; further texts run unprepared
	// Tests open many databases: past this many, the oldest cache is forgotten, not closed,
	// since a request of a test still running may hold one of its statements.
	maxPreparedDatabases = 4
)

// statementCache is the prepared statements of one database, by their ? text.
type statementCache struct {
	db    *bun.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

var statementCaches struct {
	mu    sync.Mutex
	byAge []*statementCache
}

// statementsOf returns the statement cache of db, making it on first use.
func statementsOf(db *bun.DB) *statementCache {
	statementCaches.mu.Lock()
	defer statementCaches.mu.Unlock()
	for _, c := range statementCaches.byAge {
		if c.db == db {
			return c
		}
	}
	if len(statementCaches.byAge) == maxPreparedDatabases {
		statementCaches.byAge = statementCaches.byAge[1:]
	}
	c := &statementCache{db: db, stmts: map[string]*sql.Stmt{}}
	statementCaches.byAge = append(statementCaches.byAge, c)
	return c
}

// stmt returns the prepared statement of text, preparing it if there is room; nil when
// the cache is full.
func (c *statementCache) stmt(ctx context.Context, text string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[text]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxPreparedTexts {
		return nil, nil
	}
	st, err := c.db.DB.PrepareContext(ctx, dialectPlaceholders(c.db, text))
	if err != nil {
		return nil, fmt.Errorf("db: prepare: %w", err)
	}
	c.stmts[text] = st
	return st, nil
}

// queryCached runs text (with ? placeholders) with args as a prepared statement kept for
// the next request, or unprepared once the cache is full.
func queryCached(ctx context.Context, db *bun.DB, text string, args ...any) (*sql.Rows, error) {
	st, err := statementsOf(db).stmt(ctx, text)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return db.DB.QueryContext(ctx, dialectPlaceholders(db, text), args...)
	}
	return st.QueryContext(ctx, args...)
}

// dialectPlaceholders numbers the ? placeholders of text on PostgreSQL.
func dialectPlaceholders(db *bun.DB, text string) string {
	if IsPostgres(db) {
		return numberPlaceholders(text)
	}
	return text
}
