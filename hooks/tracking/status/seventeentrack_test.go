package status

import (
	"strings"
	"testing"
)

func TestSeventeenTrackStatuses(t *testing.T) {
	tests := []struct {
		raw  string
		want Status
		sub  string
	}{
		{"NotFound", Pending, SubNotFound},
		{"InfoReceived", InfoReceived, ""},
		{"InTransit", InTransit, ""},
		{"Expired", Expired, ""},
		{"AvailableForPickup", AvailableForPickup, SubHeldForPickup},
		{"OutForDelivery", OutForDelivery, ""},
		{"DeliveryFailure", AttemptFail, ""},
		{"Delivered", Delivered, ""},
		{"Exception", Exception, ""},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.raw)
		got := FromSeventeenTrack(tt.raw, "")
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromSeventeenTrack(%q) = %+v, want %s/%q known", tt.raw, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.raw, got)
	}
	coversExactly(t, SeventeenTrackStatuses(), tested)
}

func TestSeventeenTrackSubStatuses(t *testing.T) {
	tests := []struct {
		subStatus string
		want      Status
		sub       string
	}{
		{"NotFound_Other", Pending, SubNotFound},
		{"NotFound_InvalidCode", Pending, SubInvalidNumber},
		{"InfoReceived", InfoReceived, ""},
		{"InTransit_PickedUp", InTransit, SubPickedUp},
		{"InTransit_Other", InTransit, ""},
		{"InTransit_Departure", InTransit, SubDepartedFacility},
		{"InTransit_Arrival", InTransit, SubArrivedDestCountry},
		{"InTransit_CustomsProcessing", InTransit, SubCustoms},
		{"InTransit_CustomsReleased", InTransit, SubCustomsCleared},
		{"InTransit_CustomsRequiringInformation", InTransit, SubDocumentsReq},
		{"Expired_Other", Expired, ""},
		{"AvailableForPickup_Other", AvailableForPickup, SubHeldForPickup},
		{"OutForDelivery_Other", OutForDelivery, ""},
		{"DeliveryFailure_Other", AttemptFail, ""},
		{"DeliveryFailure_NoBody", AttemptFail, SubRecipientAway},
		{"DeliveryFailure_Security", AttemptFail, SubHeld},
		{"DeliveryFailure_Rejected", AttemptFail, SubRefused},
		{"DeliveryFailure_InvalidAddress", AttemptFail, SubAddressIssue},
		{"Delivered_Other", Delivered, ""},
		{"Exception_Other", Exception, ""},
		{"Exception_Returning", Exception, SubReturnToSender},
		{"Exception_Returned", Exception, SubReturned},
		{"Exception_NoBody", Exception, SubRecipientAway},
		{"Exception_Security", Exception, SubHeld},
		{"Exception_Damage", Exception, SubDamaged},
		{"Exception_Rejected", Exception, SubRefused},
		{"Exception_Delayed", Exception, SubDelayed},
		{"Exception_Lost", Exception, SubLost},
		{"Exception_Destroyed", Exception, SubDisposed},
		{"Exception_Cancel", Exception, SubCancelled},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.subStatus)
		st := tt.subStatus
		if i := strings.IndexByte(st, '_'); i > 0 {
			st = st[:i]
		}
		got := FromSeventeenTrack(st, tt.subStatus)
		if got != (Mapped{tt.want, tt.sub, true}) {
			t.Errorf("FromSeventeenTrack(%q, %q) = %+v, want %s/%q known", st, tt.subStatus, got, tt.want, tt.sub)
		}
		checkCanonical(t, tt.subStatus, got)
		if alone := FromSeventeenTrack("", tt.subStatus); alone != got {
			t.Errorf("FromSeventeenTrack(\"\", %q) = %+v, want %+v", tt.subStatus, alone, got)
		}
	}
	coversExactly(t, SeventeenTrackSubStatuses(), tested)
}

func TestSeventeenTrackCombinations(t *testing.T) {
	tests := []struct {
		st, sub string
		want    Mapped
	}{
		{"InTransit", "InTransit_Teleported", Mapped{InTransit, "", false}},
		{"Teleported", "Exception_Lost", Mapped{Exception, SubLost, false}},
		{"Delivered", "Exception_Returned", Mapped{Exception, SubReturned, true}},
		{"  intransit", "intransit_customsprocessing  ", Mapped{InTransit, SubCustoms, true}},
		{"NOTFOUND", "", Mapped{Pending, SubNotFound, true}},
	}
	for _, tt := range tests {
		if got := FromSeventeenTrack(tt.st, tt.sub); got != tt.want {
			t.Errorf("FromSeventeenTrack(%q, %q) = %+v, want %+v", tt.st, tt.sub, got, tt.want)
		}
	}
}
