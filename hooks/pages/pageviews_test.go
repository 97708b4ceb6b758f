package pages

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
)

func countViews(t *testing.T, app core.App) int64 {
	t.Helper()
	n, err := app.CountRecords(schema.CPageEvents)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A full batch is written without waiting for the timer; the rest is
// written when the recorder stops, and nothing is taken after that.
func TestPageViewsAreWrittenInBatchesAndOnStop(t *testing.T) {
	s := newSite(t, Limits{})
	o := s.order(orderSpec{Number: "9501", Parcels: []parcelSpec{{Status: "in_transit"}}})
	r := startViewRecorder(s.app, time.Hour, 3)
	for i := 0; i < 7; i++ {
		r.record(pageView{page: "order", order: o.Id, kind: "view", at: testNow.Add(time.Duration(i) * time.Second)})
	}
	deadline := time.Now().Add(5 * time.Second)
	for countViews(t, s.app) < 6 {
		if time.Now().After(deadline) {
			t.Fatalf("full batches not written: %d rows, want 6", countViews(t, s.app))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := countViews(t, s.app); n != 6 {
		t.Fatalf("%d rows before stop, want 6 (the seventh waits for its batch)", n)
	}
	r.stop()
	if n := countViews(t, s.app); n != 7 {
		t.Fatalf("%d rows after stop, want 7", n)
	}
	r.record(pageView{page: "order", order: o.Id, kind: "view", at: testNow})
	r.stop() // a second terminate must not block or panic
	if n := countViews(t, s.app); n != 7 {
		t.Fatalf("%d rows after a view past stop, want 7", n)
	}

	var rows []struct {
		Page, Order, Kind, At string
	}
	err := s.app.DB().Select("page", "order", "kind", "at").From(schema.CPageEvents).
		OrderBy("at").All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		at := schema.DBTime(testNow.Add(time.Duration(i) * time.Second))
		if row.Page != "order" || row.Order != o.Id || row.Kind != "view" || row.At != at {
			t.Errorf("row %d = %+v, want order/%s/view/%s", i, row, o.Id, at)
		}
	}
}

// A view whose order is gone by the time its batch is written fails alone.
func TestPageViewOfDeletedOrderDoesNotLoseItsBatch(t *testing.T) {
	s := newSite(t, Limits{})
	o := s.order(orderSpec{Number: "9502", Parcels: []parcelSpec{{Status: "in_transit"}}})
	r := startViewRecorder(s.app, time.Hour, 10)
	r.record(pageView{page: "order", order: "gone00000000000", kind: "view", at: testNow})
	r.record(pageView{page: "order", order: o.Id, kind: "view", at: testNow})
	r.stop()
	n, err := s.app.CountRecords(schema.CPageEvents, dbx.HashExp{schema.PageEvents.Order: o.Id})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || countViews(t, s.app) != 1 {
		t.Fatalf("rows for the live order %d, all rows %d; want 1 and 1", n, countViews(t, s.app))
	}
}

// Views served just before shutdown are stored by the terminate hook, not
// lost with the process.
func TestPageViewsQueuedAtTerminateAreWritten(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9503", Parcels: []parcelSpec{{Status: "in_transit"}}})
	for i := 0; i < 5; i++ {
		if r := s.get("/t/" + o.GetString(schema.Orders.AccessToken)); r.Code != 200 {
			t.Fatalf("status %d", r.Code)
		}
	}
	err := s.app.OnTerminate().Trigger(&core.TerminateEvent{App: s.app}, func(e *core.TerminateEvent) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n := countViews(t, s.app); n != 5 {
		t.Fatalf("%d rows after terminate, want 5", n)
	}
}
