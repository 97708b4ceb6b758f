package notify_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/inbox"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// fakeTwilio speaks the Messages API on loopback.
type fakeTwilio struct {
	mu    sync.Mutex
	posts []url.Values
	auth  []string
	reply func(form url.Values) (int, any)
	n     int
}

func (f *fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" {
		http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	_ = r.ParseForm()
	user, pass, _ := r.BasicAuth()
	f.mu.Lock()
	f.posts = append(f.posts, r.PostForm)
	f.auth = append(f.auth, user+":"+pass)
	f.n++
	sid := fmt.Sprintf("SM%032d", f.n)
	reply := f.reply
	f.mu.Unlock()
	code, body := http.StatusCreated, any(map[string]any{"sid": sid, "status": "queued", "to": r.PostForm.Get("To")})
	if reply != nil {
		if c, b := reply(r.PostForm); c != 0 {
			code, body = c, b
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// rewrite sends twilio-go's https://api.twilio.com requests to the fake.
type rewrite struct{ host string }

func (rw rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = "http", rw.host, rw.host
	return http.DefaultTransport.RoundTrip(r)
}

// sign computes X-Twilio-Signature as Twilio documents it.
func sign(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func postTwilio(t *testing.T, h http.Handler, path string, form url.Values, sig string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sig)
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	// Twilio parses the answer as TwiML: an accepted delivery gets an empty
	// <Response/>, never JSON.
	if rr.Code == http.StatusOK && (!strings.HasPrefix(rr.Header().Get("Content-Type"), "text/xml") || !strings.Contains(rr.Body.String(), "<Response></Response>")) {
		t.Fatalf("%s answered %q %q, want empty TwiML", path, rr.Header().Get("Content-Type"), rr.Body.String())
	}
	return rr.Code
}

func TestSMSOverTwilio(t *testing.T) {
	fake := &fakeTwilio{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	in := inbox.New(inbox.Deps{Clock: clock.NewFixed(t0)})
	e := newEnv(t, notify.Deps{Inbox: in, HTTPClient: &http.Client{Transport: rewrite{host}},
		Config: config.Config{Twilio: config.Twilio{AccountSID: "AC123", AuthToken: "tok3n", From: "+15005550006"}}})
	e.customerOrder(t, false)
	h := testapp.Handler(t, e.app)
	m := schema.Messages

	ship := e.shipment(t, "1Z999AA10123456784")
	e.track(t, ship.Id, timeline.Event{OccurredAt: t0, Status: status.InTransit})
	e.clk.Set(t0.Add(time.Hour)) // 15:00 in New York
	e.dispatch(t)
	if len(fake.posts) != 1 {
		t.Fatalf("Twilio got %d posts", len(fake.posts))
	}
	p := fake.posts[0]
	if p.Get("To") != "+12125550123" || p.Get("From") != "+15005550006" || !strings.Contains(p.Get("Body"), "#1001 has shipped") ||
		p.Get("StatusCallback") != "https://track.shop.example/webhooks/twilio/status" || fake.auth[0] != "AC123:tok3n" {
		t.Fatalf("posted %v auth %v", p, fake.auth)
	}
	sms := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigShipped, schema.ChannelSMS))
	sid := sms.GetString(m.ProviderID)
	if sms.GetString(m.Status) != schema.MsgSent || !strings.HasPrefix(sid, "SM") {
		t.Fatalf("sms %q %q %q", sms.GetString(m.Status), sid, sms.GetString(m.LastError))
	}

	// Status callback, signed; a forged one is refused.
	cb := url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "AccountSid": {"AC123"}}
	if code := postTwilio(t, h, notify.PathTwilioStatus, cb, "forged"); code != http.StatusUnauthorized {
		t.Fatalf("forged callback = %d", code)
	}
	if code := postTwilio(t, h, notify.PathTwilioStatus, cb, sign("tok3n", "https://track.shop.example"+notify.PathTwilioStatus, cb)); code != http.StatusOK {
		t.Fatalf("callback = %d", code)
	}
	process(t, in, e)
	sms, _ = e.app.FindRecordById(schema.CMessages, sms.Id)
	if sms.GetString(m.Status) != schema.MsgDelivered {
		t.Fatalf("after callback: %q", sms.GetString(m.Status))
	}

	inbound := func(body, sid string) {
		t.Helper()
		f := url.Values{"From": {"+12125550123"}, "To": {"+15005550006"}, "Body": {body}, "MessageSid": {sid}}
		if code := postTwilio(t, h, notify.PathTwilioInbound, f, sign("tok3n", "https://track.shop.example"+notify.PathTwilioInbound, f)); code != http.StatusOK {
			t.Fatalf("inbound %q = %d", body, code)
		}
		process(t, in, e)
	}
	consent := func() bool {
		c, _ := e.app.FindRecordById(schema.CCustomers, e.cust.Id)
		return c.GetBool(schema.Customers.SMSTransactional)
	}

	// STOP: opted out, recorded with source and time; the next SMS is suppressed.
	inbound("Stop.", "SMin1")
	if consent() {
		t.Fatal("STOP did not opt out")
	}
	c, _ := e.app.FindRecordById(schema.CCustomers, e.cust.Id)
	if log := c.GetString(schema.Customers.ConsentLog); !strings.Contains(log, "sms_keyword:opt_out") {
		t.Errorf("consent log %s", log)
	}
	e.track(t, ship.Id, timeline.Event{OccurredAt: t0.Add(time.Hour), Status: status.OutForDelivery})
	e.clk.Set(t0.Add(2 * time.Hour))
	e.dispatch(t)
	ofd := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigOutForDelivery, schema.ChannelSMS))
	if ofd.GetString(m.Status) != schema.MsgSuppressed || ofd.GetString(m.SuppressedReason) != notify.ReasonOptedOut {
		t.Errorf("SMS after STOP: %q %q", ofd.GetString(m.Status), ofd.GetString(m.SuppressedReason))
	}
	if len(fake.posts) != 1 {
		t.Errorf("an SMS went to an opted-out number: %d posts", len(fake.posts))
	}

	// START opts back in; HELP gets the help reply through the outbox.
	inbound("START", "SMin2")
	if !consent() {
		t.Fatal("START did not opt in")
	}
	inbound("help", "SMin3")
	inbound("help", "SMin3") // Twilio retry: one reply
	e.dispatch(t)
	if len(fake.posts) != 2 || !strings.Contains(fake.posts[1].Get("Body"), "Reply STOP") {
		t.Fatalf("HELP reply: %d posts, last %v", len(fake.posts), fake.posts[len(fake.posts)-1])
	}

	// Twilio 429 retries with backoff; 21610 fails for good and opts out.
	fake.reply = func(url.Values) (int, any) {
		return http.StatusTooManyRequests, map[string]any{"code": 20429, "message": "Too Many Requests", "status": 429}
	}
	e.track(t, ship.Id, timeline.Event{OccurredAt: t0.Add(2 * time.Hour), Status: status.AvailableForPickup})
	e.clk.Set(t0.Add(3 * time.Hour))
	e.dispatch(t)
	pick := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigAvailableForPickup, schema.ChannelSMS))
	if pick.GetString(m.Status) != schema.MsgScheduled || pick.GetInt(m.Attempts) != 1 || !strings.Contains(pick.GetString(m.LastError), "429") {
		t.Fatalf("after 429: %q attempts %d %q", pick.GetString(m.Status), pick.GetInt(m.Attempts), pick.GetString(m.LastError))
	}
	fake.reply = func(url.Values) (int, any) {
		return http.StatusBadRequest, map[string]any{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
	}
	e.clk.Advance(notify.Backoff[0])
	e.dispatch(t)
	pick, _ = e.app.FindRecordById(schema.CMessages, pick.Id)
	if pick.GetString(m.Status) != schema.MsgFailed || !strings.Contains(pick.GetString(m.LastError), "21610") {
		t.Fatalf("after 21610: %q %q", pick.GetString(m.Status), pick.GetString(m.LastError))
	}
	if consent() {
		t.Error("21610 did not record the opt-out")
	}
}

