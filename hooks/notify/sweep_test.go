package notify_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
)

// An order committed without its confirmation (the process died between the
// commit and the after-commit hook, simulated by writing the row with raw
// SQL so no hook runs) gets its confirmation from the sweep, exactly once.
func TestSweepSchedulesConfirmationLostToACrash(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, true)
	o := schema.Orders
	_, err := e.app.DB().NewQuery(`INSERT INTO orders (id, source, external_id, number, customer, email, placed_at, currency, total_cents, status, ship_country)
		VALUES ('crashorder00001', 'api', 'crash-1', '#1002', {:c}, 'ana@example.com', {:at}, 'USD', 1000, 'unfulfilled', 'US')`).
		Bind(dbx.Params{"c": e.cust.Id, "at": e.order.GetString(o.PlacedAt)}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	confirmations := func(orderID string) int {
		n, err := e.app.CountRecords(schema.CMessages, dbx.HashExp{schema.Messages.Order: orderID, schema.Messages.Trigger: schema.TrigOrderConfirmed})
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if confirmations("crashorder00001") != 0 {
		t.Fatal("raw insert fired hooks")
	}
	before := confirmations(e.order.Id)
	k, err := e.n.SweepConfirmations(e.app)
	if err != nil || k != 1 {
		t.Fatalf("sweep = %d, %v; want 1 order fixed", k, err)
	}
	if confirmations("crashorder00001") == 0 {
		t.Fatal("sweep did not schedule the lost confirmation")
	}
	if confirmations(e.order.Id) != before {
		t.Fatal("sweep duplicated an existing confirmation")
	}
	if k, err := e.n.SweepConfirmations(e.app); err != nil || k != 0 {
		t.Fatalf("second sweep = %d, %v; want nothing to do", k, err)
	}
}
