package status

// Shopify fulfillment shipment_status. The REST Admin API spells the values
// in lower case; GraphQL (FulfillmentEventStatus / displayStatus) in upper
// case and adds CARRIER_PICKED_UP, DELAYED and PICKED_UP. Lookups ignore
// case, so one table serves both.

var shopifyStatuses = []rule{
	{raw: "label_printed", status: InfoReceived, sub: SubLabelCreated},
	{raw: "label_purchased", status: InfoReceived, sub: SubLabelCreated},
	{raw: "confirmed", status: InfoReceived}, // carrier knows of it, does not have it yet
	{raw: "in_transit", status: InTransit},
	{raw: "out_for_delivery", status: OutForDelivery},
	{raw: "attempted_delivery", status: AttemptFail},
	{raw: "ready_for_pickup", status: AvailableForPickup, sub: SubHeldForPickup},
	{raw: "delivered", status: Delivered},
	{raw: "failure", status: Exception, sub: SubUndeliverable},
	{raw: "CARRIER_PICKED_UP", status: InTransit, sub: SubPickedUp},
	// A delay is not a failure: still moving, with a reason.
	{raw: "DELAYED", status: InTransit, sub: SubDelayed},
	// PICKED_UP is the customer collecting it, not the carrier.
	{raw: "PICKED_UP", status: Delivered, sub: SubCollected},
}

var shopifyStatusIndex = indexRules(shopifyStatuses)

// ShopifyShipmentStatuses lists Shopify's documented shipment statuses (REST
// spellings, then the GraphQL-only ones).
func ShopifyShipmentStatuses() []string { return raws(shopifyStatuses) }

// FromShopify maps a Shopify shipment_status in either API's spelling.
func FromShopify(shipmentStatus string) Mapped {
	r, ok := shopifyStatusIndex[normKey(shipmentStatus)]
	if !ok {
		return finish(UnknownStatus(shipmentStatus), "", false)
	}
	return finish(r.status, r.sub, true)
}
