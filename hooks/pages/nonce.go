package pages

import (
	"crypto/rand"
	"encoding/base64"
)

// newNonce returns a per-response CSP nonce for the one inline <style>
// (brand colours); there is no inline script at all.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawStdEncoding.EncodeToString(b[:])
}
