package status

import (
	"strings"
	"testing"
)

func TestShopifyShipmentStatuses(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
		sub  string
	}{
		{"label_printed", InfoReceived, SubLabelCreated},
		{"label_purchased", InfoReceived, SubLabelCreated},
		{"confirmed", InfoReceived, ""},
		{"in_transit", InTransit, ""},
		{"out_for_delivery", OutForDelivery, ""},
		{"attempted_delivery", AttemptFail, ""},
		{"ready_for_pickup", AvailableForPickup, SubHeldForPickup},
		{"delivered", Delivered, ""},
		{"failure", Exception, SubUndeliverable},
		{"CARRIER_PICKED_UP", InTransit, SubPickedUp},
		{"DELAYED", InTransit, SubDelayed},
		{"PICKED_UP", Delivered, SubCollected},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.raw)
		want := Mapped{tt.want, tt.sub, true}
		// REST and GraphQL spell the same value in different cases.
		for _, v := range []string{tt.raw, strings.ToUpper(tt.raw), strings.ToLower(tt.raw), " " + tt.raw + "\n"} {
			got := FromShopify(v)
			if got != want {
				t.Errorf("FromShopify(%q) = %+v, want %+v", v, got, want)
			}
			checkCanonical(t, v, got)
		}
	}
	coversExactly(t, ShopifyShipmentStatuses(), tested)
}

func TestShopifyUnknown(t *testing.T) {
	tests := []struct {
		in   string
		want Mapped
	}{
		{"", Mapped{Pending, "", false}},
		{"LABEL_VOIDED", Mapped{Pending, "", false}},
		{"AT_CUSTOMS", Mapped{InTransit, "", false}},
	}
	for _, tt := range tests {
		if got := FromShopify(tt.in); got != tt.want {
			t.Errorf("FromShopify(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
