package storefront_test

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
)

func isPrivacy(topic string) bool {
	return strings.HasPrefix(topic, "customers/data_request") || strings.HasSuffix(topic, "redact")
}

// deliverAll posts each delivery (with the test clock at its trigger time)
// and processes the inbox.
func (e *env) deliverShopify(ds []delivery) {
	e.t.Helper()
	for _, d := range ds {
		rec := e.postShopify(d, fixture(e.t, shopifyDir, d.File))
		mustStatus(e.t, rec, http.StatusOK)
	}
	e.drain()
}

func storyWithout(t *testing.T, drop func(string) bool) []delivery {
	var out []delivery
	for _, d := range loadStory(t, shopifyDir) {
		if !drop(d.Topic) {
			out = append(out, d)
		}
	}
	return out
}

func TestShopifyStoryMapsEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deliverShopify(storyWithout(t, isPrivacy))

	o := firstRecord(t, e.app, schema.COrders)
	of, oi := schema.Orders, schema.OrderIngest
	checks := map[string]any{
		of.Source: "shopify", of.ExternalID: "5820183011455", of.Number: "#1042", of.Email: "maya.okafor@example.com",
		of.Currency: "USD", of.TotalCents: 7499, of.FinancialStatus: "paid",
		of.ShipCountry: "US", of.ShipRegion: "KY", of.ShipCity: "Louisville",
		of.AcqSource: "facebook", of.AcqMedium: "paid_social", of.AcqCampaign: "spring_launch", of.AdAngle: "gift-for-mom",
		of.ReferringSite: "https://l.facebook.com/", oi.RefundedCents: 1555, of.Status: "in_transit",
	}
	for f, want := range checks {
		got := o.Get(f)
		if s, ok := want.(string); ok && o.GetString(f) != s {
			t.Errorf("order.%s = %v, want %v", f, got, want)
		}
		if n, ok := want.(int); ok && o.GetInt(f) != n {
			t.Errorf("order.%s = %v, want %v", f, got, want)
		}
	}
	if len(o.GetString(of.AccessToken)) != 26 || len(o.GetString(of.GiftToken)) != 26 {
		t.Errorf("tokens not set: %q %q", o.GetString(of.AccessToken), o.GetString(of.GiftToken))
	}
	c := firstRecord(t, e.app, schema.CCustomers)
	cf := schema.Customers
	if c.GetString(cf.ExternalID) != "7012345678901" || c.GetString(cf.Email) != "maya.okafor@example.com" ||
		c.GetString(cf.FirstName) != "Maya" || c.GetString(cf.Phone) != "+15025550123" || c.GetString(cf.AcqSource) != "facebook" ||
		c.GetString(cf.AdAngle) != "gift-for-mom" || c.GetString(cf.Country) != "US" {
		t.Errorf("customer = %v", c.FieldsData())
	}
	if o.GetString(of.Customer) != c.Id {
		t.Errorf("order not linked to customer")
	}
	if n := count(t, e.app, schema.COrderItems); n != 2 {
		t.Fatalf("%d order items, want 2", n)
	}
	if n := count(t, e.app, schema.CProducts); n != 2 {
		t.Fatalf("%d products, want 2 (created by SKU)", n)
	}
	mug, err := e.app.FindFirstRecordByData(schema.COrderItems, schema.OrderItems.SKU, "MUG-SAGE")
	if err != nil {
		t.Fatal(err)
	}
	if mug.GetInt(schema.OrderItems.Quantity) != 2 || mug.GetInt(schema.OrderItems.PriceCents) != 1600 || mug.GetString(schema.OrderItems.Product) == "" {
		t.Errorf("mug line = %v", mug.FieldsData())
	}
	sh := firstRecord(t, e.app, schema.CShipments)
	sf := schema.Shipments
	if sh.GetString(sf.Carrier) != "usps" || sh.GetString(sf.TrackingNumber) != "9400111899223197428490" ||
		!strings.HasPrefix(sh.GetString(sf.TrackingURL), "https://tools.usps.com/") || sh.GetString(sf.Status) != "in_transit" ||
		sh.GetString(sf.Order) != o.Id {
		t.Errorf("shipment = %v", sh.FieldsData())
	}
	if n := count(t, e.app, schema.CTrackingEvents); n < 2 {
		t.Errorf("%d tracking events, want the fulfillment status and the carrier event", n)
	}
	done, _ := e.app.CountRecords(schema.CWebhookReceipts, dbxStatus(schema.ReceiptDone))
	if int(done) != len(storyWithout(t, isPrivacy)) {
		t.Errorf("%d receipts done, want %d", done, len(storyWithout(t, isPrivacy)))
	}
}

