package wire

import (
	"fmt"
	"time"

	"porchlight/hooks/storefront/model"
)

// Fields converts wire values into model values and keeps the first error,
// so adapter mapping code reads straight through and reports one clear
// problem naming the JSON field.
type Fields struct{ err error }

// Err returns the first error recorded, or nil.
func (p *Fields) Err() error { return p.err }

// Fail records an error unless one is already recorded.
func (p *Fields) Fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// Required returns the trimmed text, recording an error naming field when it
// is empty.
func (p *Fields) Required(field string, v Text) string {
	s, err := Required(field, v)
	if err != nil {
		p.Fail("%s", err)
	}
	return s
}

// Time parses v with ParseTime; empty is the zero time, or an error when
// required.
func (p *Fields) Time(field string, v Text, required bool) time.Time {
	s := v.Trim()
	if s == "" {
		if required {
			p.Fail("missing required field %s", field)
		}
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		p.Fail("field %s: %v", field, err)
	}
	return t
}

// Money converts a decimal amount to minor units of currency; empty is 0,
// or an error when required.
func (p *Fields) Money(field string, v Text, currency string, required bool) int64 {
	s := v.Trim()
	if s == "" {
		if required {
			p.Fail("missing required field %s", field)
		}
		return 0
	}
	n, err := model.ToMinor(s, currency)
	if err != nil {
		p.Fail("field %s: %v", field, err)
	}
	return n
}

// Quantity parses a required whole number. Values beyond
// ±model.MaxQuantity are clamped just outside the range so Validate reports
// them without int overflow on 32-bit platforms.
func (p *Fields) Quantity(field string, v Text) int {
	n, ok, err := Int(v)
	switch {
	case err != nil:
		p.Fail("field %s: %v", field, err)
		return 0
	case !ok:
		p.Fail("missing required field %s", field)
		return 0
	case n > int64(model.MaxQuantity):
		return model.MaxQuantity + 1
	case n < -int64(model.MaxQuantity):
		return -1
	}
	return int(n)
}
