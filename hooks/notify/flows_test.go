package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// Duplicate and out-of-order tracking events, on two parcels of one order,
// give exactly one message per milestone and channel; with nothing
// configured they go to the local outbox as sent.
func TestOneMessagePerMilestone(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, false)
	a, b := e.shipment(t, "1Z999AA10123456784"), e.shipment(t, "1Z999AA10123456791")
	evs := []timeline.Event{
		{OccurredAt: t0.Add(1 * time.Hour), Status: status.InTransit, Message: "Departed"},
		{OccurredAt: t0.Add(20 * time.Hour), Status: status.OutForDelivery, Message: "Out"},
		{OccurredAt: t0.Add(22 * time.Hour), Status: status.Delivered, Message: "Left at door"},
	}
	e.track(t, a.Id, evs[2], evs[0]) // out of order
	e.track(t, a.Id, evs...)         // duplicates
	e.track(t, a.Id, evs[1])
	e.track(t, b.Id, evs[0])
	e.track(t, b.Id, evs[0], evs[1])

	count := map[string]int{}
	for _, r := range e.messages(t, dbx.HashExp{schema.Messages.Order: e.order.Id}) {
		count[r.GetString(schema.Messages.Trigger)+"/"+r.GetString(schema.Messages.Channel)]++
	}
	want := map[string]int{
		"order_confirmed/email": 1, "shipped/email": 1, "shipped/sms": 1, "out_for_delivery/email": 1, "out_for_delivery/sms": 1,
		"delivered/email": 1, "delivered/sms": 1, "post_delivery_tips/email": 1, "review_request/email": 1, "replenish/email": 1,
	}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%s: %d messages, want %d (all: %v)", k, count[k], v, count)
		}
	}
	if len(count) != len(want) {
		t.Errorf("unexpected messages: %v", count)
	}

	// Everything due within a day goes to the local outbox.
	e.clk.Set(t0.Add(2 * 24 * time.Hour))
	e.dispatch(t)
	m := schema.Messages
	for _, key := range []string{
		notify.IdempotencyKey(e.order.Id, schema.TrigShipped, schema.ChannelEmail),
		notify.IdempotencyKey(e.order.Id, schema.TrigDelivered, schema.ChannelSMS),
	} {
		r := e.byKey(t, key)
		if r.GetString(m.Status) != schema.MsgSent || r.GetString(m.ProviderID) != notify.OutboxPrefix+r.Id || r.GetString(m.BodyText) == "" {
			t.Errorf("%s: status %q provider %q err %q", key, r.GetString(m.Status), r.GetString(m.ProviderID), r.GetString(m.LastError))
		}
	}
	sms := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigShipped, schema.ChannelSMS))
	if sms.GetString(m.To) != "+12125550123" || !strings.Contains(sms.GetString(m.BodyText), "#1001 has shipped") {
		t.Errorf("sms to %q body %q", sms.GetString(m.To), sms.GetString(m.BodyText))
	}

	// Parcel b is delivered four days after the order's delivered message
	// went out: outside the digest window, so it gets its own, once.
	late := timeline.Event{OccurredAt: t0.Add(5 * 24 * time.Hour), Status: status.Delivered}
	e.clk.Set(t0.Add(5*24*time.Hour + time.Hour))
	e.track(t, b.Id, late)
	e.track(t, b.Id, late, evs[0])
	if got := len(e.messages(t, dbx.HashExp{m.Trigger: schema.TrigDelivered, m.Channel: schema.ChannelEmail})); got != 2 {
		t.Errorf("delivered emails after the late parcel: %d, want 2", got)
	}
}

