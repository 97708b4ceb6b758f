package quiet

import (
	"strings"
	"time"

	"porchlight/hooks/clock"
	"porchlight/hooks/notify/phone"
)

// Sources reported by ResolveLocation, most to least precise.
const (
	SourcePostal  = "address_postal"  // a postal-code override inside a split region
	SourceRegion  = "address_region"  // state / province / territory
	SourceCountry = "address_country" // a country with one time zone
	SourcePhone   = "phone"           // the phone number's area code or country
	SourceBrand   = "brand"           // the shop's own time zone
	SourceUTC     = "utc"             // nothing usable; UTC
)

type region struct {
	name string // English name, for addresses that spell it out
	zone string
}

// regions maps country → region code → zone for the countries that span
// several zones and whose stores send a state/province code. A region that
// itself spans zones gets the zone most of its people live in; postalZones
// refines the well-known splits.
var regions = map[string]map[string]region{
	"US": {
		"AL": {"Alabama", "America/Chicago"}, "AK": {"Alaska", "America/Anchorage"},
		"AZ": {"Arizona", "America/Phoenix"}, "AR": {"Arkansas", "America/Chicago"},
		"CA": {"California", "America/Los_Angeles"}, "CO": {"Colorado", "America/Denver"},
		"CT": {"Connecticut", "America/New_York"}, "DE": {"Delaware", "America/New_York"},
		"DC": {"District of Columbia", "America/New_York"}, "FL": {"Florida", "America/New_York"},
		"GA": {"Georgia", "America/New_York"}, "HI": {"Hawaii", "Pacific/Honolulu"},
		"ID": {"Idaho", "America/Boise"}, "IL": {"Illinois", "America/Chicago"},
		"IN": {"Indiana", "America/Indiana/Indianapolis"}, "IA": {"Iowa", "America/Chicago"},
		"KS": {"Kansas", "America/Chicago"}, "KY": {"Kentucky", "America/New_York"},
		"LA": {"Louisiana", "America/Chicago"}, "ME": {"Maine", "America/New_York"},
		"MD": {"Maryland", "America/New_York"}, "MA": {"Massachusetts", "America/New_York"},
		"MI": {"Michigan", "America/Detroit"}, "MN": {"Minnesota", "America/Chicago"},
		"MS": {"Mississippi", "America/Chicago"}, "MO": {"Missouri", "America/Chicago"},
		"MT": {"Montana", "America/Denver"}, "NE": {"Nebraska", "America/Chicago"},
		"NV": {"Nevada", "America/Los_Angeles"}, "NH": {"New Hampshire", "America/New_York"},
		"NJ": {"New Jersey", "America/New_York"}, "NM": {"New Mexico", "America/Denver"},
		"NY": {"New York", "America/New_York"}, "NC": {"North Carolina", "America/New_York"},
		"ND": {"North Dakota", "America/Chicago"}, "OH": {"Ohio", "America/New_York"},
		"OK": {"Oklahoma", "America/Chicago"}, "OR": {"Oregon", "America/Los_Angeles"},
		"PA": {"Pennsylvania", "America/New_York"}, "RI": {"Rhode Island", "America/New_York"},
		"SC": {"South Carolina", "America/New_York"}, "SD": {"South Dakota", "America/Chicago"},
		"TN": {"Tennessee", "America/Chicago"}, "TX": {"Texas", "America/Chicago"},
		"UT": {"Utah", "America/Denver"}, "VT": {"Vermont", "America/New_York"},
		"VA": {"Virginia", "America/New_York"}, "WA": {"Washington", "America/Los_Angeles"},
		"WV": {"West Virginia", "America/New_York"}, "WI": {"Wisconsin", "America/Chicago"},
		"WY": {"Wyoming", "America/Denver"},
		"PR": {"Puerto Rico", "America/Puerto_Rico"}, "GU": {"Guam", "Pacific/Guam"},
		"VI": {"U.S. Virgin Islands", "America/St_Thomas"}, "AS": {"American Samoa", "Pacific/Pago_Pago"},
		"MP": {"Northern Mariana Islands", "Pacific/Saipan"},
	},
	"CA": {
		"AB": {"Alberta", "America/Edmonton"}, "BC": {"British Columbia", "America/Vancouver"},
		"MB": {"Manitoba", "America/Winnipeg"}, "NB": {"New Brunswick", "America/Moncton"},
		"NL": {"Newfoundland and Labrador", "America/St_Johns"}, "NS": {"Nova Scotia", "America/Halifax"},
		"NT": {"Northwest Territories", "America/Edmonton"}, "NU": {"Nunavut", "America/Iqaluit"},
		"ON": {"Ontario", "America/Toronto"}, "PE": {"Prince Edward Island", "America/Halifax"},
		"QC": {"Quebec", "America/Toronto"}, "SK": {"Saskatchewan", "America/Regina"},
		"YT": {"Yukon", "America/Whitehorse"},
	},
	"AU": {
		"ACT": {"Australian Capital Territory", "Australia/Sydney"}, "NSW": {"New South Wales", "Australia/Sydney"},
		"NT": {"Northern Territory", "Australia/Darwin"}, "QLD": {"Queensland", "Australia/Brisbane"},
		"SA": {"South Australia", "Australia/Adelaide"}, "TAS": {"Tasmania", "Australia/Hobart"},
		"VIC": {"Victoria", "Australia/Melbourne"}, "WA": {"Western Australia", "Australia/Perth"},
	},
	// Single-zone countries with outlying islands on another clock.
	"ES": {"CN": {"Canarias", "Atlantic/Canary"}, "GC": {"Las Palmas", "Atlantic/Canary"}, "TF": {"Santa Cruz de Tenerife", "Atlantic/Canary"}},
	"PT": {"20": {"Açores", "Atlantic/Azores"}, "30": {"Madeira", "Atlantic/Madeira"}},
}

