package i18n

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/number"
)

// Money formats an amount given in the currency's minor units (cents for
// USD and EUR, yen for JPY) the way the locale writes prices: "$1,234.50"
// in English, "1.234,50 €" in German, "1 234,50 €" in French.
//
// The currency's number of decimals and its symbol in this locale ("$",
// "US$" in Spanish, "$US" in French) come from CLDR via
// golang.org/x/text/currency, digit grouping and the decimal mark from
// x/text/number, and the placement of the symbol from the catalogue's
// "money" pattern. An unknown currency code is shown as given, uppercased,
// when it looks like a code; otherwise the bare number is returned.
func (l *Localizer) Money(minorUnits int64, currencyCode string) string {
	code := strings.ToUpper(strings.TrimSpace(currencyCode))
	scale := 2
	symbol := ""
	if unit, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
		symbol = l.printer.Sprint(currency.Symbol(unit))
	} else if isCode(code) {
		symbol = code
	}

	neg := minorUnits < 0
	// Below 2^53 minor units (90 trillion dollars) float64 holds the amount
	// exactly and the division by a power of ten rounds to the nearest
	// decimal, which x/text then prints exactly at the currency's scale.
	// Larger amounts still format, with the last digits rounded.
	value := math.Abs(float64(minorUnits)) / math.Pow10(scale)
	amount := l.printer.Sprint(number.Decimal(value, number.Scale(scale)))

	var out string
	if symbol == "" {
		out = amount
	} else {
		out = substitute(l.formats.Money, []any{"symbol", spaced(l.formats.Money, symbol), "amount", amount})
	}
	if neg {
		return "-" + out
	}
	return out
}

// spaced applies CLDR's currency spacing rule: a symbol that ends (or, after
// the number, starts) with a letter is kept apart from the digits by a
// no-break space, so "CHF 12.00" rather than "CHF12.00", while "$12.00"
// stays tight.
func spaced(pattern, symbol string) string {
	const nbsp = "\u00a0"
	if strings.Contains(pattern, "{symbol}{amount}") {
		if r, _ := utf8.DecodeLastRuneInString(symbol); unicode.IsLetter(r) {
			return symbol + nbsp
		}
	}
	if strings.Contains(pattern, "{amount}{symbol}") {
		if r, _ := utf8.DecodeRuneInString(symbol); unicode.IsLetter(r) {
			return nbsp + symbol
		}
	}
	return symbol
}

func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
