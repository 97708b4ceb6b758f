package tracking

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/detect"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// PushQuiet is how long a shipment that receives pushes waits before a
// safety poll.
const PushQuiet = 24 * time.Hour

// IngestResult says what one provider update did.
type IngestResult struct {
	ShipmentID string // "" when no shipment has this number yet
	Stored     int    // events stored (matched or not)
	Changed    bool
}

// checkpoints converts a provider update into checkpoints with stable
// dedupe keys (the provider's event id, else the content key over the
// normalised number). Unknown vocabulary is logged once per value.
func (t *Tracker) checkpoints(app core.App, source string, u carriers.Update) ([]Checkpoint, error) {
	tn := detect.Normalize(u.TrackingNumber)
	if tn == "" || len(tn) > 64 {
		return nil, fmt.Errorf("%s update: tracking number %q: %w", source, status.CleanRaw(u.TrackingNumber), carriers.ErrMalformed)
	}
	cps := make([]Checkpoint, 0, len(u.Events))
	for _, ev := range u.Events {
		if ev.OccurredAt.IsZero() {
			return nil, fmt.Errorf("%s update for %s: event without time: %w", source, tn, carriers.ErrMalformed)
		}
		if !ev.Known && t.unknown.FirstTime(source, "status", ev.RawStatus) {
			app.Logger().Warn("tracking: unknown carrier status", "source", source, "value", status.CleanRaw(ev.RawStatus), "mapped", string(ev.Status))
		}
		key := ev.ID
		if key == "" {
			key = timeline.DedupeKey(source, tn, ev.OccurredAt, string(ev.Status), ev.Message, ev.Location)
		}
		cps = append(cps, Checkpoint{RawStatus: status.CleanRaw(ev.RawStatus), Event: timeline.Event{
			OccurredAt: ev.OccurredAt.UTC(), Status: ev.Status, Substatus: ev.Substatus,
			Message: truncate(strings.TrimSpace(ev.Message), 1900), Location: truncate(strings.TrimSpace(ev.Location), 250),
			Source: source, DedupeKey: key,
		}})
	}
	return cps, nil
}

