package pages

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
)

// siteCache keeps what every shopper page reads but merchants rarely change
// — the brand, guide titles and anchors, the recommendable products — so a
// page view costs only the queries about its own order. Any change to those
// collections (admin, API, seeding) empties it; the benchmark showed SQL
// parsing and Markdown rendering of guides dominating each view.
type siteCache struct {
	mu       sync.Mutex
	brand    *brand.Brand
	guides   map[string]guideInfo // slug|locale
	products []*core.Record
	loaded   bool // products loaded (possibly empty)
}

// guideInfo is what the order page needs of a guide: whether it exists, its
// title and which section anchors it has.
type guideInfo struct {
	found   bool
	title   string
	anchors map[string]bool
}

func newSiteCache(app core.App) *siteCache {
	c := &siteCache{guides: map[string]guideInfo{}}
	reset := func(e *core.RecordEvent) error {
		c.reset()
		return e.Next()
	}
	for _, col := range []string{schema.CBrand, schema.CGuides, schema.CProducts} {
		app.OnRecordAfterCreateSuccess(col).BindFunc(reset)
		app.OnRecordAfterUpdateSuccess(col).BindFunc(reset)
		app.OnRecordAfterDeleteSuccess(col).BindFunc(reset)
	}
	return c
}

func (c *siteCache) reset() {
	c.mu.Lock()
	c.brand, c.guides, c.products, c.loaded = nil, map[string]guideInfo{}, nil, false
	c.mu.Unlock()
}

// Brand returns the brand record, cached until it changes.
func (c *siteCache) Brand(app core.App) (brand.Brand, error) {
	c.mu.Lock()
	if b := c.brand; b != nil {
		c.mu.Unlock()
		return *b, nil
	}
	c.mu.Unlock()
	b, err := brand.Load(app)
	if err != nil {
		return b, err
	}
	c.mu.Lock()
	c.brand = &b
	c.mu.Unlock()
	return b, nil
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
	c.mu.Unlock()
	recs, err := app.FindRecordsByFilter(schema.CProducts, schema.Products.ProductType+" != 'gift'", "-"+schema.FCreated, 20, 0)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.products, c.loaded = recs, true
	c.mu.Unlock()
	return recs, nil
}
