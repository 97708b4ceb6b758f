package woocommerce

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// WooCommerce REST v3 order JSON, reduced to the fields Porchlight reads.

type addressJSON struct {
	FirstName wire.Text `json:"first_name"`
	LastName  wire.Text `json:"last_name"`
	Company   wire.Text `json:"company"`
	Address1  wire.Text `json:"address_1"`
	Address2  wire.Text `json:"address_2"`
	City      wire.Text `json:"city"`
	State     wire.Text `json:"state"`
	Postcode  wire.Text `json:"postcode"`
	Country   wire.Text `json:"country"`
	Email     wire.Text `json:"email"`
	Phone     wire.Text `json:"phone"`
}

// metaJSON is one meta_data entry. Values are whatever the plugin stored:
// strings, numbers, arrays (Shipment Tracking), objects.
type metaJSON struct {
	Key   wire.Text       `json:"key"`
	Value json.RawMessage `json:"value"`
}

type lineItemJSON struct {
	ID          wire.Text `json:"id"`
	Name        wire.Text `json:"name"`
	ProductID   wire.Text `json:"product_id"`
	VariationID wire.Text `json:"variation_id"`
	Quantity    wire.Text `json:"quantity"`
	Subtotal    wire.Text `json:"subtotal"`
	Total       wire.Text `json:"total"`
	SKU         wire.Text `json:"sku"`
	// Documented as a string, sent as a JSON number (3, 12.5,
	// 3.3333333333333335).
	Price wire.Text `json:"price"`
}

type orderJSON struct {
	ID              wire.Text      `json:"id"`
	Number          wire.Text      `json:"number"`
	Status          wire.Text      `json:"status"`
	Currency        wire.Text      `json:"currency"`
	CreatedVia      wire.Text      `json:"created_via"`
	DateCreated     wire.Text      `json:"date_created"`
	DateCreatedGMT  wire.Text      `json:"date_created_gmt"`
	DateModified    wire.Text      `json:"date_modified"`
	DateModifiedGMT wire.Text      `json:"date_modified_gmt"`
	DatePaidGMT     wire.Text      `json:"date_paid_gmt"`
	DiscountTotal   wire.Text      `json:"discount_total"`
	ShippingTotal   wire.Text      `json:"shipping_total"`
	Total           wire.Text      `json:"total"`
	TotalTax        wire.Text      `json:"total_tax"`
	CustomerID      wire.Text      `json:"customer_id"`
	CustomerNote    wire.Text      `json:"customer_note"`
	Billing         *addressJSON   `json:"billing"`
	Shipping        *addressJSON   `json:"shipping"`
	LineItems       []lineItemJSON `json:"line_items"`
	MetaData        []metaJSON     `json:"meta_data"`
	Refunds         []struct {
		ID     wire.Text `json:"id"`
		Reason wire.Text `json:"reason"`
		Total  wire.Text `json:"total"`
	} `json:"refunds"`
}

// ErrIDOnly is returned by ParseOrder for a body that carries nothing but an
// id: the order.deleted payload. Use ParseDeleted for that topic.
var ErrIDOnly = errors.New("woocommerce order: payload carries only an id (order.deleted); use ParseDeleted")

// maxMeta bounds the meta_data entries looked at.
const maxMeta = 2000

// ParseOrder parses an order.created, order.updated or order.restored
// payload (the REST v3 order object), or one element of a GET /orders page.
//
// Required: id, date_created_gmt (date_created is taken as UTC when the GMT
// field is absent), currency, total. Number falls back to id.
//
// Mapping choices:
//   - SourceStatus is WooCommerce's status; Deleted is status "trash".
//   - FinancialStatus uses Shopify's vocabulary so downstream code has one:
//     refunded, voided (cancelled), failed, partially_refunded (paid with
//     refunds), paid (date_paid_gmt set, or processing/completed), else
//     pending. FulfillmentStatus is "fulfilled" for completed orders.
//   - CancelledAt is date_modified_gmt for cancelled orders (WooCommerce
//     keeps no cancellation time).
//   - SubtotalCents is the sum of line totals after discounts.
//   - Line titles are HTML-unescaped ("&ndash;" → "–"): WooCommerce
//     entity-encodes product names in the API.
//   - Tracking comes from the Shipment Tracking meta
//     _wc_shipment_tracking_items (also written by Advanced Shipment
//     Tracking), and from the single-value keys _aftership_tracking_number /
//     _aftership_tracking_provider and _tracking_number / _tracking_provider
//     / _custom_tracking_link; one Fulfillment per tracking number.
//   - Acquisition comes from WooCommerce order attribution meta
//     (_wc_order_attribution_*; "(none)" means empty), then plain
//     utm_* / ad_angle meta keys, then the query of the session entry URL.
//
// On a validation failure the parsed order is returned together with a
// *model.ValidationError.
func ParseOrder(body []byte) (model.Order, error) {
	var in orderJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.Order{}, fmt.Errorf("woocommerce order: %w", err)
	}
	if in.ID.Trim() != "" && in.DateCreatedGMT.Trim() == "" && in.DateCreated.Trim() == "" &&
		in.Currency.Trim() == "" && in.Total.Trim() == "" && in.LineItems == nil {
		return model.Order{}, ErrIDOnly
	}
	o, err := in.toModel()
	if err != nil {
		return model.Order{}, fmt.Errorf("woocommerce order: %w", err)
	}
	o.Normalize()
	return o, model.AsError(o.Validate())
}

