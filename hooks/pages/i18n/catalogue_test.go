package i18n

import (
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

func mustDefault(t testing.TB) *Bundle {
	t.Helper()
	b, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return b
}

// rawCatalogues reads the embedded files directly, so the completeness
// checks below do not rely on Load's own validation.
func rawCatalogues(t *testing.T) map[string]file {
	t.Helper()
	out := map[string]file{}
	entries, err := fs.ReadDir(embedded, "locales")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(embedded, "locales/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		var f file
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = f
	}
	return out
}

func TestEmbeddedCataloguesLoad(t *testing.T) {
	b := mustDefault(t)
	if got, want := b.Locales(), []string{"en", "de", "es", "fr"}; !slices.Equal(got, want) {
		t.Errorf("Locales() = %v, want %v", got, want)
	}
	for _, l := range schema.Locales {
		if b.For(l).Locale() != l {
			t.Errorf("schema locale %q has no catalogue", l)
		}
	}
	if b.For("pt").Locale() != "en" {
		t.Error("For(unknown) should fall back to en")
	}
}

func TestCataloguesComplete(t *testing.T) {
	cats := rawCatalogues(t)
	en, ok := cats["en"]
	if !ok {
		t.Fatal("no en catalogue")
	}
	for loc, f := range cats {
		if f.Locale != loc {
			t.Errorf("%s.json declares locale %q", loc, f.Locale)
		}
		for key, want := range en.Messages {
			got, ok := f.Messages[key]
			if !ok {
				t.Errorf("%s: missing %q", loc, key)
				continue
			}
			if got.plural() != want.plural() {
				t.Errorf("%s: %q plural mismatch", loc, key)
				continue
			}
			if !got.plural() {
				if g, w := placeholders(got.Text), placeholders(want.Text); !slices.Equal(g, w) {
					t.Errorf("%s: %q placeholders %v, want %v", loc, key, g, w)
				}
				if strings.TrimSpace(got.Text) == "" {
					t.Errorf("%s: %q is empty", loc, key)
				}
				continue
			}
			if got.Forms["other"] == "" {
				t.Errorf("%s: %q has no other form", loc, key)
			}
			for form, text := range got.Forms {
				for _, p := range placeholders(text) {
					if p != "count" {
						t.Errorf("%s: %q[%s] uses {%s}", loc, key, form, p)
					}
				}
			}
		}
		for key := range f.Messages {
			if _, ok := en.Messages[key]; !ok {
				t.Errorf("%s: %q is not in en", loc, key)
			}
		}
	}
}

// TestPagesVocabularyCovered ties the catalogues to the values other
// packages store, so a new status, topic or reason cannot ship untranslated.
func TestPagesVocabularyCovered(t *testing.T) {
	b := mustDefault(t)
	var keys []string
	for _, s := range status.All {
		keys = append(keys, "status."+string(s), "status_detail."+string(s))
	}
	for _, topic := range schema.HelpTopics {
		keys = append(keys, "help.topic."+topic)
	}
	for _, r := range DelayReasons() {
		for _, part := range []string{"title", "body", "you_can", "next"} {
			keys = append(keys, "delay."+r+"."+part)
		}
	}
	keys = append(keys, "lookup.error.not_found", "ratelimit.retry", "sms.consent", "items.count",
		"gift.heading", "guide.before_it_arrives", "guide.start_here", "footer.contact_email",
		"error.heading", "eta.arrives", "eta.changed", "title.track")
	for _, loc := range b.Locales() {
		l := b.For(loc)
		for _, k := range keys {
			if !l.Has(k) {
				t.Errorf("%s: no %q", loc, k)
			}
		}
	}
	en := b.For("en")
	for s, want := range map[status.Status]string{
		status.Pending: "Order received", status.InfoReceived: "Label created", status.InTransit: "On its way",
		status.OutForDelivery: "Out for delivery", status.AttemptFail: "Delivery attempted",
		status.AvailableForPickup: "Ready for pickup", status.Delivered: "Delivered",
		status.Exception: "Problem with delivery", status.Expired: "Tracking stopped",
	} {
		if got := en.T("status." + string(s)); got != want {
			t.Errorf("en status %s = %q, want %q", s, got, want)
		}
	}
	if got := en.T("lookup.error.not_found"); got != "We couldn't find an order with those details." {
		t.Errorf("lookup error = %q", got)
	}
}

// TestTranslated catches a message copied from English and never
// translated. The allowed list holds words that are the same in both.
func TestTranslated(t *testing.T) {
	same := map[string]bool{
		"footer.copyright": true, "order.total": true, "common.optional": true,
	}
	cats := rawCatalogues(t)
	for loc, f := range cats {
		if loc == "en" {
			continue
		}
		for key, m := range f.Messages {
			if m.plural() || same[key] {
				continue
			}
			if m.Text == cats["en"].Messages[key].Text {
				t.Errorf("%s: %q is the English text %q", loc, key, m.Text)
			}
		}
	}
}

func TestT(t *testing.T) {
	b := mustDefault(t)
	en, de := b.For("en"), b.For("de")
	scenarios := []struct {
		l    *Localizer
		key  string
		args []any
		want string
	}{
		{en, "eta.arrives", []any{"window", "Tue 7 – Thu 9 Oct"}, "Arrives Tue 7 – Thu 9 Oct"},
		{de, "eta.changed", []any{"reason", "Beim Zoll"}, "Voraussichtlicher Liefertermin geändert: Beim Zoll"},
		{en, "order.package_of", []any{"n", 2, "total", 3}, "Package 2 of 3"},
		{en, "footer.copyright", []any{"year", 2025, "brand", "Acme"}, "© 2025 Acme"},
		{en, "eta.arrives", nil, "Arrives {window}"},
		{en, "eta.arrives", []any{"window"}, "Arrives {window}"},
		{en, "eta.arrives", []any{"other", "x", 7, "y"}, "Arrives {window}"},
		{en, "eta.arrives", []any{"window", "{window}"}, "Arrives {window}"},
		{en, "no.such.key", nil, "no.such.key"},
		{de, "items.count", []any{"count", 3}, "3 Artikel"},
		{en, "items.count", []any{"count", int64(1)}, "1 item"},
		{en, "items.count", nil, "{count} items"},
	}
	for _, s := range scenarios {
		if got := s.l.T(s.key, s.args...); got != s.want {
			t.Errorf("%s T(%q, %v) = %q, want %q", s.l.Locale(), s.key, s.args, got, s.want)
		}
	}
}

func TestDelayFallsBackToGeneric(t *testing.T) {
	fr := mustDefault(t).For("fr")
	d := fr.Delay("customs")
	if d.Reason != "customs" || d.Title != "Bloqué en douane" || d.YouCanHeading != "Ce que vous pouvez faire" {
		t.Errorf("Delay(customs) = %+v", d)
	}
	if g := fr.Delay("Exception_011"); g.Reason != "generic" || g.Title != "En retard" {
		t.Errorf("unknown reason = %+v, want generic", g)
	}
}

// overlay builds a layer holding one JSON file.
func overlay(name, body string) fstest.MapFS {
	return fstest.MapFS{name: &fstest.MapFile{Data: []byte(body)}}
}

func embeddedLayer(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(embedded, "locales")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestLoadOverride(t *testing.T) {
	base := embeddedLayer(t)
	b, err := Load(base, overlay("de.json", `{"messages": {"status.delivered": "Angekommen!"},
		"formats": {"money": "{symbol} {amount}"}}`))
	if err != nil {
		t.Fatal(err)
	}
	de := b.For("de")
	if got := de.T("status.delivered"); got != "Angekommen!" {
		t.Errorf("override not applied: %q", got)
	}
	if got := de.T("status.in_transit"); got != "Unterwegs" {
		t.Errorf("other messages lost: %q", got)
	}
	if got := de.Money(100, "EUR"); got != "€ 1,00" {
		t.Errorf("format override not applied: %q", got)
	}
	if got := de.DateWindow(oct(7), oct(9), nil); got != "Di., 7. – Do., 9. Okt." {
		t.Errorf("formats not kept under a partial override: %q", got)
	}
	if got := mustDefault(t).For("de").T("status.delivered"); got != "Zugestellt" {
		t.Errorf("override leaked into the embedded catalogue: %q", got)
	}
}

func TestLoadRejects(t *testing.T) {
	base := embeddedLayer(t)
	scenarios := map[string][]fs.FS{
		"no layers":             nil,
		"no en":                 {overlay("de.json", `{"messages": {}}`)},
		"bad json":              {base, overlay("de.json", `{"messages": {`)},
		"unknown field":         {base, overlay("de.json", `{"mesages": {}}`)},
		"locale mismatch":       {base, overlay("de.json", `{"locale": "fr"}`)},
		"placeholder dropped":   {base, overlay("de.json", `{"messages": {"eta.arrives": "Bald da"}}`)},
		"placeholder renamed":   {base, overlay("fr.json", `{"messages": {"eta.arrives": "Livraison : {fenetre}"}}`)},
		"unknown key":           {base, overlay("es.json", `{"messages": {"status.teleported": "Teletransportado"}}`)},
		"plain to plural":       {base, overlay("es.json", `{"messages": {"status.delivered": {"other": "x"}}}`)},
		"plural to plain":       {base, overlay("es.json", `{"messages": {"items.count": "{count} cosas"}}`)},
		"plural without other":  {base, overlay("de.json", `{"messages": {"items.count": {"one": "{count} Artikel"}}}`)},
		"form unknown to de":    {base, overlay("de.json", `{"messages": {"items.count": {"few": "{count} x", "other": "{count} y"}}}`)},
		"bogus plural form":     {base, overlay("de.json", `{"messages": {"items.count": {"lots": "{count} x", "other": "{count} y"}}}`)},
		"bad exact form":        {base, overlay("de.json", `{"messages": {"items.count": {"=x": "x", "other": "{count} y"}}}`)},
		"extra plural arg":      {base, overlay("de.json", `{"messages": {"items.count": {"other": "{count} {things}"}}}`)},
		"reserved ${":           {base, overlay("de.json", `{"messages": {"items.count": {"other": "${x} {count}"}}}`)},
		"empty message":         {base, overlay("fr.json", `{"messages": {"status.delivered": ""}}`)},
		"six weekdays":          {base, overlay("fr.json", `{"formats": {"weekdays": ["a","b","c","d","e","f"]}}`)},
		"unknown date field":    {base, overlay("fr.json", `{"formats": {"date": "{d} {mon} {century}"}}`)},
		"date without day":      {base, overlay("fr.json", `{"formats": {"date": "{mon}"}}`)},
		"ampm without words":    {base, overlay("fr.json", `{"formats": {"time": "{h12}:{mm} {ampm}", "am": ""}}`)},
		"incomplete new locale": {base, overlay("it.json", `{"name": "Italiano", "messages": {"status.delivered": "Consegnato"}}`)},
		"not a language tag":    {base, overlay("xx-!!.json", `{}`)},
	}
	for name, layers := range scenarios {
		if _, err := Load(layers...); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
	// Every problem is reported at once.
	_, err := Load(base, overlay("de.json", `{"messages": {"eta.arrives": "x", "eta.changed": "y"}}`))
	if err == nil || !strings.Contains(err.Error(), "eta.arrives") || !strings.Contains(err.Error(), "eta.changed") {
		t.Errorf("want both problems reported, got %v", err)
	}
	var target interface{ Unwrap() []error }
	if !errors.As(err, &target) {
		t.Errorf("want a joined error, got %T", err)
	}
}
