// Package sqlitedb opens Porchlight's SQLite databases for PocketBase:
// PocketBase's pragmas, a bounded pool and page cache, and prepared
// statements kept per connection (see stmtcache.go).
package sqlitedb

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"modernc.org/sqlite" // the driver PocketBase uses
)

// Connection limits for the main database. PocketBase's defaults (120 open,
// 15 idle, 32 MB page cache each) let a webhook burst grow the server to
// 1.5 GB (measured by the benchmark at 100k orders). Writes go through one
// connection anyway; on a small store's 1–2 cores, 16 readers are plenty.
// Eight may stay idle: with four, 16 concurrent page views closed and
// reopened connections all the time, each reopen paying for the schema
// parse and its prepared statements (~3% of the page's CPU); with all 16
// idle the server held ~80 MB more after load for no further gain (bench,
// 20k orders). Idle ones close after MaxIdleTime, so a quiet server gives
// the memory back.
const (
	MaxOpenConns = 16
	MaxIdleConns = 8
	MaxIdleTime  = time.Minute
)

// StatementsPerConn is how many prepared statements each connection keeps.
// The tracking page and the webhook path use a few dozen distinct queries;
// the admin UI many more, rarely.
const StatementsPerConn = 128

// driverName is the cached driver's database/sql name.
const driverName = "porchlight-sqlite"

// CacheStats counts statement-cache hits and misses of every connection.
var CacheStats Stats

func init() {
	sql.Register(driverName, &cacheDriver{inner: &sqlite.Driver{}, size: StatementsPerConn, stats: &CacheStats})
}

// Connect opens a PocketBase database with the same pragmas as
// PocketBase's default except a smaller page cache (8 MB per connection),
// so the worst case stays near 16 × 8 MB instead of 120 × 32 MB. The
// builder is dbx's SQLite one, as with PocketBase's own connect.
func Connect(dbPath string) (*dbx.DB, error) {
	// busy_timeout must come first (see core.DefaultDBConnect).
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-8000)"
	db, err := sql.Open(driverName, dbPath+pragmas)
	if err != nil {
		return nil, err
	}
	db.SetConnMaxIdleTime(MaxIdleTime)
	return dbx.NewFromDB(db, "sqlite"), nil
}

// ForgetValueSamples deletes the per-value samples ANALYZE and PRAGMA
// optimize collect (sqlite_stat4; the row counts in sqlite_stat1 stay).
// SQLite as PocketBase ships it is built with STAT4, and a statement whose
// parameter is compared with a sampled index column is compiled again
// whenever the parameter changes — every query of every page view and
// webhook, measured at a third of the page's CPU. Porchlight's lookups are
// equalities on near-unique columns, where samples change no plan.
// Dropping and creating nothing but a scratch table makes every open
// connection reload its statistics (the schema version changes).
func ForgetValueSamples(db dbx.Builder) error {
	var n int
	if err := db.NewQuery(`SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Row(&n); err != nil {
		return fmt.Errorf("forget value samples: %w", err)
	}
	if n == 0 {
		return nil
	}
	if err := db.NewQuery(`SELECT count(*) FROM sqlite_stat4`).Row(&n); err != nil || n == 0 {
		return err
	}
	for _, q := range []string{`DELETE FROM sqlite_stat4`, `CREATE TABLE IF NOT EXISTS _porchlight_reload (x)`, `DROP TABLE _porchlight_reload`} {
		if _, err := db.NewQuery(q).Execute(); err != nil {
			return fmt.Errorf("forget value samples: %s: %w", q, err)
		}
	}
	return nil
}
