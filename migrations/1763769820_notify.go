package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// notify adds the dispatcher's claim time and the rendering template key to
// messages, and an index for the reclaim of stale "sending" rows.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CMessages)
		if err != nil {
			return err
		}
		f := schema.MessageNotify
		c.Fields.Add(date(f.ClaimedAt), text(f.TemplateKey, short))
		c.AddIndex("idx_messages_order_trigger", false, "\"order\", \"trigger\", channel", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CMessages)
		if err != nil {
			return nil
		}
		f := schema.MessageNotify
		c.Fields.RemoveByName(f.ClaimedAt)
		c.Fields.RemoveByName(f.TemplateKey)
		c.RemoveIndex("idx_messages_order_trigger")
		return app.Save(c)
	})
}
