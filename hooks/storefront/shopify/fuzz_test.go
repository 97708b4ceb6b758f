package shopify

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"porchlight/hooks/storefront/model"
)

// The seed corpus (every fixture plus a few hostile shapes) runs under plain
// `go test`; `go test -fuzz=FuzzParseOrder` explores further.

func addSeeds(f *testing.F, fixtures ...string) {
	f.Helper()
	for _, name := range fixtures {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"id":`, `{"id":{}}`, `{"id":1e400}`,
		`{"id":1,"name":"#1","created_at":"2025-01-01T00:00:00Z","currency":"USD","total_price":"1"}`,
		`{"id":"1","line_items":[{"quantity":"-1"}]}`,
		"{\"id\":1,\"note\":\"\x00\u0000\"}",
		`{"id":1,"fulfillment_id":2,"status":"in_transit","happened_at":"2025-01-01T00:00:00Z"}`,
		`{"shop_id":1,"shop_domain":"x","customer":{"id":1},"orders_to_redact":[1,2]}`,
	} {
		f.Add([]byte(s))
	}
}

func allFixtures(f *testing.F) []string {
	f.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, e.Name())
		}
	}
	return out
}

// checkResult enforces the parser contract: success means valid; a
// validation error carries the value; anything else is a plain error.
func checkResult(t *testing.T, err error, validate func() []model.FieldError) {
	t.Helper()
	var ve *model.ValidationError
	switch {
	case err == nil:
		if errs := validate(); errs != nil {
			t.Fatalf("accepted but invalid: %+v", errs)
		}
	case errors.As(err, &ve):
		if len(ve.Fields) == 0 {
			t.Fatal("empty validation error")
		}
	}
}

func noControl(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	// JSON escapes control characters as \u00XX (or \b, \f, \r); \n and
	// \t are allowed only in multi-line fields, which never hold them here
	// except the note.
	s := string(b)
	for _, bad := range []string{`\u0000`, `\u001b`, `\r`, `\u007f`, `\u0085`} {
		if strings.Contains(s, bad) {
			t.Fatalf("control character %s survived: %s", bad, s)
		}
	}
}

func FuzzParseOrder(f *testing.F) {
	addSeeds(f, allFixtures(f)...)
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := ParseOrder(body)
		checkResult(t, err, o.Validate)
		if err == nil {
			noControl(t, o)
		}
	})
}

func FuzzParseFulfillment(f *testing.F) {
	addSeeds(f, "fulfillments_create.json", "fulfillments_update.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := ParseFulfillment(body)
		checkResult(t, err, v.Validate)
		if err == nil {
			noControl(t, v)
			for _, u := range v.TrackingURLs {
				if !model.ValidWebURL(u) {
					t.Fatalf("unsafe tracking URL %q", u)
				}
			}
		}
	})
}

func FuzzParseFulfillmentEvent(f *testing.F) {
	addSeeds(f, "fulfillment_events_create.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := ParseFulfillmentEvent(body)
		checkResult(t, err, v.Validate)
		if err == nil {
			noControl(t, v)
		}
	})
}

func FuzzParseRefund(f *testing.F) {
	addSeeds(f, "refunds_create.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := ParseRefund(body)
		checkResult(t, err, v.Validate)
		if err == nil && v.AmountCents < 0 {
			t.Fatalf("negative refund %d", v.AmountCents)
		}
	})
}

func FuzzParseCustomer(f *testing.F) {
	addSeeds(f, "customers_update.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := ParseCustomer(body)
		checkResult(t, err, v.Validate)
		if err == nil {
			noControl(t, v)
		}
	})
}

func FuzzParsePrivacy(f *testing.F) {
	addSeeds(f, "customers_data_request.json", "customers_redact.json", "shop_redact.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		if dr, err := ParseDataRequest(body); err == nil {
			noControl(t, dr)
			if dr.ShopID == "" || dr.ShopDomain == "" || (dr.Customer == PrivacyCustomer{}) {
				t.Fatalf("accepted incomplete request %+v", dr)
			}
		}
		if cr, err := ParseCustomerRedact(body); err == nil {
			noControl(t, cr)
			if len(cr.OrdersToRedact) > MaxPrivacyOrders {
				t.Fatal("unbounded order list")
			}
		}
		if sr, err := ParseShopRedact(body); err == nil && (sr.ShopID == "" || sr.ShopDomain == "") {
			t.Fatalf("accepted incomplete shop redact %+v", sr)
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("secret"), []byte(`{"id":1}`), "")
	f.Add([]byte("secret"), []byte(`{"id":1}`), Sign([]byte("secret"), []byte(`{"id":1}`)))
	f.Add([]byte(""), []byte(""), "====")
	f.Fuzz(func(t *testing.T, secret, body []byte, header string) {
		got := Verify(secret, body, header)
		if len(secret) > 0 && Verify(secret, body, Sign(secret, body)) != true {
			t.Fatal("own signature rejected")
		}
		if got && strings.TrimSpace(header) != Sign(secret, body) {
			t.Fatalf("accepted foreign header %q", header)
		}
	})
}
