package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/notify/email"
	"porchlight/hooks/notify/quiet"
	"porchlight/hooks/notify/render"
	"porchlight/hooks/notify/twilio"
	"porchlight/hooks/schema"
)

// OutboxPrefix marks a message "sent" to the local outbox (no provider).
const OutboxPrefix = "outbox:"

// DispatchDue claims up to Batch due messages in one short transaction and
// sends them outside it, in parallel per channel (the SMTP pool size for
// email, SMSConns for SMS), each channel under its rate cap. It returns how
// many rows it claimed.
func (n *Notifier) DispatchDue(ctx context.Context, app core.App) (int, error) {
	n.work.Lock()
	defer n.work.Unlock()
	claimed, err := n.claim(app)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	mailSnd, mailErr := n.emailSender(app)
	smsSnd, smsErr := n.smsSender()
	emailSlots := 4
	if mailSnd != nil {
		emailSlots = mailSnd.Conns()
	}
	slots := map[string]chan struct{}{
		schema.ChannelEmail: make(chan struct{}, emailSlots),
		schema.ChannelSMS:   make(chan struct{}, n.d.SMSConns),
	}
	var wg sync.WaitGroup
	for _, rec := range claimed {
		ch := rec.GetString(schema.Messages.Channel)
		sem := slots[ch]
		if sem == nil {
			sem = slots[schema.ChannelEmail]
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			// Marketing for one customer goes one at a time, so the
			// frequency cap counts what the previous one sent.
			if rec.GetString(schema.Messages.Category) == schema.Marketing {
				if cid := rec.GetString(schema.Messages.Customer); cid != "" {
					mu := n.customerLock(cid)
					mu.Lock()
					defer mu.Unlock()
				}
			}
			out := n.deliver(ctx, app, rec, senders{mail: mailSnd, mailErr: mailErr, sms: smsSnd, smsErr: smsErr})
			if err := n.record(app, rec.Id, out); err != nil {
				app.Logger().Error("notify: record outcome", "message", rec.Id, "err", err)
			}
		}()
	}
	wg.Wait()
	return len(claimed), nil
}

// customerLock is one of a fixed set of striped locks.
func (n *Notifier) customerLock(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &n.custLocks[h.Sum32()%uint32(len(n.custLocks))]
}

// claim marks due rows "sending". A "sending" row whose claim is older than
// the lease belongs to a dispatcher that died: it is claimed again (this is
// the documented at-most-one-duplicate window).
func (n *Notifier) claim(app core.App) ([]*core.Record, error) {
	m, mn := schema.Messages, schema.MessageNotify
	var out []*core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		now := n.clock.Now()
		recs, err := tx.FindRecordsByFilter(schema.CMessages,
			"("+m.Status+" = {:sched} && "+m.DueAt+" <= {:now}) || ("+m.Status+" = {:sending} && "+mn.ClaimedAt+" <= {:stale})",
			m.DueAt, n.d.Batch, 0,
			dbx.Params{"sched": schema.MsgScheduled, "sending": schema.MsgSending, "now": schema.DBTime(now), "stale": schema.DBTime(now.Add(-n.d.Lease))})
		if err != nil {
			return err
		}
		for _, r := range recs {
			r.Set(m.Status, schema.MsgSending)
			r.Set(mn.ClaimedAt, now)
			r.Set(m.Attempts, r.GetInt(m.Attempts)+1)
			if err := tx.Save(r); err != nil {
				return fmt.Errorf("claim %s: %w", r.Id, err)
			}
		}
		out = recs
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim due messages: %w", err)
	}
	return out, nil
}

type senders struct {
	mail    *email.Sender
	mailErr error
	sms     *twilio.Sender
	smsErr  error
}

// outcome is what happened to one claimed message.
type outcome struct {
	status     string // sent, scheduled (retry or quiet hours), failed, suppressed
	reason     string // suppression reason
	err        error
	retryAt    time.Time
	held       bool // quiet hours: not an attempt
	providerID string
	subject    string
	html, text string
	tmplKey    string
	links      []string // targets of the tracked links
	optedOut   bool     // Twilio said the number opted out
}

