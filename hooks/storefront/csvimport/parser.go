package csvimport

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// build accumulates the rows of one order.
type build struct {
	key        string
	firstLine  int
	headerSeen bool // order-level columns have been read from a row
	bad        bool
	order      model.Order
	itemLines  []int
	// shipments by tracking number, in first-seen order
	shipKeys  []string
	shipments map[string]*shipment
	// values of order-level fields from the first row that set them, for
	// the conflict check
	firstValues map[string]fieldValue
}

type shipment struct {
	f    model.Fulfillment
	line int
}

type fieldValue struct {
	value string
	line  int
}

type parser struct {
	layout *layout
	builds map[string]*build
	keys   []string // order keys in first-seen order
	errs   []RowError
	rows   int
	// lastLine is the last line number seen, for fatal error messages.
	lastLine int
	// prevKey is the order of the previous readable row; poisonNext means
	// an unreadable row came just before and the next row's order is
	// suspect too.
	prevKey    string
	poisonNext bool
	poisonLine int            // line of the unreadable row that set poisonNext
	poisoned   map[string]int // order key -> line of the unreadable row
}

func (p *parser) addErr(line int, field, order, format string, args ...any) {
	p.errs = append(p.errs, RowError{Line: line, Field: field, Reason: fmt.Sprintf(format, args...), Order: order})
}

// unreadable records a row the CSV reader could not split into fields and
// poisons the orders on either side of it.
func (p *parser) unreadable(line int, reason string) {
	p.lastLine = max(p.lastLine, line)
	p.addErr(line, "", "", "cannot be read: %s", reason)
	p.poison(p.prevKey, line)
	p.poisonNext, p.poisonLine = true, line
}

func (p *parser) poison(key string, line int) {
	if key == "" {
		return
	}
	if p.poisoned == nil {
		p.poisoned = map[string]int{}
	}
	if _, ok := p.poisoned[key]; !ok {
		p.poisoned[key] = line
	}
}

// row processes one readable record.
func (p *parser) row(line int, rec []string) {
	p.lastLine = max(p.lastLine, line)
	l := p.layout
	c := &l.cols

	key := strings.TrimSpace(model.SanitizeLine(l.get(rec, c.key)))
	if len(key) > model.MaxNumberRunes*4 {
		key = "" // absurd keys are not keys
	}
	if key == "" {
		if len(rec) != l.width {
			p.unreadable(line, fmt.Sprintf("has %d columns; the header has %d", len(rec), l.width))
			return
		}
		p.addErr(line, l.show(c.key), "", "is required")
		// A row without an order number may belong to its neighbours.
		p.poison(p.prevKey, line)
		p.poisonNext, p.poisonLine = true, line
		return
	}
	if p.poisonNext {
		p.poison(key, p.poisonLine)
		p.poisonNext = false
	}
	p.prevKey = key

	b := p.builds[key]
	if b == nil {
		b = &build{key: key, firstLine: line, shipments: map[string]*shipment{}, firstValues: map[string]fieldValue{}}
		b.order.Source = model.SourceCSV
		p.builds[key] = b
		p.keys = append(p.keys, key)
	}
	r := rowCtx{p: p, b: b, line: line, rec: rec}

	if len(rec) != l.width {
		r.fail("", "has %d columns; the header has %d", len(rec), l.width)
		return
	}
	for i, f := range rec {
		if len(f) > MaxFieldBytes {
			r.fail(l.nameAt(i), "is %d bytes; at most %d allowed", len(f), MaxFieldBytes)
		}
	}
	if b.bad {
		// Keep reporting this row's own problems, but do not build on a
		// rejected order.
		r.orderFields()
		r.lineItem()
		return
	}
	r.orderFields()
	r.lineItem()
}

// rowCtx is one record being mapped onto its order.
type rowCtx struct {
	p    *parser
	b    *build
	line int
	rec  []string
}

func (r *rowCtx) fail(col, format string, args ...any) {
	r.p.addErr(r.line, col, r.b.key, format, args...)
	r.b.bad = true
}

// val returns the sanitized single-line value of a column.
func (r *rowCtx) val(col string) string {
	return model.SanitizeLine(r.p.layout.get(r.rec, col))
}

