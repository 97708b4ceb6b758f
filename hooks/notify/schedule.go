package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/notify/phone"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// perParcel triggers are digested per order: parcels that reach the
// milestone within the digest window share one message.
var perParcel = map[string]bool{
	schema.TrigShipped: true, schema.TrigOutForDelivery: true, schema.TrigDelivered: true,
	schema.TrigDelayed: true, schema.TrigException: true, schema.TrigAvailableForPickup: true,
	schema.TrigFailedAttempt: true,
}

// bindHooks schedules messages from order and shipment changes. Shipment
// milestones are written with the change's own transaction (e.App), so a
// committed milestone always has its messages and a rolled-back one has
// none; the order confirmation is written right after the order commits. A
// scheduling problem is logged, never allowed to fail the business change.
func (n *Notifier) bindHooks(app core.App) {
	after := func(e *core.RecordEvent, f func(tx core.App, r *core.Record) error) error {
		if err := e.Next(); err != nil {
			return err
		}
		if err := f(e.App, e.Record); err != nil {
			e.App.Logger().Error("notify: schedule", "collection", e.Record.Collection().Name, "id", e.Record.Id, "err", err)
		}
		return nil
	}
	// The order confirmation waits for the commit: the order's lines are
	// saved after the order in the same transaction, and the flow's
	// product-type conditions need them.
	app.OnRecordAfterCreateSuccess(schema.COrders).BindFunc(func(e *core.RecordEvent) error {
		if err := n.onOrder(e.App, e.Record); err != nil {
			e.App.Logger().Error("notify: schedule", "collection", schema.COrders, "id", e.Record.Id, "err", err)
		}
		return e.Next()
	})
	app.OnRecordUpdate(schema.COrders).BindFunc(func(e *core.RecordEvent) error { return after(e, n.onOrder) })
	app.OnRecordCreate(schema.CShipments).BindFunc(func(e *core.RecordEvent) error { return after(e, n.onShipment) })
	app.OnRecordUpdate(schema.CShipments).BindFunc(func(e *core.RecordEvent) error {
		if !milestoneFieldsChanged(e.Record) {
			return e.Next()
		}
		return after(e, n.onShipment)
	})
	app.OnRecordAfterCreateSuccess(schema.CMessages).BindFunc(func(e *core.RecordEvent) error {
		n.Wake()
		return e.Next()
	})
	app.OnRecordValidate(schema.CTemplates).BindFunc(n.validateTemplate)
}

func (n *Notifier) onOrder(tx core.App, order *core.Record) error {
	o := schema.Orders
	if order.GetString(o.Status) == schema.OrderCancelled || !order.GetDateTime(o.CancelledAt).IsZero() {
		return n.cancelOrder(tx, order.Id, "order cancelled")
	}
	anchor := order.GetDateTime(o.PlacedAt).Time()
	if anchor.IsZero() {
		anchor = n.clock.Now()
	}
	return n.schedule(tx, schema.TrigOrderConfirmed, order, nil, anchor)
}

// milestoneFieldsChanged reports whether a shipment update can reach a new
// milestone. Most saves record one more in-transit scan (or the next poll
// time); their milestones were scheduled when the status was reached, and
// evaluating every flow again on each scan was a tenth of webhook
// processing.
func milestoneFieldsChanged(ship *core.Record) bool {
	orig := ship.Original()
	sh := schema.Shipments
	for _, f := range []string{sh.Status, sh.Order, sh.Delayed, sh.ShippedAt, sh.DeliveredAt} {
		if orig.GetString(f) != ship.GetString(f) {
			return true
		}
	}
	return false
}

