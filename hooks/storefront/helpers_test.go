package storefront_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/clock"
	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront"
	"porchlight/hooks/storefront/shopify"
	"porchlight/hooks/storefront/woocommerce"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking"
)

const (
	shopifySecret = "shpss_test_secret_0123456789"
	wooSecret     = "wc_test_secret_abcdef"
)

var start = time.Date(2025, 3, 14, 14, 21, 0, 0, time.UTC)

type env struct {
	t   *testing.T
	app core.App
	clk *clock.Fixed
	in  *inbox.Inbox
	sf  *storefront.Storefront
	h   http.Handler
}

type opts struct {
	shopifySecret, wooSecret string
	woo                      storefront.WooConfig
	httpClient               *http.Client
}

func newEnv(t *testing.T, o ...opts) *env {
	t.Helper()
	op := opts{shopifySecret: shopifySecret, wooSecret: wooSecret}
	if len(o) > 0 {
		op = o[0]
	}
	app := testapp.New(t)
	clk := clock.NewFixed(start)
	in := inbox.New(inbox.Deps{Clock: clk})
	trk := tracking.Register(app, tracking.Deps{Clock: clk})
	sf := storefront.Register(app, storefront.Deps{
		Clock: clk, Inbox: in, Tracker: trk, ShopifySecret: op.shopifySecret, WooSecret: op.wooSecret,
		Woo: op.woo, HTTP: op.httpClient,
	})
	return &env{t: t, app: app, clk: clk, in: in, sf: sf, h: testapp.Handler(t, app)}
}

// story is a testdata/story.json file.
type story struct {
	Deliveries []delivery `json:"deliveries"`
}

type delivery struct {
	Topic       string `json:"topic"`
	File        string `json:"file"`
	TriggeredAt string `json:"triggered_at"`
	WebhookID   string `json:"webhook_id"`
	EventID     string `json:"event_id"`
	DeliveryID  string `json:"delivery_id"`
	ContentType string `json:"content_type"`
}

func loadStory(t *testing.T, dir string) []delivery {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "testdata", "story.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s story
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s.Deliveries
}

