package tracking

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers/detect"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// ManualSource marks checkpoints entered by the merchant in the admin.
const ManualSource = "manual"

func (t *Tracker) bindHooks(app core.App) {
	app.OnRecordCreate(schema.CShipments).BindFunc(func(e *core.RecordEvent) error {
		if err := t.prepareShipment(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordAfterCreateSuccess(schema.CShipments).BindFunc(func(e *core.RecordEvent) error {
		if _, err := t.matchShipment(e.App, e.Record.Id, e.Record.GetString(schema.Shipments.TrackingNumber)); err != nil {
			// The delay cron's MatchPending retries; never fail the create.
			e.App.Logger().Error("tracking: match stored events", "shipment", e.Record.Id, "err", err)
		}
		return e.Next()
	})
	// Manual checkpoints from the admin (or the REST API as a superuser):
	// fill in what the form leaves out, then re-derive the shipment.
	app.OnRecordCreateRequest(schema.CTrackingEvents).BindFunc(func(e *core.RecordRequestEvent) error {
		te := schema.TrackingEvents
		r := e.Record
		if r.GetString(te.Source) == "" {
			r.Set(te.Source, ManualSource)
		}
		if !status.Valid(r.GetString(te.Status)) {
			r.Set(te.Status, string(status.InTransit))
		}
		shipID := r.GetString(te.Shipment)
		if shipID != "" {
			if ship, err := e.App.FindRecordById(schema.CShipments, shipID); err == nil {
				if r.GetString(te.TrackingNumber) == "" {
					r.Set(te.TrackingNumber, ship.GetString(schema.Shipments.TrackingNumber))
				}
				if r.GetString(te.Carrier) == "" {
					r.Set(te.Carrier, ship.GetString(schema.Shipments.Carrier))
				}
			}
		}
		if r.GetString(te.DedupeKey) == "" {
			r.Set(te.DedupeKey, timeline.DedupeKey(r.GetString(te.Source), r.GetString(te.TrackingNumber),
				r.GetDateTime(te.OccurredAt).Time(), r.GetString(te.Status), r.GetString(te.Message), r.GetString(te.Location)))
		}
		if err := e.Next(); err != nil {
			return err
		}
		if shipID != "" {
			if err := t.Rederive(e.App, shipID); err != nil {
				e.App.Logger().Error("tracking: derive after manual event", "shipment", shipID, "err", err)
			}
		}
		return nil
	})
}

// prepareShipment fills a new shipment before it is written: carrier from
// the tracking number when missing (carrier "unknown" when nothing fits, the
// shipment is still kept and trackable by manual events), the carrier's
// public tracking URL, the initial status, the provider that will track it,
// the first EDD (with its history entry) and the delay flag.
func (t *Tracker) prepareShipment(app core.App, r *core.Record) error {
	sh, st := schema.Shipments, schema.ShipmentTracking
	tn := r.GetString(sh.TrackingNumber)
	carrier := strings.ToLower(strings.TrimSpace(r.GetString(sh.Carrier)))
	if carrier == "" {
		m, _ := detect.Best(tn)
		carrier = m.Carrier
	}
	r.Set(sh.Carrier, carrier)
	if r.GetString(sh.TrackingURL) == "" {
		for _, m := range detect.Detect(tn) {
			if m.Carrier == carrier && m.URL != "" {
				r.Set(sh.TrackingURL, m.URL)
				break
			}
		}
	}
	if !status.Valid(r.GetString(sh.Status)) {
		r.Set(sh.Status, string(status.Pending))
	}
	if r.GetString(st.Tracker) == "" && t.tracker != "" && r.GetString(sh.Source) != "simulator" {
		if _, ok := t.adapters[t.tracker]; ok {
			r.Set(st.Tracker, t.tracker)
		}
	}
	if r.GetString(st.Tracker) != "" && r.GetString(sh.NextPollAt) == "" && !statusOf(r).Terminal() {
		setTime(r, sh.NextPollAt, t.clock.Now())
	}
	c, err := t.contextFor(app, r)
	if err != nil {
		return err
	}
	if _, err := t.applyEDD(app, r, c, "shipment created"); err != nil {
		return err
	}
	t.applyDelay(r, c, t.clock.Now())
	return nil
}
