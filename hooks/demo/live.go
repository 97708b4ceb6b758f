package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers/simulator"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/timeline"
)

// Store seeds the demo store and keeps it alive: parcels move through their
// journeys and new orders arrive, all on the injected clock.
type Store struct {
	trk         *tracking.Tracker
	rng         *rand.Rand
	mu          sync.Mutex
	nextOrderAt time.Time
}

// NewStore returns a demo store whose randomness comes from seed, so a test
// (or two runs) with the same seed see the same store.
func NewStore(trk *tracking.Tracker, seed uint64) *Store {
	return &Store{trk: trk, rng: rand.New(rand.NewPCG(seed, seed^0x5eed))}
}

// How long the warehouse takes from order to handover, and how often a new
// order arrives (simulated time).
const (
	minHandover     = 18 * time.Hour
	maxHandover     = 44 * time.Hour
	meanOrderGap    = 4*time.Hour + 30*time.Minute
	lateHandoverPct = 3
)

// handoverAt is when an order placed at placed is given to the carrier.
// It is derived from the order's external id so a restart gives the same answer.
func handoverAt(externalID string, placed time.Time) time.Time {
	h := uint64(0)
	for _, c := range externalID {
		h = h*31 + uint64(c)
	}
	d := minHandover + time.Duration(h%uint64(maxHandover-minHandover))
	if h%100 < lateHandoverPct {
		d += 4 * 24 * time.Hour // the supplier was slow: "not shipped" delay
	}
	return placed.Add(d)
}

// fulfil ships order when its handover time has come: one parcel per
// supplier (a realistic source of split shipments), each with a carrier,
// a tracking number in that carrier's format and a scripted journey.
func (s *Store) fulfil(tx core.App, order *core.Record, now time.Time) (shipments, events int, err error) {
	o := schema.Orders
	at := handoverAt(order.GetString(o.ExternalID), order.GetDateTime(o.PlacedAt).Time())
	if at.After(now) {
		return 0, 0, nil
	}
	if n, err := tx.CountRecords(schema.CShipments, dbx.HashExp{schema.Shipments.Order: order.Id}); err != nil || n > 0 {
		return 0, 0, err
	}
	lines, err := tx.FindAllRecords(schema.COrderItems, dbx.HashExp{schema.OrderItems.Order: order.Id})
	if err != nil {
		return 0, 0, err
	}
	bySupplier := map[string][]string{}
	var suppliers []string
	for _, l := range lines {
		sup := supplierOf(l.GetString(schema.OrderItems.SKU))
		if _, ok := bySupplier[sup]; !ok {
			suppliers = append(suppliers, sup)
		}
		bySupplier[sup] = append(bySupplier[sup], l.Id)
	}
	sort.Strings(suppliers)
	col, err := tx.FindCachedCollectionByNameOrId(schema.CShipments)
	if err != nil {
		return 0, 0, err
	}
	ctry := countryOf(order.GetString(o.ShipCountry))
	for i, sup := range suppliers {
		sh := schema.Shipments
		carrier := pickValue(s.rng, ctry.Carriers)
		rec := core.NewRecord(col)
		rec.Set(sh.Order, order.Id)
		rec.Set(sh.Items, bySupplier[sup])
		rec.Set(sh.Carrier, carrier)
		rec.Set(sh.TrackingNumber, trackingNumber(s.rng, carrier))
		rec.Set(sh.Service, "Standard")
		rec.Set(sh.Status, "info_received")
		rec.Set(sh.Supplier, sup)
		rec.Set(sh.Source, simulator.Carrier)
		rec.Set(sh.ExternalID, fmt.Sprintf("%s-f%d", order.GetString(o.ExternalID), i+1))
		rec.Set(sh.Journey, pickValue(s.rng, journeyWeights))
		rec.Set(sh.ShippedAt, at.Add(time.Duration(i)*3*time.Hour))
		rec.Set(sh.NextPollAt, at.Add(time.Duration(i)*3*time.Hour))
		if err := tx.Save(rec); err != nil {
			return shipments, events, fmt.Errorf("demo shipment for %s: %w", order.GetString(o.Number), err)
		}
		shipments++
		n, err := s.advance(tx, rec, now)
		if err != nil {
			return shipments, events, err
		}
		events += n
	}
	order.Set(o.FulfillmentStatus, "fulfilled")
	if err := tx.Save(order); err != nil {
		return shipments, events, err
	}
	return shipments, events, tracking.UpdateOrderStatus(tx, order.Id)
}

// advance feeds a simulated parcel the scans its journey has reached by now
// and schedules its next poll at the following scan (none when done).
func (s *Store) advance(tx core.App, ship *core.Record, now time.Time) (int, error) {
	sh := schema.Shipments
	journey := ship.GetString(sh.Journey)
	shipped := ship.GetDateTime(sh.ShippedAt).Time()
	order, err := tx.FindRecordById(schema.COrders, ship.GetString(sh.Order))
	if err != nil {
		return 0, err
	}
	dest := order.GetString(schema.Orders.ShipCity) + ", " + order.GetString(schema.Orders.ShipCountry)
	scans, err := simulator.ScansAt(journey, shipped, now, dest)
	if err != nil {
		return 0, err
	}
	cps := make([]tracking.Checkpoint, len(scans))
	for i, sc := range scans {
		cps[i] = tracking.Checkpoint{RawStatus: sc.Raw, Event: timeline.Event{
			OccurredAt: sc.OccurredAt, Status: sc.Status, Substatus: sc.Substatus, Message: sc.Message,
			Location: sc.Location, Source: simulator.Carrier,
			DedupeKey: fmt.Sprintf("sim:%s:%d", ship.GetString(sh.TrackingNumber), sc.Seq),
		}}
	}
	res, err := s.trk.Record(tx, ship.Id, cps)
	if err != nil {
		return 0, err
	}
	fresh, err := tx.FindRecordById(schema.CShipments, ship.Id)
	if err != nil {
		return res.Inserted, err
	}
	next := ""
	if steps, _ := simulator.Script(journey); len(scans) < len(steps) {
		next = schema.DBTime(shipped.Add(steps[len(scans)].After))
	}
	if fresh.GetString(sh.NextPollAt) != next {
		fresh.Set(sh.NextPollAt, next)
		if err := tx.Save(fresh); err != nil {
			return res.Inserted, err
		}
	}
	return res.Inserted, nil
}

