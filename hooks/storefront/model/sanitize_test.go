package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	scenarios := []struct {
		name, in, want string
	}{
		{"plain", "Maya Okafor", "Maya Okafor"},
		{"html kept", `<script>alert(1)</script>`, `<script>alert(1)</script>`},
		{"sql kept", `Robert'); DROP TABLE orders;--`, `Robert'); DROP TABLE orders;--`},
		{"emoji kept", "Mug ☕️ 🎁", "Mug ☕️ 🎁"},
		{"nul dropped", "a\x00b", "ab"},
		{"bell and escape dropped", "a\x07\x1b[31mb", "a[31mb"},
		{"del dropped", "a\x7fb", "ab"},
		{"c1 dropped", "a\u0085b\u009bc", "abc"},
		{"newline and tab kept", "line1\n\tline2", "line1\n\tline2"},
		{"crlf to lf", "a\r\nb\rc", "a\nb\nc"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"bidi kept", "abc\u202edef", "abc\u202edef"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Sanitize(s.in); got != s.want {
				t.Errorf("Sanitize(%q) = %q, want %q", s.in, got, s.want)
			}
		})
	}
}

func TestSanitizeLine(t *testing.T) {
	if got := SanitizeLine("  Maya\n\tOkafor \x00 "); got != "Maya Okafor" {
		t.Errorf("got %q", got)
	}
	if got := SanitizeLine("\x00\x01"); got != "" {
		t.Errorf("got %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b\r\n", "\xff\xfe", "\u0085", "<b>x</b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		for _, r := range out {
			if isControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("control %U survived in %q", r, out)
			}
		}
		if Sanitize(out) != out {
			t.Fatalf("not idempotent on %q", in)
		}
		line := SanitizeLine(in)
		if strings.ContainsAny(line, "\n\t") || strings.TrimSpace(line) != line {
			t.Fatalf("SanitizeLine(%q) = %q", in, line)
		}
	})
}

func TestOrderNormalize(t *testing.T) {
	o := Order{
		Source:          SourceAPI,
		ExternalID:      " 42\x00 ",
		Currency:        "usd",
		ShippingAddress: Address{Country: "us", Name: "A\nB"},
		Tags:            []string{"vip", " vip ", "", "spring\x00"},
		Fulfillments: []Fulfillment{{
			TrackingNumbers: []string{"1Z999", "1Z999", " "},
		}},
		Note: "  first line\r\nsecond\x00  ",
	}
	o.Normalize()
	if o.ExternalID != "42" || o.Currency != "USD" || o.ShippingAddress.Country != "US" {
		t.Errorf("normalized = %+v", o)
	}
	if o.ShippingAddress.Name != "A B" {
		t.Errorf("name = %q", o.ShippingAddress.Name)
	}
	if strings.Join(o.Tags, ",") != "vip,spring" {
		t.Errorf("tags = %q", o.Tags)
	}
	if len(o.Fulfillments[0].TrackingNumbers) != 1 {
		t.Errorf("tracking = %q", o.Fulfillments[0].TrackingNumbers)
	}
	if o.Note != "first line\nsecond" {
		t.Errorf("note = %q", o.Note)
	}
}

// Found by FuzzParse (csvimport): the fast path stopped looking after the
// first multi-byte rune.
func TestSanitizeControlAfterMultibyte(t *testing.T) {
	for _, in := range []string{"—\x00", "é\x1b[0m", "日本\x7f", "ü\u0085"} {
		out := Sanitize(in)
		for _, r := range out {
			if isControl(r) {
				t.Errorf("Sanitize(%q) = %q", in, out)
			}
		}
	}
}
