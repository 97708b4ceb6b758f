package brandcolor

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestContrastKnownRatios(t *testing.T) {
	scenarios := []struct {
		fg, bg string
		want   float64
	}{
		{"#000", "#fff", 21},
		{"#000000", "#FFFFFF", 21},
		{"#fff", "#000", 21},
		{"#777", "#fff", 4.48},
		{"#767676", "#ffffff", 4.54},
		{"#ffffff", "#ffffff", 1},
		{" #0000ff ", "#fff", 8.59},
		{"#ff0000", "#ffffff", 4.00},
	}
	for _, s := range scenarios {
		got, err := Contrast(s.fg, s.bg)
		if err != nil {
			t.Fatalf("Contrast(%q, %q): %v", s.fg, s.bg, err)
		}
		if math.Abs(got-s.want) > 0.005 {
			t.Errorf("Contrast(%q, %q) = %.4f, want %.2f", s.fg, s.bg, got, s.want)
		}
	}
}

func TestParseRejectsHostile(t *testing.T) {
	hostile := []string{
		"", "#", "#ff", "#ffff", "#fffff", "#fffffff", "ffffff", "#gggggg",
		"red", "rgb(0,0,0)", "#12 456", "#ＦＦＦ", "javascript:alert(1)",
		"#fff\x00", "\"><script>", strings.Repeat("#fff", 2500),
	}
	for _, h := range hostile {
		if _, err := Parse(h); !errors.Is(err, ErrInvalidColor) {
			t.Errorf("Parse(%.20q) err = %v, want ErrInvalidColor", h, err)
		}
		if _, err := Contrast(h, "#fff"); err == nil {
			t.Errorf("Contrast(%.20q, white) accepted", h)
		}
		if _, err := Contrast("#fff", h); err == nil {
			t.Errorf("Contrast(white, %.20q) accepted", h)
		}
	}
	if got, _ := Parse(" #AbC "); got != "#aabbcc" {
		t.Errorf("Parse(#AbC) = %q", got)
	}
	_, err := Parse(strings.Repeat("x", 10000))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error for a long input should be short, got %d bytes", len(err.Error()))
	}
}

func TestTextOn(t *testing.T) {
	scenarios := []struct{ bg, want string }{
		{"#000000", "#ffffff"},
		{"#ffffff", "#000000"},
		{"#1a1a2e", "#ffffff"}, // navy
		{"#ffd400", "#000000"}, // yellow
		{"#0070f3", "#ffffff"}, // both pass AA: white preferred (4.55 vs 4.61)
		{"#00a0ff", "#000000"}, // lighter blue: white fails AA
		{"#ff5a5f", "#000000"}, // coral: black is the higher contrast
		{"not a colour", "#000000"},
	}
	for _, s := range scenarios {
		if got := TextOn(s.bg); got != s.want {
			t.Errorf("TextOn(%q) = %q, want %q", s.bg, got, s.want)
		}
	}
}

func TestEnsureAA(t *testing.T) {
	scenarios := []struct {
		name        string
		color, bg   string
		large       bool
		wantChanged bool
	}{
		{"already passes", "#1a1a2e", "#ffffff", false, false},
		{"grey 777 just fails", "#777777", "#ffffff", false, true},
		{"grey 777 passes large", "#777777", "#ffffff", true, false},
		{"yellow on white", "#ffd400", "#ffffff", false, true},
		{"coral on white", "#ff5a5f", "#ffffff", false, true},
		{"teal on white large", "#19c3b1", "#ffffff", true, true},
		{"navy on black lightens", "#1a237e", "#000000", false, true},
		{"pastel on mid grey", "#a0c4ff", "#777777", false, true},
		{"short form", "#f80", "#fff", false, true},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			got, changed, r := EnsureAA(s.color, s.bg, s.large)
			target := AANormal
			if s.large {
				target = AALarge
			}
			if changed != s.wantChanged {
				t.Errorf("changed = %v, want %v (got %s)", changed, s.wantChanged, got)
			}
			check, err := Contrast(got, s.bg)
			if err != nil {
				t.Fatalf("result %q does not parse: %v", got, err)
			}
			if check < target || math.Abs(check-r) > 1e-9 {
				t.Errorf("EnsureAA(%s) = %s ratio %.3f (recomputed %.3f), want >= %.1f", s.color, got, r, check, target)
			}
			if !changed {
				if want, _ := Parse(s.color); got != want {
					t.Errorf("unchanged colour returned as %q, want %q", got, want)
				}
				return
			}
			orig, _ := parse(s.color)
			res, _ := parse(got)
			o, a := toOKLCH(orig), toOKLCH(res)
			// Hue kept (where the result still has chroma to speak of).
			if a.c > 0.03 && o.c > 0.03 {
				if d := math.Abs(math.Remainder(a.h-o.h, 2*math.Pi)); d > 0.12 {
					t.Errorf("hue moved by %.3f rad: %s -> %s", d, s.color, got)
				}
			}
			// Minimal: one search step less of a change would not pass.
			dl := a.l - o.l
			back := oklch{l: a.l - math.Copysign(2*step, dl), c: o.c, h: o.h}
			if rr := ratio(fromOKLCH(back), mustParse(t, s.bg)); rr >= target && math.Abs(back.l-o.l) < math.Abs(dl) {
				t.Errorf("a smaller change (L %.3f, ratio %.3f) would have passed; got L %.3f", back.l, rr, a.l)
			}
		})
	}
}

func TestEnsureAAHostile(t *testing.T) {
	got, changed, r := EnsureAA("<script>", "#ffffff", false)
	if got != "#000000" || !changed || r != 21 {
		t.Errorf("hostile colour on white = %s %v %.2f, want black", got, changed, r)
	}
	got, changed, _ = EnsureAA("#222", "garbage", false)
	if got != "#222222" || changed {
		t.Errorf("dark colour on unparsable background = %s %v, want #222222 unchanged", got, changed)
	}
	got, _, _ = EnsureAA("", "#000", true)
	if got != "#ffffff" {
		t.Errorf("empty colour on black = %s, want white", got)
	}
}

func mustParse(t *testing.T, s string) rgb {
	t.Helper()
	c, err := parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzEnsureAA(f *testing.F) {
	for _, s := range []string{"#777", "#ffd400", "#000", "", "#zzz", "#1234567", strings.Repeat("#", 100)} {
		f.Add(s, "#fff", false)
		f.Add(s, "#777777", true)
	}
	f.Fuzz(func(t *testing.T, color, bg string, large bool) {
		got, _, r := EnsureAA(color, bg, large)
		if _, err := Parse(got); err != nil {
			t.Fatalf("EnsureAA returned unparsable %q", got)
		}
		if r < AALarge {
			t.Fatalf("EnsureAA(%q, %q) ratio %.2f below any AA target", color, bg, r)
		}
		_ = TextOn(bg)
		_, _ = Contrast(color, bg)
	})
}
