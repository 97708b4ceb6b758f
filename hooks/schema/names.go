// Package schema spells every collection and field name exactly once.
// Everything else refers to these names (schema.Shipments.Status) so a rename
// is one edit, and the migration that creates the collections reads from the
// same place.
package schema

// Collection names.
const (
	CBrand           = "brand"
	CCustomers       = "customers"
	CProducts        = "products"
	COrders          = "orders"
	COrderItems      = "order_items"
	CShipments       = "shipments"
	CTrackingEvents  = "tracking_events"
	CWebhookReceipts = "webhook_receipts"
	CFlows           = "flows"
	CTemplates       = "message_templates"
	CMessages        = "messages"
	CReturns         = "returns"
	CReturnItems     = "return_items"
	CSurveys         = "surveys"
	CSurveyResponses = "survey_responses"
	CHelpRequests    = "help_requests"
	CGuides          = "guides"
	CPageEvents      = "page_events"
	// Added after the initial model.
	CWebhookRejections = "webhook_rejections"
)

// All is every Porchlight collection, in creation order (relations point
// backwards). The access-rule tests walk it.
var All = []string{
	CBrand, CCustomers, CProducts, COrders, COrderItems, CShipments,
	CTrackingEvents, CWebhookReceipts, CFlows, CTemplates, CMessages,
	CReturns, CReturnItems, CSurveys, CSurveyResponses, CHelpRequests,
	CGuides, CPageEvents, CWebhookRejections,
	CAPITokens, CPrivacyRequests, CSyncState,
}

// Common field names shared by every collection.
const (
	FID      = "id"
	FCreated = "created"
	FUpdated = "updated"
)

// Brand fields (a single record).
var Brand = struct {
	Name, Logo, PrimaryColor, AccentColor, BackgroundColor, TextColor,
	SupportEmail, SupportPhone, WebsiteURL, Timezone, Locale, Locales,
	SenderName, SenderEmail, SMSFrom, ProcessingDays, OrderCutoffHour,
	Holidays, ReturnWindowDays, StoreCreditBonusPct, QuietStart, QuietEnd,
	ReviewURL, DeliveryGraceHours, ContrastNotes string
}{
	"name", "logo", "primary_color", "accent_color", "background_color", "text_color",
	"support_email", "support_phone", "website_url", "timezone", "locale", "locales",
	"sender_name", "sender_email", "sms_from", "processing_days", "order_cutoff_hour",
	"holidays", "return_window_days", "store_credit_bonus_pct", "quiet_start", "quiet_end",
	"review_url", "delivery_grace_hours", "contrast_notes",
}

// Customers fields.
var Customers = struct {
	Email, Phone, FirstName, LastName, Locale, Timezone, Country,
	EmailMarketing, SMSTransactional, SMSMarketing, ConsentLog,
	Source, ExternalID, AcqSource, AcqCampaign, AdAngle, State,
	UnsubscribeToken, Redacted string
}{
	"email", "phone", "first_name", "last_name", "locale", "timezone", "country",
	"email_marketing", "sms_transactional", "sms_marketing", "consent_log",
	"source", "external_id", "acq_source", "acq_campaign", "ad_angle", "state",
	"unsubscribe_token", "redacted",
}

// Products fields.
var Products = struct {
	SKU, Title, Variant, ProductType, Supplier, GuideSlug, ReplenishDays,
	Returnable, PriceCents, ImageURL, Source, ExternalID string
}{
	"sku", "title", "variant", "product_type", "supplier", "guide_slug", "replenish_days",
	"returnable", "price_cents", "image_url", "source", "external_id",
}

