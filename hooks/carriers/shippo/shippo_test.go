package shippo

import (
	"context"
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
	body := fixture(t, "track_updated.json")
	w, err := New(Config{}).ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	if w.Topic != "track_updated" || len(w.Updates) != 1 {
		t.Fatalf("webhook = %+v", w)
	}
	u := w.Updates[0]
	if u.TrackingNumber != "1Z5R89390357567127" || u.Carrier != "ups" || !u.EstimatedDelivery.Equal(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("update = %+v", u)
	}
	// History (2) plus the current status, which repeats the newest entry
	// with the same object_id: the ids make them one event downstream.
	if len(u.Events) != 3 || u.Events[1].ID != u.Events[2].ID || u.Events[0].ID == u.Events[1].ID {
		t.Fatalf("events = %+v", u.Events)
	}
	e := u.Events[1]
	if e.Status != status.InTransit || e.Substatus != status.SubDepartedFacility || e.RawStatus != "TRANSIT/package_departed" ||
		e.Location != "Las Vegas, NV, 89101, US" || !e.OccurredAt.Equal(time.Date(2026, 11, 21, 11, 40, 0, 0, time.UTC)) {
		t.Errorf("event = %+v", e)
	}
	// Not idempotent upstream: the delivery id is the body's hash.
	if New(Config{}).DeliveryID(body) != carriers.BodyHash(body) {
		t.Error("delivery id is not the body hash")
	}
	for name, bad := range map[string]string{
		"not json":      `{"event":"track_updated","data":`,
		"bad timestamp": strings.Replace(string(body), `"status_date": "2026-11-20T07:55:00Z"`, `"status_date": "20/11/2026"`, 1),
		"no number":     strings.Replace(string(body), `"tracking_number": "1Z5R89390357567127"`, `"tracking_number": "  "`, 1),
	} {
		if _, err := New(Config{}).ParseWebhook([]byte(bad)); !errors.Is(err, carriers.ErrMalformed) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestVerifyWebhookToken(t *testing.T) {
	c := New(Config{WebhookToken: "tok-4f9a"})
	mux := http.NewServeMux()
	var got error
	mux.HandleFunc("POST /webhooks/shippo/{token}", func(w http.ResponseWriter, r *http.Request) { got = c.VerifyWebhook(r, nil) })
	mux.HandleFunc("POST /webhooks/shippo", func(w http.ResponseWriter, r *http.Request) { got = c.VerifyWebhook(r, nil) })
	try := func(path string) error {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, path, nil))
		return got
	}
	if err := try("/webhooks/shippo/tok-4f9a"); err != nil {
		t.Errorf("path token refused: %v", err)
	}
	if err := try("/webhooks/shippo?token=tok-4f9a"); err != nil {
		t.Errorf("query token refused: %v", err)
	}
	for _, p := range []string{"/webhooks/shippo/tok-4f9b", "/webhooks/shippo/TOK-4F9A", "/webhooks/shippo", "/webhooks/shippo?token="} {
		if err := try(p); !errors.Is(err, carriers.ErrUnauthorized) {
			t.Errorf("%s: err = %v", p, err)
		}
	}
	c = New(Config{})
	if err := try("/webhooks/shippo?token="); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("no token configured must refuse, got %v", err)
	}
}

func TestRegisterAndPollAgainstLoopback(t *testing.T) {
	var reg map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "ShippoToken shippo_test_1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/tracks/":
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &reg); err != nil {
				t.Errorf("register body %s", b)
			}
			w.WriteHeader(http.StatusCreated)
			w.Write(fixture(t, "track.json"))
		case r.Method == http.MethodGet && r.URL.Path == "/tracks/ups/1Z5R89390357567127":
			w.Write(fixture(t, "track.json"))
		case r.URL.Path == "/tracks/ups/BUSY":
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(Config{APIKey: "shippo_test_1", BaseURL: srv.URL, HTTP: srv.Client()})
	ctx := context.Background()
	id, err := c.Register(ctx, carriers.Shipment{TrackingNumber: "1Z5R89390357567127", Carrier: "ups"})
	if err != nil || id != "ups/1Z5R89390357567127" {
		t.Fatalf("register = %q, %v", id, err)
	}
	if reg["carrier"] != "ups" || reg["tracking_number"] != "1Z5R89390357567127" {
		t.Errorf("register request = %v", reg)
	}
	u, err := c.Poll(ctx, carriers.Shipment{TrackingNumber: "1Z5R89390357567127", TrackerID: id})
	if err != nil || len(u.Events) != 3 || u.Events[2].Status != status.Delivered {
		t.Fatalf("poll = %+v, %v", u, err)
	}
	_, err = c.Poll(ctx, carriers.Shipment{TrackingNumber: "BUSY", Carrier: "ups"})
	var rl *carriers.RateLimited
	if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Errorf("429: err = %v", err)
	}
}
