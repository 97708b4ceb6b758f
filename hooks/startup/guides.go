package startup

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/pages/markdown"
	"porchlight/hooks/schema"
)

// SeedGuides inserts every embedded guide whose (slug, locale) is not in the
// guides collection yet. Existing records are the merchant's and win.
func SeedGuides(app core.App, content fs.FS) error {
	if content == nil {
		return nil
	}
	files, err := fs.Glob(content, "guides/*.md")
	if err != nil {
		return fmt.Errorf("seed guides: %w", err)
	}
	col, err := app.FindCachedCollectionByNameOrId(schema.CGuides)
	if err != nil {
		return fmt.Errorf("seed guides: %w", err)
	}
	g := schema.Guides
	for _, f := range files {
		src, err := fs.ReadFile(content, f)
		if err != nil {
			return fmt.Errorf("seed guides: %w", err)
		}
		meta, body, err := markdown.ParseFrontMatter(src)
		if err != nil {
			return fmt.Errorf("seed guides: %s: %w", f, err)
		}
		slug := meta.Slug
		if slug == "" {
			slug = path.Base(f[:len(f)-len(".md")])
		}
		locale := meta.Locale
		if locale == "" {
			locale = "en"
		}
		_, err = app.FindFirstRecordByFilter(schema.CGuides, g.Slug+" = {:s} && "+g.Locale+" = {:l}", dbx.Params{"s": slug, "l": locale})
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("seed guides: %w", err)
		}
		kind := "guide"
		if meta.Extra["kind"] == "faq" {
			kind = "faq"
		}
		rec := core.NewRecord(col)
		rec.Set(g.Slug, slug)
		rec.Set(g.Title, meta.Title)
		rec.Set(g.Body, string(body))
		rec.Set(g.Kind, kind)
		rec.Set(g.ProductTypes, meta.ProductTypes)
		rec.Set(g.SKUs, meta.SKUs)
		rec.Set(g.Locale, locale)
		// Merchant-facing guides (connecting Shopify...) are kept for the
		// admin but never shown on shopper pages.
		rec.Set(g.Published, meta.Extra["audience"] != "merchant")
		rec.Set(g.Source, "content/"+f)
		if err := app.Save(rec); err != nil {
			return fmt.Errorf("seed guide %s: %w", f, err)
		}
	}
	return nil
}
