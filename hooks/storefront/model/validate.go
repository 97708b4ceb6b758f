package model

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits enforced by Validate. They are generous for real stores and small
// enough that a hostile payload cannot bloat the database.
const (
	MaxIDRunes         = 100
	MaxNumberRunes     = 64
	MaxNameRunes       = 200
	MaxEmailLen        = 254
	MaxPhoneLen        = 32
	MaxLocaleLen       = 35
	MaxAddressRunes    = 300
	MaxPostalLen       = 32
	MaxTitleRunes      = 500
	MaxSKURunes        = 255
	MaxStatusRunes     = 64
	MaxLineItems       = 500
	MaxQuantity        = 100_000
	MaxFulfillments    = 100
	MaxTrackingNumbers = 50
	MaxTrackingRunes   = 100
	MaxURLLen          = 2048
	MaxUTMRunes        = 500
	MaxSiteLen         = 4096
	MaxNoteRunes       = 10_000
	MaxTags            = 250
	MaxTagRunes        = 255
	MaxRefunds         = 250
	MaxMoneyMinor      = int64(1e15)
)

// Orders placed outside this window are rejected as nonsense dates.
var (
	minTime = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// FieldError is one problem with one field. Field is the JSON path of the
// field as the REST API spells it ("customer.email", "items[3].quantity").
type FieldError struct {
	Field string `json:"field"`
	Error string `json:"error"`
}

// ValidationError is a non-empty list of field errors. Parsers return it when
// a payload decoded fine but its content breaks a rule.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "invalid"
	}
	var b strings.Builder
	b.WriteString("invalid ")
	for i, f := range e.Fields {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Fields)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Error)
	}
	return b.String()
}

// AsError returns nil for no errors and a *ValidationError otherwise.
func AsError(errs []FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

type checker struct{ errs []FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: field, Error: fmt.Sprintf(format, args...)})
}

func (c *checker) runes(field, v string, max int, required bool) {
	if v == "" {
		if required {
			c.add(field, "is required")
		}
		return
	}
	if n := utf8.RuneCountInString(v); n > max {
		c.add(field, "is %d characters long; at most %d allowed", n, max)
	}
}

func (c *checker) bytes(field, v string, max int) {
	if len(v) > max {
		c.add(field, "is %d bytes long; at most %d allowed", len(v), max)
	}
}

func (c *checker) money(field string, v int64, allowNegative bool) {
	if v < 0 && !allowNegative {
		c.add(field, "must not be negative")
	}
	if v > MaxMoneyMinor || v < -MaxMoneyMinor {
		c.add(field, "is out of range")
	}
}

func (c *checker) time(field string, t time.Time, required bool) {
	if t.IsZero() {
		if required {
			c.add(field, "is required")
		}
		return
	}
	if t.Before(minTime) || !t.Before(maxTime) {
		c.add(field, "is out of range (%s)", t.UTC().Format(time.RFC3339))
	}
}

