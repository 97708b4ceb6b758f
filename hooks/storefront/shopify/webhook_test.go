package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret := []byte("shpss_demo_secret")
	body := readFixture(t, "orders_create.json")
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	good := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if Sign(secret, body) != good {
		t.Fatal("Sign disagrees with the reference HMAC")
	}
	flipped := []byte(good)
	if flipped[5] == 'A' {
		flipped[5] = 'B'
	} else {
		flipped[5] = 'A'
	}
	scenarios := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   bool
	}{
		{"valid", secret, body, good, true},
		{"valid with spaces", secret, body, "  " + good + "\n", true},
		{"wrong secret", []byte("other"), body, good, false},
		{"empty secret", nil, body, good, false},
		{"body changed", secret, append([]byte(" "), body...), good, false},
		{"one char flipped", secret, body, string(flipped), false},
		{"empty header", secret, body, "", false},
		{"not base64", secret, body, "%%%not-base64%%%", false},
		{"url-safe alphabet", secret, body, strings.NewReplacer("+", "-", "/", "_").Replace(good) + "x", false},
		{"hex instead of base64", secret, body, strings.Repeat("ab", 32), false},
		{"truncated", secret, body, good[:20], false},
		{"short digest", secret, body, base64.StdEncoding.EncodeToString([]byte("short")), false},
		{"huge header", secret, body, strings.Repeat("A", 1<<20), false},
		{"empty body still verifies", secret, nil, Sign(secret, nil), true},
		// Found by FuzzVerify: the lenient decoder skips CR/LF and ignores
		// non-zero padding bits; only the canonical encoding is accepted.
		{"embedded CR", secret, body, good[:8] + "\r" + good[8:], false},
		{"non-canonical padding bits", secret, body, nonCanonical(good), false},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Verify(s.secret, s.body, s.header); got != s.want {
				t.Errorf("Verify = %v, want %v", got, s.want)
			}
		})
	}
}

// nonCanonical flips the unused low bits of the last base64 character
// before the padding: same bytes when decoded leniently, different text.
func nonCanonical(b64 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(b64, '=') - 1
	v := strings.IndexByte(alphabet, b64[i])
	return b64[:i] + string(alphabet[v^1]) + b64[i+1:]
}

func TestParseHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-Shopify-Topic", "orders/create")
	h.Set("X-Shopify-Hmac-SHA256", "abc=")
	h.Set("X-Shopify-Shop-Domain", "Porchlight-Demo.myshopify.com")
	h.Set("X-Shopify-API-Version", "2025-01")
	h.Set("X-Shopify-Webhook-Id", "b54557e4-8a5f-4f7d-9bcd-043a1e000001")
	h.Set("X-Shopify-Event-Id", "e1f0a000-0000-4000-8000-000000000001")
	h.Set("X-Shopify-Triggered-At", "2025-03-14T14:21:09.412345678Z")
	got := ParseHeaders(h)
	want := Headers{
		Topic:       "orders/create",
		HmacSHA256:  "abc=",
		ShopDomain:  "porchlight-demo.myshopify.com",
		APIVersion:  "2025-01",
		WebhookID:   "b54557e4-8a5f-4f7d-9bcd-043a1e000001",
		EventID:     "e1f0a000-0000-4000-8000-000000000001",
		TriggeredAt: time.Date(2025, 3, 14, 14, 21, 9, 412345678, time.UTC),
	}
	if got != want {
		t.Errorf("ParseHeaders\n got %+v\nwant %+v", got, want)
	}
}

func TestParseHeadersHostile(t *testing.T) {
	h := http.Header{}
	h.Set("X-Shopify-Topic", "orders/create\x00\x1b[2J")
	h.Set("X-Shopify-Webhook-Id", strings.Repeat("é", 1000))
	h.Set("X-Shopify-Triggered-At", "last tuesday")
	got := ParseHeaders(h)
	if got.Topic != "orders/create[2J" {
		t.Errorf("topic = %q", got.Topic)
	}
	if len(got.WebhookID) > maxHeaderLen || !strings.HasPrefix(got.WebhookID, "éé") {
		t.Errorf("webhook id not bounded: %d bytes", len(got.WebhookID))
	}
	if !got.TriggeredAt.IsZero() {
		t.Errorf("bad time parsed: %v", got.TriggeredAt)
	}
	if (ParseHeaders(http.Header{}) != Headers{}) {
		t.Error("empty headers should give zero Headers")
	}
}
