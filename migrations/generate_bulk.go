package migrations

import (
	"bytes"
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"shilpkosh/app"
)

// genBatchRows is how many rows of one table go in one transaction (one COPY on
// PostgreSQL) unless GenerateOptions.BatchRows says otherwise: large enough that commits
// cost little, small enough to hold in memory.
const genBatchRows = 20000

// genTable names a table and the columns the generator writes into it, in row order.
type genTable struct {
	name   string
	cols   []string
	parent *genTable // whose rows this table's rows refer to, queued first
}

// genBatch is rows of one table on their way to the database.
type genBatch struct {
	table *genTable
	rows  [][]any
}

// bulkWriter writes batches in goroutines of their own, so making the next rows
// overlaps with writing the last ones (the machine has two cores): on SQLite one
// connection, on PostgreSQL genCopyConns connections side by side, since the server
// parses and stores the rows of each COPY in its own process.
type bulkWriter struct {
	conns  []bun.Conn
	pg     bool
	queue  chan genBatch
	done   chan error
	open   map[string]*genBatch
	counts map[string]int64
	batch  int // rows a batch

	failed atomic.Bool // a batch failed: the rest are dropped, so a failed load ends soon

	stmts   map[string]driver.StmtExecContext // SQLite: the prepared INSERT of each table
	closers []driver.Stmt
}

// genCopyConns is how many COPYs run at once on PostgreSQL.
const genCopyConns = 2

func newBulkWriter(ctx context.Context, db *bun.DB, batch int) (*bulkWriter, error) {
	w := &bulkWriter{pg: app.IsPostgres(db), open: map[string]*genBatch{}, counts: map[string]int64{},
		stmts: map[string]driver.StmtExecContext{}, batch: cmp.Or(batch, genBatchRows)}
	n := 1
	if w.pg {
		n = genCopyConns
	}
	for range n {
		conn, err := db.Conn(ctx)
		if err != nil {
			w.closeConns()
			return nil, fmt.Errorf("generate: connection: %w", err)
		}
		w.conns = append(w.conns, conn)
	}
	return w, nil
}

// start sets the writers going once the connections are set up for the load.
func (w *bulkWriter) start(ctx context.Context) {
	w.queue, w.done = make(chan genBatch, 2*len(w.conns)), make(chan error, len(w.conns))
	for _, c := range w.conns {
		go w.run(ctx, c)
	}
}

func (w *bulkWriter) closeConns() {
	for _, c := range w.conns {
		c.Close()
	}
}

// add queues one row; full batches go to the writer goroutine.
func (w *bulkWriter) add(t *genTable, row ...any) {
	b := w.open[t.name]
	if b == nil {
		b = &genBatch{table: t, rows: make([][]any, 0, w.batch)}
		w.open[t.name] = b
	}
	b.rows = append(b.rows, row)
	w.counts[t.name]++
	if len(b.rows) == w.batch {
		w.send(t)
	}
}

// send queues the open batch of t after that of its parent, so that the rows a batch
// refers to are queued before it. Keys are checked once at the end of the load (SQLite's
// checks are off for the loading connection, PostgreSQL's foreign keys are added back
// then), so this is not needed for the load to succeed; it keeps a failed load's
// dangling references few.
func (w *bulkWriter) send(t *genTable) {
	if t.parent != nil {
		w.send(t.parent)
	}
	if b := w.open[t.name]; b != nil {
		if !w.failed.Load() {
			w.queue <- *b
		}
		delete(w.open, t.name)
	}
}

// flush queues the partial batch of each table given.
func (w *bulkWriter) flush(tables ...*genTable) {
	for _, t := range tables {
		w.send(t)
	}
}

// close writes what is left and reports the first error of any batch.
func (w *bulkWriter) close() error {
	for _, b := range w.open {
		w.send(b.table)
	}
	close(w.queue)
	var err error
	for range w.conns {
		if e := <-w.done; err == nil {
			err = e
		}
	}
	if e := w.closeStatements(); err == nil {
		err = e
	}
	return err
}

func (w *bulkWriter) run(ctx context.Context, conn bun.Conn) {
	var first error
	for b := range w.queue {
		if first != nil {
			continue // drain, so the producer never blocks
		}
		if w.pg {
			first = w.copyBatch(ctx, conn, b)
		} else {
			first = w.insertBatch(ctx, conn, b)
		}
		if first != nil {
			w.failed.Store(true)
		}
	}
	w.done <- first
}

