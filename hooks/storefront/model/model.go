// Package model holds the normalized, source-independent shapes that every
// storefront adapter (Shopify, WooCommerce, CSV import, REST API) produces and
// the ingest layer writes to the database.
//
// Conventions:
//   - Money is int64 minor units of the order currency ("cents" even for JPY,
//     where one minor unit is one yen, or KWD, where it is one fils). Convert
//     decimal strings with ToMinor, which never goes through float64.
//   - Times are UTC; the zero time means "absent".
//   - Source-specific status strings are kept raw (FinancialStatus,
//     ShipmentStatus, …); mapping onto Porchlight's canonical vocabularies
//     happens in the packages that own those vocabularies.
//   - Strings are data: HTML or SQL in a name is kept verbatim (escaping is
//     the renderer's and the query builder's job), but control characters are
//     stripped by Normalize.
//
// The package is pure Go (no PocketBase) so parsers, tests and the CLI can use
// it without the app.
package model

import "time"

// Source says where an order came from.
type Source string

// The sources an order can come from.
const (
	SourceShopify     Source = "shopify"
	SourceWooCommerce Source = "woocommerce"
	SourceCSV         Source = "csv"
	SourceAPI         Source = "api"
)

// Valid reports whether s is one of the known sources.
func (s Source) Valid() bool {
	switch s {
	case SourceShopify, SourceWooCommerce, SourceCSV, SourceAPI:
		return true
	}
	return false
}

// Customer is the person who placed an order.
type Customer struct {
	// ExternalID is the store's customer id; empty for guest checkouts.
	ExternalID string `json:"external_id,omitempty"`
	Email      string `json:"email,omitempty"`
	// Phone is kept as the store sent it; E.164 normalisation belongs to the
	// messaging layer, which knows the default region.
	Phone     string `json:"phone,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// Locale is a BCP 47 tag such as "en-US", when the store knows it.
	Locale string `json:"locale,omitempty"`
	// AcceptsEmailMarketing and AcceptsSMSMarketing are nil when the source
	// says nothing about consent; false when it says "not subscribed".
	AcceptsEmailMarketing *bool `json:"accepts_email_marketing,omitempty"`
	AcceptsSMSMarketing   *bool `json:"accepts_sms_marketing,omitempty"`
	// UpdatedAt is the store's last-modified time of the customer record
	// (customers/update); zero when unknown.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Address is a postal address.
type Address struct {
	Name       string `json:"name,omitempty"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line1,omitempty"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"` // state/province code when known, else name
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2, upper case
	Phone      string `json:"phone,omitempty"`
}

// IsZero reports whether no field of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// LineItem is one product line of an order.
type LineItem struct {
	ExternalID   string `json:"external_id,omitempty"`
	SKU          string `json:"sku,omitempty"`
	VariantID    string `json:"variant_id,omitempty"`
	ProductID    string `json:"product_id,omitempty"`
	Title        string `json:"title"`
	VariantTitle string `json:"variant_title,omitempty"`
	Quantity     int    `json:"quantity"`
	// PriceCents is the unit price before order-level discounts, in minor
	// units of the order currency.
	PriceCents int64 `json:"price_cents"`
}

// Fulfillment is one shipment of some or all of an order's items.
type Fulfillment struct {
	ExternalID string `json:"external_id,omitempty"`
	// OrderExternalID is set when the fulfillment arrives on its own
	// (Shopify fulfillments/create|update); empty when nested in an order.
	OrderExternalID string `json:"order_external_id,omitempty"`
	// Status is the store's fulfillment status (Shopify: pending, open,
	// success, cancelled, error, failure), raw.
	Status          string   `json:"status,omitempty"`
	TrackingNumbers []string `json:"tracking_numbers,omitempty"`
	TrackingCompany string   `json:"tracking_company,omitempty"`
	TrackingURLs    []string `json:"tracking_urls,omitempty"`
	// ShipmentStatus is the store's own shipment status, raw (Shopify REST:
	// label_printed, in_transit, delivered, …). Mapping to canonical statuses
	// lives in hooks/tracking/status.
	ShipmentStatus string    `json:"shipment_status,omitempty"`
	Service        string    `json:"service,omitempty"`
	CreatedAt      time.Time `json:"created_at,omitzero"`
	UpdatedAt      time.Time `json:"updated_at,omitzero"`
	// LineItemIDs are the ExternalIDs of the order lines in this shipment;
	// empty means "unknown", not "none".
	LineItemIDs []string `json:"line_item_ids,omitempty"`
}

// FulfillmentEvent is one carrier scan reported through the store
// (Shopify fulfillment_events/create).
type FulfillmentEvent struct {
	ExternalID      string `json:"external_id"`
	FulfillmentID   string `json:"fulfillment_id"`
	OrderExternalID string `json:"order_external_id,omitempty"`
	// Status is the store's raw event status (Shopify: label_printed,
	// label_purchased, attempted_delivery, ready_for_pickup, confirmed,
	// in_transit, out_for_delivery, delivered, failure, …).
	Status              string    `json:"status"`
	Message             string    `json:"message,omitempty"`
	HappenedAt          time.Time `json:"happened_at"`
	City                string    `json:"city,omitempty"`
	Region              string    `json:"region,omitempty"`
	Country             string    `json:"country,omitempty"` // as sent: Shopify gives a name here, not a code
	PostalCode          string    `json:"postal_code,omitempty"`
	EstimatedDeliveryAt time.Time `json:"estimated_delivery_at,omitzero"`
	CreatedAt           time.Time `json:"created_at,omitzero"`
}

// Acquisition is how the shopper got to the store: UTM parameters, the
// merchant's own ad_angle tag, and the store's referral data.
type Acquisition struct {
	Source   string `json:"source,omitempty"`
	Medium   string `json:"medium,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	Content  string `json:"content,omitempty"`
	Term     string `json:"term,omitempty"`
	// AdAngle is the merchant's creative/angle tag (query param or order
	// attribute "ad_angle").
	AdAngle       string `json:"ad_angle,omitempty"`
	LandingSite   string `json:"landing_site,omitempty"`
	ReferringSite string `json:"referring_site,omitempty"`
	// SourceName is how the order was created: Shopify source_name (web,
	// pos, shopify_draft_order, an app id, …) or WooCommerce created_via
	// (checkout, admin, rest-api, store-api).
	SourceName string `json:"source_name,omitempty"`
	// SourceType is WooCommerce's order-attribution source type (utm,
	// organic, referral, typein, admin, mobile_app); empty elsewhere.
	SourceType string `json:"source_type,omitempty"`
}

