package shopify

import (
	"fmt"
	"strings"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// The REST webhook JSON shapes, reduced to the fields Porchlight reads.

type moneySet struct {
	ShopMoney struct {
		Amount       wire.Text `json:"amount"`
		CurrencyCode wire.Text `json:"currency_code"`
	} `json:"shop_money"`
}

type addressJSON struct {
	FirstName    wire.Text `json:"first_name"`
	LastName     wire.Text `json:"last_name"`
	Name         wire.Text `json:"name"`
	Company      wire.Text `json:"company"`
	Address1     wire.Text `json:"address1"`
	Address2     wire.Text `json:"address2"`
	City         wire.Text `json:"city"`
	Province     wire.Text `json:"province"`
	ProvinceCode wire.Text `json:"province_code"`
	Zip          wire.Text `json:"zip"`
	Country      wire.Text `json:"country"`
	CountryCode  wire.Text `json:"country_code"`
	Phone        wire.Text `json:"phone"`
}

type consentJSON struct {
	State wire.Text `json:"state"`
}

type customerJSON struct {
	ID                    wire.Text    `json:"id"`
	Email                 wire.Text    `json:"email"`
	Phone                 wire.Text    `json:"phone"`
	FirstName             wire.Text    `json:"first_name"`
	LastName              wire.Text    `json:"last_name"`
	Locale                wire.Text    `json:"locale"`
	UpdatedAt             wire.Text    `json:"updated_at"`
	AcceptsMarketing      wire.Bool    `json:"accepts_marketing"`
	EmailMarketingConsent *consentJSON `json:"email_marketing_consent"`
	SMSMarketingConsent   *consentJSON `json:"sms_marketing_consent"`
}

type lineItemJSON struct {
	ID           wire.Text `json:"id"`
	SKU          wire.Text `json:"sku"`
	VariantID    wire.Text `json:"variant_id"`
	ProductID    wire.Text `json:"product_id"`
	Title        wire.Text `json:"title"`
	Name         wire.Text `json:"name"`
	VariantTitle wire.Text `json:"variant_title"`
	Quantity     wire.Text `json:"quantity"`
	Price        wire.Text `json:"price"`
}

type fulfillmentJSON struct {
	ID              wire.Text      `json:"id"`
	OrderID         wire.Text      `json:"order_id"`
	Status          wire.Text      `json:"status"`
	Service         wire.Text      `json:"service"`
	CreatedAt       wire.Text      `json:"created_at"`
	UpdatedAt       wire.Text      `json:"updated_at"`
	TrackingCompany wire.Text      `json:"tracking_company"`
	TrackingNumber  wire.Text      `json:"tracking_number"`
	TrackingNumbers []wire.Text    `json:"tracking_numbers"`
	TrackingURL     wire.Text      `json:"tracking_url"`
	TrackingURLs    []wire.Text    `json:"tracking_urls"`
	ShipmentStatus  wire.Text      `json:"shipment_status"`
	LineItems       []lineItemJSON `json:"line_items"`
}

type noteAttributeJSON struct {
	Name  wire.Text `json:"name"`
	Value wire.Text `json:"value"`
}

type orderJSON struct {
	ID                    wire.Text `json:"id"`
	Name                  wire.Text `json:"name"`
	OrderNumber           wire.Text `json:"order_number"`
	Email                 wire.Text `json:"email"`
	ContactEmail          wire.Text `json:"contact_email"`
	Phone                 wire.Text `json:"phone"`
	CustomerLocale        wire.Text `json:"customer_locale"`
	CreatedAt             wire.Text `json:"created_at"`
	UpdatedAt             wire.Text `json:"updated_at"`
	CancelledAt           wire.Text `json:"cancelled_at"`
	Test                  wire.Bool `json:"test"`
	Currency              wire.Text `json:"currency"`
	TotalPrice            wire.Text `json:"total_price"`
	SubtotalPrice         wire.Text `json:"subtotal_price"`
	TotalTax              wire.Text `json:"total_tax"`
	TotalDiscounts        wire.Text `json:"total_discounts"`
	TotalShippingPriceSet *moneySet `json:"total_shipping_price_set"`
	ShippingLines         []struct {
		Price wire.Text `json:"price"`
	} `json:"shipping_lines"`
	FinancialStatus   wire.Text           `json:"financial_status"`
	FulfillmentStatus wire.Text           `json:"fulfillment_status"`
	Customer          *customerJSON       `json:"customer"`
	BillingAddress    *addressJSON        `json:"billing_address"`
	ShippingAddress   *addressJSON        `json:"shipping_address"`
	LineItems         []lineItemJSON      `json:"line_items"`
	Fulfillments      []fulfillmentJSON   `json:"fulfillments"`
	Refunds           []refundJSON        `json:"refunds"`
	LandingSite       wire.Text           `json:"landing_site"`
	ReferringSite     wire.Text           `json:"referring_site"`
	SourceName        wire.Text           `json:"source_name"`
	Note              wire.Text           `json:"note"`
	NoteAttributes    []noteAttributeJSON `json:"note_attributes"`
	Tags              wire.Text           `json:"tags"`
}

// maxShippingLines bounds shipping_lines, summed when
// total_shipping_price_set is absent.
const maxShippingLines = 100

// ParseOrder parses the body of an orders/create, orders/updated,
// orders/paid, orders/cancelled, orders/fulfilled or
// orders/partially_fulfilled webhook.
//
// Required: id, created_at, currency, total_price, and name or
// order_number. Money is in the shop currency (the *_price fields and
// shop_money), converted to minor units exactly. UTM parameters come from
// landing_site; note_attributes named utm_* or ad_angle (optionally with a
// leading underscore, Shopify's hidden-attribute convention) override them,
// because merchants set those deliberately (often first-touch values kept
// in a cookie) while landing_site is only the session's first page.
//
// On a validation failure the parsed order is returned together with a
// *model.ValidationError.
func ParseOrder(body []byte) (model.Order, error) {
	var in orderJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.Order{}, fmt.Errorf("shopify order: %w", err)
	}
	o, err := in.toModel()
	if err != nil {
		return model.Order{}, fmt.Errorf("shopify order: %w", err)
	}
	o.Normalize()
	return o, model.AsError(o.Validate())
}

