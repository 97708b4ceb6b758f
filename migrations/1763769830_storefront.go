package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// The storefront ingest adds: the version of each order, customer and
// shipment we hold (stale deliveries change nothing), refunds, soft
// deletion and redaction on orders; API tokens for the REST API; privacy
// requests (exports and redaction tombstones); catch-up sync cursors.
func init() {
	m.Register(func(app core.App) error {
		oi, si, ci := schema.OrderIngest, schema.ShipmentIngest, schema.CustomerIngest
		add := func(name string, fields ...core.Field) error {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(fields...)
			if err := app.Save(c); err != nil {
				return fmt.Errorf("extend %s: %w", name, err)
			}
			return nil
		}
		if err := add(schema.COrders, date(oi.SourceTriggeredAt), date(oi.DeletedAt), boolean(oi.Redacted),
			jsonf(oi.Refunds, 256<<10), money(oi.RefundedCents)); err != nil {
			return err
		}
		if err := add(schema.CShipments, date(si.SourceUpdatedAt)); err != nil {
			return err
		}
		if err := add(schema.CCustomers, date(ci.SourceUpdatedAt)); err != nil {
			return err
		}

		t := schema.APITokens
		tokens := newCollection(schema.CAPITokens,
			&core.TextField{Name: t.Name, Max: short, Required: true, Presentable: true},
			&core.TextField{Name: t.Token, Min: 32, Max: 128},
			boolean(t.Active), date(t.LastUsedAt),
		)
		tokens.AddIndex("idx_api_tokens_token", true, "token", "token != ''")
		if err := app.Save(tokens); err != nil {
			return fmt.Errorf("create %s: %w", schema.CAPITokens, err)
		}

		p := schema.PrivacyRequests
		privacy := newCollection(schema.CPrivacyRequests,
			reqText(p.Source, 32), sel(p.Kind, schema.PrivacyKinds), reqText(p.RequestKey, short),
			text(p.ShopDomain, 255), text(p.CustomerExternalID, short), text(p.Email, 320), text(p.Phone, 64),
			jsonf(p.OrderIDs, 1<<20), date(p.RequestedAt), date(p.ProcessedAt), jsonf(p.Export, 8<<20),
		)
		privacy.AddIndex("idx_privacy_requests_key", true, "source, kind, request_key", "")
		if err := app.Save(privacy); err != nil {
			return fmt.Errorf("create %s: %w", schema.CPrivacyRequests, err)
		}

		s := schema.SyncState
		sync := newCollection(schema.CSyncState,
			reqText(s.Key, 64), date(s.Cursor), date(s.LastRunAt), text(s.LastError, medium), num(s.Processed),
		)
		sync.AddIndex("idx_sync_state_key", true, "key", "")
		if err := app.Save(sync); err != nil {
			return fmt.Errorf("create %s: %w", schema.CSyncState, err)
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{schema.CSyncState, schema.CPrivacyRequests, schema.CAPITokens} {
			if c, err := app.FindCollectionByNameOrId(name); err == nil {
				if err := app.Delete(c); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
