package sig

import (
	"strings"
	"testing"
)

func TestVerifyBase64HMACSHA256(t *testing.T) {
	secret, body := []byte("shpss_secret"), []byte(`{"id":1}`)
	good := Base64HMACSHA256(secret, body)
	cases := []struct {
		name   string
		secret []byte
		header string
		want   bool
	}{
		{"valid", secret, good, true},
		{"valid with spaces", secret, "  " + good + "\t", true},
		{"other body's signature", secret, Base64HMACSHA256(secret, []byte("{}")), false},
		{"wrong secret", []byte("other"), good, false},
		{"empty secret", nil, good, false},
		{"empty header", secret, "", false},
		{"embedded newline", secret, good[:20] + "\n" + good[20:], false},
		{"url alphabet", secret, strings.NewReplacer("+", "-", "/", "_").Replace(good) + "-", false},
		{"truncated", secret, good[:40], false},
		{"oversized", secret, strings.Repeat("A", 10_000), false},
		{"hex instead of base64", secret, "deadbeef", false},
		{"script", secret, "<script>alert(1)</script>", false},
	}
	for _, c := range cases {
		if got := VerifyBase64HMACSHA256(c.secret, body, c.header); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
