package tracking_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/carriers/aftership"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/carriers/seventeentrack"
	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/status"
)

// vendorCase is one provider's webhook as it arrives on the wire.
type vendorCase struct {
	source, vendorDir, fixture string
	// send returns the path and headers of a correctly signed request for
	// body, or a wrongly signed one when bad.
	send    func(body []byte, bad bool) (string, map[string]string)
	tn      string
	carrier string // what detection makes of tn
	want    status.Status
	events  int // distinct events in the fixture
	// breakTime corrupts one event's timestamp in the fixture.
	breakTime func(body string) string
}

var vendorCases = []vendorCase{
	{
		source: "easypost", vendorDir: "easypost", fixture: "event_tracker_updated.json",
		send: func(b []byte, bad bool) (string, map[string]string) {
			sig := easypost.Sign(epSecret, b)
			if bad {
				sig = easypost.Sign("not-the-secret", b)
			}
			return "/webhooks/easypost", map[string]string{easypost.SignatureHeader: sig}
		},
		tn: "9400111206206406260787", carrier: "usps", want: status.InTransit, events: 2,
		breakTime: func(s string) string {
			s = strings.Replace(s, "evt_7f1c2a9b3d4e4f5a8b6c", "evt_0a1b2c3d4e5f", 1) // a new delivery
			return strings.Replace(s, "2026-11-20T14:48:00Z", "20.11.2026 14:48", 1)
		},
	},
	{
		source: "shippo", vendorDir: "shippo", fixture: "track_updated.json",
		send: func(b []byte, bad bool) (string, map[string]string) {
			if bad {
				return "/webhooks/shippo/guessed-token", nil
			}
			return "/webhooks/shippo/" + shToken, nil
		},
		tn: "1Z5R89390357567127", carrier: "ups", want: status.InTransit, events: 2,
		breakTime: func(s string) string { return strings.Replace(s, "2026-11-21T11:40:00Z", "soonish", -1) },
	},
	{
		source: "aftership", vendorDir: "aftership", fixture: "tracking_update.json",
		send: func(b []byte, bad bool) (string, map[string]string) {
			sig := aftership.Sign(asSecret, b)
			if bad {
				sig = aftership.Sign(asSecret, append(b, ' '))
			}
			return "/webhooks/aftership", map[string]string{aftership.SignatureHeader: sig}
		},
		tn: "986578788855", carrier: "fedex", want: status.Exception, events: 2,
		breakTime: func(s string) string {
			s = strings.Replace(s, "8a5e3c5d-2f3b-4f44-9c7e-2f9f8b6f5d01", "0c6f1e2a-9d8b-4c3a-8e7f-1a2b3c4d5e6f", 1) // a new delivery
			return strings.Replace(s, "2026-11-21T22:15:00", "2026-11-21 at night", 1)
		},
	},
	{
		source: "17track", vendorDir: "seventeentrack", fixture: "tracking_updated.json",
		send: func(b []byte, bad bool) (string, map[string]string) {
			sig := seventeentrack.Sign(key17, b)
			if bad {
				sig = seventeentrack.Sign("", b)
			}
			return "/webhooks/17track", map[string]string{seventeentrack.SignatureHeader: sig}
		},
		tn: "RR123456785GB", carrier: "royalmail", want: status.InTransit, events: 2,
		breakTime: func(s string) string { return strings.Replace(s, "2026-11-19T17:40:00Z", "n/a", -1) },
	},
}

func receipt(t *testing.T, e *env, source string) (st, errText string, n int) {
	t.Helper()
	wr := schema.WebhookReceipts
	recs, err := e.app.FindRecordsByFilter(schema.CWebhookReceipts, wr.Source+" = {:s}", "-"+wr.ReceivedAt+",-"+schema.FCreated, 0, 0, dbx.Params{"s": source})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		return "", "", 0
	}
	return recs[0].GetString(wr.Status), recs[0].GetString(wr.Error), len(recs)
}

