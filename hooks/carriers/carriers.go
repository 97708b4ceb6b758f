// Package carriers is the one interface every tracking provider speaks
// (EasyPost, Shippo, AfterShip, 17TRACK and the demo's simulator): register a
// tracker for a new shipment, poll it, and verify and parse the provider's
// webhooks. Each vendor lives in its own sub-package with an injected
// *http.Client and base URL, so tests talk to loopback servers.
//
// Adapters translate vendor vocabularies into canonical statuses with the
// status package and keep the raw value; they never touch the database.
package carriers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"porchlight/hooks/tracking/status"
)

// Errors adapters return.
var (
	// ErrUnauthorized: the webhook's signature (or token) is missing or
	// wrong, or no secret is configured.
	ErrUnauthorized = errors.New("carriers: webhook signature missing or invalid")
	// ErrMalformed: the payload cannot be understood (bad JSON, a missing
	// tracking number, an unparseable timestamp). Retrying cannot help.
	ErrMalformed = errors.New("carriers: malformed payload")
	// ErrNotConfigured: the adapter has no API key, so it cannot register
	// or poll.
	ErrNotConfigured = errors.New("carriers: not configured")
	// ErrNotFound: the provider does not know the tracker.
	ErrNotFound = errors.New("carriers: tracker not found")
)

// RateLimited is returned when the provider answered 429; RetryAfter is its
// Retry-After (zero when it sent none).
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string {
	return fmt.Sprintf("carriers: rate limited (retry after %s)", e.RetryAfter)
}

// HTTPError is any other non-2xx answer.
type HTTPError struct {
	Code int
	Body string // first bytes, for the logs
}

func (e *HTTPError) Error() string { return fmt.Sprintf("carriers: HTTP %d: %s", e.Code, e.Body) }

// Shipment is what an adapter needs to know about a parcel.
type Shipment struct {
	TrackingNumber string
	Carrier        string // our carrier id ("ups", "usps", "royalmail", "unknown")
	Service        string
	TrackerID      string // the provider's id, from Register
	// Simulator only.
	Journey   string
	ShippedAt time.Time
	DestCity  string
}

// Event is one checkpoint in canonical terms, with the vendor's raw value.
type Event struct {
	ID         string // the provider's stable event id when it has one
	OccurredAt time.Time
	Status     status.Status
	Substatus  string
	RawStatus  string // vendor's status[/detail], as received
	Known      bool   // the raw values were all in the mapping table
	Message    string
	Location   string
}

// Update is the state of one tracker as a provider reports it.
type Update struct {
	TrackingNumber string
	Carrier        string // the provider's carrier code, lower case
	TrackerID      string
	Events         []Event
	// EstimatedDelivery is the carrier's own delivery date; zero if none.
	EstimatedDelivery time.Time
}

// Webhook is one parsed webhook delivery.
type Webhook struct {
	Topic   string
	Updates []Update
}

// Adapter is a tracking provider.
type Adapter interface {
	// Name is the provider id, also the webhook source and the shipments'
	// tracker value: "easypost", "shippo", "aftership", "17track", "simulator".
	Name() string
	// Register creates a tracker for s and returns the provider's id.
	Register(ctx context.Context, s Shipment) (trackerID string, err error)
	// Poll fetches the tracker's current state.
	Poll(ctx context.Context, s Shipment) (Update, error)
	// VerifyWebhook checks a request's signature over the raw body:
	// ErrUnauthorized when it is wrong or no secret is configured.
	VerifyWebhook(r *http.Request, body []byte) error
	// DeliveryID names one delivery for the inbox's duplicate check: the
	// provider's event id, or a hash of the body when it has none.
	DeliveryID(body []byte) string
	// ParseWebhook reads a verified body. Errors wrap ErrMalformed.
	ParseWebhook(body []byte) (Webhook, error)
}

// MaxResponse caps how much of a provider's answer is read.
const MaxResponse = 4 << 20

// Do sends req and decodes a 2xx JSON answer into out (when non-nil). 429
// becomes *RateLimited, 404 ErrNotFound, other statuses *HTTPError.
func Do(hc *http.Client, req *http.Request, out any) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse))
	if err != nil {
		return fmt.Errorf("%s %s: read: %w", req.Method, req.URL.Path, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return &RateLimited{RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	case resp.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		b := string(body)
		if len(b) > 200 {
			b = b[:200]
		}
		return &HTTPError{Code: resp.StatusCode, Body: status.CleanRaw(b)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// ParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date
// (relative to now). Anything else is zero.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// ParseTime reads the timestamps providers send: RFC 3339 with or without
// fractional seconds, or a zone-less "2006-01-02T15:04:05" (read as UTC, the
// least surprising choice when the provider gives no offset).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2200 {
				break
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q: %w", status.CleanRaw(s), ErrMalformed)
}

// ParseDate reads a date-only or full timestamp estimate as a civil date
// (00:00 UTC); "" is zero.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	// The calendar day in the timestamp's own offset: a local midnight
	// "2026-11-25T00:00:00+01:00" means the 25th.
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.Year() >= 1990 && t.Year() <= 2200 {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

// JoinLocation joins the non-empty parts of a location with ", ".
func JoinLocation(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// Code maps our carrier id to a provider's carrier code via table, falling
// back to the id itself ("" for unknown).
func Code(table map[string]string, carrier string) string {
	if c, ok := table[carrier]; ok {
		return c
	}
	if carrier == "unknown" {
		return ""
	}
	return carrier
}

// BodyHash is a delivery id for providers without event ids: the same bytes
// delivered twice are one delivery.
func BodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// Updater is a vendor payload that converts into one canonical Update.
type Updater interface {
	Update() (Update, error)
}

// ParseEventEnvelope reads the {"event": ..., "data": {...}} webhook
// envelope that Shippo and 17TRACK share: when the event is want, data
// decodes into T and becomes the webhook's one update; any other event is
// returned with its topic and no updates. vendor prefixes error messages.
func ParseEventEnvelope[T Updater](vendor string, body []byte, want string) (Webhook, error) {
	var e struct {
		Event string          `json:"event"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return Webhook{}, fmt.Errorf("%s webhook: %v: %w", vendor, err, ErrMalformed)
	}
	w := Webhook{Topic: e.Event}
	if e.Event != want {
		return w, nil
	}
	var payload T
	if err := json.Unmarshal(e.Data, &payload); err != nil {
		return w, fmt.Errorf("%s webhook data: %v: %w", vendor, err, ErrMalformed)
	}
	u, err := payload.Update()
	if err != nil {
		return w, err
	}
	w.Updates = []Update{u}
	return w, nil
}

// BaseURL returns configured (a loopback server in tests) or def, without a
// trailing slash, so request paths can be appended as "/v2/...".
func BaseURL(configured, def string) string {
	if configured == "" {
		configured = def
	}
	return strings.TrimRight(configured, "/")
}
