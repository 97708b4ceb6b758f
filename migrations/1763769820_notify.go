package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"porchlight/hooks/schema"
)

// notify adds the dispatcher's claim time, the rendering template key and
// the tracked links' targets to messages, and an index to find an order's
// message for a milestone; brand gets per-region SMS quiet hours.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(schema.CMessages)
		if err != nil {
			return err
		}
		f := schema.MessageNotify
		c.Fields.Add(date(f.ClaimedAt), text(f.TemplateKey, short), jsonf(f.Links, 64<<10))
		c.AddIndex("idx_messages_order_trigger", false, "\"order\", \"trigger\", channel", "")
		if err := app.Save(c); err != nil {
			return err
		}
		b, err := app.FindCollectionByNameOrId(schema.CBrand)
		if err != nil {
			return err
		}
		b.Fields.Add(jsonf(schema.BrandNotify.QuietRegions, 16<<10))
		return app.Save(b)
	}, func(app core.App) error {
		if b, err := app.FindCollectionByNameOrId(schema.CBrand); err == nil {
			b.Fields.RemoveByName(schema.BrandNotify.QuietRegions)
			if err := app.Save(b); err != nil {
				return err
			}
		}
		c, err := app.FindCollectionByNameOrId(schema.CMessages)
		if err != nil {
			return nil
		}
		f := schema.MessageNotify
		c.Fields.RemoveByName(f.ClaimedAt)
		c.Fields.RemoveByName(f.TemplateKey)
		c.Fields.RemoveByName(f.Links)
		c.RemoveIndex("idx_messages_order_trigger")
		return app.Save(c)
	})
}
