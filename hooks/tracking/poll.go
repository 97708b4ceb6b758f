package tracking

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// Polling cadence. The database is the queue: a shipment is due when its
// next_poll_at has come; PollDue claims due rows by pushing next_poll_at a
// lease ahead, runs them on a bounded pool and writes the next time back.
const (
	PollLease      = 10 * time.Minute // a claimed row is not picked again within this
	PollOFD        = time.Hour        // out for delivery / failed attempt
	PollNearEDD    = 2 * time.Hour    // within a day of the EDD window
	PollInTransit  = 4 * time.Hour
	PollPreShip    = 6 * time.Hour // pending, info received, waiting at a pickup point
	PollMax        = 24 * time.Hour
	PollRetryFloor = time.Minute // least wait after a 429
	PollErrorBase  = 15 * time.Minute
)

// NextPollDelay says when to poll a shipment next, given its status, how
// many polls in a row brought nothing new (idle) and its EDD window (civil
// dates; zero when none). stop is true once polling can end (delivered,
// expired). Each idle poll doubles the wait, up to a cap that stays short
// near the delivery.
func NextPollDelay(st status.Status, idle int, now, eddMin, eddMax time.Time) (d time.Duration, stop bool) {
	if st == status.Delivered || st == status.Expired {
		return 0, true
	}
	base, ceiling := PollInTransit, PollMax
	switch {
	case st == status.OutForDelivery || st == status.AttemptFail:
		base, ceiling = PollOFD, 2*PollOFD
	case !eddMin.IsZero() && !now.Before(eddMin.Add(-24*time.Hour)) && now.Before(eddMax.Add(48*time.Hour)):
		base, ceiling = PollNearEDD, 3*PollNearEDD
	case st == status.Pending || st == status.InfoReceived || st == status.AvailableForPickup:
		base = PollPreShip
	}
	if idle > 5 {
		idle = 5
	}
	d = base << idle
	if d > ceiling {
		d = ceiling
	}
	return d, false
}

// ErrorDelay is the wait after a failed poll: Retry-After (at least
// PollRetryFloor) for a 429, else exponential from PollErrorBase, capped at
// PollMax. failures counts this one.
func ErrorDelay(err error, failures int) time.Duration {
	var rl *carriers.RateLimited
	if errors.As(err, &rl) {
		if rl.RetryAfter < PollRetryFloor {
			if rl.RetryAfter == 0 {
				return PollErrorBase
			}
			return PollRetryFloor
		}
		return rl.RetryAfter
	}
	if failures < 1 {
		failures = 1
	}
	if failures > 8 {
		failures = 8
	}
	d := PollErrorBase << (failures - 1)
	if d > PollMax {
		d = PollMax
	}
	return d
}

// PollStats says what one scheduler pass did.
type PollStats struct {
	Due, Polled, Changed, RateLimited, Failed, Stopped int
}

// PollDue polls up to limit due shipments on at most PollWorkers concurrent
// provider calls and returns what happened. Tests call it directly with a
// fixed clock; the server runs it from a ticker.
func (t *Tracker) PollDue(ctx context.Context, app core.App, limit int) (PollStats, error) {
	var st PollStats
	now := t.clock.Now()
	sh, tr := schema.Shipments, schema.ShipmentTracking
	due, err := app.FindRecordsByFilter(schema.CShipments,
		fmt.Sprintf("%[1]s != '' && %[2]s != '' && %[2]s <= {:now}", tr.Tracker, sh.NextPollAt),
		sh.NextPollAt, limit, 0, dbx.Params{"now": schema.DBTime(now)})
	if err != nil {
		return st, fmt.Errorf("find due polls: %w", err)
	}
	// Claim first, with a conditional UPDATE, so an overlapping pass (or a
	// second process) skips them and no concurrent change is overwritten.
	// A claim is bookkeeping, not a business change: no record hooks fire.
	lease := schema.DBTime(now.Add(PollLease))
	claimed := due[:0]
	for _, r := range due {
		res, err := app.DB().Update(schema.CShipments, dbx.Params{sh.NextPollAt: lease},
			dbx.HashExp{schema.FID: r.Id, sh.NextPollAt: r.GetString(sh.NextPollAt)}).Execute()
		if err != nil {
			return st, fmt.Errorf("claim poll %s: %w", r.Id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = append(claimed, r)
		}
	}
	due = claimed
	st.Due = len(due)
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, t.workers)
	)
	for _, r := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func(id string) {
			defer func() { <-sem; wg.Done() }()
			out := t.pollOne(ctx, app, id, now)
			mu.Lock()
			defer mu.Unlock()
			switch out {
			case pollChanged:
				st.Polled++
				st.Changed++
			case pollSame:
				st.Polled++
			case pollRateLimited:
				st.RateLimited++
			case pollFailed:
				st.Failed++
			case pollStopped:
				st.Stopped++
			}
		}(r.Id)
	}
	wg.Wait()
	return st, nil
}

type pollOutcome int

