// Package tracking keeps every checkpoint of every parcel and derives each
// shipment's status from them: events are stored once (unique dedupe key),
// the status is recomputed from the whole history ordered by the events' own
// time, so duplicates and late arrivals never move a parcel backwards.
package tracking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"porchlight/hooks/brand"
	"porchlight/hooks/carriers"
	"porchlight/hooks/clock"
	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/edd"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// Deps is what the tracking capability needs.
type Deps struct {
	Clock clock.Clock
	// Inbox receives carrier webhooks; nil binds no webhook routes.
	Inbox *inbox.Inbox
	// Adapters are the tracking providers by name (webhook sources and
	// pollers), see DefaultAdapters.
	Adapters []carriers.Adapter
	// Tracker names the adapter new shipments are registered with ("" =
	// none: they are tracked by pushes and manual events only).
	Tracker string
	// PollWorkers bounds concurrent provider calls (default 4).
	PollWorkers int
	// Rules are the EDD tables (nil = edd.DefaultRules()).
	Rules *edd.Rules
}

// Tracker records checkpoints and derives shipment and order status, EDD
// and delay flags.
type Tracker struct {
	clock    clock.Clock
	adapters map[string]carriers.Adapter
	tracker  string
	workers  int
	rules    edd.Rules
	unknown  status.UnknownReporter
	lanes    laneCache
}

// New returns a Tracker without binding anything (tests of pure paths).
func New(d Deps) *Tracker {
	t := &Tracker{clock: d.Clock, adapters: map[string]carriers.Adapter{}, tracker: d.Tracker, workers: d.PollWorkers}
	if t.clock == nil {
		t.clock = clock.Real{}
	}
	if t.workers <= 0 {
		t.workers = 4
	}
	if d.Rules != nil {
		t.rules = *d.Rules
	} else {
		t.rules = edd.DefaultRules()
	}
	for _, a := range d.Adapters {
		t.adapters[a.Name()] = a
	}
	return t
}

// Register wires the tracking capability (shipment hooks, webhook routes
// through the inbox, the delay cron and the polling scheduler) and returns
// its API for other capabilities (storefront, carriers, demo).
func Register(app core.App, d Deps) *Tracker {
	t := New(d)
	brand.Register(app) // every event reads the brand's policies
	t.bindHooks(app)
	if d.Inbox != nil {
		t.bindWebhooks(app, d.Inbox)
	}
	app.Cron().MustAdd("porchlightDelays", "*/10 * * * *", func() {
		if _, err := t.CheckDelays(app, t.clock.Now()); err != nil {
			app.Logger().Error("tracking: delay check", "err", err)
		}
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		ctx, cancel := context.WithCancel(context.Background())
		go t.runScheduler(ctx, se.App)
		se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
			cancel()
			return e.Next()
		})
		return se.Next()
	})
	return t
}

// Checkpoint is one carrier scan as received from any source.
type Checkpoint struct {
	timeline.Event
	RawStatus string
}

// Result says what recording did.
type Result struct {
	Inserted int           // new checkpoints stored
	Changed  bool          // the shipment's derived state changed
	Status   status.Status // the shipment's status afterwards
}

// Record stores the checkpoints of one shipment (skipping ones already held)
// and re-derives the shipment's and its order's status, all in one
// transaction. Calling it again with the same checkpoints changes nothing.
func (t *Tracker) Record(app core.App, shipmentID string, cps []Checkpoint) (Result, error) {
	var res Result
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		ship, err := tx.FindRecordById(schema.CShipments, shipmentID)
		if err != nil {
			return err
		}
		res, err = t.record(tx, ship, cps)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("record checkpoints for shipment %s: %w", shipmentID, err)
	}
	return res, nil
}

// record stores cps for ship (loaded in tx) and re-derives it in place.
func (t *Tracker) record(tx core.App, ship *core.Record, cps []Checkpoint) (Result, error) {
	var res Result
	col, err := tx.FindCachedCollectionByNameOrId(schema.CTrackingEvents)
	if err != nil {
		return res, err
	}
	te, sh := schema.TrackingEvents, schema.Shipments
	for _, cp := range cps {
		if cp.DedupeKey == "" {
			cp.DedupeKey = timeline.DedupeKey(cp.Source, ship.GetString(sh.TrackingNumber), cp.OccurredAt, string(cp.Status), cp.Message, cp.Location)
		}
		if _, err := tx.FindFirstRecordByData(schema.CTrackingEvents, te.DedupeKey, cp.DedupeKey); err == nil {
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return res, err
		}
		ev := core.NewRecord(col)
		ev.Set(te.Shipment, ship.Id)
		ev.Set(te.Carrier, ship.GetString(sh.Carrier))
		ev.Set(te.TrackingNumber, ship.GetString(sh.TrackingNumber))
		ev.Set(te.OccurredAt, cp.OccurredAt.UTC())
		ev.Set(te.Status, string(cp.Status))
		ev.Set(te.Substatus, cp.Substatus)
		ev.Set(te.RawStatus, cp.RawStatus)
		ev.Set(te.Message, cp.Message)
		ev.Set(te.Location, cp.Location)
		ev.Set(te.Source, cp.Source)
		ev.Set(te.DedupeKey, cp.DedupeKey)
		if err := tx.Save(ev); err != nil {
			return res, fmt.Errorf("store checkpoint %s: %w", cp.DedupeKey, err)
		}
		res.Inserted++
	}
	changed, err := t.derive(tx, ship)
	if err != nil {
		return res, err
	}
	res.Changed = changed
	res.Status = status.Status(ship.GetString(sh.Status))
	return res, nil
}

