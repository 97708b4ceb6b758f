package brandcolor

import "math"

// oklch is a colour in Björn Ottosson's OKLab space in polar form: l in
// [0,1], chroma c >= 0, hue h in radians. Lightness moves in OKLCH look even
// to the eye, so an adjusted brand colour still reads as the same hue.
type oklch struct{ l, c, h float64 }

func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func linearToSRGB(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

func toOKLCH(c rgb) oklch {
	r := srgbToLinear(float64(c.r) / 255)
	g := srgbToLinear(float64(c.g) / 255)
	b := srgbToLinear(float64(c.b) / 255)

	l := math.Cbrt(0.4122214708*r + 0.5363325363*g + 0.0514459929*b)
	m := math.Cbrt(0.2119034982*r + 0.6806995451*g + 0.1073969566*b)
	s := math.Cbrt(0.0883024619*r + 0.2817188376*g + 0.6299787005*b)

	L := 0.2104542553*l + 0.7936177850*m - 0.0040720468*s
	A := 1.9779984951*l - 2.4285922050*m + 0.4505937099*s
	B := 0.0259040371*l + 0.7827717662*m - 0.8086757660*s
	return oklch{l: L, c: math.Hypot(A, B), h: math.Atan2(B, A)}
}

// linearRGB converts to linear sRGB without clamping; components outside
// [0,1] mean the colour is outside the sRGB gamut.
func (o oklch) linearRGB() (r, g, b float64) {
	A := o.c * math.Cos(o.h)
	B := o.c * math.Sin(o.h)
	l := o.l + 0.3963377774*A + 0.2158037573*B
	m := o.l - 0.1055613458*A - 0.0638541728*B
	s := o.l - 0.0894841775*A - 1.2914855480*B
	l, m, s = l*l*l, m*m*m, s*s*s
	r = 4.0767416621*l - 3.3077115913*m + 0.2309699292*s
	g = -1.2684380046*l + 2.6097574011*m - 0.3413193965*s
	b = -0.0041960863*l - 0.7034186147*m + 1.7076147010*s
	return r, g, b
}

func inGamut(r, g, b float64) bool {
	const eps = 1e-6
	return r >= -eps && r <= 1+eps && g >= -eps && g <= 1+eps && b >= -eps && b <= 1+eps
}

// fromOKLCH maps o into sRGB by lowering chroma (hue and lightness fixed)
// until it fits, then rounds to 8 bits.
func fromOKLCH(o oklch) rgb {
	if r, g, b := o.linearRGB(); !inGamut(r, g, b) {
		lo, hi := 0.0, o.c
		for range 24 {
			mid := (lo + hi) / 2
			if r, g, b := (oklch{o.l, mid, o.h}).linearRGB(); inGamut(r, g, b) {
				lo = mid
			} else {
				hi = mid
			}
		}
		o.c = lo
	}
	r, g, b := o.linearRGB()
	return rgb{to8(r), to8(g), to8(b)}
}

func to8(v float64) uint8 {
	s := linearToSRGB(math.Max(0, math.Min(1, v)))
	return uint8(math.Round(math.Max(0, math.Min(1, s)) * 255))
}
