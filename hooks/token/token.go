// Package token makes the unguessable tokens in shopper links (tracking,
// gift view, returns, surveys, unsubscribe). 128 bits of crypto/rand,
// base32-encoded without padding, lower case: URL-safe and easy to read out.
package token

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// Len is the length of a token string (16 random bytes in base32).
const Len = 26

// New returns a fresh 128-bit random token.
func New() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+ panics
		// internally instead); keep the contract explicit.
		panic("token: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(enc.EncodeToString(b[:]))
}

// Valid reports whether s has the shape of a token. Lookups still compare
// against stored tokens; this only rejects junk before touching the database.
func Valid(s string) bool {
	if len(s) != Len {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z') && !(r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}
