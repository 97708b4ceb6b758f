package notify_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/token"
)

// order creates a customer's order with one product of the given type.
func (e *env) orderFor(t *testing.T, cust *core.Record, ext string, totalCents int, ptype string, placed time.Time) *core.Record {
	t.Helper()
	o, p, oi := schema.Orders, schema.Products, schema.OrderItems
	prod, err := e.app.FindFirstRecordByData(schema.CProducts, p.SKU, "SKU-"+ptype)
	if err != nil {
		prod = e.save(t, schema.CProducts, map[string]any{p.SKU: "SKU-" + ptype, p.Title: "Thing " + ptype, p.ProductType: ptype})
	}
	var ord *core.Record
	// Like the storefront: the order and its lines in one transaction.
	must(t, e.app.RunInTransaction(func(tx core.App) error {
		oc, _ := tx.FindCachedCollectionByNameOrId(schema.COrders)
		ord = core.NewRecord(oc)
		for k, v := range map[string]any{o.Source: schema.SourceAPI, o.ExternalID: ext, o.Number: "#" + ext,
			o.Customer: cust.Id, o.Email: cust.GetString(schema.Customers.Email), o.PlacedAt: placed, o.Currency: "USD",
			o.TotalCents: totalCents, o.Status: schema.OrderUnfulfilled, o.ShipCountry: "US", o.ShipRegion: "NY", o.AccessToken: token.New()} {
			ord.Set(k, v)
		}
		if err := tx.Save(ord); err != nil {
			return err
		}
		ic, _ := tx.FindCachedCollectionByNameOrId(schema.COrderItems)
		it := core.NewRecord(ic)
		it.Set(oi.Order, ord.Id)
		it.Set(oi.Product, prod.Id)
		it.Set(oi.Title, "Thing")
		it.Set(oi.Quantity, 1)
		return tx.Save(it)
	}))
	return ord
}

func (e *env) newCustomer(t *testing.T, i int) *core.Record {
	cu := schema.Customers
	return e.save(t, schema.CCustomers, map[string]any{cu.Email: fmt.Sprintf("c%02d@example.com", i), cu.FirstName: "C",
		cu.EmailMarketing: true, cu.UnsubscribeToken: token.New()})
}

// A/B variants: weighted, stable per customer across orders, and results
// per variant (sent, delivered, clicked through our tracked links, orders
// within 90 days).
func TestABVariants(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	f := schema.Flows
	fl, err := e.app.FindFirstRecordByData(schema.CFlows, f.Name, "Order confirmation (email)")
	must(t, err)
	fl.Set(f.Variants, []notify.FlowVariant{{Key: "a", Weight: 1, TemplateKey: "order_confirmed"}, {Key: "b", Weight: 1, TemplateKey: "order_confirmed_b"}})
	must(t, e.app.Save(fl))
	tp := schema.Templates
	e.save(t, schema.CTemplates, map[string]any{tp.Key: "order_confirmed_b", tp.Channel: schema.ChannelEmail, tp.Locale: "en",
		tp.Subject: "Order {{order.number}} is in!", tp.Body: "Hi {{customer.first_name}}, [see it]({{links.tracking}})"})

	m := schema.Messages
	variantOf := map[string]string{}
	count := map[string]int{}
	var custs []*core.Record
	for i := range 24 {
		c := e.newCustomer(t, i)
		custs = append(custs, c)
		ord := e.orderFor(t, c, fmt.Sprintf("A%02d", i), 3000, schema.TypeSimple, t0)
		msg := e.byKey(t, notify.IdempotencyKey(ord.Id, schema.TrigOrderConfirmed, schema.ChannelEmail))
		variantOf[c.Id] = msg.GetString(m.Variant)
		count[msg.GetString(m.Variant)]++
	}
	if count["a"] == 0 || count["b"] == 0 || count["a"]+count["b"] != 24 {
		t.Fatalf("variant split %v", count)
	}
	// A second order of the same customer gets the same arm.
	for i, c := range custs[:6] {
		ord := e.orderFor(t, c, fmt.Sprintf("B%02d", i), 3000, schema.TypeSimple, t0.Add(time.Hour))
		if v := e.byKey(t, notify.IdempotencyKey(ord.Id, schema.TrigOrderConfirmed, schema.ChannelEmail)).GetString(m.Variant); v != variantOf[c.Id] {
			t.Errorf("customer %s: variant %q then %q", c.Id, variantOf[c.Id], v)
		}
	}
	e.clk.Set(t0.Add(2 * time.Hour))
	e.dispatch(t)

	// Variant b renders its own template; links go through /c/.
	var bMsg, aMsg *core.Record
	for _, r := range e.messages(t, dbx.HashExp{m.Flow: fl.Id}) {
		switch r.GetString(m.Variant) {
		case "b":
			bMsg = r
		case "a":
			aMsg = r
		}
	}
	if !strings.HasPrefix(bMsg.GetString(m.Subject), "Order #") || !strings.Contains(bMsg.GetString(m.BodyHTML), "https://track.shop.example/c/"+bMsg.Id+"/0") {
		t.Fatalf("variant b: subject %q html %s", bMsg.GetString(m.Subject), bMsg.GetString(m.BodyHTML))
	}
	h := testapp.Handler(t, e.app)
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/c/"+bMsg.Id+"/0", nil))
	if rr.Code != http.StatusFound || !strings.HasPrefix(rr.Header().Get("Location"), "https://track.shop.example/t/") {
		t.Fatalf("click = %d → %q", rr.Code, rr.Header().Get("Location"))
	}
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/c/"+bMsg.Id+"/99", nil))
	if loc := rr.Header().Get("Location"); rr.Code != http.StatusFound || loc != "https://track.shop.example/track" {
		t.Errorf("bad link index = %d → %q (must not be an open redirect)", rr.Code, loc)
	}
	// A later order by a variant-a customer, within 90 days.
	for _, c := range custs {
		if c.Id == aMsg.GetString(m.Customer) {
			e.orderFor(t, c, "LATER", 5000, schema.TypeSimple, t0.Add(30*24*time.Hour))
		}
	}

	res, err := notify.Results(e.app, fl.Id)
	must(t, err)
	by := map[string]notify.VariantResult{}
	for _, r := range res {
		by[r.Variant] = r
	}
	sentA, sentB := 0, 0
	for _, c := range custs[:6] {
		if variantOf[c.Id] == "a" {
			sentA++
		} else {
			sentB++
		}
	}
	if by["a"].Sent != count["a"]+sentA || by["b"].Sent != count["b"]+sentB {
		t.Errorf("sent a=%d b=%d, want %d %d", by["a"].Sent, by["b"].Sent, count["a"]+sentA, count["b"]+sentB)
	}
	if by["b"].Clicked != 1 || by["a"].Clicked != 0 {
		t.Errorf("clicked %+v", res)
	}
	// The variant-a customer's first-order message saw the later order (and
	// the second order, an hour later, if it had one).
	if by["a"].Orders90d < 1 {
		t.Errorf("orders within 90 days %+v", res)
	}
}

