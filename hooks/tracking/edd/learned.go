package edd

import (
	"slices"
	"strings"
	"unicode"
)

// Learned estimates. The caller keeps, per lane (carrier × destination
// region, see RegionKey), the transit business days of delivered parcels
// (Calendar.BusinessDaysBetween(shipped date, delivered date) on the
// carrier's calendar) and passes them as Input.History.

// Percentile returns the p-th percentile (1 ≤ p ≤ 100) of samples by the
// nearest-rank method: sort ascending and take the value at 1-based rank
// ⌈p/100 × N⌉. It never interpolates, so the answer is always a value that
// was actually observed. p is clamped to [1, 100]; empty samples give 0.
func Percentile(samples []int, p int) int {
	if len(samples) == 0 {
		return 0
	}
	p = max(1, min(100, p))
	s := slices.Clone(samples)
	slices.Sort(s)
	rank := (p*len(s) + 99) / 100 // integer ⌈p·N/100⌉, no float rounding
	return s[max(rank, 1)-1]
}

// LearnedSpan returns the 10th–90th percentile (nearest rank) of the valid
// samples (negative values are dropped as bad data) and how many there were.
// ok is false below minSamples.
func LearnedSpan(samples []int, minSamples int) (span Span, n int, ok bool) {
	valid := make([]int, 0, len(samples))
	for _, s := range samples {
		if s >= 0 {
			valid = append(valid, s)
		}
	}
	if len(valid) < minSamples || len(valid) == 0 {
		return Span{}, len(valid), false
	}
	return Span{Percentile(valid, 10), Percentile(valid, 90)}, len(valid), true
}

// RegionKey names the destination region of a learned-estimate lane:
// "US-CA" from a region code, otherwise a postal prefix coarse enough to
// gather samples (US ZIP3, Canadian FSA, UK postcode area letters, the first
// two characters elsewhere), otherwise the country alone.
func RegionKey(country, region, postal string) string {
	country = normCountry(country)
	region = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(region)), country+"-")
	if region != "" {
		return country + "-" + region
	}
	p := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToUpper(r)
		}
		return -1
	}, postal)
	if p == "" {
		return country
	}
	var prefix string
	switch country {
	case "US", "CA":
		prefix = p[:min(3, len(p))]
	case "GB":
		prefix = strings.TrimRightFunc(p[:min(2, len(p))], unicode.IsDigit)
	default:
		prefix = p[:min(2, len(p))]
	}
	return country + "-" + prefix
}
