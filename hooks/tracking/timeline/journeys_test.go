package timeline

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"porchlight/hooks/tracking/status"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at is t0 plus h hours.
func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

func ev(h float64, st status.Status, sub, msg, key string) Event {
	return Event{OccurredAt: at(h), Status: st, Substatus: sub, Message: msg, Location: "Columbus, OH, US", Source: "easypost", DedupeKey: key}
}

// keyless is an event from a source without event ids.
func keyless(h float64, st status.Status, sub, msg string) Event {
	e := ev(h, st, sub, msg, "")
	e.Source = "aftership"
	return e
}

// resend is e re-delivered with the same key but edited content, the way a
// non-idempotent webhook does it.
func resend(e Event, msg string) Event { e.Message = msg; return e }

// inZone is e with the same instant expressed in another time zone.
func inZone(e Event) Event {
	e.OccurredAt = e.OccurredAt.In(time.FixedZone("EST", -5*3600))
	return e
}

type journey struct {
	name   string
	events []Event // the recorded events plus injected duplicates
	want   Result  // Status, Substatus, times and flags (Timeline not compared here)
}

func journeys() []journey {
	label := ev(0, status.InfoReceived, "", "Shipping label created", "k-label")

	onTimeDeparted := ev(20, status.InTransit, status.SubDepartedFacility, "Departed origin facility", "k-dep")
	onTimeDelivered := ev(69, status.Delivered, status.SubLeftAtDoor, "Delivered, left at front door", "k-del")

	lateDelay := keyless(110, status.InTransit, status.SubDelayed, "Delayed: processing backlog at regional hub")

	stallPending := keyless(200, status.Pending, "", "Tracking information unavailable")
	stallDeparted := ev(22, status.InTransit, status.SubDepartedFacility, "Departed origin facility", "k-dep")

	excAddress := ev(40, status.Exception, status.SubAddressIssue, "Address information needed", "k-exc")
	excResolved := keyless(76, status.InTransit, status.SubProblemResolved, "Address corrected, back on its way")

	rtsReturn := ev(120, status.Exception, status.SubReturnToSender, "Returning to sender", "k-rts")

	premature := ev(33, status.Delivered, status.SubLeftAtDoor, "Delivered, in or at mailbox", "k-del1")

	pickupHeld := ev(60, status.AvailableForPickup, status.SubHeldForPickup, "Ready for pickup", "k-held")

	return []journey{
		{
			name: "on time",
			events: []Event{
				label,
				ev(9, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				onTimeDeparted,
				ev(46, status.InTransit, status.SubArrivedAtFacility, "Arrived at destination facility", "k-arr"),
				ev(63, status.OutForDelivery, "", "Out for delivery", "k-ofd"),
				onTimeDelivered,
				inZone(onTimeDeparted),               // same key, same instant, another zone
				resend(onTimeDelivered, "DELIVERED"), // same key, edited message
			},
			want: Result{Status: status.Delivered, Substatus: status.SubLeftAtDoor, ShippedAt: at(9), DeliveredAt: at(69), LastEventAt: at(69)},
		},
		{
			name: "late",
			events: []Event{
				label,
				ev(30, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				ev(50, status.InTransit, status.SubDepartedFacility, "Departed origin facility", "k-dep"),
				lateDelay,
				ev(170, status.InTransit, status.SubArrivedAtFacility, "Arrived at destination facility", "k-arr"),
				ev(208, status.OutForDelivery, "", "Out for delivery", "k-ofd"),
				ev(214, status.Delivered, status.SubSigned, "Delivered, signed for", "k-del"),
				lateDelay, // keyless duplicate: same content, same computed key
			},
			want: Result{Status: status.Delivered, Substatus: status.SubSigned, ShippedAt: at(30), DeliveredAt: at(214), LastEventAt: at(214)},
		},
		{
			name: "stalled",
			events: []Event{
				label,
				ev(10, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				stallDeparted,
				// Tracker hiccups long after the last scan: newer, but they
				// must not un-ship the parcel.
				stallPending,
				ev(250, status.InfoReceived, "", "Shipment information sent to carrier", "k-label2"),
				ev(260, "teleported", "", "Garbage status from a broken source", "k-junk"),
				stallDeparted,
				stallPending,
			},
			want: Result{Status: status.InTransit, Substatus: status.SubDepartedFacility, ShippedAt: at(10), LastEventAt: at(260)},
		},
		{
			name: "exception then recovery",
			events: []Event{
				label,
				ev(8, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				// A routine scan stamped at the same instant as the
				// exception: the exception counts as newer...
				ev(40, status.InTransit, status.SubArrivedAtFacility, "Arrived at destination facility", "k-arr"),
				excAddress,
				// ...and a strictly newer scan recovers.
				excResolved,
				excAddress,
				excResolved,
			},
			want: Result{Status: status.InTransit, Substatus: status.SubProblemResolved, ShippedAt: at(8), LastEventAt: at(76)},
		},
		{
			name: "returned to sender after delivered",
			events: []Event{
				ev(9, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				ev(62, status.OutForDelivery, "", "Out for delivery", "k-ofd"),
				ev(68, status.Delivered, "", "Delivered", "k-del1"),
				rtsReturn,
				ev(150, status.InTransit, status.SubDepartedFacility, "Departed facility", "k-back"),
				// Same instant, same status: only the key orders them.
				ev(150, status.InTransit, status.SubArrivedAtFacility, "Arrived at return centre", "k-back2"),
				ev(200, status.Delivered, "", "Delivered", "k-del2"),
				resend(rtsReturn, "RETURN TO SENDER"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubReturned, ShippedAt: at(9), LastEventAt: at(200), ReturnToSender: true},
		},
		{
			name: "premature delivered then new scans",
			events: []Event{
				label,
				ev(9, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				ev(30, status.InTransit, status.SubArrivedAtFacility, "Arrived at destination facility", "k-arr"),
				premature,
				ev(40, status.InTransit, status.SubArrivedAtFacility, "Arrived at delivery unit", "k-arr2"),
				ev(50, status.OutForDelivery, "", "Out for delivery", "k-ofd"),
				ev(56, status.Delivered, status.SubSigned, "Delivered, signed for", "k-del2"),
				resend(premature, "Delivered"),
			},
			want: Result{Status: status.Delivered, Substatus: status.SubSigned, ShippedAt: at(9), DeliveredAt: at(56), LastEventAt: at(56), ScansAfterDelivery: true},
		},
		{
			name: "pickup",
			events: []Event{
				label,
				ev(9, status.InTransit, status.SubPickedUp, "Picked up by carrier", "k-pick"),
				ev(48, status.InTransit, status.SubArrivedAtFacility, "Arrived at destination facility", "k-arr"),
				ev(55, status.OutForDelivery, "", "Out for delivery", "k-ofd"),
				ev(58, status.AttemptFail, status.SubRecipientAway, "Nobody home", "k-att"),
				pickupHeld,
				ev(80, status.Delivered, status.SubCollected, "Collected from the post office", "k-col"),
				pickupHeld,
			},
			want: Result{Status: status.Delivered, Substatus: status.SubCollected, ShippedAt: at(9), DeliveredAt: at(80), LastEventAt: at(80)},
		},
	}
}

// permute calls f once with every distinct ordering of events. Copies that
// are identical (==) are interchangeable, so orderings that only swap them
// are generated once: n!/(k1!·k2!·…) calls instead of n!.
func permute(events []Event, f func([]Event)) int {
	// Class ids: identical events share the id of the first copy.
	ids := make([]int, len(events))
	for i, e := range events {
		ids[i] = i
		for k := 0; k < i; k++ {
			if events[k] == e {
				ids[i] = k
				break
			}
		}
	}
	slices.Sort(ids)
	buf := make([]Event, len(events))
	n := 0
	for {
		for i, id := range ids {
			buf[i] = events[id]
		}
		f(buf)
		n++
		if !nextPermutation(ids) {
			return n
		}
	}
}

// nextPermutation advances s to the next lexicographic permutation, skipping
// repeats; false when s was the last one.
func nextPermutation(s []int) bool {
	i := len(s) - 2
	for i >= 0 && s[i] >= s[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(s) - 1
	for s[j] <= s[i] {
		j--
	}
	s[i], s[j] = s[j], s[i]
	slices.Reverse(s[i+1:])
	return true
}

// distinctOrderings is n!/(k1!·k2!·…) for the identical-copy classes of events.
func distinctOrderings(events []Event) int {
	n := factorial(len(events))
	counted := make([]bool, len(events))
	for i := range events {
		if counted[i] {
			continue
		}
		k := 0
		for j := i; j < len(events); j++ {
			if events[j] == events[i] {
				counted[j] = true
				k++
			}
		}
		n /= factorial(k)
	}
	return n
}

func factorial(n int) int {
	if n <= 1 {
		return 1
	}
	return n * factorial(n-1)
}

// sameResult is reflect.DeepEqual for Results, cheap enough to run on every
// permutation.
func sameResult(a, b Result) bool {
	return a.Status == b.Status && a.Substatus == b.Substatus &&
		a.LastEventAt == b.LastEventAt && a.DeliveredAt == b.DeliveredAt && a.ShippedAt == b.ShippedAt &&
		a.ReturnToSender == b.ReturnToSender && a.ScansAfterDelivery == b.ScansAfterDelivery &&
		slices.Equal(a.Timeline, b.Timeline)
}

// summary is the part of a Result a journey pins by hand.
func summary(r Result) Result {
	r.Timeline = nil
	return r
}

func TestJourneysEveryPermutation(t *testing.T) {
	for _, j := range journeys() {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			ref := Derive(j.events)
			if got := summary(ref); !reflect.DeepEqual(got, j.want) {
				t.Fatalf("Derive =\n %+v\nwant\n %+v", got, j.want)
			}
			checkTimeline(t, ref, j.events)

			n := permute(j.events, func(p []Event) {
				if got := Derive(p); !sameResult(got, ref) {
					t.Fatalf("ordering differs:\n%s\nwant\n%s", dump(got), dump(ref))
				}
			})
			if want := distinctOrderings(j.events); n != want {
				t.Fatalf("ran %d orderings of %d events, want %d", n, len(j.events), want)
			}
			if !reflect.DeepEqual(ref, Derive(j.events)) {
				t.Fatal("sameResult disagrees with reflect.DeepEqual")
			}
		})
	}
}

// checkTimeline asserts the timeline is deduplicated, ordered and keyed.
func checkTimeline(t *testing.T, r Result, in []Event) {
	t.Helper()
	keys := map[string]bool{}
	for i, e := range r.Timeline {
		if e.DedupeKey == "" {
			t.Errorf("timeline[%d] has no key", i)
		}
		if keys[e.DedupeKey] {
			t.Errorf("timeline[%d]: key %s twice", i, e.DedupeKey)
		}
		keys[e.DedupeKey] = true
		if i > 0 && compareEvents(r.Timeline[i-1], e) >= 0 {
			t.Errorf("timeline[%d] out of order", i)
		}
	}
	inKeys := map[string]bool{}
	for _, e := range in {
		if e.DedupeKey == "" {
			e.DedupeKey = DedupeKey(e.Source, "", e.OccurredAt, string(e.Status), e.Message, e.Location)
		}
		inKeys[e.DedupeKey] = true
	}
	if len(keys) != len(inKeys) {
		t.Errorf("timeline has %d events, input has %d distinct", len(keys), len(inKeys))
	}
}

func dump(r Result) string {
	s := fmt.Sprintf("%+v\n", summary(r))
	for _, e := range r.Timeline {
		s += fmt.Sprintf("  %s %-20s %-16s %q %s\n", e.OccurredAt.Format(time.RFC3339), e.Status, e.Substatus, e.Message, e.DedupeKey)
	}
	return s
}
