// Package notify turns order and shipment changes into customer messages.
//
// Flows (records in `flows`) say which trigger sends which template on which
// channel, under which conditions and with which A/B variants. Record hooks
// write `messages` rows in the same transaction as the shipment change that
// caused them (the order confirmation right after the order commits), each
// with a unique idempotency key (order:<id>:<trigger>:<channel>), so
// duplicate or out-of-order tracking events yield one message per
// milestone. The `messages` table is the queue: the dispatcher claims due
// rows in a short transaction, re-evaluates suppression, consent and quiet
// hours, renders, sends outside the transaction and records the outcome.
//
// # The crash window
//
// A message is marked "sending" (claimed_at = now) before the provider is
// called and "sent" after it answers. If the process dies between the
// provider's accept and our write, the row stays "sending"; once its claim
// is older than the lease it is claimed again and sent again. So a crash can
// duplicate at most the messages that were in flight (one per connection),
// and never loses one. Emails carry a stable Message-ID derived from the row
// id, so receiving systems can collapse such a duplicate.
//
// Without SMTP or Twilio configured, messages are rendered and stored as
// sent to the local outbox (provider id "outbox:<id>"), and a superuser can
// preview each one as the recipient would see it.
package notify

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/inbox"
	"porchlight/hooks/memo"
	"porchlight/hooks/notify/email"
	"porchlight/hooks/notify/quiet"
	"porchlight/hooks/notify/twilio"
	"porchlight/hooks/schema"
)

// Inbox sources of Twilio's webhooks.
const (
	SourceTwilioInbound = "twilio_inbound"
	SourceTwilioStatus  = "twilio_status"
)

// Routes.
const (
	PathTwilioInbound = "/webhooks/twilio/inbound"
	PathTwilioStatus  = "/webhooks/twilio/status"
)

// Deps is what notify needs.
type Deps struct {
	Clock   clock.Clock
	Config  config.Config
	Inbox   *inbox.Inbox
	Content fs.FS // embedded defaults: messages/<key>.<channel>.md

	// Optional tuning; zero values take the defaults below.
	PollEvery    time.Duration // how often the dispatcher looks for due rows (1s)
	Batch        int           // rows claimed per pass (100)
	Lease        time.Duration // a "sending" row older than this is reclaimed (5m)
	MaxAttempts  int           // attempts before a transient failure becomes final (8)
	FrequencyCap int           // marketing messages per customer per 24h; more wait (2)
	DigestWindow time.Duration // parcels of one order reaching a milestone within this share one message (30m)
	MaxLateness  time.Duration // milestones older than this are recorded as suppressed, not sent (72h)
	SMSConns     int           // parallel Twilio requests (4)
	EmailPerSec  float64       // email rate cap (20/s)
	SMSPerSec    float64       // SMS rate cap (5/s)
	Quiet        *quiet.Policy // default: the brand's hours, Florida/Oklahoma 20:00
	HTTPClient   *http.Client  // Twilio's HTTP client (tests point it at loopback)
	// Manual leaves the dispatcher loop off: the caller drives DispatchDue
	// (tests, one-shot commands).
	Manual bool
}

// Notifier is the notification capability.
type Notifier struct {
	d     Deps
	clock clock.Clock
	kick  chan struct{}
	work  sync.Mutex

	mu       sync.Mutex
	mailKey  string
	mail     *email.Sender
	smsKey   string
	sms      *twilio.Sender
	emailLim *limiter
	smsLim   *limiter

	flows *memo.Memo[string, []flow] // active flows by trigger, set by Register

	custLocks [64]sync.Mutex // striped by customer id: marketing sends

	defsOnce sync.Once
	defs     map[string]defaultTemplate
	defsErr  error
}

// Backoff is the wait before retry n (1-based), capped at its last value.
var Backoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour}

// New returns a notifier without hooks or routes (Register wires them).
func New(d Deps) *Notifier {
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	if d.PollEvery <= 0 {
		d.PollEvery = time.Second
	}
	if d.Batch <= 0 {
		d.Batch = 100
	}
	if d.Lease <= 0 {
		d.Lease = 5 * time.Minute
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 8
	}
	if d.FrequencyCap <= 0 {
		d.FrequencyCap = 2
	}
	if d.DigestWindow <= 0 {
		d.DigestWindow = 30 * time.Minute
	}
	if d.MaxLateness <= 0 {
		d.MaxLateness = 72 * time.Hour
	}
	if d.SMSConns <= 0 {
		d.SMSConns = 4
	}
	if d.EmailPerSec <= 0 {
		d.EmailPerSec = 20
	}
	if d.SMSPerSec <= 0 {
		d.SMSPerSec = 5
	}
	return &Notifier{d: d, clock: d.Clock, kick: make(chan struct{}, 1),
		emailLim: newLimiter(d.EmailPerSec), smsLim: newLimiter(d.SMSPerSec)}
}

