package edd

import (
	"strings"
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

var (
	laBrand     = Brand{Timezone: "America/Los_Angeles", CutoffHour: 14, ProcessingDays: 1, Country: "US"}
	upsGroundUS = Shipment{Carrier: "ups", Service: "ground", DestCountry: "US"}
)

func TestEstimate(t *testing.T) {
	withShipped := func(s Shipment, at time.Time) Shipment { s.ShippedAt = at; return s }
	brand := func(b Brand, edit func(*Brand)) Brand { edit(&b); return b }

	scenarios := []struct {
		name     string
		in       Input
		now      time.Time // zero: PlacedAt or ShippedAt
		min, max time.Time
		ship     time.Time
		reason   []string // substrings of Reason
	}{
		// Cutoffs: 14:00 in Los Angeles (PST, UTC-8, in early March).
		{
			name: "just before cutoff counts today",
			in:   Input{PlacedAt: time.Date(2025, 3, 4, 21, 59, 59, 0, time.UTC), Brand: laBrand, Shipment: upsGroundUS},
			ship: Date(2025, 3, 5), min: Date(2025, 3, 6), max: Date(2025, 3, 12),
			reason: []string{"ordered before 14:00 cutoff; 1 processing day; ships by Wed 5 Mar 2025; UPS ground 1–5 business days to US (domestic)"},
		},
		{
			name: "at cutoff counts from next business day",
			in:   Input{PlacedAt: utc(2025, 3, 4, 22, 0), Brand: laBrand, Shipment: upsGroundUS},
			ship: Date(2025, 3, 6), min: Date(2025, 3, 7), max: Date(2025, 3, 13),
			reason: []string{"ordered after 14:00 cutoff"},
		},
		{
			name: "friday after cutoff rolls over the weekend",
			in:   Input{PlacedAt: utc(2025, 3, 7, 23, 0), Brand: laBrand, Shipment: upsGroundUS},
			ship: Date(2025, 3, 11), min: Date(2025, 3, 12), max: Date(2025, 3, 18),
		},
		{
			name: "saturday order is a non-business day",
			in:   Input{PlacedAt: utc(2025, 3, 8, 18, 0), Brand: laBrand, Shipment: upsGroundUS},
			ship: Date(2025, 3, 11), min: Date(2025, 3, 12), max: Date(2025, 3, 18),
			reason: []string{"ordered on a non-business day"},
		},
		{
			name: "USPS delivers on Saturday",
			in:   Input{PlacedAt: utc(2025, 3, 7, 23, 0), Brand: laBrand, Shipment: Shipment{Carrier: "USPS", DestCountry: "US"}},
			ship: Date(2025, 3, 11), min: Date(2025, 3, 13), max: Date(2025, 3, 17),
			reason: []string{"USPS 2–5 business days to US (domestic)"},
		},
		{
			name: "zero processing days ships the same day",
			in:   Input{PlacedAt: utc(2025, 3, 4, 18, 0), Brand: brand(laBrand, func(b *Brand) { b.ProcessingDays = 0 }), Shipment: upsGroundUS},
			ship: Date(2025, 3, 4), min: Date(2025, 3, 5), max: Date(2025, 3, 11),
			reason: []string{"0 processing days"},
		},
		{
			name: "no cutoff configured",
			in:   Input{PlacedAt: utc(2025, 3, 5, 7, 0), Brand: brand(laBrand, func(b *Brand) { b.CutoffHour = 0 }), Shipment: upsGroundUS},
			ship: Date(2025, 3, 5), min: Date(2025, 3, 6), max: Date(2025, 3, 12),
		},
		{
			name: "merchant holiday delays processing",
			in: Input{PlacedAt: time.Date(2025, 3, 4, 21, 59, 0, 0, time.UTC), Shipment: upsGroundUS,
				Brand: brand(laBrand, func(b *Brand) { b.Holidays = []time.Time{Date(2025, 3, 5)} })},
			ship: Date(2025, 3, 6), min: Date(2025, 3, 7), max: Date(2025, 3, 13),
			reason: []string{"1 processing day (skips closed date (Wed 5 Mar 2025))"},
		},
		{
			name: "warehouse shipping on saturdays",
			in: Input{PlacedAt: utc(2025, 3, 7, 23, 0), Shipment: upsGroundUS,
				Brand: brand(laBrand, func(b *Brand) { b.ShipDays = monSat(); b.ProcessingDays = 0 })},
			ship: Date(2025, 3, 8), min: Date(2025, 3, 10), max: Date(2025, 3, 14),
		},

		// Time zones: brand in Los Angeles, orders around 23:30 UTC.
		{
			name: "23:30 UTC is 15:30 in Los Angeles, before a 16:00 cutoff",
			in:   Input{PlacedAt: utc(2025, 3, 7, 23, 30), Brand: Brand{Timezone: "America/Los_Angeles", CutoffHour: 16, Country: "US"}, Shipment: upsGroundUS},
			ship: Date(2025, 3, 7), min: Date(2025, 3, 10), max: Date(2025, 3, 14),
		},
		{
			name: "00:30 UTC saturday is still friday 16:30 in Los Angeles, after cutoff",
			in:   Input{PlacedAt: utc(2025, 3, 8, 0, 30), Brand: Brand{Timezone: "America/Los_Angeles", CutoffHour: 16, Country: "US"}, Shipment: upsGroundUS},
			ship: Date(2025, 3, 10), min: Date(2025, 3, 11), max: Date(2025, 3, 17),
			reason: []string{"ordered after 16:00 cutoff"},
		},
		{
			name: "23:30 UTC the day before Thanksgiving eve",
			in:   Input{PlacedAt: utc(2025, 11, 25, 23, 30), Brand: laBrand, Shipment: upsGroundUS},
			// 15:30 Tue → Wed; +1 processing skips Thanksgiving → Fri 28.
			ship: Date(2025, 11, 28), min: Date(2025, 12, 1), max: Date(2025, 12, 5),
			reason: []string{"ordered after 14:00 cutoff; 1 processing day (skips Thanksgiving Day (Thu 27 Nov 2025)); ships by Fri 28 Nov 2025"},
		},

		// DST.
		{
			name: "US spring forward: 18:30 UTC is 14:30 EDT, after cutoff",
			in:   Input{PlacedAt: utc(2025, 3, 10, 18, 30), Brand: Brand{Timezone: "America/New_York", CutoffHour: 14, Country: "US"}, Shipment: upsGroundUS},
			ship: Date(2025, 3, 11), min: Date(2025, 3, 12), max: Date(2025, 3, 18),
		},
		{
			name: "US before DST: 18:30 UTC is 13:30 EST, before cutoff",
			in:   Input{PlacedAt: utc(2025, 3, 7, 18, 30), Brand: Brand{Timezone: "America/New_York", CutoffHour: 14, Country: "US"}, Shipment: upsGroundUS},
			ship: Date(2025, 3, 7), min: Date(2025, 3, 10), max: Date(2025, 3, 14),
		},
		{
			name: "EU fall back: 12:30 UTC is 13:30 CET, before cutoff",
			in: Input{PlacedAt: utc(2025, 10, 27, 12, 30), Brand: Brand{Timezone: "Europe/Berlin", CutoffHour: 14, Country: "DE"},
				Shipment: Shipment{Carrier: "dhl", DestCountry: "DE"}},
			ship: Date(2025, 10, 27), min: Date(2025, 10, 28), max: Date(2025, 10, 30),
		},
		{
			name: "EU before fall back: 12:30 UTC is 14:30 CEST, after cutoff",
			in: Input{PlacedAt: utc(2025, 10, 24, 12, 30), Brand: Brand{Timezone: "Europe/Berlin", CutoffHour: 14, Country: "DE"},
				Shipment: Shipment{Carrier: "dhl", DestCountry: "DE"}},
			ship: Date(2025, 10, 27), min: Date(2025, 10, 28), max: Date(2025, 10, 30),
		},

		// Holidays in transit.
		{
			name: "UPS skips Thanksgiving",
			in:   Input{PlacedAt: utc(2025, 11, 24, 18, 0), Brand: laBrand, Shipment: withShipped(upsGroundUS, utc(2025, 11, 26, 20, 0))},
			ship: Date(2025, 11, 26), min: Date(2025, 11, 28), max: Date(2025, 12, 4),
			reason: []string{"shipped Wed 26 Nov 2025", "skips Thanksgiving Day (Thu 27 Nov 2025)"},
		},
		{
			name: "UPS delivers on Veterans Day",
			in:   Input{PlacedAt: utc(2025, 11, 7, 18, 0), Brand: laBrand, Shipment: withShipped(upsGroundUS, utc(2025, 11, 10, 20, 0))},
			ship: Date(2025, 11, 10), min: Date(2025, 11, 11), max: Date(2025, 11, 17),
		},
		{
			name: "USPS stops for Veterans Day",
			in:   Input{PlacedAt: utc(2025, 11, 7, 18, 0), Brand: laBrand, Shipment: Shipment{Carrier: "usps", DestCountry: "US", ShippedAt: utc(2025, 11, 10, 20, 0)}},
			ship: Date(2025, 11, 10), min: Date(2025, 11, 13), max: Date(2025, 11, 17),
			reason: []string{"skips Veterans Day"},
		},
		{
			name: "UPS over Christmas and New Year",
			in:   Input{PlacedAt: utc(2025, 12, 22, 18, 0), Brand: laBrand, Shipment: withShipped(upsGroundUS, utc(2025, 12, 24, 20, 0))},
			ship: Date(2025, 12, 24), min: Date(2025, 12, 26), max: Date(2026, 1, 2),
		},
		{
			name: "Royal Mail over a UK bank holiday weekend",
			in: Input{PlacedAt: utc(2025, 8, 21, 9, 0), Brand: Brand{Timezone: "Europe/London", Country: "GB"},
				Shipment: Shipment{Carrier: "royalmail", DestCountry: "GB", ShippedAt: utc(2025, 8, 22, 15, 0)}},
			ship: Date(2025, 8, 22), min: Date(2025, 8, 23), max: Date(2025, 8, 27),
			reason: []string{"Royal Mail 1–3 business days to GB (domestic)", "skips Summer Bank Holiday"},
		},
		{
			name: "Royal Mail over Christmas and Boxing Day",
			in: Input{PlacedAt: utc(2025, 12, 22, 9, 0), Brand: Brand{Timezone: "Europe/London", Country: "GB"},
				Shipment: Shipment{Carrier: "royalmail", DestCountry: "GB", ShippedAt: utc(2025, 12, 23, 15, 0)}},
			ship: Date(2025, 12, 23), min: Date(2025, 12, 24), max: Date(2025, 12, 29),
		},
		{
			name: "regional holiday in Bavaria",
			in: Input{PlacedAt: utc(2025, 6, 17, 9, 0), Brand: Brand{Timezone: "Europe/Berlin", Country: "DE"},
				Shipment: Shipment{Carrier: "dhl", DestCountry: "DE", DestRegion: "BY", ShippedAt: utc(2025, 6, 18, 15, 0)}},
			ship: Date(2025, 6, 18), min: Date(2025, 6, 20), max: Date(2025, 6, 24),
		},
		{
			name: "no regional holiday in Berlin",
			in: Input{PlacedAt: utc(2025, 6, 17, 9, 0), Brand: Brand{Timezone: "Europe/Berlin", Country: "DE"},
				Shipment: Shipment{Carrier: "dhl", DestCountry: "DE", DestRegion: "BE", ShippedAt: utc(2025, 6, 18, 15, 0)}},
			ship: Date(2025, 6, 18), min: Date(2025, 6, 19), max: Date(2025, 6, 23),
		},

		{
			name: "FedEx Home Delivery runs Tuesday to Saturday",
			in:   Input{PlacedAt: utc(2025, 3, 6, 18, 0), Brand: laBrand, Shipment: Shipment{Carrier: "FedEx", Service: "Home Delivery", DestCountry: "US", ShippedAt: utc(2025, 3, 7, 20, 0)}},
			ship: Date(2025, 3, 7), min: Date(2025, 3, 8), max: Date(2025, 3, 14),
			reason: []string{"FedEx home delivery 1–5 business days to US (domestic)"},
		},

		// Zones and fallbacks.
		{
			name: "regional zone",
			in:   Input{PlacedAt: utc(2025, 3, 3, 18, 0), Brand: laBrand, Shipment: Shipment{Carrier: "ups", DestCountry: "CA", ShippedAt: utc(2025, 3, 3, 20, 0)}},
			ship: Date(2025, 3, 3), min: Date(2025, 3, 6), max: Date(2025, 3, 12),
			reason: []string{"UPS 3–7 business days to CA (regional)"},
		},
		{
			name: "international zone and unknown carrier",
			in:   Input{PlacedAt: utc(2025, 3, 3, 18, 0), Brand: laBrand, Shipment: Shipment{Carrier: "acme", DestCountry: "JP", ShippedAt: utc(2025, 3, 3, 20, 0)}},
			ship: Date(2025, 3, 3), min: Date(2025, 3, 11), max: Date(2025, 3, 21),
			reason: []string{"acme 6–14 business days to JP (international)", "no public-holiday data for JP"},
		},
		{
			name: "shipment origin overrides brand country",
			in: Input{PlacedAt: utc(2025, 3, 3, 18, 0), Brand: laBrand,
				Shipment: Shipment{Carrier: "dpd", OriginCountry: "NL", DestCountry: "DE", ShippedAt: utc(2025, 3, 3, 20, 0)}},
			ship: Date(2025, 3, 3), min: Date(2025, 3, 5), max: Date(2025, 3, 10),
			reason: []string{"DPD 2–5 business days to DE (regional)"},
		},

		// Late processing.
		{
			name: "unshipped past its ship-by date counts from now",
			in:   Input{PlacedAt: utc(2025, 3, 3, 18, 0), Brand: laBrand, Shipment: upsGroundUS},
			now:  utc(2025, 3, 6, 23, 0), // Thu 15:00 PST, after cutoff
			ship: Date(2025, 3, 7), min: Date(2025, 3, 10), max: Date(2025, 3, 14),
			reason: []string{"not shipped yet, counting from Fri 7 Mar 2025"},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			now := s.now
			if now.IsZero() {
				now = s.in.PlacedAt
				if !s.in.Shipment.ShippedAt.IsZero() {
					now = s.in.Shipment.ShippedAt
				}
			}
			w, err := Estimate(s.in, nil, now)
			if err != nil {
				t.Fatal(err)
			}
			checkWindow(t, w, s.min, s.max)
			if !w.ShipBy.Equal(s.ship) {
				t.Errorf("ShipBy = %s, want %s", w.ShipBy.Format(time.DateOnly), s.ship.Format(time.DateOnly))
			}
			if w.Source != SourceRules {
				t.Errorf("Source = %q", w.Source)
			}
			for _, r := range s.reason {
				if !strings.Contains(w.Reason, r) {
					t.Errorf("Reason %q lacks %q", w.Reason, r)
				}
			}
		})
	}
}

