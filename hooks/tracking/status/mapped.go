package status

import "strings"

// Mapped is one source value translated into canonical terms.
//
// Known is true only when every non-empty value handed to the mapper was
// found in that source's table. When it is false the Status is still safe to
// use (see UnknownStatus), but the caller should log the raw values once
// (UnknownReporter) so the table can be extended.
type Mapped struct {
	Status    Status
	Substatus string // a canonical Sub* constant, or ""
	Known     bool
}

// rule is one row of a source's table.
type rule struct {
	raw     string // the source's documented spelling, as the docs print it
	status  Status // for detail rows: the status the detail implies ("" = none)
	sub     string // canonical substatus, "" when nothing fits
	meaning string // AfterShip subtags only: AfterShip's own short meaning
}

// indexRules builds the lookup for a table, keyed by normKey(raw).
func indexRules(rules []rule) map[string]rule {
	m := make(map[string]rule, len(rules))
	for _, r := range rules {
		m[normKey(r.raw)] = r
	}
	return m
}

// raws lists a table's documented spellings in table order.
func raws(rules []rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.raw
	}
	return out
}

// UnknownStatus is where an unrecognised top-level value lands.
//
// Empty values and values that read like pre-shipment ("label", "pre…",
// "pending", "info…", "created", "manifest", "not found", "unknown") map to
// Pending. Everything else maps to InTransit: a source only invents new
// vocabulary for parcels it is handling, and InTransit is the least alarming
// state that is still honest about movement: it never claims delivery or a
// problem (no delivered-triggered review ask, no exception email), and the
// timeline never lets it pull a shipment backwards from a later stage.
func UnknownStatus(raw string) Status {
	k := strings.ReplaceAll(normKey(raw), "_", "")
	if k == "" {
		return Pending
	}
	if strings.HasPrefix(k, "pre") || k == "info" {
		return Pending
	}
	for _, w := range []string{"label", "pending", "inforeceived", "information", "created", "manifest", "notfound", "unknown"} {
		if strings.Contains(k, w) {
			return Pending
		}
	}
	return InTransit
}

// finish applies the rules every mapper shares: a return substatus is always
// an Exception (so the timeline can spot it whatever the source), and a
// "delivered" that carries a return detail means it was delivered back to
// the sender.
func finish(st Status, sub string, known bool) Mapped {
	if IsReturn(sub) {
		if st == Delivered && sub == SubReturnToSender {
			sub = SubReturned
		}
		st = Exception
	}
	return Mapped{Status: st, Substatus: sub, Known: known}
}

// lookupPair maps a (top-level, detail) pair where each detail belongs to one
// parent status (AfterShip subtags, 17TRACK sub_status). The top-level value
// decides the status; when it is empty or unknown a known detail's parent
// decides instead. The detail's substatus wins over the top-level's.
func lookupPair(top, detail string, tops, details map[string]rule) Mapped {
	tk, dk := normKey(top), normKey(detail)
	tr, tok := tops[tk]
	dr, dok := details[dk]
	known := (tok || blank(top)) && (dok || blank(detail)) && (tok || dok)

	var st Status
	switch {
	case tok:
		st = tr.status
	case dok && dr.status != "":
		st = dr.status
	default:
		st = UnknownStatus(top)
	}
	sub := tr.sub
	if dok && dr.sub != "" {
		sub = dr.sub
	}
	return finish(st, sub, known)
}

// blank reports whether a raw value is absent (empty or only spaces).
func blank(s string) bool { return strings.TrimSpace(s) == "" }
