package carriers

import (
	"errors"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"120", 2 * time.Minute}, {" 5 ", 5 * time.Second}, {"-3", 0}, {"soon", 0},
		{"Sun, 22 Nov 2026 10:01:30 GMT", 90 * time.Second},
		{"Sun, 22 Nov 2026 09:00:00 GMT", 0}, // in the past
	}
	for _, c := range cases {
		if got := ParseRetryAfter(c.in, now); got != c.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	ok := map[string]time.Time{
		"2026-11-20T14:48:00Z":          time.Date(2026, 11, 20, 14, 48, 0, 0, time.UTC),
		"2026-11-20T09:30:00-06:00":     time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC),
		"2026-11-20T14:48:00.123+00:00": time.Date(2026, 11, 20, 14, 48, 0, 123e6, time.UTC),
		"2026-11-21T22:15:00":           time.Date(2026, 11, 21, 22, 15, 0, 0, time.UTC),
		"2026-11-21 22:15:00":           time.Date(2026, 11, 21, 22, 15, 0, 0, time.UTC),
	}
	for in, want := range ok {
		got, err := ParseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "2026-13-45T00:00:00Z", "0001-01-01T00:00:00Z", "<script>alert(1)</script>", "2026-11-20T14:48:00Z\x00"} {
		if _, err := ParseTime(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseTime(%q) err = %v, want ErrMalformed", in, err)
		}
	}
	if d, err := ParseDate("2026-11-27"); err != nil || !d.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDate = %v, %v", d, err)
	}
	if d, err := ParseDate("2026-11-25T00:00:00+01:00"); err != nil || !d.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		// A local midnight names that local day, not the UTC day before.
		t.Errorf("ParseDate offset = %v, %v", d, err)
	}
	if _, err := ParseDate("next week"); !errors.Is(err, ErrMalformed) {
		t.Errorf("ParseDate junk err = %v", err)
	}
}
