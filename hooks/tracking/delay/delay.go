// Package delay decides whether a shipment is late and why, and whether a
// delivery is old enough to be trusted. It is a pure function of a snapshot,
// a policy and the current time: no PocketBase, no clock of its own. Callers
// re-evaluate on every event and at Verdict.NextCheck.
//
// Rules, in priority order (the first that applies gives the reason):
//
//  1. delivered: never delayed; DeliveryConfirmed once DeliveryGraceHours
//     have passed since the delivery (carriers send premature "delivered"
//     scans, so review and survey asks wait for this).
//  2. expired: the carrier stopped reporting.
//  3. exception: the carrier reported a problem (customs, damage, address…).
//  4. attempt_fail: a delivery attempt failed; the shopper usually has to act.
//  5. not_shipped: no carrier handover by the end of the brand's ship-by day
//     (edd.ShipBy: cutoff + processing business days) plus ShipGraceHours.
//  6. no_scan: shipped, but no carrier event for MaxDaysWithoutScan × 24 h.
//     A stalled parcel is the more specific signal, so it wins over 7.
//  7. edd_passed: the end of the EDD's last day (in the destination's time
//     zone) plus EDDGraceDays × 24 h has passed without a delivery.
//
// available_for_pickup is never delayed: the parcel has arrived and waits
// for the shopper, so neither the EDD nor the scan gap applies. Status-based
// reasons (2–4) clear as soon as a later event moves the status on, e.g.
// exception followed by in_transit; time-based ones clear when a new scan,
// shipment or EDD arrives.
//
// A threshold is reached at its instant: at exactly the deadline the
// shipment is delayed (or the delivery confirmed).
package delay

import (
	"fmt"
	"strings"
	"time"

	"porchlight/hooks/tracking/edd"
	"porchlight/hooks/tracking/status"
)

// Stable reason codes, stored with the delayed flag and used to pick
// notification templates.
const (
	ReasonNotShipped  = "not_shipped"
	ReasonNoScan      = "no_scan"
	ReasonEDDPassed   = "edd_passed"
	ReasonException   = "exception"
	ReasonAttemptFail = "attempt_fail"
	ReasonExpired     = "expired"
)

// Policy defaults. A zero Policy field takes its default; a negative one
// means "none" (no grace, for example).
const (
	DefaultMaxDaysWithoutScan = 4
	DefaultEDDGraceDays       = 1
	DefaultDeliveryGraceHours = 24
	DefaultShipGraceHours     = 0
)

// Snapshot is what a shipment and its order look like now.
type Snapshot struct {
	PlacedAt  time.Time
	ShippedAt time.Time // zero until the parcel is handed over
	Status    status.Status
	Substatus string
	// LastEventAt is the time of the newest carrier event.
	LastEventAt time.Time
	// EDDMin and EDDMax are the current window (civil dates, see edd.Date);
	// zero when there is none.
	EDDMin, EDDMax time.Time
	DeliveredAt    time.Time
	// Delayed and DelayReason are the flag as currently stored, so the
	// verdict can report that it cleared.
	Delayed     bool
	DelayReason string
	// DestLocation is where EDD dates end; nil means the brand's time zone.
	DestLocation *time.Location
}

// Policy is the brand's tolerance for lateness.
type Policy struct {
	// Brand supplies the time zone, cutoff, processing days and calendar
	// that decide the ship-by date, exactly as in the EDD.
	Brand edd.Brand
	// ShipGraceHours after the end of the ship-by day before not_shipped
	// (default 0).
	ShipGraceHours int
	// MaxDaysWithoutScan is the longest silence, in 24-hour days, a parcel
	// in transit may keep (default 4).
	MaxDaysWithoutScan int
	// EDDGraceDays after the end of the EDD's last day (default 1).
	EDDGraceDays int
	// DeliveryGraceHours after a delivery before it counts as confirmed
	// (default 24).
	DeliveryGraceHours int
}

// DefaultPolicy returns the defaults for brand b.
func DefaultPolicy(b edd.Brand) Policy {
	return Policy{
		Brand:              b,
		ShipGraceHours:     DefaultShipGraceHours,
		MaxDaysWithoutScan: DefaultMaxDaysWithoutScan,
		EDDGraceDays:       DefaultEDDGraceDays,
		DeliveryGraceHours: DefaultDeliveryGraceHours,
	}
}

func orDefault(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	default:
		return v
	}
}

// Verdict is the outcome of Evaluate.
type Verdict struct {
	Delayed bool
	// Reason is one of the Reason* codes when Delayed, else "".
	Reason string
	// Detail explains the verdict in English for the admin and logs.
	Detail string
	// DeliveryConfirmed: delivered, and the delivery grace has passed.
	DeliveryConfirmed bool
	// Cleared: the snapshot was flagged and no longer is.
	Cleared bool
	// NextCheck is the earliest future instant at which the verdict can
	// change without a new event (a deadline still ahead); zero when only a
	// new event can change it. Use it as the shipment's next_check_at. UTC.
	NextCheck time.Time
}