// History loads a shipment's stored checkpoints as timeline events. It
// reads the seven columns an event needs as plain values: every tracking
// event re-derives its parcel from the whole history, and a full record per
// checkpoint was 9% of the webhook worker's CPU.
func History(app core.App, shipmentID string) ([]timeline.Event, error) {
	te := schema.TrackingEvents
	rows, err := app.DB().Select(te.OccurredAt, te.Status, te.Substatus, te.Message, te.Location, te.Source, te.DedupeKey).
		From(schema.CTrackingEvents).Where(dbx.HashExp{te.Shipment: shipmentID}).Rows()
	if err != nil {
		return nil, fmt.Errorf("load history of %s: %w", shipmentID, err)
	}
	defer rows.Close()
	var out []timeline.Event
	for rows.Next() {
		var at types.DateTime
		var e timeline.Event
		var st string
		if err := rows.Scan(&at, &st, &e.Substatus, &e.Message, &e.Location, &e.Source, &e.DedupeKey); err != nil {
			return nil, fmt.Errorf("load history of %s: %w", shipmentID, err)
		}
		e.OccurredAt, e.Status = at.Time(), status.Status(st)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load history of %s: %w", shipmentID, err)
	}
	return out, nil
}

// derive recomputes ship's state from its whole history and saves it (and
// its order's status) when something changed.
func (t *Tracker) derive(tx core.App, ship *core.Record) (bool, error) {
	hist, err := History(tx, ship.Id)
	if err != nil {
		return false, err
	}
	if len(hist) == 0 {
		return false, nil
	}
	d := timeline.Derive(hist)
	sh := schema.Shipments
	statusBefore := ship.GetString(sh.Status)
	before := ship.GetString(sh.Status) + "|" + ship.GetString(sh.Substatus) + "|" + ship.GetString(sh.LastEventAt) + "|" + ship.GetString(sh.DeliveredAt)
	ship.Set(sh.Status, string(d.Status))
	ship.Set(sh.Substatus, d.Substatus)
	setTime(ship, sh.LastEventAt, d.LastEventAt)
	setTime(ship, sh.DeliveredAt, d.DeliveredAt)
	if ship.GetDateTime(sh.ShippedAt).IsZero() {
		setTime(ship, sh.ShippedAt, d.ShippedAt)
	}
	after := ship.GetString(sh.Status) + "|" + ship.GetString(sh.Substatus) + "|" + ship.GetString(sh.LastEventAt) + "|" + ship.GetString(sh.DeliveredAt)
	if before == after {
		return false, nil
	}
	if err := t.refresh(tx, ship, "status "+string(d.Status)); err != nil {
		return false, err
	}
	if err := tx.Save(ship); err != nil {
		return false, fmt.Errorf("save shipment %s: %w", ship.Id, err)
	}
	if ship.GetString(sh.Status) == statusBefore {
		// A new checkpoint with the same status: the order's status, which
		// only depends on its parcels' statuses, cannot have changed.
		return true, nil
	}
	return true, UpdateOrderStatus(tx, ship.GetString(sh.Order))
}

// UpdateOrderStatus derives an order's status from all of its shipments
// (split shipments: the order is delivered only when every parcel is).
func UpdateOrderStatus(app core.App, orderID string) error {
	if orderID == "" {
		return nil
	}
	order, err := app.FindRecordById(schema.COrders, orderID)
	if err != nil {
		return fmt.Errorf("load order %s: %w", orderID, err)
	}
	o := schema.Orders
	if order.GetString(o.Status) == schema.OrderCancelled {
		return nil
	}
	ships, err := app.FindAllRecords(schema.CShipments, dbx.HashExp{schema.Shipments.Order: orderID})
	if err != nil {
		return fmt.Errorf("load shipments of order %s: %w", orderID, err)
	}
	next := schema.OrderUnfulfilled
	if len(ships) > 0 {
		sts := make([]status.Status, len(ships))
		for i, s := range ships {
			sts[i] = status.Status(s.GetString(schema.Shipments.Status))
			if sts[i] == "" {
				sts[i] = status.Pending
			}
		}
		next = string(timeline.DeriveOrder(sts))
	}
	if order.GetString(o.Status) == next {
		return nil
	}
	order.Set(o.Status, next)
	if err := app.Save(order); err != nil {
		return fmt.Errorf("save order %s status: %w", orderID, err)
	}
	return nil
}

func setTime(r *core.Record, field string, t time.Time) {
	if t.IsZero() {
		r.Set(field, "")
		return
	}
	dt, _ := types.ParseDateTime(t.UTC())
	r.Set(field, dt)
}
