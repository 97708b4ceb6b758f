package woocommerce

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"porchlight/hooks/storefront/model"
)

// Seed corpora run under plain `go test`; `go test -fuzz=FuzzParseOrder`
// explores further.

func FuzzParseOrder(f *testing.F) {
	for _, name := range []string{"order_created.json", "order_updated.json", "order_restored.json", "order_deleted.json"} {
		f.Add(readFixture(f, name))
	}
	for _, s := range []string{
		``, `{}`, `[]`, `{"id":1}`, `{"id":1,"meta_data":[{"key":"_wc_shipment_tracking_items","value":"[{\"tracking_number\":1}]"}]}`,
		`{"id":1,"date_created_gmt":"2025-01-01T00:00:00","currency":"EUR","total":"1","line_items":[{"quantity":"1e3"}]}`,
		`{"id":1,"date_created_gmt":"2025-01-01T00:00:00","currency":"EUR","total":"1","meta_data":[{"key":"_wc_shipment_tracking_items","value":{"b":{},"a":{"tracking_number":"x"}}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := ParseOrder(body)
		var ve *model.ValidationError
		switch {
		case err == nil:
			if errs := o.Validate(); errs != nil {
				t.Fatalf("accepted but invalid: %+v", errs)
			}
			b, _ := json.Marshal(o)
			if strings.Contains(string(b), `\u0000`) {
				t.Fatalf("NUL survived: %s", b)
			}
			for _, f := range o.Fulfillments {
				for _, u := range f.TrackingURLs {
					if !model.ValidWebURL(u) {
						t.Fatalf("unsafe URL %q", u)
					}
				}
			}
		case errors.As(err, &ve):
			if len(ve.Fields) == 0 {
				t.Fatal("empty validation error")
			}
		}
	})
}

func FuzzParseDeleted(f *testing.F) {
	f.Add(readFixture(f, "order_deleted.json"))
	f.Add([]byte(`{"id":"12"}`))
	f.Add([]byte(`{"id":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		id, err := ParseDeleted(body)
		if err == nil && (id == "" || id != model.SanitizeLine(id)) {
			t.Fatalf("bad id %q", id)
		}
	})
}

func FuzzIsPing(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", readFixture(f, "ping.txt"))
	f.Add("", []byte("webhook_id=1&webhook_id=2"))
	f.Add("text/plain", []byte("webhook_id=1"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		id, ok := IsPing(contentType, body)
		if ok {
			if id == "" || strings.Trim(id, "0123456789") != "" {
				t.Fatalf("ping id %q", id)
			}
		} else if id != "" {
			t.Fatalf("id %q without ok", id)
		}
	})
}

func FuzzParsePage(f *testing.F) {
	f.Add([]byte("[" + string(readFixture(f, "order_created.json")) + "]"))
	f.Add([]byte(`[{"id":1},null,"x",[]]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		orders, skipped, err := parsePage(body)
		if err != nil && (orders != nil || skipped != nil) {
			t.Fatal("results alongside a page error")
		}
		for _, o := range orders {
			if errs := o.Validate(); errs != nil {
				t.Fatalf("invalid order returned: %+v", errs)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	body := readFixture(f, "order_created.json")
	f.Add([]byte("wc_secret"), body, Sign([]byte("wc_secret"), body))
	f.Add([]byte("wc_secret"), body, "")
	f.Add([]byte(""), []byte(""), "AAAA\r\n")
	f.Fuzz(func(t *testing.T, secret, body []byte, header string) {
		if Verify(secret, body, header) && strings.TrimSpace(header) != Sign(secret, body) {
			t.Fatalf("accepted foreign header %q", header)
		}
	})
}
