package shopify

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/storefront/model"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes a fixture into a generic map, lets fn change it, and
// re-encodes it: hostile variants of real payloads.
func edit(t testing.TB, name string, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(readFixture(t, name))))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func est(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseOrderCreate(t *testing.T) {
	o, err := ParseOrder(readFixture(t, "orders_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.Order{
		Source:            model.SourceShopify,
		ExternalID:        "5820183011455",
		Number:            "#1042",
		PlacedAt:          est("2025-03-14T10:21:07-04:00"),
		UpdatedAt:         est("2025-03-14T10:21:09-04:00"),
		Currency:          "USD",
		TotalCents:        7499,
		SubtotalCents:     6300,
		ShippingCents:     695,
		TaxCents:          504,
		DiscountCents:     700,
		FinancialStatus:   "paid",
		FulfillmentStatus: "",
		Customer: model.Customer{
			ExternalID:            "7012345678901",
			Email:                 "maya.okafor@example.com",
			Phone:                 "+15025550123",
			FirstName:             "Maya",
			LastName:              "Okafor",
			Locale:                "en-US",
			AcceptsEmailMarketing: ptr(true),
			AcceptsSMSMarketing:   ptr(false),
			UpdatedAt:             est("2025-03-14T10:21:08-04:00"),
		},
		ShippingAddress: model.Address{
			Name: "Maya Okafor", Line1: "1200 Bardstown Rd", Line2: "Apt 3", City: "Louisville",
			Region: "KY", PostalCode: "40204", Country: "US", Phone: "+15025550123",
		},
		Items: []model.LineItem{
			{ExternalID: "14123456789011", SKU: "TOTE-NAT", VariantID: "44012345678901", ProductID: "8012345678901", Title: "Canvas Tote", VariantTitle: "Natural", Quantity: 1, PriceCents: 3800},
			{ExternalID: "14123456789012", SKU: "MUG-SAGE", VariantID: "44012345678902", ProductID: "8012345678902", Title: "Enamel Mug", VariantTitle: "Sage", Quantity: 2, PriceCents: 1600},
		},
		Acquisition: model.Acquisition{
			Source: "facebook", Medium: "paid_social", Campaign: "spring_launch", Content: "video_a",
			AdAngle:       "gift-for-mom",
			LandingSite:   "/products/canvas-tote?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_launch&utm_content=video_a&fbclid=IwAR2xQ9demo",
			ReferringSite: "https://l.facebook.com/",
			SourceName:    "web",
		},
		Note: "Please leave with the neighbour at #5 if nobody's home.",
	}
	if !reflect.DeepEqual(o, want) {
		g, _ := json.MarshalIndent(o, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("ParseOrder mismatch\n got %s\nwant %s", g, w)
	}
}

func TestParseOrderStoryFixtures(t *testing.T) {
	paid, err := ParseOrder(readFixture(t, "orders_paid.json"))
	if err != nil || paid.FinancialStatus != "paid" {
		t.Fatalf("paid: %v %+v", err, paid.FinancialStatus)
	}
	upd, err := ParseOrder(readFixture(t, "orders_updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	if upd.ExternalID != paid.ExternalID || !upd.UpdatedAt.After(paid.UpdatedAt) {
		t.Errorf("updated should be the same order, later: %v vs %v", upd.UpdatedAt, paid.UpdatedAt)
	}
	if strings.Join(upd.Tags, "|") != "gift|spring-launch" {
		t.Errorf("tags = %q", upd.Tags)
	}
	canc, err := ParseOrder(readFixture(t, "orders_cancelled.json"))
	if err != nil {
		t.Fatal(err)
	}
	if canc.CancelledAt.IsZero() || canc.FinancialStatus != "refunded" || len(canc.Refunds) != 1 || canc.Refunds[0].AmountCents != 7499 {
		t.Errorf("cancelled = %+v", canc)
	}
}

func TestStoryManifest(t *testing.T) {
	var story struct {
		OrderID    string `json:"order_id"`
		Deliveries []struct {
			Topic, File string
		} `json:"deliveries"`
	}
	if err := json.Unmarshal(readFixture(t, "story.json"), &story); err != nil {
		t.Fatal(err)
	}
	if len(story.Deliveries) < 11 {
		t.Fatalf("story has %d deliveries", len(story.Deliveries))
	}
	for _, d := range story.Deliveries {
		body := readFixture(t, d.File)
		var orderID string
		var err error
		switch d.Topic {
		case TopicOrdersCreate, TopicOrdersPaid, TopicOrdersUpdated:
			var o model.Order
			o, err = ParseOrder(body)
			orderID = o.ExternalID
		case TopicFulfillmentsCreate, TopicFulfillmentsUpdate:
			var f model.Fulfillment
			f, err = ParseFulfillment(body)
			orderID = f.OrderExternalID
		case TopicFulfillmentEventsCreate:
			var e model.FulfillmentEvent
			e, err = ParseFulfillmentEvent(body)
			orderID = e.OrderExternalID
		case TopicRefundsCreate:
			var r model.Refund
			r, err = ParseRefund(body)
			orderID = r.OrderExternalID
		case TopicCustomersUpdate:
			_, err = ParseCustomer(body)
			orderID = story.OrderID
		case TopicCustomersDataRequest:
			var dr DataRequest
			dr, err = ParseDataRequest(body)
			orderID = dr.OrdersRequested[0]
		case TopicCustomersRedact:
			var cr CustomerRedact
			cr, err = ParseCustomerRedact(body)
			orderID = cr.OrdersToRedact[0]
		case TopicShopRedact:
			_, err = ParseShopRedact(body)
			orderID = story.OrderID
		default:
			t.Fatalf("unknown topic %s", d.Topic)
		}
		if err != nil {
			t.Errorf("%s (%s): %v", d.Topic, d.File, err)
		}
		if orderID != story.OrderID {
			t.Errorf("%s: order id %q, want %q", d.Topic, orderID, story.OrderID)
		}
	}
}

func TestParseOrderLenientTypes(t *testing.T) {
	body := edit(t, "orders_create.json", func(m map[string]any) {
		m["id"] = "5820183011455"               // string instead of number
		m["total_price"] = json.Number("74.99") // number instead of string
		m["order_number"] = "1042"
		m["test"] = "false"
		li := m["line_items"].([]any)[0].(map[string]any)
		li["quantity"] = "1"
		li["price"] = json.Number("38")
		li["sku"] = json.Number("12345")
		delete(m, "total_shipping_price_set") // falls back to shipping_lines
	})
	o, err := ParseOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	if o.ExternalID != "5820183011455" || o.TotalCents != 7499 || o.Items[0].PriceCents != 3800 || o.Items[0].SKU != "12345" || o.ShippingCents != 695 {
		t.Errorf("lenient parse = %+v", o)
	}
}

func TestParseOrderNumberFallback(t *testing.T) {
	body := edit(t, "orders_create.json", func(m map[string]any) { m["name"] = nil })
	o, err := ParseOrder(body)
	if err != nil || o.Number != "#1042" {
		t.Errorf("number = %q, %v", o.Number, err)
	}
}

func TestParseOrderNoteAttributesOverrideLanding(t *testing.T) {
	body := edit(t, "orders_create.json", func(m map[string]any) {
		m["note_attributes"] = []any{
			map[string]any{"name": "_utm_source", "value": "tiktok"},
			map[string]any{"name": "UTM_Campaign", "value": "creator_collab"},
			map[string]any{"name": "ad_angle", "value": json.Number("7")},
		}
	})
	o, err := ParseOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	a := o.Acquisition
	if a.Source != "tiktok" || a.Campaign != "creator_collab" || a.Medium != "paid_social" || a.AdAngle != "7" {
		t.Errorf("acquisition = %+v", a)
	}
}

func TestParseOrderGuestWithoutCustomer(t *testing.T) {
	body := edit(t, "orders_create.json", func(m map[string]any) {
		delete(m, "customer")
		m["phone"] = "+15025550199"
	})
	o, err := ParseOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	c := o.Customer
	if c.ExternalID != "" || c.Email != "maya.okafor@example.com" || c.Phone != "+15025550199" || c.FirstName != "Maya" || c.AcceptsEmailMarketing != nil {
		t.Errorf("guest customer = %+v", c)
	}
}

func TestParseOrderFulfillmentsNested(t *testing.T) {
	body := edit(t, "orders_updated.json", func(m map[string]any) {
		var f map[string]any
		_ = json.Unmarshal(readFixture(t, "fulfillments_update.json"), &f)
		f["tracking_urls"] = []any{"javascript:alert(1)", "www.usps.com/track?x=1"}
		f["tracking_url"] = nil
		m["fulfillments"] = []any{f}
		m["fulfillment_status"] = "fulfilled"
	})
	o, err := ParseOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) != 1 {
		t.Fatalf("fulfillments = %+v", o.Fulfillments)
	}
	f := o.Fulfillments[0]
	if f.ShipmentStatus != "in_transit" || f.TrackingCompany != "USPS" || len(f.TrackingNumbers) != 1 ||
		len(f.LineItemIDs) != 2 || len(f.TrackingURLs) != 1 || f.TrackingURLs[0] != "https://www.usps.com/track?x=1" {
		t.Errorf("fulfillment = %+v", f)
	}
}

func TestParseOrderHostile(t *testing.T) {
	big := strings.Repeat("A", 10<<10)
	scenarios := []struct {
		name    string
		body    []byte
		wantErr string // substring; "" means parse must succeed
		field   string // expected validation field, if any
	}{
		{name: "empty", body: nil, wantErr: "empty body"},
		{name: "not json", body: []byte("<html>nope</html>"), wantErr: "not a JSON object"},
		{name: "truncated", body: readFixture(t, "orders_create.json")[:500], wantErr: "malformed JSON"},
		{name: "array", body: []byte(`[{"id":1}]`), wantErr: "not a JSON object"},
		{name: "missing id", body: edit(t, "orders_create.json", func(m map[string]any) { delete(m, "id") }), wantErr: "missing required field id"},
		{name: "null id", body: edit(t, "orders_create.json", func(m map[string]any) { m["id"] = nil }), wantErr: "missing required field id"},
		{name: "missing created_at", body: edit(t, "orders_create.json", func(m map[string]any) { delete(m, "created_at") }), wantErr: "created_at"},
		{name: "missing currency", body: edit(t, "orders_create.json", func(m map[string]any) { delete(m, "currency") }), wantErr: "currency"},
		{name: "missing total", body: edit(t, "orders_create.json", func(m map[string]any) { delete(m, "total_price") }), wantErr: "total_price"},
		{name: "missing name and number", body: edit(t, "orders_create.json", func(m map[string]any) { delete(m, "name"); delete(m, "order_number") }), wantErr: "name"},
		{name: "bad date", body: edit(t, "orders_create.json", func(m map[string]any) { m["created_at"] = "tomorrow" }), wantErr: "field created_at"},
		{name: "float total", body: edit(t, "orders_create.json", func(m map[string]any) { m["total_price"] = "1e9" }), wantErr: "field total_price"},
		{name: "object as total", body: edit(t, "orders_create.json", func(m map[string]any) { m["total_price"] = map[string]any{"amount": "1"} }), wantErr: "field total_price"},
		{name: "line items not array", body: edit(t, "orders_create.json", func(m map[string]any) { m["line_items"] = "lots" }), wantErr: "field line_items"},
		{name: "fractional quantity", body: edit(t, "orders_create.json", func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["quantity"] = json.Number("1.5")
		}), wantErr: "line_items[0].quantity"},
		{name: "too many line items", body: edit(t, "orders_create.json", func(m map[string]any) {
			li := m["line_items"].([]any)[0]
			many := make([]any, model.MaxLineItems+1)
			for i := range many {
				many[i] = li
			}
			m["line_items"] = many
		}), wantErr: "at most 500"},
		{name: "huge body", body: []byte(`{"note":"` + strings.Repeat("x", MaxBodyBytes) + `"}`), wantErr: "at most"},
		{name: "negative quantity", body: edit(t, "orders_create.json", func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["quantity"] = json.Number("-3")
		}), field: "items[0].quantity"},
		{name: "10 KB first name", body: edit(t, "orders_create.json", func(m map[string]any) {
			m["customer"].(map[string]any)["first_name"] = big
		}), field: "customer.first_name"},
		{name: "10 KB title", body: edit(t, "orders_create.json", func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["title"] = big
		}), field: "items[0].title"},
		{name: "bad email", body: edit(t, "orders_create.json", func(m map[string]any) { m["email"] = "not-an-email" }), field: "customer.email"},
		{name: "lower-case currency normalized", body: edit(t, "orders_create.json", func(m map[string]any) { m["currency"] = "usd" })},
		{name: "bogus currency", body: edit(t, "orders_create.json", func(m map[string]any) { m["currency"] = "DOLLARS" }), field: "currency"},
		{name: "deep nesting", body: []byte(`{"note_attributes":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`), wantErr: "malformed JSON"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			o, err := ParseOrder(s.body)
			var ve *model.ValidationError
			switch {
			case s.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), s.wantErr) {
					t.Fatalf("err = %v, want %q", err, s.wantErr)
				}
				if errors.As(err, &ve) {
					t.Fatalf("want a parse error, got validation: %v", err)
				}
			case s.field != "":
				if !errors.As(err, &ve) {
					t.Fatalf("want validation error on %s, got %v", s.field, err)
				}
				found := false
				for _, f := range ve.Fields {
					found = found || f.Field == s.field
				}
				if !found {
					t.Errorf("fields = %+v, want %s", ve.Fields, s.field)
				}
				if o.ExternalID == "" {
					t.Error("order should be returned alongside the validation error")
				}
			default:
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			}
		})
	}
}

func TestParseOrderKeepsHostileStringsAsData(t *testing.T) {
	body := edit(t, "orders_create.json", func(m map[string]any) {
		m["note"] = "<script>alert('x')</script>\x00\r\nRobert'); DROP TABLE orders;--"
		m["customer"].(map[string]any)["last_name"] = "O'Brien\u0007<b>"
		m["tags"] = "a,,b, a ,<img src=x onerror=alert(1)>"
	})
	o, err := ParseOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	if o.Note != "<script>alert('x')</script>\nRobert'); DROP TABLE orders;--" {
		t.Errorf("note = %q", o.Note)
	}
	if o.Customer.LastName != "O'Brien<b>" {
		t.Errorf("last name = %q", o.Customer.LastName)
	}
	if fmt.Sprint(o.Tags) != "[a b <img src=x onerror=alert(1)>]" {
		t.Errorf("tags = %q", o.Tags)
	}
}
