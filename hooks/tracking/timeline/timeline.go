// Package timeline derives a shipment's current status from its tracking
// events. It is a pure state machine: no storage, no clock, no PocketBase.
// The ingest code stores every event it receives (late, duplicate or not)
// and calls Derive over all of them; the result is the same whatever order
// the events arrived in.
//
// The rules, from what the field learned the hard way:
//
//   - Events are ordered by their own timestamp, never by arrival, so a
//     late webhook carrying an older scan cannot move the status backwards.
//   - Duplicates (same DedupeKey) count once.
//   - Among in-flight statuses the newest scan wins: carriers really do go
//     out for delivery and come back to the depot, and an exception followed
//     by a newer in-transit scan has recovered.
//   - Once shipped (in_transit or anything past it), a newer pending or
//     info_received never counts: that is a tracker hiccup, not the parcel.
//   - Delivered is terminal; only a newer return-to-sender (an exception
//     whose substatus is a return; "newer" in the order below) reopens it. Other scans after
//     a delivery are kept in the timeline and flagged (ScansAfterDelivery) so
//     premature "delivered" scans can be caught; a newer delivered scan
//     refreshes DeliveredAt.
//   - A return is sticky: once going back to the sender, later movement
//     scans are the trip back, and a later "delivered" means it reached the
//     sender (substatus returned), not the shopper.
//   - Equal timestamps are applied in a fixed order: pending, info_received,
//     expired, in_transit, out_for_delivery, attempt_fail,
//     available_for_pickup, delivered, and exception last. So at the same
//     instant the further-along status wins, and an exception counts as the
//     newest: a real recovery shows up as a strictly later scan, while an
//     exception and a routine scan stamped together are most likely the
//     carrier explaining that scan. (By the same order a return stamped at
//     the same instant as a delivery reopens it.) Remaining ties are broken
//     by DedupeKey, so the result never depends on input order.
package timeline

import (
	"cmp"
	"slices"
	"time"

	"porchlight/hooks/tracking/status"
)

// Event is one tracking checkpoint in canonical terms.
//
// A return to the sender is Status exception with Substatus
// status.SubReturnToSender or status.SubReturned, which is what the status
// mappers produce.
type Event struct {
	OccurredAt time.Time
	Status     status.Status
	Substatus  string
	Message    string
	Location   string
	Source     string
	// DedupeKey identifies the event across re-deliveries: the source's
	// event id, or DedupeKey(...) for sources without one. When empty,
	// Derive computes one from the event's content.
	DedupeKey string
}

// Result is the derived state of one shipment.
type Result struct {
	Status    status.Status // pending when there are no usable events
	Substatus string

	LastEventAt time.Time // newest event of any kind
	DeliveredAt time.Time // newest delivered scan while delivered; zero otherwise
	ShippedAt   time.Time // first in_transit, out_for_delivery, attempt_fail, available_for_pickup or delivered scan

	// Timeline is the deduplicated events, oldest first (see package doc
	// for the order at equal timestamps), with every DedupeKey filled in.
	Timeline []Event

	// ReturnToSender is set when the parcel is going or has gone back to
	// the sender (Status is then exception).
	ReturnToSender bool
	// ScansAfterDelivery is set when the carrier kept scanning (a strictly
	// later in-flight or exception scan) after saying "delivered": the
	// signature of a premature delivered scan. The grace period and the
	// "not received" path should take it into account.
	ScansAfterDelivery bool
}

// rank orders statuses at equal timestamps (and is the "further along"
// order of the package doc). Unknown statuses sort first and never change
// the derived status.
func rank(s status.Status) int {
	switch s {
	case status.Pending:
		return 1
	case status.InfoReceived:
		return 2
	case status.Expired:
		return 3
	case status.InTransit:
		return 4
	case status.OutForDelivery:
		return 5
	case status.AttemptFail:
		return 6
	case status.AvailableForPickup:
		return 7
	case status.Delivered:
		return 8
	case status.Exception:
		return 9
	}
	return 0
}

func preShipment(s status.Status) bool { return s == status.Pending || s == status.InfoReceived }

