package storefront

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/notify/phone"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/token"
	"porchlight/hooks/tracking"
)

// Outcome says what ingesting one resource did.
type Outcome string

// Outcomes of an upsert.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Stale     Outcome = "stale"
)

// Version orders deliveries of one resource: the resource's own
// updated_at, then (ties) the time the store fired the delivery. Either may
// be zero (CSV, REST).
type Version struct {
	UpdatedAt   time.Time
	TriggeredAt time.Time
}

// olderThan reports whether v is older than what a record holds.
func (v Version) olderThan(heldUpdated, heldTriggered time.Time) bool {
	if !v.UpdatedAt.IsZero() && !heldUpdated.IsZero() {
		if v.UpdatedAt.Before(heldUpdated) {
			return true
		}
		if v.UpdatedAt.After(heldUpdated) {
			return false
		}
	}
	return !v.TriggeredAt.IsZero() && !heldTriggered.IsZero() && v.TriggeredAt.Before(heldTriggered)
}

// refund is one refund as kept on the order (orders.refunds, keyed by id).
type refund struct {
	AmountCents int64        `json:"amount_cents"`
	Reason      string       `json:"reason,omitempty"`
	Items       []refundItem `json:"items,omitempty"`
}

type refundItem struct {
	LineItemID  string `json:"line_item_id"`
	Quantity    int    `json:"quantity"`
	RestockType string `json:"restock_type,omitempty"`
}

// mergeRefund combines two views of one refund deterministically (the
// order payload's summary and the refunds/create detail may arrive in any
// order).
func mergeRefund(a, b refund) refund {
	out := a
	out.AmountCents = max(a.AmountCents, b.AmountCents)
	if b.Reason > out.Reason {
		out.Reason = b.Reason
	}
	if len(b.Items) > len(out.Items) {
		out.Items = b.Items
	}
	return out
}