func checkWindow(t *testing.T, w Window, min, max time.Time) {
	t.Helper()
	if !w.Min.Equal(min) || !w.Max.Equal(max) {
		t.Errorf("window %s–%s, want %s–%s (%s)", w.Min.Format(time.DateOnly), w.Max.Format(time.DateOnly),
			min.Format(time.DateOnly), max.Format(time.DateOnly), w.Reason)
	}
	if w.Min.Location() != time.UTC || w.Min.Hour() != 0 {
		t.Errorf("Min %v is not a civil date at 00:00 UTC", w.Min)
	}
}

func TestEstimateLearned(t *testing.T) {
	repeat := func(v, n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	shipped := utc(2025, 3, 3, 20, 0) // Monday
	base := Input{PlacedAt: shipped, Brand: laBrand, Shipment: Shipment{Carrier: "ups", DestCountry: "US", DestRegion: "CA", ShippedAt: shipped}}

	scenarios := []struct {
		name     string
		history  []int
		rules    *Rules
		source   string
		min, max time.Time
		reason   string
	}{
		{"no history uses rules", nil, nil, SourceRules, Date(2025, 3, 4), Date(2025, 3, 10), "UPS 1–5"},
		{"19 samples are not enough", repeat(2, 19), nil, SourceRules, Date(2025, 3, 4), Date(2025, 3, 10), "UPS 1–5"},
		{"20 samples are", repeat(2, 20), nil, SourceLearned, Date(2025, 3, 5), Date(2025, 3, 5),
			"UPS 2 business days to US-CA (learned: 10th–90th percentile of 20 deliveries)"},
		{"slow tail beyond the 90th percentile is ignored", append(repeat(2, 17), 3, 9, 15), nil, SourceLearned,
			Date(2025, 3, 5), Date(2025, 3, 6), "UPS 2–3 business days"},
		{"fast head below the 10th percentile is ignored", append([]int{0}, repeat(4, 19)...), nil, SourceLearned,
			Date(2025, 3, 7), Date(2025, 3, 7), "UPS 4 business days"},
		{"two fast outliers reach the 10th percentile", append([]int{1, 1}, repeat(4, 18)...), nil, SourceLearned,
			Date(2025, 3, 4), Date(2025, 3, 7), "UPS 1–4 business days"},
		{"negative samples are dropped before counting", append([]int{-1}, repeat(2, 19)...), nil, SourceRules,
			Date(2025, 3, 4), Date(2025, 3, 10), "UPS 1–5"},
		{"MinSamples override", repeat(3, 5), &Rules{MinSamples: 5, Carriers: DefaultRules().Carriers, Transit: DefaultRules().Transit}, SourceLearned,
			Date(2025, 3, 6), Date(2025, 3, 6), "of 5 deliveries"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			in := base
			in.History = s.history
			w, err := Estimate(in, s.rules, shipped)
			if err != nil {
				t.Fatal(err)
			}
			if w.Source != s.source {
				t.Errorf("Source = %q, want %q", w.Source, s.source)
			}
			checkWindow(t, w, s.min, s.max)
			if !strings.Contains(w.Reason, s.reason) {
				t.Errorf("Reason %q lacks %q", w.Reason, s.reason)
			}
		})
	}
}

