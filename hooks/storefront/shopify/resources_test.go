package shopify

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"porchlight/hooks/storefront/model"
)

func TestParseFulfillment(t *testing.T) {
	f, err := ParseFulfillment(readFixture(t, "fulfillments_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.Fulfillment{
		ExternalID:      "4931234567890",
		OrderExternalID: "5820183011455",
		Status:          "success",
		TrackingNumbers: []string{"9400111899223197428490"},
		TrackingCompany: "USPS",
		TrackingURLs:    []string{"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490"},
		Service:         "manual",
		CreatedAt:       est("2025-03-15T09:12:30-04:00"),
		UpdatedAt:       est("2025-03-15T09:12:30-04:00"),
		LineItemIDs:     []string{"14123456789011", "14123456789012"},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got  %+v\nwant %+v", f, want)
	}

	u, err := ParseFulfillment(readFixture(t, "fulfillments_update.json"))
	if err != nil {
		t.Fatal(err)
	}
	if u.ShipmentStatus != "in_transit" || !u.UpdatedAt.After(f.UpdatedAt) {
		t.Errorf("update = %+v", u)
	}
}

func TestParseFulfillmentErrors(t *testing.T) {
	for name, body := range map[string][]byte{
		"missing order_id": edit(t, "fulfillments_create.json", func(m map[string]any) { delete(m, "order_id") }),
		"missing id":       edit(t, "fulfillments_create.json", func(m map[string]any) { m["id"] = "" }),
		"numbers object":   edit(t, "fulfillments_create.json", func(m map[string]any) { m["tracking_numbers"] = map[string]any{} }),
		"bad created_at":   edit(t, "fulfillments_create.json", func(m map[string]any) { m["created_at"] = "soon" }),
	} {
		if _, err := ParseFulfillment(body); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// 51 tracking numbers is a validation error, not a parse error.
	body := edit(t, "fulfillments_create.json", func(m map[string]any) {
		nums := make([]any, model.MaxTrackingNumbers+1)
		for i := range nums {
			nums[i] = strings.Repeat("9", 10) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		}
		m["tracking_numbers"] = nums
	})
	var ve *model.ValidationError
	if _, err := ParseFulfillment(body); !errors.As(err, &ve) {
		t.Errorf("want validation error, got %v", err)
	}
}

func TestParseFulfillmentEvent(t *testing.T) {
	e, err := ParseFulfillmentEvent(readFixture(t, "fulfillment_events_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.FulfillmentEvent{
		ExternalID:          "28123456789012",
		FulfillmentID:       "4931234567890",
		OrderExternalID:     "5820183011455",
		Status:              "in_transit",
		Message:             "Departed USPS Regional Facility",
		HappenedAt:          est("2025-03-16T07:40:00-04:00"),
		City:                "Louisville",
		Region:              "Kentucky",
		Country:             "United States",
		PostalCode:          "40231",
		EstimatedDeliveryAt: est("2025-03-18T20:00:00-04:00"),
		CreatedAt:           est("2025-03-16T07:45:09-04:00"),
	}
	if e != want {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}

	noHappened := edit(t, "fulfillment_events_create.json", func(m map[string]any) { m["happened_at"] = nil })
	if e, err := ParseFulfillmentEvent(noHappened); err != nil || !e.HappenedAt.Equal(want.CreatedAt) {
		t.Errorf("created_at fallback: %v %v", e.HappenedAt, err)
	}
	neither := edit(t, "fulfillment_events_create.json", func(m map[string]any) { delete(m, "happened_at"); delete(m, "created_at") })
	if _, err := ParseFulfillmentEvent(neither); err == nil || !strings.Contains(err.Error(), "happened_at") {
		t.Errorf("err = %v", err)
	}
	noStatus := edit(t, "fulfillment_events_create.json", func(m map[string]any) { delete(m, "status") })
	if _, err := ParseFulfillmentEvent(noStatus); err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("err = %v", err)
	}
}

func TestParseRefund(t *testing.T) {
	r, err := ParseRefund(readFixture(t, "refunds_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.Refund{
		Source:          model.SourceShopify,
		ExternalID:      "923456789012",
		OrderExternalID: "5820183011455",
		CreatedAt:       est("2025-03-20T13:05:00-04:00"),
		ProcessedAt:     est("2025-03-20T13:05:00-04:00"),
		Note:            "Mug arrived chipped; customer kept the other one.",
		Currency:        "USD",
		AmountCents:     1555,
		Items: []model.RefundItem{{
			LineItemID: "14123456789012", Quantity: 1, SubtotalCents: 1440, TaxCents: 115, RestockType: "no_restock",
		}},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
}

func TestParseRefundNumbersAndPendingTransactions(t *testing.T) {
	body := edit(t, "refunds_create.json", func(m map[string]any) {
		li := m["refund_line_items"].([]any)[0].(map[string]any)
		delete(li, "subtotal_set") // only the JSON number 14.4 is left
		delete(li, "total_tax_set")
		txs := m["transactions"].([]any)
		pending := map[string]any{"kind": "refund", "status": "pending", "amount": "99.00", "currency": "USD"}
		capture := map[string]any{"kind": "capture", "status": "success", "amount": "10.00", "currency": "USD"}
		m["transactions"] = append(txs, pending, capture)
	})
	r, err := ParseRefund(body)
	if err != nil {
		t.Fatal(err)
	}
	if r.AmountCents != 1555 || r.Items[0].SubtotalCents != 1440 || r.Items[0].TaxCents != 115 {
		t.Errorf("refund = %+v", r)
	}
}

func TestParseRefundErrors(t *testing.T) {
	for name, body := range map[string][]byte{
		"missing order":  edit(t, "refunds_create.json", func(m map[string]any) { delete(m, "order_id") }),
		"missing id":     edit(t, "refunds_create.json", func(m map[string]any) { delete(m, "id") }),
		"missing date":   edit(t, "refunds_create.json", func(m map[string]any) { delete(m, "created_at") }),
		"bad amount":     edit(t, "refunds_create.json", func(m map[string]any) { m["transactions"].([]any)[0].(map[string]any)["amount"] = "fifteen" }),
		"bad subtotal":   edit(t, "refunds_create.json", func(m map[string]any) { m["refund_line_items"].([]any)[0].(map[string]any)["subtotal_set"] = "x" }),
		"items not list": edit(t, "refunds_create.json", func(m map[string]any) { m["refund_line_items"] = 3 }),
	} {
		if _, err := ParseRefund(body); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseCustomer(t *testing.T) {
	c, err := ParseCustomer(readFixture(t, "customers_update.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := model.Customer{
		ExternalID: "7012345678901", Email: "maya.okafor@example.com", Phone: "+15025550123",
		FirstName: "Maya", LastName: "Okafor",
		AcceptsEmailMarketing: ptr(true), AcceptsSMSMarketing: ptr(true),
		UpdatedAt: est("2025-03-20T13:30:00-04:00"),
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestCustomerConsentStates(t *testing.T) {
	scenarios := []struct {
		consent any
		legacy  any
		want    *bool
	}{
		{map[string]any{"state": "subscribed"}, nil, ptr(true)},
		{map[string]any{"state": "SUBSCRIBED"}, nil, ptr(true)},
		{map[string]any{"state": "pending"}, nil, ptr(false)},
		{map[string]any{"state": "unsubscribed"}, true, ptr(false)},
		{map[string]any{"state": "redacted"}, nil, ptr(false)},
		{map[string]any{"state": nil}, nil, nil},
		{nil, nil, nil},
		{nil, true, ptr(true)},
		{nil, "false", ptr(false)},
	}
	for i, s := range scenarios {
		body := edit(t, "customers_update.json", func(m map[string]any) {
			m["email_marketing_consent"] = s.consent
			m["accepts_marketing"] = s.legacy
		})
		c, err := ParseCustomer(body)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !reflect.DeepEqual(c.AcceptsEmailMarketing, s.want) {
			t.Errorf("%d: consent %v legacy %v -> %v", i, s.consent, s.legacy, c.AcceptsEmailMarketing)
		}
	}
}

func TestParsePrivacy(t *testing.T) {
	dr, err := ParseDataRequest(readFixture(t, "customers_data_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantCustomer := PrivacyCustomer{ID: "7012345678901", Email: "maya.okafor@example.com", Phone: "+15025550123"}
	if dr.ShopID != "71234567890" || dr.ShopDomain != "porchlight-demo.myshopify.com" || dr.Customer != wantCustomer ||
		!reflect.DeepEqual(dr.OrdersRequested, []string{"5820183011455"}) || dr.DataRequestID != "9999" {
		t.Errorf("data request = %+v", dr)
	}
	cr, err := ParseCustomerRedact(readFixture(t, "customers_redact.json"))
	if err != nil {
		t.Fatal(err)
	}
	if cr.Customer != wantCustomer || !reflect.DeepEqual(cr.OrdersToRedact, []string{"5820183011455"}) {
		t.Errorf("redact = %+v", cr)
	}
	sr, err := ParseShopRedact(readFixture(t, "shop_redact.json"))
	if err != nil || (sr != ShopRedact{ShopID: "71234567890", ShopDomain: "porchlight-demo.myshopify.com"}) {
		t.Errorf("shop redact = %+v, %v", sr, err)
	}
}

func TestParsePrivacyErrors(t *testing.T) {
	many := make([]any, MaxPrivacyOrders+1)
	for i := range many {
		many[i] = json.Number("1")
	}
	scenarios := map[string]func() error{
		"no shop id": func() error {
			_, err := ParseShopRedact([]byte(`{"shop_domain":"x.myshopify.com"}`))
			return err
		},
		"no domain": func() error {
			_, err := ParseShopRedact([]byte(`{"shop_id":1}`))
			return err
		},
		"no customer": func() error {
			_, err := ParseCustomerRedact([]byte(`{"shop_id":1,"shop_domain":"x","orders_to_redact":[]}`))
			return err
		},
		"empty customer": func() error {
			_, err := ParseDataRequest([]byte(`{"shop_id":1,"shop_domain":"x","customer":{}}`))
			return err
		},
		"order id object": func() error {
			_, err := ParseCustomerRedact([]byte(`{"shop_id":1,"shop_domain":"x","customer":{"id":1},"orders_to_redact":[{}]}`))
			return err
		},
		"empty order id": func() error {
			_, err := ParseCustomerRedact([]byte(`{"shop_id":1,"shop_domain":"x","customer":{"id":1},"orders_to_redact":[""]}`))
			return err
		},
		"too many orders": func() error {
			_, err := ParseCustomerRedact(edit(t, "customers_redact.json", func(m map[string]any) { m["orders_to_redact"] = many }))
			return err
		},
	}
	for name, fn := range scenarios {
		if err := fn(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
