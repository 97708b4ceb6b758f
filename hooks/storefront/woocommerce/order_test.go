package woocommerce

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/storefront/model"
)

func edit(t testing.TB, name string, fn func(m map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(readFixture(t, name))))
	dec.UseNumber()
	var m map[string]any
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

// setMeta replaces (or appends) meta entries by key.
func setMeta(m map[string]any, kv map[string]any) {
	list, _ := m["meta_data"].([]any)
	for k, v := range kv {
		found := false
		for _, e := range list {
			em := e.(map[string]any)
			if em["key"] == k {
				em["value"] = v
				found = true
			}
		}
		if !found {
			list = append(list, map[string]any{"id": 1, "key": k, "value": v})
		}
	}
	m["meta_data"] = list
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseOrderCreated(t *testing.T) {
	o, err := ParseOrder(readFixture(t, "order_created.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.Order{
		Source:          model.SourceWooCommerce,
		ExternalID:      "1187",
		Number:          "1187",
		SourceStatus:    "processing",
		PlacedAt:        utc("2025-03-14T14:21:07"),
		UpdatedAt:       utc("2025-03-14T14:21:09"),
		Currency:        "EUR",
		TotalCents:      6420,
		SubtotalCents:   4905,
		ShippingCents:   490,
		TaxCents:        1025,
		DiscountCents:   545,
		FinancialStatus: "paid",
		Customer: model.Customer{
			ExternalID: "58", Email: "lena.fischer@example.de", Phone: "+49 30 12345678",
			FirstName: "Lena", LastName: "Fischer",
		},
		ShippingAddress: model.Address{
			Name: "Lena Fischer", Line1: "Kastanienallee 12", Line2: "Hinterhaus, 3. OG", City: "Berlin",
			Region: "BE", PostalCode: "10435", Country: "DE", Phone: "+49 30 12345678",
		},
		Items: []model.LineItem{
			{ExternalID: "611", SKU: "APRON-RUST", ProductID: "233", VariantID: "241", Title: "Leinenschürze – Rost", Quantity: 1, PriceCents: 2900},
			{ExternalID: "612", SKU: "CANDLE-BW", ProductID: "250", Title: "Bienenwachskerze", Quantity: 3, PriceCents: 850},
		},
		Acquisition: model.Acquisition{
			Source: "instagram", Medium: "paid_social", Campaign: "spring_aprons",
			Content:       "reel_b", // "(none)" in attribution meta, filled from the session entry URL
			AdAngle:       "muttertag",
			LandingSite:   "https://shop.example.de/produkt/leinenschuerze/?utm_source=instagram&utm_medium=paid_social&utm_campaign=spring_aprons&utm_content=reel_b&ad_angle=muttertag",
			ReferringSite: "https://l.instagram.com/",
			SourceName:    "checkout",
			SourceType:    "utm",
		},
		Note: "Bitte beim Nachbarn im EG abgeben, falls niemand da ist.",
	}
	if !reflect.DeepEqual(o, want) {
		g, _ := json.MarshalIndent(o, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("mismatch\n got %s\nwant %s", g, w)
	}
}

func TestParseOrderUpdatedWithTracking(t *testing.T) {
	o, err := ParseOrder(readFixture(t, "order_updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	if o.SourceStatus != "completed" || o.FulfillmentStatus != "fulfilled" || o.FinancialStatus != "paid" {
		t.Errorf("statuses = %q %q %q", o.SourceStatus, o.FulfillmentStatus, o.FinancialStatus)
	}
	want := []model.Fulfillment{{
		ExternalID:      "9f3b2c1d0e4a5b6c7d8e9f0a1b2c3d4e",
		Status:          "success",
		TrackingNumbers: []string{"00340434161234567890"},
		TrackingCompany: "DHL Paket",
		TrackingURLs:    []string{"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161234567890"},
		CreatedAt:       time.Unix(1742050800, 0).UTC(),
	}}
	if !reflect.DeepEqual(o.Fulfillments, want) {
		t.Errorf("fulfillments\n got %+v\nwant %+v", o.Fulfillments, want)
	}
}

func TestParseOrderRestoredAndDeleted(t *testing.T) {
	id, err := ParseDeleted(readFixture(t, "order_deleted.json"))
	if err != nil || id != "1187" {
		t.Fatalf("ParseDeleted = %q, %v", id, err)
	}
	if _, err := ParseOrder(readFixture(t, "order_deleted.json")); !errors.Is(err, ErrIDOnly) {
		t.Errorf("ParseOrder on deleted stub: %v", err)
	}
	for _, bad := range []string{`{}`, `{"id":null}`, `[1]`, `{"id":{}}`, `{"id":"` + strings.Repeat("9", 200) + `"}`} {
		if _, err := ParseDeleted([]byte(bad)); err == nil {
			t.Errorf("ParseDeleted(%s) accepted", bad)
		}
	}
	r, err := ParseOrder(readFixture(t, "order_restored.json"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseOrder(readFixture(t, "order_updated.json"))
	if r.ExternalID != u.ExternalID || !r.UpdatedAt.After(u.UpdatedAt) || r.Deleted {
		t.Errorf("restored = %+v", r)
	}
	trashed, err := ParseOrder(edit(t, "order_updated.json", func(m map[string]any) { m["status"] = "trash" }))
	if err != nil || !trashed.Deleted {
		t.Errorf("trash: %v %v", trashed.Deleted, err)
	}
}

func TestFinancialStatus(t *testing.T) {
	scenarios := []struct {
		status   string
		datePaid any
		refunds  []any
		want     string
		cancel   bool
	}{
		{"pending", nil, nil, "pending", false},
		{"on-hold", nil, nil, "pending", false},
		{"processing", nil, nil, "paid", false},
		{"on-hold", "2025-03-14T14:21:09", nil, "paid", false},
		{"completed", "2025-03-14T14:21:09", []any{map[string]any{"id": 9, "reason": "chipped", "total": "-8.50"}}, "partially_refunded", false},
		{"refunded", "2025-03-14T14:21:09", nil, "refunded", false},
		{"cancelled", nil, nil, "voided", true},
		{"failed", nil, nil, "failed", false},
	}
	for _, s := range scenarios {
		o, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) {
			m["status"] = s.status
			m["date_paid_gmt"] = s.datePaid
			m["refunds"] = s.refunds
		}))
		if err != nil {
			t.Fatalf("%s: %v", s.status, err)
		}
		if o.FinancialStatus != s.want || o.CancelledAt.IsZero() == s.cancel {
			t.Errorf("%s paid=%v: financial %q cancelled %v", s.status, s.datePaid, o.FinancialStatus, o.CancelledAt)
		}
		if len(s.refunds) > 0 && (len(o.Refunds) != 1 || o.Refunds[0].AmountCents != 850 || o.Refunds[0].Reason != "chipped") {
			t.Errorf("refunds = %+v", o.Refunds)
		}
	}
}

func TestTrackingMetaShapes(t *testing.T) {
	item := map[string]any{"tracking_provider": "ups", "tracking_number": "1Z999AA10123456784", "date_shipped": json.Number("1742050800")}
	encoded, _ := json.Marshal([]any{item})
	scenarios := []struct {
		name    string
		meta    map[string]any
		numbers []string
		company string
		url     string
	}{
		{"array", map[string]any{"_wc_shipment_tracking_items": []any{item}}, []string{"1Z999AA10123456784"}, "ups", ""},
		{"json in a string", map[string]any{"_wc_shipment_tracking_items": string(encoded)}, []string{"1Z999AA10123456784"}, "ups", ""},
		{"php sparse array", map[string]any{"_wc_shipment_tracking_items": map[string]any{"2": item, "0": map[string]any{"tracking_number": "FIRST"}}}, []string{"FIRST", "1Z999AA10123456784"}, "ups", ""},
		{"aftership keys", map[string]any{"_aftership_tracking_number": "9400111899223197428490", "_aftership_tracking_provider": "usps"}, []string{"9400111899223197428490"}, "usps", ""},
		{"plain keys", map[string]any{"_tracking_number": json.Number("123456789012"), "_tracking_provider": "fedex", "_custom_tracking_link": "https://www.fedex.com/fedextrack/?trknbr=123456789012"}, []string{"123456789012"}, "fedex", "https://www.fedex.com/fedextrack/?trknbr=123456789012"},
		{"duplicate across keys", map[string]any{"_wc_shipment_tracking_items": []any{item}, "_tracking_number": "1Z999AA10123456784"}, []string{"1Z999AA10123456784"}, "ups", ""},
		{"unsafe link dropped", map[string]any{"_tracking_number": "X1", "_custom_tracking_link": "javascript:alert(1)"}, []string{"X1"}, "", ""},
		{"empty and null", map[string]any{"_wc_shipment_tracking_items": nil, "_tracking_number": ""}, nil, "", ""},
		{"no-op scalar", map[string]any{"_wc_shipment_tracking_items": json.Number("0")}, nil, "", ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			o, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) { setMeta(m, s.meta) }))
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, f := range o.Fulfillments {
				numbers = append(numbers, f.TrackingNumbers...)
			}
			if !reflect.DeepEqual(numbers, s.numbers) {
				t.Fatalf("numbers = %q, want %q", numbers, s.numbers)
			}
			if len(o.Fulfillments) > 0 {
				f := o.Fulfillments[len(o.Fulfillments)-1]
				if f.TrackingCompany != s.company {
					t.Errorf("company = %q", f.TrackingCompany)
				}
				gotURL := ""
				if len(f.TrackingURLs) > 0 {
					gotURL = f.TrackingURLs[0]
				}
				if gotURL != s.url {
					t.Errorf("url = %q", gotURL)
				}
			}
		})
	}
}