func (in *orderJSON) toModel() (model.Order, error) {
	var p wire.Fields
	o := model.Order{Source: model.SourceShopify}
	o.ExternalID = p.Required("id", in.ID)
	o.Number = in.Name.Trim()
	if o.Number == "" {
		if n := in.OrderNumber.Trim(); n != "" {
			o.Number = "#" + n
		}
	}
	if o.Number == "" {
		p.Fail("missing required field name (or order_number)")
	}
	o.PlacedAt = p.Time("created_at", in.CreatedAt, true)
	o.UpdatedAt = p.Time("updated_at", in.UpdatedAt, false)
	o.CancelledAt = p.Time("cancelled_at", in.CancelledAt, false)
	o.Test = in.Test.V
	o.Currency = strings.ToUpper(p.Required("currency", in.Currency))
	cur := o.Currency
	o.TotalCents = p.Money("total_price", in.TotalPrice, cur, true)
	o.SubtotalCents = p.Money("subtotal_price", in.SubtotalPrice, cur, false)
	o.TaxCents = p.Money("total_tax", in.TotalTax, cur, false)
	o.DiscountCents = p.Money("total_discounts", in.TotalDiscounts, cur, false)
	if in.TotalShippingPriceSet != nil && in.TotalShippingPriceSet.ShopMoney.Amount.Trim() != "" {
		o.ShippingCents = p.Money("total_shipping_price_set.shop_money.amount", in.TotalShippingPriceSet.ShopMoney.Amount, cur, false)
	} else if len(in.ShippingLines) > maxShippingLines {
		p.Fail("shipping_lines has %d entries; at most %d allowed", len(in.ShippingLines), maxShippingLines)
	} else {
		for i, sl := range in.ShippingLines {
			o.ShippingCents = model.AddMinor(o.ShippingCents, p.Money(fmt.Sprintf("shipping_lines[%d].price", i), sl.Price, cur, false))
		}
	}
	o.FinancialStatus = in.FinancialStatus.Trim()
	o.FulfillmentStatus = in.FulfillmentStatus.Trim()

	o.Customer = in.customer(&p)
	if in.ShippingAddress != nil {
		o.ShippingAddress = in.ShippingAddress.toModel()
	}

	if len(in.LineItems) > model.MaxLineItems {
		// Validate would say the same; stop before converting 10^6 lines.
		p.Fail("line_items has %d entries; at most %d allowed", len(in.LineItems), model.MaxLineItems)
	} else {
		for i := range in.LineItems {
			o.Items = append(o.Items, in.LineItems[i].toModel(&p, fmt.Sprintf("line_items[%d]", i), cur))
		}
	}
	if len(in.Fulfillments) > model.MaxFulfillments {
		p.Fail("fulfillments has %d entries; at most %d allowed", len(in.Fulfillments), model.MaxFulfillments)
	} else {
		for i := range in.Fulfillments {
			o.Fulfillments = append(o.Fulfillments, in.Fulfillments[i].toModel(&p, fmt.Sprintf("fulfillments[%d].", i)))
		}
	}
	if len(in.Refunds) > model.MaxRefunds {
		p.Fail("refunds has %d entries; at most %d allowed", len(in.Refunds), model.MaxRefunds)
	} else {
		for i := range in.Refunds {
			r := in.Refunds[i].toModel(&p, fmt.Sprintf("refunds[%d].", i), cur)
			o.Refunds = append(o.Refunds, model.RefundSummary{ExternalID: r.ExternalID, Reason: r.Note, AmountCents: r.AmountCents})
		}
	}

	o.Acquisition = model.ParseUTM(in.LandingSite.Trim())
	o.Acquisition.ReferringSite = in.ReferringSite.Trim()
	o.Acquisition.SourceName = in.SourceName.Trim()
	for _, na := range in.NoteAttributes {
		o.Acquisition.SetUTMField(na.Name.String(), na.Value.String())
	}
	o.Note = in.Note.String()
	o.Tags = splitTags(in.Tags.String())
	return o, p.Err()
}

