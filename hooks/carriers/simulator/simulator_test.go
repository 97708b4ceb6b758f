package simulator

import (
	"testing"
	"time"

	"porchlight/hooks/tracking/status"
)

func TestScansAtFollowsTheScript(t *testing.T) {
	shipped := time.Date(2026, 10, 5, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		journey string
		after   time.Duration
		want    status.Status
		n       int
	}{
		{OnTime, 0, status.InfoReceived, 1},
		{OnTime, 10 * time.Hour, status.InTransit, 2},
		{OnTime, 64 * time.Hour, status.OutForDelivery, 5},
		{OnTime, 30 * 24 * time.Hour, status.Delivered, 6},
		{ExceptionRecovered, 41 * time.Hour, status.Exception, 3},
		{ExceptionRecovered, 77 * time.Hour, status.InTransit, 4},
		{ReturnedToSender, 200 * time.Hour, status.Exception, 7},
		{PrematureDelivered, 34 * time.Hour, status.Delivered, 4},
		{Stalled, 40 * 24 * time.Hour, status.InTransit, 3},
		{Pickup, 61 * time.Hour, status.AvailableForPickup, 4},
	}
	for _, c := range cases {
		scans, err := ScansAt(c.journey, shipped, shipped.Add(c.after), "Austin, TX, US")
		if err != nil {
			t.Fatal(err)
		}
		if len(scans) != c.n || scans[len(scans)-1].Status != c.want {
			t.Errorf("%s after %v: %d scans ending %v, want %d ending %v", c.journey, c.after, len(scans), scans[len(scans)-1].Status, c.n, c.want)
		}
	}
}

func TestEveryJourneyIsWellFormed(t *testing.T) {
	for _, j := range Journeys {
		steps, err := Script(j)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(steps); i++ {
			if steps[i].After <= steps[i-1].After {
				t.Errorf("%s: step %d is not after step %d", j, i, i-1)
			}
		}
		for _, s := range steps {
			if !status.Valid(string(s.Status)) {
				t.Errorf("%s: invalid status %q", j, s.Status)
			}
		}
	}
	if _, err := ScansAt("teleport", time.Now(), time.Now(), ""); err == nil {
		t.Fatal("unknown journey accepted")
	}
}
