package model

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// MaxMoneyDigits bounds the integer part of a decimal amount (under a hundred
// trillion units), which keeps every result inside int64 even with four minor
// digits.
const MaxMoneyDigits = 14

// Errors from ToMinor.
var (
	ErrMoneyEmpty  = errors.New("empty amount")
	ErrMoneySyntax = errors.New("not a decimal amount")
	ErrMoneyRange  = errors.New("amount out of range")
)

// CurrencyExponent returns the number of minor digits of an ISO 4217
// currency: 0 for JPY, KRW, …; 3 for KWD, BHD, …; 4 for CLF, UYW; 2 for
// everything else (including unknown and non-ISO codes some stores use, such
// as BTC or IRT on WooCommerce).
func CurrencyExponent(currency string) int {
	switch strings.ToUpper(currency) {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
		"RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// ToMinor converts a decimal amount ("19.99", "-5.00", "3.3333333", "1000")
// to minor units of currency without going through float64. Digits beyond the
// currency's exponent are rounded half away from zero (WooCommerce sends unit
// prices such as 3.3333333333333335). Exponent notation, thousands
// separators and currency symbols are rejected: stores do not send them, so
// their presence means the input is not what we think it is.
func ToMinor(amount, currency string) (int64, error) {
	s := strings.TrimSpace(amount)
	if s == "" {
		return 0, ErrMoneyEmpty
	}
	if len(s) > 64 {
		return 0, ErrMoneySyntax
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, ErrMoneySyntax
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return 0, ErrMoneySyntax
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > MaxMoneyDigits {
		return 0, ErrMoneyRange
	}
	exp := CurrencyExponent(currency)
	var v int64
	for _, c := range intPart {
		v = v*10 + int64(c-'0')
	}
	for i := range exp {
		v *= 10
		if i < len(frac) {
			v += int64(frac[i] - '0')
		}
	}
	if len(frac) > exp && frac[exp] >= '5' {
		v++
	}
	// Rounding may carry into a new digit (99.995 -> 100.00); keep the
	// bound exact so FormatMinor and ToMinor round-trip.
	limit := int64(1)
	for range MaxMoneyDigits + exp {
		limit *= 10
	}
	if v >= limit {
		return 0, ErrMoneyRange
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatMinor renders minor units back as a plain decimal string ("19.99")
// for logs, CSV exports and tests. It is not a shopper-facing formatter.
func FormatMinor(v int64, currency string) string {
	exp := CurrencyExponent(currency)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	digits := strconv.FormatUint(u, 10)
	if exp > 0 {
		if len(digits) <= exp {
			digits = strings.Repeat("0", exp-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// AddMinor adds two amounts, saturating at the int64 limits instead of
// wrapping, so a hostile sum lands out of range (and Validate rejects it)
// rather than wrapping round to a plausible value.
func AddMinor(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}
