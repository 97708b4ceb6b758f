// Package detect tells which carrier issued a tracking number, from its
// layout and check digit alone (no network). It knows UPS, USPS, FedEx, DHL
// Express and eCommerce, Amazon, OnTrac, LaserShip, Canada Post, Purolator,
// DPD, Yodel, YunExpress, Canpar, GOFO, Landmark Global, Old Dominion,
// Spee-Dee, and UPU S10 numbers of every postal service, placed by the
// S10 country code (RB123456785GB is Royal Mail, ...US is USPS).
//
// Many layouts overlap (a 12-digit number can be FedEx Express and
// Purolator at once), so Detect returns every plausible carrier, most
// likely first. It is pure, safe on hostile input and does bounded work.
//
// The rules are tested against the MIT tracking_number_data set in
// ../shared/data/tracking_number_data (see detect_oracle_test.go).
package detect

import "unicode"

// Unknown is the carrier id for numbers we cannot place.
const Unknown = "unknown"

// maxLen is the longest normalised number Detect looks at. The longest
// layout we know (a FedEx or USPS barcode with routing data) has 34
// characters.
const maxLen = 40

// maxRaw bounds the raw input Detect reads: a 40-character number spaced
// out with a space or two between characters still fits easily.
const maxRaw = 512

// Match is one carrier a tracking number plausibly belongs to.
type Match struct {
	Carrier string // stable lower-case id: "ups", "usps", "royalmail", ...
	Name    string // display name: "UPS", "Royal Mail", ...
	Service string // the layout that matched: "UPS 1Z", "FedEx Express (12)", "S10", ...
	URL     string // the carrier's public tracking page for this number; empty when we know none
}

// Normalize returns raw without white space, dashes and invisible or
// control characters, with ASCII letters upper-cased. Other characters are
// kept as they are, so junk stays junk; invalid UTF-8 becomes U+FFFD.
// It is linear in len(raw) and never panics.
func Normalize(raw string) string {
	out := make([]rune, 0, min(len(raw), 64))
	for _, r := range raw {
		if r, ok := normRune(r); ok {
			out = append(out, r)
		}
	}
	return string(out)
}

// normRune maps one input rune: ok=false drops it.
func normRune(r rune) (rune, bool) {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A', true
	case r < 0x80 && r > ' ' && r != '-' && r != 0x7f:
		return r, true // the common case, kept out of the unicode tables
	case unicode.IsSpace(r), unicode.IsControl(r),
		unicode.Is(unicode.Pd, r), r == '\u2212', // dashes, minus sign
		unicode.Is(unicode.Cf, r): // zero-width space, BOM, soft hyphen ...
		return 0, false
	}
	return r, true
}

// key normalises raw for matching. It gives up (ok=false) as soon as the
// input cannot be a tracking number: too long, or any character outside
// 0-9 and A-Z once normalised.
func key(raw string) (string, bool) {
	if len(raw) > maxRaw {
		return "", false
	}
	var buf [maxLen]byte
	n := 0
	for _, r := range raw {
		r, ok := normRune(r)
		if !ok {
			continue
		}
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') || n == maxLen {
			return "", false
		}
		buf[n] = byte(r)
		n++
	}
	return string(buf[:n]), true
}

// Detect returns every carrier whose layout and check digit fit raw, most
// likely first, or nil when none does. raw may contain spaces, dashes and
// lower case (see Normalize).
func Detect(raw string) []Match {
	n, ok := key(raw)
	if !ok || len(n) < 10 || sameChar(n) {
		return nil
	}
	var out []Match
	for i := range formats {
		f := &formats[i]
		if !f.shape.MatchString(n) || (f.valid != nil && !f.valid(n)) {
			continue
		}
		m := f.match(n)
		if !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// Best returns the most likely carrier for raw. When nothing fits it
// returns a Match with Carrier Unknown and false.
func Best(raw string) (Match, bool) {
	if ms := Detect(raw); len(ms) > 0 {
		return ms[0], true
	}
	return Match{Carrier: Unknown}, false
}

// match builds the Match of format f for the normalised number n.
func (f *format) match(n string) Match {
	id, name := f.carrier, f.name
	if id == "" { // S10: the issuing country decides
		id, name = postalOperator(n[len(n)-2:])
	}
	c := carriers[id]
	if name == "" {
		name = c.name
	}
	tmpl := f.url
	if tmpl == "" {
		tmpl = c.url
	}
	return Match{Carrier: id, Name: name, Service: f.service, URL: trackingURL(tmpl, n)}
}

// sameChar reports whether n is one character repeated ("000000000000"):
// such numbers pass several check digits but are never issued.
func sameChar(n string) bool {
	for i := 1; i < len(n); i++ {
		if n[i] != n[0] {
			return false
		}
	}
	return true
}

func contains(ms []Match, m Match) bool {
	for _, x := range ms {
		if x.Carrier == m.Carrier && x.Service == m.Service {
			return true
		}
	}
	return false
}
