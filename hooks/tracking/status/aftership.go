package status

// AfterShip tags and subtags. Our nine canonical statuses are AfterShip's
// nine tags, so the tag table is 1:1; the subtag is mapped onto a canonical
// substatus where one fits, and AfterShip's meaning of every subtag is kept
// (SubstatusMeaning) because the tracking page explains delays with it.
//
// Subtags follow AfterShip's "Delivery sub-statuses" reference. Delivered_005
// and Exception_016..021 are newer additions (AfterShip announced 016..021
// for shipments tracked from 27 March 2026). Exception_014 and _015 are not
// listed: their meaning could not be confirmed, so they map as unknown
// (status Exception from the tag, Known=false) and get logged once.

var aftershipTags = []rule{
	{raw: "Pending", status: Pending},
	{raw: "InfoReceived", status: InfoReceived},
	{raw: "InTransit", status: InTransit},
	{raw: "OutForDelivery", status: OutForDelivery},
	{raw: "AttemptFail", status: AttemptFail},
	{raw: "AvailableForPickup", status: AvailableForPickup, sub: SubHeldForPickup},
	{raw: "Delivered", status: Delivered},
	{raw: "Exception", status: Exception},
	{raw: "Expired", status: Expired},
}

var aftershipSubtags = []rule{
	{raw: "Delivered_001", status: Delivered, meaning: "Delivered"},
	{raw: "Delivered_002", status: Delivered, sub: SubCollected, meaning: "Collected by the customer"},
	{raw: "Delivered_003", status: Delivered, sub: SubSigned, meaning: "Delivered and signed for by the customer"},
	{raw: "Delivered_004", status: Delivered, meaning: "Delivered; cash on delivery collected"},
	{raw: "Delivered_005", status: Delivered, sub: SubNeighbour, meaning: "Delivered to a neighbour"},

	{raw: "AvailableForPickup_001", status: AvailableForPickup, sub: SubHeldForPickup, meaning: "Waiting at a pickup point near the customer"},

	{raw: "Exception_001", status: Exception, meaning: "Delivery failed because of a shipping exception"},
	{raw: "Exception_002", status: Exception, sub: SubAddressIssue, meaning: "Delivery failed: the customer has moved"},
	{raw: "Exception_003", status: Exception, sub: SubRefused, meaning: "The recipient refused the delivery"},
	{raw: "Exception_004", status: Exception, sub: SubCustoms, meaning: "Delayed in customs clearance"},
	{raw: "Exception_005", status: Exception, sub: SubDelayed, meaning: "Delayed by circumstances outside the carrier's control"},
	{raw: "Exception_006", status: Exception, sub: SubHeldForPayment, meaning: "Held until the customer pays outstanding charges"},
	{raw: "Exception_007", status: Exception, sub: SubAddressIssue, meaning: "Not delivered: the address is incorrect"},
	{raw: "Exception_008", status: Exception, sub: SubUnclaimed, meaning: "Waited for pickup but was not collected"},
	{raw: "Exception_009", status: Exception, sub: SubRejected, meaning: "Rejected by the carrier for not meeting its rules"},
	{raw: "Exception_010", status: Exception, sub: SubReturnToSender, meaning: "On its way back to the sender"},
	{raw: "Exception_011", status: Exception, sub: SubReturned, meaning: "Returned to the sender"},
	{raw: "Exception_012", status: Exception, sub: SubDamaged, meaning: "The shipment was damaged"},
	{raw: "Exception_013", status: Exception, sub: SubLost, meaning: "Delivery failed: the shipment was lost"},
	{raw: "Exception_016", status: Exception, sub: SubProcessingDelay, meaning: "Delayed by a processing issue in the carrier network (vehicle, sorting, misroute)"},
	{raw: "Exception_017", status: Exception, sub: SubWeather, meaning: "Delayed by extreme weather"},
	{raw: "Exception_018", status: Exception, sub: SubDocumentsReq, meaning: "Held for missing or incorrect documents"},
	{raw: "Exception_019", status: Exception, sub: SubDelayed, meaning: "Delayed by a late or rescheduled flight"},
	{raw: "Exception_020", status: Exception, sub: SubCancelled, meaning: "Cancelled by the sender or the carrier"},
	{raw: "Exception_021", status: Exception, sub: SubDisposed, meaning: "Destroyed or discarded"},

	{raw: "AttemptFail_001", status: AttemptFail, meaning: "Delivery attempt failed; the carrier usually leaves a notice and tries again"},
	{raw: "AttemptFail_002", status: AttemptFail, sub: SubRecipientAway, meaning: "Delivery attempt failed: nobody was available"},
	{raw: "AttemptFail_003", status: AttemptFail, sub: SubBusinessClosed, meaning: "Delivery attempt failed: the business was closed"},

	{raw: "InTransit_001", status: InTransit, meaning: "On the way"},
	{raw: "InTransit_002", status: InTransit, sub: SubPickedUp, meaning: "Accepted by the carrier"},
	{raw: "InTransit_003", status: InTransit, sub: SubArrivedAtFacility, meaning: "Arrived at a hub or sorting centre"},
	{raw: "InTransit_004", status: InTransit, sub: SubArrivedDestCountry, meaning: "Arrived in the destination country"},
	{raw: "InTransit_005", status: InTransit, sub: SubCustomsCleared, meaning: "Customs clearance completed"},
	{raw: "InTransit_006", status: InTransit, sub: SubCustoms, meaning: "Handed to customs for clearance"},
	{raw: "InTransit_007", status: InTransit, sub: SubDepartedFacility, meaning: "Left a carrier facility"},
	{raw: "InTransit_008", status: InTransit, sub: SubProblemResolved, meaning: "An earlier problem was resolved; back on its way"},
	{raw: "InTransit_009", status: InTransit, sub: SubForwarded, meaning: "Forwarded to a different delivery address"},

	{raw: "InfoReceived_001", status: InfoReceived, meaning: "The carrier has the shipment details and will collect the parcel soon"},

	{raw: "OutForDelivery_001", status: OutForDelivery, meaning: "Out for delivery"},
	{raw: "OutForDelivery_002", status: OutForDelivery, meaning: "Out for delivery"},
	{raw: "OutForDelivery_003", status: OutForDelivery, meaning: "The carrier contacted the customer before delivery"},
	{raw: "OutForDelivery_004", status: OutForDelivery, sub: SubDeliverySched, meaning: "A delivery appointment has been scheduled"},

	{raw: "Pending_001", status: Pending, meaning: "No tracking information from the carrier yet"},
	{raw: "Pending_002", status: Pending, meaning: "Waiting for the carrier's first update"},
	{raw: "Pending_003", status: Pending, meaning: "Waiting for the carrier's first update"},
	{raw: "Pending_004", status: Pending, meaning: "Waiting for the carrier's first update"},
	{raw: "Pending_005", status: Pending, meaning: "Waiting for the carrier's first update"},
	{raw: "Pending_006", status: Pending, meaning: "Waiting for the carrier's first update"},

	{raw: "Expired_001", status: Expired, meaning: "No tracking updates for a long time; tracking has stopped"},
}

var (
	aftershipTagIndex    = indexRules(aftershipTags)
	aftershipSubtagIndex = indexRules(aftershipSubtags)
)

// AfterShipTags lists AfterShip's documented tags.
func AfterShipTags() []string { return raws(aftershipTags) }

// AfterShipSubtags lists the AfterShip subtags this table knows.
func AfterShipSubtags() []string { return raws(aftershipSubtags) }

// FromAfterShip maps an AfterShip tag and subtag (either may be ""). The tag
// decides the status; when the tag is missing or unknown, a known subtag's
// own tag (its prefix) decides.
func FromAfterShip(tag, subtag string) Mapped {
	return lookupPair(tag, subtag, aftershipTagIndex, aftershipSubtagIndex)
}