// onShipment schedules every milestone the shipment has reached. Keys make
// this idempotent, so it can run on every save.
func (n *Notifier) onShipment(tx core.App, ship *core.Record) error {
	sh := schema.Shipments
	orderID := ship.GetString(sh.Order)
	if orderID == "" {
		return nil
	}
	order, err := tx.FindRecordById(schema.COrders, orderID)
	if err != nil {
		return fmt.Errorf("load order %s: %w", orderID, err)
	}
	if order.GetString(schema.Orders.Status) == schema.OrderCancelled {
		return nil
	}
	st := status.Status(ship.GetString(sh.Status))
	last := ship.GetDateTime(sh.LastEventAt).Time()
	if last.IsZero() {
		last = n.clock.Now()
	}
	shipped := ship.GetDateTime(sh.ShippedAt).Time()
	if shipped.IsZero() {
		shipped = ship.GetDateTime(schema.FCreated).Time()
	}
	if shipped.IsZero() || shipped.After(n.clock.Now()) {
		shipped = n.clock.Now()
	}
	type milestone struct {
		trigger string
		at      time.Time
	}
	ms := []milestone{}
	if st != status.Expired {
		ms = append(ms, milestone{schema.TrigShipped, shipped})
	}
	switch st {
	case status.OutForDelivery:
		ms = append(ms, milestone{schema.TrigOutForDelivery, last})
	case status.Exception:
		ms = append(ms, milestone{schema.TrigException, last})
	case status.AvailableForPickup:
		ms = append(ms, milestone{schema.TrigAvailableForPickup, last})
	case status.AttemptFail:
		ms = append(ms, milestone{schema.TrigFailedAttempt, last})
	case status.Delivered:
		at := ship.GetDateTime(sh.DeliveredAt).Time()
		if at.IsZero() {
			at = last
		}
		b, _ := brand.Load(tx)
		grace := time.Duration(b.DeliveryGraceHours) * time.Hour
		ms = append(ms, milestone{schema.TrigDelivered, at.Add(grace)},
			milestone{schema.TrigPostDeliveryTips, at}, milestone{schema.TrigReviewRequest, at}, milestone{schema.TrigReplenish, at})
	}
	if ship.GetBool(sh.Delayed) && st != status.Delivered {
		ms = append(ms, milestone{schema.TrigDelayed, n.clock.Now()})
	}
	for _, m := range ms {
		if err := n.schedule(tx, m.trigger, order, ship, m.at); err != nil {
			return err
		}
	}
	return nil
}

// subject is what a flow's conditions and a message's rendering look at,
// loaded lazily.
type subject struct {
	tx       core.App
	order    *core.Record
	ship     *core.Record
	customer *core.Record // may be nil
	products []*core.Record
	loaded   bool
}

func (s *subject) load() error {
	if s.loaded {
		return nil
	}
	s.loaded = true
	if cid := s.order.GetString(schema.Orders.Customer); cid != "" {
		c, err := s.tx.FindRecordById(schema.CCustomers, cid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		s.customer = c
	}
	items, err := s.tx.FindAllRecords(schema.COrderItems, dbx.HashExp{schema.OrderItems.Order: s.order.Id})
	if err != nil {
		return err
	}
	for _, it := range items {
		pid := it.GetString(schema.OrderItems.Product)
		if pid == "" {
			continue
		}
		if p, err := s.tx.FindRecordById(schema.CProducts, pid); err == nil {
			s.products = append(s.products, p)
		}
	}
	return nil
}

func (s *subject) firstOrder() bool {
	cid := s.order.GetString(schema.Orders.Customer)
	if cid == "" {
		return true
	}
	o := schema.Orders
	n, err := s.tx.CountRecords(schema.COrders, dbx.HashExp{o.Customer: cid}, dbx.NewExp(o.PlacedAt+" < {:p}", dbx.Params{"p": s.order.GetString(o.PlacedAt)}))
	return err == nil && n == 0
}

// matches applies a flow's conditions.
func (s *subject) matches(c Conditions) bool {
	o := schema.Orders
	in := func(list []string, v string) bool {
		return len(list) == 0 || slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, v) })
	}
	if len(c.ProductTypes) > 0 && !slices.ContainsFunc(s.products, func(p *core.Record) bool {
		return in(c.ProductTypes, p.GetString(schema.Products.ProductType))
	}) {
		return false
	}
	adAngle, acq, state := s.order.GetString(o.AdAngle), s.order.GetString(o.AcqSource), s.order.GetString(o.State)
	if s.customer != nil {
		if adAngle == "" {
			adAngle = s.customer.GetString(schema.Customers.AdAngle)
		}
		if acq == "" {
			acq = s.customer.GetString(schema.Customers.AcqSource)
		}
		if cs := s.customer.GetString(schema.Customers.State); cs != "" {
			state = cs
		}
	}
	if !in(c.AdAngles, adAngle) || !in(c.AcqSources, acq) || !in(c.Countries, s.order.GetString(o.ShipCountry)) || !in(c.CustomerStates, state) {
		return false
	}
	total := s.order.GetInt(o.TotalCents)
	if (c.MinTotalCents > 0 && total < c.MinTotalCents) || (c.MaxTotalCents > 0 && total > c.MaxTotalCents) {
		return false
	}
	if c.FirstOrder != nil && *c.FirstOrder != s.firstOrder() {
		return false
	}
	return true
}

