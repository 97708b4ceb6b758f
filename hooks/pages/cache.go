package pages

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
)

// siteCache keeps what every shopper page reads but merchants rarely change
// — guide titles and anchors, the recommendable products, which products
// have a guide — so a page view costs only the queries about its own order
// (the brand is kept in memory by brand.Register). Any change to those
// collections (admin, API, seeding) empties it; the benchmark showed SQL
// parsing and Markdown rendering of guides dominating each view.
type siteCache struct {
	mu       sync.Mutex
	guides   map[string]guideInfo // slug|locale
	products []*core.Record
	loaded   bool              // products loaded (possibly empty)
	slugs    map[string]string // product id → guide slug, only products that have one; nil until loaded
	// gen counts resets, so a load that raced a change is not kept.
	gen uint64
}

// guideInfo is what the order page needs of a guide: whether it exists, its
// title and which section anchors it has.
type guideInfo struct {
	found   bool
	title   string
	anchors map[string]bool
}

func newSiteCache(app core.App) *siteCache {
	brand.Register(app)
	c := &siteCache{guides: map[string]guideInfo{}}
	reset := func(e *core.RecordEvent) error {
		c.reset()
		return e.Next()
	}
	for _, col := range []string{schema.CGuides, schema.CProducts} {
		app.OnRecordAfterCreateSuccess(col).BindFunc(reset)
		app.OnRecordAfterUpdateSuccess(col).BindFunc(reset)
		app.OnRecordAfterDeleteSuccess(col).BindFunc(reset)
	}
	return c
}

func (c *siteCache) reset() {
	c.mu.Lock()
	c.guides, c.products, c.loaded, c.slugs = map[string]guideInfo{}, nil, false, nil
	c.gen++
	c.mu.Unlock()
}

// Guide returns the published guide slug in locale (else English), with
// its anchors, cached until a guide changes.
func (c *siteCache) Guide(app core.App, slug, locale string) guideInfo {
	key := slug + "|" + locale
	c.mu.Lock()
	g, ok := c.guides[key]
	c.mu.Unlock()
	if ok {
		return g
	}
	if rec := findGuide(app, slug, locale); rec != nil {
		_, toc := renderGuide(rec)
		g = guideInfo{found: true, title: rec.GetString(schema.Guides.Title), anchors: map[string]bool{}}
		for _, h := range toc {
			g.anchors[h.ID] = true
		}
	}
	c.mu.Lock()
	c.guides[key] = g
	c.mu.Unlock()
	return g
}

// Products returns up to 20 recommendable products, newest first, cached
// until a product changes. Callers must not modify the records.
func (c *siteCache) Products(app core.App) ([]*core.Record, error) {
	c.mu.Lock()
	if c.loaded {
		defer c.mu.Unlock()
		return c.products, nil
	}
	gen := c.gen
	c.mu.Unlock()
	recs, err := app.FindRecordsByFilter(schema.CProducts, schema.Products.ProductType+" != 'gift'", "-"+schema.FCreated, 20, 0)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.products, c.loaded = recs, true
	}
	c.mu.Unlock()
	return recs, nil
}

// GuideSlugs maps every product that has a guide to its guide slug, cached
// until a product changes, so the order page need not load its products.
// Callers must not modify the map.
func (c *siteCache) GuideSlugs(app core.App) (map[string]string, error) {
	c.mu.Lock()
	if c.slugs != nil {
		defer c.mu.Unlock()
		return c.slugs, nil
	}
	gen := c.gen
	c.mu.Unlock()
	pr := schema.Products
	var rows []struct {
		ID   string `db:"id"`
		Slug string `db:"slug"`
	}
	err := app.DB().Select(schema.FID, pr.GuideSlug+" AS slug").From(schema.CProducts).
		Where(dbx.NewExp(pr.GuideSlug + " != ''")).All(&rows)
	if err != nil {
		return nil, err
	}
	slugs := make(map[string]string, len(rows))
	for _, r := range rows {
		slugs[r.ID] = r.Slug
	}
	c.mu.Lock()
	if c.gen == gen {
		c.slugs = slugs
	}
	c.mu.Unlock()
	return slugs, nil
}