// customer merges the order-level contact fields with the nested customer
// object: the order's email and phone are what the shopper typed at this
// checkout, so they win.
func (in *orderJSON) customer(p *wire.Fields) model.Customer {
	var c model.Customer
	if in.Customer != nil {
		c = in.Customer.toModel(p, "customer.")
	}
	c.Email = first(in.Email.Trim(), in.ContactEmail.Trim(), c.Email)
	c.Phone = first(in.Phone.Trim(), c.Phone)
	c.Locale = first(in.CustomerLocale.Trim(), c.Locale)
	for _, a := range []*addressJSON{in.BillingAddress, in.ShippingAddress} {
		if a == nil {
			continue
		}
		if c.FirstName == "" && c.LastName == "" {
			c.FirstName, c.LastName = a.FirstName.Trim(), a.LastName.Trim()
		}
	}
	return c
}

func (c *customerJSON) toModel(p *wire.Fields, prefix string) model.Customer {
	out := model.Customer{
		ExternalID: c.ID.Trim(),
		Email:      c.Email.Trim(),
		Phone:      c.Phone.Trim(),
		FirstName:  c.FirstName.Trim(),
		LastName:   c.LastName.Trim(),
		Locale:     c.Locale.Trim(),
		UpdatedAt:  p.Time(prefix+"updated_at", c.UpdatedAt, false),
	}
	if c.EmailMarketingConsent != nil {
		out.AcceptsEmailMarketing = consent(c.EmailMarketingConsent.State)
	}
	if out.AcceptsEmailMarketing == nil && c.AcceptsMarketing.Set {
		v := c.AcceptsMarketing.V
		out.AcceptsEmailMarketing = &v
	}
	if c.SMSMarketingConsent != nil {
		out.AcceptsSMSMarketing = consent(c.SMSMarketingConsent.State)
	}
	return out
}

