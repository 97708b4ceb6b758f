package schema

// Enumerated values of select fields. Each list is the single source of truth
// for its field; migrations build the select options from it.

// Order sources.
const (
	SourceShopify     = "shopify"
	SourceWooCommerce = "woocommerce"
	SourceAPI         = "api"
	SourceCSV         = "csv"
	SourceDemo        = "demo"
)

// OrderSources lists where an order can come from.
var OrderSources = []string{SourceShopify, SourceWooCommerce, SourceAPI, SourceCSV, SourceDemo}

// Product types drive flows, guides and return rules.
const (
	TypeConsumable   = "consumable"
	TypeSetupHeavy   = "setup_heavy"
	TypeFitSensitive = "fit_sensitive"
	TypeGift         = "gift"
	TypeSimple       = "simple"
)

// ProductTypes lists every product type.
var ProductTypes = []string{TypeConsumable, TypeSetupHeavy, TypeFitSensitive, TypeGift, TypeSimple}

// Customer (and order) sentiment states.
const (
	StateHappy   = "happy"
	StateContent = "content"
	StateUnhappy = "unhappy"
)

// CustomerStates lists the sentiment states.
var CustomerStates = []string{StateHappy, StateContent, StateUnhappy}

// Order shipping status: "unfulfilled" until a parcel exists, then the
// derived canonical status of its shipments (see tracking/status), plus
// "cancelled".
const (
	OrderUnfulfilled = "unfulfilled"
	OrderCancelled   = "cancelled"
)

// Webhook receipt processing states.
const (
	ReceiptPending = "pending"
	ReceiptDone    = "done"
	ReceiptFailed  = "failed"
	ReceiptIgnored = "ignored"
)

// ReceiptStatuses lists the durable inbox states.
var ReceiptStatuses = []string{ReceiptPending, ReceiptDone, ReceiptFailed, ReceiptIgnored}

// Message channels and categories.
const (
	ChannelEmail  = "email"
	ChannelSMS    = "sms"
	Transactional = "transactional"
	Marketing     = "marketing"
)

// Channels lists the message channels.
var Channels = []string{ChannelEmail, ChannelSMS}

// Categories lists the consent categories of messages.
var Categories = []string{Transactional, Marketing}

// Message outbox states.
const (
	MsgScheduled  = "scheduled"
	MsgSending    = "sending"
	MsgSent       = "sent"
	MsgDelivered  = "delivered"
	MsgFailed     = "failed"
	MsgSuppressed = "suppressed"
	MsgCancelled  = "cancelled"
)

// MessageStatuses lists every outbox state.
var MessageStatuses = []string{MsgScheduled, MsgSending, MsgSent, MsgDelivered, MsgFailed, MsgSuppressed, MsgCancelled}

// Return states and resolutions.
var ReturnStatuses = []string{"requested", "approved", "label_sent", "in_transit", "received", "refunded", "exchanged", "credited", "rejected", "cancelled"}

// ReturnResolutions lists what a shopper can choose.
var ReturnResolutions = []string{"refund", "exchange", "store_credit"}

// Survey kinds.
var SurveyKinds = []string{"nps", "csat", "ces", "custom"}

// Help request topics and states.
var HelpTopics = []string{"where_is_my_order", "damaged", "wrong_item", "setup_help", "not_received", "other"}

// HelpStatuses lists help request states.
var HelpStatuses = []string{"open", "pending", "resolved"}

// Guide kinds.
var GuideKinds = []string{"guide", "faq"}

// Locales Porchlight ships message catalogues for.
var Locales = []string{"en", "es", "de", "fr"}

// Privacy request kinds (Shopify's mandatory privacy topics).
const (
	PrivacyDataRequest    = "data_request"
	PrivacyCustomerRedact = "customer_redact"
	PrivacyShopRedact     = "shop_redact"
)

// PrivacyKinds lists the privacy request kinds.
var PrivacyKinds = []string{PrivacyDataRequest, PrivacyCustomerRedact, PrivacyShopRedact}