// orderField reads an order-level column: the first row that has a value
// sets it; a later row with a different non-empty value is a conflict.
// It returns the value and whether this row is the one that set it.
func (r *rowCtx) orderField(col string) (string, bool) {
	if col == "" {
		return "", false
	}
	v := r.val(col)
	if v == "" {
		return "", false
	}
	if prev, ok := r.b.firstValues[col]; ok {
		if prev.value != v {
			r.fail(r.p.layout.show(col), "is %q but line %d of the same order says %q", truncate(v), prev.line, truncate(prev.value))
		}
		return v, false
	}
	r.b.firstValues[col] = fieldValue{value: v, line: r.line}
	return v, true
}

func truncate(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}

func (r *rowCtx) orderFields() {
	c := &r.p.layout.cols
	o := &r.b.order
	first := !r.b.headerSeen
	r.b.headerSeen = true

	if v, set := r.orderField(c.externalID); set {
		o.ExternalID = v
		if r.p.layout.format == FormatShopify {
			// The export's Id is the Shopify order id: a later webhook for
			// the same order then updates it instead of duplicating it.
			o.Source = model.SourceShopify
		}
	}
	if first {
		o.Number = r.b.key
	}
	if v, set := r.orderField(c.currency); set {
		o.Currency = strings.ToUpper(v)
	} else if first && v == "" {
		r.fail(r.p.layout.show(c.currency), "is required")
	}
	if v, set := r.orderField(c.placedAt); set {
		o.PlacedAt = r.time(c.placedAt, v)
	} else if first && v == "" {
		r.fail(r.p.layout.show(c.placedAt), "is required")
	}
	if v, set := r.orderField(c.cancelledAt); set {
		o.CancelledAt = r.time(c.cancelledAt, v)
	}
	if v, set := r.orderField(c.total); set {
		o.TotalCents = r.money(c.total, v)
	} else if first && v == "" {
		r.fail(r.p.layout.show(c.total), "is required")
	}
	if v, set := r.orderField(c.subtotal); set {
		o.SubtotalCents = r.money(c.subtotal, v)
	}
	if v, set := r.orderField(c.shipping); set {
		o.ShippingCents = r.money(c.shipping, v)
	}
	if v, set := r.orderField(c.tax); set {
		o.TaxCents = r.money(c.tax, v)
	}
	if v, set := r.orderField(c.discount); set {
		o.DiscountCents = r.money(c.discount, v)
	}
	if v, set := r.orderField(c.financial); set {
		o.FinancialStatus = strings.ToLower(v)
	}
	if v, set := r.orderField(c.fulfillment); set {
		o.FulfillmentStatus = strings.ToLower(v)
	}

	if v, set := r.orderField(c.email); set {
		o.Customer.Email = v
	} else if first && v == "" && r.p.layout.format == FormatPorchlight {
		r.fail(r.p.layout.show(c.email), "is required")
	}
	if v, set := r.orderField(c.phone); set {
		o.Customer.Phone = v
	}
	if v, set := r.orderField(c.firstName); set {
		o.Customer.FirstName = v
	}
	if v, set := r.orderField(c.lastName); set {
		o.Customer.LastName = v
	}
	if v, set := r.orderField(c.billingName); set && o.Customer.FirstName == "" && o.Customer.LastName == "" {
		o.Customer.FirstName, o.Customer.LastName, _ = strings.Cut(v, " ")
	}
	if v, set := r.orderField(c.acceptsMarketing); set {
		switch strings.ToLower(v) {
		case "yes", "true", "1":
			o.Customer.AcceptsEmailMarketing = ptr(true)
		case "no", "false", "0":
			o.Customer.AcceptsEmailMarketing = ptr(false)
		}
	}

	a := &o.ShippingAddress
	for _, f := range []struct {
		col string
		dst *string
	}{
		{c.shipName, &a.Name}, {c.shipCompany, &a.Company}, {c.shipLine1, &a.Line1}, {c.shipLine1Alt, &a.Line1},
		{c.shipLine2, &a.Line2}, {c.shipCity, &a.City}, {c.shipRegion, &a.Region},
		{c.shipCountry, &a.Country}, {c.shipPhone, &a.Phone},
	} {
		if v, set := r.orderField(f.col); set && *f.dst == "" {
			*f.dst = v
		}
	}
	if v, set := r.orderField(c.shipPostal); set {
		// Shopify exports prefix zips with ' so spreadsheets keep the
		// leading zeros.
		a.PostalCode = strings.TrimPrefix(v, "'")
	}

	acq := &o.Acquisition
	for _, f := range []struct{ col, key string }{
		{c.utmSource, "utm_source"}, {c.utmMedium, "utm_medium"}, {c.utmCampaign, "utm_campaign"},
		{c.utmContent, "utm_content"}, {c.utmTerm, "utm_term"}, {c.adAngle, "ad_angle"},
	} {
		if v, set := r.orderField(f.col); set {
			acq.SetUTMField(f.key, v)
		}
	}
	if c.noteAttrs != "" {
		raw := model.Sanitize(r.p.layout.get(r.rec, c.noteAttrs))
		if strings.TrimSpace(raw) != "" {
			for line := range strings.SplitSeq(raw, "\n") {
				k, v, ok := strings.Cut(line, ":")
				if ok {
					acq.SetUTMField(k, v)
				}
			}
		}
	}
	if v, set := r.orderField(c.source); set {
		acq.SourceName = v
	}
	if c.note != "" {
		if v := strings.TrimSpace(model.Sanitize(r.p.layout.get(r.rec, c.note))); v != "" && o.Note == "" {
			o.Note = v
		}
	}
	if v, set := r.orderField(c.tags); set {
		o.Tags = strings.Split(v, ",")
	}
}

