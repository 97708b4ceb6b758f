package startup

import (
	"github.com/pocketbase/dbx"
	_ "modernc.org/sqlite" // the driver PocketBase uses
)

// Connection limits for the main database. PocketBase's defaults (120 open,
// 15 idle, 32 MB page cache each) let a webhook burst grow the server to
// 1.5 GB (measured by the benchmark at 100k orders). Writes go through one
// connection anyway; on a small store's 1–2 cores, 16 readers are plenty.
const (
	MaxOpenConns = 16
	MaxIdleConns = 4
)

// DBConnect opens a PocketBase database with the same pragmas as
// PocketBase's default except a smaller page cache (8 MB per connection),
// so the worst case stays near 16 × 8 MB instead of 120 × 32 MB.
func DBConnect(dbPath string) (*dbx.DB, error) {
	// busy_timeout must come first (see core.DefaultDBConnect).
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-8000)"
	return dbx.Open("sqlite", dbPath+pragmas)
}
