package storefront

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/shopify"
)

// Privacy requests (Shopify's mandatory topics). A redaction blanks the
// personal data of the customer and their orders everywhere we hold it —
// customer and order records, messages, help requests, survey comments,
// raw webhook bodies — and keeps the anonymous aggregates (amounts,
// products, countries, acquisition, shipping statuses). Each request is
// kept in privacy_requests with hashed identifiers, so a delivery that
// arrives after the redaction (Shopify retries for hours; deliveries come
// in any order) is redacted on arrival and replays never bring data back.

// identHash hashes an email or phone for the tombstone.
func identHash(kind, v string) string {
	if v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(kind + ":" + v))
	return hex.EncodeToString(sum[:])
}

// stripPII blanks the personal fields of a normalized order.
func stripPII(o *model.Order) {
	o.Customer.Email, o.Customer.Phone, o.Customer.FirstName, o.Customer.LastName = "", "", "", ""
	a := &o.ShippingAddress
	a.Name, a.Company, a.Line1, a.Line2, a.City, a.PostalCode, a.Phone = "", "", "", "", "", "", ""
	o.Note = ""
}

// redactionApplies reports whether a stored privacy request covers this
// order or customer.
func (s *Storefront) redactionApplies(tx core.App, source model.Source, orderExtID string, c model.Customer, v Version) (bool, error) {
	pf := schema.PrivacyRequests
	reqs, err := tx.FindAllRecords(schema.CPrivacyRequests, dbx.HashExp{pf.Source: string(source)},
		dbx.In(pf.Kind, schema.PrivacyCustomerRedact, schema.PrivacyShopRedact))
	if err != nil {
		return false, fmt.Errorf("load privacy requests: %w", err)
	}
	email := identHash("email", cleanEmail(c.Email))
	ph := identHash("phone", cleanPhone(c.Phone, ""))
	for _, r := range reqs {
		if r.GetString(pf.Kind) == schema.PrivacyShopRedact {
			at := recTime(r, pf.RequestedAt)
			if v.TriggeredAt.IsZero() || !v.TriggeredAt.After(at) {
				return true, nil
			}
			continue
		}
		if ext := r.GetString(pf.CustomerExternalID); ext != "" && ext == c.ExternalID {
			return true, nil
		}
		if h := r.GetString(pf.Email); h != "" && h == email {
			return true, nil
		}
		if h := r.GetString(pf.Phone); h != "" && h == ph {
			return true, nil
		}
		if orderExtID != "" {
			var ids []string
			_ = r.UnmarshalJSONField(pf.OrderIDs, &ids)
			if slices.Contains(ids, orderExtID) {
				return true, nil
			}
		}
	}
	return false, nil
}

const scrubbedNote = "personal data erased by a privacy request"

// scrubReceipt blanks a stored delivery's body.
func (s *Storefront) scrubReceipt(tx core.App, id string) error {
	if id == "" {
		return nil
	}
	rec, err := tx.FindRecordById(schema.CWebhookReceipts, id)
	if err != nil {
		return nil // not stored (direct call)
	}
	d := &diff{rec: rec}
	d.str(schema.WebhookReceipts.Body, "")
	if d.changed {
		return tx.Save(rec)
	}
	return nil
}

// scrubReceipts blanks every stored delivery of source whose body mentions
// one of needles.
func scrubReceipts(tx core.App, source string, needles []string, all bool) error {
	wr := schema.WebhookReceipts
	// Pending deliveries are left to their own processing, which scrubs
	// them once applied (their data must still reach the records, to be
	// redacted there).
	q := tx.RecordQuery(schema.CWebhookReceipts).AndWhere(dbx.HashExp{wr.Source: source}).
		AndWhere(dbx.NewExp(wr.Body + " != ''")).AndWhere(dbx.Not(dbx.HashExp{wr.Status: schema.ReceiptPending}))
	if !all {
		var or []dbx.Expression
		for _, n := range needles {
			if n != "" {
				or = append(or, dbx.Like(wr.Body, n))
			}
		}
		if len(or) == 0 {
			return nil
		}
		q = q.AndWhere(dbx.Or(or...))
	}
	var recs []*core.Record
	if err := q.All(&recs); err != nil {
		return fmt.Errorf("find receipts to scrub: %w", err)
	}
	for _, r := range recs {
		r.Set(wr.Body, "")
		if r.GetString(wr.Error) == "" || r.GetString(wr.Status) == schema.ReceiptDone {
			r.Set(wr.Error, scrubbedNote)
		}
		if err := tx.Save(r); err != nil {
			return fmt.Errorf("scrub receipt %s: %w", r.Id, err)
		}
	}
	return nil
}