// loadSubject reads what a message is about.
func loadSubject(app core.App, rec *core.Record) (*subject, error) {
	m := schema.Messages
	s := &subject{tx: app}
	if cid := rec.GetString(m.Customer); cid != "" {
		if c, err := app.FindRecordById(schema.CCustomers, cid); err == nil {
			s.customer = c
		}
	}
	if oid := rec.GetString(m.Order); oid != "" {
		o, err := app.FindRecordById(schema.COrders, oid)
		if err != nil {
			return nil, fmt.Errorf("load order %s: %w", oid, err)
		}
		s.order = o
	}
	if sid := rec.GetString(m.Shipment); sid != "" {
		if sh, err := app.FindRecordById(schema.CShipments, sid); err == nil {
			s.ship = sh
		}
	}
	if s.order != nil {
		cust := s.customer
		if err := s.load(); err != nil {
			return nil, err
		}
		if cust != nil {
			s.customer = cust
		}
	}
	return s, nil
}

func (n *Notifier) deliver(ctx context.Context, app core.App, rec *core.Record, snd senders) outcome {
	m := schema.Messages
	s, err := loadSubject(app, rec)
	if err != nil {
		return outcome{status: schema.MsgFailed, err: err}
	}
	if reason := n.suppression(app, rec, s); reason != "" {
		return outcome{status: schema.MsgSuppressed, reason: reason}
	}
	b, _ := brand.Load(app)
	channel := rec.GetString(m.Channel)
	now := n.clock.Now()
	if until := n.capUntil(app, rec, s); until.After(now) {
		return outcome{status: schema.MsgScheduled, held: true, retryAt: until,
			err: fmt.Errorf("frequency cap: %d marketing messages in 24h, deferred until %s", n.d.FrequencyCap, until.Format(time.RFC3339))}
	}
	if channel == schema.ChannelSMS && rec.GetString(m.Trigger) != schema.TrigHelpReply {
		if next := n.quietUntil(app, s, rec.GetString(m.To), b, now); next.After(now) {
			return outcome{status: schema.MsgScheduled, held: true, retryAt: next,
				err: fmt.Errorf("quiet hours: held until %s", next.Format(time.RFC3339))}
		}
	}
	subj, html, text, key, err := n.compose(app, rec, s, b, false)
	if err != nil {
		return outcome{status: schema.MsgFailed, err: fmt.Errorf("render: %w", err)}
	}
	out := outcome{subject: subj, html: html, text: text, tmplKey: key}
	if channel == schema.ChannelEmail {
		out.html, out.links = trackLinks(html, n.baseURL(), rec.Id, unsubscribeURL(n.baseURL(), s))
	}
	switch channel {
	case schema.ChannelEmail:
		if snd.mailErr != nil {
			out.err = snd.mailErr
			break
		}
		if snd.mail == nil {
			out.providerID = OutboxPrefix + rec.Id
			break
		}
		msg := email.Message{MessageID: messageID(rec.Id, b.SenderEmail), FromName: b.SenderName, From: b.SenderEmail,
			EnvelopeFrom: n.d.Config.SMTP.From,
			ReplyTo:      b.SupportEmail, To: rec.GetString(m.To), Subject: subj, HTML: out.html, Text: text,
			Headers: map[string]string{"X-Porchlight-Message": rec.Id}}
		if rec.GetString(m.Category) != schema.Transactional {
			if u := unsubscribeURL(n.baseURL(), s); strings.HasPrefix(u, "https://") {
				msg.Unsubscribe = u
			}
		}
		if err := n.emailLim.wait(ctx); err != nil {
			out.err = err
			break
		}
		out.providerID, out.err = snd.mail.Send(ctx, msg)
	case schema.ChannelSMS:
		if snd.smsErr != nil {
			out.err = snd.smsErr
			break
		}
		if snd.sms == nil {
			out.providerID = OutboxPrefix + rec.Id
			break
		}
		if err := n.smsLim.wait(ctx); err != nil {
			out.err = err
			break
		}
		out.providerID, out.err = snd.sms.Send(rec.GetString(m.To), text)
		var te *twilio.Error
		if errors.As(out.err, &te) && te.Code == twilio.CodeOptedOut {
			out.optedOut = true
		}
	default:
		out.err = fmt.Errorf("unknown channel %q", channel)
	}
	if out.err == nil {
		out.status = schema.MsgSent
		return out
	}
	attempts := rec.GetInt(m.Attempts)
	if isTemporary(out.err) && attempts < n.d.MaxAttempts {
		out.status = schema.MsgScheduled
		out.retryAt = now.Add(Backoff[min(attempts, len(Backoff))-1])
		return out
	}
	out.status = schema.MsgFailed
	return out
}