// Validate reports every rule the order breaks, or nil. Call Normalize
// first: Validate does not strip control characters, it only measures.
func (o *Order) Validate() []FieldError {
	var c checker
	if !o.Source.Valid() {
		c.add("source", "must be one of shopify, woocommerce, csv, api")
	}
	c.runes("external_id", o.ExternalID, MaxIDRunes, true)
	c.runes("number", o.Number, MaxNumberRunes, true)
	c.runes("source_status", o.SourceStatus, MaxStatusRunes, false)
	c.time("placed_at", o.PlacedAt, true)
	c.time("updated_at", o.UpdatedAt, false)
	c.time("cancelled_at", o.CancelledAt, false)
	if !ValidCurrency(o.Currency) {
		c.add("currency", "must be a three-letter ISO 4217 code")
	}
	c.money("total_cents", o.TotalCents, false)
	c.money("subtotal_cents", o.SubtotalCents, false)
	c.money("shipping_cents", o.ShippingCents, false)
	c.money("tax_cents", o.TaxCents, false)
	c.money("discount_cents", o.DiscountCents, false)
	c.runes("financial_status", o.FinancialStatus, MaxStatusRunes, false)
	c.runes("fulfillment_status", o.FulfillmentStatus, MaxStatusRunes, false)
	o.Customer.check(&c, "customer.")
	o.ShippingAddress.check(&c, "shipping_address.")

	if len(o.Items) > MaxLineItems {
		c.add("items", "has %d line items; at most %d allowed", len(o.Items), MaxLineItems)
	} else {
		for i := range o.Items {
			o.Items[i].check(&c, fmt.Sprintf("items[%d].", i))
		}
	}
	if len(o.Fulfillments) > MaxFulfillments {
		c.add("fulfillments", "has %d fulfillments; at most %d allowed", len(o.Fulfillments), MaxFulfillments)
	} else {
		for i := range o.Fulfillments {
			o.Fulfillments[i].check(&c, fmt.Sprintf("fulfillments[%d].", i))
		}
	}
	o.Acquisition.check(&c, "acquisition.")
	c.runes("note", o.Note, MaxNoteRunes, false)
	if len(o.Tags) > MaxTags {
		c.add("tags", "has %d tags; at most %d allowed", len(o.Tags), MaxTags)
	} else {
		for i, t := range o.Tags {
			c.runes(fmt.Sprintf("tags[%d]", i), t, MaxTagRunes, true)
		}
	}
	if len(o.Refunds) > MaxRefunds {
		c.add("refunds", "has %d refunds; at most %d allowed", len(o.Refunds), MaxRefunds)
	} else {
		for i, r := range o.Refunds {
			p := fmt.Sprintf("refunds[%d].", i)
			c.runes(p+"external_id", r.ExternalID, MaxIDRunes, true)
			c.runes(p+"reason", r.Reason, MaxNoteRunes, false)
			c.money(p+"amount_cents", r.AmountCents, false)
		}
	}
	return c.errs
}

// Validate reports every rule the customer breaks, or nil.
func (cu *Customer) Validate() []FieldError {
	var c checker
	cu.check(&c, "")
	return c.errs
}

func (cu *Customer) check(c *checker, p string) {
	c.runes(p+"external_id", cu.ExternalID, MaxIDRunes, false)
	if cu.Email != "" && !ValidEmail(cu.Email) {
		c.add(p+"email", "is not a valid email address")
	}
	if cu.Phone != "" && !ValidPhone(cu.Phone) {
		c.add(p+"phone", "is not a valid phone number")
	}
	c.runes(p+"first_name", cu.FirstName, MaxNameRunes, false)
	c.runes(p+"last_name", cu.LastName, MaxNameRunes, false)
	if cu.Locale != "" && !validLocale(cu.Locale) {
		c.add(p+"locale", "is not a language tag")
	}
	c.time(p+"updated_at", cu.UpdatedAt, false)
}

func (a *Address) check(c *checker, p string) {
	c.runes(p+"name", a.Name, MaxNameRunes, false)
	c.runes(p+"company", a.Company, MaxNameRunes, false)
	c.runes(p+"line1", a.Line1, MaxAddressRunes, false)
	c.runes(p+"line2", a.Line2, MaxAddressRunes, false)
	c.runes(p+"city", a.City, MaxNameRunes, false)
	c.runes(p+"region", a.Region, MaxNameRunes, false)
	c.runes(p+"postal_code", a.PostalCode, MaxPostalLen, false)
	if a.Country != "" && !isUpperAlpha(a.Country, 2) {
		c.add(p+"country", "must be a two-letter ISO 3166-1 code")
	}
	if a.Phone != "" && !ValidPhone(a.Phone) {
		c.add(p+"phone", "is not a valid phone number")
	}
}

func (li *LineItem) check(c *checker, p string) {
	c.runes(p+"external_id", li.ExternalID, MaxIDRunes, false)
	c.runes(p+"sku", li.SKU, MaxSKURunes, false)
	c.runes(p+"variant_id", li.VariantID, MaxIDRunes, false)
	c.runes(p+"product_id", li.ProductID, MaxIDRunes, false)
	if li.Title == "" && li.SKU == "" {
		c.add(p+"title", "is required when there is no sku")
	}
	c.runes(p+"title", li.Title, MaxTitleRunes, false)
	c.runes(p+"variant_title", li.VariantTitle, MaxTitleRunes, false)
	if li.Quantity <= 0 {
		c.add(p+"quantity", "must be greater than 0")
	} else if li.Quantity > MaxQuantity {
		c.add(p+"quantity", "must be at most %d", MaxQuantity)
	}
	c.money(p+"price_cents", li.PriceCents, false)
}

