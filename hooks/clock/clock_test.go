package clock

import (
	"testing"
	"time"
)

func TestFixedAdvance(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewFixed(start)
	c.Advance(36 * time.Hour)
	if got, want := c.Now(), start.Add(36*time.Hour); !got.Equal(want) {
		t.Fatalf("Now() = %v, want %v", got, want)
	}
}

func TestAcceleratedRunsFactorTimesFaster(t *testing.T) {
	wall := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := wall
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	c := newAccelerated(start, 1440, func() time.Time { return now })
	now = now.Add(time.Minute)
	if got, want := c.Now(), start.Add(24*time.Hour); !got.Equal(want) {
		t.Fatalf("after one real minute Now() = %v, want %v", got, want)
	}
}

func TestLocationIsRememberedAndRefusesUnknownNames(t *testing.T) {
	a, err := Location("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Location("Europe/Berlin")
	if a != b {
		t.Fatal("loaded twice")
	}
	if _, err := Location("Mars/Olympus_Mons"); err == nil {
		t.Fatal("unknown zone accepted")
	}
	if _, ok := zones.Load("Mars/Olympus_Mons"); ok {
		t.Fatal("unknown zone remembered")
	}
}
