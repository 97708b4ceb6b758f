package pages

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/pages/i18n"
	"porchlight/hooks/pages/markdown"
	"porchlight/hooks/schema"
	"porchlight/hooks/token"
)

type orderView struct {
	Number, Token       string
	Placed              string
	Headline, Detail    string
	Items               []itemView
	Guides              []guideLink
	Recommendations     []recView
	Topics              []topicView
	SMSConsent          string
	HasCustomer         bool
	HelpSent, SMSSent   bool
	HelpError, SMSError string
	Message, Phone      string
	Gift                bool
	SMSPhone            string
}

type itemView struct {
	Title, Qty string
}

type guideLink struct {
	Title, Href, Label string
}

type recView struct {
	Title, Price, Href string
}

type topicView struct {
	Value, Label string
	Selected     bool
}

type stepView struct {
	Label         string
	Done, Current bool
}

type eventView struct {
	ISO, When, Status, Message, Location string
}

type shipmentView struct {
	Label           string // "Package 1 of 2" when split
	StatusLabel     string
	StatusDetail    string
	EDD             string
	EDDChanged      string
	Delay           *i18n.Delay
	Problem         bool
	Delivered       bool
	Steps           []stepView
	CarrierName     string
	TrackOnCarrier  string
	TrackingNumber  string
	TrackingURL     string
	Events          []eventView
	LastUpdate      string
	TimelineHeading string
	NextHeading     string
	Next            string
}

type guideView struct {
	Lang  string // the guide's own locale, which may differ from the page's
	Title string
	HTML  template.HTML
	TOC   []markdown.Heading
}

func tokenShape(s string) bool { return token.Valid(s) }

// fillOrder loads everything the order page (or, with gift, the gift page)
// shows about order. It reads only the order fields in statusPageOrder.
func (p *Pages) fillOrder(e *core.RequestEvent, data *page, order *core.Record, gift bool) error {
	app, l, o := e.App, data.L, schema.Orders
	loc, customer := shopperLocation(app, order, data.Brand.Location())
	ships, err := p.loadShipments(app, l, order, loc)
	if err != nil {
		return err
	}
	data.Shipments = ships
	v := orderView{Number: order.GetString(o.Number), Gift: gift}
	v.Headline, v.Detail = headline(l, ships)
	if gift {
		for i := range data.Shipments {
			// The recipient sees progress and dates, not where it goes.
			data.Shipments[i].Events = nil
			data.Shipments[i].TrackingURL = ""
			data.Shipments[i].TrackingNumber = ""
			if data.Shipments[i].Delivered {
				data.Shipments[i].Next = "" // it points at the order page's guides and form
			}
			data.Shipments[i].LastUpdate = ""
		}
		data.Order = v
		data.Title = l.T("title.gift")
		return nil
	}
	data.Title = l.T("title.order", "number", v.Number)
	v.Token = order.GetString(o.AccessToken)
	v.Placed = l.T("order.placed", "date", l.Date(order.GetDateTime(o.PlacedAt).Time(), loc))
	v.HasCustomer = customer != nil
	if customer != nil {
		v.SMSPhone = maskPhone(customer.GetString(schema.Customers.Phone))
	}
	v.SMSConsent = l.T("sms.consent", "brand", data.Brand.Name, "max", 5)
	for _, t := range schema.HelpTopics {
		v.Topics = append(v.Topics, topicView{Value: t, Label: l.T("help.topic." + t)})
	}

	items, err := orderItems(app, order.Id)
	if err != nil {
		return err
	}
	var productIDs []string
	inOrder := map[string]bool{}
	for _, it := range items {
		v.Items = append(v.Items, itemView{Title: it.title, Qty: l.T("order.quantity", "count", it.qty)})
		if pid := it.product; pid != "" && !inOrder[pid] {
			productIDs = append(productIDs, pid)
			inOrder[pid] = true
		}
	}
	delivered := len(ships) > 0
	onTime := true
	for _, s := range ships {
		delivered = delivered && s.Delivered
		if s.Delay != nil || s.EDDChanged != "" {
			onTime = false
		}
	}
	v.Guides = p.orderGuides(app, l, productIDs, delivered)

	// Open requests matter only to recommendations, which a late order
	// never shows: its page skips the query.
	if onTime {
		open, err := hasOpenRequests(app, order.Id)
		if err != nil {
			return err
		}
		if !open {
			v.Recommendations = p.recommendations(app, l, inOrder, order.GetString(o.Currency), data.Brand.WebsiteURL)
		}
	}
	data.Order = v
	return nil
}

// orderLine is what the order page shows of an order item.
type orderLine struct {
	title, product string
	qty            int
}

// orderItems reads the three columns the page shows as plain values; a
// record per item cost more than the query.
func orderItems(app core.App, orderID string) ([]orderLine, error) {
	oi := schema.OrderItems
	rows, err := app.DB().Select(oi.Title, oi.Product, oi.Quantity).From(schema.COrderItems).
		Where(dbx.HashExp{oi.Order: orderID}).Rows()
	if err != nil {
		return nil, fmt.Errorf("load order items: %w", err)
	}
	defer rows.Close()
	var out []orderLine
	for rows.Next() {
		var it orderLine
		var qty float64 // a number field may hold a fraction; GetInt truncated it too
		if err := rows.Scan(&it.title, &it.product, &qty); err != nil {
			return nil, fmt.Errorf("load order items: %w", err)
		}
		it.qty = int(qty)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load order items: %w", err)
	}
	return out, nil
}

