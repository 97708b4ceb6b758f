package status

import "testing"

func TestShippoStatuses(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
		sub  string
	}{
		{"PRE_TRANSIT", InfoReceived, ""},
		{"TRANSIT", InTransit, ""},
		{"DELIVERED", Delivered, ""},
		{"RETURNED", Exception, SubReturnToSender},
		{"FAILURE", Exception, SubUndeliverable},
		{"UNKNOWN", Pending, ""},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.raw)
		got := FromShippo(tt.raw, "")
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromShippo(%q) = %+v, want %s/%q known", tt.raw, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.raw, got)
	}
	coversExactly(t, ShippoStatuses(), tested)
}

// Every documented code on a TRANSIT status, where codes may move it.
func TestShippoSubstatusesOnTransit(t *testing.T) {
	tests := []struct {
		code string
		want Status
		sub  string
	}{
		{"information_received", InTransit, ""}, // never backwards
		{"address_issue", Exception, SubAddressIssue},
		{"contact_carrier", InTransit, SubContactCarrier},
		{"delayed", InTransit, SubDelayed},
		{"delivery_attempted", AttemptFail, ""},
		{"delivery_rescheduled", InTransit, SubDeliverySched},
		{"location_inaccessible", AttemptFail, SubNoAccess},
		{"notice_left", AttemptFail, SubNoticeLeft},
		{"out_for_delivery", OutForDelivery, ""},
		{"package_accepted", InTransit, SubPickedUp},
		{"package_arrived", InTransit, SubArrivedAtFacility},
		{"package_damaged", Exception, SubDamaged},
		{"package_departed", InTransit, SubDepartedFacility},
		{"package_forwarded", InTransit, SubForwarded},
		{"package_held", InTransit, SubHeld},
		{"package_processed", InTransit, ""},
		{"package_processing", InTransit, ""},
		{"pickup_available", AvailableForPickup, SubHeldForPickup},
		{"reschedule_delivery", InTransit, SubDeliverySched},
		{"return_to_sender", Exception, SubReturnToSender},
		{"package_unclaimed", Exception, SubUnclaimed},
		{"package_undeliverable", Exception, SubUndeliverable},
		{"package_disposed", Exception, SubDisposed},
		{"package_lost", Exception, SubLost},
		{"delivered", Delivered, ""},
		{"other", InTransit, ""},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.code)
		got := FromShippo("TRANSIT", tt.code)
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromShippo(TRANSIT, %q) = %+v, want %s/%q known", tt.code, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.code, got)
	}
	coversExactly(t, ShippoSubstatuses(), tested)
}

func TestShippoCombinations(t *testing.T) {
	tests := []struct {
		st, code string
		want     Mapped
	}{
		{"PRE_TRANSIT", "information_received", Mapped{InfoReceived, "", true}},
		{"PRE_TRANSIT", "package_accepted", Mapped{InTransit, SubPickedUp, true}},
		{"UNKNOWN", "information_received", Mapped{InfoReceived, "", true}},
		{"UNKNOWN", "out_for_delivery", Mapped{OutForDelivery, "", true}},
		// Codes never move a finished status.
		{"DELIVERED", "delivered", Mapped{Delivered, "", true}},
		{"DELIVERED", "package_arrived", Mapped{Delivered, SubArrivedAtFacility, true}},
		{"DELIVERED", "out_for_delivery", Mapped{Delivered, "", true}},
		{"FAILURE", "package_lost", Mapped{Exception, SubLost, true}},
		{"FAILURE", "package_disposed", Mapped{Exception, SubDisposed, true}},
		{"FAILURE", "package_undeliverable", Mapped{Exception, SubUndeliverable, true}},
		{"FAILURE", "out_for_delivery", Mapped{Exception, SubUndeliverable, true}},
		// RETURNED keeps its return meaning over the reason.
		{"RETURNED", "return_to_sender", Mapped{Exception, SubReturnToSender, true}},
		{"RETURNED", "package_unclaimed", Mapped{Exception, SubReturnToSender, true}},
		{"RETURNED", "delivered", Mapped{Exception, SubReturnToSender, true}},
		// Missing status, known code: the code decides, still Known.
		{"", "package_lost", Mapped{Exception, SubLost, true}},
		{"", "delivery_attempted", Mapped{AttemptFail, "", true}},
		// Unknown parts.
		{"TRANSIT", "teleported", Mapped{InTransit, "", false}},
		{"TELEPORTED", "out_for_delivery", Mapped{OutForDelivery, "", false}},
		{"PRE_LABEL_NEW", "", Mapped{Pending, "", false}},
		// Case and whitespace.
		{" transit ", " Out_For_Delivery ", Mapped{OutForDelivery, "", true}},
		{"delivered", "", Mapped{Delivered, "", true}},
		{"Pre-Transit", "", Mapped{InfoReceived, "", true}},
	}
	for _, tt := range tests {
		if got := FromShippo(tt.st, tt.code); got != tt.want {
			t.Errorf("FromShippo(%q, %q) = %+v, want %+v", tt.st, tt.code, got, tt.want)
		}
	}
}
