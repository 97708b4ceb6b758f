// Package easypost is the EasyPost tracking adapter: trackers
// (POST /v2/trackers, GET /v2/trackers/{id}) and tracker.* webhook events
// signed with X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256 of the raw
// body>, keyed with the NFKD-normalised webhook secret (as EasyPost's client
// libraries do).
package easypost

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/unicode/norm"

	"porchlight/hooks/carriers"
	"porchlight/hooks/tracking/status"
)

// Name is the provider id and webhook source.
const Name = "easypost"

// DefaultBaseURL is EasyPost's API root.
const DefaultBaseURL = "https://api.easypost.com/v2"

// SignatureHeader carries the webhook signature.
const SignatureHeader = "X-Hmac-Signature"

// Config configures the adapter.
type Config struct {
	APIKey        string
	WebhookSecret string
	BaseURL       string
	HTTP          *http.Client
}

// Client talks to EasyPost.
type Client struct{ c Config }

// New returns an adapter.
func New(c Config) *Client {
	c.BaseURL = carriers.BaseURL(c.BaseURL, DefaultBaseURL)
	return &Client{c: c}
}

// Name implements carriers.Adapter.
func (*Client) Name() string { return Name }

// carrierCodes maps our carrier ids to EasyPost's carrier names.
var carrierCodes = map[string]string{
	"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhlexpress": "DHLExpress", "dhl": "DHLExpress",
	"dhlecommerce": "DHLEcommerceSolutions", "ontrac": "OnTrac", "lasership": "LaserShip",
	"canadapost": "CanadaPost", "purolator": "Purolator", "royalmail": "RoyalMail", "dpd": "DPD", "yodel": "Yodel",
	"amazon": "AmazonShipping",
}

// Tracker is EasyPost's tracker object (the fields we read).
type Tracker struct {
	ID              string   `json:"id"`
	Object          string   `json:"object"`
	TrackingCode    string   `json:"tracking_code"`
	Status          string   `json:"status"`
	StatusDetail    string   `json:"status_detail"`
	Carrier         string   `json:"carrier"`
	EstDeliveryDate *string  `json:"est_delivery_date"`
	TrackingDetails []Detail `json:"tracking_details"`
}

// Detail is one tracking_details entry.
type Detail struct {
	Object           string `json:"object"`
	Message          string `json:"message"`
	Description      string `json:"description"`
	Status           string `json:"status"`
	StatusDetail     string `json:"status_detail"`
	Datetime         string `json:"datetime"`
	Source           string `json:"source"`
	TrackingLocation struct {
		City    *string `json:"city"`
		State   *string `json:"state"`
		Country *string `json:"country"`
		Zip     *string `json:"zip"`
	} `json:"tracking_location"`
}

// Event is EasyPost's webhook envelope.
type Event struct {
	ID          string          `json:"id"`
	Object      string          `json:"object"`
	Description string          `json:"description"`
	Result      json.RawMessage `json:"result"`
}

func (c *Client) do(ctx context.Context, method, path string, body any, out any) error {
	if c.c.APIKey == "" {
		return carriers.ErrNotConfigured
	}
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.c.APIKey, "")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return carriers.Do(c.c.HTTP, req, out)
}

// Register implements carriers.Adapter: POST /trackers.
func (c *Client) Register(ctx context.Context, s carriers.Shipment) (string, error) {
	in := map[string]any{"tracking_code": s.TrackingNumber}
	if code := carriers.Code(carrierCodes, s.Carrier); code != "" {
		in["carrier"] = code
	}
	var t Tracker
	if err := c.do(ctx, http.MethodPost, "/trackers", map[string]any{"tracker": in}, &t); err != nil {
		return "", fmt.Errorf("easypost register %s: %w", s.TrackingNumber, err)
	}
	if t.ID == "" {
		return "", fmt.Errorf("easypost register %s: no tracker id: %w", s.TrackingNumber, carriers.ErrMalformed)
	}
	return t.ID, nil
}

