package notify

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/inbox"
	"porchlight/hooks/notify/phone"
	"porchlight/hooks/notify/sms"
	"porchlight/hooks/notify/twilio"
	"porchlight/hooks/schema"
)

// twilioVerifier checks X-Twilio-Signature over the URL Twilio was given
// (PORCHLIGHT_PUBLIC_URL + path, else the request's own) and the form.
func (n *Notifier) twilioVerifier(kind string) inbox.Verifier {
	return func(req *http.Request, body []byte) (inbox.Receipt, error) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return inbox.Receipt{}, fmt.Errorf("parse form: %w", err)
		}
		if !twilio.Validate(n.d.Config.Twilio.AuthToken, n.requestURL(req), form, req.Header.Get("X-Twilio-Signature")) {
			return inbox.Receipt{}, inbox.ErrUnauthorized
		}
		sid := form.Get("MessageSid")
		if sid == "" {
			sid = form.Get("SmsSid")
		}
		if sid == "" {
			return inbox.Receipt{}, fmt.Errorf("no MessageSid")
		}
		id := sid
		if kind == SourceTwilioStatus {
			id = sid + ":" + form.Get("MessageStatus")
		}
		return inbox.Receipt{Topic: kind, DeliveryID: id, EventID: sid, Body: body}, nil
	}
}

func (n *Notifier) requestURL(req *http.Request) string {
	if n.d.Config.PublicURL != "" {
		return n.d.Config.PublicURL + req.URL.RequestURI()
	}
	scheme := "http"
	if req.TLS != nil || req.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + req.Host + req.URL.RequestURI()
}

// handleInbound processes a reply: STOP-type words opt the number out of
// every SMS, START-type words opt it back in to transactional SMS, HELP gets
// the help template (through the outbox, like every message).
func (n *Notifier) handleInbound(tx core.App, r inbox.Receipt) error {
	form, err := url.ParseQuery(string(r.Body))
	if err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrPermanent, err)
	}
	from, err := phone.E164(form.Get("From"), "")
	if err != nil {
		return fmt.Errorf("%w: from: %v", inbox.ErrPermanent, err)
	}
	custs, err := tx.FindAllRecords(schema.CCustomers, dbx.HashExp{schema.Customers.Phone: from})
	if err != nil {
		return err
	}
	now := n.clock.Now()
	switch kw := sms.Classify(form.Get("Body")); kw {
	case sms.OptOut, sms.OptIn:
		for _, c := range custs {
			if err := setSMSConsent(tx, c.Id, kw == sms.OptIn, "sms_keyword:"+kw.String(), now); err != nil {
				return err
			}
		}
		return nil
	case sms.Help:
		col, err := tx.FindCachedCollectionByNameOrId(schema.CMessages)
		if err != nil {
			return err
		}
		m := schema.Messages
		key := "inbound:" + r.EventID + ":help"
		if _, err := tx.FindFirstRecordByData(schema.CMessages, m.IdempotencyKey, key); err == nil {
			return nil
		}
		rec := core.NewRecord(col)
		if len(custs) > 0 {
			rec.Set(m.Customer, custs[0].Id)
		}
		rec.Set(m.Trigger, schema.TrigHelpReply)
		rec.Set(schema.MessageNotify.TemplateKey, schema.TrigHelpReply)
		rec.Set(m.Channel, schema.ChannelSMS)
		rec.Set(m.Category, schema.Transactional)
		rec.Set(m.To, from)
		rec.Set(m.DueAt, now)
		rec.Set(m.Status, schema.MsgScheduled)
		rec.Set(m.IdempotencyKey, key)
		return tx.Save(rec)
	default:
		return inbox.ErrIgnored
	}
}

// setSMSConsent records an SMS consent change with its source and time.
// Opting out clears both SMS categories; opting in restores transactional.
func setSMSConsent(tx core.App, customerID string, on bool, source string, at time.Time) error {
	c := schema.Customers
	rec, err := tx.FindRecordById(schema.CCustomers, customerID)
	if err != nil {
		return err
	}
	var log []map[string]any
	_ = rec.UnmarshalJSONField(c.ConsentLog, &log)
	log = append(log, map[string]any{"at": at.UTC().Format(time.RFC3339), "source": source, "sms": on})
	rec.Set(c.ConsentLog, log)
	rec.Set(c.SMSTransactional, on)
	if !on {
		rec.Set(c.SMSMarketing, false)
	}
	return tx.Save(rec)
}

// handleStatus applies a Twilio status callback to the message it names.
// A late "sent" never overwrites "delivered".
func (n *Notifier) handleStatus(tx core.App, r inbox.Receipt) error {
	form, err := url.ParseQuery(string(r.Body))
	if err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrPermanent, err)
	}
	m := schema.Messages
	rec, err := tx.FindFirstRecordByData(schema.CMessages, m.ProviderID, r.EventID)
	if err != nil {
		return fmt.Errorf("%w: no message with provider id %s", inbox.ErrIgnored, r.EventID)
	}
	cur := rec.GetString(m.Status)
	switch form.Get("MessageStatus") {
	case "delivered":
		rec.Set(m.Status, schema.MsgDelivered)
		rec.Set(m.DeliveredAt, n.clock.Now())
	case "undelivered", "failed":
		if cur == schema.MsgDelivered {
			return nil
		}
		rec.Set(m.Status, schema.MsgFailed)
		rec.Set(m.LastError, "twilio "+form.Get("MessageStatus")+" error "+form.Get("ErrorCode"))
		if form.Get("ErrorCode") == fmt.Sprint(twilio.CodeOptedOut) && rec.GetString(m.Customer) != "" {
			if err := setSMSConsent(tx, rec.GetString(m.Customer), false, "twilio_21610", n.clock.Now()); err != nil {
				return err
			}
		}
	default: // queued, sending, sent, accepted: nothing to learn
		return nil
	}
	return tx.Save(rec)
}