// The suppression matrix: a marketing message (the review request) is
// re-evaluated when it falls due and kept, with its reason, when it must
// not go out.
func TestSuppressionMatrix(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(t *testing.T, e *env)
		reason string
	}{
		{"nothing wrong", func(*testing.T, *env) {}, ""},
		{"no marketing consent", func(t *testing.T, e *env) {
			e.cust.Set(schema.Customers.EmailMarketing, false)
			must(t, e.app.Save(e.cust))
		}, notify.ReasonNoConsent},
		{"another parcel delayed", func(t *testing.T, e *env) {
			s := e.shipment(t, "1Z999AA10123456791")
			s.Set(schema.Shipments.Delayed, true)
			s.Set(schema.Shipments.DelayReason, "Weather")
			must(t, e.app.Save(s))
		}, notify.ReasonShipmentDelay},
		{"another parcel in exception", func(t *testing.T, e *env) {
			s := e.shipment(t, "1Z999AA10123456791")
			e.track(t, s.Id, timeline.Event{OccurredAt: t0.Add(2 * 24 * time.Hour), Status: status.Exception})
		}, notify.ReasonShipmentExcept},
		{"return open", func(t *testing.T, e *env) {
			e.save(t, schema.CReturns, map[string]any{schema.Returns.Order: e.order.Id, schema.Returns.Status: "requested"})
		}, notify.ReasonReturnOpen},
		{"return closed", func(t *testing.T, e *env) {
			e.save(t, schema.CReturns, map[string]any{schema.Returns.Order: e.order.Id, schema.Returns.Status: "refunded"})
		}, ""},
		{"help request open", func(t *testing.T, e *env) {
			e.save(t, schema.CHelpRequests, map[string]any{schema.HelpRequests.Order: e.order.Id, schema.HelpRequests.Status: "open", schema.HelpRequests.Topic: "damaged"})
		}, notify.ReasonHelpOpen},
		{"customer unhappy", func(t *testing.T, e *env) {
			e.cust.Set(schema.Customers.State, schema.StateUnhappy)
			must(t, e.app.Save(e.cust))
		}, notify.ReasonUnhappy},
		{"recent detractor", func(t *testing.T, e *env) {
			sv := e.save(t, schema.CSurveys, map[string]any{schema.Surveys.Key: "nps", schema.Surveys.Kind: "nps"})
			e.save(t, schema.CSurveyResponses, map[string]any{schema.SurveyResponses.Survey: sv.Id, schema.SurveyResponses.Customer: e.cust.Id,
				schema.SurveyResponses.Score: 4, schema.SurveyResponses.AnsweredAt: t0.Add(10 * 24 * time.Hour)})
		}, notify.ReasonDetractor},
		{"old detractor", func(t *testing.T, e *env) {
			sv := e.save(t, schema.CSurveys, map[string]any{schema.Surveys.Key: "nps", schema.Surveys.Kind: "nps"})
			e.save(t, schema.CSurveyResponses, map[string]any{schema.SurveyResponses.Survey: sv.Id, schema.SurveyResponses.Customer: e.cust.Id,
				schema.SurveyResponses.Score: 4, schema.SurveyResponses.AnsweredAt: t0.Add(-90 * 24 * time.Hour)})
		}, ""},
		{"frequency cap", func(t *testing.T, e *env) {
			for i := range 2 {
				m := schema.Messages
				e.save(t, schema.CMessages, map[string]any{m.Customer: e.cust.Id, m.Channel: schema.ChannelEmail, m.Status: schema.MsgSent, m.Category: schema.Marketing,
					m.SentAt: t0.Add(15*24*time.Hour - time.Duration(i+1)*time.Hour), m.IdempotencyKey: "test:cap:" + string(rune('a'+i)), m.To: "x@example.com"})
			}
		}, "deferred"},
		{"order cancelled", func(t *testing.T, e *env) {
			e.order.Set(schema.Orders.Status, schema.OrderCancelled)
			must(t, e.app.Save(e.order))
		}, "cancelled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, notify.Deps{})
			e.customerOrder(t, true)
			s := e.shipment(t, "1Z999AA10123456784")
			e.track(t, s.Id, timeline.Event{OccurredAt: t0.Add(30 * time.Hour), Status: status.Delivered})
			e.clk.Set(t0.Add(5 * 24 * time.Hour)) // delivered and tips go out first
			e.dispatch(t)
			tc.setup(t, e)
			e.clk.Set(t0.Add(15 * 24 * time.Hour))
			e.dispatch(t)
			r := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigReviewRequest, schema.ChannelEmail))
			m := schema.Messages
			switch {
			case tc.reason == "":
				if r.GetString(m.Status) != schema.MsgSent {
					t.Errorf("status %q reason %q err %q, want sent", r.GetString(m.Status), r.GetString(m.SuppressedReason), r.GetString(m.LastError))
				}
			case tc.reason == "deferred":
				// Two marketing messages sent 1h and 2h ago: it waits until
				// the older one is 24h old, then goes.
				want := t0.Add(15*24*time.Hour - 2*time.Hour + 24*time.Hour)
				if r.GetString(m.Status) != schema.MsgScheduled || !r.GetDateTime(m.DueAt).Time().Equal(want) || !strings.Contains(r.GetString(m.LastError), "frequency cap") {
					t.Errorf("status %q due %v err %q, want deferred to %v", r.GetString(m.Status), r.GetDateTime(m.DueAt).Time(), r.GetString(m.LastError), want)
				}
				e.clk.Set(want)
				e.dispatch(t)
				if r, _ = e.app.FindRecordById(schema.CMessages, r.Id); r.GetString(m.Status) != schema.MsgSent {
					t.Errorf("after the window: %q", r.GetString(m.Status))
				}
			case tc.reason == "cancelled":
				if r.GetString(m.Status) != schema.MsgCancelled {
					t.Errorf("status %q, want cancelled", r.GetString(m.Status))
				}
			default:
				if r.GetString(m.Status) != schema.MsgSuppressed || r.GetString(m.SuppressedReason) != tc.reason {
					t.Errorf("status %q reason %q, want suppressed %q", r.GetString(m.Status), r.GetString(m.SuppressedReason), tc.reason)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Imported history does not spam: a milestone older than MaxLateness is
// recorded as suppressed ("stale"), while what is still ahead (the review
// request) is scheduled normally.
func TestStaleMilestones(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, true)
	s := e.shipment(t, "1Z999AA10123456784")
	e.clk.Set(t0.Add(10 * 24 * time.Hour))
	e.track(t, s.Id, timeline.Event{OccurredAt: t0.Add(24 * time.Hour), Status: status.Delivered})
	m := schema.Messages
	del := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigDelivered, schema.ChannelEmail))
	if del.GetString(m.Status) != schema.MsgSuppressed || del.GetString(m.SuppressedReason) != notify.ReasonStale {
		t.Errorf("old delivery: %q %q", del.GetString(m.Status), del.GetString(m.SuppressedReason))
	}
	rev := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigReviewRequest, schema.ChannelEmail))
	if rev.GetString(m.Status) != schema.MsgScheduled || !rev.GetDateTime(m.DueAt).Time().Equal(t0.Add(14*24*time.Hour)) {
		t.Errorf("review request: %q due %v", rev.GetString(m.Status), rev.GetDateTime(m.DueAt).Time())
	}
}

