// Package aftership is the AfterShip Tracking adapter: trackings
// (POST /trackings, GET /trackings/{id}) and tracking_update webhooks signed
// with aftership-hmac-sha256: base64(HMAC-SHA256(secret, raw body)).
package aftership

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"porchlight/hooks/carriers"
	"porchlight/hooks/sig"
	"porchlight/hooks/tracking/status"
)

// Name is the provider id and webhook source.
const Name = "aftership"

// DefaultBaseURL is AfterShip Tracking's API root (versioned).
const DefaultBaseURL = "https://api.aftership.com/tracking/2025-01"

// SignatureHeader carries the webhook signature.
const SignatureHeader = "aftership-hmac-sha256"

// Config configures the adapter.
type Config struct {
	APIKey        string
	WebhookSecret string
	BaseURL       string
	HTTP          *http.Client
}

// Client talks to AfterShip.
type Client struct{ c Config }

// New returns an adapter.
func New(c Config) *Client {
	c.BaseURL = carriers.BaseURL(c.BaseURL, DefaultBaseURL)
	return &Client{c: c}
}

// Name implements carriers.Adapter.
func (*Client) Name() string { return Name }

// carrierCodes maps our carrier ids to AfterShip slugs.
var carrierCodes = map[string]string{
	"dhlexpress": "dhl", "dhlecommerce": "dhl-global-mail", "canadapost": "canada-post",
	"royalmail": "royal-mail", "amazon": "amazon", "chinapost": "china-post", "laposte": "la-poste-colissimo",
}

// Tracking is AfterShip's tracking object (the fields we read).
type Tracking struct {
	ID                           string  `json:"id"`
	TrackingNumber               string  `json:"tracking_number"`
	Slug                         string  `json:"slug"`
	Tag                          string  `json:"tag"`
	Subtag                       string  `json:"subtag"`
	ExpectedDelivery             *string `json:"expected_delivery"`
	CourierEstimatedDeliveryDate *struct {
		EstimatedDeliveryDate *string `json:"estimated_delivery_date"`
	} `json:"courier_estimated_delivery_date"`
	Checkpoints []Checkpoint `json:"checkpoints"`
}

// Checkpoint is one scan.
type Checkpoint struct {
	CheckpointTime string  `json:"checkpoint_time"`
	Tag            string  `json:"tag"`
	Subtag         string  `json:"subtag"`
	Message        string  `json:"message"`
	Location       *string `json:"location"`
	City           *string `json:"city"`
	State          *string `json:"state"`
	CountryISO3    *string `json:"country_iso3"`
	Zip            *string `json:"zip"`
}

// Envelope is the webhook body.
type Envelope struct {
	Event   string          `json:"event"`
	EventID string          `json:"event_id"`
	Msg     json.RawMessage `json:"msg"`
	TS      int64           `json:"ts"`
}

