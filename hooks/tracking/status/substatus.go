package status

import "strings"

// Canonical substatuses: the cross-source details the tracking page and the
// delay logic reason about. Each source's own detail (EasyPost status_detail,
// Shippo substatus.code, AfterShip subtag, 17TRACK sub_status, ...) is mapped
// onto one of these where it fits; where nothing fits the substatus is ""
// and callers still have the raw value, which they store separately.
//
// The spellings match the simulator's scripts so simulated and real
// shipments read the same.
const (
	// Before and around pickup.
	SubLabelCreated  = "label_created"    // label bought, carrier does not have the parcel yet
	SubPickedUp      = "picked_up"        // carrier has accepted the parcel
	SubNotFound      = "not_found"        // carrier has no record of the number yet
	SubInvalidNumber = "invalid_number"   // carrier says the number is not valid
	SubTrackingError = "tracking_error"   // the tracking provider could not track it
	SubAwaitingInfo  = "awaiting_info"    // carrier is waiting for information to continue
	SubDocumentsReq  = "documents_needed" // customs or regulatory documents missing or wrong
	SubDeliverySched = "delivery_scheduled"

	// Moving.
	SubDepartedFacility   = "departed"
	SubArrivedAtFacility  = "arrived"
	SubArrivedDestCountry = "arrived_destination_country"
	SubTransferred        = "transferred" // handed to another (usually the local) carrier
	SubForwarded          = "forwarded"   // redirected to another address
	SubCustoms            = "customs"     // in customs clearance (or held there)
	SubCustomsCleared     = "customs_cleared"
	SubProblemResolved    = "problem_resolved"

	// Delays and problems.
	SubDelayed         = "delayed"          // generic or external delay
	SubWeather         = "weather"          // delayed by weather
	SubProcessingDelay = "processing_delay" // carrier-side: missort, misroute, vehicle, backlog
	SubAddressIssue    = "address_issue"    // wrong, incomplete or changed address
	SubNoAccess        = "no_access"        // carrier could not reach the door
	SubRecipientAway   = "recipient_unavailable"
	SubBusinessClosed  = "business_closed"
	SubNoticeLeft      = "notice_left"
	SubContactCarrier  = "contact_carrier"
	SubHeld            = "held"             // held by the carrier (security, fees, inspection)
	SubHeldForPayment  = "held_for_payment" // duties or charges unpaid
	SubRefused         = "refused"          // recipient refused it
	SubRejected        = "rejected_by_carrier"
	SubUndeliverable   = "undeliverable"
	SubUnclaimed       = "unclaimed" // waited at a pickup point, never collected
	SubDamaged         = "damaged"
	SubLost            = "lost"
	SubDisposed        = "disposed" // destroyed or discarded
	SubCancelled       = "cancelled"
	SubReturnToSender  = "return_to_sender" // on its way back to the sender
	SubReturned        = "returned"         // back with the sender

	// Pickup and delivery detail.
	SubHeldForPickup = "held_for_pickup"
	SubCollected     = "collected" // picked up by the recipient
	SubSigned        = "signed"
	SubLeftAtDoor    = "left_at_door"
	SubNeighbour     = "delivered_to_neighbour"
)

