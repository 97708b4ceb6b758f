package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// webhook_rejections counts refused webhook calls (bad signature, oversized
// body) per source, reason and day. The payloads themselves are never stored.
func init() {
	m.Register(func(app core.App) error {
		f := schema.WebhookRejections
		c := newCollection(schema.CWebhookRejections,
			reqText(f.Source, 32), reqText(f.Reason, 64), reqText(f.Day, 10), num(f.Count), date(f.LastAt),
		)
		c.AddIndex("idx_webhook_rejections_key", true, "source, reason, day", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CWebhookRejections)
		if err != nil {
			return nil
		}
		return app.Delete(c)
	})
}