// isTemporary: errors that say they are temporary, and unknown errors (a
// network failure is the common unknown), may be retried.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	if errors.As(err, &t) {
		return t.Temporary()
	}
	return true
}

// record writes the outcome on a fresh copy of the row.
func (n *Notifier) record(app core.App, id string, out outcome) error {
	m := schema.Messages
	rec, err := app.FindRecordById(schema.CMessages, id)
	if err != nil {
		return err
	}
	now := n.clock.Now()
	rec.Set(m.Status, out.status)
	if out.tmplKey != "" {
		rec.Set(schema.MessageNotify.TemplateKey, out.tmplKey)
	}
	if out.subject != "" || out.text != "" {
		rec.Set(m.Subject, out.subject)
		rec.Set(m.BodyHTML, out.html)
		rec.Set(m.BodyText, out.text)
		rec.Set(schema.MessageNotify.Links, out.links)
	}
	switch out.status {
	case schema.MsgSent:
		rec.Set(m.ProviderID, out.providerID)
		rec.Set(m.SentAt, now)
		rec.Set(m.LastError, "")
	case schema.MsgSuppressed:
		rec.Set(m.SuppressedReason, out.reason)
	case schema.MsgScheduled:
		rec.Set(m.DueAt, out.retryAt.UTC())
		if out.held {
			rec.Set(m.Attempts, max(rec.GetInt(m.Attempts)-1, 0))
		}
	}
	if out.err != nil {
		rec.Set(m.LastError, truncate(out.err.Error(), 1900))
	}
	if err := app.Save(rec); err != nil {
		return err
	}
	if out.optedOut {
		if cid := rec.GetString(m.Customer); cid != "" {
			_ = app.RunInTransaction(func(tx core.App) error {
				return setSMSConsent(tx, cid, false, "twilio_21610", n.clock.Now())
			})
		}
	}
	return nil
}

// compose renders a message with its template: the merchant's record for
// the customer's locale, else English, else the embedded default (also the
// fallback when an edited template no longer parses). strict fails on
// missing variables, for previews.
func (n *Notifier) compose(app core.App, rec *core.Record, s *subject, b brand.Brand, strict bool) (subj, html, text, key string, err error) {
	m := schema.Messages
	channel := rec.GetString(m.Channel)
	key = rec.GetString(schema.MessageNotify.TemplateKey)
	if key == "" {
		key = rec.GetString(m.Trigger)
	}
	locale := DefaultLocale
	if s.customer != nil && s.customer.GetString(schema.Customers.Locale) != "" {
		locale = s.customer.GetString(schema.Customers.Locale)
	}
	var v render.Vars
	if s.order != nil {
		v = n.vars(app, s, b)
	} else {
		v.Shop = render.Shop{Name: b.Name, SupportEmail: b.SupportEmail, SupportPhone: b.SupportPhone, ReviewURL: b.ReviewURL}
	}
	rb := render.Brand{Name: b.Name, PrimaryColor: b.PrimaryColor, Lang: locale}
	if strings.HasPrefix(b.LogoURL, "http") {
		rb.LogoURL = b.LogoURL
	}
	var tmpls []render.Template
	if t, ok := lookupTemplate(app, key, channel, locale); ok {
		tmpls = append(tmpls, t)
	}
	if !strict {
		if defs, derr := n.defaults(); derr == nil {
			if d, ok := defs[key+"."+channel]; ok {
				tmpls = append(tmpls, d.Template)
			}
		}
	}
	if len(tmpls) == 0 {
		return "", "", "", key, fmt.Errorf("no %s template %q", channel, key)
	}
	for _, t := range tmpls {
		switch {
		case channel == schema.ChannelEmail && strict:
			subj, html, text, err = render.PreviewEmail(t, v, rb)
		case channel == schema.ChannelEmail:
			subj, html, text, err = render.Email(t, v, rb)
		case strict:
			text, err = render.PreviewSMS(t, v)
		default:
			text, err = render.SMS(t, v)
		}
		if err == nil {
			return subj, html, text, key, nil
		}
	}
	return "", "", "", key, err
}