// ParseDeleted parses an order.deleted payload, which is only {"id": N}
// (WooCommerce sends just the id for deletions), and returns the order id.
func ParseDeleted(body []byte) (string, error) {
	var in struct {
		ID wire.Text `json:"id"`
	}
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return "", fmt.Errorf("woocommerce deleted order: %w", err)
	}
	id, err := wire.Required("id", in.ID)
	if err != nil {
		return "", fmt.Errorf("woocommerce deleted order: %w", err)
	}
	id = model.SanitizeLine(id)
	if len(id) > model.MaxIDRunes {
		return "", errors.New("woocommerce deleted order: id too long")
	}
	return id, nil
}

func (in *orderJSON) toModel() (model.Order, error) {
	var p wire.Fields
	o := model.Order{Source: model.SourceWooCommerce}
	o.ExternalID = p.Required("id", in.ID)
	o.Number = in.Number.Trim()
	if o.Number == "" {
		o.Number = o.ExternalID
	}
	o.SourceStatus = strings.ToLower(in.Status.Trim())
	o.Deleted = o.SourceStatus == "trash"

	created := in.DateCreatedGMT
	createdField := "date_created_gmt"
	if created.Trim() == "" {
		created, createdField = in.DateCreated, "date_created"
	}
	o.PlacedAt = p.Time(createdField, created, true)
	modified := in.DateModifiedGMT
	modifiedField := "date_modified_gmt"
	if modified.Trim() == "" {
		modified, modifiedField = in.DateModified, "date_modified"
	}
	o.UpdatedAt = p.Time(modifiedField, modified, false)
	paidAt := p.Time("date_paid_gmt", in.DatePaidGMT, false)

	o.Currency = strings.ToUpper(p.Required("currency", in.Currency))
	cur := o.Currency
	o.TotalCents = p.Money("total", in.Total, cur, true)
	o.ShippingCents = p.Money("shipping_total", in.ShippingTotal, cur, false)
	o.TaxCents = p.Money("total_tax", in.TotalTax, cur, false)
	o.DiscountCents = p.Money("discount_total", in.DiscountTotal, cur, false)

	if len(in.LineItems) > model.MaxLineItems {
		p.Fail("line_items has %d entries; at most %d allowed", len(in.LineItems), model.MaxLineItems)
	} else {
		for i := range in.LineItems {
			li := in.LineItems[i].toModel(&p, fmt.Sprintf("line_items[%d]", i), cur)
			o.Items = append(o.Items, li)
			o.SubtotalCents = model.AddMinor(o.SubtotalCents, p.Money(fmt.Sprintf("line_items[%d].total", i), in.LineItems[i].Total, cur, false))
		}
	}

	if len(in.Refunds) > model.MaxRefunds {
		p.Fail("refunds has %d entries; at most %d allowed", len(in.Refunds), model.MaxRefunds)
	} else {
		for i, r := range in.Refunds {
			amt := p.Money(fmt.Sprintf("refunds[%d].total", i), r.Total, cur, false)
			if amt < 0 {
				amt = -amt // WooCommerce lists refunds as negative totals
			}
			o.Refunds = append(o.Refunds, model.RefundSummary{
				ExternalID: r.ID.Trim(), Reason: r.Reason.String(), AmountCents: amt,
			})
		}
	}

	switch o.SourceStatus {
	case "completed":
		o.FulfillmentStatus = "fulfilled"
	}
	o.FinancialStatus = financialStatus(o.SourceStatus, !paidAt.IsZero(), len(o.Refunds) > 0)
	if o.SourceStatus == "cancelled" {
		o.CancelledAt = o.UpdatedAt
	}

	if in.Billing != nil {
		b := in.Billing
		o.Customer = model.Customer{
			Email:     b.Email.Trim(),
			Phone:     b.Phone.Trim(),
			FirstName: b.FirstName.Trim(),
			LastName:  b.LastName.Trim(),
		}
	}
	if id := in.CustomerID.Trim(); id != "" && id != "0" {
		o.Customer.ExternalID = id // 0 means guest checkout
	}
	if in.Shipping != nil {
		o.ShippingAddress = in.Shipping.toModel()
	}
	o.Note = in.CustomerNote.String()

	if len(in.MetaData) > maxMeta {
		p.Fail("meta_data has %d entries; at most %d allowed", len(in.MetaData), maxMeta)
	} else {
		m := readMeta(in.MetaData)
		o.Fulfillments = m.fulfillments(&p)
		o.Acquisition = m.acquisition()
	}
	o.Acquisition.SourceName = in.CreatedVia.Trim()
	return o, p.Err()
}