// postalZones refines a region by postal-code prefix where a region is split
// between zones. It covers the well-known US splits by 3-digit ZIP prefix and
// Broken Hill (NSW, on South Australian time); other prefixes fall back to the
// region's zone. Keyed by country, then prefix.
var postalZones = map[string]map[string]postalZoneEntry{
	"US": {
		"324": {"FL", "America/Chicago"}, "325": {"FL", "America/Chicago"}, // Florida panhandle
		"798": {"TX", "America/Denver"}, "799": {"TX", "America/Denver"}, "885": {"TX", "America/Denver"}, // El Paso
		"835": {"ID", "America/Los_Angeles"}, "838": {"ID", "America/Los_Angeles"}, // north Idaho
		"979": {"OR", "America/Boise"},                                     // Malheur County
		"463": {"IN", "America/Chicago"}, "464": {"IN", "America/Chicago"}, // north-west Indiana
		"476": {"IN", "America/Chicago"}, "477": {"IN", "America/Chicago"}, // Evansville
		"373": {"TN", "America/New_York"}, "374": {"TN", "America/New_York"}, "376": {"TN", "America/New_York"},
		"377": {"TN", "America/New_York"}, "378": {"TN", "America/New_York"}, "379": {"TN", "America/New_York"}, // east Tennessee
		"420": {"KY", "America/Chicago"}, "421": {"KY", "America/Chicago"}, "422": {"KY", "America/Chicago"},
		"423": {"KY", "America/Chicago"}, "424": {"KY", "America/Chicago"}, // west Kentucky
		"577": {"SD", "America/Denver"}, // western South Dakota
		"693": {"NE", "America/Denver"}, // Nebraska panhandle
	},
	"AU": {"2880": {"NSW", "Australia/Broken_Hill"}},
}

// postalZoneEntry is a postal-prefix override and the region it belongs to;
// it applies only when the address names that region or none.
type postalZoneEntry struct {
	region, zone string
}

// countryZones lists countries that keep one clock on the mainland, so the
// country alone settles the zone.
var countryZones = map[string]string{
	"GB": "Europe/London", "IE": "Europe/Dublin", "DE": "Europe/Berlin", "FR": "Europe/Paris",
	"NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "LU": "Europe/Luxembourg",
	"AT": "Europe/Vienna", "CH": "Europe/Zurich", "LI": "Europe/Vaduz", "IT": "Europe/Rome",
	"MT": "Europe/Malta", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "DK": "Europe/Copenhagen",
	"NO": "Europe/Oslo", "SE": "Europe/Stockholm", "FI": "Europe/Helsinki", "IS": "Atlantic/Reykjavik",
	"EE": "Europe/Tallinn", "LV": "Europe/Riga", "LT": "Europe/Vilnius", "PL": "Europe/Warsaw",
	"CZ": "Europe/Prague", "SK": "Europe/Bratislava", "HU": "Europe/Budapest", "SI": "Europe/Ljubljana",
	"HR": "Europe/Zagreb", "RO": "Europe/Bucharest", "BG": "Europe/Sofia", "GR": "Europe/Athens",
	"CY": "Asia/Nicosia", "RS": "Europe/Belgrade", "BA": "Europe/Sarajevo", "ME": "Europe/Podgorica",
	"MK": "Europe/Skopje", "AL": "Europe/Tirane", "UA": "Europe/Kyiv", "MD": "Europe/Chisinau",
	"TR": "Europe/Istanbul", "IL": "Asia/Jerusalem", "AE": "Asia/Dubai", "SA": "Asia/Riyadh",
	"QA": "Asia/Qatar", "KW": "Asia/Kuwait", "BH": "Asia/Bahrain", "OM": "Asia/Muscat",
	"JO": "Asia/Amman", "LB": "Asia/Beirut", "EG": "Africa/Cairo", "MA": "Africa/Casablanca",
	"TN": "Africa/Tunis", "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos", "KE": "Africa/Nairobi",
	"GH": "Africa/Accra", "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "BD": "Asia/Dhaka",
	"LK": "Asia/Colombo", "NP": "Asia/Kathmandu", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong",
	"MO": "Asia/Macau", "TW": "Asia/Taipei", "JP": "Asia/Tokyo", "KR": "Asia/Seoul",
	"SG": "Asia/Singapore", "MY": "Asia/Kuala_Lumpur", "TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh",
	"PH": "Asia/Manila", "NZ": "Pacific/Auckland", "AR": "America/Argentina/Buenos_Aires",
	"CL": "America/Santiago", "CO": "America/Bogota", "PE": "America/Lima", "EC": "America/Guayaquil",
	"VE": "America/Caracas", "UY": "America/Montevideo", "PY": "America/Asuncion", "BO": "America/La_Paz",
	"CR": "America/Costa_Rica", "PA": "America/Panama", "GT": "America/Guatemala",
	"SV": "America/El_Salvador", "HN": "America/Tegucigalpa", "NI": "America/Managua",
	"DO": "America/Santo_Domingo", "JM": "America/Jamaica", "PR": "America/Puerto_Rico",
	"CU": "America/Havana",
}

