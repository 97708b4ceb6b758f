// Package simulator is a pretend carrier used by the demo store and by tests.
// Each simulated shipment follows a scripted journey: a list of scans at fixed
// offsets from the moment it was shipped. Given the current (injected) time,
// the simulator reports the scans that have happened so far, exactly like a
// carrier API that is polled.
package simulator

import (
	"fmt"
	"time"

	"porchlight/hooks/tracking/status"
)

// Carrier is the carrier id the simulator answers for when a shipment is
// tracked by it directly (the demo also drives shipments labelled with real
// carrier names through it).
const Carrier = "simulator"

// Journey names. They are stored on the shipment so the simulator can resume
// after a restart.
const (
	OnTime             = "on_time"
	Late               = "late"
	Stalled            = "stalled"
	ExceptionRecovered = "exception"
	ReturnedToSender   = "returned"
	PrematureDelivered = "premature_delivered"
	Pickup             = "pickup"
)

// Step is one scripted scan.
type Step struct {
	After     time.Duration // since the shipment was shipped
	Status    status.Status
	Substatus string
	Raw       string // the carrier's own wording of the status
	Message   string
	Location  string // "" = origin, "dest" = the destination city
}

// Scan is a scan that has happened, with its absolute time.
type Scan struct {
	Seq        int // position in the journey: stable, used for dedupe keys
	OccurredAt time.Time
	Status     status.Status
	Substatus  string
	Raw        string
	Message    string
	Location   string
}

const h = time.Hour

var origin = "Columbus, OH, US"

// journeys are the scripts. Offsets are chosen so an on-time parcel arrives
// in about three days and a late one in about nine.
var journeys = map[string][]Step{
	OnTime: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{9 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{20 * h, status.InTransit, status.SubDepartedFacility, "DEPARTED", "Departed origin facility", ""},
		{46 * h, status.InTransit, status.SubArrivedAtFacility, "ARRIVED", "Arrived at destination facility", "dest"},
		{63 * h, status.OutForDelivery, "", "OUT_FOR_DELIVERY", "Out for delivery", "dest"},
		{69 * h, status.Delivered, status.SubLeftAtDoor, "DELIVERED", "Delivered, left at front door", "dest"},
	},
	Late: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{30 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{50 * h, status.InTransit, status.SubDepartedFacility, "DEPARTED", "Departed origin facility", ""},
		{110 * h, status.InTransit, status.SubDelayed, "DELAYED", "Delayed: processing backlog at regional hub", "Memphis, TN, US"},
		{170 * h, status.InTransit, status.SubArrivedAtFacility, "ARRIVED", "Arrived at destination facility", "dest"},
		{208 * h, status.OutForDelivery, "", "OUT_FOR_DELIVERY", "Out for delivery", "dest"},
		{214 * h, status.Delivered, status.SubSigned, "DELIVERED", "Delivered, signed for", "dest"},
	},
	Stalled: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{10 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{22 * h, status.InTransit, status.SubDepartedFacility, "DEPARTED", "Departed origin facility", ""},
	},
	ExceptionRecovered: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{8 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{40 * h, status.Exception, status.SubAddressIssue, "EXCEPTION", "Address information needed; contact the carrier", "dest"},
		{76 * h, status.InTransit, status.SubProblemResolved, "IN_TRANSIT", "Address corrected, back on its way", "dest"},
		{92 * h, status.OutForDelivery, "", "OUT_FOR_DELIVERY", "Out for delivery", "dest"},
		{98 * h, status.Delivered, status.SubLeftAtDoor, "DELIVERED", "Delivered, left at front door", "dest"},
	},
	ReturnedToSender: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{9 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{45 * h, status.InTransit, status.SubArrivedAtFacility, "ARRIVED", "Arrived at destination facility", "dest"},
		{62 * h, status.OutForDelivery, "", "OUT_FOR_DELIVERY", "Out for delivery", "dest"},
		{68 * h, status.AttemptFail, status.SubNoAccess, "ATTEMPT_FAIL", "Delivery attempted: no access to the address", "dest"},
		{92 * h, status.AttemptFail, status.SubNoAccess, "ATTEMPT_FAIL", "Second delivery attempt failed", "dest"},
		{120 * h, status.Exception, status.SubReturnToSender, "RETURN_TO_SENDER", "Returning to sender after failed attempts", "dest"},
	},
	PrematureDelivered: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{9 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{30 * h, status.InTransit, status.SubArrivedAtFacility, "ARRIVED", "Arrived at destination facility", "dest"},
		{33 * h, status.Delivered, status.SubLeftAtDoor, "DELIVERED", "Delivered, in or at mailbox", "dest"},
	},
	Pickup: {
		{0, status.InfoReceived, "", "PRE_TRANSIT", "Shipping label created", ""},
		{9 * h, status.InTransit, status.SubPickedUp, "PICKED_UP", "Picked up by carrier", ""},
		{48 * h, status.InTransit, status.SubArrivedAtFacility, "ARRIVED", "Arrived at destination facility", "dest"},
		{60 * h, status.AvailableForPickup, status.SubHeldForPickup, "AVAILABLE_FOR_PICKUP", "Ready for pickup at the local post office", "dest"},
	},
}

// Journeys lists the scripted journeys in a stable order.
var Journeys = []string{OnTime, Late, Stalled, ExceptionRecovered, ReturnedToSender, PrematureDelivered, Pickup}

// Script returns a copy of a journey's steps.
func Script(journey string) ([]Step, error) {
	steps, ok := journeys[journey]
	if !ok {
		return nil, fmt.Errorf("simulator: unknown journey %q", journey)
	}
	return append([]Step(nil), steps...), nil
}

// Final is the status a journey ends in once every scan has happened.
func Final(journey string) status.Status {
	steps := journeys[journey]
	if len(steps) == 0 {
		return status.Pending
	}
	return steps[len(steps)-1].Status
}

// Duration is how long the whole journey takes.
func Duration(journey string) time.Duration {
	steps := journeys[journey]
	if len(steps) == 0 {
		return 0
	}
	return steps[len(steps)-1].After
}

// ScansAt returns the scans of journey that have happened by now for a
// parcel shipped at shippedAt and going to destCity. It is a pure function:
// polling it twice at the same time gives the same scans.
func ScansAt(journey string, shippedAt, now time.Time, destCity string) ([]Scan, error) {
	steps, ok := journeys[journey]
	if !ok {
		return nil, fmt.Errorf("simulator: unknown journey %q", journey)
	}
	var out []Scan
	for i, s := range steps {
		at := shippedAt.Add(s.After)
		if at.After(now) {
			break
		}
		loc := s.Location
		switch loc {
		case "":
			loc = origin
		case "dest":
			loc = destCity
		}
		out = append(out, Scan{Seq: i, OccurredAt: at, Status: s.Status, Substatus: s.Substatus, Raw: s.Raw, Message: s.Message, Location: loc})
	}
	return out, nil
}

// Done reports whether the journey has no scans left after now.
func Done(journey string, shippedAt, now time.Time) bool {
	return !shippedAt.Add(Duration(journey)).After(now)
}