func TestPercentileNearestRank(t *testing.T) {
	seq := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = n - i // descending: Percentile must sort
		}
		return out
	}
	scenarios := []struct {
		samples []int
		p, want int
	}{
		{seq(20), 10, 2}, {seq(20), 90, 18}, {seq(20), 50, 10}, {seq(20), 100, 20}, {seq(20), 1, 1},
		{seq(10), 10, 1}, {seq(10), 90, 9},
		{seq(21), 10, 3}, {seq(21), 90, 19},
		{seq(3), 0, 1}, {seq(3), 150, 3},
		{nil, 50, 0},
	}
	for _, s := range scenarios {
		if got := Percentile(s.samples, s.p); got != s.want {
			t.Errorf("Percentile(N=%d, p=%d) = %d, want %d", len(s.samples), s.p, got, s.want)
		}
	}
	in := seq(5)
	Percentile(in, 50)
	if in[0] != 5 {
		t.Error("Percentile must not reorder the caller's slice")
	}
}

func TestEstimateCarrierEstimate(t *testing.T) {
	// Shipped Monday 3 March; the rules window is Tue 4 – Mon 10 March.
	shipped := utc(2025, 3, 3, 20, 0)
	base := Input{PlacedAt: utc(2025, 3, 3, 17, 0), Brand: laBrand, Shipment: withCarrier(shipped)}

	scenarios := []struct {
		name     string
		in       func(Input) Input
		now      time.Time
		estimate time.Time
		source   string
		reason   string
	}{
		{"inside the window", nil, shipped, Date(2025, 3, 5), SourceCarrier, "carrier estimate Wed 5 Mar 2025 (computed Tue 4 Mar 2025–Mon 10 Mar 2025)"},
		{"earlier than the rules but today", nil, shipped, Date(2025, 3, 3), SourceCarrier, "carrier estimate Mon 3 Mar"},
		{"later than the window within slack", nil, shipped, Date(2025, 3, 20), SourceCarrier, "carrier estimate Thu 20 Mar"},
		{"beyond the slack", nil, shipped, Date(2025, 3, 21), SourceRules, "ignored: more than 10 days after"},
		{"in the past", nil, shipped, Date(2025, 3, 2), SourceRules, "ignored: already past"},
		{"given as a local midnight elsewhere", nil, shipped, time.Date(2025, 3, 5, 0, 0, 0, 0, time.FixedZone("+9", 9*3600)), SourceCarrier, "Wed 5 Mar"},
		{
			"before the parcel ships",
			func(in Input) Input {
				in.Shipment.ShippedAt = time.Time{}
				in.Brand.ProcessingDays = 3
				return in
			},
			utc(2025, 3, 3, 17, 0), Date(2025, 3, 5), SourceRules, "ignored: before the parcel ships",
		},
		{
			// 06:00 UTC on the 4th is still the 3rd in Los Angeles…
			"today in the shopper's zone (LA)",
			func(in Input) Input { in.Shipment.DestTimezone = "America/Los_Angeles"; return in },
			utc(2025, 3, 4, 6, 0), Date(2025, 3, 3), SourceCarrier, "",
		},
		{
			// …but already the 4th in London.
			"yesterday in the shopper's zone (London)",
			func(in Input) Input { in.Shipment.DestTimezone = "Europe/London"; return in },
			utc(2025, 3, 4, 6, 0), Date(2025, 3, 3), SourceRules, "already past",
		},
		{
			"four days after the window",
			nil, shipped, Date(2025, 3, 14), SourceCarrier, "",
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			in := base
			if s.in != nil {
				in = s.in(in)
			}
			in.CarrierEstimate = s.estimate
			w, err := Estimate(in, nil, s.now)
			if err != nil {
				t.Fatal(err)
			}
			if w.Source != s.source {
				t.Fatalf("Source = %q, want %q (%s)", w.Source, s.source, w.Reason)
			}
			if s.source == SourceCarrier {
				est := civil(s.estimate)
				checkWindow(t, w, est, est)
			}
			if !strings.Contains(w.Reason, s.reason) {
				t.Errorf("Reason %q lacks %q", w.Reason, s.reason)
			}
		})
	}

	r := DefaultRules()
	r.CarrierSlackDays = 2
	in := base
	in.CarrierEstimate = Date(2025, 3, 13)
	if w, _ := Estimate(in, &r, shipped); w.Source != SourceRules {
		t.Errorf("with 2 days of slack 13 Mar should be implausible, got %s", w.Source)
	}
	in.CarrierEstimate = Date(2025, 3, 12)
	if w, _ := Estimate(in, &r, shipped); w.Source != SourceCarrier {
		t.Errorf("with 2 days of slack 12 Mar should be plausible, got %s", w.Source)
	}
}

