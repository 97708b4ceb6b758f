// Package migrations creates Porchlight's data model. Every collection is
// superuser-only: shoppers reach data only through Porchlight's own routes,
// never through PocketBase's generic record API.
package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

func init() {
	m.Register(createCollections, dropCollections)
}

// Field constructors keep the collection definitions readable.
func text(name string, max int) *core.TextField { return &core.TextField{Name: name, Max: max} }
func reqText(name string, max int) *core.TextField {
	return &core.TextField{Name: name, Max: max, Required: true}
}
func num(name string) *core.NumberField   { return &core.NumberField{Name: name, OnlyInt: true} }
func money(name string) *core.NumberField { return &core.NumberField{Name: name, OnlyInt: true} }
func date(name string) *core.DateField    { return &core.DateField{Name: name} }
func boolean(name string) *core.BoolField { return &core.BoolField{Name: name} }
func jsonf(name string, max int) *core.JSONField {
	return &core.JSONField{Name: name, MaxSize: int64(max)}
}
func sel(name string, values []string) *core.SelectField {
	return &core.SelectField{Name: name, MaxSelect: 1, Values: values}
}
func rel(name string, target *core.Collection, cascade bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: target.Id, MaxSelect: 1, CascadeDelete: cascade}
}
func timestamps() []core.Field {
	return []core.Field{
		&core.AutodateField{Name: schema.FCreated, OnCreate: true},
		&core.AutodateField{Name: schema.FUpdated, OnCreate: true, OnUpdate: true},
	}
}

// Sizes of long text fields.
const (
	short  = 200
	medium = 2000
	long   = 200_000
	body   = 2 << 20 // raw webhook bodies are capped at 1 MiB on the way in
)

func newCollection(name string, fields ...core.Field) *core.Collection {
	c := core.NewBaseCollection(name)
	// nil rules = superusers only, for every operation.
	c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = nil, nil, nil, nil, nil
	c.Fields.Add(fields...)
	c.Fields.Add(timestamps()...)
	return c
}