// hasOpenRequests reports an open help request or return on the order, in
// one query.
func hasOpenRequests(app core.App, orderID string) (bool, error) {
	h, r := schema.HelpRequests, schema.Returns
	var open bool
	err := app.DB().NewQuery("SELECT EXISTS(SELECT 1 FROM {{" + schema.CHelpRequests + "}} WHERE [[" + h.Order + "]] = {:o} AND [[" + h.Status + "]] NOT IN ('resolved'))" +
		" OR EXISTS(SELECT 1 FROM {{" + schema.CReturns + "}} WHERE [[" + r.Order + "]] = {:o} AND [[" + r.Status + "]] NOT IN ('refunded', 'exchanged', 'credited', 'rejected', 'cancelled'))").
		Bind(dbx.Params{"o": orderID}).Row(&open)
	return open, err
}

// orderGuides links the guides of the order's products: before delivery to
// "Before it arrives", after it to "Start here" (the guide's own sections
// when it has them).
func (p *Pages) orderGuides(app core.App, l *i18n.Localizer, productIDs []string, delivered bool) []guideLink {
	if len(productIDs) == 0 {
		return nil
	}
	slugs, err := p.cache.GuideSlugs(app)
	if err != nil {
		app.Logger().Warn("order guides: products", "err", err)
		return nil
	}
	// The order of the product query this replaces (id IN (...) walks the
	// primary key), so several guides keep their place on the page.
	productIDs = slices.Sorted(slices.Values(productIDs))
	label, anchor := l.T("guide.before_it_arrives"), "before-it-arrives"
	if delivered {
		label, anchor = l.T("guide.start_here"), "start-here"
	}
	var out []guideLink
	seen := map[string]bool{}
	for _, id := range productIDs {
		slug := slugs[id]
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		g := p.cache.Guide(app, slug, l.Locale())
		if !g.found {
			continue
		}
		href := "/guides/" + slug + "?lang=" + l.Locale()
		if g.anchors[anchor] {
			href += "#" + anchor
		}
		out = append(out, guideLink{Title: g.title, Href: href, Label: label})
	}
	if faq := p.cache.Guide(app, "shipping-faq", l.Locale()); faq.found {
		out = append(out, guideLink{Title: faq.title, Href: "/guides/shipping-faq?lang=" + l.Locale(), Label: l.T("title.guides")})
	}
	return out
}

// findGuide returns the published guide slug in locale, else in English.
func findGuide(app core.App, slug, locale string) *core.Record {
	g := schema.Guides
	for _, loc := range []string{locale, i18n.Fallback} {
		rec, err := app.FindFirstRecordByFilter(schema.CGuides, g.Slug+" = {:s} && "+g.Locale+" = {:l} && "+g.Published+" = true",
			dbx.Params{"s": slug, "l": loc})
		if err == nil {
			return rec
		}
	}
	return nil
}

func renderGuide(rec *core.Record) (template.HTML, []markdown.Heading) {
	_, body, err := markdown.ParseFrontMatter([]byte(rec.GetString(schema.Guides.Body)))
	if err != nil {
		body = []byte(rec.GetString(schema.Guides.Body))
	}
	html, toc, err := markdown.Render(body)
	if err != nil {
		return "", nil
	}
	return html, toc
}

// recommendations are up to three of the merchant's own products that are
// not in the order.
func (p *Pages) recommendations(app core.App, l *i18n.Localizer, inOrder map[string]bool, currency, website string) []recView {
	recs, err := p.cache.Products(app)
	if err != nil {
		app.Logger().Warn("recommendations", "err", err)
		return nil
	}
	var out []recView
	for _, r := range recs {
		if inOrder[r.Id] || len(out) == 3 {
			continue
		}
		v := recView{Title: r.GetString(schema.Products.Title), Href: website}
		if c := r.GetInt(schema.Products.PriceCents); c > 0 && currency != "" {
			v.Price = l.Money(int64(c), currency)
		}
		out = append(out, v)
	}
	return out
}

// consentEntry is one line of customers.consent_log written by the page.
func consentEntry(now time.Time, source, locale, wording, phone, orderID string) map[string]any {
	return map[string]any{
		"at": now.UTC().Format(time.RFC3339), "source": source, "sms_transactional": true,
		"locale": locale, "wording": wording, "phone": phone, "order": orderID,
	}
}

func normPhone(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(strings.TrimSpace(s))
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if !strings.HasPrefix(s, "+") || len(s) < 9 || len(s) > 16 {
		return "", false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, s[1] != '0'
}

// maskPhone shows only the last digits of a number on the page.
func maskPhone(s string) string {
	if len(s) < 4 {
		return ""
	}
	return "•••• " + s[len(s)-4:]
}
