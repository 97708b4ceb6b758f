package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

func TestConnectKeepsPocketBasePragmasWithASmallerCache(t *testing.T) {
	db, err := Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checks := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "cache_size": "-8000", "busy_timeout": "10000"}
	for pragma, want := range checks {
		var got string
		if err := db.NewQuery("PRAGMA " + pragma).Row(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	if db.DriverName() != "sqlite" {
		t.Errorf("driver name %q: dbx would pick another SQL builder", db.DriverName())
	}
}

var registered = 0

// open registers a fresh cached driver of size n (its own stats) and opens
// one connection to a temp database.
func open(t *testing.T, n int) (*sql.DB, *Stats) {
	t.Helper()
	registered++
	name := fmt.Sprintf("stmtcache-test-%d", registered)
	st := &Stats{}
	sql.Register(name, &cacheDriver{inner: &sqlite.Driver{}, size: n, stats: st})
	db, err := sql.Open(name, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db, st
}

func names(t *testing.T, db interface {
	Query(string, ...any) (*sql.Rows, error)
}, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRepeatedQueriesReuseTheirStatementWithFreshArguments(t *testing.T) {
	db, st := open(t, 8)
	for i := 0; i < 5; i++ {
		if _, err := db.Exec(`INSERT INTO t (name) VALUES (?)`, fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		got := names(t, db, `SELECT name FROM t WHERE id = ?`, i+1)
		if len(got) != 1 || got[0] != fmt.Sprint("n", i) {
			t.Fatalf("id %d: %v (bindings left over from the previous use?)", i+1, got)
		}
	}
	// No rows must not leave the statement unusable.
	if got := names(t, db, `SELECT name FROM t WHERE id = ?`, 99); len(got) != 0 {
		t.Fatalf("id 99: %v", got)
	}
	if h := st.Hits.Load(); h < 8 {
		t.Fatalf("hits = %d, want the insert and select reused", h)
	}
}

func TestSameQueryWhileItsRowsAreOpenIsPreparedAfresh(t *testing.T) {
	db, st := open(t, 8)
	for _, n := range []string{"a", "b", "c"} {
		if _, err := db.Exec(`INSERT INTO t (name) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT name FROM t WHERE id >= ? ORDER BY id`
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var s string
		if err := outer.Scan(&s); err != nil {
			t.Fatal(err)
		}
		// Same text, same connection, outer rows still open.
		inner := names(t, tx, q, 3)
		got = append(got, s+fmt.Sprint(inner))
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[a[c] b[c] c[c]]" {
		t.Fatalf("interleaved reads = %v", got)
	}
	if st.Bypassed.Load() != 3 {
		t.Fatalf("bypassed = %d, want 3", st.Bypassed.Load())
	}
	// Free again once the outer rows closed.
	before := st.Hits.Load()
	if n := names(t, tx, q, 2); len(n) != 2 {
		t.Fatalf("after close: %v", n)
	}
	if st.Hits.Load() != before+1 {
		t.Fatal("statement not reused after its rows closed")
	}
}

func TestSchemaChangesReachCachedStatements(t *testing.T) {
	db, _ := open(t, 8)
	if _, err := db.Exec(`INSERT INTO t (name) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	cols := func() []string {
		rows, err := db.Query(`SELECT * FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, _ := rows.Columns()
		return c
	}
	if c := cols(); len(c) != 2 {
		t.Fatalf("columns %v", c)
	}
	if _, err := db.Exec(`ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'y'`); err != nil {
		t.Fatal(err)
	}
	if c := cols(); len(c) != 3 || c[2] != "extra" {
		t.Fatalf("columns after ALTER = %v", c)
	}
	// A table rebuilt under the same name (what PocketBase does when a
	// collection changes) is read afresh too.
	for _, s := range []string{`DROP TABLE t`, `CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT)`, `INSERT INTO t (label) VALUES ('z')`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if c := cols(); len(c) != 2 || c[1] != "label" {
		t.Fatalf("columns after rebuild = %v", c)
	}
}

func TestCacheKeepsAtMostSizeStatements(t *testing.T) {
	db, st := open(t, 4)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < 20; i++ {
		var n int
		if err := conn.QueryRowContext(context.Background(), fmt.Sprintf(`SELECT %d + ?`, i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("query %d: %d %v", i, n, err)
		}
	}
	var size int
	_ = conn.Raw(func(dc any) error {
		size = dc.(*cacheConn).lru.Len()
		return nil
	})
	if size != 4 {
		t.Fatalf("cached statements = %d, want 4", size)
	}
	if st.Misses.Load() < 20 {
		t.Fatalf("misses = %d", st.Misses.Load())
	}
}

func TestErrorsStayThoseOfTheDriver(t *testing.T) {
	db, _ := open(t, 4)
	if _, err := db.Exec(`INSERT INTO t (id, name) VALUES (1, 'a')`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // once prepared fresh, once from the cache
		if _, err := db.Exec(`INSERT INTO t (id, name) VALUES (1, 'b')`); err == nil {
			t.Fatal("duplicate primary key accepted")
		}
	}
	if _, err := db.Query(`SELECT nope FROM t`); err == nil {
		t.Fatal("bad column accepted")
	}
	// The failed statement still works with good input.
	if _, err := db.Exec(`INSERT INTO t (id, name) VALUES (?, 'c')`, 2); err != nil {
		t.Fatal(err)
	}
	if got := names(t, db, `SELECT name FROM t ORDER BY id`); fmt.Sprint(got) != "[a c]" {
		t.Fatalf("rows = %v", got)
	}
}

func TestForgetValueSamplesKeepsRowCounts(t *testing.T) {
	db, err := Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := ForgetValueSamples(db); err != nil { // never analyzed: nothing to do
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE o (id INTEGER PRIMARY KEY, token TEXT)`, `CREATE INDEX o_token ON o (token)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 500) INSERT INTO o (token) SELECT 't' || i FROM n`,
		`ANALYZE`} {
		if _, err := db.NewQuery(q).Execute(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	count := func(table string) int {
		var n int
		if err := db.NewQuery("SELECT count(*) FROM " + table).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count("sqlite_stat4") == 0 {
		t.Fatal("ANALYZE wrote no samples: the driver changed, re-check whether this is still needed")
	}
	if err := ForgetValueSamples(db); err != nil {
		t.Fatal(err)
	}
	if n := count("sqlite_stat4"); n != 0 {
		t.Fatalf("samples left: %d", n)
	}
	if count("sqlite_stat1") == 0 {
		t.Fatal("row counts dropped too")
	}
}