func (r *rowCtx) lineItem() {
	c := &r.p.layout.cols
	b := r.b
	li := model.LineItem{
		SKU:          r.val(c.sku),
		Title:        r.val(c.title),
		VariantTitle: r.val(c.variantTitle),
	}
	qty := r.val(c.quantity)
	if qty == "" {
		r.fail(r.p.layout.show(c.quantity), "is required")
	} else if n, ok, err := wire.Int(wire.Text(qty)); err != nil || !ok {
		r.fail(r.p.layout.show(c.quantity), "%q is not a whole number", truncate(qty))
	} else if n <= 0 {
		r.fail(r.p.layout.show(c.quantity), "must be greater than 0 (got %d)", n)
	} else if n > model.MaxQuantity {
		r.fail(r.p.layout.show(c.quantity), "must be at most %d", model.MaxQuantity)
	} else {
		li.Quantity = int(n)
	}
	if v := r.val(c.price); v != "" {
		li.PriceCents = r.money(c.price, v)
	}
	if li.SKU == "" && li.Title == "" {
		col := c.title
		if r.p.layout.format == FormatPorchlight {
			col = c.sku
		}
		r.fail(r.p.layout.show(col), "a row needs a sku or a product title")
	}
	if b.bad {
		return
	}
	li.ExternalID = fmt.Sprintf("%s:%d", b.key, len(b.order.Items)+1)
	b.order.Items = append(b.order.Items, li)
	b.itemLines = append(b.itemLines, r.line)

	num := r.val(c.tracking)
	if num == "" {
		return
	}
	s := b.shipments[num]
	if s == nil {
		s = &shipment{line: r.line, f: model.Fulfillment{
			ExternalID:      "csv:" + num,
			Status:          "success",
			TrackingNumbers: []string{num},
		}}
		b.shipments[num] = s
		b.shipKeys = append(b.shipKeys, num)
	}
	if v := r.val(c.carrier); v != "" && s.f.TrackingCompany == "" {
		s.f.TrackingCompany = v
	}
	if v := r.val(c.trackingURL); v != "" {
		if !model.ValidWebURL(v) {
			r.fail(r.p.layout.show(c.trackingURL), "must be an absolute http or https URL")
			return
		}
		s.f.TrackingURLs = append(s.f.TrackingURLs, v)
	}
	s.f.LineItemIDs = append(s.f.LineItemIDs, li.ExternalID)
}

func (r *rowCtx) time(col, v string) time.Time {
	t, err := wire.ParseTime(v)
	if err != nil {
		r.fail(r.p.layout.show(col), "%q is not a date (use 2025-03-14 or 2025-03-14T10:21:07-04:00)", truncate(v))
	}
	return t
}

