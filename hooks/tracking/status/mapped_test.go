package status

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// mapper is any source mapper in (top-level, detail) form.
type mapper struct {
	name string
	fn   func(top, detail string) Mapped
}

var mappers = []mapper{
	{"easypost", FromEasyPost},
	{"shippo", FromShippo},
	{"aftership", FromAfterShip},
	{"17track", FromSeventeenTrack},
	{"shopify", func(top, _ string) Mapped { return FromShopify(top) }},
}

// checkCanonical fails unless m only holds canonical values: a valid status
// and a known substatus (never an echo of the input).
func checkCanonical(t *testing.T, what string, m Mapped) {
	t.Helper()
	if !Valid(string(m.Status)) {
		t.Errorf("%s: status %q is not canonical", what, m.Status)
	}
	if m.Substatus != "" && !slices.Contains(Substatuses(), m.Substatus) {
		t.Errorf("%s: substatus %q is not canonical", what, m.Substatus)
	}
	if IsReturn(m.Substatus) && m.Status != Exception {
		t.Errorf("%s: return substatus %q paired with %q, want exception", what, m.Substatus, m.Status)
	}
}

// coversExactly fails unless the test table lists exactly the documented
// values, so a new documented value cannot slip in untested.
func coversExactly(t *testing.T, documented []string, tested []string) {
	t.Helper()
	if len(documented) == 0 {
		t.Fatal("no documented values")
	}
	seen := map[string]bool{}
	for _, v := range tested {
		if seen[v] {
			t.Errorf("%q tested twice", v)
		}
		seen[v] = true
	}
	for _, v := range documented {
		if !seen[v] {
			t.Errorf("documented value %q has no test row", v)
		}
		delete(seen, v)
	}
	for v := range seen {
		t.Errorf("test row %q is not a documented value", v)
	}
}

func TestSubstatusesHaveMeanings(t *testing.T) {
	subs := Substatuses()
	if len(subs) != len(substatusMeanings) {
		t.Fatalf("Substatuses() has %d entries, meanings %d", len(subs), len(substatusMeanings))
	}
	seen := map[string]bool{}
	for _, s := range subs {
		if seen[s] {
			t.Errorf("substatus %q listed twice", s)
		}
		seen[s] = true
		if SubstatusMeaning(s) == "" {
			t.Errorf("substatus %q has no meaning", s)
		}
		if s != normKey(s) {
			t.Errorf("substatus %q is not in normalised form", s)
		}
	}
	// Returned slices are copies.
	subs[0] = "mutated"
	if Substatuses()[0] == "mutated" {
		t.Error("Substatuses returns shared state")
	}
}