// UpsertOrder writes a normalized order and everything hanging off it
// (customer, products, lines, shipments, refunds) inside tx. It is
// idempotent and order-independent: an older version than the one held
// changes nothing (Stale), the same data again saves nothing (Unchanged).
func (s *Storefront) UpsertOrder(tx core.App, o model.Order, v Version) (Outcome, *core.Record, error) {
	if v.UpdatedAt.IsZero() {
		v.UpdatedAt = o.UpdatedAt
	}
	of, oi := schema.Orders, schema.OrderIngest
	existing, err := findOrder(tx, string(o.Source), o.ExternalID)
	if err != nil {
		return "", nil, err
	}
	if existing != nil && v.UpdatedAt.IsZero() && v.TriggeredAt.IsZero() && !recTime(existing, of.SourceUpdatedAt).IsZero() {
		// Unversioned data (a CSV export) never overwrites what a store
		// sent us with a version.
		return Stale, existing, nil
	}
	if existing != nil && v.olderThan(recTime(existing, of.SourceUpdatedAt), recTime(existing, oi.SourceTriggeredAt)) {
		return Stale, existing, nil
	}

	redact, err := s.redactionApplies(tx, o.Source, o.ExternalID, o.Customer, v)
	if err != nil {
		return "", nil, err
	}
	if existing != nil && existing.GetBool(oi.Redacted) {
		redact = true
	}
	if redact {
		stripPII(&o)
	}

	customerID, err := s.upsertCustomer(tx, o.Source, o.Customer, o.ShippingAddress.Country, redact)
	if err != nil {
		return "", nil, err
	}

	if customerID == "" && existing != nil {
		// A redacted guest has nothing left to be found by; keep the link.
		customerID = existing.GetString(of.Customer)
	}
	rec := existing
	outcome := Updated
	if rec == nil {
		col, err := tx.FindCachedCollectionByNameOrId(schema.COrders)
		if err != nil {
			return "", nil, err
		}
		rec = core.NewRecord(col)
		rec.Set(of.Source, string(o.Source))
		rec.Set(of.ExternalID, clip(o.ExternalID, 200))
		rec.Set(of.AccessToken, token.New())
		rec.Set(of.GiftToken, token.New())
		rec.Set(of.Status, schema.OrderUnfulfilled)
		outcome = Created
	}
	d := &diff{rec: rec}
	d.str(of.Number, clip(o.Number, 64))
	d.str(of.Customer, customerID)
	d.str(of.Email, clip(cleanEmail(o.Customer.Email), 320))
	d.str(of.Phone, cleanPhone(o.Customer.Phone, o.ShippingAddress.Country))
	d.time(of.PlacedAt, o.PlacedAt)
	d.time(of.CancelledAt, o.CancelledAt)
	d.str(of.Currency, o.Currency)
	d.num(of.TotalCents, o.TotalCents)
	d.num(of.SubtotalCents, o.SubtotalCents)
	d.num(of.ShippingCents, o.ShippingCents)
	d.num(of.TaxCents, o.TaxCents)
	d.num(of.DiscountCents, o.DiscountCents)
	d.str(of.FinancialStatus, clip(o.FinancialStatus, 32))
	d.str(of.FulfillmentStatus, clip(o.FulfillmentStatus, 32))
	a := o.ShippingAddress
	d.str(of.ShipName, clip(a.Name, 200))
	d.str(of.ShipLine1, clip(a.Line1, 200))
	d.str(of.ShipLine2, clip(a.Line2, 200))
	d.str(of.ShipCity, clip(a.City, 200))
	d.str(of.ShipRegion, clip(a.Region, 64))
	d.str(of.ShipPostal, clip(a.PostalCode, 32))
	d.str(of.ShipCountry, clip(a.Country, 2))
	acq := fillAcquisition(o.Acquisition)
	d.str(of.AcqSource, clip(acq.Source, 200))
	d.str(of.AcqMedium, clip(acq.Medium, 200))
	d.str(of.AcqCampaign, clip(acq.Campaign, 200))
	d.str(of.AdAngle, clip(acq.AdAngle, 200))
	d.str(of.LandingSite, clip(acq.LandingSite, 2000))
	d.str(of.ReferringSite, clip(acq.ReferringSite, 2000))
	d.str(of.Note, clip(o.Note, 2000))
	if redact {
		d.boolean(oi.Redacted, true)
	}

	// Soft deletion (WooCommerce trash): a newer payload that is not
	// deleted restores the order.
	switch {
	case o.Deleted:
		if recTime(rec, oi.DeletedAt).IsZero() {
			d.time(oi.DeletedAt, firstNonZero(v.UpdatedAt, s.clock.Now()))
		}
	case !recTime(rec, oi.DeletedAt).IsZero() && v.UpdatedAt.After(recTime(rec, oi.DeletedAt)):
		d.time(oi.DeletedAt, time.Time{})
	}

	refunds := map[string]refund{}
	_ = rec.UnmarshalJSONField(oi.Refunds, &refunds)
	for _, r := range o.Refunds {
		refunds[r.ExternalID] = mergeRefund(refunds[r.ExternalID], refund{AmountCents: r.AmountCents, Reason: clip(r.Reason, 500)})
	}
	setRefunds(d, refunds)

	cancelled := !o.CancelledAt.IsZero()
	if cancelled {
		d.str(of.Status, schema.OrderCancelled)
	} else if rec.GetString(of.Status) == schema.OrderCancelled {
		d.str(of.Status, schema.OrderUnfulfilled) // un-cancelled; re-derived below
	}

	newUpdated := maxTime(v.UpdatedAt, recTime(rec, of.SourceUpdatedAt))
	newTriggered := maxTime(v.TriggeredAt, recTime(rec, oi.SourceTriggeredAt))
	if d.changed || rec.IsNew() {
		d.time(of.SourceUpdatedAt, newUpdated)
		d.time(oi.SourceTriggeredAt, newTriggered)
		if err := tx.Save(rec); err != nil {
			return "", nil, fmt.Errorf("save order %s/%s: %w", o.Source, o.ExternalID, err)
		}
	} else {
		outcome = Unchanged
		// Nothing changed: remember the newer version without a record
		// save, so no hooks fire for a no-op delivery.
		if err := bumpVersion(tx, rec, newUpdated, newTriggered); err != nil {
			return "", nil, err
		}
	}

	itemsChanged, err := s.upsertItems(tx, rec, o)
	if err != nil {
		return "", nil, err
	}
	shipChanged := false
	for _, f := range o.Fulfillments {
		c, err := s.upsertFulfillment(tx, rec, o.Source, f, v.TriggeredAt)
		if err != nil {
			return "", nil, err
		}
		shipChanged = shipChanged || c
	}
	derived, err := s.deriveOrder(tx, rec)
	if err != nil {
		return "", nil, err
	}
	if err := s.refreshCustomer(tx, customerID); err != nil {
		return "", nil, err
	}
	if outcome == Unchanged && (itemsChanged || shipChanged || derived) {
		outcome = Updated
	}
	return outcome, rec, nil
}

