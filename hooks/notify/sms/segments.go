// Package sms holds the SMS rules that do not depend on a vendor: how a body
// splits into billable segments (GSM 03.38 / UCS-2) and how an inbound reply
// is classified as an opt-out, opt-in or help keyword.
//
// The package is pure Go; the Twilio adapter and the consent store use it.
package sms

import "unicode/utf16"

// Encodings reported by Segments.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Segment capacities. A message that fits in one segment gets the full
// payload; a concatenated message loses room to the UDH in every part.
const (
	gsmSingle  = 160
	gsmMulti   = 153
	ucs2Single = 70
	ucs2Multi  = 67
)

// Info describes how a body will be sent.
type Info struct {
	// Encoding is GSM7 or UCS2.
	Encoding string
	// Chars is the encoded length: septets for GSM-7 (an extension-table
	// character costs two: ESC plus the character), UTF-16 code units for
	// UCS-2 (a character outside the BMP, such as most emoji, costs two).
	Chars int
	// Segments is how many SMS parts the carrier bills; 0 for an empty body.
	Segments int
	// PerSegment is the capacity of each part: 160/153 for GSM-7, 70/67 for UCS-2.
	PerSegment int
}

// gsmBasic is the GSM 03.38 default alphabet (one septet each). ESC (0x1B)
// is deliberately absent: it is not a character a sender can type.
var gsmBasic = func() map[rune]bool {
	const table = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	m := make(map[rune]bool, 128)
	for _, r := range table {
		m[r] = true
	}
	return m
}()

// gsmExtension is the GSM 03.38 extension table (ESC + character, two septets).
var gsmExtension = map[rune]bool{
	'\f': true, '^': true, '{': true, '}': true, '\\': true,
	'[': true, '~': true, ']': true, '|': true, '€': true,
}

// Segments reports the encoding, length and segment count of body per
// GSM 03.38 and 3GPP TS 23.040. The body is GSM-7 when every character is in
// the default alphabet or its extension table, otherwise UCS-2.
//
// Concatenated parts are filled greedily without splitting an escape pair
// (GSM-7) or a surrogate pair (UCS-2), as handsets and Twilio do, so a long
// message can need one more segment than Chars/PerSegment suggests.
// Invalid UTF-8 bytes count as U+FFFD (UCS-2), never a panic.
func Segments(body string) Info {
	costs, gsm := unitCosts(body)
	info := Info{Encoding: UCS2, PerSegment: ucs2Single}
	single, multi := ucs2Single, ucs2Multi
	if gsm {
		info.Encoding, info.PerSegment = GSM7, gsmSingle
		single, multi = gsmSingle, gsmMulti
	}
	for _, c := range costs {
		info.Chars += c
	}
	switch {
	case info.Chars == 0:
		return info
	case info.Chars <= single:
		info.Segments = 1
		return info
	}
	info.PerSegment = multi
	used := 0
	info.Segments = 1
	for _, c := range costs {
		if used+c > multi {
			info.Segments++
			used = 0
		}
		used += c
	}
	return info
}

// unitCosts returns the encoded cost of each character and whether the body
// is GSM-7. The cost slice is for the chosen encoding.
func unitCosts(body string) (costs []int, gsm bool) {
	gsm = true
	for _, r := range body {
		if !gsmBasic[r] && !gsmExtension[r] {
			gsm = false
			break
		}
	}
	costs = make([]int, 0, len(body))
	for _, r := range body {
		switch {
		case gsm && gsmExtension[r]:
			costs = append(costs, 2)
		case gsm:
			costs = append(costs, 1)
		case utf16.RuneLen(r) == 2:
			costs = append(costs, 2)
		default:
			// utf16.RuneLen is -1 for invalid runes (surrogate halves decoded
			// from WTF-8); they are sent as U+FFFD, one unit.
			costs = append(costs, 1)
		}
	}
	return costs, gsm
}
