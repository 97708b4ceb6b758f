// Package wire holds the lenient JSON scalar types and the decoding helper the
// storefront adapters share. Stores are inconsistent about types (Shopify sends
// ids as numbers and refund subtotals as numbers while totals are strings;
// WooCommerce documents line-item prices as strings and sends numbers), so
// scalar fields decode into Text, which accepts a string, a number or a
// boolean and keeps the exact text — a 19-digit id or a price never passes
// through float64.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"porchlight/hooks/storefront/model"
)

// Text is a JSON scalar kept as text: strings as their value, numbers and
// booleans as their literal, null as "". Objects and arrays are a type error
// naming the field.
type Text string

var textType = reflect.TypeFor[Text]()

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return &json.UnmarshalTypeError{Value: "empty", Type: textType}
	}
	switch b[0] {
	case 'n':
		*t = ""
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	case '{':
		return &json.UnmarshalTypeError{Value: "object", Type: textType}
	case '[':
		return &json.UnmarshalTypeError{Value: "array", Type: textType}
	default: // number, true, false
		*t = Text(b)
	}
	return nil
}

// String returns the text.
func (t Text) String() string { return string(t) }

// Trim returns the text without surrounding white space.
func (t Text) Trim() string { return strings.TrimSpace(string(t)) }

// Bool is a JSON boolean that also accepts "true"/"false"/"1"/"0"/"yes"/"no"
// strings and null (false, unset).
type Bool struct {
	V   bool
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	var t Text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	switch strings.ToLower(t.Trim()) {
	case "":
		*v = Bool{}
	case "true", "1", "yes":
		*v = Bool{V: true, Set: true}
	case "false", "0", "no":
		*v = Bool{V: false, Set: true}
	default:
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(truncate(t.Trim(), 20)), Type: reflect.TypeFor[bool]()}
	}
	return nil
}

// Int parses an integer that may come as a JSON number or numeric string.
// An integral decimal ("2.0") is accepted; "2.5" and exponents are not.
// Empty input is (0, false, nil).
func Int(t Text) (int64, bool, error) {
	s := t.Trim()
	if s == "" {
		return 0, false, nil
	}
	if len(s) > 32 {
		return 0, false, errors.New("number too long")
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if strings.Trim(s[i+1:], "0") != "" {
			return 0, false, fmt.Errorf("%q is not a whole number", s)
		}
		s = s[:i]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%q is not a whole number", truncate(s, 20))
	}
	return n, true, nil
}

// MaxTimeLen bounds timestamps; anything longer is not a timestamp.
const MaxTimeLen = 64

// ParseTime parses the timestamp shapes stores send and returns UTC:
// RFC 3339 with or without fractional seconds ("2025-03-14T10:21:07-04:00"),
// WooCommerce's zone-less "2025-03-14T14:21:07" (taken as UTC; callers pass
// *_gmt fields), Shopify's CSV export "2025-03-14 10:21:07 -0400", a
// space-separated "2025-03-14 14:21:07" (UTC) and a bare date "2025-03-14"
// (midnight UTC). Empty input is the zero time with no error.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > MaxTimeLen {
		return time.Time{}, errors.New("timestamp too long")
	}
	if len(s) == len("2006-01-02") {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t, nil
		}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", s)
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05-0700",
	"2006-01-02",
}

// Decode unmarshals a JSON object body into v with friendly errors: a body
// over max bytes, an empty body, a non-object top level, malformed JSON
// (with the byte offset) and a wrong type (with the JSON path of the field)
// are all reported without the Go type names of the decoder's structs.
func Decode(body []byte, v any, max int) error {
	if len(body) > max {
		return fmt.Errorf("body is %d bytes; at most %d accepted", len(body), max)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("empty body")
	}
	if trimmed[0] != '{' {
		return errors.New("body is not a JSON object")
	}
	err := json.Unmarshal(trimmed, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		field := ute.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Errorf("field %s: cannot use a JSON %s here", field, ute.Value)
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// Required returns v sanitized to a single line (model.SanitizeLine), or
// an error naming field when nothing is left: a value of only control
// characters is as missing as an empty one.
func Required(field string, v Text) (string, error) {
	s := model.SanitizeLine(string(v))
	if s == "" {
		return "", fmt.Errorf("missing required field %s", field)
	}
	return s, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