// bumpVersion stores the version of the data held with a plain UPDATE: it
// is bookkeeping, not a change anyone should react to.
func bumpVersion(tx core.App, rec *core.Record, updated, triggered time.Time) error {
	of, oi := schema.Orders, schema.OrderIngest
	if schema.DBTime(updated) == rec.GetString(of.SourceUpdatedAt) && schema.DBTime(triggered) == rec.GetString(oi.SourceTriggeredAt) {
		return nil
	}
	_, err := tx.DB().Update(schema.COrders, dbx.Params{of.SourceUpdatedAt: schema.DBTime(updated), oi.SourceTriggeredAt: schema.DBTime(triggered)},
		dbx.HashExp{schema.FID: rec.Id}).Execute()
	if err != nil {
		return fmt.Errorf("record version of order %s: %w", rec.Id, err)
	}
	rec.Set(of.SourceUpdatedAt, schema.DBTime(updated))
	rec.Set(oi.SourceTriggeredAt, schema.DBTime(triggered))
	return nil
}

func setRefunds(d *diff, refunds map[string]refund) {
	oi := schema.OrderIngest
	var total int64
	for _, r := range refunds {
		total = model.AddMinor(total, r.AmountCents)
	}
	if len(refunds) == 0 {
		d.json(oi.Refunds, nil)
	} else {
		d.json(oi.Refunds, refunds)
	}
	d.num(oi.RefundedCents, total)
}

// deriveOrder recomputes what follows from the lines, shipments and
// refunds: fulfilled and returned quantities, the order's shipping status.
// It is a pure function of what is stored, so arrival order never matters.
func (s *Storefront) deriveOrder(tx core.App, order *core.Record) (bool, error) {
	oi, sh := schema.OrderItems, schema.Shipments
	items, err := tx.FindAllRecords(schema.COrderItems, dbx.HashExp{oi.Order: order.Id})
	if err != nil {
		return false, err
	}
	ships, err := tx.FindAllRecords(schema.CShipments, dbx.HashExp{sh.Order: order.Id})
	if err != nil {
		return false, err
	}
	shipped := map[string]bool{}
	for _, sp := range ships {
		var ids []string
		_ = sp.UnmarshalJSONField(sh.Items, &ids)
		for _, id := range ids {
			shipped[id] = true
		}
	}
	refunds := map[string]refund{}
	_ = order.UnmarshalJSONField(schema.OrderIngest.Refunds, &refunds)
	returned := map[string]int{}
	for _, r := range refunds {
		for _, it := range r.Items {
			if it.RestockType == "return" || it.RestockType == "legacy_restock" {
				returned[it.LineItemID] += it.Quantity
			}
		}
	}
	changed := false
	for _, it := range items {
		ext := it.GetString(oi.ExternalID)
		fq := 0
		if shipped[ext] {
			fq = it.GetInt(oi.Quantity)
		}
		d := &diff{rec: it}
		d.num(oi.FulfilledQty, int64(fq))
		d.num(oi.ReturnedQty, int64(min(returned[ext], it.GetInt(oi.Quantity))))
		if d.changed {
			if err := tx.Save(it); err != nil {
				return false, fmt.Errorf("save order item %s: %w", it.Id, err)
			}
			changed = true
		}
	}
	before := order.GetString(schema.Orders.Status)
	if err := tracking.UpdateOrderStatus(tx, order.Id); err != nil {
		return false, err
	}
	fresh, err := tx.FindRecordById(schema.COrders, order.Id)
	if err != nil {
		return false, err
	}
	if fresh.GetString(schema.Orders.Status) != before {
		changed = true
		order.Load(fresh.FieldsData())
	}
	return changed, nil
}

