package brand_test

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

func TestLoadCachesUntilTheRecordChanges(t *testing.T) {
	app := testapp.New(t)
	brand.Register(app)
	if b, err := brand.Load(app); err != nil || b.Name != brand.Default().Name {
		t.Fatalf("no record yet: %+v, %v", b.Name, err)
	}
	b := brand.Default()
	b.Name = "Ember & Oak"
	if err := brand.Ensure(app, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := brand.Load(app); got.Name != "Ember & Oak" {
		t.Fatalf("after create: %q", got.Name)
	}
	// Raw SQL bypasses hooks: the cached copy is served (proves there is one).
	if _, err := app.DB().NewQuery("UPDATE brand SET name = 'Sneaky'").Execute(); err != nil {
		t.Fatal(err)
	}
	if got, _ := brand.Load(app); got.Name != "Ember & Oak" {
		t.Fatalf("cache not used: %q", got.Name)
	}
	// An edit through the app (the admin UI does this) is seen at once.
	rec, err := app.FindFirstRecordByFilter(schema.CBrand, "")
	if err != nil {
		t.Fatal(err)
	}
	rec.Set(schema.Brand.Name, "Cinder Supply")
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	if got, _ := brand.Load(app); got.Name != "Cinder Supply" {
		t.Fatalf("after edit: %q", got.Name)
	}
}

// Inside a transaction with nothing in memory, Load reads the committed
// brand and keeps it; what the transaction changes is neither returned from
// memory later nor kept after a rollback.
func TestLoadInsideATransaction(t *testing.T) {
	app := testapp.New(t)
	brand.Register(app)
	b := brand.Default()
	b.Name = "Ember & Oak"
	if err := brand.Ensure(app, b); err != nil {
		t.Fatal(err)
	}
	_ = app.RunInTransaction(func(tx core.App) error {
		rec, err := tx.FindFirstRecordByFilter(schema.CBrand, "")
		if err != nil {
			t.Fatal(err)
		}
		rec.Set(schema.Brand.Name, "Uncommitted")
		if err := tx.Save(rec); err != nil {
			t.Fatal(err)
		}
		if got, _ := brand.Load(tx); got.Name != "Ember & Oak" {
			t.Fatalf("inside the transaction: %q, want the committed brand", got.Name)
		}
		return errors.New("roll back")
	})
	// Kept in memory: raw SQL (no hooks) does not change the answer.
	if _, err := app.DB().NewQuery("UPDATE brand SET name = 'Sneaky'").Execute(); err != nil {
		t.Fatal(err)
	}
	if got, _ := brand.Load(app); got.Name != "Ember & Oak" {
		t.Fatalf("after rollback: %q", got.Name)
	}
}
