package timeline

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/tracking/status"
)

func TestDeriveRules(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		want   Result // Timeline not compared
	}{
		{
			name: "no events",
			want: Result{Status: status.Pending},
		},
		{
			name:   "only junk statuses",
			events: []Event{ev(5, "", "", "?", "a"), ev(6, "DELIVERED", "", "raw, not canonical", "b")},
			want:   Result{Status: status.Pending, LastEventAt: at(6)},
		},
		{
			name: "late older scan arriving after delivery does not move it back",
			events: []Event{
				ev(70, status.Delivered, "", "Delivered", "d"),
				ev(20, status.InTransit, "", "In transit", "t"), // arrived later, happened earlier
			},
			want: Result{Status: status.Delivered, ShippedAt: at(20), DeliveredAt: at(70), LastEventAt: at(70)},
		},
		{
			name: "newer in-flight scan wins: out for delivery, then back at the depot",
			events: []Event{
				ev(60, status.OutForDelivery, "", "Out for delivery", "o"),
				ev(70, status.InTransit, status.SubArrivedAtFacility, "Back at depot", "t"),
			},
			want: Result{Status: status.InTransit, Substatus: status.SubArrivedAtFacility, ShippedAt: at(60), LastEventAt: at(70)},
		},
		{
			name: "exception recovers with a newer scan",
			events: []Event{
				ev(40, status.Exception, status.SubWeather, "Weather delay", "e"),
				ev(41, status.InTransit, "", "In transit", "t"),
			},
			want: Result{Status: status.InTransit, ShippedAt: at(41), LastEventAt: at(41)},
		},
		{
			name: "exception is not recovered by an older scan",
			events: []Event{
				ev(41, status.Exception, status.SubWeather, "Weather delay", "e"),
				ev(40, status.InTransit, "", "In transit", "t"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubWeather, ShippedAt: at(40), LastEventAt: at(41)},
		},
		{
			name: "equal time: exception counts as newest",
			events: []Event{
				ev(40, status.Exception, status.SubCustoms, "Held in customs", "e"),
				ev(40, status.OutForDelivery, "", "Out for delivery", "o"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubCustoms, ShippedAt: at(40), LastEventAt: at(40)},
		},
		{
			name: "equal time: further along wins",
			events: []Event{
				ev(40, status.OutForDelivery, "", "Out for delivery", "o"),
				ev(40, status.InTransit, "", "In transit", "t"),
				ev(40, status.InfoReceived, "", "Label", "i"),
			},
			want: Result{Status: status.OutForDelivery, ShippedAt: at(40), LastEventAt: at(40)},
		},
		{
			name: "equal time: delivered beats a non-return exception",
			events: []Event{
				ev(40, status.Exception, status.SubDamaged, "Damaged", "e"),
				ev(40, status.Delivered, "", "Delivered", "d"),
			},
			want: Result{Status: status.Delivered, ShippedAt: at(40), DeliveredAt: at(40), LastEventAt: at(40)},
		},
		{
			name: "equal time: a return reopens a delivery",
			events: []Event{
				ev(40, status.Delivered, "", "Delivered", "d"),
				ev(40, status.Exception, status.SubReturnToSender, "Return to sender", "r"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubReturnToSender, ShippedAt: at(40), LastEventAt: at(40), ReturnToSender: true},
		},
		{
			name: "delivered is terminal for non-return exceptions",
			events: []Event{
				ev(40, status.Delivered, "", "Delivered", "d"),
				ev(50, status.Exception, status.SubDamaged, "Damaged", "e"),
			},
			want: Result{Status: status.Delivered, ShippedAt: at(40), DeliveredAt: at(40), LastEventAt: at(50), ScansAfterDelivery: true},
		},
		{
			name: "an older return does not reopen a delivery",
			events: []Event{
				ev(30, status.Exception, status.SubReturnToSender, "Return to sender", "r"),
				ev(40, status.Delivered, "", "Delivered", "d"),
			},
			// The return came first, so the later delivery is the trip back.
			want: Result{Status: status.Exception, Substatus: status.SubReturned, ShippedAt: at(40), LastEventAt: at(40), ReturnToSender: true},
		},
		{
			name: "return is sticky: later movement is the trip back",
			events: []Event{
				ev(30, status.InTransit, "", "In transit", "t"),
				ev(40, status.Exception, status.SubReturnToSender, "Return to sender", "r"),
				ev(50, status.InTransit, "", "In transit", "t2"),
				ev(60, status.OutForDelivery, "", "Out for delivery", "o"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubReturnToSender, ShippedAt: at(30), LastEventAt: at(60), ReturnToSender: true},
		},
		{
			name: "returned after returning",
			events: []Event{
				ev(40, status.Exception, status.SubReturnToSender, "Return to sender", "r"),
				ev(90, status.Exception, status.SubReturned, "Returned", "r2"),
			},
			want: Result{Status: status.Exception, Substatus: status.SubReturned, LastEventAt: at(90), ReturnToSender: true},
		},
		{
			name: "pending and info never un-ship",
			events: []Event{
				ev(10, status.InTransit, "", "In transit", "t"),
				ev(20, status.Pending, "", "No info", "p"),
				ev(30, status.InfoReceived, "", "Label", "i"),
			},
			want: Result{Status: status.InTransit, ShippedAt: at(10), LastEventAt: at(30)},
		},
		{
			name: "pending never un-informs",
			events: []Event{
				ev(10, status.InfoReceived, "", "Label", "i"),
				ev(20, status.Pending, "", "No info", "p"),
			},
			want: Result{Status: status.InfoReceived, LastEventAt: at(20)},
		},
		{
			name: "pending then info moves forward",
			events: []Event{
				ev(10, status.Pending, "", "No info", "p"),
				ev(20, status.InfoReceived, status.SubLabelCreated, "Label", "i"),
			},
			want: Result{Status: status.InfoReceived, Substatus: status.SubLabelCreated, LastEventAt: at(20)},
		},
		{
			name: "expired, then tracking resumes",
			events: []Event{
				ev(10, status.InTransit, "", "In transit", "t"),
				ev(700, status.Expired, "", "No updates", "x"),
				ev(800, status.OutForDelivery, "", "Out for delivery", "o"),
			},
			want: Result{Status: status.OutForDelivery, ShippedAt: at(10), LastEventAt: at(800)},
		},
		{
			name: "expired after pending stays expired; pending after expired does not revive",
			events: []Event{
				ev(10, status.Pending, "", "No info", "p"),
				ev(700, status.Expired, "", "No updates", "x"),
				ev(710, status.Pending, "", "No info", "p2"),
			},
			want: Result{Status: status.Expired, LastEventAt: at(710)},
		},
		{
			name: "expired after delivered is ignored and is not a scan",
			events: []Event{
				ev(10, status.Delivered, "", "Delivered", "d"),
				ev(700, status.Expired, "", "No updates", "x"),
			},
			want: Result{Status: status.Delivered, ShippedAt: at(10), DeliveredAt: at(10), LastEventAt: at(700)},
		},
		{
			name: "a newer delivered scan refreshes DeliveredAt",
			events: []Event{
				ev(10, status.Delivered, "", "Delivered", "d"),
				ev(12, status.Delivered, status.SubSigned, "Signed for", "d2"),
			},
			want: Result{Status: status.Delivered, Substatus: status.SubSigned, ShippedAt: at(10), DeliveredAt: at(12), LastEventAt: at(12)},
		},
		{
			name: "exceptions and expiry do not prove shipping",
			events: []Event{
				ev(10, status.Exception, status.SubAddressIssue, "Address issue", "e"),
				ev(20, status.InTransit, "", "In transit", "t"),
			},
			want: Result{Status: status.InTransit, ShippedAt: at(20), LastEventAt: at(20)},
		},
		{
			name: "unknown statuses are kept but ignored",
			events: []Event{
				ev(10, status.InTransit, "", "In transit", "t"),
				ev(20, "teleported", "", "??", "j"),
			},
			want: Result{Status: status.InTransit, ShippedAt: at(10), LastEventAt: at(20)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Derive(tt.events)
			if len(got.Timeline) != len(tt.events) {
				t.Errorf("timeline has %d events, want %d", len(got.Timeline), len(tt.events))
			}
			if got := summary(got); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Derive =\n %+v\nwant\n %+v", got, tt.want)
			}
			// Reversed input gives the same answer.
			rev := append([]Event(nil), tt.events...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			if r := Derive(rev); !sameResult(r, got) {
				t.Errorf("reversed input differs:\n%s\nwant\n%s", dump(r), dump(got))
			}
		})
	}
}

func TestDeriveDoesNotModifyInput(t *testing.T) {
	in := []Event{
		keyless(20, status.InTransit, "", "In transit"),
		ev(10, status.InfoReceived, "", "Label", "a"),
	}
	before := append([]Event(nil), in...)
	Derive(in)
	if !reflect.DeepEqual(in, before) {
		t.Error("Derive modified its input")
	}
}

func TestDeriveTimelineOrderAndKeys(t *testing.T) {
	e1 := keyless(20, status.InTransit, "", "In transit")
	got := Derive([]Event{
		ev(30, status.OutForDelivery, "", "Out", "z"),
		e1,
		ev(10, status.InfoReceived, "", "Label", "a"),
		e1,
	})
	var msgs []string
	for _, e := range got.Timeline {
		msgs = append(msgs, e.Message)
	}
	if strings.Join(msgs, "|") != "Label|In transit|Out" {
		t.Errorf("timeline = %v", msgs)
	}
	want := DedupeKey(e1.Source, "", e1.OccurredAt, string(e1.Status), e1.Message, e1.Location)
	if got.Timeline[1].DedupeKey != want {
		t.Errorf("computed key = %q, want %q", got.Timeline[1].DedupeKey, want)
	}
}

func TestDeriveDuplicatesWithEditedContent(t *testing.T) {
	// A source re-sends an event (same id) with a corrected message. Either
	// arrival order keeps the same copy.
	a := ev(20, status.InTransit, "", "Arrived at facility", "same")
	b := resend(a, "Arrived at facility (corrected)")
	x, y := Derive([]Event{a, b}), Derive([]Event{b, a})
	if !sameResult(x, y) || len(x.Timeline) != 1 {
		t.Errorf("duplicates not resolved deterministically:\n%s\n%s", dump(x), dump(y))
	}
}

func TestDeriveMonotonicClockReadings(t *testing.T) {
	now := time.Now() // carries a monotonic reading
	a := Event{OccurredAt: now, Status: status.InTransit, DedupeKey: "k"}
	b := Event{OccurredAt: now.Round(0), Status: status.InTransit, DedupeKey: "k"}
	x, y := Derive([]Event{a, b}), Derive([]Event{b, a})
	if !sameResult(x, y) || len(x.Timeline) != 1 {
		t.Error("monotonic reading changed the result")
	}
}

func TestDedupeKey(t *testing.T) {
	base := DedupeKey("easypost", "1Z999AA10123456784", at(5), "in_transit", "Arrived at facility", "Memphis, TN, US")
	if !strings.HasPrefix(base, "h1:") || len(base) != 3+32 {
		t.Fatalf("key %q: want h1: + 32 hex digits", base)
	}
	same := []struct {
		name string
		key  string
	}{
		{"case and spacing", DedupeKey(" EasyPost ", "1z999aa1 0123-456784", at(5), "IN_TRANSIT", "arrived   at\tFACILITY ", "memphis,  tn, us")},
		{"other time zone", DedupeKey("easypost", "1Z999AA10123456784", at(5).In(time.FixedZone("X", 3*3600)), "in_transit", "Arrived at facility", "Memphis, TN, US")},
		{"sub-second digits", DedupeKey("easypost", "1Z999AA10123456784", at(5).Add(999*time.Millisecond), "in_transit", "Arrived at facility", "Memphis, TN, US")},
	}
	for _, s := range same {
		if s.key != base {
			t.Errorf("%s: key changed", s.name)
		}
	}
	differ := []struct {
		name string
		key  string
	}{
		{"source", DedupeKey("shippo", "1Z999AA10123456784", at(5), "in_transit", "Arrived at facility", "Memphis, TN, US")},
		{"number", DedupeKey("easypost", "1Z999AA10123456785", at(5), "in_transit", "Arrived at facility", "Memphis, TN, US")},
		{"second", DedupeKey("easypost", "1Z999AA10123456784", at(5).Add(time.Second), "in_transit", "Arrived at facility", "Memphis, TN, US")},
		{"status", DedupeKey("easypost", "1Z999AA10123456784", at(5), "out_for_delivery", "Arrived at facility", "Memphis, TN, US")},
		{"message", DedupeKey("easypost", "1Z999AA10123456784", at(5), "in_transit", "Departed facility", "Memphis, TN, US")},
		{"location", DedupeKey("easypost", "1Z999AA10123456784", at(5), "in_transit", "Arrived at facility", "Memphis, TN")},
		{"field boundary", DedupeKey("easypost", "1Z999AA10123456784", at(5), "in_transit", "Arrived at facilityMemphis, TN, US", "")},
	}
	for _, d := range differ {
		if d.key == base {
			t.Errorf("%s: key did not change", d.name)
		}
	}
}

func TestDedupeKeyGolden(t *testing.T) {
	got := DedupeKey("easypost", "1Z999AA10123456784", time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC), "in_transit", "Arrived at facility", "Memphis, TN, US")
	// Computed independently: "h1:" + hex(sha256("8:easypost" + "18:1Z999AA10123456784" +
	// "20:2026-03-02T14:00:00Z" + "10:in_transit" + "19:arrived at facility" +
	// "15:memphis, tn, us"))[:32].
	const want = "h1:db199560b32f1ec0b5d769148447bc71"
	if got != want {
		t.Errorf("DedupeKey = %q, want %q (stored keys depend on this value)", got, want)
	}
}

func TestDedupeKeyHostile(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	k := DedupeKey(long, long, at(1), long, "\x00\xff\u202e", long)
	if len(k) != 35 {
		t.Errorf("key length %d", len(k))
	}
}

func TestDeriveOrder(t *testing.T) {
	S := func(ss ...status.Status) []status.Status { return ss }
	tests := []struct {
		name string
		in   []status.Status
		want status.Status
	}{
		{"no shipments", nil, status.Pending},
		{"one in transit", S(status.InTransit), status.InTransit},
		{"all delivered", S(status.Delivered, status.Delivered), status.Delivered},
		{"one delivered, one on its way", S(status.Delivered, status.OutForDelivery), status.OutForDelivery},
		{"least advanced wins", S(status.OutForDelivery, status.InTransit, status.AvailableForPickup), status.InTransit},
		{"least advanced: info before transit", S(status.InTransit, status.InfoReceived, status.Delivered), status.InfoReceived},
		{"pending holds it back", S(status.Delivered, status.Pending), status.Pending},
		{"attempt before pickup", S(status.AvailableForPickup, status.AttemptFail), status.AttemptFail},
		{"any exception", S(status.Delivered, status.Delivered, status.Exception), status.Exception},
		{"exception beats in transit", S(status.InTransit, status.Exception, status.OutForDelivery), status.Exception},
		{"delivered and expired is expired", S(status.Delivered, status.Expired), status.Expired},
		{"expired alone", S(status.Expired), status.Expired},
		{"expired does not hide movement", S(status.Expired, status.InTransit), status.InTransit},
		{"unknown counts as pending", S(status.InTransit, "teleported"), status.Pending},
		{"empty string counts as pending", S(status.Delivered, ""), status.Pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeriveOrder(tt.in); got != tt.want {
				t.Errorf("DeriveOrder(%v) = %q, want %q", tt.in, got, tt.want)
			}
			// Order of shipments never matters.
			rev := append([]status.Status(nil), tt.in...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			if got := DeriveOrder(rev); got != tt.want {
				t.Errorf("DeriveOrder(reversed %v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
