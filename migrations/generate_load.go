package migrations

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// genDef is a piece of schema taken away for the load: its name, the statement that
// puts it back and, for a foreign key, the table it sits on.
type genDef struct {
	Name  string `bun:"name"`
	SQL   string `bun:"def"`
	Table string `bun:"tbl"`
}

// genSchemaLoad is what the generator takes off the loaded tables for the load, to put
// back once over all the rows: one index build or one foreign-key check of a whole table
// costs far less than growing each index and checking each key row by row.
type genSchemaLoad struct {
	indexes []genDef // secondary indexes (not those of primary keys and unique constraints)
	fkeys   []genDef // PostgreSQL: foreign keys; SQLite's are off for the loading connection
}

// genTakeOffSchema drops the secondary indexes of the loaded tables and, on PostgreSQL,
// their foreign keys, keeping their definitions.
func genTakeOffSchema(ctx context.Context, db bun.IDB) (*genSchemaLoad, error) {
	l := &genSchemaLoad{}
	q := "SELECT name, sql AS def, tbl_name AS tbl FROM sqlite_master WHERE type = 'index' AND tbl_name IN (?) AND sql IS NOT NULL"
	if app.IsPostgres(db) {
		q = "SELECT indexname AS name, indexdef AS def, tablename AS tbl FROM pg_indexes i WHERE schemaname = current_schema() " +
			"AND tablename IN (?) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
	}
	if err := db.NewRaw(q, bun.In(genLoadedTables)).Scan(ctx, &l.indexes); err != nil {
		return nil, fmt.Errorf("generate: list indexes: %w", err)
	}
	if app.IsPostgres(db) {
		q := "SELECT c.conname AS name, c.conrelid::regclass::text AS tbl, " +
			"'ALTER TABLE ' || c.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) AS def " +
			"FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid " +
			"WHERE c.contype = 'f' AND r.relnamespace = current_schema()::regnamespace AND r.relname IN (?) ORDER BY c.conname"
		if err := db.NewRaw(q, bun.In(genLoadedTables)).Scan(ctx, &l.fkeys); err != nil {
			return nil, fmt.Errorf("generate: list foreign keys: %w", err)
		}
	}
	for _, k := range l.fkeys {
		if _, err := db.ExecContext(ctx, "ALTER TABLE "+k.Table+" DROP CONSTRAINT "+k.Name); err != nil {
			return nil, fmt.Errorf("generate: drop foreign key %s: %w", k.Name, err)
		}
	}
	for _, d := range l.indexes {
		if _, err := db.ExecContext(ctx, "DROP INDEX "+d.Name); err != nil {
			return nil, fmt.Errorf("generate: drop index %s: %w", d.Name, err)
		}
	}
	return l, nil
}

// putBack builds the indexes and adds the foreign keys again, on the connections given
// side by side (PostgreSQL builds one index per connection; SQLite has one writer).
// It runs after a failed load too, so that a half-loaded database is partial but keeps
// every rule; a foreign key the partial rows break is added unchecked (NOT VALID) then.
func (l *genSchemaLoad) putBack(ctx context.Context, conns []bun.Conn, pg bool, rows map[string]int64,
	logf func(string, ...any)) error {
	// The biggest tables first, so that the last builds to finish are short ones.
	bigFirst := func(a, b genDef) int { return cmp.Compare(rows[b.Table], rows[a.Table]) }
	slices.SortStableFunc(l.indexes, bigFirst)
	slices.SortStableFunc(l.fkeys, bigFirst)
	if pg {
		for _, c := range conns {
			if _, err := c.ExecContext(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
				return err
			}
		}
	}
	if err := genRunEach(ctx, conns, l.indexes, func(ctx context.Context, c bun.Conn, d genDef) error {
		if _, err := c.ExecContext(ctx, d.SQL); err != nil {
			return fmt.Errorf("generate: build index %s: %w", d.Name, err)
		}
		return nil
	}); err != nil {
		return err
	}
	logf("%d indexes built", len(l.indexes))
	if len(l.fkeys) == 0 {
		return nil
	}
	defer logf("%d foreign keys checked", len(l.fkeys))
	return genRunEach(ctx, conns, l.fkeys, func(ctx context.Context, c bun.Conn, d genDef) error {
		if _, err := c.ExecContext(ctx, d.SQL); err != nil {
			if _, err2 := c.ExecContext(ctx, d.SQL+" NOT VALID"); err2 != nil {
				return fmt.Errorf("generate: add foreign key %s: %w", d.Name, err2)
			}
			return fmt.Errorf("generate: foreign key %s added unchecked: %w", d.Name, err)
		}
		return nil
	})
}

// genRunEach runs do for every item, each connection taking the next one as it is
// free, and reports the first error after all have run (every item is tried, so a
// failure leaves no other index unbuilt).
func genRunEach(ctx context.Context, conns []bun.Conn, items []genDef, do func(context.Context, bun.Conn, genDef) error) error {
	next := make(chan genDef)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range next {
				if err := do(ctx, c, d); err != nil {
					mu.Lock()
					first = cmp0(first, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, d := range items {
		next <- d
	}
	close(next)
	wg.Wait()
	return first
}

func cmp0(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// genSetUpSessions sets the loading connections up for speed; nothing here changes what
// is stored. SQLite: a big page cache (the index builds sort in it), no per-row key
// checks (the rows are made consistent, and TestGenerate checks every key afterwards),
// no syncs (a crash mid-load leaves an unusable half-load either way), sorting on two
// threads, and no CHECK constraints: each `CHECK (x IN (...))` made every INSERT build
// its list as a temporary B-tree and free it again, and once the page cache was full
// every such allocation mapped and unmapped memory, most of the load's system time
// (the same rows pass the same checks in PostgreSQL's COPY, and TestGenerate runs
// SQLite's integrity_check, which checks them, afterwards). PostgreSQL: commits that do
// not wait for the WAL to reach the disk.
func genSetUpSessions(ctx context.Context, w *bulkWriter) error {
	set := []string{"SET synchronous_commit = off"}
	if !w.pg {
		set = []string{"PRAGMA cache_size = -262144", "PRAGMA foreign_keys = OFF", "PRAGMA synchronous = OFF",
			"PRAGMA threads = 2", "PRAGMA ignore_check_constraints = ON"}
	}
	for _, c := range w.conns {
		for _, q := range set {
			if _, err := c.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("generate: %s: %w", q, err)
			}
		}
	}
	return nil
}

// genResetSessions gives the connections back to the pool as the app sets them up, but
// for SQLite's cache size: shrinking it frees the cached pages one by one (3.6 s at
// 100,000 artisans), and a bigger cache changes no result.
func genResetSessions(w *bulkWriter) {
	reset := []string{"RESET synchronous_commit", "RESET maintenance_work_mem"}
	if !w.pg {
		reset = []string{"PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA threads = 0",
			"PRAGMA ignore_check_constraints = OFF"}
	}
	for _, c := range w.conns {
		for _, q := range reset {
			c.ExecContext(context.Background(), q) //nolint:errcheck // best effort; a failing connection is dropped
		}
	}
}
