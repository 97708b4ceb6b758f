package timeline

import "porchlight/hooks/tracking/status"

// DeriveOrder is the status of an order split into several shipments:
//
//   - exception if any shipment is in exception: the merchant must act, and
//     the shopper should hear about it, even if the other parcels arrived;
//   - delivered only when every shipment is delivered;
//   - otherwise the least advanced of the shipments still on their way
//     (pending < info_received < in_transit < out_for_delivery <
//     attempt_fail < available_for_pickup), so the order never looks further
//     along than its slowest parcel. Delivered parcels do not hold it back;
//   - expired when nothing is on its way any more but some tracking expired
//     (delivered + expired is not "delivered").
//
// A value that is not a canonical status counts as pending (least advanced,
// never alarming). No shipments at all is pending.
func DeriveOrder(shipmentStatuses []status.Status) status.Status {
	if len(shipmentStatuses) == 0 {
		return status.Pending
	}
	var (
		least    status.Status
		leastPos = -1
		expired  bool
	)
	for _, s := range shipmentStatuses {
		if !status.Valid(string(s)) {
			s = status.Pending
		}
		switch s {
		case status.Exception:
			return status.Exception
		case status.Delivered:
			continue
		case status.Expired:
			expired = true
			continue
		}
		if p := progress(s); leastPos < 0 || p < leastPos {
			least, leastPos = s, p
		}
	}
	switch {
	case leastPos >= 0:
		return least
	case expired:
		return status.Expired
	}
	return status.Delivered
}

// progress orders the statuses of a parcel still on its way.
func progress(s status.Status) int {
	switch s {
	case status.Pending:
		return 0
	case status.InfoReceived:
		return 1
	case status.InTransit:
		return 2
	case status.OutForDelivery:
		return 3
	case status.AttemptFail:
		return 4
	case status.AvailableForPickup:
		return 5
	}
	return 0
}
