package model

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func validOrder() Order {
	return Order{
		Source:     SourceAPI,
		ExternalID: "1001",
		Number:     "#1001",
		PlacedAt:   time.Date(2025, 3, 14, 14, 21, 7, 0, time.UTC),
		Currency:   "USD",
		TotalCents: 7499,
		Customer:   Customer{Email: "maya@example.com", Phone: "+1 (555) 555-0123", FirstName: "Maya"},
		ShippingAddress: Address{
			Name: "Maya Okafor", Line1: "12 Elm St", City: "Louisville", Region: "KY",
			PostalCode: "40202", Country: "US",
		},
		Items: []LineItem{{ExternalID: "1", SKU: "TOTE", Title: "Canvas Tote", Quantity: 1, PriceCents: 3800}},
		Fulfillments: []Fulfillment{{
			TrackingNumbers: []string{"9400111899223197428490"},
			TrackingURLs:    []string{"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490"},
		}},
		Tags: []string{"vip"},
	}
}

func fields(errs []FieldError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return out
}

func TestValidateOK(t *testing.T) {
	o := validOrder()
	if errs := o.Validate(); errs != nil {
		t.Fatalf("valid order rejected: %+v", errs)
	}
}

func TestValidateRules(t *testing.T) {
	long := strings.Repeat("é", 201)
	scenarios := []struct {
		name   string
		mutate func(o *Order)
		field  string
	}{
		{"unknown source", func(o *Order) { o.Source = "ebay" }, "source"},
		{"missing external id", func(o *Order) { o.ExternalID = "" }, "external_id"},
		{"missing number", func(o *Order) { o.Number = "" }, "number"},
		{"missing placed_at", func(o *Order) { o.PlacedAt = time.Time{} }, "placed_at"},
		{"placed in year 1", func(o *Order) { o.PlacedAt = time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC) }, "placed_at"},
		{"currency lower", func(o *Order) { o.Currency = "usd" }, "currency"},
		{"currency long", func(o *Order) { o.Currency = "USDT" }, "currency"},
		{"negative total", func(o *Order) { o.TotalCents = -1 }, "total_cents"},
		{"huge total", func(o *Order) { o.TotalCents = MaxMoneyMinor + 1 }, "total_cents"},
		{"long first name", func(o *Order) { o.Customer.FirstName = long }, "customer.first_name"},
		{"bad email", func(o *Order) { o.Customer.Email = "maya at example.com" }, "customer.email"},
		{"email with name", func(o *Order) { o.Customer.Email = "Maya <maya@example.com>" }, "customer.email"},
		{"email no dot", func(o *Order) { o.Customer.Email = "maya@localhost" }, "customer.email"},
		{"bad phone", func(o *Order) { o.Customer.Phone = "call me maybe" }, "customer.phone"},
		{"bad locale", func(o *Order) { o.Customer.Locale = "en US" }, "customer.locale"},
		{"country name", func(o *Order) { o.ShippingAddress.Country = "United States" }, "shipping_address.country"},
		{"zero quantity", func(o *Order) { o.Items[0].Quantity = 0 }, "items[0].quantity"},
		{"negative quantity", func(o *Order) { o.Items[0].Quantity = -2 }, "items[0].quantity"},
		{"negative price", func(o *Order) { o.Items[0].PriceCents = -1 }, "items[0].price_cents"},
		{"no title no sku", func(o *Order) { o.Items[0].Title, o.Items[0].SKU = "", "" }, "items[0].title"},
		{"too many items", func(o *Order) { o.Items = make([]LineItem, MaxLineItems+1) }, "items"},
		{"javascript tracking url", func(o *Order) { o.Fulfillments[0].TrackingURLs = []string{"javascript:alert(1)"} }, "fulfillments[0].tracking_urls[0]"},
		{"relative tracking url", func(o *Order) { o.Fulfillments[0].TrackingURLs = []string{"/track/1"} }, "fulfillments[0].tracking_urls[0]"},
		{"long tracking number", func(o *Order) { o.Fulfillments[0].TrackingNumbers = []string{strings.Repeat("1", 101)} }, "fulfillments[0].tracking_numbers[0]"},
		{"long note", func(o *Order) { o.Note = strings.Repeat("x", MaxNoteRunes+1) }, "note"},
		{"too many tags", func(o *Order) { o.Tags = make([]string, MaxTags+1) }, "tags"},
		{"long utm", func(o *Order) { o.Acquisition.Campaign = strings.Repeat("c", MaxUTMRunes+1) }, "acquisition.campaign"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			o := validOrder()
			s.mutate(&o)
			errs := o.Validate()
			if !slices.Contains(fields(errs), s.field) {
				t.Errorf("want error on %s, got %+v", s.field, errs)
			}
		})
	}
}

func TestValidationError(t *testing.T) {
	o := validOrder()
	o.Currency, o.Number, o.ExternalID, o.Items[0].Quantity = "", "", "", 0
	err := AsError(o.Validate())
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 4 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "and 1 more") {
		t.Errorf("message = %q", err.Error())
	}
	if AsError(nil) != nil {
		t.Error("AsError(nil) should be nil")
	}
}

func TestValidEmail(t *testing.T) {
	good := []string{"a@b.co", "maya.okafor+orders@example.com", "o'neil@example.ie", "用户@例子.广告"}
	bad := []string{"", "a", "a@b", "@b.co", "a@.co", "a@b..co", "a@b.co.", "a b@c.co", "<a@b.co>", "a@b.co\n", strings.Repeat("a", 65) + "@b.co", "a@" + strings.Repeat("b", 250) + ".co"}
	for _, s := range good {
		if !ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = true", s)
		}
	}
}

func TestCleanWebURLs(t *testing.T) {
	got := CleanWebURLs([]string{
		"https://tools.usps.com/go/x?tLabels=1",
		"www.ups.com/track?tracknum=1Z",
		"javascript:alert(1)",
		"/relative",
		"",
		"data:text/html,<b>x</b>",
		"http://example.com/ok",
	})
	want := []string{"https://tools.usps.com/go/x?tLabels=1", "https://www.ups.com/track?tracknum=1Z", "http://example.com/ok"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}
