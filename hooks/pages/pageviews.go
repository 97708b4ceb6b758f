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

// viewRecorder stores page views off the request path: each view is written
// by its own goroutine, at most maxInFlight at a time; beyond that a view is
// dropped rather than the page delayed. Page views are analytics, not
// anything a customer waits for. On terminate the recorder stops taking
// views and waits for the writes in flight, before the database closes.
type viewRecorder struct {
	app     core.App
	mu      sync.Mutex
	stopped bool
	wg      sync.WaitGroup
	slots   chan struct{}
}

const maxInFlight = 32

func newViewRecorder(app core.App) *viewRecorder {
	r := &viewRecorder{app: app, slots: make(chan struct{}, maxInFlight)}
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		r.stop()
		return e.Next()
	})
	return r
}

func (r *viewRecorder) record(v pageView) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	select {
	case r.slots <- struct{}{}:
	default:
		return
	}
	r.wg.Add(1)
	go func() {
		defer func() { <-r.slots; r.wg.Done() }()
		if err := saveView(r.app, v); err != nil {
			r.app.Logger().Debug("page view not recorded", "page", v.page, "err", err)
		}
	}()
}

func (r *viewRecorder) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
	r.wg.Wait()
}

func saveView(app core.App, v pageView) error {
	col, err := app.FindCachedCollectionByNameOrId(schema.CPageEvents)
	if err != nil {
		return err
	}
	pe := schema.PageEvents
	rec := core.NewRecord(col)
	rec.Set(pe.Page, v.page)
	rec.Set(pe.Order, v.order)
	rec.Set(pe.Kind, v.kind)
	rec.Set(pe.At, v.at)
	return app.Save(rec)
}
