package detect

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDetect checks that no input panics and that every answer is sane.
// Plain `go test` runs the seeds below; `go test -fuzz FuzzDetect` explores.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"", " ", "\x00", "\xff\xfe", "📦", "1Z", "420",
		"1Z5R89390357567127", " 1 z 5r89 3903 5756 7127 ", "K1506235620",
		"9400111206206406260787", "420787459400111206206406260787",
		"4201002334249200190132607600833457", "7196 9010 7560 0307 7385",
		"986578788855", "1001921334250001000300779017972697", "9611020987654312345672",
		"RB123456785GB", "RB123456785XX", "LX123456785CN", "GM9E44608A27984866BA2D",
		"C11031500001879", "1LS7119013618127-1", "0081 827 0998 0000 0200 45 327 276 N",
		"JJD0002257639032011", "JFV247545960", "TBA502887274000",
		strings.Repeat("9", 41), strings.Repeat("1Z", 300), strings.Repeat("\u200b", 100) + "1Z5R89390357567127",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n := Normalize(raw)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", raw, n)
		}
		if Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q", raw)
		}
		ms := Detect(raw)
		best, ok := Best(raw)
		if ok != (len(ms) > 0) || (ok && best != ms[0]) || (!ok && best.Carrier != Unknown) {
			t.Fatalf("Best(%q) = %+v, %v disagrees with Detect = %+v", raw, best, ok, ms)
		}
		if len(raw) <= maxRaw {
			again := Detect(n)
			if len(again) != len(ms) {
				t.Fatalf("Detect(%q) and Detect(Normalize) differ: %+v vs %+v", raw, ms, again)
			}
		}
		if len(ms) > 0 && len(n) > maxLen {
			t.Fatalf("Detect matched %d characters: %q", len(n), n)
		}
		seen := map[string]bool{}
		for _, m := range ms {
			if m.Carrier == "" || m.Carrier == Unknown || m.Name == "" || m.Service == "" {
				t.Fatalf("incomplete match for %q: %+v", raw, m)
			}
			if strings.ToLower(m.Carrier) != m.Carrier {
				t.Fatalf("carrier id %q is not lower case", m.Carrier)
			}
			if seen[m.Carrier+"/"+m.Service] {
				t.Fatalf("duplicate match for %q: %+v", raw, ms)
			}
			seen[m.Carrier+"/"+m.Service] = true
			if m.URL != "" {
				u, err := url.Parse(m.URL)
				if err != nil || u.Scheme != "https" || !strings.Contains(m.URL, n) {
					t.Fatalf("bad URL for %q: %q (%v)", raw, m.URL, err)
				}
			}
		}
	})
}
