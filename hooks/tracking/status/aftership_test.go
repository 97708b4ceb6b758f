package status

import (
	"strings"
	"testing"
)

func TestAfterShipTags(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
		sub  string
	}{
		{"Pending", Pending, ""},
		{"InfoReceived", InfoReceived, ""},
		{"InTransit", InTransit, ""},
		{"OutForDelivery", OutForDelivery, ""},
		{"AttemptFail", AttemptFail, ""},
		{"AvailableForPickup", AvailableForPickup, SubHeldForPickup},
		{"Delivered", Delivered, ""},
		{"Exception", Exception, ""},
		{"Expired", Expired, ""},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.raw)
		got := FromAfterShip(tt.raw, "")
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromAfterShip(%q) = %+v, want %s/%q known", tt.raw, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.raw, got)
	}
	coversExactly(t, AfterShipTags(), tested)
	// The tags are our canonical statuses, one for one.
	if len(tests) != len(All) {
		t.Errorf("%d tags for %d canonical statuses", len(tests), len(All))
	}
}

func TestAfterShipSubtags(t *testing.T) {
	tests := []struct {
		subtag string
		want   Status
		sub    string
	}{
		{"Delivered_001", Delivered, ""},
		{"Delivered_002", Delivered, SubCollected},
		{"Delivered_003", Delivered, SubSigned},
		{"Delivered_004", Delivered, ""},
		{"Delivered_005", Delivered, SubNeighbour},
		{"AvailableForPickup_001", AvailableForPickup, SubHeldForPickup},
		{"Exception_001", Exception, ""},
		{"Exception_002", Exception, SubAddressIssue},
		{"Exception_003", Exception, SubRefused},
		{"Exception_004", Exception, SubCustoms},
		{"Exception_005", Exception, SubDelayed},
		{"Exception_006", Exception, SubHeldForPayment},
		{"Exception_007", Exception, SubAddressIssue},
		{"Exception_008", Exception, SubUnclaimed},
		{"Exception_009", Exception, SubRejected},
		{"Exception_010", Exception, SubReturnToSender},
		{"Exception_011", Exception, SubReturned},
		{"Exception_012", Exception, SubDamaged},
		{"Exception_013", Exception, SubLost},
		{"Exception_016", Exception, SubProcessingDelay},
		{"Exception_017", Exception, SubWeather},
		{"Exception_018", Exception, SubDocumentsReq},
		{"Exception_019", Exception, SubDelayed},
		{"Exception_020", Exception, SubCancelled},
		{"Exception_021", Exception, SubDisposed},
		{"AttemptFail_001", AttemptFail, ""},
		{"AttemptFail_002", AttemptFail, SubRecipientAway},
		{"AttemptFail_003", AttemptFail, SubBusinessClosed},
		{"InTransit_001", InTransit, ""},
		{"InTransit_002", InTransit, SubPickedUp},
		{"InTransit_003", InTransit, SubArrivedAtFacility},
		{"InTransit_004", InTransit, SubArrivedDestCountry},
		{"InTransit_005", InTransit, SubCustomsCleared},
		{"InTransit_006", InTransit, SubCustoms},
		{"InTransit_007", InTransit, SubDepartedFacility},
		{"InTransit_008", InTransit, SubProblemResolved},
		{"InTransit_009", InTransit, SubForwarded},
		{"InfoReceived_001", InfoReceived, ""},
		{"OutForDelivery_001", OutForDelivery, ""},
		{"OutForDelivery_002", OutForDelivery, ""},
		{"OutForDelivery_003", OutForDelivery, ""},
		{"OutForDelivery_004", OutForDelivery, SubDeliverySched},
		{"Pending_001", Pending, ""},
		{"Pending_002", Pending, ""},
		{"Pending_003", Pending, ""},
		{"Pending_004", Pending, ""},
		{"Pending_005", Pending, ""},
		{"Pending_006", Pending, ""},
		{"Expired_001", Expired, ""},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.subtag)
		tag := tt.subtag[:strings.IndexByte(tt.subtag, '_')]
		got := FromAfterShip(tag, tt.subtag)
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromAfterShip(%q, %q) = %+v, want %s/%q known", tag, tt.subtag, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.subtag, got)
		// Without the tag the subtag's own prefix decides.
		if alone := FromAfterShip("", tt.subtag); alone != got {
			t.Errorf("FromAfterShip(\"\", %q) = %+v, want %+v", tt.subtag, alone, got)
		}
		if SubstatusMeaning(tt.subtag) == "" {
			t.Errorf("subtag %q has no meaning", tt.subtag)
		}
	}
	coversExactly(t, AfterShipSubtags(), tested)
}

func TestAfterShipCombinations(t *testing.T) {
	tests := []struct {
		tag, subtag string
		want        Mapped
	}{
		// Unconfirmed subtags: status from the tag, reported unknown.
		{"Exception", "Exception_014", Mapped{Exception, "", false}},
		{"Exception", "Exception_015", Mapped{Exception, "", false}},
		{"Delivered", "Delivered_099", Mapped{Delivered, "", false}},
		// Unknown tag, known subtag: the subtag's tag decides.
		{"Teleported", "InTransit_004", Mapped{InTransit, SubArrivedDestCountry, false}},
		// Unknown everything: safe default.
		{"Teleported", "Teleported_001", Mapped{InTransit, "", false}},
		// A tag and subtag that disagree: the tag decides the status, a
		// return detail still makes it a return.
		{"InTransit", "Exception_004", Mapped{InTransit, SubCustoms, true}},
		{"Delivered", "Exception_011", Mapped{Exception, SubReturned, true}},
		{"Delivered", "Exception_010", Mapped{Exception, SubReturned, true}},
		// Case and whitespace.
		{" intransit ", "INTRANSIT_007", Mapped{InTransit, SubDepartedFacility, true}},
		{"EXCEPTION", " exception_017\n", Mapped{Exception, SubWeather, true}},
	}
	for _, tt := range tests {
		if got := FromAfterShip(tt.tag, tt.subtag); got != tt.want {
			t.Errorf("FromAfterShip(%q, %q) = %+v, want %+v", tt.tag, tt.subtag, got, tt.want)
		}
	}
}
