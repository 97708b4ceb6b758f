// Package memo keeps values read from a few collections in memory until a
// record of those collections changes: what every tracking event, message
// or page view reads but a merchant edits rarely (the brand, the flows).
package memo

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Memo maps keys to values loaded from the database. gen counts changes of
// the watched collections, so a load that raced with a change never stores
// what it read.
type Memo[K comparable, V any] struct {
	mu   sync.Mutex
	root core.App
	gen  int
	vals map[K]V
}

// New returns a memo emptied whenever a record of collections is created,
// updated or deleted (after the commit).
func New[K comparable, V any](app core.App, collections ...string) *Memo[K, V] {
	m := &Memo[K, V]{root: app, vals: map[K]V{}}
	forget := func(e *core.RecordEvent) error {
		m.Forget()
		return e.Next()
	}
	for _, c := range collections {
		app.OnRecordAfterCreateSuccess(c).BindFunc(forget)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(forget)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(forget)
	}
	return m
}

// Forget empties the memo.
func (m *Memo[K, V]) Forget() {
	m.mu.Lock()
	m.gen++
	m.vals = map[K]V{}
	m.mu.Unlock()
}

// Get returns the value of key, loading it on a miss. Asked inside a
// transaction, it loads the committed state outside it: what the
// transaction may change (and roll back) is never kept.
func (m *Memo[K, V]) Get(app core.App, key K, load func(core.App) (V, error)) (V, error) {
	m.mu.Lock()
	v, ok := m.vals[key]
	gen := m.gen
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	from := app
	if app.IsTransactional() {
		from = m.root
	}
	v, err := load(from)
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if m.gen == gen {
		m.vals[key] = v
	}
	m.mu.Unlock()
	return v, nil
}
