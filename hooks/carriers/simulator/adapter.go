package simulator

import (
	"context"
	"fmt"
	"net/http"

	"porchlight/hooks/carriers"
	"porchlight/hooks/clock"
)

// Adapter puts the simulator behind carriers.Adapter, so simulated parcels
// are polled by the same scheduler as real ones. It has no webhooks.
type Adapter struct{ Clock clock.Clock }

// NewAdapter returns the simulator adapter reading time from clk.
func NewAdapter(clk clock.Clock) *Adapter { return &Adapter{Clock: clk} }

// Name implements carriers.Adapter.
func (*Adapter) Name() string { return Carrier }

// Register implements carriers.Adapter; the journey must be known.
func (*Adapter) Register(_ context.Context, s carriers.Shipment) (string, error) {
	if _, err := Script(s.Journey); err != nil {
		return "", fmt.Errorf("simulator register %s: %v: %w", s.TrackingNumber, err, carriers.ErrNotFound)
	}
	return "sim:" + s.TrackingNumber, nil
}

// Poll implements carriers.Adapter: the scans the journey has reached now.
// Event ids match the demo's ("sim:<number>:<seq>"), so both paths dedupe.
func (a *Adapter) Poll(_ context.Context, s carriers.Shipment) (carriers.Update, error) {
	scans, err := ScansAt(s.Journey, s.ShippedAt, a.Clock.Now(), s.DestCity)
	if err != nil {
		return carriers.Update{}, fmt.Errorf("simulator poll %s: %v: %w", s.TrackingNumber, err, carriers.ErrNotFound)
	}
	u := carriers.Update{TrackingNumber: s.TrackingNumber, Carrier: Carrier, TrackerID: s.TrackerID}
	for _, sc := range scans {
		u.Events = append(u.Events, carriers.Event{
			ID: fmt.Sprintf("sim:%s:%d", s.TrackingNumber, sc.Seq), OccurredAt: sc.OccurredAt,
			Status: sc.Status, Substatus: sc.Substatus, RawStatus: sc.Raw, Known: true,
			Message: sc.Message, Location: sc.Location,
		})
	}
	return u, nil
}

// VerifyWebhook implements carriers.Adapter: the simulator sends none.
func (*Adapter) VerifyWebhook(*http.Request, []byte) error { return carriers.ErrUnauthorized }

// DeliveryID implements carriers.Adapter.
func (*Adapter) DeliveryID(body []byte) string { return carriers.BodyHash(body) }

// ParseWebhook implements carriers.Adapter.
func (*Adapter) ParseWebhook([]byte) (carriers.Webhook, error) {
	return carriers.Webhook{}, fmt.Errorf("simulator has no webhooks: %w", carriers.ErrMalformed)
}