// defaults are the embedded templates, loaded and checked once.
func (n *Notifier) defaults() (map[string]defaultTemplate, error) {
	n.defsOnce.Do(func() {
		if n.d.Content == nil {
			n.defsErr = errors.New("no embedded templates")
			return
		}
		n.defs, n.defsErr = loadDefaults(n.d.Content)
	})
	return n.defs, n.defsErr
}

func lookupTemplate(app core.App, key, channel, locale string) (render.Template, bool) {
	t := schema.Templates
	for _, l := range []string{locale, DefaultLocale} {
		r, err := app.FindFirstRecordByFilter(schema.CTemplates, t.Key+" = {:k} && "+t.Channel+" = {:c} && "+t.Locale+" = {:l}",
			dbx.Params{"k": key, "c": channel, "l": l})
		if err == nil {
			return render.Template{Subject: r.GetString(t.Subject), Body: r.GetString(t.Body)}, true
		}
		if !errors.Is(err, sql.ErrNoRows) {
			break
		}
	}
	return render.Template{}, false
}

// quietUntil is when an SMS may go out: now inside the recipient's window,
// else the window's next opening. Local time comes from the shipping
// address, else the phone's country, else the brand's time zone.
func (n *Notifier) quietUntil(app core.App, s *subject, to string, b brand.Brand, now time.Time) time.Time {
	var country, region, postal string
	if s.order != nil {
		o := schema.Orders
		country, region, postal = s.order.GetString(o.ShipCountry), s.order.GetString(o.ShipRegion), s.order.GetString(o.ShipPostal)
	}
	loc, _ := quiet.ResolveLocation(country, region, postal, to, b.Timezone)
	return quiet.NextAllowed(now, loc, n.policy(app, b).Window(country, region))
}

// policy is the configured quiet-hours policy, or the default one with the
// brand's hours as the default window and the brand's per-region windows
// (quiet_regions, edited in the admin) over the built-in Florida/Oklahoma
// ones. Malformed entries are ignored.
func (n *Notifier) policy(app core.App, b brand.Brand) quiet.Policy {
	if n.d.Quiet != nil {
		return *n.d.Quiet
	}
	p := quiet.DefaultPolicy()
	if w, ok := parseWindow(b.QuietStart + "-" + b.QuietEnd); ok {
		p.Default = w
	}
	recs, err := app.FindRecordsByFilter(schema.CBrand, "", schema.FCreated, 1, 0)
	if err != nil || len(recs) == 0 {
		return p
	}
	var regions map[string]string
	_ = recs[0].UnmarshalJSONField(schema.BrandNotify.QuietRegions, &regions)
	for k, v := range regions {
		if w, ok := parseWindow(v); ok {
			p.Overrides[strings.ToUpper(strings.TrimSpace(k))] = w
		}
	}
	return p
}

// parseWindow reads "08:00-21:00".
func parseWindow(s string) (quiet.Window, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ok {
		return quiet.Window{}, false
	}
	start, ok1 := hhmm(a)
	end, ok2 := hhmm(b)
	w := quiet.Window{Start: start, End: end}
	return w, ok1 && ok2 && w.Validate() == nil
}

func hhmm(s string) (int, bool) {
	h, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	hi, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || hi < 0 || hi > 24 || mi < 0 || mi > 59 {
		return 0, false
	}
	return hi*60 + mi, true
}

// messageID is a stable Message-ID per outbox row, so a crash duplicate
// carries the same id as the first copy.
func messageID(id, sender string) string {
	domain := "porchlight.local"
	if a, err := mail.ParseAddress(sender); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			domain = d
		}
	}
	return id + "@" + domain
}

func unsubscribeURL(base string, s *subject) string {
	if s.customer == nil {
		return ""
	}
	tok := s.customer.GetString(schema.Customers.UnsubscribeToken)
	if tok == "" {
		return ""
	}
	return base + "/u/" + tok
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