// substatusMeanings are short, shopper-safe English explanations of the
// canonical substatuses; pages translate them.
var substatusMeanings = map[string]string{
	SubLabelCreated:       "Shipping label created; the carrier does not have the parcel yet",
	SubPickedUp:           "The carrier has the parcel",
	SubNotFound:           "The carrier has no information about this parcel yet",
	SubInvalidNumber:      "The carrier does not recognise this tracking number",
	SubTrackingError:      "Tracking information is temporarily unavailable",
	SubAwaitingInfo:       "The carrier is waiting for information before it can continue",
	SubDocumentsReq:       "Held until missing or incorrect documents are provided",
	SubDeliverySched:      "A delivery date has been scheduled",
	SubDepartedFacility:   "Left a carrier facility",
	SubArrivedAtFacility:  "Arrived at a carrier facility",
	SubArrivedDestCountry: "Arrived in the destination country",
	SubTransferred:        "Handed over to the delivering carrier",
	SubForwarded:          "Forwarded to a different address",
	SubCustoms:            "In customs clearance",
	SubCustomsCleared:     "Cleared customs",
	SubProblemResolved:    "An earlier problem was resolved; the parcel is moving again",
	SubDelayed:            "Delayed by the carrier",
	SubWeather:            "Delayed by weather",
	SubProcessingDelay:    "Delayed by a processing issue in the carrier network",
	SubAddressIssue:       "There is a problem with the delivery address",
	SubNoAccess:           "The carrier could not reach the delivery location",
	SubRecipientAway:      "Nobody was available to receive the parcel",
	SubBusinessClosed:     "The business was closed at delivery time",
	SubNoticeLeft:         "The carrier left a delivery notice",
	SubContactCarrier:     "Contact the carrier for details",
	SubHeld:               "Held by the carrier",
	SubHeldForPayment:     "Held until duties or charges are paid",
	SubRefused:            "Delivery was refused",
	SubRejected:           "Rejected by the carrier",
	SubUndeliverable:      "The carrier could not deliver the parcel",
	SubUnclaimed:          "The parcel was not collected in time",
	SubDamaged:            "The parcel was damaged",
	SubLost:               "The carrier has lost the parcel",
	SubDisposed:           "The parcel was destroyed or discarded",
	SubCancelled:          "The shipment was cancelled",
	SubReturnToSender:     "On its way back to the sender",
	SubReturned:           "Returned to the sender",
	SubHeldForPickup:      "Waiting for collection at a pickup point",
	SubCollected:          "Collected by the recipient",
	SubSigned:             "Delivered and signed for",
	SubLeftAtDoor:         "Delivered and left at the door",
	SubNeighbour:          "Delivered to a neighbour",
}

// Substatuses lists every canonical substatus (for select-field values).
func Substatuses() []string {
	return append([]string(nil), substatusOrder...)
}

// substatusOrder keeps Substatuses stable (map order is random).
var substatusOrder = []string{
	SubLabelCreated, SubPickedUp, SubNotFound, SubInvalidNumber, SubTrackingError,
	SubAwaitingInfo, SubDocumentsReq, SubDeliverySched,
	SubDepartedFacility, SubArrivedAtFacility, SubArrivedDestCountry, SubTransferred,
	SubForwarded, SubCustoms, SubCustomsCleared, SubProblemResolved,
	SubDelayed, SubWeather, SubProcessingDelay, SubAddressIssue, SubNoAccess,
	SubRecipientAway, SubBusinessClosed, SubNoticeLeft, SubContactCarrier, SubHeld,
	SubHeldForPayment, SubRefused, SubRejected, SubUndeliverable, SubUnclaimed,
	SubDamaged, SubLost, SubDisposed, SubCancelled, SubReturnToSender, SubReturned,
	SubHeldForPickup, SubCollected, SubSigned, SubLeftAtDoor, SubNeighbour,
}

// SubstatusMeaning explains a substatus in one short English sentence, for
// the tracking page ("why is it late?"). It accepts a canonical substatus or
// an AfterShip subtag code (e.g. "Exception_004"), case-insensitively, and
// returns "" for anything it does not know.
func SubstatusMeaning(code string) string {
	k := normKey(code)
	if k == "" {
		return ""
	}
	if m, ok := substatusMeanings[k]; ok {
		return m
	}
	if r, ok := aftershipSubtagIndex[k]; ok {
		return r.meaning
	}
	return ""
}

// IsReturn reports whether sub says the parcel is going (or went) back to
// the sender. The mappers always pair these substatuses with Exception, and
// the timeline relies on that pairing.
func IsReturn(sub string) bool { return sub == SubReturnToSender || sub == SubReturned }

// IsDelay reports whether sub explains a delay or a problem the shopper may
// be told about (the delay logic uses it to pick a reason).
func IsDelay(sub string) bool {
	switch sub {
	case SubCustoms, SubDocumentsReq, SubAwaitingInfo, SubDelayed, SubWeather,
		SubProcessingDelay, SubAddressIssue, SubNoAccess, SubRecipientAway,
		SubBusinessClosed, SubNoticeLeft, SubContactCarrier, SubHeld,
		SubHeldForPayment, SubRefused, SubRejected, SubUndeliverable, SubUnclaimed,
		SubDamaged, SubLost, SubDisposed, SubCancelled, SubReturnToSender, SubReturned:
		return true
	}
	return false
}

// normKey folds a raw source value into a lookup key: trimmed, lower-case,
// spaces and hyphens as underscores. Over-long input is rejected outright
// (returns "") so hostile payloads cost nothing and never match.
func normKey(s string) string {
	if len(s) > maxRawLen {
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == ' ' || c == '-':
			c = '_'
		}
		b = append(b, c)
	}
	return string(b)
}

// maxRawLen bounds the raw values we even try to look up; every documented
// value is far shorter.
const maxRawLen = 128
