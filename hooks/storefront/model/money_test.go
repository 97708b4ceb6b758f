package model

import (
	"errors"
	"math"
	"testing"
)

func TestToMinor(t *testing.T) {
	scenarios := []struct {
		in       string
		currency string
		want     int64
		err      error
	}{
		{"19.99", "USD", 1999, nil},
		{"0.1", "USD", 10, nil},
		{"0.29", "USD", 29, nil}, // float64 would give 28.999…
		{"1000", "JPY", 1000, nil},
		{"1000.00", "JPY", 1000, nil},
		{"1000.50", "JPY", 1001, nil},
		{"1.234", "KWD", 1234, nil},
		{"1.2", "KWD", 1200, nil},
		{"-5.00", "USD", -500, nil},
		{"+5", "USD", 500, nil},
		{" 7.5 ", "eur", 750, nil},
		{"3.3333333333333335", "USD", 333, nil},
		{"0.125", "USD", 13, nil},
		{"0.1249", "USD", 12, nil},
		{"-0.125", "USD", -13, nil},
		{".5", "USD", 50, nil},
		{"5.", "USD", 500, nil},
		{"000000000000000000000012.00", "USD", 1200, nil},
		{"99999999999999.99", "USD", 9999999999999999, nil},
		{"99999999999999.995", "USD", 0, ErrMoneyRange},
		{"100000000000000", "USD", 0, ErrMoneyRange},
		{"99999999999999.9999", "CLF", 999999999999999999, nil},
		{"", "USD", 0, ErrMoneyEmpty},
		{"   ", "USD", 0, ErrMoneyEmpty},
		{".", "USD", 0, ErrMoneySyntax},
		{"-", "USD", 0, ErrMoneySyntax},
		{"1e5", "USD", 0, ErrMoneySyntax},
		{"1,000.00", "USD", 0, ErrMoneySyntax},
		{"$5", "USD", 0, ErrMoneySyntax},
		{"1.2.3", "USD", 0, ErrMoneySyntax},
		{"NaN", "USD", 0, ErrMoneySyntax},
		{"--1", "USD", 0, ErrMoneySyntax},
		{"１２", "USD", 0, ErrMoneySyntax}, // full-width digits
	}
	for _, s := range scenarios {
		got, err := ToMinor(s.in, s.currency)
		if !errors.Is(err, s.err) {
			t.Errorf("ToMinor(%q, %s) error = %v, want %v", s.in, s.currency, err, s.err)
			continue
		}
		if got != s.want {
			t.Errorf("ToMinor(%q, %s) = %d, want %d", s.in, s.currency, got, s.want)
		}
	}
}

func TestFormatMinor(t *testing.T) {
	scenarios := []struct {
		v        int64
		currency string
		want     string
	}{
		{1999, "USD", "19.99"},
		{5, "USD", "0.05"},
		{-500, "USD", "-5.00"},
		{0, "USD", "0.00"},
		{1000, "JPY", "1000"},
		{1234, "KWD", "1.234"},
	}
	for _, s := range scenarios {
		if got := FormatMinor(s.v, s.currency); got != s.want {
			t.Errorf("FormatMinor(%d, %s) = %q, want %q", s.v, s.currency, got, s.want)
		}
		back, err := ToMinor(FormatMinor(s.v, s.currency), s.currency)
		if err != nil || back != s.v {
			t.Errorf("round trip %d %s = %d, %v", s.v, s.currency, back, err)
		}
	}
}

func FuzzToMinor(f *testing.F) {
	for _, s := range []string{"19.99", "-0.125", "1e5", ".", "999999999999999.9999", "0.000000001"} {
		f.Add(s, "USD")
		f.Add(s, "KWD")
		f.Add(s, "JPY")
	}
	f.Fuzz(func(t *testing.T, in, currency string) {
		v, err := ToMinor(in, currency)
		if err != nil {
			return
		}
		if v >= 1e18 || v <= -1e18 {
			t.Fatalf("ToMinor(%q) = %d escaped the range guard", in, v)
		}
		// A formatted value parses back to itself.
		back, err := ToMinor(FormatMinor(v, currency), currency)
		if err != nil || back != v {
			t.Fatalf("round trip of %d (%q): %d, %v", v, in, back, err)
		}
	})
}

func TestAddMinor(t *testing.T) {
	if AddMinor(2, 3) != 5 || AddMinor(-2, -3) != -5 {
		t.Error("plain sums")
	}
	if AddMinor(math.MaxInt64-1, 5) != math.MaxInt64 || AddMinor(math.MinInt64+1, -5) != math.MinInt64 {
		t.Error("saturation")
	}
}
