package pages

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/pages/brandcolor"
	"porchlight/hooks/schema"
)

// theme is the brand's colours as the pages use them: every text colour is
// adjusted to reach WCAG AA on the page background and on white cards.
type theme struct{ Primary, Accent, Background, Text, OnPrimary string }

const cardBackground = "#ffffff"

// colourFix records one adjustment, for the merchant's contrast notes.
type colourFix struct {
	Field, From, To string
	Before, After   float64
	On              string
}

// adjustTheme returns the page theme of b and what it had to change.
func adjustTheme(b brand.Brand) (theme, []colourFix) {
	d := brand.Default()
	bg, err := brandcolor.Parse(b.BackgroundColor)
	if err != nil {
		bg = d.BackgroundColor
	}
	var fixes []colourFix
	// Text colours need 4.5:1; the accent only draws borders and bars,
	// which need 3:1 (WCAG 1.4.11).
	ensure := func(field, c string, nonText bool) string {
		for _, on := range []string{bg, cardBackground} {
			before, _ := brandcolor.Contrast(c, on)
			adj, changed, after := brandcolor.EnsureAA(c, on, nonText)
			if changed {
				fixes = append(fixes, colourFix{Field: field, From: c, To: adj, Before: before, After: after, On: on})
			}
			c = adj
		}
		return c
	}
	t := theme{Background: bg}
	t.Text = ensure(schema.Brand.TextColor, b.TextColor, false)
	t.Primary = ensure(schema.Brand.PrimaryColor, b.PrimaryColor, false)
	t.Accent = ensure(schema.Brand.AccentColor, b.AccentColor, true)
	t.OnPrimary = brandcolor.TextOn(t.Primary)
	return t, fixes
}

func themeFor(b brand.Brand) theme {
	t, _ := adjustTheme(b)
	return t
}

// ContrastNotes explains to the merchant which brand colours the pages
// adjust and why; "" when every colour passes.
func ContrastNotes(b brand.Brand) string {
	_, fixes := adjustTheme(b)
	var lines []string
	for _, f := range fixes {
		lines = append(lines, fmt.Sprintf("%s %s has a contrast of %.1f:1 on %s, below WCAG AA; shopper pages use %s (%.1f:1) instead.",
			f.Field, f.From, f.Before, f.On, f.To, f.After))
	}
	return strings.Join(lines, "\n")
}

// bindContrastNotes keeps brand.contrast_notes current whenever the merchant
// saves the brand record, so the admin shows what the pages adjust.
func bindContrastNotes(app core.App) {
	set := func(e *core.RecordEvent) error {
		e.Record.Set(schema.Brand.ContrastNotes, ContrastNotes(brand.FromRecord(e.Record)))
		return e.Next()
	}
	app.OnRecordCreate(schema.CBrand).BindFunc(set)
	app.OnRecordUpdate(schema.CBrand).BindFunc(set)
}

func contrastOK(fg, bg string) bool {
	r, err := brandcolor.Contrast(fg, bg)
	return err == nil && r >= brandcolor.AANormal
}
