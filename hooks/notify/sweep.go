package notify

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"porchlight/hooks/schema"
)

// SweepWindow is how far back the confirmation sweep looks.
const SweepWindow = 72 * time.Hour

// SweepConfirmations closes the one gap where a crash could lose a
// message: the order confirmation is scheduled right after the order's
// transaction commits (its flow conditions need the order's lines), so a
// crash between that commit and the hook would leave an order without one.
// Every few minutes this re-runs the idempotent scheduling for recent orders
// that have no confirmation row; it returns how many it scheduled for.
func (n *Notifier) SweepConfirmations(app core.App) (int, error) {
	o := schema.Orders
	since, _ := types.ParseDateTime(n.clock.Now().Add(-SweepWindow))
	orders, err := app.FindRecordsByFilter(schema.COrders, o.PlacedAt+" >= {:since}", o.PlacedAt, 0, 0, dbx.Params{"since": since.String()})
	if err != nil {
		return 0, fmt.Errorf("sweep confirmations: %w", err)
	}
	fixed := 0
	for _, order := range orders {
		held, err := app.CountRecords(schema.CMessages, dbx.HashExp{schema.Messages.Order: order.Id, schema.Messages.Trigger: schema.TrigOrderConfirmed})
		if err != nil {
			return fixed, fmt.Errorf("sweep confirmations: %w", err)
		}
		if held > 0 {
			continue
		}
		if err := app.RunInTransaction(func(tx core.App) error { return n.onOrder(tx, order) }); err != nil {
			return fixed, fmt.Errorf("sweep confirmation for order %s: %w", order.Id, err)
		}
		fixed++
	}
	return fixed, nil
}