// privacyRecord finds or creates the request record (keyed by the
// delivery, so a replay finds the same one).
func privacyRecord(tx core.App, source, kind, key string) (*core.Record, error) {
	pf := schema.PrivacyRequests
	rec, err := tx.FindFirstRecordByFilter(schema.CPrivacyRequests,
		pf.Source+" = {:s} && "+pf.Kind+" = {:k} && "+pf.RequestKey+" = {:r}", dbx.Params{"s": source, "k": kind, "r": key})
	if err == nil {
		return rec, nil
	}
	col, cerr := tx.FindCachedCollectionByNameOrId(schema.CPrivacyRequests)
	if cerr != nil {
		return nil, cerr
	}
	rec = core.NewRecord(col)
	rec.Set(pf.Source, source)
	rec.Set(pf.Kind, kind)
	rec.Set(pf.RequestKey, clip(key, 200))
	return rec, nil
}

func (s *Storefront) customerRedact(tx core.App, r inbox.Receipt, req shopify.CustomerRedact, at time.Time) error {
	pf := schema.PrivacyRequests
	rec, err := privacyRecord(tx, r.Source, schema.PrivacyCustomerRedact, r.DeliveryID)
	if err != nil {
		return err
	}
	d := &diff{rec: rec}
	d.str(pf.ShopDomain, clip(req.ShopDomain, 255))
	d.str(pf.CustomerExternalID, clip(req.Customer.ID, 200))
	d.str(pf.Email, identHash("email", cleanEmail(req.Customer.Email)))
	d.str(pf.Phone, identHash("phone", cleanPhone(req.Customer.Phone, "")))
	d.json(pf.OrderIDs, req.OrdersToRedact)
	d.time(pf.RequestedAt, at)
	if recTime(rec, pf.ProcessedAt).IsZero() {
		d.time(pf.ProcessedAt, s.clock.Now())
	}
	if d.changed || rec.IsNew() {
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("save privacy request: %w", err)
		}
	}
	customers, orders, err := findSubject(tx, model.Source(r.Source), req.Customer, req.OrdersToRedact)
	if err != nil {
		return err
	}
	if err := redact(tx, customers, orders); err != nil {
		return err
	}
	needles := append([]string{req.Customer.Email, req.Customer.Phone, req.Customer.ID}, req.OrdersToRedact...)
	if err := scrubReceipts(tx, r.Source, needles, false); err != nil {
		return err
	}
	return s.scrubReceipt(tx, r.ID)
}

func (s *Storefront) shopRedact(tx core.App, r inbox.Receipt, req shopify.ShopRedact, at time.Time) error {
	pf := schema.PrivacyRequests
	rec, err := privacyRecord(tx, r.Source, schema.PrivacyShopRedact, r.DeliveryID)
	if err != nil {
		return err
	}
	d := &diff{rec: rec}
	d.str(pf.ShopDomain, clip(req.ShopDomain, 255))
	d.time(pf.RequestedAt, at)
	if recTime(rec, pf.ProcessedAt).IsZero() {
		d.time(pf.ProcessedAt, s.clock.Now())
	}
	if d.changed || rec.IsNew() {
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("save privacy request: %w", err)
		}
	}
	cf, of := schema.Customers, schema.Orders
	customers, err := tx.FindAllRecords(schema.CCustomers, dbx.HashExp{cf.Source: r.Source})
	if err != nil {
		return err
	}
	var orders []*core.Record
	all, err := tx.FindAllRecords(schema.COrders, dbx.HashExp{of.Source: r.Source})
	if err != nil {
		return err
	}
	for _, o := range all {
		if t := recTime(o, schema.OrderIngest.SourceTriggeredAt); t.IsZero() || !t.After(at) {
			orders = append(orders, o)
		}
	}
	if err := redact(tx, customers, orders); err != nil {
		return err
	}
	return scrubReceipts(tx, r.Source, nil, true)
}

