package status

// EasyPost Tracker.status and status_detail, as listed in EasyPost's Tracker
// reference (docs.easypost.com/docs/trackers). The same fields appear on each
// tracking_details entry.
//
// EasyPost warns that status_detail is informational, so here it only sets
// the substatus; it never changes the status, except that a return detail
// makes the status an Exception (the rule every mapper shares, see finish).

var easypostStatuses = []rule{
	{raw: "unknown", status: Pending},
	{raw: "pre_transit", status: InfoReceived},
	{raw: "in_transit", status: InTransit},
	{raw: "out_for_delivery", status: OutForDelivery},
	{raw: "delivered", status: Delivered},
	{raw: "available_for_pickup", status: AvailableForPickup, sub: SubHeldForPickup},
	// EasyPost reports a single failed attempt as in_transit; "failure" is
	// what it says once the carrier gives up.
	{raw: "return_to_sender", status: Exception, sub: SubReturnToSender},
	{raw: "failure", status: Exception, sub: SubUndeliverable},
	{raw: "cancelled", status: Exception, sub: SubCancelled},
	// "error" is the tracker failing, not the parcel: say nothing alarming.
	{raw: "error", status: Pending, sub: SubTrackingError},
}

var easypostDetails = []rule{
	{raw: "address_correction", sub: SubAddressIssue},
	{raw: "arrived_at_destination", sub: SubArrivedAtFacility},
	{raw: "arrived_at_facility", sub: SubArrivedAtFacility},
	{raw: "arrived_at_pickup_location", sub: SubHeldForPickup},
	{raw: "awaiting_information", sub: SubAwaitingInfo},
	{raw: "cancelled", sub: SubCancelled},
	{raw: "damaged", sub: SubDamaged},
	{raw: "delayed", sub: SubDelayed},
	{raw: "delivery_exception"},
	{raw: "departed_facility", sub: SubDepartedFacility},
	{raw: "departed_origin_facility", sub: SubDepartedFacility},
	{raw: "expired"},
	{raw: "failure"},
	{raw: "held", sub: SubHeld},
	{raw: "in_transit"},
	{raw: "label_created", sub: SubLabelCreated},
	{raw: "lost", sub: SubLost},
	{raw: "missorted", sub: SubProcessingDelay},
	{raw: "out_for_delivery"},
	{raw: "received_at_destination_facility", sub: SubArrivedAtFacility},
	{raw: "received_at_origin_facility", sub: SubPickedUp},
	{raw: "refused", sub: SubRefused},
	{raw: "return", sub: SubReturnToSender},
	{raw: "status_update"},
	{raw: "transferred_to_destination_carrier", sub: SubTransferred},
	{raw: "transit_exception", sub: SubDelayed},
	{raw: "unknown"},
	{raw: "weather_delay", sub: SubWeather},
}

var (
	easypostStatusIndex = indexRules(easypostStatuses)
	easypostDetailIndex = indexRules(easypostDetails)
)

// EasyPostStatuses lists EasyPost's documented Tracker.status values.
func EasyPostStatuses() []string { return raws(easypostStatuses) }

// EasyPostStatusDetails lists EasyPost's documented status_detail values.
func EasyPostStatusDetails() []string { return raws(easypostDetails) }

// FromEasyPost maps an EasyPost status and status_detail (either may be "").
// A specific detail's substatus replaces the status's default one, except
// that the status's return and cancellation meanings are kept: they matter
// more than any detail.
func FromEasyPost(st, detail string) Mapped {
	sr, sok := easypostStatusIndex[normKey(st)]
	dr, dok := easypostDetailIndex[normKey(detail)]
	known := sok && (dok || blank(detail))

	status := UnknownStatus(st)
	if sok {
		status = sr.status
	}
	sub := sr.sub
	if dok && dr.sub != "" && sub != SubReturnToSender && sub != SubCancelled {
		sub = dr.sub
	}
	return finish(status, sub, known)
}
