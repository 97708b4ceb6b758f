package tracking_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/aftership"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/carriers/seventeentrack"
	"porchlight/hooks/carriers/shippo"
	"porchlight/hooks/carriers/simulator"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/status"
)

func TestNextPollDelay(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	far := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	near := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		st       status.Status
		idle     int
		min, max time.Time
		want     time.Duration
		stop     bool
	}{
		{status.Delivered, 0, far, far, 0, true},
		{status.Expired, 3, far, far, 0, true},
		{status.InTransit, 0, far, far, 4 * time.Hour, false},
		{status.InTransit, 1, far, far, 8 * time.Hour, false},
		{status.InTransit, 2, far, far, 16 * time.Hour, false},
		{status.InTransit, 3, far, far, 24 * time.Hour, false}, // capped
		{status.InTransit, 50, far, far, 24 * time.Hour, false},
		{status.InTransit, 0, near, near, 2 * time.Hour, false}, // near the EDD: more often
		{status.InTransit, 5, near, near, 6 * time.Hour, false}, // and a low cap
		{status.InTransit, 0, time.Time{}, time.Time{}, 4 * time.Hour, false},
		{status.OutForDelivery, 0, far, far, time.Hour, false},
		{status.OutForDelivery, 4, far, far, 2 * time.Hour, false},
		{status.AttemptFail, 0, near, near, time.Hour, false},
		{status.Pending, 0, far, far, 6 * time.Hour, false},
		{status.Pending, 2, far, far, 24 * time.Hour, false},
		{status.Exception, 0, far, far, 4 * time.Hour, false},
	}
	for _, c := range cases {
		got, stop := tracking.NextPollDelay(c.st, c.idle, now, c.min, c.max)
		if got != c.want || stop != c.stop {
			t.Errorf("NextPollDelay(%s, idle %d, edd %s) = %v %v, want %v %v", c.st, c.idle, c.min.Format("01-02"), got, stop, c.want, c.stop)
		}
	}
	if d := tracking.ErrorDelay(&carriers.RateLimited{RetryAfter: 10 * time.Minute}, 0); d != 10*time.Minute {
		t.Errorf("Retry-After 10m → %v", d)
	}
	if d := tracking.ErrorDelay(&carriers.RateLimited{RetryAfter: time.Second}, 0); d != tracking.PollRetryFloor {
		t.Errorf("Retry-After 1s → %v", d)
	}
	if d := tracking.ErrorDelay(&carriers.RateLimited{}, 0); d != tracking.PollErrorBase {
		t.Errorf("no Retry-After → %v", d)
	}
	for n, want := range map[int]time.Duration{1: 15 * time.Minute, 2: 30 * time.Minute, 3: time.Hour, 20: 24 * time.Hour} {
		if d := tracking.ErrorDelay(io.ErrUnexpectedEOF, n); d != want {
			t.Errorf("failure %d → %v, want %v", n, d, want)
		}
	}
}

// fakeProvider is a loopback server speaking one provider's API.
type fakeProvider struct {
	mu        sync.Mutex
	mode      string // "ok", "busy" (429), "down" (500)
	registers []string
	polls     int
}

func (f *fakeProvider) set(mode string) { f.mu.Lock(); f.mode = mode; f.mu.Unlock() }

