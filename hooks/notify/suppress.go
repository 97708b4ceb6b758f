package notify

import (
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// Suppression reasons, stored in messages.suppressed_reason.
const (
	ReasonNoAddress      = "no_address"
	ReasonNoConsent      = "no_consent"
	ReasonOptedOut       = "sms_opted_out"
	ReasonCancelled      = "order_cancelled"
	ReasonShipmentDelay  = "shipment_delayed"
	ReasonShipmentExcept = "shipment_exception"
	ReasonReturnOpen     = "return_open"
	ReasonHelpOpen       = "help_request_open"
	ReasonUnhappy        = "customer_unhappy"
	ReasonDetractor      = "survey_detractor"
	ReasonStale          = "stale" // the milestone is older than MaxLateness (imported history)
)

// DetractorWindow is how long an NPS detractor answer (0–6) suppresses
// marketing.
const DetractorWindow = 60 * 24 * time.Hour

// closedReturn are return states after which a return no longer blocks.
var closedReturn = []string{"refunded", "exchanged", "credited", "rejected", "cancelled"}

// suppression decides, when a message falls due, whether it must not go out
// and why. Marketing (review requests, tips, replenishment, cross-sell) is
// held back while anything about the order is going wrong.
func (n *Notifier) suppression(app core.App, msg *core.Record, s *subject) string {
	m, c := schema.Messages, schema.Customers
	channel, category := msg.GetString(m.Channel), msg.GetString(m.Category)
	if msg.GetString(m.To) == "" {
		return ReasonNoAddress
	}
	if s.order != nil && s.order.GetString(schema.Orders.Status) == schema.OrderCancelled {
		return ReasonCancelled
	}
	if channel == schema.ChannelSMS && msg.GetString(m.Trigger) == schema.TrigHelpReply {
		// HELP is answered even for a number we do not know, never to one
		// that opted out.
		if s.customer != nil && !s.customer.GetBool(c.SMSTransactional) && optedOut(s.customer) {
			return ReasonOptedOut
		}
		return ""
	}
	if channel == schema.ChannelSMS {
		if s.customer != nil && !s.customer.GetBool(c.SMSTransactional) && optedOut(s.customer) {
			return ReasonOptedOut
		}
		if s.customer == nil || !s.customer.GetBool(c.SMSTransactional) {
			return ReasonNoConsent
		}
		if category == schema.Marketing && !s.customer.GetBool(c.SMSMarketing) {
			return ReasonNoConsent
		}
	}
	if category != schema.Marketing {
		return ""
	}
	if channel == schema.ChannelEmail && (s.customer == nil || !s.customer.GetBool(c.EmailMarketing)) {
		return ReasonNoConsent
	}
	if s.order != nil {
		ships, _ := app.FindAllRecords(schema.CShipments, dbx.HashExp{schema.Shipments.Order: s.order.Id})
		for _, sh := range ships {
			if sh.GetString(schema.Shipments.Status) == string(status.Exception) {
				return ReasonShipmentExcept
			}
			if sh.GetBool(schema.Shipments.Delayed) && sh.GetString(schema.Shipments.Status) != string(status.Delivered) {
				return ReasonShipmentDelay
			}
		}
		returns, _ := app.FindAllRecords(schema.CReturns, dbx.HashExp{schema.Returns.Order: s.order.Id})
		for _, r := range returns {
			if !slices.Contains(closedReturn, r.GetString(schema.Returns.Status)) {
				return ReasonReturnOpen
			}
		}
		if k, _ := app.CountRecords(schema.CHelpRequests, dbx.HashExp{schema.HelpRequests.Order: s.order.Id},
			dbx.In(schema.HelpRequests.Status, "open", "pending")); k > 0 {
			return ReasonHelpOpen
		}
		if s.order.GetString(schema.Orders.State) == schema.StateUnhappy {
			return ReasonUnhappy
		}
	}
	if s.customer == nil {
		return ""
	}
	if s.customer.GetString(c.State) == schema.StateUnhappy {
		return ReasonUnhappy
	}
	if k, _ := app.CountRecords(schema.CHelpRequests, dbx.HashExp{schema.HelpRequests.Customer: s.customer.Id},
		dbx.In(schema.HelpRequests.Status, "open", "pending")); k > 0 {
		return ReasonHelpOpen
	}
	now := n.clock.Now()
	sr := schema.SurveyResponses
	resps, _ := app.FindRecordsByFilter(schema.CSurveyResponses,
		sr.Customer+" = {:c} && "+sr.AnsweredAt+" >= {:since}", "", 50, 0,
		dbx.Params{"c": s.customer.Id, "since": schema.DBTime(now.Add(-DetractorWindow))})
	for _, r := range resps {
		sv, err := app.FindRecordById(schema.CSurveys, r.GetString(sr.Survey))
		if err == nil && sv.GetString(schema.Surveys.Kind) == "nps" && r.GetInt(sr.Score) <= 6 {
			return ReasonDetractor
		}
	}
	return ""
}

// capUntil applies the frequency cap: when the customer already had
// FrequencyCap marketing messages in the last 24 hours, it returns when the
// oldest of them leaves the window (the message waits until then); else the
// zero time.
func (n *Notifier) capUntil(app core.App, msg *core.Record, s *subject) time.Time {
	m := schema.Messages
	if msg.GetString(m.Category) != schema.Marketing || s.customer == nil {
		return time.Time{}
	}
	now := n.clock.Now()
	recent, err := app.FindRecordsByFilter(schema.CMessages,
		m.Customer+" = {:c} && "+m.Category+" = {:mk} && ("+m.Status+" = {:s1} || "+m.Status+" = {:s2}) && "+m.SentAt+" > {:since} && id != {:id}",
		"-"+m.SentAt, n.d.FrequencyCap, 0,
		dbx.Params{"c": s.customer.Id, "mk": schema.Marketing, "s1": schema.MsgSent, "s2": schema.MsgDelivered,
			"since": schema.DBTime(now.Add(-24 * time.Hour)), "id": msg.Id})
	if err != nil || len(recent) < n.d.FrequencyCap {
		return time.Time{}
	}
	return recent[len(recent)-1].GetDateTime(m.SentAt).Time().Add(24 * time.Hour)
}

// optedOut says whether the customer's latest SMS consent change was an
// opt-out (a STOP reply or Twilio's 21610), as opposed to never having
// given consent.
func optedOut(cust *core.Record) bool {
	var log []map[string]any
	_ = cust.UnmarshalJSONField(schema.Customers.ConsentLog, &log)
	for i := len(log) - 1; i >= 0; i-- {
		if on, ok := log[i]["sms"].(bool); ok {
			src, _ := log[i]["source"].(string)
			return !on && (strings.HasPrefix(src, "sms_keyword") || strings.HasPrefix(src, "twilio_"))
		}
	}
	return false
}
