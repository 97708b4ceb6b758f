package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/token"
	"porchlight/hooks/tracking/status"
)

type orderView struct {
	Number   string
	Headline string
}

type stepView struct {
	Label         string
	Done, Current bool
}

type eventView struct {
	ISO, When, Message, Location string
}

type shipmentView struct {
	StatusLabel    string
	EDD            string
	Delayed        bool
	DelayReason    string
	Steps          []stepView
	CarrierName    string
	TrackingNumber string
	TrackingURL    string
	Events         []eventView
}

// labels are the shopper wording of the canonical statuses.
var labels = map[status.Status]string{
	status.Pending: "Order received", status.InfoReceived: "Label created", status.InTransit: "On its way",
	status.OutForDelivery: "Out for delivery", status.AttemptFail: "Delivery attempted",
	status.AvailableForPickup: "Ready for pickup", status.Delivered: "Delivered",
	status.Exception: "Problem with delivery", status.Expired: "Tracking stopped",
}

// progress is the happy path shown as a bar.
var progress = []status.Status{status.InfoReceived, status.InTransit, status.OutForDelivery, status.Delivered}

func (p *Pages) lookupForm(e *core.RequestEvent) error {
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	return p.render(e, http.StatusOK, "lookup", data)
}

// lookup finds an order by number plus one contact detail. "No such order"
// and "wrong contact" answer identically.
func (p *Pages) lookup(e *core.RequestEvent) error {
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	number := strings.TrimPrefix(strings.TrimSpace(e.Request.FormValue("number")), "#")
	contact := strings.TrimSpace(e.Request.FormValue("contact"))
	data.Number, data.Contact = number, contact
	if number != "" && contact != "" && len(number) <= 64 && len(contact) <= 320 {
		if tok := p.matchOrder(e.App, number, contact); tok != "" {
			return e.Redirect(http.StatusSeeOther, "/t/"+tok)
		}
	}
	data.Error = "We couldn't find an order with those details. Check the order number in your confirmation email."
	return p.render(e, http.StatusOK, "lookup", data)
}

func (p *Pages) matchOrder(app core.App, number, contact string) string {
	o := schema.Orders
	recs, err := app.FindRecordsByFilter(schema.COrders, o.Number+" = {:n} || "+o.Number+" = {:h}", "", 5, 0,
		dbx.Params{"n": number, "h": "#" + number})
	if err != nil {
		return ""
	}
	norm := func(s string) string {
		return strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), "-", ""))
	}
	c := norm(contact)
	for _, r := range recs {
		for _, v := range []string{r.GetString(o.Email), r.GetString(o.Phone), r.GetString(o.ShipPostal)} {
			if v != "" && norm(v) == c {
				return r.GetString(o.AccessToken)
			}
		}
	}
	return ""
}

func (p *Pages) orderStatus(e *core.RequestEvent) error {
	tok := e.Request.PathValue("token")
	if !token.Valid(tok) {
		return p.notFound(e)
	}
	order, err := e.App.FindFirstRecordByData(schema.COrders, schema.Orders.AccessToken, tok)
	if isNotFound(err) {
		return p.notFound(e)
	}
	if err != nil {
		e.App.Logger().Error("order status: load order", "err", err)
		return p.fail(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	loc := data.Brand.Location()
	data.Order = orderView{Number: order.GetString(schema.Orders.Number)}
	ships, err := e.App.FindAllRecords(schema.CShipments, dbx.HashExp{schema.Shipments.Order: order.Id})
	if err != nil {
		e.App.Logger().Error("order status: load shipments", "err", err)
		return p.fail(e)
	}
	for _, s := range ships {
		sv, err := p.shipmentView(e.App, s, loc)
		if err != nil {
			e.App.Logger().Error("order status: shipment", "err", err)
			return p.fail(e)
		}
		data.Shipments = append(data.Shipments, sv)
	}
	switch {
	case len(ships) == 0:
		data.Order.Headline = "We're getting your order ready."
	case len(ships) == 1:
		data.Order.Headline = data.Shipments[0].StatusLabel
	default:
		data.Order.Headline = "Your order ships in " + itoa(len(ships)) + " parcels."
	}
	return p.render(e, http.StatusOK, "track", data)
}

func (p *Pages) shipmentView(app core.App, s *core.Record, loc *time.Location) (shipmentView, error) {
	sh := schema.Shipments
	st := status.Status(s.GetString(sh.Status))
	v := shipmentView{
		StatusLabel: labels[st], Delayed: s.GetBool(sh.Delayed), DelayReason: s.GetString(sh.DelayReason),
		CarrierName: strings.ToUpper(s.GetString(sh.Carrier)), TrackingNumber: s.GetString(sh.TrackingNumber),
		TrackingURL: s.GetString(sh.TrackingURL),
	}
	if v.StatusLabel == "" {
		v.StatusLabel = labels[status.Pending]
	}
	if min, max := s.GetDateTime(sh.EDDMin), s.GetDateTime(sh.EDDMax); !min.IsZero() && st != status.Delivered {
		v.EDD = min.Time().In(loc).Format("Mon 2 Jan")
		if !max.IsZero() && !max.Time().Equal(min.Time()) {
			v.EDD += " – " + max.Time().In(loc).Format("Mon 2 Jan")
		}
	}
	reached := -1
	for i, ps := range progress {
		if rank(st) >= rank(ps) {
			reached = i
		}
	}
	for i, ps := range progress {
		v.Steps = append(v.Steps, stepView{Label: labels[ps], Done: i <= reached, Current: i == reached})
	}
	events, err := app.FindRecordsByFilter(schema.CTrackingEvents, schema.TrackingEvents.Shipment+" = {:s}",
		"-"+schema.TrackingEvents.OccurredAt, 200, 0, dbx.Params{"s": s.Id})
	if err != nil {
		return v, err
	}
	te := schema.TrackingEvents
	for _, ev := range events {
		at := ev.GetDateTime(te.OccurredAt).Time().In(loc)
		v.Events = append(v.Events, eventView{ISO: at.Format(time.RFC3339), When: at.Format("Mon 2 Jan, 15:04"),
			Message: ev.GetString(te.Message), Location: ev.GetString(te.Location)})
	}
	return v, nil
}

// rank orders statuses along the happy path for the progress bar.
func rank(s status.Status) int {
	switch s {
	case status.InfoReceived:
		return 1
	case status.InTransit, status.Exception, status.AttemptFail:
		return 2
	case status.OutForDelivery, status.AvailableForPickup:
		return 3
	case status.Delivered:
		return 4
	}
	return 0
}

func itoa(n int) string { return strconv.Itoa(n) }
