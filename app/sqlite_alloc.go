package app

import (
	"sync"

	"modernc.org/libc"
)

// PinSQLiteAllocator keeps one block of each small size class of the SQLite library's
// allocator (modernc.org/memory) for the life of the process. That allocator maps a
// 64 KiB page per size class and unmaps it as soon as its last block is freed, so a
// buffer SQLite takes and frees again on every B-tree page split, or every statement it
// prepares and finalises, cost an mmap and a munmap: a third of an import's CPU time went
// to munmap. With one block of each class held, the page stays mapped and freed blocks
// are reused; importing 5,000 artisans took 3.6-3.8 s instead of 6.6-7.6 s (back to back,
// `SHILPKOSH_BENCH_IMPORT_ROWS=5000 go test ./app -run '^$' -bench Import100k/csv
// -benchtime 1x`). What is held is at most a page (64 KiB) per class.
var PinSQLiteAllocator = sync.OnceFunc(func() {
	tls := libc.NewTLS()
	defer tls.Close()
	for log := 4; log <= 14; log++ { // 16 B to 16 KiB; bigger blocks get pages of their own
		libc.Xmalloc(tls, libc.Tsize_t(1)<<log)
	}
})
