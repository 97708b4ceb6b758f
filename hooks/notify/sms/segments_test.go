package sms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSegmentsBoundaries(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		name string
		body string
		want Info
	}{
		{"empty", "", Info{GSM7, 0, 0, 160}},
		{"one char", "a", Info{GSM7, 1, 1, 160}},
		{"gsm 160", a(160), Info{GSM7, 160, 1, 160}},
		{"gsm 161", a(161), Info{GSM7, 161, 2, 153}},
		{"gsm 306", a(306), Info{GSM7, 306, 2, 153}},
		{"gsm 307", a(307), Info{GSM7, 307, 3, 153}},
		{"gsm basic specials", "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", Info{GSM7, 42, 1, 160}},
		{"newline and cr are basic", "a\r\nb", Info{GSM7, 4, 1, 160}},
		{"euro costs two", "€", Info{GSM7, 2, 1, 160}},
		{"extension 158+2 fits", a(158) + "€", Info{GSM7, 160, 1, 160}},
		{"extension 159+2 splits", a(159) + "€", Info{GSM7, 161, 2, 153}},
		{"every extension char", "^{}\\[~]|€\f", Info{GSM7, 20, 1, 160}},
		{"brackets at 160", a(156) + "[]", Info{GSM7, 160, 1, 160}},
		{"brackets at 161", a(157) + "[]", Info{GSM7, 161, 2, 153}},
		// 152 septets then an escape pair: the pair may not straddle parts,
		// so part one holds 152 and the pair opens part two.
		{"escape pair not split", a(152) + "{" + a(7), Info{GSM7, 161, 2, 153}},
		{"escape pair pushes a third part", a(152) + "|" + a(152), Info{GSM7, 306, 3, 153}},
		{"ucs2 70", strings.Repeat("ж", 70), Info{UCS2, 70, 1, 70}},
		{"ucs2 71", strings.Repeat("ж", 71), Info{UCS2, 71, 2, 67}},
		{"ucs2 134", strings.Repeat("ж", 134), Info{UCS2, 134, 2, 67}},
		{"ucs2 135", strings.Repeat("ж", 135), Info{UCS2, 135, 3, 67}},
		{"one non-gsm char flips all", a(69) + "ж", Info{UCS2, 70, 1, 70}},
		{"backtick is not gsm", "`", Info{UCS2, 1, 1, 70}},
		{"extension chars cost one in ucs2", "ж€", Info{UCS2, 2, 1, 70}},
		{"emoji is two units", "📦", Info{UCS2, 2, 1, 70}},
		{"emoji at 70", a(68) + "📦", Info{UCS2, 70, 1, 70}},
		{"emoji at 71", a(69) + "📦", Info{UCS2, 71, 2, 67}},
		// 66 units then a surrogate pair: it may not straddle parts.
		{"surrogate pair not split", strings.Repeat("ж", 66) + "📦" + "жжж", Info{UCS2, 71, 2, 67}},
		{"surrogate pair pushes a third part", strings.Repeat("ж", 66) + "📦" + strings.Repeat("ж", 66), Info{UCS2, 134, 3, 67}},
		{"invalid utf8 counts as one unit", "\xff", Info{UCS2, 1, 1, 70}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Segments(tc.body); got != tc.want {
				t.Fatalf("Segments(%q) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		in   string
		want Keyword
	}{
		{"STOP", OptOut}, {"stop", OptOut}, {"  Stop \n", OptOut},
		{"unsubscribe", OptOut}, {"END", OptOut}, {"quit", OptOut},
		{"STOPALL", OptOut}, {"revoke", OptOut}, {"OptOut", OptOut}, {"cancel", OptOut},
		{"START", OptIn}, {"yes", OptIn}, {"Unstop", OptIn},
		{"HELP", Help}, {"info", Help},
		{"Stop.", OptOut}, {"STOP!", OptOut}, {"help?", Help},
		{"YES!", None}, {"start.", None},
		{"stop sending me stuff", None}, {"STOP PLEASE", None}, {"please cancel", None},
		{"STOP ALL", None}, {"opt out", None}, {"", None}, {"   ", None},
		{"ſtop", None}, {"stopp", None}, {".", None}, {"!!!", None},
		{strings.Repeat("STOP", 2500), None},
	}
	for _, tc := range cases {
		if got := Classify(tc.in); got != tc.want {
			t.Errorf("Classify(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"", "hello", "€€€", "📦", "\xff\xfe", strings.Repeat("ж", 200), "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info := Segments(s)
		if info.Chars < 0 || info.Segments < 0 {
			t.Fatalf("negative counts: %+v", info)
		}
		if (info.Chars == 0) != (info.Segments == 0) {
			t.Fatalf("chars and segments disagree: %+v", info)
		}
		if info.Segments > 0 && info.Chars > info.Segments*info.PerSegment {
			t.Fatalf("%d chars cannot fit %d×%d", info.Chars, info.Segments, info.PerSegment)
		}
		if info.Encoding == GSM7 && !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 classified as GSM-7")
		}
		_ = Classify(s)
	})
}
