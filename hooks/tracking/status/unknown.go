package status

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// DefaultUnknownLimit caps how many distinct unknown values an
// UnknownReporter remembers.
const DefaultUnknownLimit = 1000

// UnknownReporter remembers which unknown source values have been seen so
// the caller logs each one once. The zero value is ready to use and safe for
// concurrent use. Keep one per process (or per test); it is deliberately not
// a package global.
//
// Memory is bounded: values are cleaned and truncated (CleanRaw) before they
// are remembered, and once Limit distinct values are held, further new
// values report false, so a hostile or broken source cannot grow the set or
// flood the log.
type UnknownReporter struct {
	// Limit is the most distinct values remembered; 0 means DefaultUnknownLimit.
	Limit int

	mu   sync.Mutex
	seen map[string]struct{}
}

// FirstTime reports whether (source, field, value) is being seen for the
// first time, and remembers it. Typical use:
//
//	m := status.FromEasyPost(st, detail)
//	if !m.Known && rep.FirstTime("easypost", "status", st+"/"+detail) {
//		log.Warn("unknown carrier status", "source", "easypost", "value", status.CleanRaw(st+"/"+detail))
//	}
func (r *UnknownReporter) FirstTime(source, field, value string) bool {
	key := CleanRaw(source) + "\x00" + CleanRaw(field) + "\x00" + CleanRaw(value)
	limit := r.Limit
	if limit <= 0 {
		limit = DefaultUnknownLimit
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[key]; ok {
		return false
	}
	if len(r.seen) >= limit {
		return false
	}
	if r.seen == nil {
		r.seen = make(map[string]struct{})
	}
	r.seen[key] = struct{}{}
	return true
}

// Len is how many distinct values are remembered.
func (r *UnknownReporter) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// maxCleanRunes is how much of a raw value CleanRaw keeps.
const maxCleanRunes = 64

// CleanRaw makes a raw source value safe to log or store next to the
// canonical status: trimmed, at most 64 runes (an ellipsis marks the cut),
// control and format characters (including bidi overrides) and invalid
// UTF-8 replaced by '?'.
func CleanRaw(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n == maxCleanRunes {
			b.WriteRune('…')
			break
		}
		if r == utf8.RuneError && size <= 1 || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