func withCarrier(shipped time.Time) Shipment {
	s := upsGroundUS
	s.ShippedAt = shipped
	return s
}

func TestEstimateErrors(t *testing.T) {
	if _, err := Estimate(Input{PlacedAt: utc(2025, 3, 3, 0, 0), Brand: Brand{Timezone: "Mars/Olympus"}}, nil, utc(2025, 3, 3, 0, 0)); err == nil {
		t.Error("unknown brand timezone should fail")
	}
	if _, err := Estimate(Input{PlacedAt: utc(2025, 3, 3, 0, 0), Shipment: Shipment{DestTimezone: "Nope/Nope"}}, nil, utc(2025, 3, 3, 0, 0)); err == nil {
		t.Error("unknown destination timezone should fail")
	}
	if _, err := Estimate(Input{}, nil, utc(2025, 3, 3, 0, 0)); err == nil {
		t.Error("no dates should fail")
	}
	if _, err := ShipBy(utc(2025, 3, 3, 0, 0), Brand{Timezone: "Mars/Olympus"}); err == nil {
		t.Error("ShipBy with unknown timezone should fail")
	}
}

func TestShipBy(t *testing.T) {
	got, err := ShipBy(utc(2025, 11, 25, 23, 30), laBrand)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(Date(2025, 11, 28)) {
		t.Errorf("ShipBy = %s, want 2025-11-28", got.Format(time.DateOnly))
	}
}

