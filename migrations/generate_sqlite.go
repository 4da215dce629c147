package migrations

import (
	"sync"

	"modernc.org/libc"
)

// genPinAllocator keeps one block of each small size class of the SQLite library's
// allocator (modernc.org/memory) for the life of the process. That allocator maps a
// 64 KiB page per size class and unmaps it as soon as its last block is freed, so a
// block that SQLite takes and frees again on every page split cost an mmap and a
// munmap: 14 % of the CPU time of a 100,000-artisan load, in system calls. With one
// block of each class held, the class's page stays mapped and the freed blocks are
// reused. What is held is at most a page (64 KiB) per class.
var genPinAllocator = sync.OnceFunc(func() {
	tls := libc.NewTLS()
	defer tls.Close()
	for log := 4; log <= 14; log++ { // 16 B to 16 KiB; bigger blocks get pages of their own
		libc.Xmalloc(tls, libc.Tsize_t(1)<<log)
	}
})
