package pages

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
)

// pageView is one shopper page view to store in page_events.
type pageView struct {
	page, order, kind string
	at                time.Time
}

// viewRecorder stores page views off the request path. Views are analytics,
// not anything a customer waits for, so they queue in memory and a view that
// finds the queue full is dropped rather than the page delayed. One writer
// stores them in batches, one transaction per batch: a transaction per view
// made the views queue for SQLite's single writer behind each other's
// commits. On terminate the recorder stops taking views and writes what is
// queued, before the database closes.
type viewRecorder struct {
	app   core.App
	every time.Duration // longest a queued view waits for its batch
	max   int           // views per transaction

	mu      sync.RWMutex // record holds it to send, stop to refuse further sends
	stopped bool
	queue   chan pageView
	quit    chan struct{}
	done    chan struct{}
	once    sync.Once
}

const (
	viewQueueSize = 1024
	viewBatchMax  = 200
	viewBatchWait = 250 * time.Millisecond
)

func newViewRecorder(app core.App) *viewRecorder {
	r := startViewRecorder(app, viewBatchWait, viewBatchMax)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		r.stop()
		return e.Next()
	})
	return r
}

func startViewRecorder(app core.App, every time.Duration, max int) *viewRecorder {
	r := &viewRecorder{app: app, every: every, max: max,
		queue: make(chan pageView, viewQueueSize), quit: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

func (r *viewRecorder) record(v pageView) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.stopped {
		return
	}
	select {
	case r.queue <- v:
	default:
	}
}

// stop refuses new views, writes the queued ones and returns when they are
// stored (or failed).
func (r *viewRecorder) stop() {
	r.once.Do(func() {
		r.mu.Lock()
		r.stopped = true
		r.mu.Unlock()
		close(r.quit)
	})
	<-r.done
}

func (r *viewRecorder) run() {
	defer close(r.done)
	batch := make([]pageView, 0, r.max)
	flush := func() {
		if len(batch) > 0 {
			r.write(batch)
			clear(batch)
			batch = batch[:0]
		}
	}
	// The timer runs only while a batch waits, so an idle site never wakes.
	timer := time.NewTimer(r.every)
	timer.Stop()
	for {
		select {
		case v := <-r.queue:
			batch = append(batch, v)
			if len(batch) == 1 {
				timer.Reset(r.every)
			}
			if len(batch) >= r.max {
				timer.Stop()
				flush()
			}
		case <-timer.C:
			flush()
		case <-r.quit:
			timer.Stop()
			// No send can start after stopped is set, so the queue only shrinks.
		drain:
			for {
				select {
				case v := <-r.queue:
					if batch = append(batch, v); len(batch) >= r.max {
						flush()
					}
				default:
					break drain
				}
			}
			flush()
			return
		}
	}
}

// write stores a batch in one transaction. A view that fails validation
// (its order deleted meanwhile) is skipped, not allowed to lose the others.
func (r *viewRecorder) write(batch []pageView) {
	err := r.app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(schema.CPageEvents)
		if err != nil {
			return err
		}
		for _, v := range batch {
			if err := saveView(tx, col, v); err != nil {
				tx.Logger().Debug("page view not recorded", "page", v.page, "err", err)
			}
		}
		return nil
	})
	if err != nil {
		r.app.Logger().Debug("page views not recorded", "views", len(batch), "err", err)
	}
}

func saveView(app core.App, col *core.Collection, v pageView) error {
	pe := schema.PageEvents
	rec := core.NewRecord(col)
	rec.Set(pe.Page, v.page)
	rec.Set(pe.Order, v.order)
	rec.Set(pe.Kind, v.kind)
	rec.Set(pe.At, v.at)
	return app.Save(rec)
}
