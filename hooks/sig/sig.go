// Package sig holds the webhook signature schemes shared by several senders,
// so each is implemented (and hardened) once. Shopify, WooCommerce and
// AfterShip all sign with base64(HMAC-SHA256(secret, raw body)).
package sig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Base64HMACSHA256 returns base64(HMAC-SHA256(secret, body)).
func Base64HMACSHA256(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyBase64HMACSHA256 reports whether header is base64(HMAC-SHA256(secret,
// body)). It compares in constant time and returns false, never panics, for
// an empty secret or an empty, oversized, non-canonical or wrong-length
// header. body must be the bytes as received, before any decoding.
func VerifyBase64HMACSHA256(secret, body []byte, header string) bool {
	if len(secret) == 0 {
		return false
	}
	header = strings.TrimSpace(header)
	// base64 of 32 bytes is 44 characters; allow nothing much longer.
	if header == "" || len(header) > 64 || !isBase64(header) {
		return false
	}
	got, err := base64.StdEncoding.Strict().DecodeString(header)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), got)
}

// isBase64 reports whether s uses only the standard base64 alphabet. The
// decoder would skip embedded CR/LF; a signature header never has them, so
// anything outside the alphabet is refused outright.
func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}