// Validate reports every rule the fulfillment breaks, or nil.
func (f *Fulfillment) Validate() []FieldError {
	var c checker
	f.check(&c, "")
	return c.errs
}

func (f *Fulfillment) check(c *checker, p string) {
	c.runes(p+"external_id", f.ExternalID, MaxIDRunes, false)
	c.runes(p+"order_external_id", f.OrderExternalID, MaxIDRunes, false)
	c.runes(p+"status", f.Status, MaxStatusRunes, false)
	if len(f.TrackingNumbers) > MaxTrackingNumbers {
		c.add(p+"tracking_numbers", "has %d entries; at most %d allowed", len(f.TrackingNumbers), MaxTrackingNumbers)
	} else {
		for i, n := range f.TrackingNumbers {
			c.runes(fmt.Sprintf("%stracking_numbers[%d]", p, i), n, MaxTrackingRunes, true)
		}
	}
	c.runes(p+"tracking_company", f.TrackingCompany, MaxNameRunes, false)
	if len(f.TrackingURLs) > MaxTrackingNumbers {
		c.add(p+"tracking_urls", "has %d entries; at most %d allowed", len(f.TrackingURLs), MaxTrackingNumbers)
	} else {
		for i, u := range f.TrackingURLs {
			field := fmt.Sprintf("%stracking_urls[%d]", p, i)
			c.bytes(field, u, MaxURLLen)
			if !ValidWebURL(u) {
				c.add(field, "must be an absolute http or https URL")
			}
		}
	}
	c.runes(p+"shipment_status", f.ShipmentStatus, MaxStatusRunes, false)
	c.runes(p+"service", f.Service, MaxNameRunes, false)
	c.time(p+"created_at", f.CreatedAt, false)
	c.time(p+"updated_at", f.UpdatedAt, false)
	if len(f.LineItemIDs) > MaxLineItems {
		c.add(p+"line_item_ids", "has %d entries; at most %d allowed", len(f.LineItemIDs), MaxLineItems)
	} else {
		for i, id := range f.LineItemIDs {
			c.runes(fmt.Sprintf("%sline_item_ids[%d]", p, i), id, MaxIDRunes, true)
		}
	}
}

// Validate reports every rule the event breaks, or nil.
func (e *FulfillmentEvent) Validate() []FieldError {
	var c checker
	c.runes("external_id", e.ExternalID, MaxIDRunes, true)
	c.runes("fulfillment_id", e.FulfillmentID, MaxIDRunes, true)
	c.runes("order_external_id", e.OrderExternalID, MaxIDRunes, false)
	c.runes("status", e.Status, MaxStatusRunes, true)
	c.runes("message", e.Message, MaxTitleRunes, false)
	c.time("happened_at", e.HappenedAt, true)
	c.runes("city", e.City, MaxNameRunes, false)
	c.runes("region", e.Region, MaxNameRunes, false)
	c.runes("country", e.Country, MaxNameRunes, false)
	c.runes("postal_code", e.PostalCode, MaxPostalLen, false)
	c.time("estimated_delivery_at", e.EstimatedDeliveryAt, false)
	c.time("created_at", e.CreatedAt, false)
	return c.errs
}

func (a *Acquisition) check(c *checker, p string) {
	c.runes(p+"source", a.Source, MaxUTMRunes, false)
	c.runes(p+"medium", a.Medium, MaxUTMRunes, false)
	c.runes(p+"campaign", a.Campaign, MaxUTMRunes, false)
	c.runes(p+"content", a.Content, MaxUTMRunes, false)
	c.runes(p+"term", a.Term, MaxUTMRunes, false)
	c.runes(p+"ad_angle", a.AdAngle, MaxUTMRunes, false)
	c.bytes(p+"landing_site", a.LandingSite, MaxSiteLen)
	c.bytes(p+"referring_site", a.ReferringSite, MaxSiteLen)
	c.runes(p+"source_name", a.SourceName, MaxStatusRunes, false)
	c.runes(p+"source_type", a.SourceType, MaxStatusRunes, false)
}

