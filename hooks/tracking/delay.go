package tracking

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// DelayStats says what one delay check did.
type DelayStats struct {
	Checked, Flagged, Cleared, Matched int
}

// CheckDelays is the delay cron: it re-evaluates every shipment whose
// next_check_at has come (or that has none yet and is not finished), sets or
// clears delayed + delay_reason, and saves only what changed, so other
// capabilities' hooks see exactly the flag changes. It also matches stored
// events that arrived before their shipment.
func (t *Tracker) CheckDelays(app core.App, now time.Time) (DelayStats, error) {
	var st DelayStats
	n, err := t.MatchPending(app)
	if err != nil {
		return st, err
	}
	st.Matched = n
	sh, tr := schema.Shipments, schema.ShipmentTracking
	recs, err := app.FindRecordsByFilter(schema.CShipments,
		fmt.Sprintf("(%[1]s != '' && %[1]s <= {:now}) || (%[1]s = '' && %[2]s != {:delivered} && %[2]s != {:expired}) || %[3]s = true",
			tr.NextCheckAt, sh.Status, sh.Delayed),
		tr.NextCheckAt, 0, 0, dbx.Params{"now": schema.DBTime(now), "delivered": string(status.Delivered), "expired": string(status.Expired)})
	if err != nil {
		return st, fmt.Errorf("find shipments to check: %w", err)
	}
	for _, ship := range recs {
		st.Checked++
		c, err := t.contextFor(app, ship)
		if err != nil {
			app.Logger().Warn("tracking: delay check", "shipment", ship.Id, "err", err)
			continue
		}
		before := ship.GetString(tr.NextCheckAt)
		flagged := ship.GetBool(sh.Delayed)
		changed := t.applyDelay(ship, c, now)
		if !changed && ship.GetString(tr.NextCheckAt) == before {
			continue
		}
		if changed {
			if ship.GetBool(sh.Delayed) {
				st.Flagged++
			} else if flagged {
				st.Cleared++
			}
		}
		if err := app.Save(ship); err != nil {
			return st, fmt.Errorf("save delay flag of %s: %w", ship.Id, err)
		}
	}
	return st, nil
}

func statusOf(ship *core.Record) status.Status {
	s := status.Status(ship.GetString(schema.Shipments.Status))
	if !status.Valid(string(s)) {
		return status.Pending
	}
	return s
}