// IsZero reports whether nothing is known about acquisition.
func (a Acquisition) IsZero() bool { return a == Acquisition{} }

// Order is a normalized order from any source.
type Order struct {
	Source     Source `json:"source"`
	ExternalID string `json:"external_id"`
	// Number is what the shopper sees ("#1001" on Shopify, "727" on
	// WooCommerce); shopper lookup matches on it.
	Number string `json:"number"`
	// SourceStatus is the store's own order status where it has one
	// (WooCommerce: pending, processing, on-hold, completed, …), raw.
	SourceStatus string    `json:"source_status,omitempty"`
	PlacedAt     time.Time `json:"placed_at"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
	CancelledAt  time.Time `json:"cancelled_at,omitzero"`
	// Deleted is set when the store reports the order trashed or deleted.
	Deleted bool `json:"deleted,omitempty"`
	// Test marks store test orders (Shopify "test": true).
	Test     bool   `json:"test,omitempty"`
	Currency string `json:"currency"` // ISO 4217, upper case
	// Money, all in minor units of Currency. SubtotalCents is the line items
	// after discounts, before shipping and tax (Shopify's subtotal_price).
	TotalCents        int64           `json:"total_cents"`
	SubtotalCents     int64           `json:"subtotal_cents"`
	ShippingCents     int64           `json:"shipping_cents"`
	TaxCents          int64           `json:"tax_cents"`
	DiscountCents     int64           `json:"discount_cents"`
	FinancialStatus   string          `json:"financial_status,omitempty"`
	FulfillmentStatus string          `json:"fulfillment_status,omitempty"`
	Customer          Customer        `json:"customer"`
	ShippingAddress   Address         `json:"shipping_address,omitzero"`
	Items             []LineItem      `json:"items,omitempty"`
	Fulfillments      []Fulfillment   `json:"fulfillments,omitempty"`
	Acquisition       Acquisition     `json:"acquisition,omitzero"`
	Note              string          `json:"note,omitempty"`
	Tags              []string        `json:"tags,omitempty"`
	Refunds           []RefundSummary `json:"refunds,omitempty"`
}

// RefundSummary is a refund as listed inside an order payload (WooCommerce
// orders carry {id, reason, total}); full refunds come as Refund.
type RefundSummary struct {
	ExternalID  string `json:"external_id"`
	Reason      string `json:"reason,omitempty"`
	AmountCents int64  `json:"amount_cents"` // positive
}

// Refund is money (and possibly items) returned to the shopper.
type Refund struct {
	Source          Source    `json:"source"`
	ExternalID      string    `json:"external_id"`
	OrderExternalID string    `json:"order_external_id"`
	CreatedAt       time.Time `json:"created_at"`
	ProcessedAt     time.Time `json:"processed_at,omitzero"`
	Note            string    `json:"note,omitempty"`
	// Currency of AmountCents; may be empty when the source did not say
	// (amounts then assume two minor digits).
	Currency string `json:"currency,omitempty"`
	// AmountCents is the money actually returned: the sum of successful
	// refund transactions, positive.
	AmountCents int64        `json:"amount_cents"`
	Items       []RefundItem `json:"items,omitempty"`
}

// RefundItem is one refunded order line.
type RefundItem struct {
	LineItemID    string `json:"line_item_id"`
	Quantity      int    `json:"quantity"`
	SubtotalCents int64  `json:"subtotal_cents"`
	TaxCents      int64  `json:"tax_cents"`
	// RestockType is the store's raw restock type (Shopify: no_restock,
	// cancel, return, legacy_restock).
	RestockType string `json:"restock_type,omitempty"`
}
