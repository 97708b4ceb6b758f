package i18n

import (
	"math"
	"strings"
	"testing"
)

func TestMoney(t *testing.T) {
	b := mustDefault(t)
	const nbsp = "\u00a0"
	scenarios := []struct {
		loc      string
		minor    int64
		currency string
		want     string
	}{
		{"en", 123450, "USD", "$1,234.50"},
		{"en", 123450, "EUR", "€1,234.50"},
		{"de", 123450, "EUR", "1.234,50" + nbsp + "€"},
		{"fr", 123450, "EUR", "1" + nbsp + "234,50" + nbsp + "€"},
		{"es", 123450, "EUR", "1.234,50" + nbsp + "€"},
		{"de", 123450, "USD", "1.234,50" + nbsp + "$"},
		{"es", 123450, "USD", "1.234,50" + nbsp + "US$"},
		{"fr", 123450, "USD", "1" + nbsp + "234,50" + nbsp + "$US"},
		{"en", 123450, "CAD", "CA$1,234.50"},
		{"en", 999, "CHF", "CHF" + nbsp + "9.99"},
		{"en", 5, "usd", "$0.05"},
		{"en", 0, "GBP", "£0.00"},
		{"en", -1999, "USD", "-$19.99"},
		{"de", -1999, "EUR", "-19,99" + nbsp + "€"},
		{"en", 1234, "JPY", "¥1,234"},
		{"de", 1234, "JPY", "1.234" + nbsp + "¥"},
		{"en", 1234567, "KWD", "KWD" + nbsp + "1,234.567"},
		{"en", 100000000000, "USD", "$1,000,000,000.00"},
		{"en", 150, "XYZ", "XYZ" + nbsp + "1.50"},
		{"de", 150, "", "1,50"},
		{"en", 150, "<script>", "1.50"},
	}
	for _, s := range scenarios {
		if got := b.For(s.loc).Money(s.minor, s.currency); got != s.want {
			t.Errorf("%s Money(%d, %q) = %q, want %q", s.loc, s.minor, s.currency, got, s.want)
		}
	}
}

// TestMoneyExtremes: amounts beyond 2^53 minor units lose cents to float64
// (documented); they must still format, not panic.
func TestMoneyExtremes(t *testing.T) {
	en := mustDefault(t).For("en")
	for _, n := range []int64{math.MinInt64, math.MaxInt64, 1 << 53} {
		if got := en.Money(n, "USD"); !strings.Contains(got, "$") || len(got) < 20 {
			t.Errorf("Money(%d) = %q", n, got)
		}
	}
}

func TestPlural(t *testing.T) {
	b := mustDefault(t)
	scenarios := map[string]map[string][4]string{ // key -> locale -> 0,1,2,5
		"items.count": {
			"en": {"0 items", "1 item", "2 items", "5 items"},
			"es": {"0 artículos", "1 artículo", "2 artículos", "5 artículos"},
			"de": {"0 Artikel", "1 Artikel", "2 Artikel", "5 Artikel"},
			// French uses the singular for 0 and 1.
			"fr": {"0 article", "1 article", "2 articles", "5 articles"},
		},
		"packages.count": {
			"en": {"0 packages", "1 package", "2 packages", "5 packages"},
			"es": {"0 paquetes", "1 paquete", "2 paquetes", "5 paquetes"},
			"de": {"0 Pakete", "1 Paket", "2 Pakete", "5 Pakete"},
			"fr": {"0 colis", "1 colis", "2 colis", "5 colis"},
		},
		"eta.in_days": {
			"en": {"Arriving in 0 days", "Arriving in 1 day", "Arriving in 2 days", "Arriving in 5 days"},
			"es": {"Llega en 0 días", "Llega en 1 día", "Llega en 2 días", "Llega en 5 días"},
			"de": {"Ankunft in 0 Tagen", "Ankunft in 1 Tag", "Ankunft in 2 Tagen", "Ankunft in 5 Tagen"},
			"fr": {"Arrive dans 0 jour", "Arrive dans 1 jour", "Arrive dans 2 jours", "Arrive dans 5 jours"},
		},
		"ratelimit.retry": {
			"en": {"Please try again in 0 minutes.", "Please try again in 1 minute.", "Please try again in 2 minutes.", "Please try again in 5 minutes."},
			"de": {"Bitte versuchen Sie es in 0 Minuten erneut.", "Bitte versuchen Sie es in 1 Minute erneut.", "Bitte versuchen Sie es in 2 Minuten erneut.", "Bitte versuchen Sie es in 5 Minuten erneut."},
		},
	}
	for key, byLocale := range scenarios {
		for loc, want := range byLocale {
			for i, n := range []int{0, 1, 2, 5} {
				if got := b.For(loc).Plural(key, n); got != want[i] {
					t.Errorf("%s Plural(%q, %d) = %q, want %q", loc, key, n, got, want[i])
				}
			}
		}
	}
	// Large counts are grouped per locale.
	for loc, want := range map[string]string{"en": "1,500 items", "de": "1.500 Artikel", "fr": "1\u00a0500 articles", "es": "1.500 artículos"} {
		if got := b.For(loc).Plural("items.count", 1500); got != want {
			t.Errorf("%s Plural(1500) = %q, want %q", loc, got, want)
		}
	}
	en := b.For("en")
	if got := en.Plural("no.such.key", 3); got != "no.such.key" {
		t.Errorf("unknown key = %q", got)
	}
	if got := en.Plural("status.delivered", 3); got != "Delivered" {
		t.Errorf("plain message via Plural = %q", got)
	}
	if got := en.Plural("items.count", -1); got == "" {
		t.Error("negative count gave empty string")
	}
}

func TestPluralExactForm(t *testing.T) {
	b, err := Load(embeddedLayer(t), overlay("en.json", `{"messages": {"items.count": {"=0": "No items", "one": "{count} item", "other": "{count} items"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	en := b.For("en")
	for n, want := range map[int]string{0: "No items", 1: "1 item", 7: "7 items"} {
		if got := en.Plural("items.count", n); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	// A literal percent sign survives the trip through x/text's printf.
	b, err = Load(embeddedLayer(t), overlay("en.json", `{"messages": {"items.count": {"one": "{count} item (100%)", "other": "{count} items (100%)"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.For("en").Plural("items.count", 2); got != "2 items (100%)" {
		t.Errorf("percent sign: %q", got)
	}
}

func TestNumber(t *testing.T) {
	b := mustDefault(t)
	for loc, want := range map[string]string{"en": "1,234,567", "de": "1.234.567", "fr": "1\u00a0234\u00a0567", "es": "1.234.567"} {
		if got := b.For(loc).Number(1234567); got != want {
			t.Errorf("%s Number = %q, want %q", loc, got, want)
		}
	}
}

// TestConcurrentUse shares one Bundle across goroutines, as the pages do;
// run with -race to check it.
func TestConcurrentUse(t *testing.T) {
	b := mustDefault(t)
	done := make(chan string)
	for i := range 8 {
		go func() {
			l := b.For(b.Locales()[i%4])
			var s string
			for n := range 50 {
				s = l.Plural("items.count", n) + l.Money(int64(n)*1999, "EUR") +
					l.T("eta.arrives", "window", l.DateWindow(oct(7), oct(9), nil)) +
					b.Negotiate("", "de;q=0.5,fr", "")
			}
			done <- s
		}()
	}
	for range 8 {
		if s := <-done; s == "" {
			t.Error("empty result")
		}
	}
}
