package tracking_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/aftership"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/carriers/seventeentrack"
	"porchlight/hooks/carriers/shippo"
	"porchlight/hooks/carriers/simulator"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking"
)

// Secrets the test apps are configured with.
const (
	epSecret  = "ep-whsec-1"
	shToken   = "sh-tok-7c1e"
	asSecret  = "as-whsec-2"
	key17     = "17-key-3"
	base17URL = "http://127.0.0.1:1/unused"
)

type env struct {
	app   *tests.TestApp
	clk   *clock.Fixed
	in    *inbox.Inbox
	trk   *tracking.Tracker
	h     http.Handler
	order *core.Record
}

// newEnv builds a real app with the tracking capability registered, its
// webhook routes bound on a real router, and the given adapters (nil = the
// four vendors with test secrets, no API keys).
func newEnv(t *testing.T, now time.Time, adapters []carriers.Adapter, tracker string) *env {
	t.Helper()
	app := testapp.New(t)
	clk := clock.NewFixed(now)
	in := inbox.New(inbox.Deps{Clock: clk})
	if adapters == nil {
		adapters = []carriers.Adapter{
			easypost.New(easypost.Config{WebhookSecret: epSecret}),
			shippo.New(shippo.Config{WebhookToken: shToken}),
			aftership.New(aftership.Config{WebhookSecret: asSecret}),
			seventeentrack.New(seventeentrack.Config{Key: key17, BaseURL: base17URL}),
			simulator.NewAdapter(clk),
		}
	}
	trk := tracking.Register(app, tracking.Deps{Clock: clk, Inbox: in, Adapters: adapters, Tracker: tracker, PollWorkers: 3})
	e := &env{app: app, clk: clk, in: in, trk: trk, h: testapp.Handler(t, app)}
	e.order = e.newOrder(t, "1001", now.Add(-2*time.Hour), "US", "NY", "10001")
	return e
}

func (e *env) newOrder(t *testing.T, number string, placed time.Time, country, region, postal string) *core.Record {
	t.Helper()
	col, err := e.app.FindCollectionByNameOrId(schema.COrders)
	if err != nil {
		t.Fatal(err)
	}
	o, f := core.NewRecord(col), schema.Orders
	o.Set(f.Source, schema.SourceAPI)
	o.Set(f.ExternalID, "ext-"+number)
	o.Set(f.Number, number)
	o.Set(f.PlacedAt, placed)
	o.Set(f.ShipCity, "Brooklyn")
	o.Set(f.ShipCountry, country)
	o.Set(f.ShipRegion, region)
	o.Set(f.ShipPostal, postal)
	o.Set(f.Status, schema.OrderUnfulfilled)
	if err := e.app.Save(o); err != nil {
		t.Fatal(err)
	}
	return o
}

// newShipment saves a shipment; fields may override anything.
func (e *env) newShipment(t *testing.T, order *core.Record, tn, carrier string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := e.app.FindCollectionByNameOrId(schema.CShipments)
	if err != nil {
		t.Fatal(err)
	}
	r, sh := core.NewRecord(col), schema.Shipments
	if order != nil {
		r.Set(sh.Order, order.Id)
	}
	r.Set(sh.TrackingNumber, tn)
	r.Set(sh.Carrier, carrier)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := e.app.Save(r); err != nil {
		t.Fatalf("save shipment %s: %v", tn, err)
	}
	return e.reload(t, r.Id)
}

func (e *env) reload(t *testing.T, id string) *core.Record {
	t.Helper()
	r, err := e.app.FindRecordById(schema.CShipments, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// post sends a real HTTP request through the app's router.
func (e *env) post(t *testing.T, path string, body []byte, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func (e *env) process(t *testing.T) {
	t.Helper()
	for {
		n, err := e.in.ProcessDue(e.app, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func (e *env) count(t *testing.T, col string, where dbx.Expression) int {
	t.Helper()
	n, err := e.app.CountRecords(col, where)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func fixture(t *testing.T, vendor, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../carriers/" + vendor + "/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newEnvNoSecrets is an app whose providers have no secrets configured,
// built the way main.go builds them.
func newEnvNoSecrets(t *testing.T) *env {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	adapters, _, err := tracking.DefaultAdapters(config.Config{}, clk)
	if err != nil {
		t.Fatal(err)
	}
	return newEnv(t, clk.Now(), adapters, "")
}

type coreApp = core.App