func findOrder(tx core.App, source, externalID string) (*core.Record, error) {
	of := schema.Orders
	rec, err := tx.FindFirstRecordByFilter(schema.COrders, of.Source+" = {:s} && "+of.ExternalID+" = {:e}",
		dbx.Params{"s": source, "e": clip(externalID, 200)})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find order %s/%s: %w", source, externalID, err)
	}
	return rec, nil
}

// upsertItems writes the order's lines, keyed by the store's line id (or
// position when the source has none), and drops lines no longer present.
func (s *Storefront) upsertItems(tx core.App, order *core.Record, o model.Order) (bool, error) {
	oi := schema.OrderItems
	existing, err := tx.FindAllRecords(schema.COrderItems, dbx.HashExp{oi.Order: order.Id})
	if err != nil {
		return false, err
	}
	byKey := map[string]*core.Record{}
	for _, r := range existing {
		byKey[r.GetString(oi.ExternalID)] = r
	}
	col, err := tx.FindCachedCollectionByNameOrId(schema.COrderItems)
	if err != nil {
		return false, err
	}
	changed := false
	seen := map[string]bool{}
	for i, li := range o.Items {
		key := clip(li.ExternalID, 200)
		if key == "" {
			key = fmt.Sprintf("line-%d", i+1)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		productID, err := s.ensureProduct(tx, o.Source, li)
		if err != nil {
			return false, err
		}
		rec := byKey[key]
		if rec == nil {
			rec = core.NewRecord(col)
			rec.Set(oi.Order, order.Id)
			rec.Set(oi.ExternalID, key)
		}
		d := &diff{rec: rec}
		d.str(oi.Product, productID)
		d.str(oi.SKU, clip(li.SKU, 200))
		d.str(oi.Title, clip(itemTitle(li), 200))
		d.num(oi.Quantity, int64(li.Quantity))
		d.num(oi.PriceCents, li.PriceCents)
		if d.changed || rec.IsNew() {
			if err := tx.Save(rec); err != nil {
				return false, fmt.Errorf("save order item %s: %w", key, err)
			}
			changed = true
		}
	}
	for key, r := range byKey {
		if !seen[key] && len(o.Items) > 0 {
			if err := tx.Delete(r); err != nil {
				return false, fmt.Errorf("delete order item %s: %w", key, err)
			}
			changed = true
		}
	}
	return changed, nil
}

func itemTitle(li model.LineItem) string {
	t := li.Title
	if t == "" {
		t = li.SKU
	}
	if li.VariantTitle != "" && !strings.Contains(t, li.VariantTitle) {
		t += " – " + li.VariantTitle
	}
	return t
}

// ensureProduct finds the product by SKU (or the store's variant id when
// the line has no SKU) and creates it when unknown. Existing products are
// never overwritten: the merchant's edits in the admin win.
func (s *Storefront) ensureProduct(tx core.App, source model.Source, li model.LineItem) (string, error) {
	pf := schema.Products
	sku := clip(li.SKU, 200)
	if sku == "" {
		switch {
		case li.VariantID != "":
			sku = clip(string(source)+":variant:"+li.VariantID, 200)
		case li.ProductID != "":
			sku = clip(string(source)+":product:"+li.ProductID, 200)
		default:
			return "", nil
		}
	}
	rec, err := tx.FindFirstRecordByData(schema.CProducts, pf.SKU, sku)
	if err == nil {
		return rec.Id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("find product %s: %w", sku, err)
	}
	col, err := tx.FindCachedCollectionByNameOrId(schema.CProducts)
	if err != nil {
		return "", err
	}
	rec = core.NewRecord(col)
	rec.Set(pf.SKU, sku)
	title := clip(li.Title, 200)
	if title == "" {
		title = sku
	}
	rec.Set(pf.Title, title)
	rec.Set(pf.Variant, clip(li.VariantTitle, 200))
	rec.Set(pf.PriceCents, li.PriceCents)
	rec.Set(pf.ProductType, schema.TypeSimple)
	rec.Set(pf.Returnable, true)
	rec.Set(pf.Source, string(source))
	rec.Set(pf.ExternalID, clip(firstNonEmpty(li.VariantID, li.ProductID), 200))
	if err := tx.Save(rec); err != nil {
		return "", fmt.Errorf("create product %s: %w", sku, err)
	}
	return rec.Id, nil
}

// upsertCustomer finds the customer by the store's id, else email, else
// phone, and creates one when unknown. Newer customer data overwrites;
// data without a version only fills blanks. A redacted customer never gets
// personal data back.
func (s *Storefront) upsertCustomer(tx core.App, source model.Source, c model.Customer, country string, redact bool) (string, error) {
	cf, ci := schema.Customers, schema.CustomerIngest
	email := clip(cleanEmail(c.Email), 320)
	ph := cleanPhone(c.Phone, country)
	extID := clip(c.ExternalID, 200)
	var rec *core.Record
	if extID != "" {
		r, err := tx.FindFirstRecordByFilter(schema.CCustomers, cf.Source+" = {:s} && "+cf.ExternalID+" = {:e}",
			dbx.Params{"s": string(source), "e": extID})
		if err == nil {
			rec = r
		} else if !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
	}
	if rec == nil && email != "" {
		if r, err := tx.FindFirstRecordByData(schema.CCustomers, cf.Email, email); err == nil {
			rec = r
		}
	}
	if rec == nil && ph != "" && extID == "" {
		if r, err := tx.FindFirstRecordByData(schema.CCustomers, cf.Phone, ph); err == nil {
			rec = r
		}
	}
	if rec == nil {
		if extID == "" && email == "" && ph == "" {
			return "", nil // an anonymous guest: nothing to link
		}
		col, err := tx.FindCachedCollectionByNameOrId(schema.CCustomers)
		if err != nil {
			return "", err
		}
		rec = core.NewRecord(col)
		rec.Set(cf.Source, string(source))
		rec.Set(cf.ExternalID, extID)
		rec.Set(cf.UnsubscribeToken, token.New())
	}
	if redact || rec.GetBool(cf.Redacted) {
		redact = true
		email, ph, c.FirstName, c.LastName = "", "", "", ""
	}
	d := &diff{rec: rec}
	held := recTime(rec, ci.SourceUpdatedAt)
	overwrite := rec.IsNew() || (!c.UpdatedAt.IsZero() && !c.UpdatedAt.Before(held))
	set := func(field, v string) {
		if v == "" {
			return
		}
		if overwrite || rec.GetString(field) == "" {
			d.str(field, v)
		}
	}
	if extID != "" && rec.GetString(cf.ExternalID) == "" && rec.GetString(cf.Source) == string(source) {
		d.str(cf.ExternalID, extID)
	}
	if email != "" && email != rec.GetString(cf.Email) {
		// The email is unique: never steal it from another customer.
		if other, err := tx.FindFirstRecordByData(schema.CCustomers, cf.Email, email); err != nil || other.Id == rec.Id {
			set(cf.Email, email)
		}
	}
	set(cf.Phone, ph)
	set(cf.FirstName, clip(c.FirstName, 200))
	set(cf.LastName, clip(c.LastName, 200))
	set(cf.Locale, locale(c.Locale))
	if overwrite || rec.IsNew() {
		if c.AcceptsEmailMarketing != nil {
			d.boolean(cf.EmailMarketing, *c.AcceptsEmailMarketing)
		}
		if c.AcceptsSMSMarketing != nil {
			d.boolean(cf.SMSMarketing, *c.AcceptsSMSMarketing)
		}
	}
	if c.UpdatedAt.After(held) {
		d.time(ci.SourceUpdatedAt, c.UpdatedAt)
	}
	if redact {
		d.boolean(cf.Redacted, true)
	}
	if d.changed || rec.IsNew() {
		if err := tx.Save(rec); err != nil {
			return "", fmt.Errorf("save customer: %w", err)
		}
	}
	return rec.Id, nil
}

// refreshCustomer derives the customer's acquisition (first touch: their
// earliest order that has any) and country (their latest order) from the
// orders stored, so arrival order never matters.
func (s *Storefront) refreshCustomer(tx core.App, customerID string) error {
	if customerID == "" {
		return nil
	}
	cf, of := schema.Customers, schema.Orders
	rec, err := tx.FindRecordById(schema.CCustomers, customerID)
	if err != nil {
		return fmt.Errorf("load customer %s: %w", customerID, err)
	}
	orders, err := tx.FindAllRecords(schema.COrders, dbx.HashExp{of.Customer: customerID})
	if err != nil {
		return err
	}
	sort.Slice(orders, func(i, j int) bool {
		ti, tj := recTime(orders[i], of.PlacedAt), recTime(orders[j], of.PlacedAt)
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return orders[i].GetString(of.ExternalID) < orders[j].GetString(of.ExternalID)
	})
	var src, campaign, angle, country string
	for _, o := range orders {
		if o.GetString(of.AcqSource) != "" || o.GetString(of.AdAngle) != "" || o.GetString(of.AcqCampaign) != "" {
			src, campaign, angle = o.GetString(of.AcqSource), o.GetString(of.AcqCampaign), o.GetString(of.AdAngle)
			break
		}
	}
	for i := len(orders) - 1; i >= 0; i-- {
		if c := orders[i].GetString(of.ShipCountry); c != "" {
			country = c
			break
		}
	}
	d := &diff{rec: rec}
	d.str(cf.AcqSource, src)
	d.str(cf.AcqCampaign, campaign)
	d.str(cf.AdAngle, angle)
	if country != "" {
		d.str(cf.Country, country)
	}
	if d.changed {
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("save customer %s: %w", customerID, err)
		}
	}
	return nil
}

