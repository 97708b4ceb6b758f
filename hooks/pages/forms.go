package pages

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/pages/markdown"
	"porchlight/hooks/schema"
	"porchlight/hooks/token"
)

const maxHelpMessage = 2000

// helpRequest is the order page's "report a problem" form: it creates a
// help_requests record and shows the order page with a confirmation.
func (p *Pages) helpRequest(e *core.RequestEvent) error {
	order, err := p.orderByToken(e, schema.Orders.AccessToken)
	if err != nil {
		e.App.Logger().Error("help request: load order", "err", err)
		return p.fail(e)
	}
	if order == nil {
		return p.notFound(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	topic := e.Request.FormValue("topic")
	msg := strings.TrimSpace(e.Request.FormValue("message"))
	if !slices.Contains(schema.HelpTopics, topic) {
		topic = "other"
	}
	var problem string
	switch {
	case msg == "":
		problem = data.L.T("help.error.message_required")
	case utf8.RuneCountInString(msg) > maxHelpMessage:
		problem = data.L.T("help.error.message_too_long", "max", maxHelpMessage)
	}
	if problem != "" {
		if err := p.fillOrder(e, &data, order, false); err != nil {
			e.App.Logger().Error("help request: order", "err", err)
			return p.fail(e)
		}
		data.Order.HelpError, data.Order.Message = problem, msg
		for i := range data.Order.Topics {
			data.Order.Topics[i].Selected = data.Order.Topics[i].Value == topic
		}
		return p.render(e, http.StatusUnprocessableEntity, "track", data)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(schema.CHelpRequests)
	if err != nil {
		e.App.Logger().Error("help request: collection", "err", err)
		return p.fail(e)
	}
	h := schema.HelpRequests
	rec := core.NewRecord(col)
	rec.Set(h.Order, order.Id)
	rec.Set(h.Customer, order.GetString(schema.Orders.Customer))
	rec.Set(h.Topic, topic)
	rec.Set(h.Message, msg)
	rec.Set(h.Status, "open")
	if err := e.App.Save(rec); err != nil {
		e.App.Logger().Error("help request: save", "order", order.Id, "err", err)
		return p.fail(e)
	}
	return e.Redirect(http.StatusSeeOther, "/t/"+order.GetString(schema.Orders.AccessToken)+"?sent=help&lang="+data.L.Locale()+"#help")
}

// smsOptIn records explicit consent to order texts on the customer, with the
// exact wording shown, in consent_log. Sending is the notify capability's job.
func (p *Pages) smsOptIn(e *core.RequestEvent) error {
	order, err := p.orderByToken(e, schema.Orders.AccessToken)
	if err != nil {
		e.App.Logger().Error("sms opt-in: load order", "err", err)
		return p.fail(e)
	}
	if order == nil {
		return p.notFound(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	phone, ok := normPhone(e.Request.FormValue("phone"))
	var problem string
	switch {
	case !ok:
		problem = data.L.T("sms.error.phone_invalid")
	case e.Request.FormValue("consent") != "yes":
		problem = data.L.T("sms.error.consent_required")
	}
	var customer *core.Record
	if id := order.GetString(schema.Orders.Customer); id != "" {
		customer, _ = e.App.FindRecordById(schema.CCustomers, id)
	}
	if customer == nil && problem == "" {
		problem = data.L.T("error.message")
	}
	if problem != "" {
		if err := p.fillOrder(e, &data, order, false); err != nil {
			e.App.Logger().Error("sms opt-in: order", "err", err)
			return p.fail(e)
		}
		data.Order.SMSError, data.Order.Phone = problem, e.Request.FormValue("phone")
		return p.render(e, http.StatusUnprocessableEntity, "track", data)
	}
	c := schema.Customers
	var log []map[string]any
	_ = customer.UnmarshalJSONField(c.ConsentLog, &log)
	wording := data.L.T("sms.consent", "brand", data.Brand.Name, "max", 5)
	log = append(log, consentEntry(p.deps.Clock.Now(), "tracking_page", data.L.Locale(), wording, phone, order.Id))
	customer.Set(c.ConsentLog, log)
	customer.Set(c.SMSTransactional, true)
	if customer.GetString(c.Phone) == "" {
		customer.Set(c.Phone, phone)
	}
	if err := e.App.Save(customer); err != nil {
		e.App.Logger().Error("sms opt-in: save customer", "err", err)
		return p.fail(e)
	}
	return e.Redirect(http.StatusSeeOther, "/t/"+order.GetString(schema.Orders.AccessToken)+"?sent=sms&lang="+data.L.Locale()+"#sms")
}

// giftView is /g/{token}: progress and dates only.
func (p *Pages) giftView(e *core.RequestEvent) error {
	order, err := p.orderByToken(e, schema.Orders.GiftToken)
	if err != nil {
		e.App.Logger().Error("gift view: load order", "err", err)
		return p.fail(e)
	}
	if order == nil {
		return p.notFound(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	if err := p.fillOrder(e, &data, order, true); err != nil {
		e.App.Logger().Error("gift view", "err", err)
		return p.fail(e)
	}
	p.recorder.record(pageView{page: "gift", order: order.Id, kind: "view", at: p.deps.Clock.Now()})
	return p.render(e, http.StatusOK, "gift", data)
}

// guide is /guides/{slug}.
func (p *Pages) guide(e *core.RequestEvent) error {
	slug := e.Request.PathValue("slug")
	if len(slug) > 100 {
		return p.notFound(e)
	}
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	rec := findGuide(e.App, slug, data.L.Locale())
	if rec == nil {
		return p.notFound(e)
	}
	html, toc := renderGuide(rec)
	var sub []markdown.Heading
	for _, h := range toc {
		if h.Level == 2 {
			sub = append(sub, h)
		}
	}
	data.Guide = &guideView{Lang: rec.GetString(schema.Guides.Locale), Title: rec.GetString(schema.Guides.Title), HTML: html, TOC: sub}
	data.Title = data.Guide.Title
	return p.render(e, http.StatusOK, "guide", data)
}

// reissueTokens gives an order new access and gift tokens (superusers
// only), so a leaked link stops working.
func (p *Pages) reissueTokens(e *core.RequestEvent) error {
	order, err := e.App.FindRecordById(schema.COrders, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	access, gift := ReissueTokens(order)
	if err := e.App.Save(order); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]string{"order": order.Id, "track": "/t/" + access, "gift": "/g/" + gift})
}

// ReissueTokens sets fresh tokens on order (the caller saves it).
func ReissueTokens(order *core.Record) (access, gift string) {
	access, gift = token.New(), token.New()
	order.Set(schema.Orders.AccessToken, access)
	order.Set(schema.Orders.GiftToken, gift)
	return access, gift
}
