package pages

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
)

// pageView is one shopper page view waiting to be stored.
type pageView struct {
	page, order, kind string
	at                time.Time
}

// views records page views off the request path: a handler hands the view
// to a small buffer and returns; one worker writes page_events. When the
// buffer is full the view is dropped, never the page delayed. Page views
// are analytics, not anything a customer waits for, so losing the buffer
// on a crash is acceptable.
type viewRecorder struct {
	ch chan pageView
}

func newViewRecorder() *viewRecorder { return &viewRecorder{ch: make(chan pageView, 512)} }

func (r *viewRecorder) record(v pageView) {
	select {
	case r.ch <- v:
	default:
	}
}

// run writes buffered views until stop is closed.
func (r *viewRecorder) run(app core.App, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case v := <-r.ch:
			if err := saveView(app, v); err != nil {
				app.Logger().Debug("page view not recorded", "page", v.page, "err", err)
			}
		}
	}
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
