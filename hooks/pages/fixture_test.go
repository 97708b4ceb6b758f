package pages

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/schema"
	"porchlight/hooks/startup"
	"porchlight/hooks/testapp"
	"porchlight/hooks/token"
	pbpublic "porchlight/pb_public"
	"porchlight/templates"
)

var testNow = time.Date(2026, 10, 6, 15, 0, 0, 0, time.UTC)

// site is a real app with the pages capability and a handler over its
// router.
type site struct {
	t   *testing.T
	app core.App
	h   http.Handler
	p   *Pages
}

func newSite(t *testing.T, limits Limits) *site {
	t.Helper()
	app := testapp.New(t)
	if err := startup.SeedGuides(app, content.FS); err != nil {
		t.Fatal(err)
	}
	p, err := Register(app, Deps{Clock: clock.NewFixed(testNow), Templates: templates.FS, Public: pbpublic.FS, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	return &site{t: t, app: app, h: testapp.Handler(t, app), p: p}
}

func (s *site) rec(col string, fields map[string]any) *core.Record {
	s.t.Helper()
	c, err := s.app.FindCachedCollectionByNameOrId(col)
	if err != nil {
		s.t.Fatal(err)
	}
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := s.app.Save(r); err != nil {
		s.t.Fatalf("save %s: %v", col, err)
	}
	return r
}

// orderSpec describes a test order; each parcel is one shipment.
type orderSpec struct {
	Number, Email, Postal, CustomerName string
	ItemTitle                           string
	Parcels                             []parcelSpec
}

type parcelSpec struct {
	Carrier, Number, Status, Substatus string
	Delayed                            bool
	DelayReason                        string
	EDDMin, EDDMax                     string // YYYY-MM-DD
	EDDHistory                         string // JSON
	DeliveredAt                        string
	EventMessage, EventLocation        string
}

func (s *site) brand(fields map[string]any) *core.Record {
	base := map[string]any{schema.Brand.Name: "Ember & Oak", schema.Brand.SupportEmail: "help@ember.test", schema.Brand.Timezone: "America/New_York", schema.Brand.Locale: "en"}
	for k, v := range fields {
		base[k] = v
	}
	return s.rec(schema.CBrand, base)
}

func (s *site) order(spec orderSpec) *core.Record {
	s.t.Helper()
	if spec.Email == "" {
		spec.Email = "ana" + spec.Number + "@example.com"
	}
	if spec.Postal == "" {
		spec.Postal = "10001"
	}
	if spec.CustomerName == "" {
		spec.CustomerName = "Ana"
	}
	if spec.ItemTitle == "" {
		spec.ItemTitle = "Espresso Machine Duo"
	}
	cu := schema.Customers
	customer := s.rec(schema.CCustomers, map[string]any{cu.Email: spec.Email, cu.FirstName: spec.CustomerName, cu.Timezone: "America/New_York", cu.Locale: "en"})
	pr := schema.Products
	product := s.rec(schema.CProducts, map[string]any{pr.SKU: "ESP-" + spec.Number, pr.Title: spec.ItemTitle, pr.ProductType: schema.TypeSetupHeavy, pr.GuideSlug: "espresso-setup", pr.PriceCents: 34900})
	s.rec(schema.CProducts, map[string]any{pr.SKU: "BEANS-" + spec.Number, pr.Title: "House Blend Beans", pr.ProductType: schema.TypeConsumable, pr.PriceCents: 1800})
	o := schema.Orders
	order := s.rec(schema.COrders, map[string]any{
		o.Source: schema.SourceAPI, o.ExternalID: "ext-" + spec.Number, o.Number: spec.Number, o.Customer: customer.Id,
		o.Email: spec.Email, o.PlacedAt: testNow.Add(-72 * time.Hour), o.Currency: "USD", o.TotalCents: 34900,
		o.ShipName: spec.CustomerName + " Lovelace", o.ShipLine1: "12 Secret Street", o.ShipCity: "New York", o.ShipPostal: spec.Postal, o.ShipCountry: "US",
		o.AccessToken: token.New(), o.GiftToken: token.New(),
	})
	oi := schema.OrderItems
	s.rec(schema.COrderItems, map[string]any{oi.Order: order.Id, oi.Product: product.Id, oi.Title: spec.ItemTitle, oi.Quantity: 1, oi.PriceCents: 34900})
	sh, te := schema.Shipments, schema.TrackingEvents
	for i, ps := range spec.Parcels {
		if ps.Carrier == "" {
			ps.Carrier = "ups"
		}
		if ps.Number == "" {
			ps.Number = "1Z999AA1" + spec.Number + "5678" + string(rune('0'+i))
		}
		f := map[string]any{sh.Order: order.Id, sh.Carrier: ps.Carrier, sh.TrackingNumber: ps.Number, sh.Status: ps.Status,
			sh.Substatus: ps.Substatus, sh.Delayed: ps.Delayed, sh.DelayReason: ps.DelayReason, sh.ShippedAt: testNow.Add(-48 * time.Hour)}
		if ps.EDDMin != "" {
			f[sh.EDDMin] = ps.EDDMin + " 00:00:00.000Z"
			f[sh.EDDMax] = ps.EDDMax + " 00:00:00.000Z"
		}
		if ps.EDDHistory != "" {
			f[sh.EDDHistory] = ps.EDDHistory
		}
		if ps.DeliveredAt != "" {
			f[sh.DeliveredAt] = ps.DeliveredAt
		}
		if ps.Carrier == "ups" {
			f[sh.TrackingURL] = "https://www.ups.com/track?tracknum=" + ps.Number
		}
		ship := s.rec(schema.CShipments, f)
		msg := ps.EventMessage
		if msg == "" {
			msg = "Departed facility"
		}
		s.rec(schema.CTrackingEvents, map[string]any{te.Shipment: ship.Id, te.OccurredAt: testNow.Add(-24 * time.Hour), te.Status: ps.Status,
			te.Message: msg, te.Location: ps.EventLocation, te.DedupeKey: ship.Id + "-1"})
	}
	return order
}

type resp struct {
	Code   int
	Header http.Header
	Body   string
}

func (s *site) do(method, target string, form url.Values, header ...string) resp {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "RemoteAddr" {
			req.RemoteAddr = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

func (s *site) get(target string, header ...string) resp {
	return s.do(http.MethodGet, target, nil, header...)
}

func mustContain(t *testing.T, r resp, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.Body, w) {
			t.Errorf("page (status %d) lacks %q\n%s", r.Code, w, r.Body)
		}
	}
}

func mustNotContain(t *testing.T, r resp, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(r.Body, w) {
			t.Errorf("page shows %q but must not", w)
		}
	}
}
