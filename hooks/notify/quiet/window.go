// Package quiet decides when a non-urgent SMS may go out: inside a daily
// window of the recipient's local time (US federal practice 08:00–21:00,
// Florida and Oklahoma 08:00–20:00), and in which time zone "local" is.
//
// It is pure Go and takes the current instant as an argument; the outbox
// stores the returned instant as the message's due time.
package quiet

import (
	"fmt"
	"strings"
	"time"

	// Embed the IANA database so zone look-ups work on hosts without
	// /usr/share/zoneinfo (scratch containers, fresh CI images).
	_ "time/tzdata"
)

const minutesPerDay = 24 * 60

// Window is the part of the local day in which messages may be sent, in
// minutes after local midnight on the wall clock: [Start, End). Start > End
// wraps past midnight (e.g. 22:00–06:00); Start == End means the whole day.
// End may be 1440 (until midnight).
type Window struct {
	Start, End int
}

// DefaultWindow is the US federal calling window, 08:00–21:00.
func DefaultWindow() Window { return Window{Start: 8 * 60, End: 21 * 60} }

// Validate reports a window whose bounds are outside the day.
func (w Window) Validate() error {
	if w.Start < 0 || w.Start > minutesPerDay || w.End < 0 || w.End > minutesPerDay {
		return fmt.Errorf("quiet window %d–%d: minutes must be within 0–%d", w.Start, w.End, minutesPerDay)
	}
	return nil
}

func (w Window) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

func (w Window) clamped() Window {
	clamp := func(m int) int { return min(max(m, 0), minutesPerDay) }
	return Window{Start: clamp(w.Start), End: clamp(w.End)}
}

// contains reports whether a wall-clock second of the day is inside.
func (w Window) contains(sec int) bool {
	start, end := w.Start*60, w.End*60
	switch {
	case start == end:
		return true
	case start < end:
		return start <= sec && sec < end
	default:
		return sec >= start || sec < end
	}
}

// Policy is the configurable set of windows: a default plus overrides keyed
// by ISO country ("US") or country-region ("US-FL"). The most specific key wins.
type Policy struct {
	Default   Window
	Overrides map[string]Window
}

// DefaultPolicy is 08:00–21:00 everywhere, 08:00–20:00 in Florida and
// Oklahoma (their mini-TCPA laws). Each call returns a fresh map.
func DefaultPolicy() Policy {
	return Policy{
		Default: DefaultWindow(),
		Overrides: map[string]Window{
			"US-FL": {Start: 8 * 60, End: 20 * 60},
			"US-OK": {Start: 8 * 60, End: 20 * 60},
		},
	}
}

// Validate checks every window of the policy, for use at start-up.
func (p Policy) Validate() error {
	if err := p.Default.Validate(); err != nil {
		return fmt.Errorf("default: %w", err)
	}
	for k, w := range p.Overrides {
		if err := w.Validate(); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// Window returns the window for a recipient address. region may be a code
// ("FL"), a subdivision code ("US-FL") or, for the US, Canada and Australia,
// a name ("Florida"). A zero Default means DefaultWindow.
func (p Policy) Window(country, region string) Window {
	c := strings.ToUpper(strings.TrimSpace(country))
	r := normaliseRegion(c, region)
	if w, ok := p.Overrides[c+"-"+r]; ok && r != "" {
		return w
	}
	if w, ok := p.Overrides[c]; ok && c != "" {
		return w
	}
	if p.Default == (Window{}) {
		return DefaultWindow()
	}
	return p.Default
}

// NextAllowed returns now when now is inside w in loc, otherwise the next
// instant the window opens there (expressed in loc).
//
// The window is read on the local wall clock, so DST is handled as a person
// would expect: on a spring-forward day the window still opens at 08:00 local
// (one real hour earlier than the day before); an opening time that falls in
// the skipped hour opens at the transition; on a fall-back day a repeated
// hour is outside or inside the window each time the clock shows it. A nil
// loc means UTC; out-of-range bounds are clamped to the day.
func NextAllowed(now time.Time, loc *time.Location, w Window) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	w = w.clamped()
	t := now
	// Within one zone segment (constant UTC offset) wall time is linear, so
	// the answer is either in this segment or at/after its end. Zones change
	// offset at most a few times a year, so this loop ends in two or three
	// rounds; the bound only guards against a pathological zone.
	for range 16 {
		local := t.In(loc)
		name, offset := local.Zone()
		fixed := time.FixedZone(name, offset)
		ft := t.In(fixed)
		if w.contains(secondOfDay(ft)) {
			if t.Equal(now) {
				return now
			}
			return t.In(loc)
		}
		next := nextOpening(ft, w)
		if _, end := local.ZoneBounds(); end.IsZero() || next.Before(end) {
			return next.In(loc)
		}
		_, t = local.ZoneBounds()
	}
	return t.In(loc)
}

func secondOfDay(t time.Time) int {
	h, m, s := t.Clock()
	return h*3600 + m*60 + s
}

// nextOpening is the next wall-clock Start after t in t's fixed zone, where
// every day is 24 hours long.
func nextOpening(t time.Time, w Window) time.Time {
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	start := time.Duration(w.Start) * time.Minute
	if secondOfDay(t) < w.Start*60 {
		return midnight.Add(start)
	}
	return midnight.Add(24*time.Hour + start)
}