// insertBatch writes a batch in one SQLite transaction through one prepared single-row
// INSERT per table, bound row by row on the driver's own connection. Parsing SQL text
// cost more than the rows: a 500-row INSERT compiles to a program of thousands of
// instructions whose growing arrays modernc's allocator maps and unmaps, 30 % of the
// load's CPU time. database/sql's per-call conversions are skipped too, and rows are
// run without a context so that the driver starts no watcher goroutine per row.
func (w *bulkWriter) insertBatch(ctx context.Context, conn bun.Conn, b genBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		conn := dc.(interface {
			driver.ExecerContext
			driver.ConnPrepareContext
		})
		bg := context.Background()
		if _, err := conn.ExecContext(bg, "BEGIN IMMEDIATE", nil); err != nil {
			return fmt.Errorf("generate: %s: begin: %w", b.table.name, err)
		}
		err := w.insertRows(conn, b)
		if err == nil {
			_, err = conn.ExecContext(bg, "COMMIT", nil)
		}
		if err != nil {
			conn.ExecContext(bg, "ROLLBACK", nil) //nolint:errcheck // the first error is the one to report
			return fmt.Errorf("generate: %s: insert: %w", b.table.name, err)
		}
		return nil
	})
}

// genParamsPerInsert is about how many parameters one SQLite INSERT binds: several rows
// a statement share its start and end (cursors opened, the statement journal, the
// halt), while modernc's driver matches each parameter to its argument by a scan over
// them all, which grows as the square of their number.
const genParamsPerInsert = 64

func (w *bulkWriter) insertRows(conn driver.ConnPrepareContext, b genBatch) error {
	bg := context.Background()
	cols := len(b.table.cols)
	perStmt := max(1, genParamsPerInsert/cols)
	args := make([]driver.NamedValue, perStmt*cols)
	for i := range args {
		args[i].Ordinal = i + 1
	}
	for start := 0; start < len(b.rows); {
		n := perStmt
		if len(b.rows)-start < n {
			n = 1 // the rest one by one, with no statement per batch size
		}
		st, err := w.insertStmt(conn, b.table, n)
		if err != nil {
			return err
		}
		for j, r := range b.rows[start : start+n] {
			for i, v := range r {
				if x, ok := v.(int); ok {
					v = int64(x)
				}
				args[j*cols+i].Value = v
			}
		}
		if _, err := st.ExecContext(bg, args[:n*cols]); err != nil {
			return err
		}
		start += n
	}
	return nil
}

// insertStmt returns the prepared INSERT of n rows into t, preparing it on first use.
func (w *bulkWriter) insertStmt(conn driver.ConnPrepareContext, t *genTable, n int) (driver.StmtExecContext, error) {
	key := t.name + "/" + strconv.Itoa(n)
	if st := w.stmts[key]; st != nil {
		return st, nil
	}
	row := "(?" + strings.Repeat(", ?", len(t.cols)-1) + ")"
	// OR FAIL: a failing row ends the statement without undoing its earlier rows, so SQLite
	// keeps no statement journal (which cost more than the rows); the whole batch's
	// transaction is rolled back on any error anyway.
	q := "INSERT OR FAIL INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES " + row + strings.Repeat(", "+row, n-1)
	ps, err := conn.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	st := ps.(driver.StmtExecContext)
	w.stmts[key] = st
	w.closers = append(w.closers, ps)
	return st, nil
}

// closeStatements finalises the prepared INSERTs on the driver's connection.
func (w *bulkWriter) closeStatements() error {
	if len(w.closers) == 0 {
		return nil
	}
	return w.conns[0].Raw(func(any) error {
		for _, c := range w.closers {
			c.Close()
		}
		return nil
	})
}

// copyBatch writes a batch with one COPY, which PostgreSQL runs as one transaction.
func (w *bulkWriter) copyBatch(ctx context.Context, conn bun.Conn, b genBatch) error {
	var buf bytes.Buffer
	for _, r := range b.rows {
		for i, v := range r {
			if i > 0 {
				buf.WriteByte('\t')
			}
			appendCopyValue(&buf, v)
		}
		buf.WriteByte('\n')
	}
	q := "COPY " + b.table.name + " (" + strings.Join(b.table.cols, ", ") + ") FROM STDIN"
	if _, err := pgdriver.CopyFrom(ctx, conn, &buf, q); err != nil {
		return fmt.Errorf("generate: %s: copy: %w", b.table.name, err)
	}
	return nil
}

// appendCopyValue writes v in COPY's text format: \N for NULL, backslash escapes.
func appendCopyValue(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString(`\N`)
	case string:
		for i := 0; i < len(x); i++ {
			switch c := x[i]; c {
			case '\\':
				buf.WriteString(`\\`)
			case '\t':
				buf.WriteString(`\t`)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			default:
				buf.WriteByte(c)
			}
		}
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case bool:
		if x {
			buf.WriteByte('t')
		} else {
			buf.WriteByte('f')
		}
	default:
		panic(fmt.Sprintf("generate: no COPY form for %T", v))
	}
}

// genTime formats an instant as bun writes time.Time on both databases, so generated
// rows compare and sort exactly like rows the app wrote.
func genTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
}
