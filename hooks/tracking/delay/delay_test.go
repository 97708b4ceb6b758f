package delay

import (
	"strings"
	"testing"
	"time"

	"porchlight/hooks/tracking/edd"
	"porchlight/hooks/tracking/status"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

var (
	brand  = edd.Brand{Timezone: "America/Los_Angeles", CutoffHour: 14, ProcessingDays: 2, Country: "US"}
	policy = DefaultPolicy(brand)
	// Placed Mon 3 Mar 2025 10:00 PST: effective Monday, two processing
	// days, ship by Wed 5 Mar; that day ends at Thu 6 Mar 08:00 UTC.
	placed     = utc(2025, 3, 3, 18, 0)
	shipDue    = utc(2025, 3, 6, 8, 0)
	shipped    = utc(2025, 3, 5, 20, 0)
	lastScan   = utc(2025, 3, 10, 12, 0)
	noScanDue  = utc(2025, 3, 14, 12, 0) // lastScan + 4 × 24 h
	eddMax     = edd.Date(2025, 3, 12)
	eddDue     = utc(2025, 3, 14, 7, 0) // end of Wed 12 Mar PDT (Thu 07:00 UTC) + 1 day
	delivered  = utc(2025, 3, 11, 17, 0)
	deliverDue = utc(2025, 3, 12, 17, 0)
	second     = time.Second
)

func inTransit() Snapshot {
	return Snapshot{PlacedAt: placed, ShippedAt: shipped, Status: status.InTransit, LastEventAt: lastScan,
		EDDMin: edd.Date(2025, 3, 7), EDDMax: eddMax}
}

func notShipped() Snapshot {
	return Snapshot{PlacedAt: placed, Status: status.Pending}
}

func with(s Snapshot, edit func(*Snapshot)) Snapshot { edit(&s); return s }

func TestEvaluate(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	scenarios := []struct {
		name      string
		s         Snapshot
		p         *Policy // nil: policy
		now       time.Time
		reason    string // "" = not delayed
		confirmed bool
		cleared   bool
		next      time.Time // expected NextCheck (zero: not checked)
		detail    string    // substring of Detail
	}{
		// not_shipped
		{name: "not shipped, just before the ship-by day ends", s: notShipped(), now: shipDue.Add(-second), next: shipDue},
		{name: "not shipped, ship-by day over", s: notShipped(), now: shipDue, reason: ReasonNotShipped,
			detail: "due to ship by Wed 5 Mar (processing: 2 business days)"},
		{name: "not shipped, grace hours hold the flag", s: notShipped(), p: &Policy{Brand: brand, ShipGraceHours: 12},
			now: shipDue.Add(12*time.Hour - second), next: shipDue.Add(12 * time.Hour)},
		{name: "not shipped, grace hours over", s: notShipped(), p: &Policy{Brand: brand, ShipGraceHours: 12},
			now: shipDue.Add(12 * time.Hour), reason: ReasonNotShipped},
		{name: "label created (info_received) but not handed over", s: with(notShipped(), func(s *Snapshot) { s.Status = status.InfoReceived }),
			now: shipDue, reason: ReasonNotShipped},
		{name: "empty status counts as pending", s: with(notShipped(), func(s *Snapshot) { s.Status = "" }), now: shipDue, reason: ReasonNotShipped},
		{name: "ship-by skips Thanksgiving like the EDD",
			// Tue 25 Nov 15:30 PST, after cutoff: Wed + 2 days skipping Thu 27 → Mon 1 Dec, which ends Tue 2 Dec 08:00 UTC.
			s: Snapshot{PlacedAt: utc(2025, 11, 25, 23, 30), Status: status.Pending}, now: utc(2025, 12, 2, 8, 0), reason: ReasonNotShipped},
		{name: "ship-by skips Thanksgiving, a second early",
			s: Snapshot{PlacedAt: utc(2025, 11, 25, 23, 30), Status: status.Pending}, now: utc(2025, 12, 2, 8, 0).Add(-second), next: utc(2025, 12, 2, 8, 0)},
		{name: "shipped in time is not not_shipped", s: with(notShipped(), func(s *Snapshot) { s.ShippedAt = shipped; s.LastEventAt = shipped }),
			now: shipDue},

		// no_scan
		{name: "in transit, just before the scan gap limit", s: with(inTransit(), func(s *Snapshot) { s.EDDMax = edd.Date(2025, 3, 20) }),
			now: noScanDue.Add(-second), next: noScanDue},
		{name: "in transit, scan gap limit reached", s: with(inTransit(), func(s *Snapshot) { s.EDDMax = edd.Date(2025, 3, 20) }),
			now: noScanDue, reason: ReasonNoScan, detail: "No carrier scan for 4 days"},
		{name: "custom scan gap", s: with(inTransit(), func(s *Snapshot) { s.EDDMax = edd.Date(2025, 3, 20) }),
			p: &Policy{Brand: brand, MaxDaysWithoutScan: 2}, now: lastScan.Add(48 * time.Hour), reason: ReasonNoScan},
		{name: "out for delivery and silent", s: with(inTransit(), func(s *Snapshot) { s.Status = status.OutForDelivery; s.EDDMax = time.Time{} }),
			now: noScanDue, reason: ReasonNoScan},
		{name: "marked shipped but never scanned", s: Snapshot{PlacedAt: placed, ShippedAt: shipped, Status: status.InfoReceived},
			now: shipped.Add(4 * 24 * time.Hour), reason: ReasonNoScan, detail: "Shipped but never scanned by the carrier"},
		{name: "marked shipped, not yet too long", s: Snapshot{PlacedAt: placed, ShippedAt: shipped, Status: status.InfoReceived},
			now: shipped.Add(4*24*time.Hour - second), next: shipped.Add(4 * 24 * time.Hour)},
		{name: "new scan after a no_scan gap clears it",
			s: with(inTransit(), func(s *Snapshot) {
				s.LastEventAt = noScanDue.Add(time.Hour)
				s.Delayed = true
				s.DelayReason = ReasonNoScan
				s.EDDMax = time.Time{}
			}),
			now: noScanDue.Add(2 * time.Hour), cleared: true, detail: "Back on track (was no_scan)"},

		// edd_passed
		{name: "EDD grace not over", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0) }),
			now: eddDue.Add(-second), next: eddDue},
		{name: "EDD plus grace passed", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0) }),
			now: eddDue, reason: ReasonEDDPassed, detail: "Expected by Wed 12 Mar"},
		{name: "EDD ends in the shopper's zone", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0); s.DestLocation = london }),
			now: utc(2025, 3, 14, 0, 0), reason: ReasonEDDPassed},
		{name: "EDD in the shopper's zone, a second early", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0); s.DestLocation = london }),
			now: utc(2025, 3, 14, 0, 0).Add(-second), next: utc(2025, 3, 14, 0, 0)},
		{name: "no EDD grace", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0) }),
			p: &Policy{Brand: brand, EDDGraceDays: -1}, now: utc(2025, 3, 13, 7, 0), reason: ReasonEDDPassed},
		{name: "no EDD grace, a second early", s: with(inTransit(), func(s *Snapshot) { s.LastEventAt = utc(2025, 3, 13, 12, 0) }),
			p: &Policy{Brand: brand, EDDGraceDays: -1}, now: utc(2025, 3, 13, 7, 0).Add(-second)},
		{name: "a later EDD clears edd_passed",
			s: with(inTransit(), func(s *Snapshot) {
				s.LastEventAt = utc(2025, 3, 13, 12, 0)
				s.EDDMax = edd.Date(2025, 3, 17)
				s.Delayed, s.DelayReason = true, ReasonEDDPassed
			}),
			now: eddDue, cleared: true},

		// status-based
		{name: "exception", s: with(inTransit(), func(s *Snapshot) { s.Status = status.Exception; s.Substatus = "Exception_004 customs delay" }),
			now: lastScan, reason: ReasonException, detail: "exception (Exception_004 customs delay)"},
		{name: "exception followed by in_transit clears",
			s:   with(inTransit(), func(s *Snapshot) { s.Delayed, s.DelayReason = true, ReasonException }),
			now: lastScan.Add(time.Hour), cleared: true, next: eddDue, detail: "Back on track (was exception)"},
		{name: "attempt_fail", s: with(inTransit(), func(s *Snapshot) { s.Status = status.AttemptFail }), now: lastScan, reason: ReasonAttemptFail},
		{name: "expired", s: with(inTransit(), func(s *Snapshot) { s.Status = status.Expired }), now: lastScan, reason: ReasonExpired},
		{name: "expired without ever shipping", s: with(notShipped(), func(s *Snapshot) { s.Status = status.Expired }), now: placed, reason: ReasonExpired},

		// delivered and pickup
		{name: "delivered is never delayed", s: with(inTransit(), func(s *Snapshot) {
			s.Status, s.DeliveredAt, s.LastEventAt = status.Delivered, delivered, delivered
		}), now: utc(2025, 4, 30, 0, 0), confirmed: true},
		{name: "delivered, grace not over", s: with(inTransit(), func(s *Snapshot) { s.Status, s.DeliveredAt = status.Delivered, delivered }),
			now: deliverDue.Add(-second), next: deliverDue},
		{name: "delivered, grace over", s: with(inTransit(), func(s *Snapshot) { s.Status, s.DeliveredAt = status.Delivered, delivered }),
			now: deliverDue, confirmed: true},
		{name: "delivered, custom grace", s: with(inTransit(), func(s *Snapshot) { s.Status, s.DeliveredAt = status.Delivered, delivered }),
			p: &Policy{Brand: brand, DeliveryGraceHours: 48}, now: deliverDue, next: delivered.Add(48 * time.Hour)},
		{name: "delivered, no grace", s: with(inTransit(), func(s *Snapshot) { s.Status, s.DeliveredAt = status.Delivered, delivered }),
			p: &Policy{Brand: brand, DeliveryGraceHours: -1}, now: delivered, confirmed: true},
		{name: "delivered without delivered_at falls back to the last event",
			s:   with(inTransit(), func(s *Snapshot) { s.Status, s.LastEventAt = status.Delivered, delivered }),
			now: deliverDue, confirmed: true},
		{name: "delivered with no time at all is not confirmed",
			s:   Snapshot{PlacedAt: placed, Status: status.Delivered},
			now: deliverDue},
		{name: "delivery clears an earlier flag", s: with(inTransit(), func(s *Snapshot) {
			s.Status, s.DeliveredAt, s.Delayed, s.DelayReason = status.Delivered, delivered, true, ReasonEDDPassed
		}), now: delivered, cleared: true, next: deliverDue},
		{name: "waiting at a pickup point is not delayed", s: with(inTransit(), func(s *Snapshot) { s.Status = status.AvailableForPickup }),
			now: utc(2025, 4, 30, 0, 0)},

		// priorities
		{name: "expired beats everything", s: with(inTransit(), func(s *Snapshot) { s.Status = status.Expired }), now: utc(2025, 4, 30, 0, 0), reason: ReasonExpired},
		{name: "exception beats no_scan and edd_passed", s: with(inTransit(), func(s *Snapshot) { s.Status = status.Exception }),
			now: utc(2025, 4, 30, 0, 0), reason: ReasonException},
		{name: "attempt_fail beats no_scan and edd_passed", s: with(inTransit(), func(s *Snapshot) { s.Status = status.AttemptFail }),
			now: utc(2025, 4, 30, 0, 0), reason: ReasonAttemptFail},
		{name: "not_shipped beats edd_passed", s: with(notShipped(), func(s *Snapshot) { s.EDDMax = edd.Date(2025, 3, 5) }),
			now: utc(2025, 3, 20, 0, 0), reason: ReasonNotShipped},
		{name: "no_scan beats edd_passed", s: inTransit(), now: utc(2025, 3, 20, 0, 0), reason: ReasonNoScan},
		{name: "still delayed, another reason", s: with(inTransit(), func(s *Snapshot) { s.Delayed, s.DelayReason = true, ReasonEDDPassed }),
			now: utc(2025, 3, 20, 0, 0), reason: ReasonNoScan},

		// NextCheck is the nearer of two deadlines.
		{name: "next check is the earlier deadline", s: inTransit(), now: lastScan, next: eddDue},
		{name: "next check when the scan gap comes first", s: with(inTransit(), func(s *Snapshot) { s.EDDMax = edd.Date(2025, 3, 20) }),
			now: lastScan, next: noScanDue},

		// Configuration faults.
		{name: "bad brand zone falls back to UTC", s: notShipped(), p: &Policy{Brand: edd.Brand{Timezone: "Mars/Olympus", ProcessingDays: 2}},
			now: utc(2025, 3, 6, 0, 0), reason: ReasonNotShipped},
		{name: "bad brand zone, a second early", s: notShipped(), p: &Policy{Brand: edd.Brand{Timezone: "Mars/Olympus", ProcessingDays: 2}},
			now: utc(2025, 3, 6, 0, 0).Add(-second), next: utc(2025, 3, 6, 0, 0)},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			p := policy
			if s.p != nil {
				p = *s.p
			}
			v := Evaluate(s.s, p, s.now)
			if v.Delayed != (s.reason != "") || v.Reason != s.reason {
				t.Errorf("Delayed=%v Reason=%q, want reason %q (%s)", v.Delayed, v.Reason, s.reason, v.Detail)
			}
			if v.DeliveryConfirmed != s.confirmed {
				t.Errorf("DeliveryConfirmed = %v, want %v", v.DeliveryConfirmed, s.confirmed)
			}
			if v.Cleared != s.cleared {
				t.Errorf("Cleared = %v, want %v", v.Cleared, s.cleared)
			}
			if !s.next.IsZero() && !v.NextCheck.Equal(s.next) {
				t.Errorf("NextCheck = %v, want %v", v.NextCheck, s.next)
			}
			if !v.NextCheck.IsZero() && !v.NextCheck.After(s.now) {
				t.Errorf("NextCheck %v is not in the future", v.NextCheck)
			}
			if !strings.Contains(v.Detail, s.detail) {
				t.Errorf("Detail %q lacks %q", v.Detail, s.detail)
			}
			if v.Delayed && v.Detail == "" {
				t.Error("a delayed verdict needs a detail")
			}
		})
	}
}