func (f *fakeProvider) serve(t *testing.T, auth func(*http.Request) bool, isRegister func(*http.Request) bool, registerReply, pollReply []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		mode := f.mode
		f.mu.Unlock()
		if !auth(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch mode {
		case "busy":
			w.Header().Set("Retry-After", "600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case "down":
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		if isRegister(r) {
			f.registers = append(f.registers, r.Method+" "+r.URL.Path+" "+string(b))
			w.Write(registerReply)
			return
		}
		f.polls++
		w.Write(pollReply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

type pollCase struct {
	name, tn, carrier string
	adapter           func(t *testing.T, f *fakeProvider) carriers.Adapter
	registerHas       []string // substrings of the register request
}

func pollCases() []pollCase {
	return []pollCase{
		{name: easypost.Name, tn: "9400111206206406260787", carrier: "usps", registerHas: []string{"POST /v2/trackers", `"tracking_code":"9400111206206406260787"`, `"carrier":"USPS"`},
			adapter: func(t *testing.T, f *fakeProvider) carriers.Adapter {
				tr := fixture(t, "easypost", "tracker.json")
				srv := f.serve(t, func(r *http.Request) bool { u, _, ok := r.BasicAuth(); return ok && u == "ep_key" },
					func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/v2/trackers" }, tr, tr)
				return easypost.New(easypost.Config{APIKey: "ep_key", WebhookSecret: epSecret, BaseURL: srv.URL + "/v2", HTTP: srv.Client()})
			}},
		{name: shippo.Name, tn: "1Z5R89390357567127", carrier: "ups", registerHas: []string{"POST /tracks/", `"tracking_number":"1Z5R89390357567127"`, `"carrier":"ups"`},
			adapter: func(t *testing.T, f *fakeProvider) carriers.Adapter {
				tr := fixture(t, "shippo", "track.json")
				srv := f.serve(t, func(r *http.Request) bool { return r.Header.Get("Authorization") == "ShippoToken sh_key" },
					func(r *http.Request) bool { return r.Method == http.MethodPost }, tr, tr)
				return shippo.New(shippo.Config{APIKey: "sh_key", WebhookToken: shToken, BaseURL: srv.URL, HTTP: srv.Client()})
			}},
		{name: aftership.Name, tn: "986578788855", carrier: "fedex", registerHas: []string{"POST /tracking/2025-01/trackings", `"tracking_number":"986578788855"`, `"slug":"fedex"`},
			adapter: func(t *testing.T, f *fakeProvider) carriers.Adapter {
				tr := fixture(t, "aftership", "tracking.json")
				srv := f.serve(t, func(r *http.Request) bool { return r.Header.Get("as-api-key") == "as_key" },
					func(r *http.Request) bool { return r.Method == http.MethodPost }, tr, tr)
				return aftership.New(aftership.Config{APIKey: "as_key", WebhookSecret: asSecret, BaseURL: srv.URL + "/tracking/2025-01", HTTP: srv.Client()})
			}},
		{name: seventeentrack.Name, tn: "RR123456785GB", carrier: "royalmail", registerHas: []string{"POST /track/v2.2/register", `"number":"RR123456785GB"`, `"carrier":11031`},
			adapter: func(t *testing.T, f *fakeProvider) carriers.Adapter {
				reg := []byte(`{"code":0,"data":{"accepted":[{"number":"RR123456785GB","carrier":11031}],"rejected":[]}}`)
				srv := f.serve(t, func(r *http.Request) bool { return r.Header.Get("17token") == key17 },
					func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/register") }, reg, fixture(t, "seventeentrack", "gettrackinfo.json"))
				return seventeentrack.New(seventeentrack.Config{Key: key17, BaseURL: srv.URL + "/track/v2.2", HTTP: srv.Client()})
			}},
	}
}

func TestPollingPerVendorBackoffAndRetryAfter(t *testing.T) {
	for _, pc := range pollCases() {
		t.Run(pc.name, func(t *testing.T) {
			f := &fakeProvider{mode: "ok"}
			a := pc.adapter(t, f)
			now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
			e := newEnv(t, now, []carriers.Adapter{a}, pc.name)
			sh, tr := schema.Shipments, schema.ShipmentTracking
			ctx := context.Background()

			// New shipments are assigned the configured tracker and are due now.
			ship := e.newShipment(t, e.order, pc.tn, "", nil)
			if ship.GetString(tr.Tracker) != pc.name || ship.GetString(sh.NextPollAt) == "" || ship.GetString(sh.Carrier) != pc.carrier {
				t.Fatalf("new shipment: tracker %q next %q carrier %q", ship.GetString(tr.Tracker), ship.GetString(sh.NextPollAt), ship.GetString(sh.Carrier))
			}

			// 1. First pass: registers the tracker, polls, stores the events.
			st, err := e.trk.PollDue(ctx, e.app, 10)
			if err != nil || st.Polled != 1 || st.Changed != 1 {
				t.Fatalf("first pass = %+v, %v", st, err)
			}
			if len(f.registers) != 1 {
				t.Fatalf("register requests = %v", f.registers)
			}
			for _, want := range pc.registerHas {
				if !strings.Contains(f.registers[0], want) {
					t.Errorf("register request %q lacks %q", f.registers[0], want)
				}
			}
			ship = e.reload(t, ship.Id)
			if ship.GetString(tr.TrackerID) == "" || e.count(t, schema.CTrackingEvents, dbx.HashExp{schema.TrackingEvents.Shipment: ship.Id}) == 0 {
				t.Fatalf("after poll: tracker id %q", ship.GetString(tr.TrackerID))
			}
			st1 := status.Status(ship.GetString(sh.Status))
			want, stop := tracking.NextPollDelay(st1, 0, now, ship.GetDateTime(sh.EDDMin).Time(), ship.GetDateTime(sh.EDDMax).Time())
			if stop {
				// Delivered: polling ends.
				if ship.GetString(sh.NextPollAt) != "" {
					t.Errorf("delivered but next_poll_at %s", ship.GetString(sh.NextPollAt))
				}
			} else {
				if got := ship.GetDateTime(sh.NextPollAt).Time().Sub(now); got != want {
					t.Errorf("next poll in %v, want %v (status %s)", got, want, st1)
				}
				// 2. Nothing new at the next poll: backs off, no second register.
				e.clk.Set(ship.GetDateTime(sh.NextPollAt).Time())
				st, err = e.trk.PollDue(ctx, e.app, 10)
				if err != nil || st.Polled != 1 || st.Changed != 0 {
					t.Fatalf("second pass = %+v, %v", st, err)
				}
				ship = e.reload(t, ship.Id)
				want2, _ := tracking.NextPollDelay(st1, 1, e.clk.Now(), ship.GetDateTime(sh.EDDMin).Time(), ship.GetDateTime(sh.EDDMax).Time())
				if got := ship.GetDateTime(sh.NextPollAt).Time().Sub(e.clk.Now()); got != want2 || ship.GetInt(tr.PollIdle) != 1 || want2 <= want && want < tracking.PollMax {
					t.Errorf("backoff: next in %v (want %v, before %v), idle %d", got, want2, want, ship.GetInt(tr.PollIdle))
				}
				if len(f.registers) != 1 {
					t.Errorf("registered again: %v", f.registers)
				}
			}

			// 3. 429 with Retry-After: 600 → retried exactly then, not a failure.
			due := func() {
				r := e.reload(t, ship.Id)
				setDue(r, e.clk.Now())
				if err := e.app.Save(r); err != nil {
					t.Fatal(err)
				}
			}
			due()
			f.set("busy")
			if st, _ = e.trk.PollDue(ctx, e.app, 10); st.RateLimited != 1 {
				t.Errorf("429 pass = %+v", st)
			}
			ship = e.reload(t, ship.Id)
			if got := ship.GetDateTime(sh.NextPollAt).Time().Sub(e.clk.Now()); got != 10*time.Minute || ship.GetInt(sh.PollFailures) != 0 {
				t.Errorf("after 429: next in %v, failures %d", got, ship.GetInt(sh.PollFailures))
			}
			// Not due before Retry-After has passed.
			e.clk.Advance(9 * time.Minute)
			if st, _ = e.trk.PollDue(ctx, e.app, 10); st.Due != 0 {
				t.Errorf("polled before Retry-After: %+v", st)
			}

			// 4. Server errors back off exponentially.
			f.set("down")
			for i, wantWait := range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour} {
				e.clk.Set(e.reload(t, ship.Id).GetDateTime(sh.NextPollAt).Time())
				if st, _ = e.trk.PollDue(ctx, e.app, 10); st.Failed != 1 {
					t.Fatalf("failure %d: %+v", i+1, st)
				}
				ship = e.reload(t, ship.Id)
				if got := ship.GetDateTime(sh.NextPollAt).Time().Sub(e.clk.Now()); got != wantWait || ship.GetInt(sh.PollFailures) != i+1 {
					t.Errorf("failure %d: next in %v (want %v), failures %d", i+1, got, wantWait, ship.GetInt(sh.PollFailures))
				}
			}
			// 5. Recovery resets the failure count.
			f.set("ok")
			e.clk.Set(ship.GetDateTime(sh.NextPollAt).Time())
			if st, _ = e.trk.PollDue(ctx, e.app, 10); st.Polled != 1 {
				t.Errorf("recovery pass = %+v", st)
			}
			if ship = e.reload(t, ship.Id); ship.GetInt(sh.PollFailures) != 0 {
				t.Errorf("failures after recovery = %d", ship.GetInt(sh.PollFailures))
			}
		})
	}
}

func setDue(r interface{ Set(string, any) }, now time.Time) {
	r.Set(schema.Shipments.NextPollAt, now.UTC().Format("2006-01-02 15:04:05.000Z"))
}

func TestPollWorkerPoolIsBounded(t *testing.T) {
	var cur, peak, polls atomic.Int32
	tr := fixture(t, "easypost", "tracker.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		cur.Add(-1)
		if r.Method == http.MethodGet {
			polls.Add(1)
			w.Write([]byte(strings.ReplaceAll(string(tr), "9400111206206406260787", strings.TrimPrefix(r.URL.Path, "/trackers/"))))
			return
		}
		w.Write([]byte(`{"id":"unused","tracking_code":"x"}`))
	}))
	defer srv.Close()
	a := easypost.New(easypost.Config{APIKey: "k", BaseURL: srv.URL, HTTP: srv.Client()})
	e := newEnv(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), []carriers.Adapter{a}, easypost.Name)
	nums := []string{"1Z5R89390357567127", "1Z879E930346834440", "986578788855", "477179081230", "9400111206206406260787", "RR123456785GB", "03071790000523483741", "3318810025"}
	for _, n := range nums {
		// The tracker id is the number, so the fake answers for that parcel.
		e.newShipment(t, e.order, n, "", map[string]any{schema.ShipmentTracking.TrackerID: n})
	}
	st, err := e.trk.PollDue(context.Background(), e.app, 100)
	if err != nil || st.Polled != len(nums) {
		t.Fatalf("pass = %+v, %v", st, err)
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrency %d, want 2..3 (PollWorkers 3)", p)
	}
	if polls.Load() != int32(len(nums)) {
		t.Errorf("polls = %d", polls.Load())
	}
	// Claimed rows are not picked twice: nothing is due now.
	if st, _ := e.trk.PollDue(context.Background(), e.app, 100); st.Due != 0 {
		t.Errorf("second pass = %+v", st)
	}
}

func TestSimulatorIsPolledLikeAnyProvider(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, now, nil, "")
	sh, tr := schema.Shipments, schema.ShipmentTracking
	ship := e.newShipment(t, e.order, "SIM-0001", "simulator", map[string]any{
		tr.Tracker: simulator.Carrier, sh.Journey: simulator.OnTime, sh.ShippedAt: now.Add(-simulator.Duration(simulator.OnTime) - time.Hour),
	})
	if ship.GetString(sh.NextPollAt) == "" {
		t.Fatal("simulated shipment not scheduled")
	}
	st, err := e.trk.PollDue(context.Background(), e.app, 10)
	if err != nil || st.Changed != 1 {
		t.Fatalf("pass = %+v, %v", st, err)
	}
	ship = e.reload(t, ship.Id)
	if ship.GetString(sh.Status) != string(simulator.Final(simulator.OnTime)) || ship.GetString(sh.NextPollAt) != "" {
		t.Errorf("status %s, next poll %q", ship.GetString(sh.Status), ship.GetString(sh.NextPollAt))
	}
	steps, _ := simulator.Script(simulator.OnTime)
	if n := e.count(t, schema.CTrackingEvents, dbx.HashExp{schema.TrackingEvents.Shipment: ship.Id}); n != len(steps) {
		t.Errorf("events = %d, want %d", n, len(steps))
	}
}
