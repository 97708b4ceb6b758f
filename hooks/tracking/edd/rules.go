package edd

import (
	"strings"
	"time"
)

// Zone is how far a parcel travels, the second key of the transit table.
type Zone string

const (
	Domestic      Zone = "domestic"      // origin and destination country are the same
	Regional      Zone = "regional"      // neighbouring countries (same Rules.Groups group)
	International Zone = "international" // everything else, and unknown origin or destination
)

// Span is a range of business days, inclusive.
type Span struct{ Min, Max int }

// Transit holds the business days in transit for each zone.
type Transit struct{ Domestic, Regional, International Span }

// For returns the span for zone z.
func (t Transit) For(z Zone) Span {
	switch z {
	case Domestic:
		return t.Domestic
	case Regional:
		return t.Regional
	default:
		return t.International
	}
}

// CarrierRule says on which days a carrier delivers.
type CarrierRule struct {
	// Name is the display name used in reasons ("Royal Mail").
	Name string
	// DeliveryDays are the weekdays the carrier delivers on; empty means
	// Monday to Friday.
	DeliveryDays []time.Weekday
	// ObservedHolidays lists, per destination country, the only public
	// holidays the carrier stops for (library names). A country missing here
	// means every public holiday of that country.
	ObservedHolidays map[string][]string
}

// Rules are the tables behind an estimate. Start from DefaultRules and
// change what a merchant overrides; the zero value of a numeric field means
// its default.
type Rules struct {
	// Carriers is keyed by "carrier/service" or "carrier" (lowercase ids),
	// looked up in that order, then "*".
	Carriers map[string]CarrierRule
	// Transit is keyed like Carriers.
	Transit map[string]Transit
	// Groups maps a country code to its neighbourhood; two different
	// countries in the same group are Regional to each other.
	Groups map[string]string
	// MinSamples is how many observed transits a lane needs before learned
	// estimates replace the table (default 20).
	MinSamples int
	// CarrierSlackDays is how many calendar days past the computed window's
	// end a carrier's own estimate may fall and still be believed (default 10).
	CarrierSlackDays int
}

// Defaults for the numeric Rules fields.
const (
	DefaultMinSamples       = 20
	DefaultCarrierSlackDays = 10
)

// The weekday sets and holiday lists are built per call so that callers
// editing their copy of DefaultRules never touch another caller's.
func monFri() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
}

func monSat() []time.Weekday { return append(monFri(), time.Saturday) }

func tueSat() []time.Weekday { return monSat()[1:] }

// usPrivateCarrier lists the US holidays UPS and FedEx stop for; they
// deliver on the other federal holidays (MLK, Presidents', Juneteenth,
// Columbus, Veterans Day).
func usPrivateCarrier() map[string][]string {
	return map[string][]string{"US": {
		"New Year's Day", "Memorial Day", "Independence Day", "Labor Day",
		"Thanksgiving Day", "Christmas Day",
	}}
}

