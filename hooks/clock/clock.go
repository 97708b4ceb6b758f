// Package clock is the one time source for every time-based rule in
// Porchlight. Production uses Real, tests use a Fixed clock they move by hand,
// and the demo uses an Accelerated clock so weeks of shipping pass in minutes.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time. Implementations are safe for concurrent use.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock, in UTC.
type Real struct{}

// Now returns the current wall-clock time in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Fixed is a manually driven clock for tests.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock frozen at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t.UTC()} }

// Now returns the frozen time.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	f.t = t.UTC()
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Accelerated runs simulated time Factor times faster than the wall clock,
// starting at Start when it was created. The demo uses it with a factor of
// 1440 (one simulated day per real minute).
type Accelerated struct {
	start    time.Time
	realBase time.Time
	factor   float64
	wall     func() time.Time
}

// NewAccelerated returns a clock that reads start now and then advances
// factor simulated seconds per real second.
func NewAccelerated(start time.Time, factor float64) *Accelerated {
	return newAccelerated(start, factor, time.Now)
}

func newAccelerated(start time.Time, factor float64, wall func() time.Time) *Accelerated {
	if factor <= 0 {
		factor = 1
	}
	return &Accelerated{start: start.UTC(), realBase: wall(), factor: factor, wall: wall}
}

// Now returns the simulated time.
func (a *Accelerated) Now() time.Time {
	elapsed := a.wall().Sub(a.realBase)
	return a.start.Add(time.Duration(float64(elapsed) * a.factor))
}

// Factor is how many simulated seconds pass per real second.
func (a *Accelerated) Factor() float64 { return a.factor }

// Settable is a Clock whose source can be swapped after wiring. main wires
// every capability with one Settable; the demo command switches it to an
// accelerated clock before it serves.
type Settable struct {
	mu  sync.RWMutex
	src Clock
}

// NewSettable returns a clock reading from src.
func NewSettable(src Clock) *Settable { return &Settable{src: src} }

// Set replaces the source.
func (s *Settable) Set(src Clock) {
	s.mu.Lock()
	s.src = src
	s.mu.Unlock()
}

// Now reads the current source.
func (s *Settable) Now() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.src.Now()
}

// zones keeps every time zone loaded so far: time.LoadLocation reads and
// parses the zone file on each call, and every tracking event and page view
// needs the brand's and the shopper's zones (3% of webhook processing).
var zones sync.Map // name → *time.Location

// Location is time.LoadLocation, remembered per name. Unknown names are not
// remembered (they may be hostile input).
func Location(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
