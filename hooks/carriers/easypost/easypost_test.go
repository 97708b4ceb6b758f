package easypost

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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
	w, err := New(Config{}).ParseWebhook(fixture(t, "event_tracker_updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Topic != "tracker.updated" || len(w.Updates) != 1 {
		t.Fatalf("webhook = %+v", w)
	}
	u := w.Updates[0]
	if u.TrackingNumber != "9400111206206406260787" || u.Carrier != "usps" || u.TrackerID != "trk_c8e0edb5bb284caa934a0d3db23a148z" {
		t.Errorf("update = %+v", u)
	}
	if !u.EstimatedDelivery.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("estimate = %v", u.EstimatedDelivery)
	}
	if len(u.Events) != 2 {
		t.Fatalf("events = %d", len(u.Events))
	}
	e := u.Events[1]
	if e.Status != status.InTransit || e.Substatus != status.SubArrivedAtFacility || e.RawStatus != "in_transit/arrived_at_facility" || !e.Known ||
		e.Location != "COLUMBUS, OH, 43218, US" || !e.OccurredAt.Equal(time.Date(2026, 11, 20, 14, 48, 0, 0, time.UTC)) {
		t.Errorf("event = %+v", e)
	}
	if got := New(Config{}).DeliveryID(fixture(t, "event_tracker_updated.json")); got != "evt_7f1c2a9b3d4e4f5a8b6c" {
		t.Errorf("delivery id = %q", got)
	}
}

func TestParseWebhookRejectsBadInput(t *testing.T) {
	good := string(fixture(t, "event_tracker_updated.json"))
	cases := map[string]string{
		"not json":      "{not json",
		"bad timestamp": strings.Replace(good, "2026-11-20T14:48:00Z", "yesterday-ish", 1),
		"no number":     strings.Replace(good, `"tracking_code": "9400111206206406260787"`, `"tracking_code": ""`, 1),
		"bad estimate":  strings.Replace(good, "2026-11-25T00:00:00Z", "<script>", 1),
	}
	for name, body := range cases {
		if _, err := New(Config{}).ParseWebhook([]byte(body)); !errors.Is(err, carriers.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
	// Other event kinds parse to nothing.
	w, err := New(Config{}).ParseWebhook([]byte(`{"id":"evt_1","object":"Event","description":"batch.created","result":{}}`))
	if err != nil || len(w.Updates) != 0 {
		t.Errorf("batch.created = %+v, %v", w, err)
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := fixture(t, "event_tracker_updated.json")
	// EasyPost normalises the secret with NFKD: the ligature "ﬁ" signs as "fi".
	m := hmac.New(sha256.New, []byte("sec-fi-ret"))
	m.Write(body)
	want := "hmac-sha256-hex=" + hex.EncodeToString(m.Sum(nil))
	if got := Sign("sec-\ufb01-ret", body); got != want {
		t.Fatalf("Sign with NFKD secret = %s, want %s", got, want)
	}
	c := New(Config{WebhookSecret: "sec-\ufb01-ret"})
	req := func(sig string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/easypost", nil)
		if sig != "" {
			r.Header.Set(SignatureHeader, sig)
		}
		return r
	}
	if err := c.VerifyWebhook(req(want), body); err != nil {
		t.Errorf("valid signature refused: %v", err)
	}
	for name, sig := range map[string]string{"missing": "", "wrong": Sign("other", body), "bare hex": strings.TrimPrefix(want, "hmac-sha256-hex=")} {
		if err := c.VerifyWebhook(req(sig), body); !errors.Is(err, carriers.ErrUnauthorized) {
			t.Errorf("%s signature: err = %v", name, err)
		}
	}
	if err := c.VerifyWebhook(req(want), append(body, ' ')); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("tampered body accepted")
	}
	if err := New(Config{}).VerifyWebhook(req(Sign("", body)), body); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("no secret configured must refuse, got %v", err)
	}
}

func TestRegisterAndPollAgainstLoopback(t *testing.T) {
	var registered map[string]map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "EZTK123" || p != "" {
			http.Error(w, `{"error":{"code":"APIKEY.INACTIVE"}}`, http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v2/trackers":
			if r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("content type %q", r.Header.Get("Content-Type"))
			}
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &registered); err != nil {
				t.Errorf("register body %s: %v", b, err)
			}
			w.Write(fixture(t, "tracker.json"))
		case r.Method == http.MethodGet && r.URL.Path == "/v2/trackers/trk_c8e0edb5bb284caa934a0d3db23a148z":
			w.Write(fixture(t, "tracker.json"))
		case r.URL.Path == "/v2/trackers/trk_busy":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(Config{APIKey: "EZTK123", BaseURL: srv.URL + "/v2/", HTTP: srv.Client()})
	ctx := context.Background()
	id, err := c.Register(ctx, carriers.Shipment{TrackingNumber: "9400111206206406260787", Carrier: "usps"})
	if err != nil || id != "trk_c8e0edb5bb284caa934a0d3db23a148z" {
		t.Fatalf("register = %q, %v", id, err)
	}
	if tr := registered["tracker"]; tr["tracking_code"] != "9400111206206406260787" || tr["carrier"] != "USPS" {
		t.Errorf("register request = %v", registered)
	}
	u, err := c.Poll(ctx, carriers.Shipment{TrackingNumber: "9400111206206406260787", TrackerID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Events) != 3 || u.Events[2].Status != status.OutForDelivery {
		t.Errorf("poll = %+v", u)
	}
	_, err = c.Poll(ctx, carriers.Shipment{TrackingNumber: "X", TrackerID: "trk_busy"})
	var rl *carriers.RateLimited
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute {
		t.Errorf("429: err = %v", err)
	}
	if _, err := c.Poll(ctx, carriers.Shipment{TrackingNumber: "X", TrackerID: "trk_gone"}); !errors.Is(err, carriers.ErrNotFound) {
		t.Errorf("404: err = %v", err)
	}
	bad := New(Config{APIKey: "wrong", BaseURL: srv.URL + "/v2", HTTP: srv.Client()})
	var he *carriers.HTTPError
	if _, err := bad.Register(ctx, carriers.Shipment{TrackingNumber: "1"}); !errors.As(err, &he) || he.Code != 401 {
		t.Errorf("bad key: err = %v", err)
	}
	if _, err := New(Config{}).Register(ctx, carriers.Shipment{TrackingNumber: "1"}); !errors.Is(err, carriers.ErrNotConfigured) {
		t.Errorf("no key: err = %v", err)
	}
}
