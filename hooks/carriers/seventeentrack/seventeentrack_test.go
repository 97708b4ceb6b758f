package seventeentrack

import (
	"context"
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
	body := fixture(t, "tracking_updated.json")
	w, err := New(Config{}).ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	if w.Topic != "TRACKING_UPDATED" || len(w.Updates) != 1 {
		t.Fatalf("webhook = %+v", w)
	}
	u := w.Updates[0]
	if u.TrackingNumber != "RR123456785GB" || u.Carrier != "royal mail" || !u.EstimatedDelivery.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("update = %+v", u)
	}
	if len(u.Events) != 2 {
		t.Fatalf("events = %+v", u.Events)
	}
	if e := u.Events[0]; e.Status != status.InTransit || e.Substatus != status.SubArrivedDestCountry || e.RawStatus != "InTransit/InTransit_Arrival" ||
		!e.OccurredAt.Equal(time.Date(2026, 11, 21, 8, 12, 0, 0, time.UTC)) || e.Location != "FRANKFURT" {
		t.Errorf("event = %+v", e)
	}
	if New(Config{}).DeliveryID(body) != carriers.BodyHash(body) {
		t.Error("delivery id")
	}
	w, err = New(Config{}).ParseWebhook([]byte(`{"event":"TRACKING_STOPPED","data":{"number":"RR123456785GB"}}`))
	if err != nil || len(w.Updates) != 0 {
		t.Errorf("stopped = %+v, %v", w, err)
	}
	if _, err := New(Config{}).ParseWebhook([]byte(strings.Replace(string(body), "2026-11-21T08:12:00Z", "8:12 on Saturday", -1))); !errors.Is(err, carriers.ErrMalformed) {
		t.Errorf("bad timestamp: %v", err)
	}
}

func TestVerifyWebhookSign(t *testing.T) {
	body := fixture(t, "tracking_updated.json")
	sum := sha256.Sum256([]byte(string(body) + "/" + "17key"))
	want := hex.EncodeToString(sum[:])
	if Sign("17key", body) != want {
		t.Fatal("sign is not hex(sha256(body + \"/\" + key))")
	}
	c := New(Config{Key: "17key"})
	r := httptest.NewRequest(http.MethodPost, "/webhooks/17track", nil)
	r.Header.Set("sign", strings.ToUpper(want))
	if err := c.VerifyWebhook(r, body); err != nil {
		t.Errorf("valid (upper-case hex) refused: %v", err)
	}
	r.Header.Set("sign", Sign("17key", append(body, '\n')))
	if err := c.VerifyWebhook(r, body); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("wrong accepted")
	}
	r.Header.Set("sign", want)
	if err := New(Config{}).VerifyWebhook(r, body); !errors.Is(err, carriers.ErrUnauthorized) {
		t.Errorf("no key must refuse")
	}
}

func TestRegisterAndPollAgainstLoopback(t *testing.T) {
	var reg []map[string]any
	busy := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("17token") != "17key" || r.Method != http.MethodPost {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if busy {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		b, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/track/v2.2/register":
			json.Unmarshal(b, &reg)
			w.Write([]byte(`{"code":0,"data":{"accepted":[{"origin":1,"number":"RR123456785GB","carrier":11031}],"rejected":[]}}`))
		case "/track/v2.2/gettrackinfo":
			if !strings.Contains(string(b), "RR123456785GB") {
				t.Errorf("gettrackinfo body %s", b)
			}
			w.Write(fixture(t, "gettrackinfo.json"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(Config{Key: "17key", BaseURL: srv.URL + "/track/v2.2", HTTP: srv.Client()})
	ctx := context.Background()
	id, err := c.Register(ctx, carriers.Shipment{TrackingNumber: "RR123456785GB", Carrier: "royalmail"})
	if err != nil || id != "RR123456785GB" {
		t.Fatalf("register = %q, %v", id, err)
	}
	if len(reg) != 1 || reg[0]["number"] != "RR123456785GB" || reg[0]["carrier"] != float64(11031) {
		t.Errorf("register request = %v", reg)
	}
	u, err := c.Poll(ctx, carriers.Shipment{TrackingNumber: "RR123456785GB", TrackerID: id})
	if err != nil || len(u.Events) != 3 || u.Events[0].Status != status.Delivered {
		t.Fatalf("poll = %+v, %v", u, err)
	}
	busy = true
	_, err = c.Poll(ctx, carriers.Shipment{TrackingNumber: "RR123456785GB"})
	var rl *carriers.RateLimited
	if !errors.As(err, &rl) || rl.RetryAfter != time.Minute {
		t.Errorf("429: %v", err)
	}
}