// Orders fields.
var Orders = struct {
	Source, ExternalID, Number, Customer, Email, Phone, PlacedAt, SourceUpdatedAt,
	CancelledAt, Currency, TotalCents, SubtotalCents, ShippingCents, TaxCents,
	DiscountCents, FinancialStatus, FulfillmentStatus, Status,
	ShipName, ShipLine1, ShipLine2, ShipCity, ShipRegion, ShipPostal, ShipCountry,
	AcqSource, AcqMedium, AcqCampaign, AdAngle, LandingSite, ReferringSite,
	AccessToken, GiftToken, State, RiskFlags, Note string
}{
	"source", "external_id", "number", "customer", "email", "phone", "placed_at", "source_updated_at",
	"cancelled_at", "currency", "total_cents", "subtotal_cents", "shipping_cents", "tax_cents",
	"discount_cents", "financial_status", "fulfillment_status", "status",
	"ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal", "ship_country",
	"acq_source", "acq_medium", "acq_campaign", "ad_angle", "landing_site", "referring_site",
	"access_token", "gift_token", "state", "risk_flags", "note",
}

// OrderItems fields.
var OrderItems = struct {
	Order, Product, ExternalID, SKU, Title, Quantity, PriceCents,
	FulfilledQty, ReturnedQty string
}{
	"order", "product", "external_id", "sku", "title", "quantity", "price_cents",
	"fulfilled_qty", "returned_qty",
}

// Shipments fields.
var Shipments = struct {
	Order, Items, Carrier, TrackingNumber, TrackingURL, Service, Status,
	Substatus, RawStatus, ShippedAt, EDDMin, EDDMax, EDDSource, EDDReason,
	EDDHistory, DeliveredAt, LastEventAt, Delayed, DelayReason, NextPollAt,
	PollFailures, Supplier, Source, ExternalID, Journey string
}{
	"order", "items", "carrier", "tracking_number", "tracking_url", "service", "status",
	"substatus", "raw_status", "shipped_at", "edd_min", "edd_max", "edd_source", "edd_reason",
	"edd_history", "delivered_at", "last_event_at", "delayed", "delay_reason", "next_poll_at",
	"poll_failures", "supplier", "source", "external_id", "journey",
}

// TrackingEvents fields.
var TrackingEvents = struct {
	Shipment, Carrier, TrackingNumber, OccurredAt, Status, Substatus,
	RawStatus, Message, Location, Source, DedupeKey string
}{
	"shipment", "carrier", "tracking_number", "occurred_at", "status", "substatus",
	"raw_status", "message", "location", "source", "dedupe_key",
}

// WebhookReceipts fields.
var WebhookReceipts = struct {
	Source, Topic, DeliveryID, EventID, Headers, Body, ReceivedAt,
	Status, Attempts, NextAttemptAt, ProcessedAt, Error string
}{
	"source", "topic", "delivery_id", "event_id", "headers", "body", "received_at",
	"status", "attempts", "next_attempt_at", "processed_at", "error",
}

// Flows fields.
var Flows = struct {
	Name, Trigger, Channel, Category, DelayMinutes, Conditions, Variants,
	TemplateKey, Active, Priority string
}{
	"name", "trigger", "channel", "category", "delay_minutes", "conditions", "variants",
	"template_key", "active", "priority",
}

// Templates fields (message_templates).
var Templates = struct {
	Key, Channel, Locale, Subject, Body, Notes string
}{"key", "channel", "locale", "subject", "body", "notes"}

// Messages fields.
var Messages = struct {
	Customer, Order, Shipment, Flow, Variant, Channel, Category, To, DueAt,
	Status, Attempts, LastError, ProviderID, IdempotencyKey, Subject, BodyHTML,
	BodyText, SentAt, DeliveredAt, ClickedAt, SuppressedReason, Trigger string
}{
	"customer", "order", "shipment", "flow", "variant", "channel", "category", "to", "due_at",
	"status", "attempts", "last_error", "provider_id", "idempotency_key", "subject", "body_html",
	"body_text", "sent_at", "delivered_at", "clicked_at", "suppressed_reason", "trigger",
}

// Returns fields.
var Returns = struct {
	Order, Customer, Token, Status, Resolution, Reason, RefundCents,
	CreditCents, CreditBonusPct, LabelURL, Label, Photos, Notes,
	RequestedAt, ApprovedAt, ReceivedAt, ResolvedAt string
}{
	"order", "customer", "token", "status", "resolution", "reason", "refund_cents",
	"credit_cents", "credit_bonus_pct", "label_url", "label", "photos", "notes",
	"requested_at", "approved_at", "received_at", "resolved_at",
}