// TickStats says what one tick of the living store did.
type TickStats struct {
	NewOrders, Shipped, Advanced int
}

// Tick moves the demo store forward to now: parcels whose next scan is due
// advance, orders due for handover ship, and new orders arrive. It is safe to
// call as often as wanted; each piece is idempotent.
func (s *Store) Tick(app core.App, now time.Time) (TickStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st TickStats
	err := app.RunInTransaction(func(tx core.App) error {
		// 1. Parcels with a scan due.
		sh := schema.Shipments
		due, err := tx.FindRecordsByFilter(schema.CShipments,
			sh.Journey+" != '' && "+sh.NextPollAt+" != '' && "+sh.NextPollAt+" <= {:now}", sh.NextPollAt, 500, 0,
			dbx.Params{"now": schema.DBTime(now)})
		if err != nil {
			return err
		}
		for _, r := range due {
			if _, err := s.advance(tx, r, now); err != nil {
				return err
			}
			st.Advanced++
		}
		// 2. Orders waiting for handover.
		o := schema.Orders
		waiting, err := tx.FindRecordsByFilter(schema.COrders,
			o.Source+" = {:src} && "+o.Status+" = {:st}", o.PlacedAt, 500, 0,
			dbx.Params{"src": schema.SourceDemo, "st": schema.OrderUnfulfilled})
		if err != nil {
			return err
		}
		for _, r := range waiting {
			n, _, err := s.fulfil(tx, r, now)
			if err != nil {
				return err
			}
			if n > 0 {
				st.Shipped++
			}
		}
		// 3. New orders.
		n, err := s.arrivals(tx, now)
		st.NewOrders = n
		return err
	})
	if err != nil {
		return st, fmt.Errorf("demo tick: %w", err)
	}
	return st, nil
}

// arrivals creates the orders that arrived between the last one and now.
func (s *Store) arrivals(tx core.App, now time.Time) (int, error) {
	o := schema.Orders
	last, err := tx.FindRecordsByFilter(schema.COrders, o.Source+" = {:src}", "-"+o.PlacedAt, 1, 0, dbx.Params{"src": schema.SourceDemo})
	if err != nil || len(last) == 0 {
		return 0, err
	}
	lastAt := last[0].GetDateTime(o.PlacedAt).Time()
	if s.nextOrderAt.IsZero() || s.nextOrderAt.Before(lastAt) {
		s.nextOrderAt = lastAt.Add(s.gap())
	}
	total, err := tx.CountRecords(schema.COrders, dbx.HashExp{o.Source: schema.SourceDemo})
	if err != nil {
		return 0, err
	}
	created := 0
	for !s.nextOrderAt.After(now) && created < 50 {
		var c customer
		if s.rng.IntN(100) < 30 {
			c, err = s.existingCustomer(tx)
		} else {
			var ncust int64
			if ncust, err = tx.CountRecords(schema.CCustomers); err == nil {
				c, err = s.newCustomer(tx, int(ncust), now)
			}
		}
		if err != nil {
			return created, err
		}
		if _, err := s.createOrder(tx, 1001+int(total)+created, c, s.nextOrderAt); err != nil {
			return created, err
		}
		created++
		s.nextOrderAt = s.nextOrderAt.Add(s.gap())
	}
	return created, nil
}

func (s *Store) gap() time.Duration {
	return time.Duration(s.rng.ExpFloat64() * float64(meanOrderGap))
}

func (s *Store) existingCustomer(tx core.App) (customer, error) {
	f := schema.Customers
	n, err := tx.CountRecords(schema.CCustomers, dbx.HashExp{f.Source: schema.SourceDemo})
	if err != nil || n == 0 {
		return customer{}, fmt.Errorf("demo: no customers to reuse: %v", err)
	}
	recs, err := tx.FindRecordsByFilter(schema.CCustomers, f.Source+" = {:s}", "created", 1, s.rng.IntN(int(n)), dbx.Params{"s": schema.SourceDemo})
	if err != nil || len(recs) == 0 {
		return customer{}, fmt.Errorf("demo: pick customer: %v", err)
	}
	rec := recs[0]
	ctry := countryOf(rec.GetString(f.Country))
	acq := 0
	for i, a := range acquisitions {
		if a.Source == rec.GetString(f.AcqSource) {
			acq = i
		}
	}
	return customer{rec: rec, country: ctry, city: ctry.Cities[s.rng.IntN(len(ctry.Cities))], acqIdx: acq, angle: rec.GetString(f.AdAngle)}, nil
}

func supplierOf(sku string) string {
	for _, p := range catalogue {
		if p.SKU == sku {
			return p.Supplier
		}
	}
	return supGoods
}

func countryOf(code string) country {
	for _, c := range countries {
		if c.Code == code {
			return c
		}
	}
	return countries[0]
}
