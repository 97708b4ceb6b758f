// Package shippo is the Shippo tracking adapter: tracks
// (POST /tracks/, GET /tracks/{carrier}/{number}) and track_updated webhooks.
// Shippo signs nothing by default, so the webhook URL carries a secret token
// (/webhooks/shippo/{token}, or ?token=), compared in constant time. Shippo
// says its tracking webhooks are not idempotent: deliveries are keyed by a
// hash of the body and events by their content.
package shippo

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"porchlight/hooks/carriers"
	"porchlight/hooks/tracking/status"
)

// Name is the provider id and webhook source.
const Name = "shippo"

// DefaultBaseURL is Shippo's API root.
const DefaultBaseURL = "https://api.goshippo.com"

// Config configures the adapter.
type Config struct {
	APIKey       string
	WebhookToken string
	BaseURL      string
	HTTP         *http.Client
}

// Client talks to Shippo.
type Client struct{ c Config }

// New returns an adapter.
func New(c Config) *Client {
	c.BaseURL = carriers.BaseURL(c.BaseURL, DefaultBaseURL)
	return &Client{c: c}
}

// Name implements carriers.Adapter.
func (*Client) Name() string { return Name }

// carrierCodes maps our carrier ids to Shippo carrier tokens.
var carrierCodes = map[string]string{
	"dhlexpress": "dhl_express", "dhl": "dhl_express", "dhlecommerce": "dhl_ecommerce", "canadapost": "canada_post",
	"royalmail": "royal_mail", "amazon": "amazon_shipping", "lasership": "lasership",
}

// Track is Shippo's tracking object (the fields we read).
type Track struct {
	Carrier         string   `json:"carrier"`
	TrackingNumber  string   `json:"tracking_number"`
	ETA             *string  `json:"eta"`
	TrackingStatus  *Status  `json:"tracking_status"`
	TrackingHistory []Status `json:"tracking_history"`
}

// Status is one tracking_status / tracking_history entry.
type Status struct {
	ObjectID      string `json:"object_id"`
	Status        string `json:"status"`
	StatusDetails string `json:"status_details"`
	StatusDate    string `json:"status_date"`
	Substatus     *struct {
		Code string `json:"code"`
		Text string `json:"text"`
	} `json:"substatus"`
	Location *struct {
		City    string `json:"city"`
		State   string `json:"state"`
		Zip     string `json:"zip"`
		Country string `json:"country"`
	} `json:"location"`
}

func (c *Client) do(ctx context.Context, method, path string, body any, out any) error {
	if c.c.APIKey == "" {
		return carriers.ErrNotConfigured
	}
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.c.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "ShippoToken "+c.c.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return carriers.Do(c.c.HTTP, req, out)
}

func code(carrier string) string {
	if c := carriers.Code(carrierCodes, carrier); c != "" {
		return c
	}
	return "shippo" // Shippo's own test carrier accepts anything; real numbers need a carrier
}

// Register implements carriers.Adapter: POST /tracks/. Shippo has no tracker
// id; the pair carrier/number is the id.
func (c *Client) Register(ctx context.Context, s carriers.Shipment) (string, error) {
	in := map[string]string{"carrier": code(s.Carrier), "tracking_number": s.TrackingNumber}
	var t Track
	if err := c.do(ctx, http.MethodPost, "/tracks/", in, &t); err != nil {
		return "", fmt.Errorf("shippo register %s: %w", s.TrackingNumber, err)
	}
	return in["carrier"] + "/" + s.TrackingNumber, nil
}

// Poll implements carriers.Adapter: GET /tracks/{carrier}/{number}.
func (c *Client) Poll(ctx context.Context, s carriers.Shipment) (carriers.Update, error) {
	carrier := code(s.Carrier)
	if i := strings.IndexByte(s.TrackerID, '/'); i > 0 {
		carrier = s.TrackerID[:i]
	}
	var t Track
	if err := c.do(ctx, http.MethodGet, "/tracks/"+url.PathEscape(carrier)+"/"+url.PathEscape(s.TrackingNumber), nil, &t); err != nil {
		return carriers.Update{}, fmt.Errorf("shippo poll %s: %w", s.TrackingNumber, err)
	}
	return t.Update()
}

// VerifyWebhook implements carriers.Adapter: the token from the path
// ({token}) or the query (?token=).
func (c *Client) VerifyWebhook(r *http.Request, _ []byte) error {
	if c.c.WebhookToken == "" {
		return carriers.ErrUnauthorized
	}
	got := r.PathValue("token")
	if got == "" {
		got = r.URL.Query().Get("token")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(c.c.WebhookToken)) != 1 {
		return carriers.ErrUnauthorized
	}
	return nil
}

// DeliveryID implements carriers.Adapter: Shippo sends no event id.
func (*Client) DeliveryID(body []byte) string { return carriers.BodyHash(body) }

// ParseWebhook implements carriers.Adapter.
func (*Client) ParseWebhook(body []byte) (carriers.Webhook, error) {
	return carriers.ParseEventEnvelope[Track]("shippo", body, "track_updated")
}

// Update converts a track into canonical terms: the history plus the current
// status (which Shippo repeats as the newest history entry; dedupe folds them).
func (t Track) Update() (carriers.Update, error) {
	if strings.TrimSpace(t.TrackingNumber) == "" {
		return carriers.Update{}, fmt.Errorf("shippo track without tracking_number: %w", carriers.ErrMalformed)
	}
	u := carriers.Update{TrackingNumber: t.TrackingNumber, Carrier: strings.ToLower(t.Carrier)}
	if t.ETA != nil {
		d, err := carriers.ParseDate(*t.ETA)
		if err != nil {
			return u, err
		}
		u.EstimatedDelivery = d
	}
	all := t.TrackingHistory
	if t.TrackingStatus != nil && t.TrackingStatus.StatusDate != "" {
		all = append(append([]Status(nil), all...), *t.TrackingStatus)
	}
	for _, s := range all {
		at, err := carriers.ParseTime(s.StatusDate)
		if err != nil {
			return u, fmt.Errorf("shippo %s: %w", t.TrackingNumber, err)
		}
		sub := ""
		if s.Substatus != nil {
			sub = s.Substatus.Code
		}
		m := status.FromShippo(s.Status, sub)
		raw := s.Status
		if sub != "" {
			raw += "/" + sub
		}
		loc := ""
		if s.Location != nil {
			loc = carriers.JoinLocation(s.Location.City, s.Location.State, s.Location.Zip, s.Location.Country)
		}
		id := ""
		if s.ObjectID != "" {
			id = "shippo:" + s.ObjectID
		}
		u.Events = append(u.Events, carriers.Event{
			ID: id, OccurredAt: at, Status: m.Status, Substatus: m.Substatus, Known: m.Known, RawStatus: raw,
			Message: s.StatusDetails, Location: loc,
		})
	}
	return u, nil
}