// Evaluate applies the rules to s at now.
func Evaluate(s Snapshot, p Policy, now time.Time) Verdict {
	brandLoc, err := p.Brand.Location()
	if err != nil {
		// A bad zone must not switch delay detection off: fall back to UTC.
		p.Brand.Timezone, brandLoc = "", time.UTC
	}
	st := s.Status
	if st == "" {
		st = status.Pending
	}

	e := evaluation{now: now}
	switch st {
	case status.Delivered:
		at := s.DeliveredAt
		if at.IsZero() {
			at = s.LastEventAt
		}
		if !at.IsZero() {
			confirm := at.Add(time.Duration(orDefault(p.DeliveryGraceHours, DefaultDeliveryGraceHours)) * time.Hour)
			if e.reached(confirm) {
				e.v.DeliveryConfirmed = true
				e.v.Detail = "Delivered " + stamp(at, brandLoc) + "; grace period over."
			} else {
				e.v.Detail = "Delivered " + stamp(at, brandLoc) + "; confirmed at " + stamp(confirm, brandLoc) + "."
			}
		}
		return e.finish(s)
	case status.Expired:
		e.flag(ReasonExpired, "The carrier stopped reporting updates; tracking has expired.")
	case status.Exception:
		e.flag(ReasonException, "The carrier reported an exception"+detail(s.Substatus)+".")
	case status.AttemptFail:
		e.flag(ReasonAttemptFail, "The carrier attempted delivery and failed"+detail(s.Substatus)+".")
	}

	moving := st != status.AvailableForPickup
	shipped := !s.ShippedAt.IsZero() ||
		(st != status.Pending && st != status.InfoReceived)

	// not_shipped
	if !shipped && !s.PlacedAt.IsZero() {
		if shipBy, err := edd.ShipBy(s.PlacedAt, p.Brand); err == nil {
			grace := orDefault(p.ShipGraceHours, DefaultShipGraceHours)
			deadline := edd.EndOfDay(shipBy, brandLoc).Add(time.Duration(grace) * time.Hour)
			if e.reached(deadline) {
				e.flag(ReasonNotShipped, fmt.Sprintf("Not shipped yet; it was due to ship by %s (processing: %s).",
					shipBy.Format("Mon 2 Jan"), plural(max(p.Brand.ProcessingDays, 0), "business day")))
			}
		}
	}

	// no_scan
	if shipped && moving {
		last := s.LastEventAt
		if s.ShippedAt.After(last) {
			last = s.ShippedAt
		}
		if !last.IsZero() {
			days := orDefault(p.MaxDaysWithoutScan, DefaultMaxDaysWithoutScan)
			if e.reached(last.Add(time.Duration(days) * 24 * time.Hour)) {
				what := "No carrier scan"
				if st == status.Pending || st == status.InfoReceived {
					what = "Shipped but never scanned by the carrier"
				}
				e.flag(ReasonNoScan, fmt.Sprintf("%s for %s (last activity %s; limit %s).",
					what, ago(now.Sub(last)), stamp(last, brandLoc), plural(days, "day")))
			}
		}
	}

	// edd_passed
	if moving && !s.EDDMax.IsZero() {
		loc := s.DestLocation
		if loc == nil {
			loc = brandLoc
		}
		grace := orDefault(p.EDDGraceDays, DefaultEDDGraceDays)
		deadline := edd.EndOfDay(s.EDDMax, loc).Add(time.Duration(grace) * 24 * time.Hour)
		if e.reached(deadline) {
			e.flag(ReasonEDDPassed, fmt.Sprintf("Expected by %s and not delivered yet.", s.EDDMax.Format("Mon 2 Jan")))
		}
	}
	return e.finish(s)
}

// evaluation collects the first (highest-priority) reason and the nearest
// future deadline.
type evaluation struct {
	now time.Time
	v   Verdict
}

// reached reports whether deadline has come; a future one is remembered as
// a candidate NextCheck.
func (e *evaluation) reached(deadline time.Time) bool {
	if !e.now.Before(deadline) {
		return true
	}
	if e.v.NextCheck.IsZero() || deadline.Before(e.v.NextCheck) {
		e.v.NextCheck = deadline.UTC()
	}
	return false
}

// flag records reason unless a higher-priority one already did; rules run
// in priority order.
func (e *evaluation) flag(reason, detail string) {
	if e.v.Delayed {
		return
	}
	e.v.Delayed, e.v.Reason, e.v.Detail = true, reason, detail
}

func (e *evaluation) finish(s Snapshot) Verdict {
	if s.Delayed && !e.v.Delayed {
		e.v.Cleared = true
		was := s.DelayReason
		if was == "" {
			was = "delayed"
		}
		e.v.Detail = strings.TrimSpace("Back on track (was " + was + "). " + e.v.Detail)
	}
	return e.v
}

func detail(sub string) string {
	if sub = strings.TrimSpace(sub); sub != "" {
		return " (" + sub + ")"
	}
	return ""
}

func stamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 15:04 MST")
}

// ago renders a duration in whole days, or hours under two days.
func ago(d time.Duration) string {
	if h := int(d.Hours()); h < 48 {
		return plural(h, "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