func financialStatus(status string, paid, refunded bool) string {
	switch status {
	case "refunded":
		return "refunded"
	case "cancelled":
		return "voided"
	case "failed":
		return "failed"
	}
	if paid || status == "processing" || status == "completed" {
		if refunded {
			return "partially_refunded"
		}
		return "paid"
	}
	return "pending"
}

func (a *addressJSON) toModel() model.Address {
	return model.Address{
		Name:       strings.TrimSpace(a.FirstName.Trim() + " " + a.LastName.Trim()),
		Company:    a.Company.Trim(),
		Line1:      a.Address1.Trim(),
		Line2:      a.Address2.Trim(),
		City:       a.City.Trim(),
		Region:     a.State.Trim(),
		PostalCode: a.Postcode.Trim(),
		Country:    strings.ToUpper(a.Country.Trim()),
		Phone:      a.Phone.Trim(),
	}
}

func (li *lineItemJSON) toModel(p *wire.Fields, field, currency string) model.LineItem {
	out := model.LineItem{
		ExternalID: li.ID.Trim(),
		SKU:        li.SKU.Trim(),
		ProductID:  zeroEmpty(li.ProductID.Trim()),
		VariantID:  zeroEmpty(li.VariationID.Trim()),
		Title:      html.UnescapeString(li.Name.Trim()),
		Quantity:   p.Quantity(field+".quantity", li.Quantity),
	}
	if li.Price.Trim() != "" {
		out.PriceCents = p.Money(field+".price", li.Price, currency, false)
	} else if out.Quantity > 0 {
		// No unit price: derive it from the pre-discount line subtotal.
		sub := p.Money(field+".subtotal", li.Subtotal, currency, false)
		out.PriceCents = (sub + int64(out.Quantity)/2) / int64(out.Quantity)
	}
	return out
}

func zeroEmpty(id string) string {
	if id == "0" {
		return ""
	}
	return id
}

// meta is the order meta that matters, by key.
type meta map[string]json.RawMessage

func readMeta(entries []metaJSON) meta {
	m := make(meta)
	for _, e := range entries {
		k := e.Key.Trim()
		if k == "" {
			continue
		}
		if _, seen := m[k]; !seen { // first wins, as get_meta( …, true ) does
			m[k] = e.Value
		}
	}
	return m
}

// text returns a scalar meta value as sanitized text; arrays and objects
// are "". WooCommerce order attribution writes "(none)" for unknown values.
func (m meta) text(key string) string {
	raw, ok := m[key]
	if !ok {
		return ""
	}
	var t wire.Text
	if err := t.UnmarshalJSON(bytes.TrimSpace(raw)); err != nil {
		return ""
	}
	s := model.SanitizeLine(t.String())
	if s == "(none)" {
		return ""
	}
	return s
}

// trackingItem is one entry of _wc_shipment_tracking_items.
type trackingItem struct {
	TrackingProvider       wire.Text `json:"tracking_provider"`
	CustomTrackingProvider wire.Text `json:"custom_tracking_provider"`
	TrackingNumber         wire.Text `json:"tracking_number"`
	CustomTrackingLink     wire.Text `json:"custom_tracking_link"`
	DateShipped            wire.Text `json:"date_shipped"`
	TrackingID             wire.Text `json:"tracking_id"`
}

// maxTrackingItems bounds _wc_shipment_tracking_items.
const maxTrackingItems = model.MaxFulfillments

