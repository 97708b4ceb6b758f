// Package brandcolor keeps merchant brand colours readable. It measures WCAG
// 2.x contrast, nudges a colour's lightness (keeping its hue) until text in
// it reaches AA on a background, and picks black or white text for a
// brand-coloured button.
//
// Colours are "#rgb" or "#rrggbb" strings as merchants type them in the
// brand record. Functions that cannot return an error treat an unparsable
// background as white and never return an unusable colour.
package brandcolor

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// AA contrast thresholds from WCAG 2.x success criterion 1.4.3.
const (
	AANormal = 4.5
	AALarge  = 3.0
)

// ErrInvalidColor is wrapped by every parse error.
var ErrInvalidColor = errors.New("brandcolor: invalid colour")

// maxInput bounds how much of a hostile string is echoed in an error.
const maxInput = 32

// rgb is an sRGB colour with 8-bit channels.
type rgb struct{ r, g, b uint8 }

// Parse reads "#rgb" or "#rrggbb" (case-insensitive, surrounding space
// ignored) and returns it normalised as lowercase "#rrggbb".
func Parse(s string) (string, error) {
	c, err := parse(s)
	if err != nil {
		return "", err
	}
	return c.hex(), nil
}

func parse(s string) (rgb, error) {
	t := strings.TrimSpace(s)
	if len(t) != 4 && len(t) != 7 || t[0] != '#' {
		return rgb{}, fmt.Errorf("%w %q: want #rgb or #rrggbb", ErrInvalidColor, clip(s))
	}
	var v [6]uint8
	for i := 1; i < len(t); i++ {
		d, ok := hexDigit(t[i])
		if !ok {
			return rgb{}, fmt.Errorf("%w %q: not a hex digit", ErrInvalidColor, clip(s))
		}
		v[i-1] = d
	}
	if len(t) == 4 {
		return rgb{v[0] * 17, v[1] * 17, v[2] * 17}, nil
	}
	return rgb{v[0]<<4 | v[1], v[2]<<4 | v[3], v[4]<<4 | v[5]}, nil
}

func hexDigit(b byte) (uint8, bool) {
	switch {
	case b >= '0' && b <= '9':
		return b - '0', true
	case b >= 'a' && b <= 'f':
		return b - 'a' + 10, true
	case b >= 'A' && b <= 'F':
		return b - 'A' + 10, true
	}
	return 0, false
}

func clip(s string) string {
	if len(s) > maxInput {
		return s[:maxInput] + "…"
	}
	return s
}

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// luminance is the WCAG 2.x relative luminance of c.
func (c rgb) luminance() float64 {
	return 0.2126*linear(c.r) + 0.7152*linear(c.g) + 0.0722*linear(c.b)
}

// linear converts an 8-bit sRGB channel to linear light with the WCAG 2.x
// formula (0.03928 threshold, as the spec text states).
func linear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.03928 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func ratio(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Contrast returns the WCAG 2.x contrast ratio of fg on bg, from 1 to 21.
// The ratio is symmetric.
func Contrast(fg, bg string) (float64, error) {
	f, err := parse(fg)
	if err != nil {
		return 0, err
	}
	b, err := parse(bg)
	if err != nil {
		return 0, err
	}
	return ratio(f, b), nil
}

var (
	black = rgb{0, 0, 0}
	white = rgb{255, 255, 255}
)

// TextOn picks black or white text for a button filled with bg. White wins
// whenever it reaches AA (4.5:1), since that is what merchants expect on a
// saturated brand colour; otherwise the one with more contrast. An
// unparsable bg is treated as white (black text).
func TextOn(bg string) string {
	b, err := parse(bg)
	if err != nil {
		b = white
	}
	if w := ratio(white, b); w >= AANormal || w > ratio(black, b) {
		return white.hex()
	}
	return black.hex()
}

// EnsureAA returns color adjusted so that it reaches AA contrast on
// background: 4.5:1, or 3:1 when largeText. A colour that already passes is
// returned normalised with changed false. Otherwise its OKLCH lightness is
// moved the smallest amount that passes, keeping hue (and chroma where the
// sRGB gamut allows), towards darker or lighter, whichever is the smaller
// change. ratio is the contrast of the returned colour.
//
// The result is always usable: an unparsable background is treated as white
// and an unparsable colour is replaced by black or white, whichever
// contrasts more (changed true).
func EnsureAA(color, background string, largeText bool) (adjusted string, changed bool, contrast float64) {
	target := AANormal
	if largeText {
		target = AALarge
	}
	bg, err := parse(background)
	if err != nil {
		bg = white
	}
	c, err := parse(color)
	if err != nil {
		best := black
		if ratio(white, bg) > ratio(black, bg) {
			best = white
		}
		return best.hex(), true, ratio(best, bg)
	}
	if r := ratio(c, bg); r >= target {
		return c.hex(), false, r
	}

	lch := toOKLCH(c)
	darker, okD := search(lch, bg, target, -1)
	lighter, okL := search(lch, bg, target, +1)
	var out rgb
	switch {
	case okD && okL:
		out = darker
		if math.Abs(toOKLCH(lighter).l-lch.l) < math.Abs(toOKLCH(darker).l-lch.l) {
			out = lighter
		}
	case okD:
		out = darker
	case okL:
		out = lighter
	default:
		// Unreachable for the AA targets: black or white always reaches
		// 4.58:1 on any background. Kept so a future target cannot loop.
		out = black
		if ratio(white, bg) > ratio(black, bg) {
			out = white
		}
	}
	return out.hex(), true, ratio(out, bg)
}

// step is the OKLCH lightness increment of the search; 0.002 keeps the
// result within one 8-bit step of the minimal change.
const step = 0.002

// search walks lightness from the colour's own towards 0 (dir -1) or 1
// (dir +1) and returns the first gamut-mapped, 8-bit colour that reaches
// target on bg.
func search(start oklch, bg rgb, target float64, dir float64) (rgb, bool) {
	for i := 1; ; i++ {
		l := start.l + dir*float64(i)*step
		if l < 0 {
			l = 0
		}
		if l > 1 {
			l = 1
		}
		c := fromOKLCH(oklch{l: l, c: start.c, h: start.h})
		if ratio(c, bg) >= target {
			return c, true
		}
		if l == 0 || l == 1 {
			return rgb{}, false
		}
	}
}
