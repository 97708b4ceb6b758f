package timeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// DedupeKey is a stable key for an event from a source that has no event id
// (or re-sends events without one, like Shippo's non-idempotent webhooks).
//
// The fields are normalised first so cosmetic differences between
// re-deliveries do not make two events: source, status, message and
// location are lower-cased with runs of white space collapsed and trimmed;
// the tracking number is upper-cased without white space or hyphens; the
// time is taken in UTC at whole-second precision (sources disagree about
// sub-second digits, and two identical scans within a second are the same
// scan).
//
// The key is "h1:" plus 32 hex digits (128 bits of SHA-256); the prefix
// keeps it apart from source-provided ids and names the scheme.
func DedupeKey(source, trackingNumber string, at time.Time, status, message, location string) string {
	buf := make([]byte, 0, 64+len(source)+len(trackingNumber)+len(status)+len(message)+len(location))
	buf = appendField(buf, source, foldSpace)
	buf = appendField(buf, trackingNumber, foldNumber)
	buf = appendField(buf, at.UTC().Truncate(time.Second).Format(time.RFC3339), nil)
	buf = appendField(buf, status, foldSpace)
	buf = appendField(buf, message, foldSpace)
	buf = appendField(buf, location, foldSpace)
	sum := sha256.Sum256(buf)
	return "h1:" + hex.EncodeToString(sum[:16])
}

// appendField appends fold(s) length-prefixed, so ("ab","c") and ("a","bc")
// hash differently.
func appendField(buf []byte, s string, fold func([]byte, string) []byte) []byte {
	var f []byte
	if fold == nil {
		f = []byte(s)
	} else {
		f = fold(make([]byte, 0, len(s)), s)
	}
	buf = strconv.AppendInt(buf, int64(len(f)), 10)
	buf = append(buf, ':')
	return append(buf, f...)
}

// foldSpace lower-cases s, collapses runs of white space to one space and
// drops leading and trailing white space.
func foldSpace(dst []byte, s string) []byte {
	start, space := len(dst), false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if unicode.IsSpace(r) {
			space = len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		switch {
		case r >= 'A' && r <= 'Z':
			dst = append(dst, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// foldNumber upper-cases a tracking number and drops white space and hyphens.
func foldNumber(dst []byte, s string) []byte {
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToUpper(r))
	}
	return dst
}
