package render

import "strconv"

// Vars is everything a notification template can show. Every field is a
// display string the caller has already formatted and localised (money,
// dates, the EDD window, status labels), so templates never format.
//
// The variable names templates use, their descriptions and examples live in
// one table (see Variables); a test keeps the table and these fields in step.
type Vars struct {
	Shop     Shop
	Customer Customer
	Order    Order
	Shipment Shipment
	EDD      EDD
	Links    Links
}

// Shop is the merchant as shoppers know it.
type Shop struct {
	Name         string
	SupportEmail string
	SupportPhone string
	ReviewURL    string
}

// Customer is the shopper being written to.
type Customer struct {
	FirstName string
	Name      string
}

// Order is the order the message is about.
type Order struct {
	Number     string
	Total      string // formatted with its currency symbol, e.g. "$42.50"
	Currency   string // ISO 4217, e.g. "USD"
	PlacedDate string // formatted, e.g. "3 Oct 2025"
	Items      []Item
	Parcels    []Parcel // every parcel of the order: one message covers a split shipment
}

// Item is one order line.
type Item struct {
	Name     string
	Variant  string
	Quantity int
}

// Shipment is the parcel the message is about.
type Shipment struct {
	Carrier        string
	TrackingNumber string
	TrackingURL    string // the carrier's own tracking page
	Status         string // localised label of the canonical status
	Substatus      string // localised explanation of the substatus
}

// Parcel is one shipment of the order, for messages that digest several.
type Parcel struct {
	Carrier        string
	TrackingNumber string
	Status         string // localised label of the canonical status
	TrackingURL    string // the carrier's own tracking page
}

// EDD is the estimated delivery date.
type EDD struct {
	Window string // e.g. "Tue 7 – Thu 9 Oct", localised by the caller
}

// Links are Porchlight pages and merchant URLs.
type Links struct {
	Tracking    string // our tracking page for this shipment
	Guides      []Link // help articles relevant to the status
	Returns     string
	Survey      string
	Unsubscribe string
}

// Link is a titled URL.
type Link struct {
	Title string
	URL   string
}

// Kind says how a variable is used.
type Kind string

const (
	// KindText is a plain string.
	KindText Kind = "text"
	// KindURL is an absolute http(s) URL; anything else renders empty.
	KindURL Kind = "url"
	// KindList repeats a section once per item: {{#name}}…{{/name}}.
	KindList Kind = "list"
)

// Variable documents one template variable, for the admin's reference panel.
type Variable struct {
	Name        string     `json:"name"`
	Kind        Kind       `json:"kind"`
	Description string     `json:"description"`
	Example     string     `json:"example,omitempty"`
	Fields      []Variable `json:"fields,omitempty"` // item fields of a list, used bare inside its section
}

// varDef is the single source of truth: name, meaning and accessor.
type varDef struct {
	name, desc string
	kind       Kind
	get        func(*Vars) string
	items      func(*Vars) []map[string]string // lists only
	fields     []fieldDef                      // lists only
}

type fieldDef struct {
	name, desc string
	kind       Kind
}

