// Package shopify turns Shopify webhook deliveries into Porchlight's
// normalized storefront model: signature check, header parsing, and parsers
// for the REST-format JSON payloads of the order, fulfillment, refund,
// customer and mandatory privacy topics.
//
// Parsers are pure functions over the raw body. Unknown fields are ignored;
// a missing required field, a value of the wrong JSON kind or an unparseable
// amount or timestamp is an error that names the field. Scalars are read
// leniently (ids and prices may be numbers or strings) and never through
// float64. Every parsed value is sanitized (model.Normalize) and validated;
// a *model.ValidationError comes back together with the parsed value so the
// caller can log what it is refusing.
//
// Shopify retries a delivery up to 8 times over 4 hours with the original
// payload, so callers must dedupe on Headers.WebhookID / EventID and ignore
// payloads whose updated_at is older than what they hold.
package shopify

import (
	"net/http"
	"strings"
	"time"

	"porchlight/hooks/sig"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// Webhook topics Porchlight subscribes to (X-Shopify-Topic).
const (
	TopicOrdersCreate             = "orders/create"
	TopicOrdersUpdated            = "orders/updated"
	TopicOrdersPaid               = "orders/paid"
	TopicOrdersCancelled          = "orders/cancelled"
	TopicOrdersFulfilled          = "orders/fulfilled"
	TopicOrdersPartiallyFulfilled = "orders/partially_fulfilled"
	TopicFulfillmentsCreate       = "fulfillments/create"
	TopicFulfillmentsUpdate       = "fulfillments/update"
	TopicFulfillmentEventsCreate  = "fulfillment_events/create"
	TopicRefundsCreate            = "refunds/create"
	TopicCustomersUpdate          = "customers/update"
	TopicCustomersDataRequest     = "customers/data_request"
	TopicCustomersRedact          = "customers/redact"
	TopicShopRedact               = "shop/redact"
)

// OrderTopics are the topics whose payload is a full order (ParseOrder).
var OrderTopics = []string{
	TopicOrdersCreate, TopicOrdersUpdated, TopicOrdersPaid, TopicOrdersCancelled,
	TopicOrdersFulfilled, TopicOrdersPartiallyFulfilled,
}

// MaxBodyBytes is the largest webhook body the parsers accept. A 500-line
// order is well under 2 MB; the HTTP handler should cap its reader at this
// size too (http.MaxBytesReader) so the limit bites before the read.
const MaxBodyBytes = 10 << 20

// maxHeaderLen bounds every header value we keep.
const maxHeaderLen = 256

// Verify reports whether headerB64 (X-Shopify-Hmac-Sha256) is the base64
// HMAC-SHA256 of rawBody under secret. It compares in constant time and
// returns false, never panics, for an empty secret, an empty, oversized,
// non-canonical base64 or wrong-length header. rawBody must be the bytes as received,
// before any JSON decoding.
func Verify(secret, rawBody []byte, headerB64 string) bool {
	return sig.VerifyBase64HMACSHA256(secret, rawBody, headerB64)
}

// Sign returns the X-Shopify-Hmac-Sha256 value for body under secret. Tests
// and the demo simulator use it to produce deliveries Verify accepts.
func Sign(secret, body []byte) string {
	return sig.Base64HMACSHA256(secret, body)
}

// Headers are the X-Shopify-* delivery headers, sanitized and bounded.
type Headers struct {
	Topic      string
	HmacSHA256 string
	// ShopDomain is lower-cased ("porchlight-demo.myshopify.com").
	ShopDomain string
	APIVersion string
	// WebhookID identifies the delivery attempt's webhook event; Shopify
	// reuses it on retries, so it is the dedupe key.
	WebhookID string
	// EventID identifies the underlying event; several subscriptions may
	// share it.
	EventID string
	// TriggeredAt is when Shopify fired the webhook; zero if absent or
	// unparseable.
	TriggeredAt time.Time
}

// ParseHeaders reads the Shopify delivery headers from h. Values are
// sanitized and truncated; nothing here is trusted until Verify passes.
func ParseHeaders(h http.Header) Headers {
	get := func(name string) string {
		v := model.SanitizeLine(h.Get(name))
		if len(v) > maxHeaderLen {
			v = model.SanitizeLine(strings.ToValidUTF8(v[:maxHeaderLen], ""))
		}
		return v
	}
	out := Headers{
		Topic:      get("X-Shopify-Topic"),
		HmacSHA256: get("X-Shopify-Hmac-Sha256"),
		ShopDomain: strings.ToLower(get("X-Shopify-Shop-Domain")),
		APIVersion: get("X-Shopify-API-Version"),
		WebhookID:  get("X-Shopify-Webhook-Id"),
		EventID:    get("X-Shopify-Event-Id"),
	}
	if t, err := wire.ParseTime(get("X-Shopify-Triggered-At")); err == nil {
		out.TriggeredAt = t
	}
	return out
}