// Validate reports every rule the refund breaks, or nil.
func (r *Refund) Validate() []FieldError {
	var c checker
	if !r.Source.Valid() {
		c.add("source", "must be one of shopify, woocommerce, csv, api")
	}
	c.runes("external_id", r.ExternalID, MaxIDRunes, true)
	c.runes("order_external_id", r.OrderExternalID, MaxIDRunes, true)
	c.time("created_at", r.CreatedAt, true)
	c.time("processed_at", r.ProcessedAt, false)
	c.runes("note", r.Note, MaxNoteRunes, false)
	if r.Currency != "" && !ValidCurrency(r.Currency) {
		c.add("currency", "must be a three-letter ISO 4217 code")
	}
	c.money("amount_cents", r.AmountCents, false)
	if len(r.Items) > MaxLineItems {
		c.add("items", "has %d entries; at most %d allowed", len(r.Items), MaxLineItems)
	} else {
		for i, it := range r.Items {
			p := fmt.Sprintf("items[%d].", i)
			c.runes(p+"line_item_id", it.LineItemID, MaxIDRunes, true)
			if it.Quantity < 0 || it.Quantity > MaxQuantity {
				c.add(p+"quantity", "must be between 0 and %d", MaxQuantity)
			}
			c.money(p+"subtotal_cents", it.SubtotalCents, false)
			c.money(p+"tax_cents", it.TaxCents, false)
			c.runes(p+"restock_type", it.RestockType, MaxStatusRunes, false)
		}
	}
	return c.errs
}

// ValidCurrency reports whether s looks like an ISO 4217 code: three
// upper-case ASCII letters. The code list itself is not checked because
// stores also use non-ISO codes (WooCommerce offers BTC, IRT, PRB, …).
func ValidCurrency(s string) bool { return isUpperAlpha(s, 3) }

func isUpperAlpha(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a bare addr-spec ("a@b.example") of at
// most 254 bytes, with no display name, comments or angle brackets, and a
// dotted domain.
func ValidEmail(s string) bool {
	if len(s) > MaxEmailLen || strings.ContainsAny(s, " <>\"(),;:\\") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

// ValidPhone accepts what stores send as phone numbers ("+1 (555) 555-0100",
// "0044 20 7946 0000 ext. 12"): at most 32 bytes, at least 4 digits, only
// digits, spaces and + - ( ) . / x and the letters of "ext".
func ValidPhone(s string) bool {
	if len(s) > MaxPhoneLen {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().,/xXeEtT#", r):
		default:
			return false
		}
	}
	return digits >= 4
}

func validLocale(s string) bool {
	if len(s) > MaxLocaleLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ValidWebURL reports whether s is an absolute http(s) URL with a host.
// Tracking links are rendered to shoppers, so javascript:, data: and
// relative URLs are refused.
func ValidWebURL(s string) bool {
	if s == "" || len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http"
}

// CleanWebURLs keeps the entries of urls that are, or can be made into,
// absolute http(s) URLs: a scheme-less "www.ups.com/track?…" gets https://
// in front; anything else (javascript:, relative paths, junk) is dropped.
// Store-supplied tracking links go through it so one bad link does not fail
// a whole order.
func CleanWebURLs(urls []string) []string {
	var out []string
	for _, u := range urls {
		u = SanitizeLine(u)
		if u == "" {
			continue
		}
		if ValidWebURL(u) {
			out = append(out, u)
			continue
		}
		if !strings.Contains(u, "://") && !strings.HasPrefix(u, "/") && strings.Contains(strings.SplitN(u, "/", 2)[0], ".") {
			if fixed := "https://" + u; ValidWebURL(fixed) {
				out = append(out, fixed)
			}
		}
	}
	return out
}
