package woocommerce

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerify(t *testing.T) {
	secret := []byte("wc_whsec_4f1c9a")
	body := readFixture(t, "order_created.json")
	good := Sign(secret, body)
	scenarios := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   bool
	}{
		{"valid", secret, body, good, true},
		{"wrong secret", []byte("nope"), body, good, false},
		{"empty secret", []byte{}, body, good, false},
		{"tampered body", secret, append(body[:len(body):len(body)], ' '), good, false},
		{"garbage header", secret, body, "!!!", false},
		{"empty header", secret, body, "", false},
		{"sha1 length", secret, body, "2jmj7l5rSw0yVb/vlWAYkK/YBwk=", false},
		{"oversized header", secret, body, strings.Repeat("QUFB", 10000), false},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Verify(s.secret, s.body, s.header); got != s.want {
				t.Errorf("Verify = %v, want %v", got, s.want)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-WC-Webhook-Source", "https://shop.example.de/")
	h.Set("X-WC-Webhook-Topic", "order.updated")
	h.Set("X-WC-Webhook-Resource", "order")
	h.Set("X-WC-Webhook-Event", "updated")
	h.Set("X-WC-Webhook-Signature", "c2lnbmF0dXJl")
	h.Set("X-WC-Webhook-ID", "17")
	h.Set("X-WC-Webhook-Delivery-ID", "c1a5e2b4d6f8091a2b3c4d5e6f708193")
	want := Headers{
		Source: "https://shop.example.de/", Topic: "order.updated", Resource: "order", Event: "updated",
		Signature: "c2lnbmF0dXJl", WebhookID: "17", DeliveryID: "c1a5e2b4d6f8091a2b3c4d5e6f708193",
	}
	if got := ParseHeaders(h); got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	h.Set("X-WC-Webhook-Topic", "ORDER.created\x00\r\n")
	h.Set("X-WC-Webhook-Source", strings.Repeat("x", 5000))
	got := ParseHeaders(h)
	if got.Topic != "order.created" || len(got.Source) > maxHeaderLen {
		t.Errorf("hostile headers = %+v", got)
	}
}

func TestIsPing(t *testing.T) {
	scenarios := []struct {
		name, contentType, body string
		wantID                  string
		want                    bool
	}{
		{"fixture", "application/x-www-form-urlencoded", string(readFixture(t, "ping.txt")), "17", true},
		{"charset", "application/x-www-form-urlencoded; charset=UTF-8", "webhook_id=3", "3", true},
		{"no content type", "", "webhook_id=42\n", "42", true},
		{"json body", "application/json", `{"webhook_id":17}`, "", false},
		{"json content type", "application/json", "webhook_id=17", "", false},
		{"extra field", "application/x-www-form-urlencoded", "webhook_id=17&x=1", "", false},
		{"repeated", "application/x-www-form-urlencoded", "webhook_id=17&webhook_id=18", "", false},
		{"not numeric", "application/x-www-form-urlencoded", "webhook_id=17;drop", "", false},
		{"negative", "application/x-www-form-urlencoded", "webhook_id=-1", "", false},
		{"empty id", "application/x-www-form-urlencoded", "webhook_id=", "", false},
		{"empty body", "application/x-www-form-urlencoded", "", "", false},
		{"huge", "application/x-www-form-urlencoded", "webhook_id=" + strings.Repeat("1", 100), "", false},
		{"bad escape", "application/x-www-form-urlencoded", "webhook_id=%zz", "", false},
		{"bad media type", "application/x-www-form-urlencoded; =", "webhook_id=1", "", false},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			id, ok := IsPing(s.contentType, []byte(s.body))
			if ok != s.want || id != s.wantID {
				t.Errorf("IsPing = %q, %v; want %q, %v", id, ok, s.wantID, s.want)
			}
		})
	}
}