type response struct {
	Meta struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"meta"`
	Data json.RawMessage `json:"data"`
}

func (c *Client) do(ctx context.Context, method, path string, body any) (Tracking, error) {
	var t Tracking
	if c.c.APIKey == "" {
		return t, carriers.ErrNotConfigured
	}
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return t, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.c.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return t, err
	}
	req.Header.Set("as-api-key", c.c.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	var r response
	if err := carriers.Do(c.c.HTTP, req, &r); err != nil {
		return t, err
	}
	// Versions before 2024 wrap the object in {"tracking": {...}}.
	var wrapped struct {
		Tracking *Tracking `json:"tracking"`
	}
	if json.Unmarshal(r.Data, &wrapped) == nil && wrapped.Tracking != nil {
		return *wrapped.Tracking, nil
	}
	if err := json.Unmarshal(r.Data, &t); err != nil {
		return t, fmt.Errorf("aftership: data: %v: %w", err, carriers.ErrMalformed)
	}
	return t, nil
}

// Register implements carriers.Adapter: POST /trackings.
func (c *Client) Register(ctx context.Context, s carriers.Shipment) (string, error) {
	in := map[string]string{"tracking_number": s.TrackingNumber}
	if slug := carriers.Code(carrierCodes, s.Carrier); slug != "" {
		in["slug"] = slug
	}
	t, err := c.do(ctx, http.MethodPost, "/trackings", in)
	if err != nil {
		return "", fmt.Errorf("aftership register %s: %w", s.TrackingNumber, err)
	}
	if t.ID == "" {
		return "", fmt.Errorf("aftership register %s: no tracking id: %w", s.TrackingNumber, carriers.ErrMalformed)
	}
	return t.ID, nil
}

// Poll implements carriers.Adapter: GET /trackings/{id}.
func (c *Client) Poll(ctx context.Context, s carriers.Shipment) (carriers.Update, error) {
	if s.TrackerID == "" {
		return carriers.Update{}, fmt.Errorf("aftership poll %s: no tracking id: %w", s.TrackingNumber, carriers.ErrNotFound)
	}
	t, err := c.do(ctx, http.MethodGet, "/trackings/"+url.PathEscape(s.TrackerID), nil)
	if err != nil {
		return carriers.Update{}, fmt.Errorf("aftership poll %s: %w", s.TrackingNumber, err)
	}
	return t.Update()
}

// Sign returns the aftership-hmac-sha256 value for body.
func Sign(secret string, body []byte) string {
	return sig.Base64HMACSHA256([]byte(secret), body)
}

// VerifyWebhook implements carriers.Adapter.
func (c *Client) VerifyWebhook(r *http.Request, body []byte) error {
	if c.c.WebhookSecret == "" {
		return carriers.ErrUnauthorized
	}
	if !sig.VerifyBase64HMACSHA256([]byte(c.c.WebhookSecret), body, r.Header.Get(SignatureHeader)) {
		return carriers.ErrUnauthorized
	}
	return nil
}

// DeliveryID implements carriers.Adapter: event_id.
func (*Client) DeliveryID(body []byte) string {
	var e Envelope
	if json.Unmarshal(body, &e) == nil && e.EventID != "" {
		return e.EventID
	}
	return carriers.BodyHash(body)
}

// ParseWebhook implements carriers.Adapter: tracking_update and edd_revise
// carry a tracking in msg.
func (*Client) ParseWebhook(body []byte) (carriers.Webhook, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return carriers.Webhook{}, fmt.Errorf("aftership webhook: %v: %w", err, carriers.ErrMalformed)
	}
	w := carriers.Webhook{Topic: e.Event}
	if e.Event != "tracking_update" && e.Event != "edd_revise" {
		return w, nil
	}
	var t Tracking
	if err := json.Unmarshal(e.Msg, &t); err != nil {
		return w, fmt.Errorf("aftership webhook msg: %v: %w", err, carriers.ErrMalformed)
	}
	u, err := t.Update()
	if err != nil {
		return w, err
	}
	w.Updates = []carriers.Update{u}
	return w, nil
}

// Update converts a tracking into canonical terms.
func (t Tracking) Update() (carriers.Update, error) {
	if strings.TrimSpace(t.TrackingNumber) == "" {
		return carriers.Update{}, fmt.Errorf("aftership tracking without tracking_number: %w", carriers.ErrMalformed)
	}
	u := carriers.Update{TrackingNumber: t.TrackingNumber, Carrier: strings.ToLower(t.Slug), TrackerID: t.ID}
	est := ""
	if t.CourierEstimatedDeliveryDate != nil && t.CourierEstimatedDeliveryDate.EstimatedDeliveryDate != nil {
		est = *t.CourierEstimatedDeliveryDate.EstimatedDeliveryDate
	} else if t.ExpectedDelivery != nil {
		est = *t.ExpectedDelivery
	}
	d, err := carriers.ParseDate(est)
	if err != nil {
		return u, err
	}
	u.EstimatedDelivery = d
	for _, c := range t.Checkpoints {
		at, err := carriers.ParseTime(c.CheckpointTime)
		if err != nil {
			return u, fmt.Errorf("aftership %s: %w", t.TrackingNumber, err)
		}
		m := status.FromAfterShip(c.Tag, c.Subtag)
		raw := c.Tag
		if c.Subtag != "" {
			raw += "/" + c.Subtag
		}
		loc := deref(c.Location)
		if loc == "" {
			loc = carriers.JoinLocation(deref(c.City), deref(c.State), deref(c.Zip), deref(c.CountryISO3))
		}
		u.Events = append(u.Events, carriers.Event{
			OccurredAt: at, Status: m.Status, Substatus: m.Substatus, Known: m.Known, RawStatus: raw,
			Message: c.Message, Location: loc,
		})
	}
	return u, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
