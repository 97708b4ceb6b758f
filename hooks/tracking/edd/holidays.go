package edd

import (
	"strings"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/us"
)

// Public holidays come from github.com/rickar/cal/v2, which keeps the rules
// (Easter, "fourth Thursday", weekend substitution) rather than a list of
// dates that goes stale. Only its national lists are used, except where it
// has regional lists and a region is known (Australian states, German
// Länder); Australia has no national list there, so auNational is the set
// every state shares.

var auNational = []*cal.Holiday{
	au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday,
	au.AnzacDay, au.ChristmasDay, au.BoxingDay,
}

var nationalHolidays = map[string][]*cal.Holiday{
	"AT": at.Holidays,
	"AU": auNational,
	"BE": be.Holidays,
	"CA": ca.Holidays,
	"CH": ch.Holidays,
	"DE": de.Holidays,
	"DK": dk.Holidays,
	"ES": es.Holidays,
	"FR": fr.Holidays,
	"GB": gb.Holidays,
	"IE": ie.Holidays,
	"IT": it.Holidays,
	"NL": nl.Holidays,
	"NO": no.Holidays,
	"NZ": nz.Holidays,
	"PL": pl.Holidays,
	"SE": se.Holidays,
	"US": us.Holidays,
}

var regionalHolidays = map[string]map[string][]*cal.Holiday{
	"AU": {
		"ACT": au.HolidaysACT, "NSW": au.HolidaysNSW, "NT": au.HolidaysNT,
		"QLD": au.HolidaysQLD, "SA": au.HolidaysSA, "TAS": au.HolidaysTAS,
		"VIC": au.HolidaysVIC, "WA": au.HolidaysWA,
	},
	"DE": {
		"BW": de.HolidaysBW, "BY": de.HolidaysBY, "BE": de.HolidaysBE,
		"BB": de.HolidaysBB, "HB": de.HolidaysHB, "HH": de.HolidaysHH,
		"HE": de.HolidaysHE, "MV": de.HolidaysMV, "NI": de.HolidaysNI,
		"NW": de.HolidaysNW, "RP": de.HolidaysRP, "SL": de.HolidaysSL,
		"SN": de.HolidaysSN, "ST": de.HolidaysST, "SH": de.HolidaysSH,
		"TH": de.HolidaysTH,
	},
}

// HasPublicHolidays reports whether public-holiday rules are known for the
// ISO 3166-1 alpha-2 country code. Without them only weekends and the
// merchant's own dates are skipped.
func HasPublicHolidays(country string) bool {
	_, ok := nationalHolidays[normCountry(country)]
	return ok
}

// publicHolidays returns the holiday rules for a country and, where the
// library has them, a region ("NSW", "AU-NSW", "by"...).
func publicHolidays(country, region string) []*cal.Holiday {
	country = normCountry(country)
	region = strings.ToUpper(strings.TrimSpace(region))
	region = strings.TrimPrefix(region, country+"-")
	if byRegion, ok := regionalHolidays[country]; ok && region != "" {
		if hs, ok := byRegion[region]; ok {
			return hs
		}
	}
	return nationalHolidays[country]
}

// normCountry upper-cases an ISO country code and maps the common "UK" alias
// onto ISO's "GB".
func normCountry(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c == "UK" {
		return "GB"
	}
	return c
}