// findSubject finds the customers and orders a privacy request is about.
func findSubject(tx core.App, source model.Source, pc shopify.PrivacyCustomer, orderIDs []string) ([]*core.Record, []*core.Record, error) {
	cf, of := schema.Customers, schema.Orders
	seen := map[string]*core.Record{}
	add := func(recs []*core.Record, err error) error {
		if err != nil {
			return err
		}
		for _, r := range recs {
			seen[r.Id] = r
		}
		return nil
	}
	if pc.ID != "" {
		if err := add(tx.FindAllRecords(schema.CCustomers, dbx.HashExp{cf.Source: string(source), cf.ExternalID: pc.ID})); err != nil {
			return nil, nil, err
		}
	}
	if e := cleanEmail(pc.Email); e != "" {
		if err := add(tx.FindAllRecords(schema.CCustomers, dbx.HashExp{cf.Email: e})); err != nil {
			return nil, nil, err
		}
	}
	if p := cleanPhone(pc.Phone, ""); p != "" {
		if err := add(tx.FindAllRecords(schema.CCustomers, dbx.HashExp{cf.Phone: p})); err != nil {
			return nil, nil, err
		}
	}
	var customers []*core.Record
	ids := []any{}
	for _, r := range seen {
		customers = append(customers, r)
		ids = append(ids, r.Id)
	}
	orders := map[string]*core.Record{}
	if len(ids) > 0 {
		recs, err := tx.FindAllRecords(schema.COrders, dbx.In(of.Customer, ids...))
		if err != nil {
			return nil, nil, err
		}
		for _, r := range recs {
			orders[r.Id] = r
		}
	}
	for _, ext := range orderIDs {
		r, err := findOrder(tx, string(source), ext)
		if err != nil {
			return nil, nil, err
		}
		if r != nil {
			orders[r.Id] = r
		}
	}
	out := make([]*core.Record, 0, len(orders))
	for _, r := range orders {
		out = append(out, r)
	}
	return customers, out, nil
}

// piiElsewhere lists personal fields other capabilities keep next to a
// customer or order (collection, relation field, fields to blank).
var piiElsewhere = []struct {
	collection, byCustomer, byOrder string
	fields                          []string
}{
	{schema.CMessages, schema.Messages.Customer, schema.Messages.Order, []string{schema.Messages.To, schema.Messages.BodyHTML, schema.Messages.BodyText}},
	{schema.CHelpRequests, schema.HelpRequests.Customer, schema.HelpRequests.Order, []string{schema.HelpRequests.Message}},
	{schema.CSurveyResponses, schema.SurveyResponses.Customer, schema.SurveyResponses.Order, []string{schema.SurveyResponses.Comment}},
	{schema.CReturns, schema.Returns.Customer, schema.Returns.Order, []string{schema.Returns.Notes}},
}