func fixture(t *testing.T, dir, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const shopifyDir = "shopify"
const wooDir = "woocommerce"

func (e *env) do(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// postShopify sends one delivery with a real HMAC.
func (e *env) postShopify(d delivery, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, storefront.ShopifyWebhookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", d.Topic)
	req.Header.Set("X-Shopify-Hmac-Sha256", shopify.Sign([]byte(shopifySecret), body))
	req.Header.Set("X-Shopify-Shop-Domain", "porchlight-demo.myshopify.com")
	req.Header.Set("X-Shopify-API-Version", "2025-01")
	req.Header.Set("X-Shopify-Webhook-Id", d.WebhookID)
	if d.EventID != "" {
		req.Header.Set("X-Shopify-Event-Id", d.EventID)
	}
	if d.TriggeredAt != "" {
		req.Header.Set("X-Shopify-Triggered-At", d.TriggeredAt)
	}
	return e.do(req)
}

func (e *env) postWoo(d delivery, body []byte, signed bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, storefront.WooWebhookPath, bytes.NewReader(body))
	ct := d.ContentType
	if ct == "" {
		ct = "application/json"
	}
	req.Header.Set("Content-Type", ct)
	if signed {
		req.Header.Set("X-WC-Webhook-Signature", woocommerce.Sign([]byte(wooSecret), body))
		req.Header.Set("X-WC-Webhook-Topic", d.Topic)
		req.Header.Set("X-WC-Webhook-Source", "https://shop.example.de/")
		req.Header.Set("X-WC-Webhook-ID", "17")
		req.Header.Set("X-WC-Webhook-Delivery-ID", d.DeliveryID)
		parts := strings.SplitN(d.Topic, ".", 2)
		if len(parts) == 2 {
			req.Header.Set("X-WC-Webhook-Resource", parts[0])
			req.Header.Set("X-WC-Webhook-Event", parts[1])
		}
	}
	return e.do(req)
}

// drain processes every due receipt, then lets the clock run through the
// retry backoff so deliveries that arrived before what they refer to are
// processed too.
func (e *env) drain() {
	e.t.Helper()
	for round := 0; round < 10; round++ {
		for {
			n, err := e.in.ProcessDue(e.app, 100)
			if err != nil {
				e.t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		pending, err := e.app.CountRecords(schema.CWebhookReceipts, dbxStatus(schema.ReceiptPending))
		if err != nil {
			e.t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		e.clk.Advance(4 * time.Hour)
	}
}

func mustStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body.String())
	}
}

// dump is a canonical rendering of orders, items, customers and shipments
// without record ids, tokens and bookkeeping timestamps: relations are
// replaced by natural keys.
func dump(t *testing.T, app core.App, without ...string) string {
	t.Helper()
	skip := map[string]bool{
		schema.FID: true, schema.FCreated: true, schema.FUpdated: true,
		schema.Orders.AccessToken: true, schema.Orders.GiftToken: true, schema.Customers.UnsubscribeToken: true,
	}
	// Fields the tracking capability derives from "now" (EDD, delay, polling).
	for _, f := range []string{schema.Shipments.EDDMin, schema.Shipments.EDDMax, schema.Shipments.EDDSource,
		schema.Shipments.EDDReason, schema.Shipments.EDDHistory, schema.Shipments.Delayed, schema.Shipments.DelayReason,
		schema.Shipments.NextPollAt, schema.Shipments.PollFailures} {
		skip[f] = true
	}
	for _, f := range without {
		skip[f] = true
	}
	keys := map[string]string{}
	natural := func(col string, key func(*core.Record) string) []*core.Record {
		recs, err := app.FindAllRecords(col)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			keys[r.Id] = col + ":" + key(r)
		}
		return recs
	}
	customers := natural(schema.CCustomers, func(r *core.Record) string {
		return r.GetString(schema.Customers.Source) + "/" + r.GetString(schema.Customers.ExternalID) + "/" + r.GetString(schema.Customers.Email)
	})
	products := natural(schema.CProducts, func(r *core.Record) string { return r.GetString(schema.Products.SKU) })
	orders := natural(schema.COrders, func(r *core.Record) string {
		return r.GetString(schema.Orders.Source) + "/" + r.GetString(schema.Orders.ExternalID)
	})
	items := natural(schema.COrderItems, func(r *core.Record) string {
		return keys[r.GetString(schema.OrderItems.Order)] + "/" + r.GetString(schema.OrderItems.ExternalID)
	})
	ships := natural(schema.CShipments, func(r *core.Record) string {
		return r.GetString(schema.Shipments.Carrier) + "/" + r.GetString(schema.Shipments.TrackingNumber)
	})
	events := natural(schema.CTrackingEvents, func(r *core.Record) string { return r.GetString(schema.TrackingEvents.DedupeKey) })
	var lines []string
	for _, group := range [][]*core.Record{customers, products, orders, items, ships, events} {
		for _, r := range group {
			fields := map[string]any{}
			for k, v := range r.FieldsData() {
				if skip[k] {
					continue
				}
				if s, ok := v.(string); ok {
					if nk, ok := keys[s]; ok && len(s) == 15 {
						v = nk
					}
				}
				fields[k] = v
			}
			b, _ := json.Marshal(fields)
			lines = append(lines, keys[r.Id]+" "+string(b))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func firstRecord(t *testing.T, app core.App, col string) *core.Record {
	t.Helper()
	recs, err := app.FindAllRecords(col)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%s: %d records, want 1", col, len(recs))
	}
	return recs[0]
}

func count(t *testing.T, app core.App, col string) int {
	t.Helper()
	n, err := app.CountRecords(col)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func dbxStatus(s string) dbx.HashExp { return dbx.HashExp{schema.WebhookReceipts.Status: s} }

var _ = fmt.Sprintf

const storefrontShopify = storefront.ShopifyWebhookPath

func httpRequest(path string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}
