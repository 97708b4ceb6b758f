package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// Carrier tracking: which provider tracks a shipment (tracker, tracker_id),
// polling state (poll_idle, last_polled_at; next_poll_at already exists), the
// delay re-check instant (next_check_at) and the carrier's own estimate.
func init() {
	st := schema.ShipmentTracking
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CShipments)
		if err != nil {
			return err
		}
		for _, f := range []core.Field{
			text(st.Tracker, 32), text(st.TrackerID, 200), num(st.PollIdle), date(st.LastPolledAt),
			date(st.NextCheckAt), date(st.CarrierEDD),
		} {
			if c.Fields.GetByName(f.GetName()) == nil {
				c.Fields.Add(f)
			}
		}
		c.AddIndex("idx_shipments_check", false, st.NextCheckAt, st.NextCheckAt+" != ''")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CShipments)
		if err != nil {
			return nil
		}
		c.RemoveIndex("idx_shipments_check")
		for _, n := range []string{st.Tracker, st.TrackerID, st.PollIdle, st.LastPolledAt, st.NextCheckAt, st.CarrierEDD} {
			c.Fields.RemoveByName(n)
		}
		return app.Save(c)
	})
}
