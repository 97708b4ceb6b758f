package tracking_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"porchlight/hooks/carriers/detect"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking/status"
)

// An unknown carrier is kept as "unknown" and tracked by manual events
// entered by the merchant (here through the REST API as a superuser, which is
// what the admin UI does).
func TestUnknownCarrierTrackedByManualEvents(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, now, nil, "")
	sh := schema.Shipments
	for _, tn := range []string{"LOCAL-COURIER-42", "<b>1</b>'; DROP TABLE shipments;--", "\u202eZYX\u0000"} {
		ship := e.newShipment(t, e.order, tn, "", nil)
		if ship.GetString(sh.Carrier) != detect.Unknown || ship.GetString(sh.TrackingURL) != "" || ship.GetString(sh.Status) != string(status.Pending) {
			t.Errorf("%q: carrier %q url %q status %q", tn, ship.GetString(sh.Carrier), ship.GetString(sh.TrackingURL), ship.GetString(sh.Status))
		}
	}
	ship := e.newShipment(t, e.newOrder(t, "2001", now.Add(-48*time.Hour), "US", "NY", "10001"), "VAN-7781", "", nil)
	tok := testapp.Superuser(t, e.app)
	post := func(body map[string]any) int {
		b, _ := json.Marshal(body)
		req := httptest.NewRequest(http.MethodPost, "/api/collections/"+schema.CTrackingEvents+"/records", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", tok)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Logf("response: %s", rec.Body.String())
		}
		return rec.Code
	}
	te := schema.TrackingEvents
	if c := post(map[string]any{te.Shipment: ship.Id, te.OccurredAt: "2026-11-21 09:00:00.000Z", te.Status: "in_transit", te.Message: "Left our depot"}); c != http.StatusOK {
		t.Fatalf("manual event: %d", c)
	}
	got := e.reload(t, ship.Id)
	if got.GetString(sh.Status) != string(status.InTransit) || got.GetString(sh.ShippedAt) == "" {
		t.Errorf("after manual scan: status %s shipped %q", got.GetString(sh.Status), got.GetString(sh.ShippedAt))
	}
	if c := post(map[string]any{te.Shipment: ship.Id, te.OccurredAt: "2026-11-22 10:00:00.000Z", te.Status: "delivered", te.Message: "Handed to the customer"}); c != http.StatusOK {
		t.Fatalf("manual delivery: %d", c)
	}
	got = e.reload(t, ship.Id)
	if got.GetString(sh.Status) != string(status.Delivered) || got.GetString(sh.DeliveredAt) == "" {
		t.Errorf("after manual delivery: %s", got.GetString(sh.Status))
	}
	order, _ := e.app.FindRecordById(schema.COrders, got.GetString(sh.Order))
	if order.GetString(schema.Orders.Status) != string(status.Delivered) {
		t.Errorf("order status %s", order.GetString(schema.Orders.Status))
	}
	ev, err := e.app.FindFirstRecordByData(schema.CTrackingEvents, te.Message, "Handed to the customer")
	if err != nil || ev.GetString(te.Source) != "manual" || ev.GetString(te.DedupeKey) == "" || ev.GetString(te.TrackingNumber) != "VAN-7781" {
		t.Errorf("manual event fields: %v %v", ev, err)
	}
}