func TestZoneOf(t *testing.T) {
	r := DefaultRules()
	scenarios := []struct {
		origin, dest string
		want         Zone
	}{
		{"US", "us", Domestic}, {"US", "CA", Regional}, {"GB", "DE", Regional}, {"UK", "GB", Domestic},
		{"US", "GB", International}, {"AU", "NZ", Regional}, {"", "US", International}, {"US", "", International},
	}
	for _, s := range scenarios {
		if got := r.ZoneOf(s.origin, s.dest); got != s.want {
			t.Errorf("ZoneOf(%q, %q) = %s, want %s", s.origin, s.dest, got, s.want)
		}
	}
}

func TestChanged(t *testing.T) {
	w := func(min, max time.Time, src string) Window {
		return Window{Min: min, Max: max, Source: src, Reason: "because"}
	}
	a := w(Date(2025, 3, 4), Date(2025, 3, 10), SourceRules)
	scenarios := []struct {
		name     string
		old, new Window
		changed  bool
		reason   string
	}{
		{"both empty", Window{}, Window{}, false, ""},
		{"first estimate", Window{}, a, true, "first estimate Tue 4 Mar 2025–Mon 10 Mar 2025: because"},
		{"unchanged", a, a, false, ""},
		{"same dates from another source", a, w(Date(2025, 3, 4), Date(2025, 3, 10), SourceLearned), false, ""},
		{"same dates in another location", a, w(time.Date(2025, 3, 4, 0, 0, 0, 0, time.FixedZone("x", 3600)), Date(2025, 3, 10), SourceRules), false, ""},
		{"later", a, w(Date(2025, 3, 6), Date(2025, 3, 12), SourceRules), true, "later by 2 days (was Tue 4 Mar 2025–Mon 10 Mar 2025, now Thu 6 Mar 2025–Wed 12 Mar 2025): because"},
		{"earlier, carrier", a, w(Date(2025, 3, 5), Date(2025, 3, 5), SourceCarrier), true, "earlier by 5 days (was Tue 4 Mar 2025–Mon 10 Mar 2025, now Wed 5 Mar 2025), source rules → carrier: because"},
		{"narrowed", a, w(Date(2025, 3, 6), Date(2025, 3, 10), SourceLearned), true, "window narrowed"},
		{"widened", a, w(Date(2025, 3, 3), Date(2025, 3, 10), SourceRules), true, "window widened"},
		{"later by one day", a, w(Date(2025, 3, 4), Date(2025, 3, 11), SourceRules), true, "later by 1 day"},
		{"withdrawn", a, Window{}, true, "estimate withdrawn (was Tue 4 Mar 2025–Mon 10 Mar 2025)"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			changed, reason := Changed(s.old, s.new)
			if changed != s.changed || !strings.Contains(reason, s.reason) || (!changed && reason != "") {
				t.Errorf("Changed = %v, %q; want %v, %q", changed, reason, s.changed, s.reason)
			}
		})
	}
}

