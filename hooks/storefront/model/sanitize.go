package model

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes an untrusted string safe to store while keeping it as data:
// invalid UTF-8 becomes U+FFFD, CRLF and lone CR become LF, and every other
// control character (C0, DEL, C1) except newline and tab is dropped. HTML,
// SQL, quotes and emoji are left alone.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			// CRLF -> LF; a lone CR also ends a line.
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case isControl(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SanitizeLine is Sanitize for single-line fields (names, SKUs, emails):
// newlines and tabs become spaces, runs of whitespace collapse to one, and
// the result is trimmed.
func SanitizeLine(s string) string {
	s = Sanitize(s)
	if s == "" {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// isClean is the fast path: valid UTF-8 with no control characters but \n
// and \t.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if r >= 0x80 && r <= 0x9f {
			return false
		}
		i += size
	}
	return true
}

// Normalize sanitizes every string of the order in place (SanitizeLine for
// single-line fields, Sanitize for the note), upper-cases currency and
// country codes, and drops empty or duplicate tags, tracking numbers and
// tracking URLs. Parsers call it before Validate; the REST API should too.
func (o *Order) Normalize() {
	o.Source = Source(SanitizeLine(string(o.Source)))
	o.ExternalID = SanitizeLine(o.ExternalID)
	o.Number = SanitizeLine(o.Number)
	o.SourceStatus = SanitizeLine(o.SourceStatus)
	o.Currency = strings.ToUpper(SanitizeLine(o.Currency))
	o.FinancialStatus = SanitizeLine(o.FinancialStatus)
	o.FulfillmentStatus = SanitizeLine(o.FulfillmentStatus)
	o.Customer.Normalize()
	o.ShippingAddress.Normalize()
	for i := range o.Items {
		o.Items[i].Normalize()
	}
	for i := range o.Fulfillments {
		o.Fulfillments[i].Normalize()
	}
	o.Acquisition.Normalize()
	o.Note = strings.TrimSpace(Sanitize(o.Note))
	o.Tags = dedupe(o.Tags)
	for i := range o.Refunds {
		r := &o.Refunds[i]
		r.ExternalID = SanitizeLine(r.ExternalID)
		r.Reason = strings.TrimSpace(Sanitize(r.Reason))
	}
	o.PlacedAt = o.PlacedAt.UTC()
	o.UpdatedAt = o.UpdatedAt.UTC()
	o.CancelledAt = o.CancelledAt.UTC()
}

// Normalize sanitizes the customer's strings in place.
func (c *Customer) Normalize() {
	c.ExternalID = SanitizeLine(c.ExternalID)
	c.Email = SanitizeLine(c.Email)
	c.Phone = SanitizeLine(c.Phone)
	c.FirstName = SanitizeLine(c.FirstName)
	c.LastName = SanitizeLine(c.LastName)
	c.Locale = SanitizeLine(c.Locale)
	c.UpdatedAt = c.UpdatedAt.UTC()
}

// Normalize sanitizes the address in place and upper-cases the country.
func (a *Address) Normalize() {
	a.Name = SanitizeLine(a.Name)
	a.Company = SanitizeLine(a.Company)
	a.Line1 = SanitizeLine(a.Line1)
	a.Line2 = SanitizeLine(a.Line2)
	a.City = SanitizeLine(a.City)
	a.Region = SanitizeLine(a.Region)
	a.PostalCode = SanitizeLine(a.PostalCode)
	a.Country = strings.ToUpper(SanitizeLine(a.Country))
	a.Phone = SanitizeLine(a.Phone)
}

// Normalize sanitizes the line item in place.
func (li *LineItem) Normalize() {
	li.ExternalID = SanitizeLine(li.ExternalID)
	li.SKU = SanitizeLine(li.SKU)
	li.VariantID = SanitizeLine(li.VariantID)
	li.ProductID = SanitizeLine(li.ProductID)
	li.Title = SanitizeLine(li.Title)
	li.VariantTitle = SanitizeLine(li.VariantTitle)
}

// Normalize sanitizes the fulfillment in place and drops empty or duplicate
// tracking numbers and URLs.
func (f *Fulfillment) Normalize() {
	f.ExternalID = SanitizeLine(f.ExternalID)
	f.OrderExternalID = SanitizeLine(f.OrderExternalID)
	f.Status = SanitizeLine(f.Status)
	f.TrackingCompany = SanitizeLine(f.TrackingCompany)
	f.ShipmentStatus = SanitizeLine(f.ShipmentStatus)
	f.Service = SanitizeLine(f.Service)
	f.TrackingNumbers = dedupe(f.TrackingNumbers)
	f.TrackingURLs = dedupe(f.TrackingURLs)
	f.LineItemIDs = dedupe(f.LineItemIDs)
	f.CreatedAt = f.CreatedAt.UTC()
	f.UpdatedAt = f.UpdatedAt.UTC()
}

// Normalize sanitizes the event in place.
func (e *FulfillmentEvent) Normalize() {
	e.ExternalID = SanitizeLine(e.ExternalID)
	e.FulfillmentID = SanitizeLine(e.FulfillmentID)
	e.OrderExternalID = SanitizeLine(e.OrderExternalID)
	e.Status = SanitizeLine(e.Status)
	e.Message = SanitizeLine(e.Message)
	e.City = SanitizeLine(e.City)
	e.Region = SanitizeLine(e.Region)
	e.Country = SanitizeLine(e.Country)
	e.PostalCode = SanitizeLine(e.PostalCode)
	e.HappenedAt = e.HappenedAt.UTC()
	e.EstimatedDeliveryAt = e.EstimatedDeliveryAt.UTC()
	e.CreatedAt = e.CreatedAt.UTC()
}

// Normalize sanitizes the acquisition data in place.
func (a *Acquisition) Normalize() {
	a.Source = SanitizeLine(a.Source)
	a.Medium = SanitizeLine(a.Medium)
	a.Campaign = SanitizeLine(a.Campaign)
	a.Content = SanitizeLine(a.Content)
	a.Term = SanitizeLine(a.Term)
	a.AdAngle = SanitizeLine(a.AdAngle)
	a.LandingSite = SanitizeLine(a.LandingSite)
	a.ReferringSite = SanitizeLine(a.ReferringSite)
	a.SourceName = SanitizeLine(a.SourceName)
	a.SourceType = SanitizeLine(a.SourceType)
}

// Normalize sanitizes the refund in place.
func (r *Refund) Normalize() {
	r.Source = Source(SanitizeLine(string(r.Source)))
	r.ExternalID = SanitizeLine(r.ExternalID)
	r.OrderExternalID = SanitizeLine(r.OrderExternalID)
	r.Note = strings.TrimSpace(Sanitize(r.Note))
	r.Currency = strings.ToUpper(SanitizeLine(r.Currency))
	for i := range r.Items {
		it := &r.Items[i]
		it.LineItemID = SanitizeLine(it.LineItemID)
		it.RestockType = SanitizeLine(it.RestockType)
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.ProcessedAt = r.ProcessedAt.UTC()
}

// dedupe sanitizes each string, drops empties and repeats, keeps order.
// It is linear so hostile payloads with huge arrays cost little before
// Validate rejects them.
func dedupe(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	seen := make(map[string]struct{}, len(in))
	for _, s := range in {
		s = SanitizeLine(s)
		if s == "" {
			continue
		}
		if _, dup := seen[s]; dup {
			continue
		}
		seen[s] = struct{}{}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
