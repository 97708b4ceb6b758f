package i18n

import (
	"slices"
	"strings"
	"testing"
)

var supported = []string{"en", "es", "de", "fr"}

func TestNegotiate(t *testing.T) {
	scenarios := []struct {
		name                 string
		query, accept, brand string
		supported            []string
		want                 string
	}{
		{"nothing given", "", "", "", supported, "en"},
		{"query wins", "de", "fr-FR,fr;q=0.9", "es", supported, "de"},
		{"query with region", "es-MX", "", "", supported, "es"},
		{"query with underscore", "fr_CA", "", "", supported, "fr"},
		{"query upper case", "DE", "", "", supported, "de"},
		{"unsupported query falls through", "pt", "de-CH,de;q=0.9", "", supported, "de"},
		{"garbage query falls through", "<script>", "fr", "", supported, "fr"},
		{"accept first choice", "", "fr-CA,fr;q=0.9,en;q=0.8", "", supported, "fr"},
		{"accept by weight", "", "en;q=0.3,es;q=0.9", "", supported, "es"},
		{"accept skips unsupported", "", "nl-NL,nl;q=0.9,de;q=0.7,en;q=0.5", "", supported, "de"},
		{"accept Latin American Spanish", "", "es-419", "", supported, "es"},
		{"accept Swiss German", "", "gsw", "", supported, "de"},
		{"accept q=0 is a refusal", "", "fr;q=0,de;q=0.5", "", supported, "de"},
		{"accept wildcard only", "", "*", "es", supported, "es"},
		{"accept nothing supported uses brand", "", "ja,zh;q=0.8", "fr", supported, "fr"},
		{"accept bad entry skipped", "", "xx-!!-bad, de;q=0.8", "", supported, "de"},
		{"accept bad q skipped", "", "fr;q=abc, de;q=2, es;q=0.5", "", supported, "es"},
		{"brand with region", "", "", "de-AT", supported, "de"},
		{"brand unsupported", "", "", "it", supported, "en"},
		{"en not supported", "", "", "", []string{"de", "fr"}, "de"},
		{"supported has junk", "fr", "", "", []string{"!!", "en", "fr"}, "fr"},
		{"supported empty", "fr", "fr", "fr", nil, "en"},
		{"returns supported spelling", "es", "", "", []string{"en", "es-ES"}, "es-ES"},
	}
	for _, s := range scenarios {
		if got := Negotiate(s.query, s.accept, s.brand, s.supported); got != s.want {
			t.Errorf("%s: Negotiate(%q, %q, %q) = %q, want %q", s.name, s.query, s.accept, s.brand, got, s.want)
		}
	}
}

func TestNegotiateHostileHeaders(t *testing.T) {
	headers := map[string]string{
		"10 KB of garbage":         strings.Repeat("\x00\xff;q=,,", 1700),
		"10 KB of one tag":         strings.Repeat("a", 10<<10),
		"10 KB of entries":         strings.Repeat("zz;q=0.1,", 1200) + "fr",
		"many q params":            "de" + strings.Repeat(";q=0.5", 2000),
		"unicode":                  "日本語,français;q=0.9,Deutsch",
		"newlines":                 "fr\r\nX-Injected: 1",
		"empty entries":            ",,,;,;q=1,",
		"long private use":         "x-" + strings.Repeat("abcdefgh-", 1000),
		"deep extension":           "en-u-" + strings.Repeat("ca-gregory-", 500),
		"huge q":                   "fr;q=1e309",
		"negative q":               "fr;q=-1",
		"NaN q":                    "fr;q=NaN",
		"supported after the cut":  strings.Repeat("xx,", 400) + "fr",
		"first entry over the cut": "fr-" + strings.Repeat("x", 2000) + ",de",
	}
	for name, h := range headers {
		got := Negotiate("", h, "es", supported)
		if !slices.Contains(supported, got) {
			t.Errorf("%s: got %q", name, got)
		}
	}
	// Entries past the bounds are ignored rather than parsed.
	if got := Negotiate("", strings.Repeat("zz,", maxEntries)+"fr", "es", supported); got != "es" {
		t.Errorf("entry beyond maxEntries used: %q", got)
	}
}

func TestBundleNegotiate(t *testing.T) {
	b := mustDefault(t)
	if got := b.Negotiate("", "de-DE,de;q=0.9", "en"); got != "de" {
		t.Errorf("Bundle.Negotiate = %q", got)
	}
	if got := b.Negotiate("fr", "", ""); b.For(got).Locale() != "fr" {
		t.Errorf("Bundle.Negotiate = %q", got)
	}
}

func FuzzNegotiate(f *testing.F) {
	f.Add("es", "fr-CA,fr;q=0.9", "de")
	f.Add("", strings.Repeat("a,", 600), "")
	f.Add("x-!!", ";q=,,;;", "und")
	f.Add("zh-Hant-TW-u-nu-hanidec", "*;q=0.5", "en-u-rg-gbzzzz")
	f.Fuzz(func(t *testing.T, query, accept, brand string) {
		got := Negotiate(query, accept, brand, supported)
		if !slices.Contains(supported, got) {
			t.Fatalf("Negotiate returned unsupported %q", got)
		}
	})
}

func FuzzLocalizer(f *testing.F) {
	b := mustDefault(f)
	f.Add("eta.arrives", "window", "{window}", int64(123450), "EUR", 5)
	f.Add("{", "}", "{{}}", int64(-1), "", -3)
	f.Add("items.count", "count", "x", int64(1<<62), "JPY", 1<<30)
	f.Fuzz(func(t *testing.T, key, name, value string, minor int64, cur string, n int) {
		for _, loc := range b.Locales() {
			l := b.For(loc)
			_ = l.T(key, name, value)
			_ = l.T(key, name)
			_ = l.Plural(key, n)
			_ = l.Plural("items.count", n)
			if got := l.Money(minor, cur); got == "" {
				t.Fatalf("%s Money(%d, %q) empty", loc, minor, cur)
			}
			_ = l.Delay(key)
		}
	})
}
