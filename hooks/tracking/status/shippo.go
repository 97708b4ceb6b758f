package status

// Shippo tracking_status.status and tracking_status.substatus.code.
//
// Shippo's substatus codes are more specific than its five statuses, so a
// code may move the status: TRANSIT+out_for_delivery is out for delivery,
// TRANSIT+delivery_attempted is a failed attempt, TRANSIT+pickup_available is
// available for pickup, and codes that need the merchant's attention
// (address_issue, package_damaged, lost, ...) are exceptions. A code only
// moves a status that is still in flight (UNKNOWN, PRE_TRANSIT, TRANSIT), and
// only forwards: a stray PRE_TRANSIT code on a TRANSIT status, or any code
// on DELIVERED, RETURNED or FAILURE, keeps Shippo's status.

var shippoStatuses = []rule{
	{raw: "PRE_TRANSIT", status: InfoReceived},
	{raw: "TRANSIT", status: InTransit},
	{raw: "DELIVERED", status: Delivered},
	{raw: "RETURNED", status: Exception, sub: SubReturnToSender},
	{raw: "FAILURE", status: Exception, sub: SubUndeliverable},
	{raw: "UNKNOWN", status: Pending},
}

// Detail rows: status is the status the code implies ("" = keep Shippo's).
var shippoSubstatuses = []rule{
	{raw: "information_received", status: InfoReceived},
	{raw: "address_issue", status: Exception, sub: SubAddressIssue},
	{raw: "contact_carrier", sub: SubContactCarrier},
	{raw: "delayed", sub: SubDelayed},
	{raw: "delivery_attempted", status: AttemptFail},
	{raw: "delivery_rescheduled", sub: SubDeliverySched},
	{raw: "location_inaccessible", status: AttemptFail, sub: SubNoAccess},
	{raw: "notice_left", status: AttemptFail, sub: SubNoticeLeft},
	{raw: "out_for_delivery", status: OutForDelivery},
	{raw: "package_accepted", status: InTransit, sub: SubPickedUp},
	{raw: "package_arrived", status: InTransit, sub: SubArrivedAtFacility},
	{raw: "package_damaged", status: Exception, sub: SubDamaged},
	{raw: "package_departed", status: InTransit, sub: SubDepartedFacility},
	{raw: "package_forwarded", status: InTransit, sub: SubForwarded},
	{raw: "package_held", sub: SubHeld},
	{raw: "package_processed", status: InTransit},
	{raw: "package_processing", status: InTransit},
	{raw: "pickup_available", status: AvailableForPickup, sub: SubHeldForPickup},
	{raw: "reschedule_delivery", sub: SubDeliverySched},
	{raw: "return_to_sender", status: Exception, sub: SubReturnToSender},
	{raw: "package_unclaimed", status: Exception, sub: SubUnclaimed},
	{raw: "package_undeliverable", status: Exception, sub: SubUndeliverable},
	{raw: "package_disposed", status: Exception, sub: SubDisposed},
	{raw: "package_lost", status: Exception, sub: SubLost},
	{raw: "delivered", status: Delivered},
	{raw: "other"},
}

var (
	shippoStatusIndex    = indexRules(shippoStatuses)
	shippoSubstatusIndex = indexRules(shippoSubstatuses)
)

// ShippoStatuses lists Shippo's documented tracking_status.status values.
func ShippoStatuses() []string { return raws(shippoStatuses) }

// ShippoSubstatuses lists Shippo's documented substatus.code values.
func ShippoSubstatuses() []string { return raws(shippoSubstatuses) }

// FromShippo maps a Shippo status and substatus code (either may be "").
// On RETURNED the return meaning is kept over the code's substatus (an
// unclaimed parcel going back is, first of all, going back).
func FromShippo(st, code string) Mapped {
	sr, sok := shippoStatusIndex[normKey(st)]
	cr, cok := shippoSubstatusIndex[normKey(code)]
	known := (sok || blank(st)) && (cok || blank(code)) && (sok || cok)

	status := UnknownStatus(st)
	if sok {
		status = sr.status
	}
	if cok && cr.status != "" && movesForward(status, cr.status) {
		status = cr.status
	}
	sub := sr.sub
	if cok && cr.sub != "" && sub != SubReturnToSender {
		sub = cr.sub
	}
	return finish(status, sub, known)
}

// movesForward reports whether a substatus code may replace base with to:
// only statuses still in flight move, only forwards, and anything past
// InTransit (including an exception) counts as forward from them.
func movesForward(base, to Status) bool {
	b, ok := flightRank(base)
	if !ok {
		return false
	}
	if t, pre := flightRank(to); pre {
		return t > b
	}
	return true
}

// flightRank orders the statuses a Shippo code may still move.
func flightRank(s Status) (int, bool) {
	switch s {
	case Pending:
		return 0, true
	case InfoReceived:
		return 1, true
	case InTransit:
		return 2, true
	}
	return 0, false
}