// redact blanks the personal data of customers and orders (and what other
// capabilities hold about them) and marks them redacted. Already blank
// fields are not saved again.
func redact(tx core.App, customers, orders []*core.Record) error {
	cf, of, oi := schema.Customers, schema.Orders, schema.OrderIngest
	var cids, oids []any
	for _, c := range customers {
		cids = append(cids, c.Id)
		d := &diff{rec: c}
		for _, f := range []string{cf.Email, cf.Phone, cf.FirstName, cf.LastName} {
			d.str(f, "")
		}
		d.boolean(cf.Redacted, true)
		if d.changed {
			if err := tx.Save(c); err != nil {
				return fmt.Errorf("redact customer %s: %w", c.Id, err)
			}
		}
	}
	for _, o := range orders {
		oids = append(oids, o.Id)
		d := &diff{rec: o}
		for _, f := range []string{of.Email, of.Phone, of.ShipName, of.ShipLine1, of.ShipLine2, of.ShipCity, of.ShipPostal, of.Note} {
			d.str(f, "")
		}
		d.boolean(oi.Redacted, true)
		if d.changed {
			if err := tx.Save(o); err != nil {
				return fmt.Errorf("redact order %s: %w", o.Id, err)
			}
		}
	}
	for _, p := range piiElsewhere {
		var conds []dbx.Expression
		if len(cids) > 0 {
			conds = append(conds, dbx.In(p.byCustomer, cids...))
		}
		if len(oids) > 0 {
			conds = append(conds, dbx.In(p.byOrder, oids...))
		}
		if len(conds) == 0 {
			continue
		}
		var recs []*core.Record
		if err := tx.RecordQuery(p.collection).AndWhere(dbx.Or(conds...)).All(&recs); err != nil {
			return fmt.Errorf("find %s to redact: %w", p.collection, err)
		}
		for _, r := range recs {
			d := &diff{rec: r}
			for _, f := range p.fields {
				d.str(f, "")
			}
			if d.changed {
				if err := tx.Save(r); err != nil {
					return fmt.Errorf("redact %s %s: %w", p.collection, r.Id, err)
				}
			}
		}
	}
	return nil
}

// dataRequest answers customers/data_request: everything we hold about the
// customer is exported into the privacy_requests record for the merchant
// to send on (Shopify gives 30 days).
func (s *Storefront) dataRequest(tx core.App, r inbox.Receipt, req shopify.DataRequest, at time.Time) error {
	pf := schema.PrivacyRequests
	key := firstNonEmpty(req.DataRequestID, r.DeliveryID)
	rec, err := privacyRecord(tx, r.Source, schema.PrivacyDataRequest, key)
	if err != nil {
		return err
	}
	customers, orders, err := findSubject(tx, model.Source(r.Source), req.Customer, req.OrdersRequested)
	if err != nil {
		return err
	}
	export, err := exportData(tx, customers, orders)
	if err != nil {
		return err
	}
	d := &diff{rec: rec}
	d.str(pf.ShopDomain, clip(req.ShopDomain, 255))
	d.str(pf.CustomerExternalID, clip(req.Customer.ID, 200))
	d.json(pf.OrderIDs, req.OrdersRequested)
	d.time(pf.RequestedAt, at)
	d.json(pf.Export, export)
	if recTime(rec, pf.ProcessedAt).IsZero() {
		d.time(pf.ProcessedAt, s.clock.Now())
	}
	if d.changed || rec.IsNew() {
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("save data request: %w", err)
		}
	}
	return nil
}

// exportData collects the public fields of the customers, their orders,
// lines and shipments.
func exportData(tx core.App, customers, orders []*core.Record) (map[string]any, error) {
	hidden := map[string]bool{schema.Orders.AccessToken: true, schema.Orders.GiftToken: true, schema.Customers.UnsubscribeToken: true}
	pub := func(r *core.Record) map[string]any {
		out := map[string]any{}
		for k, v := range r.FieldsData() {
			if !hidden[k] {
				out[k] = v
			}
		}
		return out
	}
	exp := map[string]any{}
	var cs, os, items, ships []map[string]any
	for _, c := range customers {
		cs = append(cs, pub(c))
	}
	for _, o := range orders {
		os = append(os, pub(o))
		its, err := tx.FindAllRecords(schema.COrderItems, dbx.HashExp{schema.OrderItems.Order: o.Id})
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			items = append(items, pub(it))
		}
		sps, err := tx.FindAllRecords(schema.CShipments, dbx.HashExp{schema.Shipments.Order: o.Id})
		if err != nil {
			return nil, err
		}
		for _, sp := range sps {
			ships = append(ships, pub(sp))
		}
	}
	exp["customers"], exp["orders"], exp["order_items"], exp["shipments"] = cs, os, items, ships
	return exp, nil
}
