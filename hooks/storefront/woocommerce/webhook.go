// Package woocommerce turns WooCommerce webhook deliveries and REST API pages
// into Porchlight's normalized storefront model: signature check, header
// parsing, the unsigned creation ping, the order payload parser, and a
// catch-up client for /wp-json/wc/v3/orders.
//
// WooCommerce does not retry failed deliveries and disables a webhook after
// five consecutive failures, so webhooks are a fast path only: the catch-up
// client (Client.OrdersModifiedSince) is what guarantees nothing is missed.
// X-WC-Webhook-Delivery-ID is new for every delivery and is not an event id;
// dedupe on the order id plus date_modified_gmt instead.
package woocommerce

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"porchlight/hooks/sig"
	"porchlight/hooks/storefront/model"
)

// Order webhook topics (X-WC-Webhook-Topic).
const (
	TopicOrderCreated  = "order.created"
	TopicOrderUpdated  = "order.updated"
	TopicOrderDeleted  = "order.deleted"
	TopicOrderRestored = "order.restored"
)

// MaxBodyBytes is the largest webhook body the parsers accept; the HTTP
// handler should cap its reader at the same size.
const MaxBodyBytes = 10 << 20

const maxHeaderLen = 512

// Verify reports whether headerB64 (X-WC-Webhook-Signature) is the base64
// HMAC-SHA256 of body under secret, compared in constant time. An empty
// secret or a malformed header is false, never a panic.
//
// WooCommerce signs with the secret as stored after
// wp_specialchars_decode(…, ENT_QUOTES), i.e. HTML entities in the stored
// secret are decoded first; secrets WooCommerce generates are plain
// alphanumerics, so this only matters for hand-typed secrets with & or
// quotes in them.
func Verify(secret, body []byte, headerB64 string) bool {
	return sig.VerifyBase64HMACSHA256(secret, body, headerB64)
}

// Sign returns the X-WC-Webhook-Signature value for body under secret
// (tests and the demo simulator).
func Sign(secret, body []byte) string {
	return sig.Base64HMACSHA256(secret, body)
}

// Headers are the X-WC-Webhook-* delivery headers, sanitized and bounded.
type Headers struct {
	// Source is the store's home URL ("https://shop.example/").
	Source     string
	Topic      string // order.created, …
	Resource   string // order
	Event      string // created, updated, deleted, restored
	Signature  string
	WebhookID  string
	DeliveryID string // new per delivery; not an event id
}

// ParseHeaders reads the WooCommerce delivery headers from h.
func ParseHeaders(h http.Header) Headers {
	get := func(name string) string {
		v := model.SanitizeLine(h.Get(name))
		if len(v) > maxHeaderLen {
			v = model.SanitizeLine(strings.ToValidUTF8(v[:maxHeaderLen], ""))
		}
		return v
	}
	return Headers{
		Source:     get("X-WC-Webhook-Source"),
		Topic:      strings.ToLower(get("X-WC-Webhook-Topic")),
		Resource:   strings.ToLower(get("X-WC-Webhook-Resource")),
		Event:      strings.ToLower(get("X-WC-Webhook-Event")),
		Signature:  get("X-WC-Webhook-Signature"),
		WebhookID:  get("X-WC-Webhook-ID"),
		DeliveryID: get("X-WC-Webhook-Delivery-ID"),
	}
}

// IsPing recognises the unsigned ping WooCommerce posts when a webhook is
// created or activated: a form-encoded body "webhook_id=N" (Content-Type
// application/x-www-form-urlencoded, or none). Answer it 200 and store
// nothing; it carries no data and no signature. Anything else — extra
// fields, a non-numeric id, JSON — is not a ping.
func IsPing(contentType string, body []byte) (webhookID string, ok bool) {
	if len(body) == 0 || len(body) > 64 {
		return "", false
	}
	if ct := strings.TrimSpace(contentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return "", false
		}
	}
	vals, err := url.ParseQuery(strings.TrimSpace(string(body)))
	if err != nil || len(vals) != 1 || len(vals["webhook_id"]) != 1 {
		return "", false
	}
	id := vals.Get("webhook_id")
	if id == "" || len(id) > 20 {
		return "", false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return "", false
		}
	}
	return id, true
}
