package notify_test

import (
	"testing"
	"time"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

// With the server, Register seeds the defaults and runs the dispatcher
// loop: a new row is sent without anyone calling DispatchDue, and the loop
// stops with the app.
func TestDispatcherLoopRunsWithServer(t *testing.T) {
	app := testapp.New(t)
	if _, err := notify.Register(app, notify.Deps{Clock: clock.NewFixed(t0), Content: content.FS, PollEvery: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	testapp.Handler(t, app) // OnServe
	if n, _ := app.CountRecords(schema.CFlows); n == 0 {
		t.Fatal("no flows seeded at start")
	}
	if n, _ := app.CountRecords(schema.CTemplates); n == 0 {
		t.Fatal("no templates seeded at start")
	}
	col, err := app.FindCachedCollectionByNameOrId(schema.CMessages)
	must(t, err)
	m := schema.Messages
	r := newRecord(col, map[string]any{m.Channel: schema.ChannelEmail, m.Category: schema.Transactional, m.Trigger: schema.TrigOrderConfirmed,
		m.To: "a@example.com", m.DueAt: t0, m.Status: schema.MsgScheduled, m.IdempotencyKey: "loop:1"})
	must(t, app.Save(r))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		got, err := app.FindRecordById(schema.CMessages, r.Id)
		must(t, err)
		if got.GetString(m.Status) == schema.MsgSent {
			if got.GetString(m.ProviderID) != notify.OutboxPrefix+r.Id {
				t.Errorf("provider id %q", got.GetString(m.ProviderID))
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the dispatcher loop did not send the message")
}