// DefaultRules returns a fresh copy of the built-in tables, safe to modify.
// The transit figures are conservative published ranges for the standard
// (non-express) service; express services get their own "carrier/service"
// rows.
func DefaultRules() Rules {
	r := Rules{
		Carriers: map[string]CarrierRule{
			"*":                   {Name: "", DeliveryDays: monFri()},
			"usps":                {Name: "USPS", DeliveryDays: monSat()},
			"ups":                 {Name: "UPS", DeliveryDays: monFri(), ObservedHolidays: usPrivateCarrier()},
			"fedex":               {Name: "FedEx", DeliveryDays: monFri(), ObservedHolidays: usPrivateCarrier()},
			"fedex/home_delivery": {Name: "FedEx", DeliveryDays: tueSat(), ObservedHolidays: usPrivateCarrier()},
			"dhl":                 {Name: "DHL", DeliveryDays: monFri()},
			"royalmail":           {Name: "Royal Mail", DeliveryDays: monSat()},
			"dpd":                 {Name: "DPD", DeliveryDays: monFri()},
			"canadapost":          {Name: "Canada Post", DeliveryDays: monFri()},
			"postnl":              {Name: "PostNL", DeliveryDays: monSat()},
			"auspost":             {Name: "Australia Post", DeliveryDays: monFri()},
			"gls":                 {Name: "GLS", DeliveryDays: monFri()},
			"simulator":           {Name: "Simulator", DeliveryDays: monFri()},
		},
		Transit: map[string]Transit{
			"*":                     {Span{2, 5}, Span{4, 8}, Span{6, 14}},
			"usps":                  {Span{2, 5}, Span{5, 10}, Span{7, 21}},
			"usps/priority":         {Span{1, 3}, Span{5, 10}, Span{6, 10}},
			"usps/priority_express": {Span{1, 2}, Span{3, 5}, Span{3, 5}},
			"ups":                   {Span{1, 5}, Span{3, 7}, Span{4, 10}},
			"ups/2nd_day_air":       {Span{2, 2}, Span{3, 7}, Span{4, 10}},
			"ups/next_day_air":      {Span{1, 1}, Span{3, 7}, Span{4, 10}},
			"fedex":                 {Span{1, 5}, Span{3, 7}, Span{4, 10}},
			"fedex/2day":            {Span{2, 2}, Span{3, 7}, Span{4, 10}},
			"fedex/overnight":       {Span{1, 1}, Span{3, 7}, Span{4, 10}},
			"dhl":                   {Span{1, 3}, Span{2, 5}, Span{3, 8}},
			"royalmail":             {Span{1, 3}, Span{3, 5}, Span{5, 10}},
			"royalmail/tracked24":   {Span{1, 2}, Span{3, 5}, Span{5, 10}},
			"dpd":                   {Span{1, 2}, Span{2, 5}, Span{4, 8}},
			"canadapost":            {Span{2, 7}, Span{4, 8}, Span{6, 12}},
			"postnl":                {Span{1, 2}, Span{2, 5}, Span{5, 10}},
			"auspost":               {Span{2, 6}, Span{4, 8}, Span{6, 12}},
			"gls":                   {Span{1, 3}, Span{2, 5}, Span{4, 8}},
			"simulator":             {Span{2, 4}, Span{3, 6}, Span{5, 10}},
		},
		Groups: map[string]string{},
	}
	for _, c := range []string{
		// EU, EEA, Switzerland and the UK: road networks and next-door hubs.
		"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
		"GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT",
		"NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
	} {
		r.Groups[c] = "europe"
	}
	for _, c := range []string{"US", "CA", "MX"} {
		r.Groups[c] = "north_america"
	}
	for _, c := range []string{"AU", "NZ"} {
		r.Groups[c] = "oceania"
	}
	return r
}

// ZoneOf classifies a route. Unknown origin or destination is International,
// the widest window, rather than a guess that might promise too much.
func (r *Rules) ZoneOf(origin, dest string) Zone {
	origin, dest = normCountry(origin), normCountry(dest)
	switch {
	case origin == "" || dest == "":
		return International
	case origin == dest:
		return Domestic
	case r.Groups[origin] != "" && r.Groups[origin] == r.Groups[dest]:
		return Regional
	default:
		return International
	}
}

// carrier looks up the delivery-day rule for carrier/service.
func (r *Rules) carrier(carrier, service string) CarrierRule {
	for _, k := range lookupKeys(carrier, service) {
		if c, ok := r.Carriers[k]; ok {
			if c.Name == "" {
				c.Name = carrier
			}
			return c
		}
	}
	return CarrierRule{Name: carrier}
}

// transit looks up the transit spans for carrier/service.
func (r *Rules) transit(carrier, service string) Transit {
	for _, k := range lookupKeys(carrier, service) {
		if t, ok := r.Transit[k]; ok {
			return t
		}
	}
	return DefaultRules().Transit["*"]
}

func lookupKeys(carrier, service string) []string {
	keys := make([]string, 0, 3)
	if service != "" {
		keys = append(keys, carrier+"/"+service)
	}
	return append(keys, carrier, "*")
}

func (r *Rules) minSamples() int {
	if r.MinSamples > 0 {
		return r.MinSamples
	}
	return DefaultMinSamples
}

func (r *Rules) carrierSlackDays() int {
	if r.CarrierSlackDays > 0 {
		return r.CarrierSlackDays
	}
	return DefaultCarrierSlackDays
}

// normID lowercases a carrier or service id and joins words with "_"
// ("Next Day Air" → "next_day_air").
func normID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '-' || r == '_'
	}), "_")
}
