package detect

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	scenarios := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"already clean", "1Z5R89390357567127", "1Z5R89390357567127"},
		{"lower case and spaces", " 1z 5r89 3903 5756 7127 ", "1Z5R89390357567127"},
		{"dashes", "1LS7119013618127-1", "1LS71190136181271"},
		{"tabs and newlines", "9400\t1112\r\n0108", "940011120108"},
		{"no-break and thin spaces", "9400\u00a01112\u20090108", "940011120108"},
		{"unicode dashes and minus", "RB\u2013123\u2014456\u2212785\u2010GB", "RB123456785GB"},
		{"zero-width and BOM", "\ufeffRB\u200b123456785GB\u00ad", "RB123456785GB"},
		{"control characters", "RB\x00123\x1b456\x7f785GB", "RB123456785GB"},
		{"punctuation kept", "1Z.5R/89", "1Z.5R/89"},
		{"only ASCII is upper-cased", "éıſk", "éıſK"},
		{"emoji kept", "📦1z", "📦1Z"},
		{"invalid UTF-8 becomes U+FFFD", "1Z\xff", "1Z\ufffd"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Normalize(s.in); got != s.want {
				t.Errorf("Normalize(%q) = %q, want %q", s.in, got, s.want)
			}
			if got := Normalize(s.want); got != s.want {
				t.Errorf("Normalize is not idempotent on %q: %q", s.want, got)
			}
		})
	}
}

func TestHostileInput(t *testing.T) {
	scenarios := []struct {
		name string
		in   string
		want string // carrier id of the best match, "" for none
	}{
		{"empty", "", ""},
		{"spaces only", "   \t\n ", ""},
		{"NUL bytes only", strings.Repeat("\x00", 64), ""},
		{"NUL inside a real number is dropped", "1Z5R8939\x000357567127", "ups"},
		{"10 KB of digits", strings.Repeat("1234567890", 1024), ""},
		{"10 KB of repeated 1Z", strings.Repeat("1Z", 5120), ""},
		{"real number then 10 KB of spaces", "1Z5R89390357567127" + strings.Repeat(" ", 10240), ""},
		{"41 characters", "GM" + strings.Repeat("1", 39), ""},
		{"40 characters", "GM" + strings.Repeat("1", 38), "dhl"},
		{"emoji", "📦📦📦📦📦📦📦📦📦📦📦📦", ""},
		{"emoji around a number", "📦1Z5R89390357567127", ""},
		{"full-width digits", "１Ｚ５Ｒ８９３９０３５７５６７１２７", ""},
		{"invalid UTF-8", "\xff\xfe\xfd1Z5R89390357567127", ""},
		{"too short", "123456789", ""},
		{"one digit repeated", "000000000000", ""},
		{"SQL", "1Z5R89390357567127'; DROP TABLE shipments;--", ""},
		{"HTML", "<script>1Z5R89390357567127</script>", ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			m, ok := Best(s.in)
			switch {
			case s.want == "" && ok:
				t.Errorf("Best = %+v, want no match", m)
			case s.want == "" && m.Carrier != Unknown:
				t.Errorf("Best carrier = %q, want %q", m.Carrier, Unknown)
			case s.want != "" && m.Carrier != s.want:
				t.Errorf("Best carrier = %q, want %q", m.Carrier, s.want)
			}
		})
	}
}

// TestLongInputIsRejectedEarly pins the bounded work: oversized input is
// refused before any normalising or matching, without allocating.
func TestLongInputIsRejectedEarly(t *testing.T) {
	long := strings.Repeat("9", 10<<10)
	if allocs := testing.AllocsPerRun(100, func() { Detect(long) }); allocs != 0 {
		t.Errorf("Detect on 10 KB allocated %v times, want 0", allocs)
	}
	garbage := strings.Repeat("\x00é", 200) // under maxRaw, rejected at the first é
	if allocs := testing.AllocsPerRun(100, func() { Detect(garbage) }); allocs != 0 {
		t.Errorf("Detect on garbage allocated %v times, want 0", allocs)
	}
}