func TestSubstatusMeaningLookups(t *testing.T) {
	tests := []struct{ in, want string }{
		{SubCustoms, "In customs clearance"},
		{"  CUSTOMS ", "In customs clearance"},
		{"Exception_004", "Delayed in customs clearance"},
		{"exception_004", "Delayed in customs clearance"},
		{"Exception_014", ""},
		{"", ""},
		{"nope", ""},
		{strings.Repeat("x", 10000), ""},
	}
	for _, tt := range tests {
		if got := SubstatusMeaning(tt.in); got != tt.want {
			t.Errorf("SubstatusMeaning(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsDelayCoversProblemSubstatuses(t *testing.T) {
	for _, s := range []string{SubCustoms, SubWeather, SubDelayed, SubLost, SubReturnToSender, SubAddressIssue} {
		if !IsDelay(s) {
			t.Errorf("IsDelay(%q) = false", s)
		}
	}
	for _, s := range []string{"", SubPickedUp, SubArrivedAtFacility, SubSigned, SubHeldForPickup, SubCustomsCleared, SubProblemResolved} {
		if IsDelay(s) {
			t.Errorf("IsDelay(%q) = true", s)
		}
	}
}

func TestUnknownStatus(t *testing.T) {
	tests := []struct {
		in   string
		want Status
	}{
		{"", Pending},
		{"   ", Pending},
		{"PRE_SHIPMENT", Pending},
		{"label_voided", Pending},
		{"LabelCreated", Pending},
		{"awaiting-manifest", Pending},
		{"NotFound_Whatever", Pending},
		{"info", Pending},
		{"Unknown_New", Pending},
		{"pending_review", Pending},
		{"hub_scan", InTransit},
		{"IN_CUSTOMS_NEW", InTransit},
		{"delivered_to_locker_v2", InTransit},  // never guess delivery
		{"exception_new", InTransit},           // never guess a problem
		{strings.Repeat("pre", 1000), Pending}, // too long: treated as no value
		{"\x00\x01", InTransit},
	}
	for _, tt := range tests {
		if got := UnknownStatus(tt.in); got != tt.want {
			t.Errorf("UnknownStatus(%.30q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hostile inputs every mapper must survive: unknown, canonical output, no echo.
var hostile = []string{
	strings.Repeat("A", 1<<20),
	"delivered\x00",
	"in_transit; DROP TABLE shipments;--",
	"<script>alert(1)</script>",
	"\xff\xfe\xfd",
	"\u202edelivered",
	"déliveréd",
	"📦",
	"delivered\ndelivered",
	"_",
	"__proto__",
	"Exception_",
	"Exception_999",
	"InTransit_",
	"0",
	"-1",
	"null",
	"\t\r\n",
}

func TestHostileInput(t *testing.T) {
	for _, m := range mappers {
		for _, h := range hostile {
			for _, pair := range [][2]string{{h, ""}, {h, h}} {
				got := m.fn(pair[0], pair[1])
				what := m.name + "(" + CleanRaw(pair[0]) + ")"
				checkCanonical(t, what, got)
				if got.Known && strings.TrimSpace(h) != "" {
					t.Errorf("%s: hostile input reported Known", what)
				}
				if got.Status == Delivered || got.Status == Exception {
					t.Errorf("%s: hostile input produced %q", what, got.Status)
				}
			}
		}
	}
}

func TestEmptyInputIsUnknownPending(t *testing.T) {
	for _, m := range mappers {
		got := m.fn("", "")
		if got.Known || got.Status != Pending || got.Substatus != "" {
			t.Errorf("%s(\"\", \"\") = %+v, want unknown pending", m.name, got)
		}
		got = m.fn("  \t", " ")
		if got.Known || got.Status != Pending {
			t.Errorf("%s(blank) = %+v, want unknown pending", m.name, got)
		}
	}
}

func TestUnknownTopLevelDefaults(t *testing.T) {
	for _, m := range mappers {
		got := m.fn("teleported", "")
		if got.Known || got.Status != InTransit {
			t.Errorf("%s(teleported) = %+v, want unknown in_transit", m.name, got)
		}
		got = m.fn("pre_label_thing", "")
		if got.Known || got.Status != Pending {
			t.Errorf("%s(pre_label_thing) = %+v, want unknown pending", m.name, got)
		}
	}
}

func TestDocumentedListsAreCopies(t *testing.T) {
	lists := []func() []string{
		EasyPostStatuses, EasyPostStatusDetails, ShippoStatuses, ShippoSubstatuses,
		AfterShipTags, AfterShipSubtags, SeventeenTrackStatuses, SeventeenTrackSubStatuses,
		ShopifyShipmentStatuses,
	}
	for i, f := range lists {
		a := f()
		if len(a) == 0 {
			t.Fatalf("list %d is empty", i)
		}
		first := a[0]
		a[0] = "mutated"
		if f()[0] != first {
			t.Errorf("list %d returns shared state", i)
		}
	}
}

func TestUnknownReporter(t *testing.T) {
	var r UnknownReporter
	if !r.FirstTime("easypost", "status", "teleported") {
		t.Fatal("first sighting not reported")
	}
	if r.FirstTime("easypost", "status", "teleported") {
		t.Error("second sighting reported")
	}
	if !r.FirstTime("shippo", "status", "teleported") {
		t.Error("same value from another source not reported")
	}
	if !r.FirstTime("easypost", "status_detail", "teleported") {
		t.Error("same value in another field not reported")
	}
	// Values are cleaned before they are remembered: variants that only
	// differ past the cut are one entry, so a hostile source cannot grow it.
	long := strings.Repeat("x", 200)
	if !r.FirstTime("easypost", "status", long+"a") || r.FirstTime("easypost", "status", long+"b") {
		t.Error("long values not folded by CleanRaw")
	}
	if r.Len() != 4 {
		t.Errorf("Len = %d, want 4", r.Len())
	}
}

func TestUnknownReporterLimit(t *testing.T) {
	r := UnknownReporter{Limit: 3}
	for _, v := range []string{"a", "b", "c"} {
		if !r.FirstTime("s", "f", v) {
			t.Fatalf("%s not reported", v)
		}
	}
	if r.FirstTime("s", "f", "d") {
		t.Error("reported past the limit")
	}
	if r.FirstTime("s", "f", "a") {
		t.Error("re-reported a remembered value")
	}
	if r.Len() != 3 {
		t.Errorf("Len = %d, want 3", r.Len())
	}
}

func TestUnknownReporterConcurrent(t *testing.T) {
	var r UnknownReporter
	const workers = 32
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := map[string]int{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, v := range []string{"x", "y", "z"} {
				if r.FirstTime("src", "status", v) {
					mu.Lock()
					firsts[v]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, v := range []string{"x", "y", "z"} {
		if firsts[v] != 1 {
			t.Errorf("%q reported %d times, want once", v, firsts[v])
		}
	}
}

func TestCleanRaw(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  in_transit ", "in_transit"},
		{"a\x00b\nc", "a?b?c"},
		{"\xff", "?"},
		{"\u202eevil", "?evil"},
		{"naïve 📦", "naïve 📦"},
		{strings.Repeat("é", 70), strings.Repeat("é", 64) + "…"},
		{strings.Repeat("a", 64), strings.Repeat("a", 64)},
	}
	for _, tt := range tests {
		if got := CleanRaw(tt.in); got != tt.want {
			t.Errorf("CleanRaw(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
