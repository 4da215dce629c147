package migrations

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/schema"

	"shilpkosh/app"
)

// genBatchRows is how many rows of one table go in one transaction (one COPY on
// PostgreSQL) unless GenerateOptions.BatchRows says otherwise: large enough that commits
// cost little, small enough to hold in memory.
const genBatchRows = 20000

// genRowsPerInsert is how many rows one SQLite INSERT statement carries.
const genRowsPerInsert = 500

// genTable names a table and the columns the generator writes into it, in row order.
type genTable struct {
	name   string
	cols   []string
	parent *genTable // whose rows this table's rows refer to, written first
}

// genBatch is rows of one table on their way to the database.
type genBatch struct {
	table *genTable
	rows  [][]any
}

// bulkWriter writes batches on one dedicated connection, in a goroutine of its own, so
// making the next rows overlaps with writing the last ones (the machine has two cores).
type bulkWriter struct {
	conn    bun.Conn
	dialect schema.Dialect
	pg      bool
	queue   chan genBatch
	done    chan error
	open    map[string]*genBatch
	counts  map[string]int64
	batch   int // rows a batch
}

func newBulkWriter(ctx context.Context, db *bun.DB, batch int) (*bulkWriter, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("generate: connection: %w", err)
	}
	w := &bulkWriter{conn: conn, dialect: db.Dialect(), pg: app.IsPostgres(db), queue: make(chan genBatch, 4), done: make(chan error, 1),
		open: map[string]*genBatch{}, counts: map[string]int64{}, batch: cmp.Or(batch, genBatchRows)}
	go w.run(ctx)
	return w, nil
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

// send queues the open batch of t, after that of its parent so that every row a batch
// refers to is written before it (PostgreSQL checks foreign keys row by row).
func (w *bulkWriter) send(t *genTable) {
	if t.parent != nil {
		w.send(t.parent)
	}
	if b := w.open[t.name]; b != nil {
		w.queue <- *b
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
	return <-w.done
}

func (w *bulkWriter) run(ctx context.Context) {
	var first error
	for b := range w.queue {
		if first != nil {
			continue // drain, so the producer never blocks
		}
		if w.pg {
			first = w.copyBatch(ctx, b)
		} else {
			first = w.insertBatch(ctx, b)
		}
	}
	w.done <- first
}

// insertBatch writes a batch in one SQLite transaction of multi-row INSERTs whose values
// are SQL literals written by the dialect's own quoting, as bun writes every query:
// modernc's SQLite binds each parameter with a scan over all of them, so bound
// parameters cost far more than parsing literals.
func (w *bulkWriter) insertBatch(ctx context.Context, b genBatch) error {
	tx, err := w.conn.Conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("generate: %s: begin: %w", b.table.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	head := "INSERT INTO " + b.table.name + " (" + strings.Join(b.table.cols, ", ") + ") VALUES "
	q := make([]byte, 0, 1<<20)
	for start := 0; start < len(b.rows); start += genRowsPerInsert {
		q = append(q[:0], head...)
		for i, r := range b.rows[start:min(start+genRowsPerInsert, len(b.rows))] {
			if i > 0 {
				q = append(q, ", "...)
			}
			q = append(q, '(')
			for j, v := range r {
				if j > 0 {
					q = append(q, ", "...)
				}
				q = w.appendLiteral(q, v)
			}
			q = append(q, ')')
		}
		if _, err := tx.ExecContext(ctx, string(q)); err != nil {
			return fmt.Errorf("generate: %s: insert: %w", b.table.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("generate: %s: commit: %w", b.table.name, err)
	}
	return nil
}

// appendLiteral writes v as an SQLite literal, strings quoted by the dialect.
func (w *bulkWriter) appendLiteral(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case string:
		return w.dialect.AppendString(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case bool:
		if x {
			return append(b, '1')
		}
		return append(b, '0')
	default:
		panic(fmt.Sprintf("generate: no SQL literal for %T", v))
	}
}

// copyBatch writes a batch with one COPY, which PostgreSQL runs as one transaction.
func (w *bulkWriter) copyBatch(ctx context.Context, b genBatch) error {
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
	if _, err := pgdriver.CopyFrom(ctx, w.conn, &buf, q); err != nil {
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