func TestURLs(t *testing.T) {
	scenarios := []struct {
		in, carrier, service, url string
	}{
		{"1Z5R89390357567127", "ups", "UPS 1Z", "https://www.ups.com/track?loc=en_US&tracknum=1Z5R89390357567127"},
		{"9400 1112 0108 0805 4830 16", "usps", "USPS IMpb", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016"},
		{"986578788855", "fedex", "FedEx Express (12)", "https://www.fedex.com/fedextrack/?trknbr=986578788855"},
		{"3318810025", "dhl", "DHL Express", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=3318810025"},
		{"GM2951173225174494", "dhl", "DHL eCommerce", "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id=GM2951173225174494"},
		{"tba502887274000", "amazon", "Amazon Logistics (TB)", "https://track.amazon.com/tracking/TBA502887274000"},
		{"C11031500001879", "ontrac", "OnTrac", "https://www.ontrac.com/tracking/?number=C11031500001879"},
		{"LX17635036", "lasership", "LaserShip (L)", "https://www.lasership.com/track/LX17635036"},
		{"0073938000549297", "canadapost", "Canada Post (16)", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=0073938000549297"},
		{"331426749957", "purolator", "Purolator (12)", "https://www.purolator.com/en/shipping/tracker?pin=331426749957"},
		{"09 9800 0002 0033 F", "dpd", "DPD (14)", "https://tracking.dpd.de/status/en_US/parcel/09980000020033F"},
		{"JJD0002257639032011", "yodel", "Yodel (JD)", "https://www.yodel.co.uk/tracking/JJD0002257639032011"},
		{"YT2229521272164446", "yunexpress", "YunExpress (YT)", "https://www.yuntrack.com/parcelTracking?id=YT2229521272164446"},
		{"rb123456785gb", "royalmail", "S10", "https://www.royalmail.com/track-your-item#/tracking-results/RB123456785GB"},
		{"RB123456785US", "usps", "S10", "https://tools.usps.com/go/TrackConfirmAction?tLabels=RB123456785US"},
		{"RB123456785FR", "laposte", "S10", "https://www.laposte.fr/outils/suivre-vos-envois?code=RB123456785FR"},
		{"RB123456785DE", "deutschepost", "S10", "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode=RB123456785DE"},
		{"RB123456785AU", "auspost", "S10", "https://auspost.com.au/mypost/track/details/RB123456785AU"},
		{"RB123456785JP", "japanpost", "S10", "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=RB123456785JP&locale=en"},
		{"RB123456785CN", "chinapost", "S10", ""},
		{"RB123456785CV", "post_cv", "S10", ""},
	}
	for _, s := range scenarios {
		t.Run(s.in, func(t *testing.T) {
			m, ok := Best(s.in)
			if !ok || m.Carrier != s.carrier || m.Service != s.service || m.URL != s.url {
				t.Errorf("Best(%q) = %+v, want %s / %s / %q", s.in, m, s.carrier, s.service, s.url)
			}
			if m.Name == "" {
				t.Errorf("Best(%q) has no display name", s.in)
			}
		})
	}
}

func TestTrackingURLEscapes(t *testing.T) {
	scenarios := []struct {
		tmpl, number, want string
	}{
		{"https://x.test/track?n=%s&l=en", "A B/C&D", "https://x.test/track?n=A+B%2FC%26D&l=en"},
		{"https://x.test/track/%s", "A B/C?D", "https://x.test/track/A%20B%2FC%3FD"},
		{"https://x.test/#/results/%s", "A#B", "https://x.test/#/results/A%23B"},
		{"https://x.test/#/search?q=%s", "A#B", "https://x.test/#/search?q=A%23B"},
		{"", "A", ""},
	}
	for _, s := range scenarios {
		if got := trackingURL(s.tmpl, s.number); got != s.want {
			t.Errorf("trackingURL(%q, %q) = %q, want %q", s.tmpl, s.number, got, s.want)
		}
	}
}

// TestRanking pins "best first" where layouts overlap.
func TestRanking(t *testing.T) {
	scenarios := []struct {
		in   string
		want []string // carrier/service in order
	}{
		{"LX123456785CN", []string{"chinapost/S10", "dhl/DHL eCommerce"}},
		{"287809468872", []string{"fedex/FedEx Express (12)", "purolator/Purolator (12)"}},
		{"78045768393", []string{"olddominion/Old Dominion PRO", "dhl/DHL Express"}},
		{"JFV247545960", []string{"purolator/Purolator (alpha)", "dhl/DHL Express (piece ID)"}},
		{"4201028200009261290113185417468510", []string{"usps/USPS IMpb", "fedex/FedEx Express (34)"}},
	}
	for _, s := range scenarios {
		got := Detect(s.in)
		names := make([]string, len(got))
		for i, m := range got {
			names[i] = m.Carrier + "/" + m.Service
		}
		if !slices.Equal(names, s.want) {
			t.Errorf("Detect(%q) = %v, want %v", s.in, names, s.want)
		}
	}
}

// TestS10 covers the country code and the check digit's special cases.
func TestS10(t *testing.T) {
	scenarios := []struct {
		in, carrier string // "" = no match
	}{
		{"RB123456785GB", "royalmail"},
		{"EE123456785NL", "postnl"},
		{"CP123456785JE", "post_je"}, // Jersey issues its own
		{"RB123456785UK", ""},        // not an ISO code; Royal Mail uses GB
		{"RB123456785XX", ""},
		{"RB123456784GB", ""},          // wrong check digit
		{"RR000000005GB", "royalmail"}, // remainder 0: check digit 5
		{"RR020000000GB", "royalmail"}, // remainder 1: check digit 0
	}
	for _, s := range scenarios {
		m, ok := Best(s.in)
		if s.carrier == "" {
			if ok && m.Service == "S10" {
				t.Errorf("Best(%q) = %+v, want no S10 match", s.in, m)
			}
			continue
		}
		if m.Carrier != s.carrier || m.Service != "S10" {
			t.Errorf("Best(%q) = %+v, want %s S10", s.in, m, s.carrier)
		}
	}
}

func TestCheckDigits(t *testing.T) {
	if !luhnValid("79927398713") || luhnValid("79927398710") {
		t.Error("luhnValid disagrees with the textbook example 79927398713")
	}
	if got := s10Check("12345678"); got != 5 {
		t.Errorf("s10Check(12345678) = %d, want 5", got)
	}
	if got := gs1Mod10("00012345000000002"); got != 7 {
		t.Errorf("gs1Mod10 = %d, want 7 (SSCC 000123450000000027)", got)
	}
	if got := upsMod10("5R8939035756712"); got != 7 {
		t.Errorf("upsMod10 = %d, want 7 (1Z5R89390357567127)", got)
	}
	if got := mod37_36("09980000020033"); got != 'F' {
		t.Errorf("mod37_36 = %c, want F", got)
	}
	if got := mod7("331881002"); got != 5 {
		t.Errorf("mod7 = %d, want 5", got)
	}
}

func TestEveryFormatHasACarrier(t *testing.T) {
	for _, f := range formats {
		if f.carrier == "" {
			continue // S10
		}
		c, ok := carriers[f.carrier]
		if !ok || c.name == "" {
			t.Errorf("format %q: carrier %q is not in carriers", f.service, f.carrier)
		}
		tmpl := f.url
		if tmpl == "" {
			tmpl = c.url
		}
		if tmpl != "" {
			u, err := url.Parse(trackingURL(tmpl, "X1"))
			if err != nil || u.Scheme != "https" {
				t.Errorf("format %q: tracking URL %q is not https (%v)", f.service, tmpl, err)
			}
		}
	}
	for cc, id := range s10Operators {
		if !isCountry(cc) {
			t.Errorf("s10Operators: %q is not a country code", cc)
		}
		if _, ok := carriers[id]; !ok {
			t.Errorf("s10Operators: %s → %q, which is not in carriers", cc, id)
		}
	}
	if n := len(strings.Fields(iso3166)); n != 249 {
		t.Errorf("iso3166 has %d codes, want 249", n)
	}
}
