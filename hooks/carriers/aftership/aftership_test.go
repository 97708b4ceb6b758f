package aftership

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/carriers"
	"porchlight/hooks/tracking/status"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseWebhookFixture(t *testing.T) {
	body := fixture(t, "tracking_update.json")
	w, err := New(Config{}).ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	if w.Topic != "tracking_update" || len(w.Updates) != 1 {
		t.Fatalf("webhook = %+v", w)
	}
	u := w.Updates[0]
	if u.TrackingNumber != "986578788855" || u.Carrier != "fedex" || u.TrackerID != "lzbmpg6tv8f0ylg00lfgt06v" ||
		!u.EstimatedDelivery.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("update = %+v", u)
	}
	if len(u.Events) != 2 {
		t.Fatalf("events = %+v", u.Events)
	}
	if e := u.Events[0]; !e.OccurredAt.Equal(time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)) || e.Status != status.InTransit || e.Location != "MEMPHIS, TN, 38118, USA" {
		t.Errorf("first = %+v", e)
	}
	// A checkpoint without offset is read as UTC; location built from parts.
	if e := u.Events[1]; !e.OccurredAt.Equal(time.Date(2026, 11, 21, 22, 15, 0, 0, time.UTC)) || e.Status != status.Exception ||
		e.Substatus != status.SubCustoms || e.RawStatus != "Exception/Exception_004" || e.Location != "MISSISSAUGA, ON, CAN" {
		t.Errorf("second = %+v", e)
	}
	if New(Config{}).DeliveryID(body) != "8a5e3c5d-2f3b-4f44-9c7e-2f9f8b6f5d01" {
		t.Error("delivery id is not event_id")
	}
	for name, bad := range map[string]string{
		"not json":      "[1,2",
		"bad timestamp": strings.Replace(string(body), "2026-11-21T22:15:00", "Nov 21st", 1),
	} {
		if _, err := New(Config{}).ParseWebhook([]byte(bad)); !errors.Is(err, carriers.ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := fixture(t, "tracking_update.json")
	m := hmac.New(sha256.New, []byte("as-secret"))
	m.Write(body)
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if Sign("as-secret", body) != want {
		t.Fatal("Sign differs from base64 HMAC-SHA256")
	}
	c := New(Config{WebhookSecret: "as-secret"})
	r := httptest.NewRequest(http.MethodPost, "/webhooks/aftership", nil)
	r.Header.Set(SignatureHeader, want)
	if err := c.VerifyWebhook(r, body); err != nil {
		t.Errorf("valid refused: %v", err)
	}
	r.Header.Set(SignatureHeader, Sign("other", body))
	if err := c.VerifyWebhook(r, body); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("wrong accepted")
	}
	r.Header.Set(SignatureHeader, want)
	if err := New(Config{}).VerifyWebhook(r, body); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("no secret must refuse")
	}
}

func TestRegisterAndPollAgainstLoopback(t *testing.T) {
	var reg map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("as-api-key") != "asat_1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/tracking/2025-01/trackings":
			b, _ := io.ReadAll(r.Body)
			json.Unmarshal(b, &reg)
			w.WriteHeader(http.StatusCreated)
			w.Write(fixture(t, "tracking.json"))
		case r.Method == http.MethodGet && r.URL.Path == "/tracking/2025-01/trackings/lzbmpg6tv8f0ylg00lfgt06v":
			w.Write(fixture(t, "tracking.json"))
		case r.URL.Path == "/tracking/2025-01/trackings/busy":
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(Config{APIKey: "asat_1", BaseURL: srv.URL + "/tracking/2025-01", HTTP: srv.Client()})
	ctx := context.Background()
	id, err := c.Register(ctx, carriers.Shipment{TrackingNumber: "986578788855", Carrier: "fedex"})
	if err != nil || id != "lzbmpg6tv8f0ylg00lfgt06v" {
		t.Fatalf("register = %q, %v", id, err)
	}
	if reg["tracking_number"] != "986578788855" || reg["slug"] != "fedex" {
		t.Errorf("register request = %v", reg)
	}
	u, err := c.Poll(ctx, carriers.Shipment{TrackingNumber: "986578788855", TrackerID: id})
	if err != nil || len(u.Events) != 3 || u.Events[2].Status != status.InTransit || u.Events[2].Substatus != status.SubCustomsCleared {
		t.Fatalf("poll = %+v, %v", u, err)
	}
	_, err = c.Poll(ctx, carriers.Shipment{TrackingNumber: "1", TrackerID: "busy"})
	var rl *carriers.RateLimited
	if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Errorf("429: %v", err)
	}
}
