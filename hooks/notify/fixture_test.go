package notify_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"porchlight/content"
	"porchlight/hooks/brand"
	"porchlight/hooks/clock"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/token"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// t0 is a Tuesday afternoon in New York (inside SMS hours everywhere in the US).
var t0 = time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC)

type env struct {
	app   *tests.TestApp
	n     *notify.Notifier
	clk   *clock.Fixed
	trk   *tracking.Tracker
	cust  *core.Record
	order *core.Record
}

func newEnv(t *testing.T, d notify.Deps) *env {
	t.Helper()
	app := testapp.New(t)
	clk := clock.NewFixed(t0)
	d.Clock = clk
	d.Content = content.FS
	d.Manual = true // the test drives DispatchDue
	if d.Config.PublicURL == "" {
		d.Config.PublicURL = "https://track.shop.example"
	}
	n, err := notify.Register(app, d)
	if err != nil {
		t.Fatal(err)
	}
	b := brand.Default()
	b.Name, b.SenderName, b.SenderEmail, b.SupportEmail = "Juniper", "Juniper", "hello@shop.example", "help@shop.example"
	if err := brand.Ensure(app, b); err != nil {
		t.Fatal(err)
	}
	if err := n.Seed(app); err != nil {
		t.Fatal(err)
	}
	return &env{app: app, n: n, clk: clk, trk: tracking.Register(app, tracking.Deps{Clock: clk})}
}

func newRecord(col *core.Collection, fields map[string]any) *core.Record {
	r := core.NewRecord(col)
	for k, v := range fields {
		r.Set(k, v)
	}
	return r
}

func (e *env) save(t *testing.T, col string, fields map[string]any) *core.Record {
	t.Helper()
	c, err := e.app.FindCachedCollectionByNameOrId(col)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := e.app.Save(r); err != nil {
		t.Fatalf("save %s: %v", col, err)
	}
	return r
}

// customerOrder creates a consenting customer with a consumable product
// order shipped to New York.
func (e *env) customerOrder(t *testing.T, marketing bool) {
	t.Helper()
	cu, o, p, oi := schema.Customers, schema.Orders, schema.Products, schema.OrderItems
	e.cust = e.save(t, schema.CCustomers, map[string]any{cu.Email: "ana@example.com", cu.Phone: "+12125550123",
		cu.FirstName: "Ana", cu.LastName: "Souza", cu.EmailMarketing: marketing, cu.SMSTransactional: true,
		cu.UnsubscribeToken: token.New(), cu.State: schema.StateContent})
	prod := e.save(t, schema.CProducts, map[string]any{p.SKU: "BEANS-1", p.Title: "House beans", p.ProductType: schema.TypeConsumable, p.ReplenishDays: 30})
	e.order = e.save(t, schema.COrders, map[string]any{o.Source: schema.SourceAPI, o.ExternalID: "1001", o.Number: "#1001",
		o.Customer: e.cust.Id, o.Email: "ana@example.com", o.Phone: "+1 212 555 0123", o.PlacedAt: e.clk.Now(), o.Currency: "USD",
		o.TotalCents: 4200, o.Status: schema.OrderUnfulfilled, o.ShipCountry: "US", o.ShipRegion: "NY", o.ShipPostal: "10001",
		o.AccessToken: token.New()})
	e.save(t, schema.COrderItems, map[string]any{oi.Order: e.order.Id, oi.Product: prod.Id, oi.Title: "House beans", oi.Quantity: 2})
}

func (e *env) shipment(t *testing.T, tn string) *core.Record {
	sh := schema.Shipments
	return e.save(t, schema.CShipments, map[string]any{sh.Order: e.order.Id, sh.Carrier: "ups", sh.TrackingNumber: tn, sh.Status: string(status.InfoReceived)})
}

func (e *env) track(t *testing.T, shipID string, evs ...timeline.Event) {
	t.Helper()
	cps := make([]tracking.Checkpoint, len(evs))
	for i, ev := range evs {
		if ev.Source == "" {
			ev.Source = "test"
		}
		cps[i] = tracking.Checkpoint{Event: ev}
	}
	if _, err := e.trk.Record(e.app, shipID, cps); err != nil {
		t.Fatal(err)
	}
}

func (e *env) dispatch(t *testing.T) int {
	t.Helper()
	total := 0
	for {
		k, err := e.n.DispatchDue(context.Background(), e.app)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			return total
		}
		total += k
	}
}

func (e *env) messages(t *testing.T, where dbx.Expression) []*core.Record {
	t.Helper()
	recs, err := e.app.FindAllRecords(schema.CMessages, where)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func (e *env) byKey(t *testing.T, key string) *core.Record {
	t.Helper()
	r, err := e.app.FindFirstRecordByData(schema.CMessages, schema.Messages.IdempotencyKey, key)
	if err != nil {
		t.Fatalf("message %s: %v", key, err)
	}
	return r
}

// ---- a real SMTP server on loopback ----

type received struct {
	From string
	To   []string
	Data []byte
}

type smtpSink struct {
	mu    sync.Mutex
	msgs  []received
	addr  *net.TCPAddr
	fail  func(rcpt string) error // optional: refuse some recipients
	hold  time.Duration           // optional: wait after storing, before answering
	count chan struct{}

	active, maxActive int
}

func newSMTPSink(t testing.TB) *smtpSink {
	t.Helper()
	s := &smtpSink{count: make(chan struct{}, 10000)}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.active++
	s.maxActive = max(s.maxActive, s.active)
	s.mu.Unlock()
	return &sess{sink: s}, nil
}

// peak is the most SMTP connections that were open at once.
func (s *smtpSink) peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxActive
}

func (s *smtpSink) all() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type sess struct {
	sink *smtpSink
	cur  received
}

func (x *sess) Mail(from string, _ *smtp.MailOptions) error { x.cur.From = from; return nil }
func (x *sess) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.sink.fail != nil {
		if err := x.sink.fail(to); err != nil {
			return err
		}
	}
	x.cur.To = append(x.cur.To, to)
	return nil
}
func (x *sess) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	x.cur.Data = b.Bytes()
	x.sink.mu.Lock()
	x.sink.msgs = append(x.sink.msgs, x.cur)
	x.sink.mu.Unlock()
	x.sink.count <- struct{}{}
	if x.sink.hold > 0 {
		time.Sleep(x.sink.hold) // accepted but not yet acknowledged: the crash window
	}
	x.cur = received{}
	return nil
}
func (x *sess) Reset() { x.cur = received{} }
func (x *sess) Logout() error {
	x.sink.mu.Lock()
	x.sink.active--
	x.sink.mu.Unlock()
	return nil
}