const (
	pollSame pollOutcome = iota
	pollChanged
	pollRateLimited
	pollFailed
	pollStopped
)

func (t *Tracker) pollOne(ctx context.Context, app core.App, id string, now time.Time) (out pollOutcome) {
	defer func() {
		if p := recover(); p != nil {
			app.Logger().Error("tracking: poll panic", "shipment", id, "panic", fmt.Sprint(p))
			out = pollFailed
		}
	}()
	sh, tr := schema.Shipments, schema.ShipmentTracking
	ship, err := app.FindRecordById(schema.CShipments, id)
	if err != nil {
		app.Logger().Error("tracking: poll load", "shipment", id, "err", err)
		return pollFailed
	}
	source := ship.GetString(tr.Tracker)
	a := t.adapters[source]
	if a == nil {
		app.Logger().Warn("tracking: no adapter for tracker, polling stopped", "shipment", id, "tracker", source)
		ship.Set(sh.NextPollAt, "")
		_ = app.Save(ship)
		return pollStopped
	}
	s := carriers.Shipment{
		TrackingNumber: ship.GetString(sh.TrackingNumber), Carrier: ship.GetString(sh.Carrier), Service: ship.GetString(sh.Service),
		TrackerID: ship.GetString(tr.TrackerID), Journey: ship.GetString(sh.Journey), ShippedAt: ship.GetDateTime(sh.ShippedAt).Time(),
	}
	if o, err := app.FindRecordById(schema.COrders, ship.GetString(sh.Order)); err == nil {
		s.DestCity = o.GetString(schema.Orders.ShipCity) + ", " + o.GetString(schema.Orders.ShipCountry)
	}
	if s.TrackerID == "" {
		tid, err := a.Register(ctx, s)
		if err != nil {
			return t.pollFailed(app, ship, err, now)
		}
		s.TrackerID = tid
		ship.Set(tr.TrackerID, truncate(tid, 200))
		if err := app.Save(ship); err != nil {
			app.Logger().Error("tracking: save tracker id", "shipment", id, "err", err)
			return pollFailed
		}
	}
	u, err := a.Poll(ctx, s)
	if err != nil {
		return t.pollFailed(app, ship, err, now)
	}
	var res IngestResult
	err = app.RunInTransaction(func(tx core.App) error {
		cps, err := t.checkpoints(tx, source, u)
		if err != nil {
			return err
		}
		fresh, err := tx.FindRecordById(schema.CShipments, id)
		if err != nil {
			return err
		}
		if res, err = t.ingestInto(tx, fresh, source, u, cps, false); err != nil {
			return err
		}
		idle := fresh.GetInt(tr.PollIdle) + 1
		if res.Stored > 0 || res.Changed {
			idle = 0
		}
		fresh.Set(tr.PollIdle, idle)
		fresh.Set(sh.PollFailures, 0)
		setTime(fresh, tr.LastPolledAt, now)
		d, stop := NextPollDelay(statusOf(fresh), idle, now, fresh.GetDateTime(sh.EDDMin).Time(), fresh.GetDateTime(sh.EDDMax).Time())
		if stop {
			fresh.Set(sh.NextPollAt, "")
		} else {
			setTime(fresh, sh.NextPollAt, now.Add(d))
		}
		return tx.Save(fresh)
	})
	if err != nil {
		return t.pollFailed(app, ship, err, now)
	}
	if res.Stored > 0 || res.Changed {
		return pollChanged
	}
	return pollSame
}

// pollFailed records a failed poll and schedules the retry.
func (t *Tracker) pollFailed(app core.App, ship *core.Record, err error, now time.Time) pollOutcome {
	sh, tr := schema.Shipments, schema.ShipmentTracking
	fresh, ferr := app.FindRecordById(schema.CShipments, ship.Id)
	if ferr != nil {
		fresh = ship
	}
	var rl *carriers.RateLimited
	limited := errors.As(err, &rl)
	failures := fresh.GetInt(sh.PollFailures)
	if !limited {
		failures++
		fresh.Set(sh.PollFailures, failures)
		app.Logger().Warn("tracking: poll failed", "shipment", ship.Id, "tracker", fresh.GetString(tr.Tracker), "failures", failures, "err", err)
	}
	setTime(fresh, sh.NextPollAt, now.Add(ErrorDelay(err, failures)))
	if serr := app.Save(fresh); serr != nil {
		app.Logger().Error("tracking: save poll failure", "shipment", ship.Id, "err", serr)
	}
	if limited {
		return pollRateLimited
	}
	return pollFailed
}

// runScheduler polls due shipments every PollTick until ctx ends.
func (t *Tracker) runScheduler(ctx context.Context, app core.App) {
	tick := time.NewTicker(PollTick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for {
			st, err := t.PollDue(ctx, app, 100)
			if err != nil {
				app.Logger().Error("tracking: poll", "err", err)
				break
			}
			if st.Due < 100 || ctx.Err() != nil {
				break
			}
		}
	}
}

// PollTick is how often the scheduler looks for due shipments.
var PollTick = 30 * time.Second