// shipped reports whether s proves the carrier has the parcel.
func shipped(s status.Status) bool {
	switch s {
	case status.InTransit, status.OutForDelivery, status.AttemptFail, status.AvailableForPickup, status.Delivered:
		return true
	}
	return false
}

func isReturn(e Event) bool { return e.Status == status.Exception && status.IsReturn(e.Substatus) }

// Derive computes the current state from a shipment's events, in any order,
// duplicates included. The input slice is not modified.
func Derive(events []Event) Result {
	tl := dedupe(events)
	slices.SortFunc(tl, compareEvents)

	res := Result{Status: status.Pending, Timeline: tl}
	var (
		have      bool // a valid event has set the status
		delivered bool // current state is delivered
		returning bool // current state is a return to sender
	)
	for _, e := range tl {
		if e.OccurredAt.After(res.LastEventAt) {
			res.LastEventAt = e.OccurredAt
		}
		if rank(e.Status) == 0 {
			continue // not a canonical status: kept in the timeline only
		}
		if res.ShippedAt.IsZero() && shipped(e.Status) {
			res.ShippedAt = e.OccurredAt
		}

		switch {
		case !have:
			// First usable event sets the state.
		case returning:
			switch {
			case isReturn(e):
			case e.Status == status.Delivered:
				e = Event{Status: status.Exception, Substatus: status.SubReturned, OccurredAt: e.OccurredAt}
			default:
				continue // the trip back
			}
		case delivered:
			switch {
			case isReturn(e):
			case e.Status == status.Delivered:
			default:
				if !preShipment(e.Status) && e.Status != status.Expired && e.OccurredAt.After(res.DeliveredAt) {
					res.ScansAfterDelivery = true
				}
				continue
			}
		case preShipment(e.Status):
			if !preShipment(res.Status) || rank(e.Status) < rank(res.Status) {
				continue // never un-ship, never un-inform
			}
		}

		have = true
		res.Status, res.Substatus = e.Status, e.Substatus
		delivered = e.Status == status.Delivered
		returning = isReturn(e)
		if delivered {
			res.DeliveredAt = e.OccurredAt
		} else {
			res.DeliveredAt = time.Time{}
		}
	}
	res.ReturnToSender = returning
	return res
}

// compareEvents is the timeline order: time, then rank, then key. Keys are
// unique after dedupe, so the order is total.
func compareEvents(a, b Event) int {
	if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
		return c
	}
	if c := cmp.Compare(rank(a.Status), rank(b.Status)); c != 0 {
		return c
	}
	return cmp.Compare(a.DedupeKey, b.DedupeKey)
}

// dedupe returns a copy of events with one event per DedupeKey (computed
// from the content when empty). When copies with the same key differ (a
// source that re-sends an event with an edited message), the one that sorts
// first on every field is kept, so the choice never depends on input order.
func dedupe(events []Event) []Event {
	byKey := make(map[string]Event, len(events))
	for _, e := range events {
		e.OccurredAt = e.OccurredAt.Round(0) // drop monotonic readings: compare wall clocks only
		if e.DedupeKey == "" {
			e.DedupeKey = DedupeKey(e.Source, "", e.OccurredAt, string(e.Status), e.Message, e.Location)
		}
		if prev, ok := byKey[e.DedupeKey]; ok && compareFull(prev, e) <= 0 {
			continue
		}
		byKey[e.DedupeKey] = e
	}
	out := make([]Event, 0, len(byKey))
	for _, e := range byKey {
		out = append(out, e)
	}
	return out
}

// compareFull orders events on every field.
func compareFull(a, b Event) int {
	return cmp.Or(
		a.OccurredAt.Compare(b.OccurredAt),
		cmp.Compare(a.OccurredAt.Location().String(), b.OccurredAt.Location().String()),
		cmp.Compare(rank(a.Status), rank(b.Status)),
		cmp.Compare(a.Status, b.Status),
		cmp.Compare(a.Substatus, b.Substatus),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Location, b.Location),
		cmp.Compare(a.Source, b.Source),
	)
}