// flow is a flows record, decoded.
type flow struct {
	rec      *core.Record
	channel  string
	category string
	delay    time.Duration
	cond     Conditions
	variants []FlowVariant
	tmplKey  string
}

func decodeFlow(r *core.Record) flow {
	f := schema.Flows
	fl := flow{rec: r, channel: r.GetString(f.Channel), category: r.GetString(f.Category),
		delay: time.Duration(r.GetInt(f.DelayMinutes)) * time.Minute, tmplKey: r.GetString(f.TemplateKey)}
	_ = r.UnmarshalJSONField(f.Conditions, &fl.cond)
	_ = r.UnmarshalJSONField(f.Variants, &fl.variants)
	if fl.tmplKey == "" {
		fl.tmplKey = r.GetString(f.Trigger)
	}
	if fl.category == "" {
		fl.category = schema.Transactional
	}
	return fl
}

// variant picks an A/B arm, stable per customer (a hash of the customer and
// the flow), weighted. It returns "" and the flow's template without arms.
func (fl flow) variant(customerKey string) (key, tmpl string) {
	total := 0
	for _, v := range fl.variants {
		total += max(v.Weight, 0)
	}
	if total == 0 {
		return "", fl.tmplKey
	}
	h := fnv.New32a()
	h.Write([]byte(customerKey + "|" + fl.rec.Id))
	pick := int(h.Sum32() % uint32(total))
	for _, v := range fl.variants {
		if pick < max(v.Weight, 0) {
			t := v.TemplateKey
			if t == "" {
				t = fl.tmplKey
			}
			return v.Key, t
		}
		pick -= max(v.Weight, 0)
	}
	return "", fl.tmplKey
}

// activeFlows returns the active flows of a trigger, highest priority
// first, from memory once registered (every tracking event asks; merchants
// edit flows rarely). Callers must not modify the result.
func (n *Notifier) activeFlows(tx core.App, trigger string) ([]flow, error) {
	if n.flows == nil {
		return loadFlows(tx, trigger)
	}
	return n.flows.Get(tx, trigger, func(app core.App) ([]flow, error) { return loadFlows(app, trigger) })
}

func loadFlows(tx core.App, trigger string) ([]flow, error) {
	f := schema.Flows
	recs, err := tx.FindAllRecords(schema.CFlows, dbx.HashExp{f.Trigger: trigger, f.Active: true})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if a, b := recs[i].GetInt(f.Priority), recs[j].GetInt(f.Priority); a != b {
			return a > b
		}
		return recs[i].GetString(schema.FCreated) < recs[j].GetString(schema.FCreated)
	})
	out := make([]flow, len(recs))
	for i, r := range recs {
		out[i] = decodeFlow(r)
	}
	return out, nil
}

// IdempotencyKey is the key of an order's message for one milestone and
// channel. A later parcel reaching the milestone after the digest window
// gets the parcel id appended.
func IdempotencyKey(orderID, trigger, channel string) string {
	return "order:" + orderID + ":" + trigger + ":" + channel
}

// Schedule fires a trigger for an order (and optionally one of its
// shipments) from another capability: returns and surveys add their own
// triggers this way. Call it with the transaction that made the change; at
// is the milestone's time (flow delays count from it). It is idempotent.
func (n *Notifier) Schedule(tx core.App, trigger string, order, ship *core.Record, at time.Time) error {
	return n.schedule(tx, trigger, order, ship, at)
}

// schedule writes the message of each channel's first matching flow for
// this milestone, unless its key already exists.
func (n *Notifier) schedule(tx core.App, trigger string, order, ship *core.Record, anchor time.Time) error {
	flows, err := n.activeFlows(tx, trigger)
	if err != nil || len(flows) == 0 {
		return err
	}
	s := &subject{tx: tx, order: order, ship: ship}
	if err := s.load(); err != nil {
		return err
	}
	done := map[string]bool{}
	for _, fl := range flows {
		if done[fl.channel] || !s.matches(fl.cond) {
			continue
		}
		done[fl.channel] = true
		if err := n.scheduleFlow(tx, s, fl, trigger, anchor); err != nil {
			return err
		}
	}
	return nil
}

