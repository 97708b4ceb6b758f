package status

// 17TRACK API v2 track_info.latest_status.status and sub_status. Each
// sub_status belongs to one status (its prefix; "InfoReceived" is both).

var seventeenTrackStatuses = []rule{
	{raw: "NotFound", status: Pending, sub: SubNotFound},
	{raw: "InfoReceived", status: InfoReceived},
	{raw: "InTransit", status: InTransit},
	{raw: "Expired", status: Expired},
	{raw: "AvailableForPickup", status: AvailableForPickup, sub: SubHeldForPickup},
	{raw: "OutForDelivery", status: OutForDelivery},
	{raw: "DeliveryFailure", status: AttemptFail},
	{raw: "Delivered", status: Delivered},
	{raw: "Exception", status: Exception},
}

var seventeenTrackSubStatuses = []rule{
	{raw: "NotFound_Other", status: Pending, sub: SubNotFound},
	{raw: "NotFound_InvalidCode", status: Pending, sub: SubInvalidNumber},
	{raw: "InfoReceived", status: InfoReceived},
	{raw: "InTransit_PickedUp", status: InTransit, sub: SubPickedUp},
	{raw: "InTransit_Other", status: InTransit},
	{raw: "InTransit_Departure", status: InTransit, sub: SubDepartedFacility},
	{raw: "InTransit_Arrival", status: InTransit, sub: SubArrivedDestCountry},
	{raw: "InTransit_CustomsProcessing", status: InTransit, sub: SubCustoms},
	{raw: "InTransit_CustomsReleased", status: InTransit, sub: SubCustomsCleared},
	{raw: "InTransit_CustomsRequiringInformation", status: InTransit, sub: SubDocumentsReq},
	{raw: "Expired_Other", status: Expired},
	{raw: "AvailableForPickup_Other", status: AvailableForPickup, sub: SubHeldForPickup},
	{raw: "OutForDelivery_Other", status: OutForDelivery},
	{raw: "DeliveryFailure_Other", status: AttemptFail},
	{raw: "DeliveryFailure_NoBody", status: AttemptFail, sub: SubRecipientAway},
	{raw: "DeliveryFailure_Security", status: AttemptFail, sub: SubHeld},
	{raw: "DeliveryFailure_Rejected", status: AttemptFail, sub: SubRefused},
	{raw: "DeliveryFailure_InvalidAddress", status: AttemptFail, sub: SubAddressIssue},
	{raw: "Delivered_Other", status: Delivered},
	{raw: "Exception_Other", status: Exception},
	{raw: "Exception_Returning", status: Exception, sub: SubReturnToSender},
	{raw: "Exception_Returned", status: Exception, sub: SubReturned},
	{raw: "Exception_NoBody", status: Exception, sub: SubRecipientAway},
	{raw: "Exception_Security", status: Exception, sub: SubHeld},
	{raw: "Exception_Damage", status: Exception, sub: SubDamaged},
	{raw: "Exception_Rejected", status: Exception, sub: SubRefused},
	{raw: "Exception_Delayed", status: Exception, sub: SubDelayed},
	{raw: "Exception_Lost", status: Exception, sub: SubLost},
	{raw: "Exception_Destroyed", status: Exception, sub: SubDisposed},
	{raw: "Exception_Cancel", status: Exception, sub: SubCancelled},
}

var (
	seventeenTrackStatusIndex = indexRules(seventeenTrackStatuses)
	seventeenTrackSubIndex    = indexRules(seventeenTrackSubStatuses)
)

// SeventeenTrackStatuses lists 17TRACK's documented v2 status values.
func SeventeenTrackStatuses() []string { return raws(seventeenTrackStatuses) }

// SeventeenTrackSubStatuses lists 17TRACK's documented v2 sub_status values.
func SeventeenTrackSubStatuses() []string { return raws(seventeenTrackSubStatuses) }

// FromSeventeenTrack maps a 17TRACK v2 status and sub_status (either may be
// ""). The status decides; when it is missing or unknown, a known
// sub_status's own status decides.
func FromSeventeenTrack(st, subStatus string) Mapped {
	return lookupPair(st, subStatus, seventeenTrackStatusIndex, seventeenTrackSubIndex)
}