func (m meta) trackingItems(p *wire.Fields) []trackingItem {
	raw := bytes.TrimSpace(m["_wc_shipment_tracking_items"])
	if len(raw) == 0 || raw[0] == 'n' {
		return nil
	}
	// Some stores return the array JSON-encoded inside a string.
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil
		}
		raw = bytes.TrimSpace([]byte(s))
		if len(raw) == 0 {
			return nil
		}
	}
	var items []trackingItem
	switch raw[0] {
	case '[':
		if err := json.Unmarshal(raw, &items); err != nil {
			p.Fail("meta _wc_shipment_tracking_items: not a list of tracking items")
			return nil
		}
	case '{':
		// PHP arrays with non-sequential keys serialise as objects:
		// {"0": {...}, "2": {...}}.
		var byKey map[string]trackingItem
		if err := json.Unmarshal(raw, &byKey); err != nil {
			p.Fail("meta _wc_shipment_tracking_items: not a list of tracking items")
			return nil
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sortNumeric(keys)
		for _, k := range keys {
			items = append(items, byKey[k])
		}
	default:
		return nil
	}
	if len(items) > maxTrackingItems {
		p.Fail("meta _wc_shipment_tracking_items has %d entries; at most %d allowed", len(items), maxTrackingItems)
		return nil
	}
	return items
}

// fulfillments builds one Fulfillment per tracking number found in meta.
// WooCommerce tracking plugins do not say which lines were shipped, so
// LineItemIDs stays empty ("unknown").
func (m meta) fulfillments(p *wire.Fields) []model.Fulfillment {
	var out []model.Fulfillment
	seen := map[string]bool{}
	for i, it := range m.trackingItems(p) {
		num := model.SanitizeLine(it.TrackingNumber.String())
		if num == "" || seen[num] {
			continue
		}
		seen[num] = true
		f := model.Fulfillment{
			ExternalID:      model.SanitizeLine(it.TrackingID.String()),
			Status:          "success",
			TrackingNumbers: []string{num},
			TrackingCompany: first(model.SanitizeLine(it.CustomTrackingProvider.String()), model.SanitizeLine(it.TrackingProvider.String())),
			TrackingURLs:    model.CleanWebURLs([]string{it.CustomTrackingLink.String()}),
			CreatedAt:       shippedAt(p, fmt.Sprintf("meta _wc_shipment_tracking_items[%d].date_shipped", i), it.DateShipped),
		}
		if f.ExternalID == "" {
			f.ExternalID = "tracking:" + num
		}
		out = append(out, f)
	}
	for _, single := range []struct{ number, provider, link string }{
		{"_aftership_tracking_number", "_aftership_tracking_provider", ""},
		{"_tracking_number", "_tracking_provider", "_custom_tracking_link"},
	} {
		num := m.text(single.number)
		if num == "" || seen[num] || len(num) > model.MaxTrackingRunes {
			continue
		}
		seen[num] = true
		f := model.Fulfillment{
			ExternalID:      "tracking:" + num,
			Status:          "success",
			TrackingNumbers: []string{num},
			TrackingCompany: m.text(single.provider),
		}
		if single.link != "" {
			f.TrackingURLs = model.CleanWebURLs([]string{m.text(single.link)})
		}
		out = append(out, f)
	}
	return out
}

// shippedAt reads date_shipped: Shipment Tracking stores a Unix timestamp
// (as a string or number); some plugins store a date string.
func shippedAt(p *wire.Fields, field string, v wire.Text) time.Time {
	s := v.Trim()
	if s == "" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 || n > 7258118400 { // 2200-01-01
			p.Fail("field %s: timestamp %d out of range", field, n)
			return time.Time{}
		}
		return time.Unix(n, 0).UTC()
	}
	return p.Time(field, v, false)
}

func (m meta) acquisition() model.Acquisition {
	const pre = "_wc_order_attribution_"
	a := model.Acquisition{
		Source:        m.text(pre + "utm_source"),
		Medium:        m.text(pre + "utm_medium"),
		Campaign:      m.text(pre + "utm_campaign"),
		Content:       m.text(pre + "utm_content"),
		Term:          m.text(pre + "utm_term"),
		SourceType:    m.text(pre + "source_type"),
		ReferringSite: m.text(pre + "referrer"),
		LandingSite:   m.text(pre + "session_entry"),
	}
	// Other attribution plugins store plain utm_* / _utm_* / ad_angle keys.
	var plain model.Acquisition
	for _, k := range []string{"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "ad_angle"} {
		for _, key := range []string{k, "_" + k} {
			if v := m.text(key); v != "" {
				var one model.Acquisition
				one.SetUTMField(k, v)
				plain.FillFrom(one)
			}
		}
	}
	a.FillFrom(plain)
	a.FillFrom(model.ParseUTM(a.LandingSite))
	return a
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// sortNumeric sorts keys numerically when both are numbers, else lexically.
func sortNumeric(keys []string) {
	slices.SortFunc(keys, func(a, b string) int {
		ai, errA := strconv.Atoi(a)
		bi, errB := strconv.Atoi(b)
		if errA == nil && errB == nil {
			return cmp.Compare(ai, bi)
		}
		return strings.Compare(a, b)
	})
}