// Replaying every fixture three times in shuffled order gives the same
// final state as one in-order pass.
func TestShopifyShuffledReplayMatchesInOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		drop func(string) bool
	}{
		{"commerce topics", isPrivacy},
		{"with privacy topics", func(string) bool { return false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := storyWithout(t, tc.drop)
			ref := newEnv(t)
			ref.deliverShopify(ds)
			want := dump(t, ref.app)

			for seed := uint64(1); seed <= 3; seed++ {
				e := newEnv(t)
				var all []delivery
				for i := 0; i < 3; i++ {
					all = append(all, ds...)
				}
				r := rand.New(rand.NewPCG(seed, 42))
				r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
				e.deliverShopify(all)
				if got := dump(t, e.app); got != want {
					t.Fatalf("seed %d: state differs from the in-order pass\n--- in order\n%s\n--- shuffled\n%s", seed, want, got)
				}
				// A full replay of the inbox changes nothing either.
				if _, err := e.in.Replay(e.app, inbox.ReplayFilter{}); err != nil {
					t.Fatal(err)
				}
				e.drain()
				if got := dump(t, e.app); got != want {
					t.Fatalf("seed %d: replay changed the state\n%s", seed, got)
				}
			}
		})
	}
}

// An orders/updated that changes nothing, or one older than what we hold,
// saves nothing: no record hooks fire.
func TestShopifyNoopAndStaleUpdatesSaveNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := storyWithout(t, isPrivacy)
	e.deliverShopify(ds)
	// The version held (updated_at, X-Shopify-Triggered-At) is bookkeeping.
	versions := []string{schema.OrderIngest.SourceTriggeredAt}
	before := dump(t, e.app, versions...)

	saves := 0
	e.app.OnRecordAfterUpdateSuccess().BindFunc(func(ev *core.RecordEvent) error {
		if ev.Record.Collection().Name != schema.CWebhookReceipts {
			saves++
		}
		return ev.Next()
	})
	e.app.OnRecordAfterCreateSuccess().BindFunc(func(ev *core.RecordEvent) error {
		if ev.Record.Collection().Name != schema.CWebhookReceipts {
			saves++
		}
		return ev.Next()
	})
	var updated, created delivery
	for _, d := range ds {
		switch d.Topic {
		case "orders/updated":
			updated = d
		case "orders/create":
			created = d
		}
	}
	// Same change, new webhook id and event id (Shopify fires orders/updated
	// with no change).
	again := updated
	again.WebhookID, again.EventID, again.TriggeredAt = "noop-1", "noop-evt-1", "2025-03-21T10:00:00Z"
	mustStatus(t, e.postShopify(again, fixture(t, shopifyDir, updated.File)), http.StatusOK)
	// A stale one: orders/create's payload (older updated_at) arriving late.
	late := created
	late.WebhookID, late.EventID, late.TriggeredAt = "stale-1", "stale-evt-1", "2025-03-21T11:00:00Z"
	mustStatus(t, e.postShopify(late, fixture(t, shopifyDir, created.File)), http.StatusOK)
	// An older X-Shopify-Triggered-At with the same updated_at.
	older := updated
	older.WebhookID, older.EventID, older.TriggeredAt = "stale-2", "stale-evt-2", "2025-03-14T15:00:00Z"
	mustStatus(t, e.postShopify(older, []byte(strings.Replace(string(fixture(t, shopifyDir, updated.File)), `"financial_status": "paid"`, `"financial_status": "pending"`, 1))), http.StatusOK)
	e.drain()
	if saves != 0 {
		t.Errorf("%d record saves for no-op/stale deliveries, want 0", saves)
	}
	if got := dump(t, e.app, versions...); got != before {
		t.Errorf("state changed:\n%s", got)
	}
	// A duplicate delivery (same webhook id) is acknowledged and not stored.
	rec := e.postShopify(updated, fixture(t, shopifyDir, updated.File))
	mustStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"duplicate":true`) {
		t.Errorf("duplicate not reported: %s", rec.Body.String())
	}
	// Same event id under another webhook id: stored, processed as a no-op.
	sameEvent := updated
	sameEvent.WebhookID = "other-webhook-same-event"
	mustStatus(t, e.postShopify(sameEvent, fixture(t, shopifyDir, updated.File)), http.StatusOK)
	e.drain()
	if saves != 0 {
		t.Errorf("same event id processed again: %d saves", saves)
	}
}

func TestShopifySignatureAndLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := fixture(t, shopifyDir, "orders_create.json")
	d := delivery{Topic: "orders/create", WebhookID: "w-1"}

	req := func(sig string, b []byte) *http.Request {
		r := httpRequest(storefrontShopify, b)
		r.Header.Set("X-Shopify-Topic", d.Topic)
		r.Header.Set("X-Shopify-Webhook-Id", d.WebhookID)
		if sig != "" {
			r.Header.Set("X-Shopify-Hmac-Sha256", sig)
		}
		return r
	}
	mustStatus(t, e.do(req("", body)), http.StatusUnauthorized)
	mustStatus(t, e.do(req("c2lnbmF0dXJlIHRoYXQgaXMgbm90IHJpZ2h0IGF0IGFsbCE=", body)), http.StatusUnauthorized)
	big := make([]byte, inbox.MaxBody+1)
	mustStatus(t, e.do(req("x", big)), http.StatusRequestEntityTooLarge)
	if n := count(t, e.app, schema.CWebhookReceipts); n != 0 {
		t.Fatalf("%d receipts stored for refused calls", n)
	}
	if n := inbox.Rejections(e.app, "shopify", "bad_signature"); n != 2 {
		t.Errorf("rejection counter = %d, want 2", n)
	}

	// No secret configured: everything is refused.
	none := newEnv(t, opts{})
	mustStatus(t, none.postShopify(d, body), http.StatusUnauthorized)

	// Valid signature, unparseable payload: 200, stored with its error.
	mustStatus(t, e.postShopify(delivery{Topic: "orders/create", WebhookID: "w-bad"}, []byte(`{"id": "x", "created_at": "yesterday"`)), http.StatusOK)
	// Unknown topic: stored, marked ignored.
	mustStatus(t, e.postShopify(delivery{Topic: "products/update", WebhookID: "w-prod"}, []byte(`{"id": 1}`)), http.StatusOK)
	e.drain()
	bad, err := e.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "w-bad")
	if err != nil {
		t.Fatal(err)
	}
	if bad.GetString(schema.WebhookReceipts.Status) != schema.ReceiptFailed || bad.GetString(schema.WebhookReceipts.Error) == "" {
		t.Errorf("bad payload receipt = %v", bad.FieldsData())
	}
	ign, err := e.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "w-prod")
	if err != nil {
		t.Fatal(err)
	}
	if ign.GetString(schema.WebhookReceipts.Status) != schema.ReceiptIgnored {
		t.Errorf("unknown topic receipt status = %s", ign.GetString(schema.WebhookReceipts.Status))
	}
}

// A fulfillment whose order never arrives is retried with backoff and then
// reported as failed.
func TestShopifyProcessingFailureIsRetriedThenReported(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mustStatus(t, e.postShopify(delivery{Topic: "fulfillments/create", WebhookID: "f-only"}, fixture(t, shopifyDir, "fulfillments_create.json")), http.StatusOK)
	if _, err := e.in.ProcessDue(e.app, 10); err != nil {
		t.Fatal(err)
	}
	r, err := e.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "f-only")
	if err != nil {
		t.Fatal(err)
	}
	wr := schema.WebhookReceipts
	if r.GetString(wr.Status) != schema.ReceiptPending || r.GetInt(wr.Attempts) != 1 ||
		!r.GetDateTime(wr.NextAttemptAt).Time().Equal(start.Add(inbox.Backoff[0])) || !strings.Contains(r.GetString(wr.Error), "not received yet") {
		t.Fatalf("after first failure: %v", r.FieldsData())
	}
	// Nothing happens before the backoff is over.
	if n, _ := e.in.ProcessDue(e.app, 10); n != 0 {
		t.Fatalf("processed %d before the backoff", n)
	}
	for range inbox.Backoff {
		e.clk.Advance(inbox.Backoff[len(inbox.Backoff)-1])
		if _, err := e.in.ProcessDue(e.app, 10); err != nil {
			t.Fatal(err)
		}
	}
	r, _ = e.app.FindRecordById(schema.CWebhookReceipts, r.Id)
	if r.GetString(wr.Status) != schema.ReceiptFailed || r.GetInt(wr.Attempts) != len(inbox.Backoff)+1 {
		t.Fatalf("after retries: %v", r.FieldsData())
	}
	failed, _ := e.app.CountRecords(schema.CWebhookReceipts, dbx.HashExp{wr.Status: schema.ReceiptFailed})
	if failed != 1 {
		t.Fatalf("%d failed receipts", failed)
	}
	// Once the order is there, `inbox replay --failed` gets it through.
	mustStatus(t, e.postShopify(delivery{Topic: "orders/create", WebhookID: "o-late"}, fixture(t, shopifyDir, "orders_create.json")), http.StatusOK)
	e.drain()
	if _, err := e.in.Replay(e.app, inbox.ReplayFilter{OnlyFailed: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.app, schema.CShipments); n != 1 {
		t.Fatalf("%d shipments after replay", n)
	}
}