func (n *Notifier) scheduleFlow(tx core.App, s *subject, fl flow, trigger string, anchor time.Time) error {
	m := schema.Messages
	key := IdempotencyKey(s.order.Id, trigger, fl.channel)
	due := anchor.Add(fl.delay)
	if trigger == schema.TrigReplenish {
		days := 0
		for _, p := range s.products {
			if d := p.GetInt(schema.Products.ReplenishDays); d > 0 && (days == 0 || d < days) {
				days = d
			}
		}
		if days == 0 {
			return nil
		}
		due = due.Add(time.Duration(days) * 24 * time.Hour)
	}
	if perParcel[trigger] && trigger != schema.TrigDelivered {
		due = due.Add(n.d.DigestWindow) // let sibling parcels join the message
	}
	existing, err := tx.FindFirstRecordByData(schema.CMessages, m.IdempotencyKey, key)
	switch {
	case err == nil:
		// Split shipment: a parcel reaching the milestone after the order's
		// message went out gets its own message, once.
		if s.ship == nil || !perParcel[trigger] || existing.GetString(m.Shipment) == s.ship.Id ||
			existing.GetString(m.Status) == schema.MsgScheduled || !anchor.After(existing.GetDateTime(m.DueAt).Time()) {
			return nil
		}
		key += ":" + s.ship.Id
		if _, err := tx.FindFirstRecordByData(schema.CMessages, m.IdempotencyKey, key); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}

	col, err := tx.FindCachedCollectionByNameOrId(schema.CMessages)
	if err != nil {
		return err
	}
	rec := core.NewRecord(col)
	custKey := s.order.GetString(schema.Orders.Email)
	if s.customer != nil {
		rec.Set(m.Customer, s.customer.Id)
		custKey = s.customer.Id
	}
	variant, tmpl := fl.variant(custKey)
	rec.Set(m.Order, s.order.Id)
	if s.ship != nil {
		rec.Set(m.Shipment, s.ship.Id)
	}
	rec.Set(m.Flow, fl.rec.Id)
	rec.Set(m.Variant, variant)
	rec.Set(schema.MessageNotify.TemplateKey, tmpl)
	rec.Set(m.Trigger, trigger)
	rec.Set(m.Channel, fl.channel)
	rec.Set(m.Category, fl.category)
	rec.Set(m.To, recipient(s, fl.channel))
	rec.Set(m.IdempotencyKey, key)
	now := n.clock.Now()
	if due.Before(now) {
		if now.Sub(due) > n.d.MaxLateness {
			rec.Set(m.Status, schema.MsgSuppressed)
			rec.Set(m.SuppressedReason, ReasonStale)
			rec.Set(m.LastError, "milestone reached "+due.UTC().Format(time.RFC3339)+", too long ago to notify")
		}
		due = now
	}
	rec.Set(m.DueAt, due.UTC())
	if rec.GetString(m.Status) == "" {
		rec.Set(m.Status, schema.MsgScheduled)
	}
	if err := tx.Save(rec); err != nil {
		// Another writer won the unique key: that is the message.
		if _, ferr := tx.FindFirstRecordByData(schema.CMessages, m.IdempotencyKey, key); ferr == nil {
			return nil
		}
		return fmt.Errorf("schedule %s: %w", key, err)
	}
	return nil
}

// recipient is the address for a channel: the order's, else the customer's.
// Phone numbers are normalised to E.164 (default region: shipping country).
func recipient(s *subject, channel string) string {
	o, c := schema.Orders, schema.Customers
	if channel == schema.ChannelEmail {
		if v := strings.TrimSpace(s.order.GetString(o.Email)); v != "" {
			return v
		}
		if s.customer != nil {
			return strings.TrimSpace(s.customer.GetString(c.Email))
		}
		return ""
	}
	raw := s.order.GetString(o.Phone)
	if raw == "" && s.customer != nil {
		raw = s.customer.GetString(c.Phone)
	}
	if raw == "" {
		return ""
	}
	e, err := phone.E164(raw, s.order.GetString(o.ShipCountry))
	if err != nil {
		return ""
	}
	return e
}

// cancelOrder cancels an order's messages that have not gone out.
func (n *Notifier) cancelOrder(tx core.App, orderID, reason string) error {
	m := schema.Messages
	recs, err := tx.FindAllRecords(schema.CMessages, dbx.HashExp{m.Order: orderID, m.Status: schema.MsgScheduled})
	if err != nil {
		return err
	}
	for _, r := range recs {
		r.Set(m.Status, schema.MsgCancelled)
		r.Set(m.SuppressedReason, reason)
		if err := tx.Save(r); err != nil {
			return err
		}
	}
	return nil
}