// ReturnItems fields.
var ReturnItems = struct {
	Return, OrderItem, Quantity, Reason, ExchangeProduct, Condition, Comment string
}{"return", "order_item", "quantity", "reason", "exchange_product", "condition", "comment"}

// Surveys fields.
var Surveys = struct {
	Key, Kind, Question, Trigger, DelayDays, Choices, Active string
}{"key", "kind", "question", "trigger", "delay_days", "choices", "active"}

// SurveyResponses fields.
var SurveyResponses = struct {
	Survey, Order, Customer, Token, Score, Comment, Channel, AnsweredAt string
}{"survey", "order", "customer", "token", "score", "comment", "channel", "answered_at"}

// HelpRequests fields.
var HelpRequests = struct {
	Order, Shipment, Customer, Topic, Message, Status, ResolvedAt string
}{"order", "shipment", "customer", "topic", "message", "status", "resolved_at"}

// Guides fields.
var Guides = struct {
	Slug, Title, Body, Kind, ProductTypes, SKUs, Locale, Published, Source string
}{"slug", "title", "body", "kind", "product_types", "skus", "locale", "published", "source"}

// PageEvents fields.
var PageEvents = struct {
	Page, Order, Kind, At, Ref string
}{"page", "order", "kind", "at", "ref"}

// WebhookRejections fields (counters of refused webhook calls).
var WebhookRejections = struct {
	Source, Reason, Day, Count, LastAt string
}{"source", "reason", "day", "count", "last_at"}

// Storefront ingest additions (migration 1763769830_storefront).
const (
	CAPITokens       = "api_tokens"
	CPrivacyRequests = "privacy_requests"
	CSyncState       = "sync_state"
)

// OrderIngest are the orders fields the storefront ingest adds: the
// version of the data we hold, refunds, soft deletion and redaction.
var OrderIngest = struct {
	SourceTriggeredAt, DeletedAt, Redacted, Refunds, RefundedCents string
}{"source_triggered_at", "deleted_at", "redacted", "refunds", "refunded_cents"}

// ShipmentIngest are the shipments fields the storefront ingest adds.
var ShipmentIngest = struct {
	SourceUpdatedAt string
}{"source_updated_at"}

// CustomerIngest are the customers fields the storefront ingest adds.
var CustomerIngest = struct {
	SourceUpdatedAt string
}{"source_updated_at"}

// APITokens fields: bearer tokens a merchant creates in the admin for the
// REST API.
var APITokens = struct {
	Name, Token, Active, LastUsedAt string
}{"name", "token", "active", "last_used_at"}

// PrivacyRequests fields: Shopify's mandatory privacy requests, kept as
// the record of what was asked and done (data exports, redaction
// tombstones that later deliveries are checked against).
var PrivacyRequests = struct {
	Source, Kind, RequestKey, ShopDomain, CustomerExternalID, Email, Phone,
	OrderIDs, RequestedAt, ProcessedAt, Export string
}{"source", "kind", "request_key", "shop_domain", "customer_external_id", "email", "phone",
	"order_ids", "requested_at", "processed_at", "export"}

// SyncState fields: cursors of catch-up syncs (WooCommerce).
var SyncState = struct {
	Key, Cursor, LastRunAt, LastError, Processed string
}{"key", "cursor", "last_run_at", "last_error", "processed"}

// ShipmentTracking holds the shipments fields added for carrier tracking
// (migration 1763769810): which provider tracks the parcel and under which
// id, polling state, the delay re-check time and the carrier's own EDD.
var ShipmentTracking = struct {
	Tracker, TrackerID, PollIdle, LastPolledAt, NextCheckAt, CarrierEDD string
}{
	"tracker", "tracker_id", "poll_idle", "last_polled_at", "next_check_at", "carrier_edd",
}
