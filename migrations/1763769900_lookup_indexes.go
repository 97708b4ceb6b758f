package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// Lookup indexes. The unique indexes on tokens and e-mails are partial
// (WHERE col != ”) so that many blank values may coexist, but SQLite cannot
// use a partial index for `col = ?` with a bound parameter: it cannot prove
// the parameter is not ”. Every token lookup (tracking page, gift view,
// unsubscribe, returns, surveys, API tokens) was a full table scan, found by
// the benchmark at 100k orders. Plain indexes next to the partial unique ones
// serve the lookups; the partial ones keep guarding uniqueness. Non-unique
// partial indexes are replaced outright, and the learned-EDD lane query gets
// an index that returns a carrier's deliveries newest first without a sort.
type lookupIndex struct {
	collection, name, columns string
	replaces                  string // a partial non-unique index this one supersedes
}

var lookupIndexes = []lookupIndex{
	{schema.COrders, "idx_orders_access_lookup", schema.Orders.AccessToken, ""},
	{schema.COrders, "idx_orders_gift_lookup", schema.Orders.GiftToken, ""},
	{schema.CCustomers, "idx_customers_email_lookup", schema.Customers.Email, ""},
	{schema.CCustomers, "idx_customers_unsub_lookup", schema.Customers.UnsubscribeToken, ""},
	{schema.CCustomers, "idx_customers_phone_lookup", schema.Customers.Phone, "idx_customers_phone"},
	{schema.CReturns, "idx_returns_token_lookup", schema.Returns.Token, ""},
	{schema.CSurveyResponses, "idx_survey_responses_token_lookup", schema.SurveyResponses.Token, ""},
	{schema.CMessages, "idx_messages_provider_lookup", schema.Messages.ProviderID, "idx_messages_provider"},
	{schema.CShipments, "idx_shipments_poll_lookup", schema.Shipments.NextPollAt, "idx_shipments_poll"},
	{schema.CShipments, "idx_shipments_check_lookup", schema.ShipmentTracking.NextCheckAt, "idx_shipments_check"},
	{schema.CShipments, "idx_shipments_lane", schema.Shipments.Carrier + ", " + schema.Shipments.Status + ", " + schema.Shipments.DeliveredAt, ""},
	{schema.CAPITokens, "idx_api_tokens_token_lookup", schema.APITokens.Token, ""},
}

func init() {
	m.Register(func(app core.App) error {
		for _, ix := range lookupIndexes {
			c, err := app.FindCollectionByNameOrId(ix.collection)
			if err != nil {
				return fmt.Errorf("lookup index %s: %w", ix.name, err)
			}
			if ix.replaces != "" {
				c.RemoveIndex(ix.replaces)
			}
			c.AddIndex(ix.name, false, ix.columns, "")
			if err := app.Save(c); err != nil {
				return fmt.Errorf("lookup index %s: %w", ix.name, err)
			}
		}
		return nil
	}, func(app core.App) error {
		for _, ix := range lookupIndexes {
			c, err := app.FindCollectionByNameOrId(ix.collection)
			if err != nil {
				continue
			}
			c.RemoveIndex(ix.name)
			if ix.replaces != "" {
				col := ix.columns
				c.AddIndex(ix.replaces, false, col, col+" != ''")
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
