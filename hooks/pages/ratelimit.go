package pages

import (
	"strings"
	"sync"
	"time"
)

// Limits bound failed lookups. A failure counts against the client's IP and
// against the order (or tracking) number tried; once either reaches its
// maximum within Window, lookups from that IP or for that number answer
// with the friendly 429 page until the window ends.
type Limits struct {
	PerIP     int
	PerNumber int
	Window    time.Duration
	// Now is the limiter's clock. It defaults to wall time, not the app's
	// clock: the demo runs an accelerated clock, and guessing happens in
	// real time.
	Now func() time.Time
}

func (l Limits) withDefaults() Limits {
	if l.PerIP <= 0 {
		l.PerIP = 20
	}
	if l.PerNumber <= 0 {
		l.PerNumber = 8
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// limiter counts failures in fixed windows. It is in memory on purpose:
// it protects against guessing, a restart forgets nothing a shopper needs,
// and the map is bounded by pruning expired entries.
type limiter struct {
	mu     sync.Mutex
	limits Limits
	hits   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

const maxLimiterKeys = 100_000

func newLimiter(l Limits) *limiter { return &limiter{limits: l, hits: map[string]*window{}} }

func ipKey(ip string) string { return "ip:" + ip }
func numberKey(n string) string {
	return "n:" + strings.ToLower(strings.TrimPrefix(strings.TrimSpace(n), "#"))
}

// blocked reports whether any key is over its limit and how long is left.
func (l *limiter) blocked(now time.Time, keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		w := l.hits[k]
		if w == nil || now.Sub(w.start) >= l.limits.Window {
			continue
		}
		if w.n >= l.max(k) {
			if left := l.limits.Window - now.Sub(w.start); left > wait {
				wait = left
			}
		}
	}
	return wait > 0, wait
}

// fail records one failed lookup against every key.
func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) >= maxLimiterKeys {
		for k, w := range l.hits {
			if now.Sub(w.start) >= l.limits.Window {
				delete(l.hits, k)
			}
		}
	}
	for _, k := range keys {
		w := l.hits[k]
		if w == nil || now.Sub(w.start) >= l.limits.Window {
			w = &window{start: now}
			l.hits[k] = w
		}
		w.n++
	}
}

func (l *limiter) max(key string) int {
	if strings.HasPrefix(key, "ip:") {
		return l.limits.PerIP
	}
	return l.limits.PerNumber
}
