package storefront_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"porchlight/hooks/schema"
	"porchlight/hooks/storefront"
)

// When WooCommerce would have sent each delivery of its story (it never
// retries, so arrival time is event time; order.deleted carries no date).
var wooSentAt = map[string]time.Time{
	"order.created":  time.Date(2025, 3, 14, 14, 21, 10, 0, time.UTC),
	"order.updated":  time.Date(2025, 3, 15, 15, 2, 12, 0, time.UTC),
	"order.deleted":  time.Date(2025, 3, 16, 8, 0, 0, 0, time.UTC),
	"order.restored": time.Date(2025, 3, 17, 9, 30, 1, 0, time.UTC),
}

func (e *env) deliverWoo(ds []delivery) {
	e.t.Helper()
	for _, d := range ds {
		body := fixture(e.t, wooDir, d.File)
		if d.Topic == "" { // the unsigned creation ping
			rec := e.postWoo(d, body, false)
			mustStatus(e.t, rec, http.StatusOK)
			continue
		}
		e.clk.Set(wooSentAt[d.Topic])
		mustStatus(e.t, e.postWoo(d, body, true), http.StatusOK)
	}
	e.clk.Set(time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC))
	e.drain()
}

func TestWooStoryAndShuffledReplay(t *testing.T) {
	t.Parallel()
	ds := loadStory(t, wooDir)
	ref := newEnv(t)
	// The ping alone: 200, nothing stored.
	mustStatus(t, ref.postWoo(ds[0], fixture(t, wooDir, ds[0].File), false), http.StatusOK)
	if n := count(t, ref.app, schema.CWebhookReceipts); n != 0 {
		t.Fatalf("ping stored %d receipts", n)
	}
	ref.deliverWoo(ds)
	o := firstRecord(t, ref.app, schema.COrders)
	of := schema.Orders
	if o.GetString(of.Source) != "woocommerce" || o.GetString(of.ExternalID) != "1187" || o.GetString(of.Currency) != "EUR" ||
		o.GetInt(of.TotalCents) != 6420 || o.GetString(of.ShipCountry) != "DE" || o.GetString(of.Email) != "lena.fischer@example.de" ||
		o.GetString(schema.OrderIngest.DeletedAt) != "" || o.GetString(of.AcqSource) == "" {
		t.Errorf("order = %v", o.FieldsData())
	}
	sh := firstRecord(t, ref.app, schema.CShipments)
	if sh.GetString(schema.Shipments.TrackingNumber) != "00340434161234567890" {
		t.Errorf("shipment from the Shipment Tracking meta = %v", sh.FieldsData())
	}
	want := dump(t, ref.app)

	for seed := uint64(1); seed <= 3; seed++ {
		e := newEnv(t)
		var all []delivery
		for i := 0; i < 3; i++ {
			all = append(all, ds...)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		e.deliverWoo(all)
		if got := dump(t, e.app); got != want {
			t.Fatalf("seed %d: state differs\n--- in order\n%s\n--- shuffled\n%s", seed, want, got)
		}
	}
}

func TestWooDeletedThenNotRestored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var ds []delivery
	for _, d := range loadStory(t, wooDir) {
		if d.Topic != "order.restored" {
			ds = append(ds, d)
		}
	}
	e.deliverWoo(ds)
	o := firstRecord(t, e.app, schema.COrders)
	if o.GetString(schema.OrderIngest.DeletedAt) == "" {
		t.Fatalf("order.deleted did not mark the order deleted")
	}
}

func TestWooSignature(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := fixture(t, wooDir, "order_created.json")
	req := httpRequest(storefront.WooWebhookPath, body)
	req.Header.Set("X-WC-Webhook-Topic", "order.created")
	req.Header.Set("X-WC-Webhook-Signature", "bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ==")
	mustStatus(t, e.do(req), http.StatusUnauthorized)
	// Unsigned JSON is not a ping.
	mustStatus(t, e.do(httpRequest(storefront.WooWebhookPath, body)), http.StatusUnauthorized)
	if n := count(t, e.app, schema.CWebhookReceipts); n != 0 {
		t.Fatalf("%d receipts stored", n)
	}
}