// ResolveLocation picks the recipient's time zone, most precise source first:
//
//  1. the shipping address: a postal-code override inside a split region,
//     else the region (US states and territories, Canadian provinces,
//     Australian states, the Canaries/Azores/Madeira), else the country when
//     it has a single zone;
//  2. the phone number: its area-code zone when libphonenumber knows exactly
//     one, else its country when single-zone; a phone from another country
//     than a multi-zone address is ignored rather than trusted;
//  3. the brand's IANA zone; 4. UTC.
//
// country is ISO 3166-1 alpha-2; region a code ("FL", "US-FL", "QC", "NSW")
// or a name ("Florida"); phoneE164 as produced by phone.E164. The returned
// source is one of the Source constants. It never returns a nil location.
func ResolveLocation(country, region, postal, phoneE164, brandTZ string) (*time.Location, string) {
	c := strings.ToUpper(strings.TrimSpace(country))
	r := normaliseRegion(c, region)
	if p, ok := postalZone(c, postal); ok && (r == "" || r == p.region) {
		if loc := load(p.zone); loc != nil {
			return loc, SourcePostal
		}
	}
	if r != "" {
		if loc := load(regions[c][r].zone); loc != nil {
			return loc, SourceRegion
		}
	}
	if loc := load(countryZones[c]); loc != nil {
		return loc, SourceCountry
	}
	if pc := phone.Country(phoneE164); pc != "" && (c == "" || pc == c) {
		if zones := phone.TimeZones(phoneE164); len(zones) == 1 {
			if loc := load(zones[0]); loc != nil {
				return loc, SourcePhone
			}
		}
		if loc := load(countryZones[pc]); loc != nil {
			return loc, SourcePhone
		}
	}
	if loc := load(strings.TrimSpace(brandTZ)); loc != nil {
		return loc, SourceBrand
	}
	return time.UTC, SourceUTC
}

// normaliseRegion returns the region code known for country, or "".
func normaliseRegion(country, r string) string {
	table := regions[country]
	if table == nil {
		return ""
	}
	r = strings.ToUpper(strings.TrimSpace(r))
	r = strings.TrimPrefix(r, country+"-")
	if _, ok := table[r]; ok {
		return r
	}
	for code, reg := range table {
		if strings.EqualFold(reg.name, r) {
			return code
		}
	}
	return ""
}

// postalZone matches the 4- then 3-character prefix of postal. A US ZIP must
// start with five digits (ZIP+4 allowed), an Australian postcode be four.
func postalZone(country, postal string) (postalZoneEntry, bool) {
	table := postalZones[country]
	p := strings.TrimSpace(postal)
	if table == nil || len(p) < 4 || !allDigits(p[:4]) {
		return postalZoneEntry{}, false
	}
	for _, n := range []int{4, 3} {
		if e, ok := table[p[:n]]; ok {
			return e, true
		}
	}
	return postalZoneEntry{}, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// load returns nil for an empty or unknown zone name. "Local" is refused:
// the server's zone says nothing about the recipient.
func load(name string) *time.Location {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil
	}
	loc, err := clock.Location(name)
	if err != nil {
		return nil
	}
	return loc
}
