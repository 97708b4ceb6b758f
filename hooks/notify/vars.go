package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/notify/quiet"
	"porchlight/hooks/notify/render"
	"porchlight/hooks/schema"
	"porchlight/hooks/token"
)

// baseURL is where shopper links point.
func (n *Notifier) baseURL() string {
	if n.d.Config.PublicURL != "" {
		return n.d.Config.PublicURL
	}
	return "http://127.0.0.1:8090"
}

// vars builds the template variables of a message. It may give the
// customer an unsubscribe token (saved through app).
func (n *Notifier) vars(app core.App, s *subject, b brand.Brand) render.Vars {
	o, sh := schema.Orders, schema.Shipments
	base := n.baseURL()
	v := render.Vars{Shop: render.Shop{Name: b.Name, SupportEmail: b.SupportEmail, SupportPhone: b.SupportPhone, ReviewURL: b.ReviewURL}}
	loc, _ := quiet.ResolveLocation(s.order.GetString(o.ShipCountry), s.order.GetString(o.ShipRegion),
		s.order.GetString(o.ShipPostal), "", b.Timezone)
	if s.customer != nil {
		c := schema.Customers
		v.Customer = render.Customer{FirstName: s.customer.GetString(c.FirstName),
			Name: strings.TrimSpace(s.customer.GetString(c.FirstName) + " " + s.customer.GetString(c.LastName))}
		tok := s.customer.GetString(c.UnsubscribeToken)
		if tok == "" {
			tok = token.New()
			s.customer.Set(c.UnsubscribeToken, tok)
			if err := app.Save(s.customer); err != nil {
				tok = ""
			}
		}
		if tok != "" {
			v.Links.Unsubscribe = base + "/u/" + tok
		}
	}
	if v.Customer.Name == "" {
		v.Customer.Name = s.order.GetString(o.ShipName)
		v.Customer.FirstName, _, _ = strings.Cut(v.Customer.Name, " ")
	}
	v.Order = render.Order{Number: s.order.GetString(o.Number), Currency: s.order.GetString(o.Currency),
		Total: money(s.order.GetInt(o.TotalCents), s.order.GetString(o.Currency))}
	if p := s.order.GetDateTime(o.PlacedAt).Time(); !p.IsZero() {
		v.Order.PlacedDate = p.In(loc).Format("Mon 2 Jan 2006")
	}
	items, _ := app.FindAllRecords(schema.COrderItems, dbx.HashExp{schema.OrderItems.Order: s.order.Id})
	for _, it := range items {
		v.Order.Items = append(v.Order.Items, render.Item{Name: it.GetString(schema.OrderItems.Title), Quantity: it.GetInt(schema.OrderItems.Quantity)})
	}
	if tok := s.order.GetString(o.AccessToken); tok != "" {
		v.Links.Tracking = base + "/t/" + tok
	} else {
		v.Links.Tracking = base + "/track"
	}
	v.Links.Returns = base + "/returns"
	ships, _ := app.FindRecordsByFilter(schema.CShipments, sh.Order+" = {:o}", schema.FCreated, 0, 0, dbx.Params{"o": s.order.Id})
	for _, p := range ships {
		v.Order.Parcels = append(v.Order.Parcels, render.Parcel{Carrier: carrierName(p.GetString(sh.Carrier)),
			TrackingNumber: p.GetString(sh.TrackingNumber), Status: strings.ReplaceAll(p.GetString(sh.Status), "_", " "),
			TrackingURL: p.GetString(sh.TrackingURL)})
	}
	ship := s.ship
	if ship == nil && len(ships) > 0 {
		ship = ships[len(ships)-1]
	}
	if ship != nil {
		st := ship.GetString(sh.Status)
		v.Shipment = render.Shipment{Carrier: carrierName(ship.GetString(sh.Carrier)), TrackingNumber: ship.GetString(sh.TrackingNumber),
			TrackingURL: ship.GetString(sh.TrackingURL), Status: strings.ReplaceAll(st, "_", " "),
			Substatus: firstNonEmpty(ship.GetString(sh.DelayReason), strings.ReplaceAll(ship.GetString(sh.Substatus), "_", " "))}
		v.EDD.Window = eddWindow(ship.GetDateTime(sh.EDDMin).Time(), ship.GetDateTime(sh.EDDMax).Time(), loc)
	}
	seen := map[string]bool{}
	for _, p := range s.products {
		slug := p.GetString(schema.Products.GuideSlug)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		title := slug
		if g, err := app.FindFirstRecordByData(schema.CGuides, schema.Guides.Slug, slug); err == nil {
			title = g.GetString(schema.Guides.Title)
		}
		v.Links.Guides = append(v.Links.Guides, render.Link{Title: title, URL: base + "/guides/" + slug})
	}
	return v
}

// carrierName turns a carrier id into a display name: short ids are
// acronyms ("ups" → "UPS"), longer ones capitalised ("correos" → "Correos").
func carrierName(id string) string {
	if len(id) <= 4 {
		return strings.ToUpper(id)
	}
	return strings.ToUpper(id[:1]) + id[1:]
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func eddWindow(lo, hi time.Time, loc *time.Location) string {
	if lo.IsZero() && hi.IsZero() {
		return ""
	}
	if lo.IsZero() {
		lo = hi
	}
	if hi.IsZero() {
		hi = lo
	}
	a, b := lo.In(loc), hi.In(loc)
	if a.Format("2006-01-02") == b.Format("2006-01-02") {
		return a.Format("Mon 2 Jan")
	}
	return a.Format("Mon 2") + " – " + b.Format("Mon 2 Jan")
}

func money(cents int, currency string) string {
	sym := map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}[strings.ToUpper(currency)]
	neg := ""
	if cents < 0 {
		neg, cents = "-", -cents
	}
	if sym == "" && currency != "" {
		return fmt.Sprintf("%s%d.%02d %s", neg, cents/100, cents%100, strings.ToUpper(currency))
	}
	return fmt.Sprintf("%s%s%d.%02d", neg, sym, cents/100, cents%100)
}