// Poll implements carriers.Adapter: GET /trackers/{id}.
func (c *Client) Poll(ctx context.Context, s carriers.Shipment) (carriers.Update, error) {
	if s.TrackerID == "" {
		return carriers.Update{}, fmt.Errorf("easypost poll %s: no tracker id: %w", s.TrackingNumber, carriers.ErrNotFound)
	}
	var t Tracker
	if err := c.do(ctx, http.MethodGet, "/trackers/"+url.PathEscape(s.TrackerID), nil, &t); err != nil {
		return carriers.Update{}, fmt.Errorf("easypost poll %s: %w", s.TrackingNumber, err)
	}
	return t.Update()
}

// VerifyWebhook implements carriers.Adapter.
func (c *Client) VerifyWebhook(r *http.Request, body []byte) error {
	if c.c.WebhookSecret == "" {
		return carriers.ErrUnauthorized
	}
	got := r.Header.Get(SignatureHeader)
	if !hmac.Equal([]byte(got), []byte(Sign(c.c.WebhookSecret, body))) {
		return carriers.ErrUnauthorized
	}
	return nil
}

// Sign returns the X-Hmac-Signature value for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(norm.NFKD.String(secret)))
	m.Write(body)
	return "hmac-sha256-hex=" + hex.EncodeToString(m.Sum(nil))
}

// DeliveryID implements carriers.Adapter: the Event id (evt_...).
func (*Client) DeliveryID(body []byte) string {
	var e Event
	if json.Unmarshal(body, &e) == nil && e.ID != "" {
		return e.ID
	}
	return carriers.BodyHash(body)
}

// ParseWebhook implements carriers.Adapter. Only tracker.* events carry
// tracking; others parse to no updates.
func (*Client) ParseWebhook(body []byte) (carriers.Webhook, error) {
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return carriers.Webhook{}, fmt.Errorf("easypost webhook: %v: %w", err, carriers.ErrMalformed)
	}
	w := carriers.Webhook{Topic: e.Description}
	if !strings.HasPrefix(e.Description, "tracker.") {
		return w, nil
	}
	var t Tracker
	if err := json.Unmarshal(e.Result, &t); err != nil {
		return w, fmt.Errorf("easypost webhook result: %v: %w", err, carriers.ErrMalformed)
	}
	u, err := t.Update()
	if err != nil {
		return w, err
	}
	w.Updates = []carriers.Update{u}
	return w, nil
}

// Update converts a tracker into canonical terms.
func (t Tracker) Update() (carriers.Update, error) {
	if strings.TrimSpace(t.TrackingCode) == "" {
		return carriers.Update{}, fmt.Errorf("easypost tracker without tracking_code: %w", carriers.ErrMalformed)
	}
	u := carriers.Update{TrackingNumber: t.TrackingCode, Carrier: strings.ToLower(t.Carrier), TrackerID: t.ID}
	if t.EstDeliveryDate != nil {
		d, err := carriers.ParseDate(*t.EstDeliveryDate)
		if err != nil {
			return u, err
		}
		u.EstimatedDelivery = d
	}
	for _, d := range t.TrackingDetails {
		at, err := carriers.ParseTime(d.Datetime)
		if err != nil {
			return u, fmt.Errorf("easypost %s detail: %w", t.TrackingCode, err)
		}
		m := status.FromEasyPost(d.Status, d.StatusDetail)
		raw := d.Status
		if d.StatusDetail != "" {
			raw += "/" + d.StatusDetail
		}
		msg := d.Message
		if msg == "" {
			msg = d.Description
		}
		l := d.TrackingLocation
		u.Events = append(u.Events, carriers.Event{
			OccurredAt: at, Status: m.Status, Substatus: m.Substatus, Known: m.Known, RawStatus: raw,
			Message: msg, Location: carriers.JoinLocation(deref(l.City), deref(l.State), deref(l.Zip), deref(l.Country)),
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