func process(t *testing.T, in *inbox.Inbox, e *env) {
	t.Helper()
	if _, err := in.ProcessDue(e.app, 100); err != nil {
		t.Fatal(err)
	}
	rs, _ := e.app.FindAllRecords(schema.CWebhookReceipts)
	for _, r := range rs {
		if st := r.GetString(schema.WebhookReceipts.Status); st == schema.ReceiptFailed || r.GetString(schema.WebhookReceipts.Error) != "" {
			t.Fatalf("receipt %s: %s %s", r.GetString(schema.WebhookReceipts.Topic), st, r.GetString(schema.WebhookReceipts.Error))
		}
	}
}

// Quiet hours in the recipient's local time, across time zones and the US
// spring-forward change (8 March 2026), with a merchant's per-region
// window, under a fixed clock.
func TestQuietHours(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, false)
	m, o := schema.Messages, schema.Orders
	cases := []struct {
		name                   string
		country, region, phone string
		now, want              time.Time // want == now: sent at once
	}{
		{"New York afternoon", "US", "NY", "+12125550123", t0, t0},
		{"New York night before DST", "US", "NY", "+12125550123",
			time.Date(2026, 3, 8, 4, 30, 0, 0, time.UTC),  // Sat 23:30 EST
			time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)}, // Sun 08:00 EDT (UTC-4, an hour earlier in UTC)
		{"Los Angeles same instant", "US", "CA", "+13105550123",
			time.Date(2026, 3, 8, 4, 30, 0, 0, time.UTC), // Sat 20:30 PST: inside
			time.Date(2026, 3, 8, 4, 30, 0, 0, time.UTC)},
		{"Florida closes at 20:00", "US", "FL", "+13055550123",
			time.Date(2026, 3, 11, 0, 30, 0, 0, time.UTC), // Tue 20:30 EDT
			time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)},
		{"no address: phone's country", "", "", "+442071838750",
			time.Date(2026, 3, 10, 6, 0, 0, 0, time.UTC), // 06:00 London
			time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)},
		{"merchant's window for GB", "GB", "", "+442071838750",
			time.Date(2026, 3, 10, 8, 30, 0, 0, time.UTC), // 08:30 London, GB opens at 09:00
			time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)},
	}
	br, err := e.app.FindFirstRecordByFilter(schema.CBrand, "")
	must(t, err)
	br.Set(schema.BrandNotify.QuietRegions, map[string]string{"GB": "09:00-20:00", "XX": "nonsense"})
	must(t, e.app.Save(br))
	for i, tc := range cases {
		e.order.Set(o.ShipCountry, tc.country)
		e.order.Set(o.ShipRegion, tc.region)
		e.order.Set(o.ShipPostal, "")
		must(t, e.app.Save(e.order))
		e.clk.Set(tc.now)
		r := e.save(t, schema.CMessages, map[string]any{m.Customer: e.cust.Id, m.Order: e.order.Id, m.Channel: schema.ChannelSMS,
			m.Category: schema.Transactional, m.Trigger: schema.TrigShipped, m.To: tc.phone, m.DueAt: tc.now,
			m.Status: schema.MsgScheduled, m.IdempotencyKey: fmt.Sprintf("test:quiet:%d", i)})
		e.dispatch(t)
		r, _ = e.app.FindRecordById(schema.CMessages, r.Id)
		if tc.want.Equal(tc.now) {
			if r.GetString(m.Status) != schema.MsgSent {
				t.Errorf("%s: %q %q, want sent", tc.name, r.GetString(m.Status), r.GetString(m.LastError))
			}
			continue
		}
		if r.GetString(m.Status) != schema.MsgScheduled || !r.GetDateTime(m.DueAt).Time().Equal(tc.want) || r.GetInt(m.Attempts) != 0 {
			t.Errorf("%s: %q due %v attempts %d, want held until %v", tc.name, r.GetString(m.Status), r.GetDateTime(m.DueAt).Time(), r.GetInt(m.Attempts), tc.want)
		}
		e.clk.Set(tc.want)
		e.dispatch(t)
		r, _ = e.app.FindRecordById(schema.CMessages, r.Id)
		if r.GetString(m.Status) != schema.MsgSent {
			t.Errorf("%s: not sent when the window opened: %q", tc.name, r.GetString(m.Status))
		}
	}
}