// Register binds notify's record hooks, routes, inbox handlers and the
// dispatcher (started with the server), and seeds default flows and
// templates when the server starts.
func Register(app core.App, d Deps) (*Notifier, error) {
	n := New(d)
	brand.Register(app) // every message reads sender, quiet hours and grace
	n.flows = memo.New[string, []flow](app, schema.CFlows)
	if n.d.Quiet != nil {
		if err := n.d.Quiet.Validate(); err != nil {
			return nil, fmt.Errorf("notify: quiet hours: %w", err)
		}
	}
	if n.d.Content != nil {
		if _, err := n.defaults(); err != nil {
			return nil, fmt.Errorf("notify: default templates: %w", err)
		}
	}
	n.bindHooks(app)
	if n.d.Inbox != nil {
		n.d.Inbox.Handle(SourceTwilioInbound, n.handleInbound)
		n.d.Inbox.Handle(SourceTwilioStatus, n.handleStatus)
		// Twilio parses the answer to an inbound message as TwiML; replies
		// (HELP, opt-out confirmations) are sent by the dispatcher instead.
		twiml := func(e *core.RequestEvent, _ bool) error {
			return e.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`))
		}
		n.d.Inbox.SetAck(SourceTwilioInbound, twiml)
		n.d.Inbox.SetAck(SourceTwilioStatus, twiml)
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if err := n.Seed(se.App); err != nil {
			return err
		}
		n.bindRoutes(se)
		if n.d.Manual {
			return se.Next()
		}
		se.App.Cron().MustAdd("porchlightConfirmSweep", "*/5 * * * *", func() {
			if k, err := n.SweepConfirmations(se.App); err != nil {
				se.App.Logger().Error("notify: confirmation sweep", "err", err)
			} else if k > 0 {
				se.App.Logger().Warn("notify: scheduled missing order confirmations", "orders", k)
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); n.run(ctx, se.App) }()
		se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
			cancel()
			<-done
			n.closeSenders()
			return e.Next()
		})
		return se.Next()
	})
	return n, nil
}

// Wake nudges the dispatcher; only a hint, the database is the queue.
func (n *Notifier) Wake() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

func (n *Notifier) run(ctx context.Context, app core.App) {
	t := time.NewTicker(n.d.PollEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.kick:
		}
		for ctx.Err() == nil {
			k, err := n.DispatchDue(ctx, app)
			if err != nil {
				app.Logger().Error("notify: dispatch", "err", err)
				break
			}
			if k == 0 {
				break
			}
		}
	}
}

// emailSender returns the SMTP sender for the current settings (the
// environment first, then PocketBase's mail settings), or nil for the local
// outbox. It is rebuilt when the settings change.
func (n *Notifier) emailSender(app core.App) (*email.Sender, error) {
	s := email.Settings{}
	c := n.d.Config.SMTP
	switch {
	case c.Host != "":
		s = email.Settings{Host: c.Host, Port: c.Port, Username: c.Username, Password: c.Password, TLS: c.TLS}
	default:
		ps := app.Settings().SMTP
		if !ps.Enabled || ps.Host == "" {
			return nil, nil
		}
		s = email.Settings{Host: ps.Host, Port: ps.Port, Username: ps.Username, Password: ps.Password, TLS: ps.TLS, HELO: ps.LocalName}
	}
	key := strings.Join([]string{s.Host, strconv.Itoa(s.Port), s.Username, s.Password, strconv.FormatBool(s.TLS), s.HELO}, "\x00")
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.mail != nil && n.mailKey == key {
		return n.mail, nil
	}
	if c.DKIMDomain != "" {
		k, err := email.LoadDKIMKey(c.DKIMKeyFile)
		if err != nil {
			return nil, err
		}
		s.DKIMDomain, s.DKIMSelector, s.DKIMKey = c.DKIMDomain, c.DKIMSelector, k
	}
	snd, err := email.New(s)
	if err != nil {
		return nil, err
	}
	if n.mail != nil {
		n.mail.Close()
	}
	n.mail, n.mailKey = snd, key
	return snd, nil
}

// smsSender returns the Twilio sender, or nil for the local outbox.
func (n *Notifier) smsSender() (*twilio.Sender, error) {
	c := n.d.Config.Twilio
	if c.AccountSID == "" {
		return nil, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.sms != nil {
		return n.sms, nil
	}
	cb := ""
	if n.d.Config.PublicURL != "" {
		cb = n.d.Config.PublicURL + PathTwilioStatus
	}
	snd, err := twilio.New(twilio.Settings{AccountSID: c.AccountSID, AuthToken: c.AuthToken, From: c.From,
		StatusCallback: cb, HTTPClient: n.d.HTTPClient})
	if err != nil {
		return nil, err
	}
	n.sms = snd
	return snd, nil
}

func (n *Notifier) closeSenders() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.mail != nil {
		n.mail.Close()
		n.mail = nil
	}
}

// limiter spaces sends of one channel (wall-clock: it protects providers,
// not business rules, so it does not use the injected clock).
type limiter struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time
}

func newLimiter(perSec float64) *limiter {
	return &limiter{every: time.Duration(float64(time.Second) / perSec)}
}

func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.every)
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
