package status

import "testing"

func TestEasyPostStatuses(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
		sub  string
	}{
		{"unknown", Pending, ""},
		{"pre_transit", InfoReceived, ""},
		{"in_transit", InTransit, ""},
		{"out_for_delivery", OutForDelivery, ""},
		{"delivered", Delivered, ""},
		{"available_for_pickup", AvailableForPickup, SubHeldForPickup},
		{"return_to_sender", Exception, SubReturnToSender},
		{"failure", Exception, SubUndeliverable},
		{"cancelled", Exception, SubCancelled},
		{"error", Pending, SubTrackingError},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.raw)
		got := FromEasyPost(tt.raw, "")
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromEasyPost(%q) = %+v, want %s/%q known", tt.raw, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.raw, got)
	}
	coversExactly(t, EasyPostStatuses(), tested)
}

func TestEasyPostStatusDetails(t *testing.T) {
	tests := []struct {
		detail string
		want   Status // with status in_transit
		sub    string
	}{
		{"address_correction", InTransit, SubAddressIssue},
		{"arrived_at_destination", InTransit, SubArrivedAtFacility},
		{"arrived_at_facility", InTransit, SubArrivedAtFacility},
		{"arrived_at_pickup_location", InTransit, SubHeldForPickup},
		{"awaiting_information", InTransit, SubAwaitingInfo},
		{"cancelled", InTransit, SubCancelled},
		{"damaged", InTransit, SubDamaged},
		{"delayed", InTransit, SubDelayed},
		{"delivery_exception", InTransit, ""},
		{"departed_facility", InTransit, SubDepartedFacility},
		{"departed_origin_facility", InTransit, SubDepartedFacility},
		{"expired", InTransit, ""},
		{"failure", InTransit, ""},
		{"held", InTransit, SubHeld},
		{"in_transit", InTransit, ""},
		{"label_created", InTransit, SubLabelCreated},
		{"lost", InTransit, SubLost},
		{"missorted", InTransit, SubProcessingDelay},
		{"out_for_delivery", InTransit, ""},
		{"received_at_destination_facility", InTransit, SubArrivedAtFacility},
		{"received_at_origin_facility", InTransit, SubPickedUp},
		{"refused", InTransit, SubRefused},
		{"return", Exception, SubReturnToSender}, // a return is always an exception
		{"status_update", InTransit, ""},
		{"transferred_to_destination_carrier", InTransit, SubTransferred},
		{"transit_exception", InTransit, SubDelayed},
		{"unknown", InTransit, ""},
		{"weather_delay", InTransit, SubWeather},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.detail)
		got := FromEasyPost("in_transit", tt.detail)
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromEasyPost(in_transit, %q) = %+v, want %s/%q known", tt.detail, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.detail, got)
	}
	coversExactly(t, EasyPostStatusDetails(), tested)
}

func TestEasyPostCombinations(t *testing.T) {
	tests := []struct {
		st, detail string
		want       Mapped
	}{
		// The detail never changes EasyPost's status...
		{"pre_transit", "label_created", Mapped{InfoReceived, SubLabelCreated, true}},
		{"delivered", "arrived_at_facility", Mapped{Delivered, SubArrivedAtFacility, true}},
		{"out_for_delivery", "weather_delay", Mapped{OutForDelivery, SubWeather, true}},
		// ...but the status's return meaning beats the detail's.
		{"return_to_sender", "refused", Mapped{Exception, SubReturnToSender, true}},
		{"cancelled", "damaged", Mapped{Exception, SubCancelled, true}},
		{"failure", "lost", Mapped{Exception, SubLost, true}},
		{"available_for_pickup", "arrived_at_pickup_location", Mapped{AvailableForPickup, SubHeldForPickup, true}},
		// Delivered with a return detail is delivered back to the sender.
		{"delivered", "return", Mapped{Exception, SubReturned, true}},
		// Unknown detail on a known status: status kept, Known false.
		{"in_transit", "teleported", Mapped{InTransit, "", false}},
		{"delivered", "teleported", Mapped{Delivered, "", false}},
		// Unknown status with a known detail: safe default, detail kept.
		{"teleported", "weather_delay", Mapped{InTransit, SubWeather, false}},
		{"", "label_created", Mapped{Pending, SubLabelCreated, false}},
		// Case and whitespace.
		{"  DELIVERED ", "", Mapped{Delivered, "", true}},
		{"Out-For-Delivery", "Weather Delay", Mapped{OutForDelivery, SubWeather, true}},
		{"IN_TRANSIT", "\tARRIVED_AT_FACILITY\n", Mapped{InTransit, SubArrivedAtFacility, true}},
	}
	for _, tt := range tests {
		if got := FromEasyPost(tt.st, tt.detail); got != tt.want {
			t.Errorf("FromEasyPost(%q, %q) = %+v, want %+v", tt.st, tt.detail, got, tt.want)
		}
	}
}