// consent maps Shopify's marketing consent state: only "subscribed" is a
// yes; not_subscribed, unsubscribed, pending (double opt-in not confirmed),
// redacted and invalid are a no; absent is unknown.
func consent(state wire.Text) *bool {
	s := strings.ToLower(state.Trim())
	if s == "" {
		return nil
	}
	v := s == "subscribed"
	return &v
}

func (a *addressJSON) toModel() model.Address {
	name := a.Name.Trim()
	if name == "" {
		name = strings.TrimSpace(a.FirstName.Trim() + " " + a.LastName.Trim())
	}
	return model.Address{
		Name:       name,
		Company:    a.Company.Trim(),
		Line1:      a.Address1.Trim(),
		Line2:      a.Address2.Trim(),
		City:       a.City.Trim(),
		Region:     first(a.ProvinceCode.Trim(), a.Province.Trim()),
		PostalCode: a.Zip.Trim(),
		Country:    strings.ToUpper(a.CountryCode.Trim()),
		Phone:      a.Phone.Trim(),
	}
}

func (li *lineItemJSON) toModel(p *wire.Fields, field, currency string) model.LineItem {
	return model.LineItem{
		ExternalID:   li.ID.Trim(),
		SKU:          li.SKU.Trim(),
		VariantID:    li.VariantID.Trim(),
		ProductID:    li.ProductID.Trim(),
		Title:        first(li.Title.Trim(), li.Name.Trim()),
		VariantTitle: li.VariantTitle.Trim(),
		Quantity:     p.Quantity(field+".quantity", li.Quantity),
		PriceCents:   p.Money(field+".price", li.Price, currency, false),
	}
}

func (f *fulfillmentJSON) toModel(p *wire.Fields, prefix string) model.Fulfillment {
	out := model.Fulfillment{
		ExternalID:      f.ID.Trim(),
		OrderExternalID: f.OrderID.Trim(),
		Status:          f.Status.Trim(),
		TrackingCompany: f.TrackingCompany.Trim(),
		ShipmentStatus:  f.ShipmentStatus.Trim(),
		Service:         f.Service.Trim(),
		CreatedAt:       p.Time(prefix+"created_at", f.CreatedAt, false),
		UpdatedAt:       p.Time(prefix+"updated_at", f.UpdatedAt, false),
	}
	// tracking_numbers supersedes tracking_number, which Shopify keeps as
	// the first entry; Normalize drops the duplicate.
	for _, n := range f.TrackingNumbers {
		out.TrackingNumbers = append(out.TrackingNumbers, n.Trim())
	}
	out.TrackingNumbers = append(out.TrackingNumbers, f.TrackingNumber.Trim())
	urls := make([]string, 0, len(f.TrackingURLs)+1)
	for _, u := range f.TrackingURLs {
		urls = append(urls, u.Trim())
	}
	urls = append(urls, f.TrackingURL.Trim())
	out.TrackingURLs = model.CleanWebURLs(urls)
	if len(f.LineItems) > model.MaxLineItems {
		p.Fail("%sline_items has %d entries; at most %d allowed", prefix, len(f.LineItems), model.MaxLineItems)
	} else {
		for _, li := range f.LineItems {
			out.LineItemIDs = append(out.LineItemIDs, li.ID.Trim())
		}
	}
	return out
}

// splitTags splits Shopify's comma-separated tag string.
func splitTags(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",") // Normalize trims and dedupes
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