func TestSignedWebhooksPerVendor(t *testing.T) {
	for _, vc := range vendorCases {
		t.Run(vc.source, func(t *testing.T) {
			e := newEnv(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), nil, "")
			te := schema.TrackingEvents
			body := fixture(t, vc.vendorDir, vc.fixture)

			// 1. Valid, for a number no shipment has yet: stored, acknowledged,
			// processed into unmatched events.
			path, hdr := vc.send(body, false)
			code, out := e.post(t, path, body, hdr)
			if code != http.StatusOK || out["duplicate"] != false {
				t.Fatalf("valid webhook: %d %v", code, out)
			}
			e.process(t)
			if st, errText, _ := receipt(t, e, vc.source); st != schema.ReceiptDone {
				t.Fatalf("receipt %s: %s", st, errText)
			}
			if n := e.count(t, schema.CTrackingEvents, dbx.HashExp{te.Shipment: "", te.TrackingNumber: vc.tn}); n != vc.events {
				t.Fatalf("unmatched events = %d, want %d", n, vc.events)
			}

			// 2. The shipment appears (carrier left blank: detected); the
			// stored events are matched and its status derived.
			ship := e.newShipment(t, e.order, vc.tn, "", nil)
			sh := schema.Shipments
			if ship.GetString(sh.Carrier) != vc.carrier || ship.GetString(sh.TrackingURL) == "" {
				t.Errorf("detection: carrier %q url %q", ship.GetString(sh.Carrier), ship.GetString(sh.TrackingURL))
			}
			if got := ship.GetString(sh.Status); got != string(vc.want) {
				t.Errorf("status after matching = %s, want %s", got, vc.want)
			}
			if n := e.count(t, schema.CTrackingEvents, dbx.HashExp{te.Shipment: ship.Id}); n != vc.events {
				t.Errorf("matched events = %d, want %d", n, vc.events)
			}
			if n := e.count(t, schema.CTrackingEvents, dbx.HashExp{te.Shipment: ""}); n != 0 {
				t.Errorf("%d events still unmatched", n)
			}
			ev, err := e.app.FindFirstRecordByFilter(schema.CTrackingEvents, te.Shipment+" = {:s} && "+te.RawStatus+" != ''", dbx.Params{"s": ship.Id})
			if err != nil || ev.GetString(te.Source) != vc.source {
				t.Errorf("raw status/source not kept: %v %v", ev, err)
			}
			order, _ := e.app.FindRecordById(schema.COrders, e.order.Id)
			if order.GetString(schema.Orders.Status) != string(vc.want) {
				t.Errorf("order status = %s", order.GetString(schema.Orders.Status))
			}

			// 3. The same delivery again: acknowledged as a duplicate, nothing new.
			code, out = e.post(t, path, body, hdr)
			if code != http.StatusOK || out["duplicate"] != true {
				t.Errorf("duplicate: %d %v", code, out)
			}
			e.process(t)
			if n := e.count(t, schema.CTrackingEvents, nil); n != vc.events {
				t.Errorf("events after duplicate = %d", n)
			}

			// 4. Wrong signature: 401, nothing stored, counted.
			_, _, before := receipt(t, e, vc.source)
			bpath, bhdr := vc.send(body, true)
			if code, _ := e.post(t, bpath, body, bhdr); code != http.StatusUnauthorized {
				t.Errorf("wrong signature: %d", code)
			}
			if _, _, after := receipt(t, e, vc.source); after != before {
				t.Errorf("a refused call was stored")
			}
			if inbox.Rejections(e.app, vc.source, "bad_signature") != 1 {
				t.Errorf("rejection not counted")
			}

			// 5. Oversized body, correctly signed: 413.
			big := append(append([]byte(nil), body[:len(body)-1]...), []byte(`,"pad":"`+strings.Repeat("x", inbox.MaxBody)+`"}`)...)
			p, h := vc.send(big, false)
			if code, _ := e.post(t, p, big, h); code != http.StatusRequestEntityTooLarge {
				t.Errorf("oversized: %d", code)
			}

			// 6. Malformed JSON, correctly signed: stored, then failed with
			// its error (not retried, not lost).
			junk := []byte(`{"event": <script>alert(1)</script>`)
			p, h = vc.send(junk, false)
			if code, _ := e.post(t, p, junk, h); code != http.StatusOK {
				t.Errorf("malformed JSON not acknowledged: %d", code)
			}
			e.process(t)
			if st, errText, _ := receipt(t, e, vc.source); st != schema.ReceiptFailed || errText == "" {
				t.Errorf("malformed receipt = %s %q", st, errText)
			}

			// 7. An unparseable timestamp in one event: the receipt fails and
			// nothing of that delivery is applied (the other events included).
			e.clk.Advance(time.Second)
			broken := []byte(strings.ReplaceAll(vc.breakTime(string(body)), vc.tn, "1Z879E930346834440"))
			if bytes.Equal(broken, body) {
				t.Fatal("breakTime changed nothing")
			}
			p, h = vc.send(broken, false)
			if code, _ := e.post(t, p, broken, h); code != http.StatusOK {
				t.Errorf("broken timestamp not acknowledged: %d", code)
			}
			e.process(t)
			if st, errText, _ := receipt(t, e, vc.source); st != schema.ReceiptFailed || !strings.Contains(errText, "timestamp") {
				t.Errorf("broken timestamp receipt = %s %q", st, errText)
			}
			if n := e.count(t, schema.CTrackingEvents, dbx.HashExp{te.TrackingNumber: "1Z879E930346834440"}); n != 0 {
				t.Errorf("%d events of a failed delivery were applied", n)
			}
		})
	}
}

func TestWebhooksRefusedWithoutSecrets(t *testing.T) {
	// An app whose config has no secrets at all (the valid case with
	// secrets is TestSignedWebhooksPerVendor).
	bare := newEnvNoSecrets(t)
	for _, vc := range vendorCases {
		body := fixture(t, vc.vendorDir, vc.fixture)
		path, hdr := vc.send(body, false)
		if code, _ := bare.post(t, path, body, hdr); code != http.StatusUnauthorized {
			t.Errorf("%s without a secret: %d, want 401", vc.source, code)
		}
	}
	if n := bare.count(t, schema.CWebhookReceipts, nil); n != 0 {
		t.Errorf("%d receipts stored without secrets", n)
	}
	if len(tracking.WebhookRoutes) != len(vendorCases) {
		t.Errorf("routes %v not all tested", tracking.WebhookRoutes)
	}
}
