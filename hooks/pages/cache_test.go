package pages

import (
	"testing"

	"porchlight/hooks/schema"
)

// The page cache must never show a merchant's old brand or guide after an
// edit in the admin.
func TestSiteCacheFollowsMerchantEdits(t *testing.T) {
	s := newSite(t, Limits{})
	b := s.brand(nil)
	o := s.order(orderSpec{Number: "5001", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken)
	mustContain(t, s.get(path), "Ember &amp; Oak", "Your first shot on the Espresso Machine Duo")

	b.Set(schema.Brand.Name, "Cinder Supply")
	if err := s.app.Save(b); err != nil {
		t.Fatal(err)
	}
	g, err := s.app.FindFirstRecordByData(schema.CGuides, schema.Guides.Slug, "espresso-setup")
	if err != nil {
		t.Fatal(err)
	}
	g.Set(schema.Guides.Title, "Espresso in five minutes")
	if err := s.app.Save(g); err != nil {
		t.Fatal(err)
	}
	r := s.get(path)
	mustContain(t, r, "Cinder Supply", "Espresso in five minutes")
	mustNotContain(t, r, "Ember &amp; Oak", "Your first shot on the Espresso Machine Duo")
}

// Guide links come from the cached product→guide map, which must follow
// product edits like the guides themselves.
func TestOrderGuidesFollowProductEdits(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "5002", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken)
	link := "/guides/espresso-setup?lang=en#before-it-arrives"
	mustContain(t, s.get(path), link)

	pr, err := s.app.FindFirstRecordByData(schema.CProducts, schema.Products.SKU, "ESP-5002")
	if err != nil {
		t.Fatal(err)
	}
	pr.Set(schema.Products.GuideSlug, "")
	if err := s.app.Save(pr); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, s.get(path), link)

	beans, err := s.app.FindFirstRecordByData(schema.CProducts, schema.Products.SKU, "BEANS-5002")
	if err != nil {
		t.Fatal(err)
	}
	beans.Set(schema.Products.GuideSlug, "espresso-setup") // not in the order: still no link
	if err := s.app.Save(beans); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, s.get(path), link)

	pr.Set(schema.Products.GuideSlug, "espresso-setup")
	if err := s.app.Save(pr); err != nil {
		t.Fatal(err)
	}
	mustContain(t, s.get(path), link)
}
