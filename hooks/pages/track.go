package pages

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"porchlight/hooks/clock"
	"porchlight/hooks/pages/i18n"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// track is GET /track: the lookup form, or with ?number= the progress of
// that one shipment and nothing about its order.
func (p *Pages) track(e *core.RequestEvent) error {
	if n := strings.TrimSpace(e.Request.URL.Query().Get("number")); n != "" {
		return p.parcel(e, n)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	data.Title = data.L.T("lookup.heading")
	return p.render(e, http.StatusOK, "lookup", data)
}

func clientIP(e *core.RequestEvent) string {
	if ip := e.RealIP(); ip != "" {
		return ip
	}
	host, _, _ := net.SplitHostPort(e.Request.RemoteAddr)
	return host
}

// lookup finds an order by number plus one contact detail. "No such order"
// and "wrong contact" answer identically and do the same work: one query,
// then every stored contact compared in constant time.
func (p *Pages) lookup(e *core.RequestEvent) error {
	number := strings.TrimPrefix(strings.TrimSpace(e.Request.FormValue("number")), "#")
	contact := strings.TrimSpace(e.Request.FormValue("contact"))
	now := p.limiter.limits.Now()
	keys := []string{ipKey(clientIP(e)), numberKey(number)}
	if blocked, wait := p.limiter.blocked(now, keys...); blocked {
		return p.tooMany(e, wait)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	data.Title = data.L.T("lookup.heading")
	data.Number, data.Contact = number, contact
	switch {
	case number == "":
		data.Error = data.L.T("lookup.error.order_required")
		return p.render(e, http.StatusUnprocessableEntity, "lookup", data)
	case contact == "":
		data.Error = data.L.T("lookup.error.contact_required")
		return p.render(e, http.StatusUnprocessableEntity, "lookup", data)
	}
	if len(number) <= 64 && len(contact) <= 320 {
		if tok := p.matchOrder(e.App, number, contact); tok != "" {
			return e.Redirect(http.StatusSeeOther, "/t/"+tok+langSuffix(e))
		}
	}
	p.limiter.fail(now, keys...)
	data.Error, data.Hint = data.L.T("lookup.error.not_found"), data.L.T("lookup.error.not_found_hint")
	return p.render(e, http.StatusOK, "lookup", data)
}

// langSuffix carries an explicit ?lang= across a redirect.
func langSuffix(e *core.RequestEvent) string {
	if l := e.Request.URL.Query().Get("lang"); l != "" && len(l) <= 16 {
		return "?lang=" + strings.Map(func(r rune) rune {
			if r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
				return r
			}
			return -1
		}, l)
	}
	return ""
}

func normContact(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(strings.TrimSpace(s)))
}

func (p *Pages) matchOrder(app core.App, number, contact string) string {
	o := schema.Orders
	recs, err := app.FindRecordsByFilter(schema.COrders, o.Number+" = {:n} || "+o.Number+" = {:h}", "", 5, 0,
		dbx.Params{"n": number, "h": "#" + number})
	if err != nil {
		app.Logger().Error("lookup: find order", "err", err)
		return ""
	}
	c := []byte(normContact(contact))
	found := ""
	for _, r := range recs {
		if r.GetString(o.AccessToken) == "" {
			continue
		}
		for _, v := range []string{r.GetString(o.Email), r.GetString(o.Phone), r.GetString(o.ShipPostal)} {
			if v != "" && subtle.ConstantTimeCompare([]byte(normContact(v)), c) == 1 && found == "" {
				found = r.GetString(o.AccessToken)
			}
		}
	}
	return found
}