var defs = []varDef{
	{name: "shop.name", kind: KindText, desc: "Shop brand name", get: func(v *Vars) string { return v.Shop.Name }},
	{name: "shop.support_email", kind: KindText, desc: "Support email address", get: func(v *Vars) string { return v.Shop.SupportEmail }},
	{name: "shop.support_phone", kind: KindText, desc: "Support phone number", get: func(v *Vars) string { return v.Shop.SupportPhone }},
	{name: "shop.review_url", kind: KindURL, desc: "Where to leave a review", get: func(v *Vars) string { return v.Shop.ReviewURL }},

	{name: "customer.first_name", kind: KindText, desc: "Shopper's first name", get: func(v *Vars) string { return v.Customer.FirstName }},
	{name: "customer.name", kind: KindText, desc: "Shopper's full name", get: func(v *Vars) string { return v.Customer.Name }},

	{name: "order.number", kind: KindText, desc: "Order number as the shop shows it", get: func(v *Vars) string { return v.Order.Number }},
	{name: "order.total", kind: KindText, desc: "Order total, formatted with currency", get: func(v *Vars) string { return v.Order.Total }},
	{name: "order.currency", kind: KindText, desc: "ISO currency code", get: func(v *Vars) string { return v.Order.Currency }},
	{name: "order.placed_date", kind: KindText, desc: "Date the order was placed, formatted", get: func(v *Vars) string { return v.Order.PlacedDate }},
	{
		name: "order.items", kind: KindList, desc: "Order lines",
		items: func(v *Vars) []map[string]string {
			out := make([]map[string]string, len(v.Order.Items))
			for i, it := range v.Order.Items {
				out[i] = map[string]string{"name": it.Name, "variant": it.Variant, "quantity": strconv.Itoa(it.Quantity)}
			}
			return out
		},
		fields: []fieldDef{
			{name: "name", kind: KindText, desc: "Product name"},
			{name: "variant", kind: KindText, desc: "Variant, e.g. size or colour (may be empty)"},
			{name: "quantity", kind: KindText, desc: "Quantity ordered"},
		},
	},

	{name: "shipment.carrier", kind: KindText, desc: "Carrier name", get: func(v *Vars) string { return v.Shipment.Carrier }},
	{name: "shipment.tracking_number", kind: KindText, desc: "Carrier tracking number", get: func(v *Vars) string { return v.Shipment.TrackingNumber }},
	{name: "shipment.tracking_url", kind: KindURL, desc: "Carrier's own tracking page", get: func(v *Vars) string { return v.Shipment.TrackingURL }},
	{name: "shipment.status", kind: KindText, desc: "Shipment status label", get: func(v *Vars) string { return v.Shipment.Status }},
	{name: "shipment.substatus", kind: KindText, desc: "What the latest carrier detail means", get: func(v *Vars) string { return v.Shipment.Substatus }},

	{
		name: "order.parcels", kind: KindList, desc: "Every parcel of the order (split shipments)",
		items: func(v *Vars) []map[string]string {
			out := make([]map[string]string, len(v.Order.Parcels))
			for i, p := range v.Order.Parcels {
				out[i] = map[string]string{"carrier": p.Carrier, "tracking_number": p.TrackingNumber, "status": p.Status, "tracking_url": p.TrackingURL}
			}
			return out
		},
		fields: []fieldDef{
			{name: "carrier", kind: KindText, desc: "Carrier name"},
			{name: "tracking_number", kind: KindText, desc: "Carrier tracking number"},
			{name: "status", kind: KindText, desc: "Parcel status label"},
			{name: "tracking_url", kind: KindURL, desc: "Carrier's own tracking page"},
		},
	},

	{name: "edd.window", kind: KindText, desc: "Estimated delivery window, localised", get: func(v *Vars) string { return v.EDD.Window }},

	{name: "links.tracking", kind: KindURL, desc: "Our tracking page for this shipment", get: func(v *Vars) string { return v.Links.Tracking }},
	{
		name: "links.guides", kind: KindList, desc: "Help articles for the current status",
		items: func(v *Vars) []map[string]string {
			out := make([]map[string]string, len(v.Links.Guides))
			for i, g := range v.Links.Guides {
				out[i] = map[string]string{"title": g.Title, "url": g.URL}
			}
			return out
		},
		fields: []fieldDef{
			{name: "title", kind: KindText, desc: "Article title"},
			{name: "url", kind: KindURL, desc: "Article URL"},
		},
	},
	{name: "links.returns", kind: KindURL, desc: "Start a return", get: func(v *Vars) string { return v.Links.Returns }},
	{name: "links.survey", kind: KindURL, desc: "Delivery survey", get: func(v *Vars) string { return v.Links.Survey }},
	{name: "links.unsubscribe", kind: KindURL, desc: "One-click unsubscribe page", get: func(v *Vars) string { return v.Links.Unsubscribe }},
}

// lookupDef finds a top-level variable by name.
func lookupDef(name string) (*varDef, bool) {
	for i := range defs {
		if defs[i].name == name {
			return &defs[i], true
		}
	}
	return nil, false
}

// Variables lists every template variable with its description and an
// example taken from SampleVars. The slice is freshly built on each call.
func Variables() []Variable {
	sample := SampleVars()
	out := make([]Variable, 0, len(defs))
	for _, d := range defs {
		v := Variable{Name: d.name, Kind: d.kind, Description: d.desc}
		if d.kind == KindList {
			var first map[string]string
			if items := d.items(&sample); len(items) > 0 {
				first = items[0]
			}
			for _, f := range d.fields {
				v.Fields = append(v.Fields, Variable{Name: f.name, Kind: f.kind, Description: f.desc, Example: first[f.name]})
			}
		} else {
			v.Example = d.get(&sample)
		}
		out = append(out, v)
	}
	return out
}

// SampleVars is realistic example data for previews and the admin's
// variable reference.
func SampleVars() Vars {
	return Vars{
		Shop: Shop{
			Name:         "Juniper & Co",
			SupportEmail: "help@juniper.example",
			SupportPhone: "+1 555 010 2030",
			ReviewURL:    "https://juniper.example/reviews",
		},
		Customer: Customer{FirstName: "Ana", Name: "Ana Souza"},
		Order: Order{
			Number:     "#1042",
			Total:      "$84.00",
			Currency:   "USD",
			PlacedDate: "Fri 3 Oct 2025",
			Items: []Item{
				{Name: "Linen shirt", Variant: "M / Sage", Quantity: 1},
				{Name: "Canvas tote", Quantity: 2},
			},
			Parcels: []Parcel{
				{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784", Status: "In transit", TrackingURL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"},
				{Carrier: "USPS", TrackingNumber: "9400111899223197428490", Status: "Delivered", TrackingURL: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490"},
			},
		},
		Shipment: Shipment{
			Carrier:        "UPS",
			TrackingNumber: "1Z999AA10123456784",
			TrackingURL:    "https://www.ups.com/track?tracknum=1Z999AA10123456784",
			Status:         "In transit",
			Substatus:      "Departed a carrier facility",
		},
		EDD: EDD{Window: "Tue 7 – Thu 9 Oct"},
		Links: Links{
			Tracking: "https://track.juniper.example/t/9f2c4e1a",
			Guides: []Link{
				{Title: "What does “in transit” mean?", URL: "https://track.juniper.example/guides/in-transit"},
			},
			Returns:     "https://track.juniper.example/returns/9f2c4e1a",
			Survey:      "https://track.juniper.example/survey/9f2c4e1a",
			Unsubscribe: "https://track.juniper.example/u/9f2c4e1a",
		},
	}
}
