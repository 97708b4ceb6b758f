// Package storefront brings orders in from the stores: Shopify and
// WooCommerce webhooks (through the durable inbox), a WooCommerce catch-up
// sync, CSV import and a REST API. Every path ends in the same ingest
// (UpsertOrder), which maps the normalized model onto customers, products,
// orders, order_items and shipments idempotently and independently of
// arrival order: an older version than the one held changes nothing, the
// same data again saves nothing.
//
// The parsers live in the pure sub-packages model, shopify, woocommerce and
// csvimport.
package storefront

import (
	"net/http"
	"sync"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/clock"
	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
)

// Webhook and API routes.
const (
	ShopifyWebhookPath = "/webhooks/shopify"
	WooWebhookPath     = "/webhooks/woocommerce"
	OrdersAPIPath      = "/api/porchlight/orders"
	ShipmentsAPIPath   = "/api/porchlight/shipments"
	ImportAPIPath      = "/api/porchlight/import"
	WooSyncAPIPath     = "/api/porchlight/woocommerce/sync"
)

// Deps is what the storefront capability needs.
type Deps struct {
	Clock   clock.Clock
	Inbox   *inbox.Inbox
	Tracker *tracking.Tracker
	// Webhook secrets; an empty secret refuses every delivery (401).
	ShopifySecret string
	WooSecret     string
	// Woo configures the catch-up sync; an empty BaseURL disables it.
	Woo WooConfig
	// HTTP is the client for the WooCommerce REST API (nil: default).
	HTTP *http.Client
	// SyncSchedule is the cron expression of the catch-up sync (default
	// every 15 minutes).
	SyncSchedule string
}

// Storefront is the storefront capability.
type Storefront struct {
	clock         clock.Clock
	inbox         *inbox.Inbox
	tracker       *tracking.Tracker
	shopifySecret []byte
	wooSecret     []byte
	woo           WooConfig
	http          *http.Client
	syncing       sync.Mutex // one catch-up sync at a time
}

// Register binds the webhook routes, the inbox handlers, the REST API, the
// admin import route and the catch-up sync job.
func Register(app core.App, d Deps) *Storefront {
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	if d.Tracker == nil {
		d.Tracker = tracking.Register(app, tracking.Deps{Clock: d.Clock})
	}
	if d.Inbox == nil {
		d.Inbox = inbox.New(inbox.Deps{Clock: d.Clock})
	}
	s := &Storefront{
		clock: d.Clock, inbox: d.Inbox, tracker: d.Tracker,
		shopifySecret: []byte(d.ShopifySecret), wooSecret: []byte(d.WooSecret),
		woo: d.Woo, http: d.HTTP,
	}
	s.inbox.Handle(string(schema.SourceShopify), s.handleShopify)
	s.inbox.Handle(string(schema.SourceWooCommerce), s.handleWoo)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		s.inbox.Bind(se, ShopifyWebhookPath, schema.SourceShopify, s.verifyShopify)
		s.inbox.Bind(se, WooWebhookPath, schema.SourceWooCommerce, s.verifyWoo)
		se.Router.POST(OrdersAPIPath, s.apiOrders).Bind(s.requireAPIAuth(), apis.BodyLimit(2<<20))
		se.Router.POST(ShipmentsAPIPath, s.apiShipments).Bind(s.requireAPIAuth(), apis.BodyLimit(256<<10))
		se.Router.POST(ImportAPIPath, s.apiImport).Bind(apis.RequireSuperuserAuth(), apis.BodyLimit(60<<20))
		se.Router.POST(WooSyncAPIPath, s.apiWooSync).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
	app.OnRecordCreate(schema.CAPITokens).BindFunc(func(e *core.RecordEvent) error {
		// A token left blank in the admin is generated, and active: the
		// merchant creates it to use it (untick active to revoke).
		if e.Record.GetString(schema.APITokens.Token) == "" {
			e.Record.Set(schema.APITokens.Token, newAPIToken())
			e.Record.Set(schema.APITokens.Active, true)
		}
		return e.Next()
	})
	if s.woo.Enabled() {
		sched := d.SyncSchedule
		if sched == "" {
			sched = "*/15 * * * *"
		}
		app.Cron().MustAdd("porchlightWooSync", sched, func() {
			if _, err := s.SyncWoo(app); err != nil {
				app.Logger().Warn("woocommerce catch-up sync", "err", err)
			}
		})
	}
	return s
}