func (r *rowCtx) money(col, v string) int64 {
	currency := r.b.order.Currency
	if currency == "" {
		currency = strings.ToUpper(r.val(r.p.layout.cols.currency))
	}
	n, err := model.ToMinor(v, currency)
	if err != nil {
		r.fail(r.p.layout.show(col), "%q is not an amount (use 1234.56)", truncate(v))
	}
	return n
}

func ptr[T any](v T) *T { return &v }

// finish turns the builds into orders, validating each; an order with any
// problem is dropped and its problems become row errors.
func (p *parser) finish() []model.Order {
	var out []model.Order
	for _, key := range p.keys {
		b := p.builds[key]
		if b.bad {
			continue
		}
		if line, ok := p.poisoned[key]; ok {
			p.addErr(b.firstLine, "", key, "skipped because line %d next to this order could not be read", line)
			continue
		}
		o := b.order
		if o.ExternalID == "" {
			o.ExternalID = key
		}
		for _, k := range b.shipKeys {
			o.Fulfillments = append(o.Fulfillments, b.shipments[k].f)
		}
		o.Normalize()
		if errs := o.Validate(); errs != nil {
			for _, fe := range errs {
				line, col := p.locate(b, fe.Field)
				p.addErr(line, col, key, "%s", fe.Error)
			}
			continue
		}
		out = append(out, o)
	}
	return out
}

// locate maps a model field path ("items[2].quantity", "customer.email")
// back to the line and header column it came from.
func (p *parser) locate(b *build, path string) (int, string) {
	c := &p.layout.cols
	line := b.firstLine
	rest := path
	if after, ok := strings.CutPrefix(path, "items["); ok {
		if i, tail, ok := indexed(after); ok && i < len(b.itemLines) {
			line, rest = b.itemLines[i], "items."+tail
		}
	} else if after, ok := strings.CutPrefix(path, "fulfillments["); ok {
		if i, tail, ok := indexed(after); ok && i < len(b.shipKeys) {
			line, rest = b.shipments[b.shipKeys[i]].line, "fulfillments."+tail
		}
	}
	if j := strings.IndexByte(rest, '['); j >= 0 {
		rest = rest[:j] // tags[3] -> tags, tracking_numbers[0] -> tracking_numbers
	}
	col := map[string]string{
		"number": c.key, "external_id": c.externalID, "placed_at": c.placedAt, "cancelled_at": c.cancelledAt,
		"currency": c.currency, "total_cents": c.total, "subtotal_cents": c.subtotal,
		"shipping_cents": c.shipping, "tax_cents": c.tax, "discount_cents": c.discount,
		"financial_status": c.financial, "fulfillment_status": c.fulfillment,
		"customer.email": c.email, "customer.phone": c.phone,
		"customer.first_name": first(c.firstName, c.billingName), "customer.last_name": first(c.lastName, c.billingName),
		"shipping_address.name": c.shipName, "shipping_address.company": c.shipCompany,
		"shipping_address.line1": first(c.shipLine1, c.shipLine1Alt), "shipping_address.line2": c.shipLine2,
		"shipping_address.city": c.shipCity, "shipping_address.region": c.shipRegion,
		"shipping_address.postal_code": c.shipPostal, "shipping_address.country": c.shipCountry,
		"shipping_address.phone": c.shipPhone,
		"items.sku":              c.sku, "items.title": c.title, "items.variant_title": c.variantTitle,
		"items.quantity": c.quantity, "items.price_cents": c.price,
		"fulfillments.tracking_numbers": c.tracking, "fulfillments.tracking_company": c.carrier,
		"fulfillments.tracking_urls": c.trackingURL,
		"acquisition.source":         c.utmSource, "acquisition.medium": c.utmMedium, "acquisition.campaign": c.utmCampaign,
		"acquisition.content": c.utmContent, "acquisition.term": c.utmTerm, "acquisition.ad_angle": c.adAngle,
		"acquisition.source_name": c.source, "note": c.note, "tags": c.tags,
	}[rest]
	if col == "" {
		return line, path
	}
	return line, p.layout.show(col)
}

// indexed splits "12].quantity" into 12 and "quantity".
func indexed(s string) (int, string, bool) {
	num, tail, ok := strings.Cut(s, "]")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 {
		return 0, "", false
	}
	return i, strings.TrimPrefix(tail, "."), true
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
