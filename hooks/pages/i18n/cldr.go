package i18n

import (
	"slices"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/fr"
)

// cldr holds the CLDR data (from go-playground/locales, generated from the
// Unicode CLDR) for the locales Porchlight ships, so weekday and month names
// come from a maintained library rather than being typed into catalogues.
var cldr = map[string]func() locales.Translator{"en": en.New, "es": es.New, "de": de.New, "fr": fr.New}

// fillNames sets the abbreviated weekday and month names of f from CLDR
// where the catalogue does not set its own (a merchant's override may).
func fillNames(f *file) {
	newT, ok := cldr[f.Locale]
	if !ok {
		return
	}
	t := newT()
	if len(f.Formats.Weekdays) == 0 {
		f.Formats.Weekdays = slices.Clone(t.WeekdaysAbbreviated())
	}
	if len(f.Formats.Months) == 0 {
		f.Formats.Months = slices.Clone(t.MonthsAbbreviated())
	}
}
