// Package i18n holds the shopper-facing message catalogues (English,
// Spanish, German, French) and the locale-aware formatting the pages need:
// locale negotiation, plurals, money, dates and date windows.
//
// Catalogues are JSON files in locales/, embedded in the binary, one per
// locale, with identical keys; translators can read and edit them
// directly. Messages use named placeholders ("Arrives {window}"). Plural
// messages are objects of CLDR plural forms whose {count} is the number,
// selected by golang.org/x/text's plural rules. The "formats" block of each
// file carries CLDR weekday and month abbreviations and date, time and
// money patterns.
//
// A merchant's edited copies can be layered on top with Load: each layer
// may change any message or format, and the result is checked as a whole
// (same keys everywhere, same placeholders as English), so a broken
// override fails at start-up rather than on a shopper's screen.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed locales/*.json
var embedded embed.FS

// Fallback is the locale every other falls back to and is checked against.
const Fallback = "en"

// Bundle is a validated set of catalogues. It is immutable and safe for
// concurrent use; build one at start-up and share it.
type Bundle struct {
	localizers map[string]*Localizer
	locales    []string // Fallback first, then sorted
	tags       []language.Tag
	matcher    language.Matcher
}

// Default loads the embedded catalogues.
func Default() (*Bundle, error) {
	sub, err := fs.Sub(embedded, "locales")
	if err != nil {
		return nil, fmt.Errorf("i18n: embedded catalogues: %w", err)
	}
	return Load(sub)
}

// Load reads catalogues from layers in order: the first must hold a
// complete catalogue for every locale (and "en.json"); each later layer
// holds partial files ("de.json" with only the messages a merchant
// changed) that override the ones before. A later layer may also add a
// locale, which must then be complete. Files are <locale>.json at the root
// of each layer.
func Load(layers ...fs.FS) (*Bundle, error) {
	if len(layers) == 0 {
		return nil, errors.New("i18n: no catalogues to load")
	}
	files := map[string]*file{}
	for i, layer := range layers {
		raw, err := readLayer(layer)
		if err != nil {
			return nil, err
		}
		for _, name := range sortedKeys(raw) {
			f, err := decode(name, raw[name], files[name])
			if err != nil {
				return nil, fmt.Errorf("%w (layer %d)", err, i)
			}
			files[name] = f
		}
	}
	ref, ok := files[Fallback]
	if !ok {
		return nil, fmt.Errorf("i18n: no %s.json catalogue", Fallback)
	}

	b := &Bundle{localizers: map[string]*Localizer{}}
	cat := catalog.NewBuilder(catalog.Fallback(language.English))
	var errs []error
	names := sortedKeys(files)
	slices.SortStableFunc(names, func(a, c string) int {
		// Fallback first, so other locales can point at it.
		switch {
		case a == Fallback:
			return -1
		case c == Fallback:
			return 1
		}
		return 0
	})
	for _, name := range names {
		f := files[name]
		tag, err := language.Parse(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("i18n: %s.json: %q is not a language tag: %w", name, name, err))
			continue
		}
		if err := validate(f, ref, tag, cat); err != nil {
			errs = append(errs, err)
			continue
		}
		l := &Localizer{
			locale:   name,
			name:     f.Name,
			tag:      tag,
			messages: f.Messages,
			formats:  f.Formats,
			printer:  message.NewPrinter(tag, message.Catalog(cat)),
		}
		if name != Fallback {
			l.fallback = b.localizers[Fallback]
		}
		b.localizers[name] = l
		b.locales = append(b.locales, name)
		b.tags = append(b.tags, tag)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	b.matcher = language.NewMatcher(b.tags)
	return b, nil
}

// Locales lists the bundle's locales, Fallback first.
func (b *Bundle) Locales() []string { return slices.Clone(b.locales) }

// For returns the Localizer for locale, or the Fallback one when the
// bundle has no such locale. locale is matched exactly; use Negotiate to
// map "es-MX" or an Accept-Language header onto a bundle locale.
func (b *Bundle) For(locale string) *Localizer {
	if l, ok := b.localizers[locale]; ok {
		return l
	}
	return b.localizers[Fallback]
}

// Negotiate is the package-level Negotiate over this bundle's locales,
// with a matcher built once.
func (b *Bundle) Negotiate(queryLang, acceptLanguage, brandDefault string) string {
	return negotiate(b.matcher, b.locales, queryLang, acceptLanguage, brandDefault)
}