func TestRegionKey(t *testing.T) {
	scenarios := []struct{ country, region, postal, want string }{
		{"us", "ca", "94103", "US-CA"},
		{"US", "US-NY", "", "US-NY"},
		{"US", "", "94103-1234", "US-941"},
		{"CA", "", "k1a 0b1", "CA-K1A"},
		{"GB", "", "SW1A 1AA", "GB-SW"},
		{"UK", "", "M1 1AE", "GB-M"},
		{"DE", "", "80331", "DE-80"},
		{"FR", "", "", "FR"},
	}
	for _, s := range scenarios {
		if got := RegionKey(s.country, s.region, s.postal); got != s.want {
			t.Errorf("RegionKey(%q, %q, %q) = %q, want %q", s.country, s.region, s.postal, got, s.want)
		}
	}
}

func TestDefaultRulesAreFreshCopies(t *testing.T) {
	a := DefaultRules()
	a.Transit["ups"] = Transit{}
	a.Groups["US"] = "mars"
	b := DefaultRules()
	if b.Transit["ups"].Domestic.Max != 5 || b.Groups["US"] != "north_america" {
		t.Fatal("DefaultRules shares state between callers")
	}
}

func TestOverriddenTransitTable(t *testing.T) {
	r := DefaultRules()
	r.Transit["ups"] = Transit{Domestic: Span{3, 5}}
	shipped := utc(2025, 3, 3, 20, 0)
	w, err := Estimate(Input{PlacedAt: shipped, Brand: laBrand, Shipment: withCarrier(shipped)}, &r, shipped)
	if err != nil {
		t.Fatal(err)
	}
	checkWindow(t, w, Date(2025, 3, 6), Date(2025, 3, 10))
	if !strings.Contains(w.Reason, "UPS ground 3–5 business days to US") {
		t.Errorf("Reason = %q", w.Reason)
	}
}
