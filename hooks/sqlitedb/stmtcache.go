package sqlitedb

import (
	"container/list"
	"context"
	"database/sql/driver"
	"sync/atomic"
)

// The benchmark's profiles (tracking page and webhook processing) spent a
// quarter of their CPU in SQLite's SQL parser: database/sql and dbx send
// every query as text, and the driver prepares, runs and finalizes it each
// time. PocketBase builds the same few hundred query strings over and over
// (values are bound as parameters), so each connection keeps its most
// recently used statements prepared and reuses them.
//
// A cached statement serves one caller at a time: while its rows are open
// (a second query with the same text on the same connection, inside a
// transaction) the query is prepared afresh, as without the cache. SQLite
// re-prepares a statement by itself when the schema changes.

// Stats counts cache use across every connection of a driver.
type Stats struct {
	Hits, Misses, Bypassed atomic.Int64
}

// cacheDriver wraps a database/sql driver whose connections support
// PrepareContext, ExecContext and QueryContext (modernc.org/sqlite does).
type cacheDriver struct {
	inner driver.Driver
	size  int
	stats *Stats
}

func (d *cacheDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	ic, ok := c.(innerConn)
	if !ok || d.size <= 0 {
		return c, nil
	}
	return &cacheConn{innerConn: ic, size: d.size, stats: d.stats, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

// innerConn is what the wrapped driver's connection must offer; everything
// not overridden below passes straight through.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.SessionResetter
	driver.Validator
	driver.Pinger
}

// statement is a cached prepared statement; busy while its rows are open.
type statement struct {
	query string
	stmt  preparedStmt
	busy  bool
}

type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cacheConn is used by one goroutine at a time (database/sql guarantees
// that for a driver connection), so it needs no lock.
type cacheConn struct {
	innerConn
	size    int
	stats   *Stats
	byQuery map[string]*list.Element
	lru     *list.List // front = most recently used *statement
}

// get returns the cached statement for query, preparing it on a miss; nil
// when it cannot be used now (busy, or the driver's statement lacks the
// context methods).
func (c *cacheConn) get(ctx context.Context, query string) *statement {
	if el, ok := c.byQuery[query]; ok {
		s := el.Value.(*statement)
		if s.busy {
			c.stats.Bypassed.Add(1)
			return nil
		}
		c.lru.MoveToFront(el)
		c.stats.Hits.Add(1)
		return s
	}
	ds, err := c.innerConn.PrepareContext(ctx, query)
	if err != nil {
		// Let the uncached path report the error the usual way.
		return nil
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		_ = ds.Close()
		return nil
	}
	c.stats.Misses.Add(1)
	s := &statement{query: query, stmt: ps}
	c.byQuery[query] = c.lru.PushFront(s)
	c.evict()
	return s
}

// evict closes the least recently used idle statements beyond size.
func (c *cacheConn) evict() {
	for el := c.lru.Back(); el != nil && c.lru.Len() > c.size; {
		prev := el.Prev()
		if s := el.Value.(*statement); !s.busy {
			c.lru.Remove(el)
			delete(c.byQuery, s.query)
			_ = s.stmt.Close()
		}
		el = prev
	}
}

func (c *cacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s := c.get(ctx, query)
	if s == nil {
		return c.innerConn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (c *cacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.get(ctx, query)
	if s == nil {
		return c.innerConn.QueryContext(ctx, query, args)
	}
	r, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	// The statement must not be reused before these rows close; the
	// wrapper says when.
	s.busy = true
	if cr, ok := r.(columnRows); ok {
		return &cachedRows{columnRows: cr, s: s}, nil
	}
	return &plainRows{Rows: r, s: s}, nil
}

// Close finalizes every cached statement, then the connection.
func (c *cacheConn) Close() error {
	for el := c.lru.Front(); el != nil; el = el.Next() {
		_ = el.Value.(*statement).stmt.Close()
	}
	c.lru.Init()
	c.byQuery = map[string]*list.Element{}
	return c.innerConn.Close()
}

// columnRows is the modernc driver's rows: plain rows plus column types,
// which database/sql's ColumnTypes reads.
type columnRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

type cachedRows struct {
	columnRows
	s *statement
}

func (r *cachedRows) Close() error {
	err := r.columnRows.Close() // resets the statement for the next use
	r.s.busy = false
	return err
}

type plainRows struct {
	driver.Rows
	s *statement
}

func (r *plainRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	return err
}
