package csvimport

import (
	"fmt"
	"strings"

	"porchlight/hooks/storefront/model"
)

// cols names the header column (normalized, lower case) that carries each
// piece of data in one format; "" means the format has no such column.
type cols struct {
	key, externalID, placedAt, cancelledAt                 string
	email, phone, firstName, lastName, billingName         string
	acceptsMarketing                                       string
	currency, total, subtotal, shipping, tax, discount     string
	financial, fulfillment                                 string
	sku, title, variantTitle, quantity, price              string
	shipName, shipCompany, shipLine1, shipLine1Alt         string
	shipLine2, shipCity, shipRegion, shipPostal            string
	shipCountry, shipPhone                                 string
	carrier, tracking, trackingURL                         string
	utmSource, utmMedium, utmCampaign, utmContent, utmTerm string
	adAngle, noteAttrs, note, tags, source                 string
	// required columns that must appear in the header
	required []string
	// one of these must appear (line identity)
	oneOf []string
}

var porchlightCols = cols{
	key: "order_number", externalID: "external_id", placedAt: "placed_at",
	email: "email", phone: "phone", firstName: "first_name", lastName: "last_name",
	currency: "currency", total: "total", shipping: "shipping", tax: "tax", discount: "discount",
	sku: "sku", title: "product_title", variantTitle: "variant_title", quantity: "quantity", price: "price",
	shipName: "ship_name", shipLine1: "ship_line1", shipLine2: "ship_line2", shipCity: "ship_city",
	shipRegion: "ship_region", shipPostal: "ship_postal", shipCountry: "ship_country",
	carrier: "carrier", tracking: "tracking_number", trackingURL: "tracking_url",
	utmSource: "utm_source", utmMedium: "utm_medium", utmCampaign: "utm_campaign",
	utmContent: "utm_content", utmTerm: "utm_term", adAngle: "ad_angle",
	note: "note", tags: "tags",
	required: []string{"order_number", "placed_at", "email", "currency", "total", "quantity"},
	oneOf:    []string{"sku", "product_title"},
}

var shopifyCols = cols{
	key: "name", externalID: "id", placedAt: "created at", cancelledAt: "cancelled at",
	email: "email", phone: "phone", billingName: "billing name", acceptsMarketing: "accepts marketing",
	currency: "currency", total: "total", subtotal: "subtotal", shipping: "shipping", tax: "taxes",
	discount: "discount amount", financial: "financial status", fulfillment: "fulfillment status",
	sku: "lineitem sku", title: "lineitem name", quantity: "lineitem quantity", price: "lineitem price",
	shipName: "shipping name", shipCompany: "shipping company", shipLine1: "shipping address1",
	shipLine1Alt: "shipping street", shipLine2: "shipping address2", shipCity: "shipping city",
	shipRegion: "shipping province", shipPostal: "shipping zip", shipCountry: "shipping country",
	shipPhone: "shipping phone", noteAttrs: "note attributes", note: "notes", tags: "tags", source: "source",
	required: []string{"name", "created at", "currency", "total", "lineitem quantity", "lineitem name"},
}

// layout is a parsed header: which format, and where each column is.
type layout struct {
	format Format
	cols   cols
	width  int
	index  map[string]int    // normalized name -> position
	shown  map[string]string // normalized name -> name as written in the file
}

func normalizeHeader(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	return strings.ToLower(strings.Join(strings.Fields(model.SanitizeLine(s)), " "))
}

// DetectFormat reports which format a header row belongs to.
func DetectFormat(header []string) (Format, error) {
	has := map[string]bool{}
	for _, h := range header {
		has[normalizeHeader(h)] = true
	}
	switch {
	case has["order_number"]:
		return FormatPorchlight, nil
	case has["name"] && has["lineitem quantity"] && has["lineitem name"]:
		return FormatShopify, nil
	}
	return "", fmt.Errorf("%w: expected Porchlight columns (order_number, placed_at, email, …) or a Shopify orders export (Name, Email, …, Lineitem quantity, Lineitem name)", ErrUnknownFormat)
}

func newLayout(header []string) (*layout, error) {
	format, err := DetectFormat(header)
	if err != nil {
		return nil, err
	}
	l := &layout{format: format, width: len(header), index: map[string]int{}, shown: map[string]string{}}
	if format == FormatShopify {
		l.cols = shopifyCols
	} else {
		l.cols = porchlightCols
	}
	for i, h := range header {
		if len(h) > MaxFieldBytes {
			return nil, fmt.Errorf("header column %d is longer than %d bytes", i+1, MaxFieldBytes)
		}
		n := normalizeHeader(h)
		if n == "" {
			continue
		}
		if _, dup := l.index[n]; dup {
			return nil, fmt.Errorf("header names column %q twice", n)
		}
		l.index[n] = i
		l.shown[n] = strings.TrimSpace(model.SanitizeLine(h))
	}
	var missing []string
	for _, c := range l.cols.required {
		if _, ok := l.index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(l.cols.oneOf) > 0 {
		found := false
		for _, c := range l.cols.oneOf {
			_, ok := l.index[c]
			found = found || ok
		}
		if !found {
			missing = append(missing, strings.Join(l.cols.oneOf, " or "))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s CSV header is missing required column(s): %s", format, strings.Join(missing, ", "))
	}
	return l, nil
}

// get returns the raw value of column name in rec, or "" when the column is
// absent from the file or the record is short.
func (l *layout) get(rec []string, name string) string {
	if name == "" {
		return ""
	}
	i, ok := l.index[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// show returns the column name as written in the file, for RowError.Field.
func (l *layout) show(name string) string {
	if s, ok := l.shown[name]; ok {
		return s
	}
	return name
}

// nameAt returns the displayed header name of position i.
func (l *layout) nameAt(i int) string {
	for n, j := range l.index {
		if j == i {
			return l.shown[n]
		}
	}
	return fmt.Sprintf("column %d", i+1)
}