// Conditions pick the flow: order value, first vs repeat order, product type.
func TestFlowConditions(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	f := schema.Flows
	yes, no := true, false
	vip := e.save(t, schema.CFlows, map[string]any{f.Name: "VIP confirmation", f.Trigger: schema.TrigOrderConfirmed, f.Channel: schema.ChannelEmail,
		f.Category: schema.Transactional, f.Active: true, f.Priority: 10, f.TemplateKey: "order_confirmed",
		f.Conditions: notify.Conditions{MinTotalCents: 10000, FirstOrder: &no}})
	first := e.save(t, schema.CFlows, map[string]any{f.Name: "Welcome", f.Trigger: schema.TrigOrderConfirmed, f.Channel: schema.ChannelEmail,
		f.Category: schema.Transactional, f.Active: true, f.Priority: 5, f.TemplateKey: "order_confirmed",
		f.Conditions: notify.Conditions{FirstOrder: &yes, ProductTypes: []string{schema.TypeGift}}})
	def, err := e.app.FindFirstRecordByData(schema.CFlows, f.Name, "Order confirmation (email)")
	must(t, err)

	c := e.newCustomer(t, 1)
	flowOf := func(ord *core.Record) string {
		return e.byKey(t, notify.IdempotencyKey(ord.Id, schema.TrigOrderConfirmed, schema.ChannelEmail)).GetString(schema.Messages.Flow)
	}
	cases := []struct {
		name  string
		total int
		ptype string
		want  string
	}{
		{"first order, gift", 20000, schema.TypeGift, first.Id},
		{"repeat, big", 20000, schema.TypeSimple, vip.Id},
		{"repeat, small", 2000, schema.TypeGift, def.Id},
	}
	for i, tc := range cases {
		ord := e.orderFor(t, c, fmt.Sprintf("C%d", i), tc.total, tc.ptype, t0.Add(time.Duration(i)*time.Hour))
		if got := flowOf(ord); got != tc.want {
			t.Errorf("%s: flow %s, want %s", tc.name, got, tc.want)
		}
	}
	// Tips are only for the product types the flow names.
	s := e.save(t, schema.CShipments, map[string]any{schema.Shipments.Order: e.orderFor(t, c, "D1", 1000, schema.TypeSimple, t0).Id,
		schema.Shipments.Carrier: "ups", schema.Shipments.TrackingNumber: "1Z999AA10123456700", schema.Shipments.Status: "delivered",
		schema.Shipments.DeliveredAt: t0})
	if n, _ := e.app.CountRecords(schema.CMessages, dbx.HashExp{schema.Messages.Shipment: s.Id, schema.Messages.Trigger: schema.TrigPostDeliveryTips}); n != 0 {
		t.Errorf("tips scheduled for a simple product")
	}
}