// parcel is /track?number=: one shipment's progress, no order details.
func (p *Pages) parcel(e *core.RequestEvent, number string) error {
	now := p.limiter.limits.Now()
	keys := []string{ipKey(clientIP(e)), numberKey(number)}
	if blocked, wait := p.limiter.blocked(now, keys...); blocked {
		return p.tooMany(e, wait)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	data.Title = data.L.T("lookup.heading")
	var ship *core.Record
	if len(number) <= 64 {
		ship, err = e.App.FindFirstRecordByData(schema.CShipments, schema.Shipments.TrackingNumber, number)
		if err != nil && !isNotFound(err) {
			e.App.Logger().Error("track number: find shipment", "err", err)
			return p.fail(e)
		}
	}
	if ship == nil {
		p.limiter.fail(now, keys...)
		data.Error, data.Hint = data.L.T("lookup.error.not_found"), data.L.T("lookup.error.not_found_hint")
		return p.render(e, http.StatusOK, "lookup", data)
	}
	events, err := eventsOf(e.App, ship.Id)
	if err != nil {
		e.App.Logger().Error("track number: events", "err", err)
		return p.fail(e)
	}
	sv, err := p.shipmentView(e.App, data.L, ship, events[ship.Id], data.Brand.Location(), 1, 1)
	if err != nil {
		e.App.Logger().Error("track number: shipment", "err", err)
		return p.fail(e)
	}
	sv.TrackingURL = "" // only what the number itself tells
	if sv.Delivered {
		sv.Next = ""
	}
	data.Parcel = &sv
	data.Title = sv.StatusLabel
	return p.render(e, http.StatusOK, "parcel", data)
}

// orderByToken loads the order whose field holds tok; nil when none. Given
// cols, it loads only those fields (and the id).
func (p *Pages) orderByToken(e *core.RequestEvent, field string, cols ...string) (*core.Record, error) {
	tok := e.Request.PathValue("token")
	if !tokenShape(tok) {
		return nil, nil
	}
	q := e.App.RecordQuery(schema.COrders)
	if len(cols) > 0 {
		q.Select(append([]string{schema.FID}, cols...)...)
	}
	order := &core.Record{}
	err := q.AndWhere(dbx.HashExp{field: tok}).Limit(1).One(order)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return order, nil
}

// statusPageOrder is every order field the status page (fillOrder) reads;
// an order row also holds the address and storefront details it never
// shows.
var statusPageOrder = []string{schema.Orders.Number, schema.Orders.AccessToken, schema.Orders.PlacedAt,
	schema.Orders.Customer, schema.Orders.Currency}

// orderStatus is /t/{token}.
func (p *Pages) orderStatus(e *core.RequestEvent) error {
	order, err := p.orderByToken(e, schema.Orders.AccessToken, statusPageOrder...)
	if err != nil {
		e.App.Logger().Error("order status: load order", "err", err)
		return p.fail(e)
	}
	if order == nil {
		return p.notFound(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	if err := p.fillOrder(e, &data, order, false); err != nil {
		e.App.Logger().Error("order status", "order", order.Id, "err", err)
		return p.fail(e)
	}
	q := e.Request.URL.Query()
	data.Order.HelpSent = q.Get("sent") == "help"
	data.Order.SMSSent = q.Get("sent") == "sms"
	p.recorder.record(pageView{page: "order", order: order.Id, kind: "view", at: p.deps.Clock.Now()})
	return p.render(e, http.StatusOK, "track", data)
}

// shopperLocation is the customer's time zone, else the brand's. The
// customer comes back with only its time zone and phone loaded: the order
// page needs no more, and the consent log can be long.
func shopperLocation(app core.App, order *core.Record, brandLoc *time.Location) (*time.Location, *core.Record) {
	id := order.GetString(schema.Orders.Customer)
	if id == "" {
		return brandLoc, nil
	}
	cu := schema.Customers
	c := &core.Record{}
	err := app.RecordQuery(schema.CCustomers).Select(schema.FID, cu.Timezone, cu.Phone).
		AndWhere(dbx.HashExp{schema.FID: id}).Limit(1).One(c)
	if err != nil {
		return brandLoc, nil
	}
	if tz := c.GetString(cu.Timezone); tz != "" {
		if loc, err := clock.Location(tz); err == nil {
			return loc, c
		}
	}
	return brandLoc, c
}

// loadShipments renders every parcel of order.
func (p *Pages) loadShipments(app core.App, l *i18n.Localizer, order *core.Record, loc *time.Location) ([]shipmentView, error) {
	// A dbx expression, not a filter string PocketBase would parse per view,
	// and only the columns shipmentView reads: a parcel row also carries its
	// items and polling state, which the page never shows.
	sh := schema.Shipments
	var ships []*core.Record
	err := app.RecordQuery(schema.CShipments).
		Select(schema.FID, sh.Carrier, sh.TrackingNumber, sh.TrackingURL, sh.Status, sh.Substatus,
			sh.EDDMin, sh.EDDMax, sh.EDDHistory, sh.DeliveredAt, sh.Delayed).
		AndWhere(dbx.HashExp{sh.Order: order.Id}).
		OrderBy(schema.FCreated + " ASC").Limit(50).All(&ships)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ships))
	for i, s := range ships {
		ids[i] = s.Id
	}
	events, err := eventsOf(app, ids...)
	if err != nil {
		return nil, err
	}
	var out []shipmentView
	for i, s := range ships {
		sv, err := p.shipmentView(app, l, s, events[s.Id], loc, i+1, len(ships))
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}

// headline sums the parcels up in one line.
func headline(l *i18n.Localizer, ships []shipmentView) (string, string) {
	switch len(ships) {
	case 0:
		return l.T("status.pending"), l.T("status_detail.pending")
	case 1:
		return ships[0].StatusLabel, ships[0].StatusDetail
	}
	return l.Plural("packages.count", len(ships)), ""
}

// maxEvents is the most checkpoints a parcel's timeline shows.
const maxEvents = 100

// checkpoint is what a parcel's timeline shows of one tracking event.
type checkpoint struct {
	at                        types.DateTime
	status, message, location string
}

// eventsOf loads the newest checkpoints of several parcels in one query
// (one query per page instead of one per parcel), grouped by shipment. It
// reads only the columns the timeline shows, into plain values: building a
// full record per checkpoint was a fifth of the page's CPU.
func eventsOf(app core.App, shipmentIDs ...string) (map[string][]checkpoint, error) {
	out := map[string][]checkpoint{}
	if len(shipmentIDs) == 0 {
		return out, nil
	}
	te := schema.TrackingEvents
	ids := make([]any, len(shipmentIDs))
	for i, id := range shipmentIDs {
		ids[i] = id
	}
	rows, err := app.DB().Select(te.Shipment, te.OccurredAt, te.Status, te.Message, te.Location).
		From(schema.CTrackingEvents).Where(dbx.In(te.Shipment, ids...)).
		OrderBy(te.OccurredAt + " DESC").Rows()
	if err != nil {
		return nil, fmt.Errorf("load checkpoints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var c checkpoint
		if err := rows.Scan(&sid, &c.at, &c.status, &c.message, &c.location); err != nil {
			return nil, fmt.Errorf("load checkpoints: %w", err)
		}
		if len(out[sid]) < maxEvents {
			out[sid] = append(out[sid], c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load checkpoints: %w", err)
	}
	return out, nil
}

// shipmentView reads only the fields loadShipments selects; a new one must
// be added there too.
func (p *Pages) shipmentView(app core.App, l *i18n.Localizer, s *core.Record, events []checkpoint, loc *time.Location, n, total int) (shipmentView, error) {
	sh := schema.Shipments
	st := status.Status(s.GetString(sh.Status))
	if !status.Valid(string(st)) {
		st = status.Pending
	}
	sub := s.GetString(sh.Substatus)
	v := shipmentView{
		StatusLabel: l.T("status." + string(st)), StatusDetail: l.T("status_detail." + string(st)),
		TrackingNumber: s.GetString(sh.TrackingNumber), TrackingURL: s.GetString(sh.TrackingURL),
		Delivered: st == status.Delivered, TimelineHeading: l.T("order.timeline_heading"), NextHeading: l.T("delay.heading_next"),
	}
	if l.Has("next." + string(st)) {
		v.Next = l.T("next." + string(st))
	}
	if total > 1 {
		v.Label = l.T("order.package_of", "n", n, "total", total)
	}
	v.CarrierName = carrierName(s.GetString(sh.Carrier))
	if v.CarrierName != "" {
		v.TrackOnCarrier = l.T("order.track_on_carrier", "carrier", v.CarrierName)
	}
	// EDD windows are civil dates stored at 00:00 UTC: format them in UTC.
	min, max := s.GetDateTime(sh.EDDMin).Time(), s.GetDateTime(sh.EDDMax).Time()
	switch {
	case st == status.Delivered:
		if d := s.GetDateTime(sh.DeliveredAt).Time(); !d.IsZero() {
			v.EDD = l.T("eta.delivered_on", "date", l.Date(d, loc))
		}
	case status.IsReturn(sub) || st == status.Expired || st == status.AvailableForPickup:
		// Going back to the sender, no longer tracked or waiting at a
		// pickup point: an arrival window would be a promise we can't keep.
	case !min.IsZero() || !max.IsZero():
		v.EDD = l.T("eta.arrives", "window", l.DateWindow(min, max, time.UTC))
	case st == status.Pending:
		v.EDD = l.T("eta.pending")
	}
	delayed := s.GetBool(sh.Delayed)
	problem := delayed || st == status.Exception || st == status.AttemptFail || st == status.AvailableForPickup || st == status.Expired
	if problem && st != status.Delivered {
		d := l.Delay(delayReason(st, sub))
		v.Delay = &d
		v.Problem = st != status.AvailableForPickup || delayed
	}
	if v.EDD != "" && st != status.Delivered && eddChanged(s) {
		why := l.T("status." + string(st))
		if v.Delay != nil {
			why = v.Delay.Title
		}
		v.EDDChanged = l.T("eta.changed", "reason", why)
	}
	reached := rank(st)
	for i, ps := range progress {
		v.Steps = append(v.Steps, stepView{Label: l.T("status." + string(ps)), Done: i <= reached, Current: i == reached})
	}
	for _, ev := range events {
		at := ev.at.Time()
		label := ""
		if status.Valid(ev.status) {
			label = l.T("status." + ev.status)
		}
		v.Events = append(v.Events, eventView{ISO: at.UTC().Format(time.RFC3339), When: l.DateTime(at, loc),
			Status: label, Message: ev.message, Location: ev.location})
	}
	if len(events) > 0 {
		v.LastUpdate = l.T("order.last_update", "time", v.Events[0].When)
	}
	return v, nil
}

// eddChanged reports whether the window moved after the first estimate.
func eddChanged(s *core.Record) bool {
	var hist []struct {
		Min string `json:"min"`
		Max string `json:"max"`
	}
	_ = s.UnmarshalJSONField(schema.Shipments.EDDHistory, &hist)
	if len(hist) < 2 {
		return false
	}
	first, last := hist[0], hist[len(hist)-1]
	return first.Min != last.Min || first.Max != last.Max
}

// delayReason picks the catalogue explanation for a parcel's substatus.
func delayReason(st status.Status, sub string) string {
	switch sub {
	case status.SubCustoms, status.SubDocumentsReq, status.SubHeldForPayment:
		return "customs"
	case status.SubAddressIssue, status.SubNoAccess, status.SubUndeliverable:
		return "address"
	case status.SubWeather:
		return "weather"
	case status.SubHeldForPickup, status.SubUnclaimed:
		return "held_for_pickup"
	case status.SubDamaged:
		return "damaged"
	case status.SubLost, status.SubDisposed:
		return "lost"
	case status.SubReturnToSender, status.SubReturned:
		return "returning"
	case status.SubRefused, status.SubRejected:
		return "refused"
	}
	if st == status.AvailableForPickup {
		return "held_for_pickup"
	}
	return "generic"
}

// progress is the canonical happy path shown as a bar.
var progress = []status.Status{status.Pending, status.InfoReceived, status.InTransit, status.OutForDelivery, status.Delivered}

// rank places a status on the progress bar (an index into progress).
func rank(s status.Status) int {
	switch s {
	case status.InfoReceived:
		return 1
	case status.InTransit, status.Exception, status.AttemptFail, status.Expired:
		return 2
	case status.OutForDelivery, status.AvailableForPickup:
		return 3
	case status.Delivered:
		return 4
	}
	return 0
}

var carrierNames = map[string]string{
	"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL Express", "amazon": "Amazon Logistics",
	"ontrac": "OnTrac", "lasership": "LaserShip", "canadapost": "Canada Post", "purolator": "Purolator",
	"dpd": "DPD", "yodel": "Yodel", "royalmail": "Royal Mail", "laposte": "La Poste", "deutschepost": "Deutsche Post",
	"postnl": "PostNL", "auspost": "Australia Post", "evri": "Evri", "gls": "GLS", "correos": "Correos",
}

// carrierName is the display name of a carrier id; unknown ids show as
// given (escaped by the template), "unknown" and "" show nothing.
func carrierName(id string) string {
	if n, ok := carrierNames[strings.ToLower(id)]; ok {
		return n
	}
	if id == "" || strings.EqualFold(id, "unknown") || strings.EqualFold(id, "simulator") || len(id) > 40 {
		return ""
	}
	return id
}
