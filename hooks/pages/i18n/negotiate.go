package i18n

import (
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Bounds on what negotiation reads from a request. Real Accept-Language
// headers are well under 200 bytes with a handful of entries.
const (
	maxHeaderBytes = 1024
	maxEntries     = 16
	maxTagBytes    = 64
)

// Negotiate picks the locale to render a page in: the ?lang= parameter if
// it matches a supported locale, else the best match for the
// Accept-Language header, else the brand's default locale, else "en" (or
// the first supported locale if "en" is not among them). It returns one of
// supported exactly; "es-MX" and "es-419" pick "es", "gsw" picks "de".
// Matching uses golang.org/x/text/language, so related languages are
// matched by CLDR's rules, not by string prefix. Oversized or malformed
// input is ignored, never an error.
func Negotiate(queryLang, acceptLanguage, brandDefault string, supported []string) string {
	var locales []string
	var tags []language.Tag
	for _, s := range supported {
		t, err := language.Parse(s)
		if err != nil {
			continue
		}
		locales = append(locales, s)
		tags = append(tags, t)
	}
	if len(tags) == 0 {
		return Fallback
	}
	return negotiate(language.NewMatcher(tags), locales, queryLang, acceptLanguage, brandDefault)
}

func negotiate(m language.Matcher, locales []string, queryLang, acceptLanguage, brandDefault string) string {
	if i, ok := matchOne(m, queryLang); ok {
		return locales[i]
	}
	if tags := parseAcceptLanguage(acceptLanguage); len(tags) > 0 {
		if _, i, conf := m.Match(tags...); conf != language.No {
			return locales[i]
		}
	}
	if i, ok := matchOne(m, brandDefault); ok {
		return locales[i]
	}
	for _, l := range locales {
		if l == Fallback {
			return l
		}
	}
	return locales[0]
}

// matchOne matches a single tag such as "es" or "pt-BR".
func matchOne(m language.Matcher, s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxTagBytes {
		return 0, false
	}
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return 0, false
	}
	_, i, conf := m.Match(t)
	return i, conf != language.No
}

// parseAcceptLanguage reads an Accept-Language header leniently: entries
// that do not parse are skipped instead of failing the whole header (as
// language.ParseAcceptLanguage does), q=0 entries are dropped, and the
// rest are ordered by weight, ties kept in header order.
func parseAcceptLanguage(h string) []language.Tag {
	if len(h) > maxHeaderBytes {
		h = h[:maxHeaderBytes]
		if i := strings.LastIndexByte(h, ','); i >= 0 {
			h = h[:i] // drop the entry the cut went through
		}
	}
	type weighted struct {
		tag language.Tag
		q   float64
	}
	var list []weighted
	seen := 0
	for entry := range strings.SplitSeq(h, ",") {
		if seen++; seen > maxEntries {
			break
		}
		name, params, _ := strings.Cut(strings.TrimSpace(entry), ";")
		name = strings.TrimSpace(name)
		if name == "" || name == "*" || len(name) > maxTagBytes {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q == 0 {
			continue
		}
		t, err := language.Parse(name)
		if err != nil {
			continue
		}
		list = append(list, weighted{t, q})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].q > list[j].q })
	tags := make([]language.Tag, len(list))
	for i, w := range list {
		tags[i] = w.tag
	}
	return tags
}
