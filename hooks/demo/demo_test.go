package demo

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers/detect"
	"porchlight/hooks/carriers/simulator"
	"porchlight/hooks/clock"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/status"
)

var seedNow = time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)

func newStore(t *testing.T) (*Store, core.App) {
	app := testapp.New(t)
	trk := tracking.Register(app, tracking.Deps{Clock: clock.NewFixed(seedNow)})
	return NewStore(trk, 42), app
}

func count(t *testing.T, app core.App, col string, exp ...dbx.Expression) int {
	t.Helper()
	n, err := app.CountRecords(col, exp...)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func distinct(t *testing.T, app core.App, col, field string) map[string]int {
	t.Helper()
	recs, err := app.FindAllRecords(col)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range recs {
		out[r.GetString(field)]++
	}
	return out
}

func TestSeedProducesTheDocumentedStoreOnce(t *testing.T) {
	s, app := newStore(t)
	st, err := s.Seed(app, seedNow)
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped || st.Orders != SeedOrders || st.Customers != SeedCustomers || st.Products != len(catalogue) {
		t.Fatalf("stats = %+v", st)
	}
	if n := count(t, app, schema.COrders); n != SeedOrders {
		t.Fatalf("orders = %d, want %d", n, SeedOrders)
	}
	if n := count(t, app, schema.CProducts); n < 18 || n > 22 {
		t.Fatalf("products = %d, want about 20", n)
	}
	if n := count(t, app, schema.CCustomers); n < 250 || n > 350 {
		t.Fatalf("customers = %d, want about 300", n)
	}
	types := distinct(t, app, schema.CProducts, schema.Products.ProductType)
	for _, pt := range schema.ProductTypes {
		if types[pt] == 0 {
			t.Errorf("no product of type %s", pt)
		}
	}
	if sup := distinct(t, app, schema.CProducts, schema.Products.Supplier); len(sup) != 3 {
		t.Errorf("suppliers = %v, want 3", sup)
	}
	if c := distinct(t, app, schema.COrders, schema.Orders.ShipCountry); len(c) < 5 {
		t.Errorf("countries = %v, want at least 5", c)
	}
	if a := distinct(t, app, schema.COrders, schema.Orders.AcqSource); len(a) < 5 {
		t.Errorf("acquisition sources = %v", a)
	}
	if a := distinct(t, app, schema.COrders, schema.Orders.AdAngle); len(a) < 4 {
		t.Errorf("ad angles = %v", a)
	}
	carriers := distinct(t, app, schema.CShipments, schema.Shipments.Carrier)
	if len(carriers) < 5 {
		t.Errorf("carriers = %v, want several", carriers)
	}
	journeys := distinct(t, app, schema.CShipments, schema.Shipments.Journey)
	for _, j := range simulator.Journeys {
		if journeys[j] == 0 {
			t.Errorf("no shipment on journey %s (%v)", j, journeys)
		}
	}
	// Orders span the last 60 days.
	recs, _ := app.FindRecordsByFilter(schema.COrders, "", schema.Orders.PlacedAt, 1, 0)
	if first := recs[0].GetDateTime(schema.Orders.PlacedAt).Time(); seedNow.Sub(first) < 55*24*time.Hour {
		t.Errorf("oldest order %v is not ~60 days old", first)
	}
	// Every parcel of a shipped order has events, and statuses are varied.
	statuses := distinct(t, app, schema.CShipments, schema.Shipments.Status)
	for _, want := range []status.Status{status.InTransit, status.Delivered, status.Exception} {
		if statuses[string(want)] == 0 {
			t.Errorf("no shipment %s in %v", want, statuses)
		}
	}
	// Tracking numbers are real formats of the carrier they claim.
	ships, _ := app.FindAllRecords(schema.CShipments)
	for _, sh := range ships {
		m, ok := detect.Best(sh.GetString(schema.Shipments.TrackingNumber))
		if !ok || m.Carrier != sh.GetString(schema.Shipments.Carrier) {
			t.Errorf("tracking number %s detected as %+v, want carrier %s", sh.GetString(schema.Shipments.TrackingNumber), m, sh.GetString(schema.Shipments.Carrier))
		}
	}

	// A second run adds nothing.
	before := map[string]int{}
	for _, c := range schema.All {
		before[c] = count(t, app, c)
	}
	st2, err := NewStore(s.trk, 7).Seed(app, seedNow.Add(time.Hour))
	if err != nil || !st2.Skipped {
		t.Fatalf("second seed = %+v, %v; want skipped", st2, err)
	}
	for _, c := range schema.All {
		if n := count(t, app, c); n != before[c] {
			t.Errorf("%s: %d records after second seed, had %d", c, n, before[c])
		}
	}
}

// Under a fixed clock the simulated carrier moves one parcel per journey
// through the statuses its script promises.
func TestSimulatedCarrierFollowsEachJourney(t *testing.T) {
	s, app := newStore(t)
	ocol, _ := app.FindCachedCollectionByNameOrId(schema.COrders)
	order := core.NewRecord(ocol)
	order.Set(schema.Orders.Source, schema.SourceAPI)
	order.Set(schema.Orders.ExternalID, "journeys")
	order.Set(schema.Orders.Number, "#J1")
	order.Set(schema.Orders.ShipCity, "Austin")
	if err := app.Save(order); err != nil {
		t.Fatal(err)
	}
	col, _ := app.FindCachedCollectionByNameOrId(schema.CShipments)
	shipped := seedNow.Add(time.Hour)
	ids := map[string]string{}
	for i, j := range simulator.Journeys {
		r := core.NewRecord(col)
		sh := schema.Shipments
		r.Set(sh.Order, order.Id)
		r.Set(sh.Carrier, "simulator")
		r.Set(sh.TrackingNumber, "SIMTEST"+string(rune('A'+i)))
		r.Set(sh.Journey, j)
		r.Set(sh.ShippedAt, shipped)
		r.Set(sh.NextPollAt, shipped)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
		ids[j] = r.Id
	}
	statusOf := func(j string) status.Status {
		r, err := app.FindRecordById(schema.CShipments, ids[j])
		if err != nil {
			t.Fatal(err)
		}
		return status.Status(r.GetString(schema.Shipments.Status))
	}
	checkpoints := []struct {
		after time.Duration
		want  map[string]status.Status
	}{
		{2 * time.Hour, map[string]status.Status{simulator.OnTime: status.InfoReceived, simulator.Late: status.InfoReceived}},
		{12 * time.Hour, map[string]status.Status{simulator.OnTime: status.InTransit, simulator.Stalled: status.InTransit}},
		{42 * time.Hour, map[string]status.Status{simulator.ExceptionRecovered: status.Exception, simulator.PrematureDelivered: status.Delivered}},
		{66 * time.Hour, map[string]status.Status{simulator.OnTime: status.OutForDelivery, simulator.Pickup: status.AvailableForPickup}},
		{70 * time.Hour, map[string]status.Status{simulator.OnTime: status.Delivered, simulator.ReturnedToSender: status.AttemptFail}},
		{80 * time.Hour, map[string]status.Status{simulator.ExceptionRecovered: status.InTransit, simulator.Late: status.InTransit}},
		{30 * 24 * time.Hour, map[string]status.Status{
			simulator.OnTime: status.Delivered, simulator.Late: status.Delivered, simulator.Stalled: status.InTransit,
			simulator.ExceptionRecovered: status.Delivered, simulator.ReturnedToSender: status.Exception,
			simulator.PrematureDelivered: status.Delivered, simulator.Pickup: status.AvailableForPickup,
		}},
	}
	for _, cp := range checkpoints {
		now := shipped.Add(cp.after)
		if _, err := s.Tick(app, now); err != nil {
			t.Fatal(err)
		}
		for j, want := range cp.want {
			if got := statusOf(j); got != want {
				t.Errorf("%s at +%v: status %s, want %s", j, cp.after, got, want)
			}
		}
	}
	// Finished journeys are no longer polled; ticking again changes nothing.
	r, _ := app.FindRecordById(schema.CShipments, ids[simulator.OnTime])
	if r.GetString(schema.Shipments.NextPollAt) != "" {
		t.Errorf("finished journey still scheduled at %s", r.GetString(schema.Shipments.NextPollAt))
	}
	ours := dbx.NewExp("tracking_number LIKE 'SIMTEST%'")
	n := count(t, app, schema.CTrackingEvents, ours)
	if _, err := s.Tick(app, shipped.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if m := count(t, app, schema.CTrackingEvents, ours); m != n {
		t.Errorf("re-tick added %d events", m-n)
	}
}

func TestTickKeepsTheStoreAlive(t *testing.T) {
	s, app := newStore(t)
	if _, err := s.Seed(app, seedNow); err != nil {
		t.Fatal(err)
	}
	orders := count(t, app, schema.COrders)
	events := count(t, app, schema.CTrackingEvents)
	var total TickStats
	for h := 4; h <= 48; h += 4 {
		st, err := s.Tick(app, seedNow.Add(time.Duration(h)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		total.NewOrders += st.NewOrders
		total.Shipped += st.Shipped
		total.Advanced += st.Advanced
	}
	if total.NewOrders < 3 || total.Shipped < 3 || total.Advanced < 20 {
		t.Fatalf("two simulated days did too little: %+v", total)
	}
	if count(t, app, schema.COrders) != orders+total.NewOrders {
		t.Fatal("order count does not match reported arrivals")
	}
	if count(t, app, schema.CTrackingEvents) <= events {
		t.Fatal("no new tracking events")
	}
}