func TestZeroPolicyTakesDefaults(t *testing.T) {
	snaps := []Snapshot{notShipped(), inTransit(), with(inTransit(), func(s *Snapshot) { s.Status, s.DeliveredAt = status.Delivered, delivered })}
	for _, now := range []time.Time{shipDue.Add(-second), shipDue, noScanDue.Add(-second), noScanDue, eddDue, deliverDue.Add(-second), deliverDue} {
		for _, s := range snaps {
			a, b := Evaluate(s, Policy{Brand: brand}, now), Evaluate(s, DefaultPolicy(brand), now)
			if a != b {
				t.Errorf("at %v: zero policy %+v, defaults %+v", now, a, b)
			}
		}
	}
}

func TestDeliveredNeverFlagged(t *testing.T) {
	// Whatever else is stale, a delivered shipment is not delayed.
	s := Snapshot{PlacedAt: placed, Status: status.Delivered, EDDMax: edd.Date(2025, 3, 1),
		LastEventAt: utc(2025, 3, 2, 0, 0), Delayed: true, DelayReason: ReasonNoScan}
	for d := 0; d < 60; d++ {
		if v := Evaluate(s, policy, placed.Add(time.Duration(d)*24*time.Hour)); v.Delayed {
			t.Fatalf("day %d: delivered shipment flagged %s", d, v.Reason)
		}
	}
}
