package quiet

import (
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextAllowed(t *testing.T) {
	def := DefaultWindow()
	fl := Window{8 * 60, 20 * 60}
	cases := []struct {
		name string
		zone string
		w    Window
		now  string // UTC
		want string // UTC
	}{
		// Plain days.
		{"NY inside", "America/New_York", def, "2025-06-10T14:00:00Z", "2025-06-10T14:00:00Z"},
		{"NY at opening", "America/New_York", def, "2025-06-10T12:00:00Z", "2025-06-10T12:00:00Z"},
		{"NY one second early", "America/New_York", def, "2025-06-10T11:59:59Z", "2025-06-10T12:00:00Z"},
		{"NY at closing is out", "America/New_York", def, "2025-06-11T01:00:00Z", "2025-06-11T12:00:00Z"},
		{"NY last second in", "America/New_York", def, "2025-06-11T00:59:59Z", "2025-06-11T00:59:59Z"},
		{"FL closes at 20:00", "America/New_York", fl, "2025-06-11T00:30:00Z", "2025-06-11T12:00:00Z"},
		{"LA early morning", "America/Los_Angeles", def, "2025-06-10T13:00:00Z", "2025-06-10T15:00:00Z"},
		{"Kolkata half-hour offset", "Asia/Kolkata", def, "2025-06-10T00:00:00Z", "2025-06-10T02:30:00Z"},
		{"Kathmandu 45-minute offset", "Asia/Kathmandu", def, "2025-06-10T16:00:00Z", "2025-06-11T02:15:00Z"},
		{"Auckland crosses the date line", "Pacific/Auckland", def, "2025-06-10T10:00:00Z", "2025-06-10T20:00:00Z"},
		{"Honolulu no DST", "Pacific/Honolulu", def, "2025-03-09T12:00:00Z", "2025-03-09T18:00:00Z"},
		{"UTC", "UTC", def, "2025-06-10T22:00:00Z", "2025-06-11T08:00:00Z"},

		// New York, DST starts Sun 9 Mar 2025 02:00 EST -> 03:00 EDT (07:00Z).
		{"NY spring: night before the change", "America/New_York", def, "2025-03-09T02:30:00Z", "2025-03-09T12:00:00Z"},
		{"NY spring: inside the skipped hour", "America/New_York", def, "2025-03-09T06:59:00Z", "2025-03-09T12:00:00Z"},
		{"NY spring: day before opens on EST", "America/New_York", def, "2025-03-08T12:30:00Z", "2025-03-08T13:00:00Z"},
		{"NY spring: closes 21:00 EDT", "America/New_York", def, "2025-03-10T01:00:00Z", "2025-03-10T12:00:00Z"},
		{"NY spring: opening in the gap opens at the change", "America/New_York", Window{150, 21 * 60}, "2025-03-09T06:00:00Z", "2025-03-09T07:00:00Z"},
		// New York, DST ends Sun 2 Nov 2025 02:00 EDT -> 01:00 EST (06:00Z).
		{"NY fall: night before the change", "America/New_York", def, "2025-11-02T04:00:00Z", "2025-11-02T13:00:00Z"},
		{"NY fall: in the repeated hour", "America/New_York", def, "2025-11-02T06:30:00Z", "2025-11-02T13:00:00Z"},
		{"NY fall: day after opens on EST", "America/New_York", def, "2025-11-03T12:30:00Z", "2025-11-03T13:00:00Z"},
		{"NY fall: 01:30 start, first 01:40", "America/New_York", Window{90, 21 * 60}, "2025-11-02T05:40:00Z", "2025-11-02T05:40:00Z"},
		{"NY fall: 01:30 start, second 01:10", "America/New_York", Window{90, 21 * 60}, "2025-11-02T06:10:00Z", "2025-11-02T06:30:00Z"},
		{"NY fall: clock falls back into the window", "America/New_York", Window{0, 90}, "2025-11-02T05:45:00Z", "2025-11-02T06:00:00Z"},

		// Berlin, DST starts Sun 30 Mar 2025 02:00 CET -> 03:00 CEST (01:00Z).
		{"Berlin spring: evening before", "Europe/Berlin", def, "2025-03-29T21:00:00Z", "2025-03-30T06:00:00Z"},
		{"Berlin spring: opening in the gap", "Europe/Berlin", Window{150, 21 * 60}, "2025-03-30T00:30:00Z", "2025-03-30T01:00:00Z"},
		// Berlin, DST ends Sun 26 Oct 2025 03:00 CEST -> 02:00 CET (01:00Z).
		{"Berlin fall: evening before", "Europe/Berlin", def, "2025-10-25T20:00:00Z", "2025-10-26T07:00:00Z"},
		{"Berlin fall: in the repeated hour", "Europe/Berlin", def, "2025-10-26T01:30:00Z", "2025-10-26T07:00:00Z"},
		{"Berlin fall: late evening after", "Europe/Berlin", def, "2025-10-26T20:30:00Z", "2025-10-27T07:00:00Z"},

		// Santiago springs forward at midnight (Sun 7 Sep 2025 00:00 -> 01:00,
		// 04:00Z): a 00:00–01:00 window does not exist that day.
		{"Santiago midnight gap skips a day", "America/Santiago", Window{0, 60}, "2025-09-07T03:30:00Z", "2025-09-08T03:00:00Z"},
		// Lord Howe moves by 30 minutes (Sun 5 Oct 2025 02:00 -> 02:30, 15:30Z).
		{"Lord Howe half-hour DST", "Australia/Lord_Howe", def, "2025-10-04T15:00:00Z", "2025-10-04T21:00:00Z"},

		// Windows that wrap and degenerate ones.
		{"wrapping window inside late", "UTC", Window{22 * 60, 6 * 60}, "2025-06-10T23:00:00Z", "2025-06-10T23:00:00Z"},
		{"wrapping window inside early", "UTC", Window{22 * 60, 6 * 60}, "2025-06-10T05:00:00Z", "2025-06-10T05:00:00Z"},
		{"wrapping window outside", "UTC", Window{22 * 60, 6 * 60}, "2025-06-10T12:00:00Z", "2025-06-10T22:00:00Z"},
		{"whole day", "UTC", Window{0, 0}, "2025-06-10T03:00:00Z", "2025-06-10T03:00:00Z"},
		{"until midnight", "UTC", Window{8 * 60, 24 * 60}, "2025-06-10T23:59:59Z", "2025-06-10T23:59:59Z"},
		{"out-of-range bounds clamp", "UTC", Window{-5, 99999}, "2025-06-10T03:00:00Z", "2025-06-10T03:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NextAllowed(utc(tc.now), mustLoad(t, tc.zone), tc.w)
			if want := utc(tc.want); !got.Equal(want) {
				t.Fatalf("NextAllowed(%s in %s, %v) = %s (%s), want %s",
					tc.now, tc.zone, tc.w, got.UTC().Format(time.RFC3339), got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func TestNextAllowedKeepsNowAndUsesLoc(t *testing.T) {
	now := time.Date(2025, 6, 10, 14, 0, 0, 123, time.UTC)
	ny := mustLoad(t, "America/New_York")
	if got := NextAllowed(now, ny, DefaultWindow()); got != now {
		t.Fatalf("inside the window NextAllowed must return now unchanged, got %v", got)
	}
	got := NextAllowed(time.Date(2025, 6, 10, 3, 0, 0, 0, time.UTC), ny, DefaultWindow())
	if got.Location() != ny {
		t.Fatalf("opening should be expressed in loc, got %v", got.Location())
	}
	if got := NextAllowed(now, nil, Window{20 * 60, 21 * 60}); !got.Equal(time.Date(2025, 6, 10, 20, 0, 0, 0, time.UTC)) {
		t.Fatalf("nil loc should mean UTC, got %v", got)
	}
}

// TestNextAllowedProperties checks, every 31 minutes across both 2025 DST
// changes in several zones, that the answer is never before now, is inside
// the window, that the second before it was not (unless it is now), and that
// no earlier 5-minute mark was.
func TestNextAllowedProperties(t *testing.T) {
	zones := []string{"America/New_York", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata"}
	windows := []Window{DefaultWindow(), {8 * 60, 20 * 60}, {150, 21 * 60}, {0, 90}, {22 * 60, 6 * 60}}
	spans := [][2]string{
		{"2025-03-07T00:00:00Z", "2025-03-11T00:00:00Z"},
		{"2025-03-28T00:00:00Z", "2025-04-08T00:00:00Z"},
		{"2025-09-05T00:00:00Z", "2025-09-09T00:00:00Z"},
		{"2025-10-03T00:00:00Z", "2025-10-06T00:00:00Z"},
		{"2025-10-24T00:00:00Z", "2025-11-04T00:00:00Z"},
	}
	for _, zone := range zones {
		loc := mustLoad(t, zone)
		for _, w := range windows {
			for _, span := range spans {
				for now := utc(span[0]); now.Before(utc(span[1])); now = now.Add(31 * time.Minute) {
					got := NextAllowed(now, loc, w)
					if got.Before(now) {
						t.Fatalf("%s %v: NextAllowed(%v) = %v is before now", zone, w, now, got)
					}
					if !w.contains(secondOfDay(got.In(loc))) {
						t.Fatalf("%s %v: NextAllowed(%v) = %v is outside the window", zone, w, now, got.In(loc))
					}
					if !got.Equal(now) && w.contains(secondOfDay(got.Add(-time.Second).In(loc))) {
						t.Fatalf("%s %v: NextAllowed(%v) = %v but the second before was inside", zone, w, now, got.In(loc))
					}
					for m := now.Truncate(5 * time.Minute).Add(5 * time.Minute); m.Before(got); m = m.Add(5 * time.Minute) {
						if w.contains(secondOfDay(m.In(loc))) {
							t.Fatalf("%s %v: NextAllowed(%v) = %v but %v was already inside", zone, w, now, got.In(loc), m.In(loc))
						}
					}
				}
			}
		}
	}
}

func TestPolicyWindow(t *testing.T) {
	p := DefaultPolicy()
	p.Overrides["CA"] = Window{9 * 60, 21 * 60}
	cases := []struct {
		country, region string
		want            Window
	}{
		{"US", "FL", Window{480, 1200}},
		{"us", "US-OK", Window{480, 1200}},
		{"US", "Florida", Window{480, 1200}},
		{"US", "oklahoma ", Window{480, 1200}},
		{"US", "NY", DefaultWindow()},
		{"US", "", DefaultWindow()},
		{"CA", "ON", Window{540, 1260}},
		{"DE", "BE", DefaultWindow()},
		{"", "", DefaultWindow()},
	}
	for _, tc := range cases {
		if got := p.Window(tc.country, tc.region); got != tc.want {
			t.Errorf("Window(%q, %q) = %v, want %v", tc.country, tc.region, got, tc.want)
		}
	}
	if got := (Policy{}).Window("US", "FL"); got != DefaultWindow() {
		t.Errorf("zero policy should fall back to the default window, got %v", got)
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("default policy invalid: %v", err)
	}
	bad := Policy{Default: DefaultWindow(), Overrides: map[string]Window{"US-TX": {-1, 2000}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "US-TX") {
		t.Errorf("Validate() = %v, want an error naming US-TX", err)
	}
}

func TestResolveLocation(t *testing.T) {
	cases := []struct {
		name                                  string
		country, region, postal, phone, brand string
		wantZone, wantSource                  string
	}{
		{"US state code", "US", "CA", "94103", "", "", "America/Los_Angeles", SourceRegion},
		{"US subdivision code", "US", "US-NY", "", "", "", "America/New_York", SourceRegion},
		{"US state name", "us", "Arizona", "", "", "", "America/Phoenix", SourceRegion},
		{"FL panhandle ZIP", "US", "FL", "32501", "", "", "America/Chicago", SourcePostal},
		{"FL peninsula ZIP", "US", "FL", "33101", "", "", "America/New_York", SourceRegion},
		{"El Paso ZIP+4", "US", "TX", "79901-1234", "", "", "America/Denver", SourcePostal},
		{"ZIP from another state is ignored", "US", "NY", "79901", "", "", "America/New_York", SourceRegion},
		{"ZIP alone in a split area", "US", "", "83814", "", "", "America/Los_Angeles", SourcePostal},
		{"Canadian province", "CA", "QC", "H2X 1Y4", "", "", "America/Toronto", SourceRegion},
		{"Saskatchewan", "CA", "Saskatchewan", "", "", "", "America/Regina", SourceRegion},
		{"Australian state", "AU", "WA", "6000", "", "", "Australia/Perth", SourceRegion},
		{"Broken Hill postcode", "AU", "NSW", "2880", "", "", "Australia/Broken_Hill", SourcePostal},
		{"Canaries", "ES", "TF", "38001", "", "", "Atlantic/Canary", SourceRegion},
		{"mainland Spain", "ES", "M", "28001", "", "", "Europe/Madrid", SourceCountry},
		{"single-zone country", "DE", "BE", "10115", "", "", "Europe/Berlin", SourceCountry},
		{"single-zone lower case", "gb", "", "", "", "", "Europe/London", SourceCountry},
		{"US without region uses phone area code", "US", "", "", "+12125550123", "", "America/New_York", SourcePhone},
		{"no address uses phone", "", "", "", "+4930901820", "", "Europe/Berlin", SourcePhone},
		{"foreign phone ignored for multi-zone address", "US", "", "", "+4930901820", "Europe/Paris", "Europe/Paris", SourceBrand},
		{"brand fallback", "", "", "", "", "America/Chicago", "America/Chicago", SourceBrand},
		{"unknown country, bad phone, brand", "ZZ", "??", "", "garbage", "Europe/Dublin", "Europe/Dublin", SourceBrand},
		{"invalid brand zone", "", "", "", "", "Mars/Olympus", "UTC", SourceUTC},
		{"Local is refused", "", "", "", "", "Local", "UTC", SourceUTC},
		{"nothing", "", "", "", "", "", "UTC", SourceUTC},
		{"hostile strings", strings.Repeat("U", 10000), strings.Repeat("\x00", 10000), strings.Repeat("9", 10000), strings.Repeat("+", 10000), strings.Repeat("../", 3000), "UTC", SourceUTC},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, src := ResolveLocation(tc.country, tc.region, tc.postal, tc.phone, tc.brand)
			if loc == nil || loc.String() != tc.wantZone || src != tc.wantSource {
				t.Fatalf("ResolveLocation = %v, %q; want %s, %q", loc, src, tc.wantZone, tc.wantSource)
			}
		})
	}
}

// Every zone in the tables must load, so a typo fails here and not at send time.
func TestTablesLoad(t *testing.T) {
	check := func(where, zone string) {
		if _, err := time.LoadLocation(zone); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for c, rs := range regions {
		for code, r := range rs {
			check(c+"-"+code, r.zone)
		}
	}
	for c, ps := range postalZones {
		for p, e := range ps {
			check(c+" "+p, e.zone)
			if _, ok := regions[c][e.region]; !ok {
				t.Errorf("%s %s: unknown region %s", c, p, e.region)
			}
		}
	}
	for c, z := range countryZones {
		check(c, z)
	}
}

func FuzzResolveAndNext(f *testing.F) {
	f.Add("US", "FL", "32501", "+12125550123", "America/New_York", int64(1741500000), 480, 1260)
	f.Add("", "", "", "", "", int64(0), 0, 0)
	f.Add("\xff", "US-", "-1", "+", "Local", int64(-1<<62), -1, 1<<30)
	f.Fuzz(func(t *testing.T, country, region, postal, phoneNum, brand string, unix int64, start, end int) {
		loc, _ := ResolveLocation(country, region, postal, phoneNum, brand)
		if loc == nil {
			t.Fatal("nil location")
		}
		now := time.Unix(unix%(1<<40), 0)
		w := Window{start, end}
		got := NextAllowed(now, loc, w)
		if got.Before(now) {
			t.Fatalf("NextAllowed went backwards: %v -> %v", now, got)
		}
		_ = DefaultPolicy().Window(country, region)
	})
}
