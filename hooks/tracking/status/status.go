// Package status is the single source of truth for Porchlight's canonical
// shipment statuses. They map 1:1 onto AfterShip's nine tags, which the field
// has converged on; detail lives in a free-form substatus next to them.
//
// The package is pure (no PocketBase import) so migrations, adapters and
// pages can all reference it without dragging the app in.
package status

// Status is one of the nine canonical shipment statuses.
type Status string

const (
	Pending            Status = "pending"
	InfoReceived       Status = "info_received"
	InTransit          Status = "in_transit"
	OutForDelivery     Status = "out_for_delivery"
	AttemptFail        Status = "attempt_fail"
	AvailableForPickup Status = "available_for_pickup"
	Delivered          Status = "delivered"
	Exception          Status = "exception"
	Expired            Status = "expired"
)

// All lists the canonical statuses in journey order. Migrations use it for
// the select field values, pages use it for the progress bar.
var All = []Status{
	Pending, InfoReceived, InTransit, OutForDelivery, AttemptFail,
	AvailableForPickup, Delivered, Exception, Expired,
}

// Strings returns All as plain strings (for select-field values).
func Strings() []string {
	out := make([]string, len(All))
	for i, s := range All {
		out[i] = string(s)
	}
	return out
}

// Valid reports whether s is one of the canonical statuses.
func Valid(s string) bool {
	for _, v := range All {
		if string(v) == s {
			return true
		}
	}
	return false
}

// Terminal reports whether no further carrier movement is expected.
// Delivered is terminal unless a newer return-to-sender arrives (that is an
// exception with a return substatus, handled by the state machine).
func (s Status) Terminal() bool { return s == Delivered || s == Expired }