// fakeWoo speaks enough of /wp-json/wc/v3/orders for the catch-up sync.
type fakeWoo struct {
	mu     sync.Mutex
	orders [][]byte // raw order objects
	calls  []string
}

func (f *fakeWoo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.URL.RawQuery)
	if r.URL.Path != "/wp-json/wc/v3/orders" {
		http.NotFound(w, r)
		return
	}
	if k, s, ok := r.BasicAuth(); !ok || k != "ck_test" || s != "cs_test" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
		return
	}
	after := r.URL.Query().Get("modified_after")
	var match [][]byte
	for _, o := range f.orders {
		var peek struct {
			DM string `json:"date_modified_gmt"`
		}
		_ = json.Unmarshal(o, &peek)
		if after == "" || peek.DM > after {
			match = append(match, o)
		}
	}
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := (len(match) + per - 1) / per
	w.Header().Set("X-WP-Total", strconv.Itoa(len(match)))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	lo, hi := (page-1)*per, page*per
	lo, hi = min(lo, len(match)), min(hi, len(match))
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, "["+strings.Join(func() []string {
		var s []string
		for _, o := range match[lo:hi] {
			s = append(s, string(o))
		}
		return s
	}(), ",")+"]")
}

func TestWooCatchUpSync(t *testing.T) {
	t.Parallel()
	store := &fakeWoo{}
	updated := fixture(t, wooDir, "order_updated.json")
	store.orders = append(store.orders, updated)
	// A second order the webhooks missed.
	other := strings.Replace(strings.Replace(string(fixture(t, wooDir, "order_created.json")), `"id": 1187`, `"id": 1190`, 1), `"number": "1187"`, `"number": "1190"`, 1)
	store.orders = append(store.orders, []byte(other))
	srv := httptest.NewServer(store)
	defer srv.Close()

	e := newEnv(t, opts{shopifySecret: shopifySecret, wooSecret: wooSecret,
		woo: storefront.WooConfig{BaseURL: srv.URL, Key: "ck_test", Secret: "cs_test"}, httpClient: srv.Client()})
	// The webhook already brought order 1187 in.
	e.deliverWoo(loadStory(t, wooDir)[:2])

	res, err := e.sf.SyncWoo(e.app)
	if err != nil {
		t.Fatal(err)
	}
	if res.Seen != 2 || res.Changed != 2 {
		t.Errorf("first sync = %+v", res)
	}
	if n := count(t, e.app, schema.COrders); n != 2 {
		t.Fatalf("%d orders after sync", n)
	}
	st := firstRecord(t, e.app, schema.CSyncState)
	if st.GetString(schema.SyncState.Cursor) == "" || st.GetString(schema.SyncState.LastError) != "" {
		t.Errorf("sync state = %v", st.FieldsData())
	}
	// Again: asks only for orders modified after the cursor, changes nothing.
	before := dump(t, e.app)
	res, err = e.sf.SyncWoo(e.app)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 0 || dump(t, e.app) != before {
		t.Errorf("second sync changed something: %+v", res)
	}
	if last := store.calls[len(store.calls)-1]; !strings.Contains(last, "modified_after=2025-03-15T15") {
		t.Errorf("second sync did not use the cursor: %s", last)
	}

	// Bad credentials: the error is kept in sync_state, the cursor stays.
	bad := newEnv(t, opts{woo: storefront.WooConfig{BaseURL: srv.URL, Key: "ck_test", Secret: "wrong"}, httpClient: srv.Client()})
	if _, err := bad.sf.SyncWoo(bad.app); err == nil {
		t.Fatal("sync with bad credentials succeeded")
	}
	st = firstRecord(t, bad.app, schema.CSyncState)
	if !strings.Contains(st.GetString(schema.SyncState.LastError), "401") || st.GetString(schema.SyncState.Cursor) != "" {
		t.Errorf("sync state after failure = %v", st.FieldsData())
	}
}
