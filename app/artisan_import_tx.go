package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// importCacheKiB is the page cache an import's connection works with on SQLite, instead of
// the default 2 MiB. An import writes new entries all over the registry's indexes (search
// terms, mobiles, names); with the default cache SQLite wrote dirty pages out to the WAL
// in the middle of the transaction and read them back a moment later: at 1,000,000
// artisans a third of an import's CPU time went to those reads and writes. It is given
// back when the import ends.
//
// The cache takes twice what it is set to: the SQLite library's allocator
// (modernc.org/memory) rounds a block up to a power of two, and a 4 KiB page with its
// header takes 8 KiB. 128 MiB cost 256 MiB of the server's memory during an import; at
// 64 MiB an import of 100,000 rows into a registry of 1,000,000 used as much server CPU
// (CSV 39 s both runs, against 41-45 s; XLSX 48-50 s against 47-49 s) and peaked at
// 412-443 MiB instead of 534-561 MiB.
const importCacheKiB = 64 * 1024

// runImportTx runs fn in one transaction on a connection of its own: on SQLite with
// importCacheKiB of page cache for as long as the transaction lasts.
func runImportTx(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error {
	if IsPostgres(db) {
		return db.RunInTx(ctx, nil, fn)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("artisans: import: connection: %w", err)
	}
	defer conn.Close()
	var was int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&was); err != nil {
		return fmt.Errorf("artisans: import: read cache size: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
		return fmt.Errorf("artisans: import: cache size: %w", err)
	}
	// The connection goes back to the pool with the cache it came with, whatever happened.
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", was))
	return conn.RunInTx(ctx, nil, fn)
}