func createCollections(app core.App) error {
	save := func(c *core.Collection) error {
		if err := app.Save(c); err != nil {
			return fmt.Errorf("create collection %s: %w", c.Name, err)
		}
		return nil
	}
	b, cu, pr, o := schema.Brand, schema.Customers, schema.Products, schema.Orders

	brand := newCollection(schema.CBrand,
		&core.TextField{Name: b.Name, Max: short, Required: true, Presentable: true},
		&core.FileField{Name: b.Logo, MaxSelect: 1, MaxSize: 2 << 20, MimeTypes: []string{"image/png", "image/svg+xml", "image/jpeg", "image/webp"}},
		text(b.PrimaryColor, 7), text(b.AccentColor, 7), text(b.BackgroundColor, 7), text(b.TextColor, 7),
		&core.EmailField{Name: b.SupportEmail}, text(b.SupportPhone, 32), &core.URLField{Name: b.WebsiteURL},
		text(b.Timezone, 64), sel(b.Locale, schema.Locales),
		&core.SelectField{Name: b.Locales, MaxSelect: len(schema.Locales), Values: schema.Locales},
		text(b.SenderName, short), &core.EmailField{Name: b.SenderEmail}, text(b.SMSFrom, 32),
		num(b.ProcessingDays), num(b.OrderCutoffHour), jsonf(b.Holidays, 64<<10),
		num(b.ReturnWindowDays), num(b.StoreCreditBonusPct),
		text(b.QuietStart, 5), text(b.QuietEnd, 5), &core.URLField{Name: b.ReviewURL},
		num(b.DeliveryGraceHours), text(b.ContrastNotes, medium),
	)
	if err := save(brand); err != nil {
		return err
	}

	customers := newCollection(schema.CCustomers,
		&core.TextField{Name: cu.Email, Max: 320, Presentable: true}, text(cu.Phone, 20),
		text(cu.FirstName, short), text(cu.LastName, short), sel(cu.Locale, schema.Locales),
		text(cu.Timezone, 64), text(cu.Country, 2),
		boolean(cu.EmailMarketing), boolean(cu.SMSTransactional), boolean(cu.SMSMarketing),
		jsonf(cu.ConsentLog, 256<<10),
		sel(cu.Source, schema.OrderSources), text(cu.ExternalID, short),
		text(cu.AcqSource, short), text(cu.AcqCampaign, short), text(cu.AdAngle, short),
		sel(cu.State, schema.CustomerStates), text(cu.UnsubscribeToken, 64), boolean(cu.Redacted),
	)
	customers.AddIndex("idx_customers_email", true, "email", "email != ''")
	customers.AddIndex("idx_customers_phone", false, "phone", "phone != ''")
	customers.AddIndex("idx_customers_unsub", true, "unsubscribe_token", "unsubscribe_token != ''")
	customers.AddIndex("idx_customers_ext", false, "source, external_id", "")
	if err := save(customers); err != nil {
		return err
	}

	products := newCollection(schema.CProducts,
		reqText(pr.SKU, short), &core.TextField{Name: pr.Title, Max: short, Required: true, Presentable: true},
		text(pr.Variant, short), sel(pr.ProductType, schema.ProductTypes), text(pr.Supplier, short),
		text(pr.GuideSlug, short), num(pr.ReplenishDays), boolean(pr.Returnable), money(pr.PriceCents),
		&core.URLField{Name: pr.ImageURL}, sel(pr.Source, schema.OrderSources), text(pr.ExternalID, short),
	)
	products.AddIndex("idx_products_sku", true, "sku", "")
	if err := save(products); err != nil {
		return err
	}

	orders := newCollection(schema.COrders,
		sel(o.Source, schema.OrderSources), reqText(o.ExternalID, short),
		&core.TextField{Name: o.Number, Max: 64, Required: true, Presentable: true},
		rel(o.Customer, customers, false), text(o.Email, 320), text(o.Phone, 20),
		date(o.PlacedAt), date(o.SourceUpdatedAt), date(o.CancelledAt), text(o.Currency, 3),
		money(o.TotalCents), money(o.SubtotalCents), money(o.ShippingCents), money(o.TaxCents), money(o.DiscountCents),
		text(o.FinancialStatus, 32), text(o.FulfillmentStatus, 32),
		sel(o.Status, append([]string{schema.OrderUnfulfilled, schema.OrderCancelled}, status.Strings()...)),
		text(o.ShipName, short), text(o.ShipLine1, short), text(o.ShipLine2, short), text(o.ShipCity, short),
		text(o.ShipRegion, 64), text(o.ShipPostal, 32), text(o.ShipCountry, 2),
		text(o.AcqSource, short), text(o.AcqMedium, short), text(o.AcqCampaign, short), text(o.AdAngle, short),
		text(o.LandingSite, medium), text(o.ReferringSite, medium),
		&core.TextField{Name: o.AccessToken, Max: 64, Hidden: true}, &core.TextField{Name: o.GiftToken, Max: 64, Hidden: true},
		sel(o.State, schema.CustomerStates), jsonf(o.RiskFlags, 16<<10), text(o.Note, medium),
	)
	orders.AddIndex("idx_orders_source_ext", true, "source, external_id", "")
	orders.AddIndex("idx_orders_number", false, "number", "")
	orders.AddIndex("idx_orders_access", true, "access_token", "access_token != ''")
	orders.AddIndex("idx_orders_gift", true, "gift_token", "gift_token != ''")
	orders.AddIndex("idx_orders_customer", false, "customer", "")
	orders.AddIndex("idx_orders_placed", false, "placed_at", "")
	if err := save(orders); err != nil {
		return err
	}

	oi := schema.OrderItems
	items := newCollection(schema.COrderItems,
		&core.RelationField{Name: oi.Order, CollectionId: orders.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		rel(oi.Product, products, false), text(oi.ExternalID, short), text(oi.SKU, short),
		&core.TextField{Name: oi.Title, Max: short, Presentable: true},
		num(oi.Quantity), money(oi.PriceCents), num(oi.FulfilledQty), num(oi.ReturnedQty),
	)
	items.AddIndex("idx_order_items_order", false, "\"order\"", "")
	if err := save(items); err != nil {
		return err
	}

	sh := schema.Shipments
	shipments := newCollection(schema.CShipments,
		rel(sh.Order, orders, true), jsonf(sh.Items, 64<<10), reqText(sh.Carrier, 32),
		&core.TextField{Name: sh.TrackingNumber, Max: 64, Required: true, Presentable: true},
		&core.URLField{Name: sh.TrackingURL}, text(sh.Service, short),
		sel(sh.Status, status.Strings()), text(sh.Substatus, 64), text(sh.RawStatus, short),
		date(sh.ShippedAt), date(sh.EDDMin), date(sh.EDDMax), text(sh.EDDSource, 16), text(sh.EDDReason, medium),
		jsonf(sh.EDDHistory, 256<<10), date(sh.DeliveredAt), date(sh.LastEventAt),
		boolean(sh.Delayed), text(sh.DelayReason, medium), date(sh.NextPollAt), num(sh.PollFailures),
		text(sh.Supplier, short), text(sh.Source, 32), text(sh.ExternalID, short), text(sh.Journey, 32),
	)
	shipments.AddIndex("idx_shipments_carrier_tn", true, "carrier, tracking_number", "")
	shipments.AddIndex("idx_shipments_tn", false, "tracking_number", "")
	shipments.AddIndex("idx_shipments_order", false, "\"order\"", "")
	shipments.AddIndex("idx_shipments_poll", false, "next_poll_at", "next_poll_at != ''")
	shipments.AddIndex("idx_shipments_status", false, "status", "")
	if err := save(shipments); err != nil {
		return err
	}

	te := schema.TrackingEvents
	events := newCollection(schema.CTrackingEvents,
		rel(te.Shipment, shipments, true), text(te.Carrier, 32), text(te.TrackingNumber, 64),
		date(te.OccurredAt), sel(te.Status, status.Strings()), text(te.Substatus, 64), text(te.RawStatus, short),
		&core.TextField{Name: te.Message, Max: medium, Presentable: true}, text(te.Location, short),
		text(te.Source, 32), reqText(te.DedupeKey, short),
	)
	events.AddIndex("idx_tracking_events_dedupe", true, "dedupe_key", "")
	events.AddIndex("idx_tracking_events_shipment", false, "shipment, occurred_at", "")
	events.AddIndex("idx_tracking_events_unmatched", false, "tracking_number", "shipment = ''")
	if err := save(events); err != nil {
		return err
	}

	wr := schema.WebhookReceipts
	receipts := newCollection(schema.CWebhookReceipts,
		reqText(wr.Source, 32), &core.TextField{Name: wr.Topic, Max: short, Presentable: true},
		reqText(wr.DeliveryID, short), text(wr.EventID, short), jsonf(wr.Headers, 64<<10),
		&core.TextField{Name: wr.Body, Max: body}, date(wr.ReceivedAt), sel(wr.Status, schema.ReceiptStatuses),
		num(wr.Attempts), date(wr.NextAttemptAt), date(wr.ProcessedAt), text(wr.Error, medium),
	)
	receipts.AddIndex("idx_webhook_receipts_delivery", true, "source, delivery_id", "")
	receipts.AddIndex("idx_webhook_receipts_due", false, "status, next_attempt_at", "")
	if err := save(receipts); err != nil {
		return err
	}

	f := schema.Flows
	flows := newCollection(schema.CFlows,
		&core.TextField{Name: f.Name, Max: short, Required: true, Presentable: true}, reqText(f.Trigger, 64),
		sel(f.Channel, schema.Channels), sel(f.Category, schema.Categories), num(f.DelayMinutes),
		jsonf(f.Conditions, 64<<10), jsonf(f.Variants, 64<<10), text(f.TemplateKey, short),
		boolean(f.Active), num(f.Priority),
	)
	flows.AddIndex("idx_flows_trigger", false, "\"trigger\", active", "")
	if err := save(flows); err != nil {
		return err
	}

	t := schema.Templates
	templates := newCollection(schema.CTemplates,
		&core.TextField{Name: t.Key, Max: short, Required: true, Presentable: true}, sel(t.Channel, schema.Channels),
		sel(t.Locale, schema.Locales), text(t.Subject, medium), text(t.Body, long), text(t.Notes, medium),
	)
	templates.AddIndex("idx_message_templates_key", true, "key, channel, locale", "")
	if err := save(templates); err != nil {
		return err
	}

	msg := schema.Messages
	messages := newCollection(schema.CMessages,
		rel(msg.Customer, customers, false), rel(msg.Order, orders, false), rel(msg.Shipment, shipments, false),
		rel(msg.Flow, flows, false), text(msg.Variant, 32), text(msg.Trigger, 64),
		sel(msg.Channel, schema.Channels), sel(msg.Category, schema.Categories),
		&core.TextField{Name: msg.To, Max: 320, Presentable: true}, date(msg.DueAt),
		sel(msg.Status, schema.MessageStatuses), num(msg.Attempts), text(msg.LastError, medium),
		text(msg.ProviderID, short), reqText(msg.IdempotencyKey, short), text(msg.Subject, medium),
		text(msg.BodyHTML, long), text(msg.BodyText, long), date(msg.SentAt), date(msg.DeliveredAt),
		date(msg.ClickedAt), text(msg.SuppressedReason, medium),
	)
	messages.AddIndex("idx_messages_idem", true, "idempotency_key", "")
	messages.AddIndex("idx_messages_due", false, "status, due_at", "")
	messages.AddIndex("idx_messages_customer", false, "customer, created", "")
	messages.AddIndex("idx_messages_provider", false, "provider_id", "provider_id != ''")
	if err := save(messages); err != nil {
		return err
	}

	r := schema.Returns
	returns := newCollection(schema.CReturns,
		rel(r.Order, orders, false), rel(r.Customer, customers, false),
		&core.TextField{Name: r.Token, Max: 64, Hidden: true}, sel(r.Status, schema.ReturnStatuses),
		sel(r.Resolution, schema.ReturnResolutions), text(r.Reason, medium),
		money(r.RefundCents), money(r.CreditCents), num(r.CreditBonusPct),
		&core.URLField{Name: r.LabelURL},
		&core.FileField{Name: r.Label, MaxSelect: 1, MaxSize: 5 << 20, Protected: true},
		&core.FileField{Name: r.Photos, MaxSelect: 5, MaxSize: 8 << 20, Protected: true, MimeTypes: []string{"image/jpeg", "image/png", "image/webp", "image/heic"}},
		text(r.Notes, medium), date(r.RequestedAt), date(r.ApprovedAt), date(r.ReceivedAt), date(r.ResolvedAt),
	)
	returns.AddIndex("idx_returns_token", true, "token", "token != ''")
	returns.AddIndex("idx_returns_order", false, "\"order\"", "")
	if err := save(returns); err != nil {
		return err
	}

	ri := schema.ReturnItems
	returnItems := newCollection(schema.CReturnItems,
		&core.RelationField{Name: ri.Return, CollectionId: returns.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		rel(ri.OrderItem, items, false), num(ri.Quantity), text(ri.Reason, 64),
		rel(ri.ExchangeProduct, products, false), text(ri.Condition, 64), text(ri.Comment, medium),
	)
	if err := save(returnItems); err != nil {
		return err
	}

	s := schema.Surveys
	surveys := newCollection(schema.CSurveys,
		&core.TextField{Name: s.Key, Max: 64, Required: true, Presentable: true}, sel(s.Kind, schema.SurveyKinds),
		text(s.Question, medium), text(s.Trigger, 64), num(s.DelayDays), jsonf(s.Choices, 16<<10), boolean(s.Active),
	)
	surveys.AddIndex("idx_surveys_key", true, "key", "")
	if err := save(surveys); err != nil {
		return err
	}

	sr := schema.SurveyResponses
	responses := newCollection(schema.CSurveyResponses,
		rel(sr.Survey, surveys, true), rel(sr.Order, orders, false), rel(sr.Customer, customers, false),
		&core.TextField{Name: sr.Token, Max: 64, Hidden: true}, &core.NumberField{Name: sr.Score, OnlyInt: true},
		text(sr.Comment, medium), sel(sr.Channel, schema.Channels), date(sr.AnsweredAt),
	)
	responses.AddIndex("idx_survey_responses_token", true, "token", "token != ''")
	if err := save(responses); err != nil {
		return err
	}

	h := schema.HelpRequests
	help := newCollection(schema.CHelpRequests,
		rel(h.Order, orders, false), rel(h.Shipment, shipments, false), rel(h.Customer, customers, false),
		sel(h.Topic, schema.HelpTopics), &core.TextField{Name: h.Message, Max: medium, Presentable: true},
		sel(h.Status, schema.HelpStatuses), date(h.ResolvedAt),
	)
	help.AddIndex("idx_help_requests_order", false, "\"order\", status", "")
	if err := save(help); err != nil {
		return err
	}

	g := schema.Guides
	guides := newCollection(schema.CGuides,
		reqText(g.Slug, 100), &core.TextField{Name: g.Title, Max: short, Required: true, Presentable: true},
		text(g.Body, long), sel(g.Kind, schema.GuideKinds),
		&core.SelectField{Name: g.ProductTypes, MaxSelect: len(schema.ProductTypes), Values: schema.ProductTypes},
		jsonf(g.SKUs, 16<<10), sel(g.Locale, schema.Locales), boolean(g.Published), text(g.Source, 200),
	)
	guides.AddIndex("idx_guides_slug_locale", true, "slug, locale", "")
	if err := save(guides); err != nil {
		return err
	}

	pe := schema.PageEvents
	pageEvents := newCollection(schema.CPageEvents,
		text(pe.Page, 32), rel(pe.Order, orders, true), text(pe.Kind, 32), date(pe.At), text(pe.Ref, short),
	)
	pageEvents.AddIndex("idx_page_events_page_at", false, "page, at", "")
	if err := save(pageEvents); err != nil {
		return err
	}

	settings := app.Settings()
	settings.Meta.AppName = "Porchlight"
	return app.Save(settings)
}

func dropCollections(app core.App) error {
	for i := len(schema.All) - 1; i >= 0; i-- {
		c, err := app.FindCollectionByNameOrId(schema.All[i])
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return fmt.Errorf("drop collection %s: %w", schema.All[i], err)
		}
	}
	return nil
}