// FindShipment returns the shipment with tracking number tn (as stored or
// normalised), preferring one whose carrier matches carrier; nil if none.
func FindShipment(app core.App, tn, carrier string) (*core.Record, error) {
	sh := schema.Shipments
	norm := detect.Normalize(tn)
	// A dbx expression, not a filter string: PocketBase parses filters on
	// every call, and this runs for every carrier event.
	var recs []*core.Record
	err := app.RecordQuery(schema.CShipments).AndWhere(dbx.In(sh.TrackingNumber, strings.TrimSpace(tn), norm)).
		OrderBy(schema.FCreated).Limit(20).All(&recs)
	if err != nil {
		return nil, fmt.Errorf("find shipment %s: %w", norm, err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	for _, r := range recs {
		if carrier != "" && strings.EqualFold(r.GetString(sh.Carrier), carrier) {
			return r, nil
		}
	}
	return recs[0], nil
}

// Ingest applies one provider update inside tx: matched to its shipment by
// tracking number, or stored unmatched (shipment empty) until the shipment
// appears. push says it came as a webhook (the next safety poll is then
// PushQuiet away). Any error leaves tx to be rolled back: nothing is half
// applied.
func (t *Tracker) Ingest(tx core.App, source string, u carriers.Update, push bool) (IngestResult, error) {
	cps, err := t.checkpoints(tx, source, u)
	if err != nil {
		return IngestResult{}, err
	}
	ship, err := FindShipment(tx, u.TrackingNumber, u.Carrier)
	if err != nil {
		return IngestResult{}, err
	}
	if ship == nil {
		n, err := storeUnmatched(tx, source, u.Carrier, detect.Normalize(u.TrackingNumber), cps)
		return IngestResult{Stored: n}, err
	}
	return t.ingestInto(tx, ship, source, u, cps, push)
}

// ingestInto records cps on ship (loaded in tx; it is updated in place and
// saved) and applies what else the update says.
func (t *Tracker) ingestInto(tx core.App, ship *core.Record, source string, u carriers.Update, cps []Checkpoint, push bool) (IngestResult, error) {
	shipID := ship.Id
	st := schema.ShipmentTracking
	// A push means the next safety poll can wait. Set before recording, so
	// the save that records a new checkpoint carries it too (one save per
	// event instead of two); corrected below if the parcel just ended.
	pushed := false
	if push && !statusOf(ship).Terminal() && ship.GetString(st.Tracker) != "" {
		setTime(ship, schema.Shipments.NextPollAt, t.clock.Now().Add(PushQuiet))
		pushed = true
	}
	res, err := t.record(tx, ship, cps)
	if err != nil {
		return IngestResult{}, err
	}
	out := IngestResult{ShipmentID: shipID, Stored: res.Inserted, Changed: res.Changed}
	dirty := pushed && !res.Changed // recorded nothing new: not saved yet
	if !u.EstimatedDelivery.IsZero() {
		d := u.EstimatedDelivery
		prev := ship.GetDateTime(st.CarrierEDD).Time()
		if prev.IsZero() || !sameDay(prev, d) {
			setTime(ship, st.CarrierEDD, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
			c, err := t.contextFor(tx, ship)
			if err != nil {
				return out, err
			}
			if _, err := t.applyEDD(tx, ship, c, source+" estimate "+d.Format("2006-01-02")); err != nil {
				return out, err
			}
			t.applyDelay(ship, c, t.clock.Now())
			dirty = true
		}
	}
	if u.TrackerID != "" && ship.GetString(st.TrackerID) == "" && ship.GetString(st.Tracker) == source {
		ship.Set(st.TrackerID, truncate(u.TrackerID, 200))
		dirty = true
	}
	if push {
		if statusOf(ship).Terminal() {
			if ship.GetString(schema.Shipments.NextPollAt) != "" {
				ship.Set(schema.Shipments.NextPollAt, "")
				dirty = true
			}
		} else if !pushed && ship.GetString(st.Tracker) != "" {
			setTime(ship, schema.Shipments.NextPollAt, t.clock.Now().Add(PushQuiet))
			dirty = true
		}
	}
	if dirty {
		if err := tx.Save(ship); err != nil {
			return out, fmt.Errorf("save shipment %s: %w", shipID, err)
		}
	}
	return out, nil
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.Month() == b.Month() && a.Day() == b.Day()
}

// storeUnmatched keeps events for a number no shipment has yet.
func storeUnmatched(tx core.App, source, carrier, tn string, cps []Checkpoint) (int, error) {
	col, err := tx.FindCachedCollectionByNameOrId(schema.CTrackingEvents)
	if err != nil {
		return 0, err
	}
	te := schema.TrackingEvents
	n := 0
	for _, cp := range cps {
		if _, err := tx.FindFirstRecordByData(schema.CTrackingEvents, te.DedupeKey, cp.DedupeKey); err == nil {
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return n, err
		}
		ev := core.NewRecord(col)
		ev.Set(te.Carrier, truncate(strings.ToLower(carrier), 32))
		ev.Set(te.TrackingNumber, tn)
		ev.Set(te.OccurredAt, cp.OccurredAt.UTC())
		ev.Set(te.Status, string(cp.Status))
		ev.Set(te.Substatus, cp.Substatus)
		ev.Set(te.RawStatus, cp.RawStatus)
		ev.Set(te.Message, cp.Message)
		ev.Set(te.Location, cp.Location)
		ev.Set(te.Source, source)
		ev.Set(te.DedupeKey, cp.DedupeKey)
		if err := tx.Save(ev); err != nil {
			return n, fmt.Errorf("store unmatched event %s: %w", cp.DedupeKey, err)
		}
		n++
	}
	return n, nil
}

// matchShipment attaches stored unmatched events with ship's number to it
// and re-derives its state.
func (t *Tracker) matchShipment(app core.App, shipID, tn string) (int, error) {
	// Most shipments have nothing waiting: check cheaply before opening a
	// transaction.
	te := schema.TrackingEvents
	var ids []string
	err := app.DB().Select("id").From(schema.CTrackingEvents).
		Where(dbx.HashExp{te.Shipment: ""}).
		AndWhere(dbx.In(te.TrackingNumber, tn, detect.Normalize(tn))).Limit(1).Column(&ids)
	if err == nil && len(ids) == 0 {
		return 0, nil
	}
	n := 0
	err = app.RunInTransaction(func(tx core.App) error {
		ship, err := tx.FindRecordById(schema.CShipments, shipID)
		if err != nil {
			return err
		}
		te := schema.TrackingEvents
		tn := ship.GetString(schema.Shipments.TrackingNumber)
		evs, err := tx.FindRecordsByFilter(schema.CTrackingEvents,
			te.Shipment+" = '' && ("+te.TrackingNumber+" = {:a} || "+te.TrackingNumber+" = {:b})", te.OccurredAt, 0, 0,
			dbx.Params{"a": tn, "b": detect.Normalize(tn)})
		if err != nil || len(evs) == 0 {
			return err
		}
		for _, ev := range evs {
			ev.Set(te.Shipment, ship.Id)
			if ev.GetString(te.Carrier) == "" {
				ev.Set(te.Carrier, ship.GetString(schema.Shipments.Carrier))
			}
			if err := tx.Save(ev); err != nil {
				return err
			}
			n++
		}
		_, err = t.derive(tx, ship)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("match events to shipment %s: %w", shipID, err)
	}
	return n, nil
}

// MatchPending matches every stored unmatched event whose shipment now
// exists (a safety net for the create hook; the delay cron runs it).
func (t *Tracker) MatchPending(app core.App) (int, error) {
	te, sh := schema.TrackingEvents, schema.Shipments
	var rows []struct {
		ID string `db:"id"`
		TN string `db:"tn"`
	}
	q := fmt.Sprintf(`SELECT DISTINCT s.[[id]] AS id, s.[[%s]] AS tn FROM {{%s}} e JOIN {{%s}} s ON s.[[%s]] = e.[[%s]]
		WHERE e.[[%s]] = '' LIMIT 500`, sh.TrackingNumber, schema.CTrackingEvents, schema.CShipments, sh.TrackingNumber, te.TrackingNumber, te.Shipment)
	if err := app.DB().NewQuery(q).All(&rows); err != nil {
		return 0, fmt.Errorf("find unmatched events: %w", err)
	}
	total := 0
	for _, r := range rows {
		n, err := t.matchShipment(app, r.ID, r.TN)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// Rederive recomputes a shipment's state from its stored events (after a
// manual event, for example).
func (t *Tracker) Rederive(app core.App, shipmentID string) error {
	return app.RunInTransaction(func(tx core.App) error {
		ship, err := tx.FindRecordById(schema.CShipments, shipmentID)
		if err != nil {
			return err
		}
		_, err = t.derive(tx, ship)
		return err
	})
}
