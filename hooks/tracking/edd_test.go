package tracking_test

import (
	"strings"
	"testing"
	"time"

	"porchlight/hooks/carriers"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/edd"
	"porchlight/hooks/tracking/status"
)

func day(t *testing.T, s string) string {
	t.Helper()
	if len(s) < 10 {
		t.Fatalf("no date in %q", s)
	}
	return s[:10]
}

func TestEDDAssignedOnCreateAndEveryChangeRecorded(t *testing.T) {
	// Monday 16 Nov 2026, 15:00 UTC = 10:00 in New York (the default brand:
	// cutoff 14:00, one processing day).
	now := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC)
	e := newEnv(t, now, nil, "")
	sh := schema.Shipments
	ship := e.newShipment(t, e.order, "1Z5R89390357567127", "ups", nil)

	hist := tracking.EDDHistory(ship)
	if len(hist) != 1 || ship.GetString(sh.EDDSource) != edd.SourceRules || ship.GetString(sh.EDDReason) == "" {
		t.Fatalf("first EDD: source %q reason %q history %+v", ship.GetString(sh.EDDSource), ship.GetString(sh.EDDReason), hist)
	}
	if !strings.HasPrefix(hist[0].Reason, "shipment created: first estimate") || hist[0].Min != day(t, ship.GetString(sh.EDDMin)) ||
		hist[0].Max != day(t, ship.GetString(sh.EDDMax)) || !hist[0].At.Equal(now) {
		t.Errorf("history entry = %+v", hist[0])
	}
	// Domestic UPS ground from a US brand: never before Tuesday (handover)
	// + a business day, and a window, not a point, for ground.
	if hist[0].Min < "2026-11-18" || hist[0].Max < hist[0].Min {
		t.Errorf("window %s–%s", hist[0].Min, hist[0].Max)
	}

	// The carrier's own estimate arrives (plausible: inside the slack).
	e.clk.Advance(time.Hour)
	est := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	err := e.app.RunInTransaction(func(tx2 coreApp) error {
		_, err := e.trk.Ingest(tx2, "easypost", carriers.Update{TrackingNumber: "1Z5R89390357567127", Carrier: "ups", EstimatedDelivery: est,
			Events: []carriers.Event{{OccurredAt: now.Add(90 * time.Minute), Status: status.InTransit, RawStatus: "in_transit", Known: true, Message: "Departed"}}}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ship = e.reload(t, ship.Id)
	hist = tracking.EDDHistory(ship)
	last := hist[len(hist)-1]
	if ship.GetString(sh.EDDSource) != edd.SourceCarrier || last.Source != edd.SourceCarrier || last.Min != "2026-11-19" || last.Max != "2026-11-19" ||
		!strings.Contains(last.Reason, "easypost estimate 2026-11-19") {
		t.Errorf("after carrier estimate: source %q, last %+v", ship.GetString(sh.EDDSource), last)
	}
	// The handover scan (Monday, a day earlier than planned) moved the
	// window before the carrier's estimate replaced it: both are recorded.
	if len(hist) != 3 || !strings.HasPrefix(hist[1].Reason, "status in_transit: earlier by") {
		t.Errorf("history = %+v", hist)
	}
	if day(t, ship.GetString(sh.EDDMin)) != "2026-11-19" {
		t.Errorf("edd_min = %s", ship.GetString(sh.EDDMin))
	}
	// Every entry differs from the one before: no silent and no empty changes.
	for i := 1; i < len(hist); i++ {
		if hist[i].Min == hist[i-1].Min && hist[i].Max == hist[i-1].Max {
			t.Errorf("history %d repeats the window: %+v", i, hist)
		}
		if hist[i].Reason == "" {
			t.Errorf("history %d has no reason", i)
		}
	}
	n := len(hist)
	// The same estimate again changes nothing.
	err = e.app.RunInTransaction(func(tx2 coreApp) error {
		_, err := e.trk.Ingest(tx2, "easypost", carriers.Update{TrackingNumber: "1Z5R89390357567127", EstimatedDelivery: est}, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tracking.EDDHistory(e.reload(t, ship.Id))); got != n {
		t.Errorf("repeated estimate added history: %d → %d", n, got)
	}
}

func TestLearnedEDDFromDeliveredHistory(t *testing.T) {
	now := time.Date(2026, 11, 16, 15, 0, 0, 0, time.UTC) // Monday
	e := newEnv(t, now, nil, "")
	sh := schema.Shipments
	// 24 delivered FedEx parcels to California, shipped on Mondays, taking
	// 2..5 business days (in a fixed pattern).
	transit := []int{2, 3, 3, 4, 2, 3, 5, 3, 2, 4, 3, 3, 2, 3, 4, 3, 2, 3, 3, 4, 3, 2, 5, 3}
	base := time.Date(2026, 9, 7, 16, 0, 0, 0, time.UTC) // Monday
	for i, d := range transit {
		shipped := base.AddDate(0, 0, 7*(i%6))
		o := e.newOrder(t, "H"+string(rune('A'+i)), shipped.Add(-24*time.Hour), "US", "CA", "94107")
		delivered := shipped.AddDate(0, 0, d) // Monday + d ≤ 4 stays in the week; 5 lands on Saturday → counted to Friday
		if d == 5 {
			delivered = shipped.AddDate(0, 0, 7) // next Monday: 5 business days
		}
		e.newShipment(t, o, "HIST"+string(rune('A'+i)), "fedex", map[string]any{
			sh.Status: "delivered", sh.ShippedAt: shipped, sh.DeliveredAt: delivered,
		})
	}
	o := e.newOrder(t, "NEW1", now.Add(-time.Hour), "US", "CA", "94110")
	ship := e.newShipment(t, o, "986578788855", "fedex", nil)
	if ship.GetString(sh.EDDSource) != edd.SourceLearned {
		t.Fatalf("source = %q (%s), want learned", ship.GetString(sh.EDDSource), ship.GetString(sh.EDDReason))
	}
	// Handover Tuesday 17 Nov (placed Monday 09:00 New York, before the
	// cutoff, one processing day), plus the lane's 2..4 business days.
	if day(t, ship.GetString(sh.EDDMin)) != "2026-11-19" || day(t, ship.GetString(sh.EDDMax)) != "2026-11-23" {
		t.Errorf("learned window %s–%s, want 2026-11-19–2026-11-23", ship.GetString(sh.EDDMin), ship.GetString(sh.EDDMax))
	}
	// 10th–90th percentile of the samples is 2..4 business days.
	span, n, ok := edd.LearnedSpan(transit, 20)
	if !ok || n != 24 || span != (edd.Span{Min: 2, Max: 4}) {
		t.Fatalf("fixture span = %+v %d %v", span, n, ok)
	}
	// Fewer samples on another lane (New York): the tables.
	o2 := e.newOrder(t, "NEW2", now.Add(-time.Hour), "US", "NY", "10001")
	if s2 := e.newShipment(t, o2, "477179081230", "fedex", nil); s2.GetString(sh.EDDSource) != edd.SourceRules {
		t.Errorf("other lane source = %q", s2.GetString(sh.EDDSource))
	}
}