// fillAcquisition completes the source when no utm_source was given: the
// referring site's name ("l.facebook.com" → "facebook", medium
// "referral"), else how the order was created when that was not the web
// storefront (Shopify source_name "pos", WooCommerce created_via "admin").
func fillAcquisition(a model.Acquisition) model.Acquisition {
	if a.Source != "" {
		return a
	}
	if u, err := url.Parse(a.ReferringSite); err == nil && u.Hostname() != "" {
		labels := strings.Split(strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), ".")
		name := labels[0]
		if len(labels) >= 2 {
			name = labels[len(labels)-2]
			// co.uk, com.au: the name is one label further left.
			if len(labels) >= 3 && len(name) <= 3 && len(labels[len(labels)-1]) == 2 {
				name = labels[len(labels)-3]
			}
		}
		if name != "" {
			a.Source = name
			if a.Medium == "" {
				a.Medium = "referral"
			}
			return a
		}
	}
	switch strings.ToLower(a.SourceName) {
	case "", "web", "checkout", "store-api":
	default:
		a.Source = a.SourceName
	}
	return a
}

func cleanEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || !model.ValidEmail(s) {
		return ""
	}
	return s
}

func cleanPhone(raw, country string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	e, err := phone.E164(raw, country)
	if err != nil || len(e) > 20 {
		return ""
	}
	return e
}

// locale maps a BCP 47 tag to one of the locales Porchlight ships.
func locale(tag string) string {
	base := strings.ToLower(strings.SplitN(strings.ReplaceAll(tag, "_", "-"), "-", 2)[0])
	for _, l := range schema.Locales {
		if l == base {
			return l
		}
	}
	return ""
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