func TestTrackingMetaErrors(t *testing.T) {
	many := make([]any, model.MaxFulfillments+1)
	for i := range many {
		many[i] = map[string]any{"tracking_number": strings.Repeat("1", 5) + string(rune('A'+i%26)) + string(rune('A'+i/26))}
	}
	for name, v := range map[string]any{
		"not items":     []any{"just a string"},
		"too many":      many,
		"bad date":      []any{map[string]any{"tracking_number": "1", "date_shipped": "whenever"}},
		"date in 2500":  []any{map[string]any{"tracking_number": "1", "date_shipped": "16725225600"}},
		"object number": []any{map[string]any{"tracking_number": map[string]any{}}},
	} {
		_, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) {
			setMeta(m, map[string]any{"_wc_shipment_tracking_items": v})
		}))
		if err == nil || !strings.Contains(err.Error(), "_wc_shipment_tracking_items") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestAttributionPrecedence(t *testing.T) {
	o, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) {
		m["meta_data"] = []any{
			map[string]any{"key": "_utm_source", "value": "newsletter"},
			map[string]any{"key": "utm_medium", "value": "email"},
			map[string]any{"key": "_ad_angle", "value": "restock"},
			map[string]any{"key": "_wc_order_attribution_utm_medium", "value": "(none)"},
			map[string]any{"key": "_wc_order_attribution_session_entry", "value": "https://shop.example.de/?utm_source=x&utm_campaign=from_url"},
			map[string]any{"key": "_wc_order_attribution_utm_term", "value": []any{"not", "scalar"}},
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	a := o.Acquisition
	if a.Source != "newsletter" || a.Medium != "email" || a.AdAngle != "restock" || a.Campaign != "from_url" || a.Term != "" {
		t.Errorf("acquisition = %+v", a)
	}
}

func TestParseOrderHostile(t *testing.T) {
	big := strings.Repeat("名", 10<<10)
	scenarios := []struct {
		name    string
		body    []byte
		wantErr string
		field   string
	}{
		{name: "empty", body: []byte(""), wantErr: "empty body"},
		{name: "form body", body: []byte("webhook_id=17"), wantErr: "not a JSON object"},
		{name: "truncated", body: readFixture(t, "order_created.json")[:300], wantErr: "malformed JSON"},
		{name: "missing created", body: edit(t, "order_created.json", func(m map[string]any) { delete(m, "date_created_gmt"); delete(m, "date_created") }), wantErr: "date_created"},
		{name: "missing total", body: edit(t, "order_created.json", func(m map[string]any) { delete(m, "total") }), wantErr: "total"},
		{name: "missing currency", body: edit(t, "order_created.json", func(m map[string]any) { m["currency"] = "" }), wantErr: "currency"},
		{name: "total with comma", body: edit(t, "order_created.json", func(m map[string]any) { m["total"] = "64,20" }), wantErr: "field total"},
		{name: "price exponent", body: edit(t, "order_created.json", func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["price"] = json.Number("2.9e1")
		}), wantErr: "line_items[0].price"},
		{name: "billing not object", body: edit(t, "order_created.json", func(m map[string]any) { m["billing"] = "Lena" }), wantErr: "field billing"},
		{name: "meta not list", body: edit(t, "order_created.json", func(m map[string]any) { m["meta_data"] = map[string]any{} }), wantErr: "field meta_data"},
		{name: "too many meta", body: edit(t, "order_created.json", func(m map[string]any) {
			many := make([]any, maxMeta+1)
			for i := range many {
				many[i] = map[string]any{"key": "k", "value": "v"}
			}
			m["meta_data"] = many
		}), wantErr: "meta_data has"},
		{name: "zero quantity", body: edit(t, "order_created.json", func(m map[string]any) {
			m["line_items"].([]any)[0].(map[string]any)["quantity"] = json.Number("0")
		}), field: "items[0].quantity"},
		{name: "10 KB name", body: edit(t, "order_created.json", func(m map[string]any) { m["billing"].(map[string]any)["first_name"] = big }), field: "customer.first_name"},
		{name: "country name instead of code", body: edit(t, "order_created.json", func(m map[string]any) { m["shipping"].(map[string]any)["country"] = "Deutschland" }), field: "shipping_address.country"},
		{name: "fractional price rounds", body: edit(t, "order_created.json", func(m map[string]any) {
			m["line_items"].([]any)[1].(map[string]any)["price"] = json.Number("8.3333333333333339")
		})},
		{name: "ids as strings", body: edit(t, "order_created.json", func(m map[string]any) { m["id"] = "1187"; m["customer_id"] = "0" })},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			o, err := ParseOrder(s.body)
			var ve *model.ValidationError
			switch {
			case s.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), s.wantErr) || errors.As(err, &ve) {
					t.Fatalf("err = %v, want parse error %q", err, s.wantErr)
				}
			case s.field != "":
				if !errors.As(err, &ve) {
					t.Fatalf("want validation error, got %v", err)
				}
				found := false
				for _, f := range ve.Fields {
					found = found || f.Field == s.field
				}
				if !found {
					t.Errorf("fields = %+v, want %s", ve.Fields, s.field)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if s.name == "fractional price rounds" && o.Items[1].PriceCents != 833 {
					t.Errorf("price = %d", o.Items[1].PriceCents)
				}
				if s.name == "ids as strings" && (o.ExternalID != "1187" || o.Customer.ExternalID != "") {
					t.Errorf("ids = %q %q", o.ExternalID, o.Customer.ExternalID)
				}
			}
		})
	}
}

func TestParseOrderMissingPriceUsesSubtotal(t *testing.T) {
	o, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) {
		delete(m["line_items"].([]any)[1].(map[string]any), "price")
	}))
	if err != nil || o.Items[1].PriceCents != 850 {
		t.Errorf("price = %d, %v", o.Items[1].PriceCents, err)
	}
}

func TestParseOrderHTMLKeptAsData(t *testing.T) {
	o, err := ParseOrder(edit(t, "order_created.json", func(m map[string]any) {
		m["customer_note"] = "<img src=x onerror=alert(1)>\x00'; DELETE FROM orders;--"
		m["line_items"].([]any)[0].(map[string]any)["name"] = "&lt;b&gt;Bold&lt;/b&gt; apron"
	}))
	if err != nil {
		t.Fatal(err)
	}
	if o.Note != "<img src=x onerror=alert(1)>'; DELETE FROM orders;--" {
		t.Errorf("note = %q", o.Note)
	}
	if o.Items[0].Title != "<b>Bold</b> apron" {
		t.Errorf("title = %q", o.Items[0].Title)
	}
}
