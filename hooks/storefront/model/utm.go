package model

import (
	"net/url"
	"strings"
)

// maxUTMInput bounds the landing-site string ParseUTM looks at; longer input
// is still stored in LandingSite (Validate caps it) but only its first part
// is searched for parameters.
const maxUTMInput = 8 << 10

// ParseUTM reads utm_source, utm_medium, utm_campaign, utm_content,
// utm_term and ad_angle from a landing-site string and returns them with
// LandingSite set to the input. The input may be a full URL
// ("https://shop.example/p?utm_source=x"), a path with a query
// ("/products/tote?utm_source=x", Shopify's landing_site), or a bare query
// ("?utm_source=x" or "utm_source=x"). Parameter names match case-insensitively;
// the first non-empty value wins. Malformed escapes do not abort parsing:
// the parameters that can be read are returned.
func ParseUTM(landingSite string) Acquisition {
	a := Acquisition{LandingSite: landingSite}
	s := landingSite
	if len(s) > maxUTMInput {
		s = s[:maxUTMInput]
	}
	query := s
	if i := strings.IndexByte(s, '?'); i >= 0 {
		query = s[i+1:]
	} else if !strings.Contains(s, "=") {
		return a
	} else if strings.Contains(s, "://") || strings.HasPrefix(s, "/") {
		// A URL or path without a query: '=' is in the path, not a param.
		return a
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	for part := range strings.SplitSeq(query, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			// Keep what the shopper's link carried rather than losing it.
			val = v
		}
		val = SanitizeLine(val)
		if val == "" {
			continue
		}
		setUTM(&a, key, val)
	}
	return a
}

// setUTM stores val under the field named by key if that field is still
// empty. It accepts "utm_source" and the "_utm_source" spelling Shopify
// merchants use for hidden cart attributes.
func setUTM(a *Acquisition, key, val string) {
	var dst *string
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(key), "_")) {
	case "utm_source":
		dst = &a.Source
	case "utm_medium":
		dst = &a.Medium
	case "utm_campaign":
		dst = &a.Campaign
	case "utm_content":
		dst = &a.Content
	case "utm_term":
		dst = &a.Term
	case "ad_angle":
		dst = &a.AdAngle
	default:
		return
	}
	if *dst == "" {
		*dst = val
	}
}

// SetUTMField stores val in the UTM or ad_angle field named by key
// ("utm_source", "_utm_campaign", "ad_angle", …, case-insensitive),
// overwriting what is there. It reports whether key named such a field.
// Adapters use it for order attributes that override the landing URL.
func (a *Acquisition) SetUTMField(key, val string) bool {
	val = SanitizeLine(val)
	var probe Acquisition
	setUTM(&probe, key, "x")
	if probe.IsZero() {
		return false
	}
	if val == "" {
		return true
	}
	switch {
	case probe.Source != "":
		a.Source = val
	case probe.Medium != "":
		a.Medium = val
	case probe.Campaign != "":
		a.Campaign = val
	case probe.Content != "":
		a.Content = val
	case probe.Term != "":
		a.Term = val
	case probe.AdAngle != "":
		a.AdAngle = val
	}
	return true
}

// FillFrom copies every UTM/ad_angle field of b that is empty in a.
func (a *Acquisition) FillFrom(b Acquisition) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&a.Source, b.Source)
	fill(&a.Medium, b.Medium)
	fill(&a.Campaign, b.Campaign)
	fill(&a.Content, b.Content)
	fill(&a.Term, b.Term)
	fill(&a.AdAngle, b.AdAngle)
}