// Flows are evaluated when a parcel's status (or delay, or dates) changes,
// not on every further scan: a flow switched on later is not sent for a
// status reached before it, however many scans follow, and the next status
// change is scheduled as usual.
func TestFurtherScansOfAStatusEvaluateNoFlows(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, false)
	f := schema.Flows
	setActive := func(trigger string, on bool) {
		recs, err := e.app.FindAllRecords(schema.CFlows, dbx.HashExp{f.Trigger: trigger, f.Channel: schema.ChannelEmail})
		if err != nil || len(recs) == 0 {
			t.Fatalf("flows %s: %v", trigger, err)
		}
		for _, r := range recs {
			r.Set(f.Active, on)
			if err := e.app.Save(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	setActive(schema.TrigShipped, false)
	a := e.shipment(t, "1Z999AA10123456784")
	e.track(t, a.Id, timeline.Event{OccurredAt: t0.Add(time.Hour), Status: status.InTransit, Message: "Departed"})
	setActive(schema.TrigShipped, true)
	e.track(t, a.Id, timeline.Event{OccurredAt: t0.Add(5 * time.Hour), Status: status.InTransit, Message: "Arrived at hub"})
	m := schema.Messages
	if got := e.messages(t, dbx.HashExp{m.Trigger: schema.TrigShipped, m.Channel: schema.ChannelEmail}); len(got) != 0 {
		t.Fatalf("shipped email after a further scan: %d", len(got))
	}
	e.track(t, a.Id, timeline.Event{OccurredAt: t0.Add(20 * time.Hour), Status: status.OutForDelivery, Message: "Out"})
	if got := e.messages(t, dbx.HashExp{m.Trigger: schema.TrigOutForDelivery, m.Channel: schema.ChannelEmail}); len(got) != 1 {
		t.Fatalf("out-for-delivery emails: %d, want 1", len(got))
	}
}
