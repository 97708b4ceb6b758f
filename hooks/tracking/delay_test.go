package tracking_test

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/delay"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

func scan(at time.Time, st status.Status, sub, msg string) tracking.Checkpoint {
	return tracking.Checkpoint{RawStatus: string(st), Event: timeline.Event{OccurredAt: at, Status: st, Substatus: sub, Message: msg, Source: "test"}}
}

func TestDelayFlagAndUnflagUnderFixedClock(t *testing.T) {
	mon := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC) // Monday 10:00 New York
	e := newEnv(t, mon, nil, "")
	sh, tr := schema.Shipments, schema.ShipmentTracking

	// Other capabilities hook on the flag's changes; count them.
	var changes []string
	e.app.OnRecordAfterUpdateSuccess(schema.CShipments).BindFunc(func(ev *core.RecordEvent) error {
		if ev.Record.Original().GetBool(sh.Delayed) != ev.Record.GetBool(sh.Delayed) || ev.Record.Original().GetString(sh.DelayReason) != ev.Record.GetString(sh.DelayReason) {
			changes = append(changes, ev.Record.GetString(sh.TrackingNumber)+":"+ev.Record.GetString(sh.DelayReason))
		}
		return ev.Next()
	})

	if !hasCron(e, "porchlightDelays") {
		t.Fatal("delay cron not registered")
	}
	moving := e.newShipment(t, e.order, "1Z5R89390357567127", "ups", nil)
	waiting := e.newShipment(t, e.newOrder(t, "1002", mon.Add(-time.Hour), "US", "NY", "10001"), "1Z879E930346834440", "ups", nil)
	if waiting.GetString(tr.NextCheckAt) == "" || waiting.GetBool(sh.Delayed) {
		t.Fatalf("new shipment: next_check_at %q delayed %v", waiting.GetString(tr.NextCheckAt), waiting.GetBool(sh.Delayed))
	}
	tue := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
	if _, err := e.trk.Record(e.app, moving.Id, []tracking.Checkpoint{scan(tue, status.InTransit, "", "Departed facility")}); err != nil {
		t.Fatal(err)
	}

	// Wednesday noon: the unshipped one is past its ship-by day (Tuesday,
	// cutoff + one processing day); the moving one is fine.
	e.clk.Set(time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC))
	st, err := e.trk.CheckDelays(e.app, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if w := e.reload(t, waiting.Id); !w.GetBool(sh.Delayed) || w.GetString(sh.DelayReason) != delay.ReasonNotShipped {
		t.Errorf("unshipped: delayed %v reason %q", w.GetBool(sh.Delayed), w.GetString(sh.DelayReason))
	}
	if m := e.reload(t, moving.Id); m.GetBool(sh.Delayed) {
		t.Errorf("moving parcel flagged: %s", m.GetString(sh.DelayReason))
	}
	if st.Flagged != 1 {
		t.Errorf("stats = %+v", st)
	}

	// Saturday noon: four days without a scan since Tuesday 10:00.
	e.clk.Set(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	if _, err := e.trk.CheckDelays(e.app, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if m := e.reload(t, moving.Id); !m.GetBool(sh.Delayed) || m.GetString(sh.DelayReason) != delay.ReasonNoScan {
		t.Errorf("stalled: delayed %v reason %q", m.GetBool(sh.Delayed), m.GetString(sh.DelayReason))
	}
	// Running again at the same instant changes nothing (no extra saves).
	n := len(changes)
	if st, _ := e.trk.CheckDelays(e.app, e.clk.Now()); st.Flagged != 0 || st.Cleared != 0 || len(changes) != n {
		t.Errorf("second run: %+v, changes %v", st, changes[n:])
	}

	// A new scan arrives: the flag clears on the event itself.
	if _, err := e.trk.Record(e.app, moving.Id, []tracking.Checkpoint{scan(e.clk.Now().Add(-time.Hour), status.InTransit, "", "Arrived at facility")}); err != nil {
		t.Fatal(err)
	}
	if m := e.reload(t, moving.Id); m.GetBool(sh.Delayed) || m.GetString(sh.DelayReason) != "" {
		t.Errorf("after a new scan: delayed %v reason %q", m.GetBool(sh.Delayed), m.GetString(sh.DelayReason))
	}

	// An exception flags at once; a newer in-transit scan recovers it.
	if _, err := e.trk.Record(e.app, moving.Id, []tracking.Checkpoint{scan(e.clk.Now().Add(-30*time.Minute), status.Exception, status.SubWeather, "Weather delay")}); err != nil {
		t.Fatal(err)
	}
	if m := e.reload(t, moving.Id); m.GetString(sh.DelayReason) != delay.ReasonException {
		t.Errorf("exception: reason %q", m.GetString(sh.DelayReason))
	}
	e.clk.Advance(time.Hour)
	if _, err := e.trk.Record(e.app, moving.Id, []tracking.Checkpoint{scan(e.clk.Now(), status.InTransit, "", "Departed")}); err != nil {
		t.Fatal(err)
	}
	if m := e.reload(t, moving.Id); m.GetBool(sh.Delayed) {
		t.Errorf("recovered parcel still flagged: %s", m.GetString(sh.DelayReason))
	}

	// A stale flag (set by hand, nothing justifies it) is cleared by the cron.
	m := e.reload(t, moving.Id)
	m.Set(sh.Delayed, true)
	m.Set(sh.DelayReason, delay.ReasonEDDPassed)
	if err := e.app.Save(m); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.trk.CheckDelays(e.app, e.clk.Now()); st.Cleared != 1 {
		t.Errorf("stale flag: %+v", st)
	}
	if m := e.reload(t, moving.Id); m.GetBool(sh.Delayed) {
		t.Error("stale flag kept")
	}

	want := []string{"1Z879E930346834440:not_shipped", "1Z5R89390357567127:no_scan", "1Z5R89390357567127:",
		"1Z5R89390357567127:exception", "1Z5R89390357567127:", "1Z5R89390357567127:edd_passed", "1Z5R89390357567127:"}
	if len(changes) != len(want) {
		t.Fatalf("flag changes seen by hooks = %v, want %v", changes, want)
	}
	for i := range want {
		if changes[i] != want[i] {
			t.Errorf("change %d = %s, want %s", i, changes[i], want[i])
		}
	}
}

func hasCron(e *env, id string) bool {
	for _, j := range e.app.Cron().Jobs() {
		if j.Id() == id {
			return true
		}
	}
	return false
}
