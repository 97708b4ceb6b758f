package memo_test

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/memo"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

// productTitle loads the title of the product with sku, counting loads.
func productTitle(loads *int, sku string) func(core.App) (string, error) {
	return func(app core.App) (string, error) {
		*loads++
		rec, err := app.FindFirstRecordByData(schema.CProducts, schema.Products.SKU, sku)
		if err != nil {
			return "", err
		}
		return rec.GetString(schema.Products.Title), nil
	}
}

func TestMemoKeepsValuesUntilARecordChanges(t *testing.T) {
	app := testapp.New(t)
	m := memo.New[string, string](app, schema.CProducts)
	col, err := app.FindCollectionByNameOrId(schema.CProducts)
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(col)
	p.Set(schema.Products.SKU, "MUG")
	p.Set(schema.Products.Title, "Mug")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}

	loads := 0
	get := func(a core.App) string {
		t.Helper()
		v, err := m.Get(a, "MUG", productTitle(&loads, "MUG"))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get(app) != "Mug" || get(app) != "Mug" || loads != 1 {
		t.Fatalf("two reads took %d loads, want 1", loads)
	}

	p.Set(schema.Products.Title, "Stoneware Mug")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	if v := get(app); v != "Stoneware Mug" || loads != 2 {
		t.Fatalf("after an update: %q after %d loads, want the new title from a second load", v, loads)
	}

	// Inside a transaction that changes the record and then fails, the memo
	// neither keeps nor returns the uncommitted title.
	errRollback := errors.New("roll back")
	err = app.RunInTransaction(func(tx core.App) error {
		rec, err := tx.FindRecordById(schema.CProducts, p.Id)
		if err != nil {
			return err
		}
		rec.Set(schema.Products.Title, "Never Committed")
		if err := tx.Save(rec); err != nil {
			return err
		}
		m.Forget() // a cold memo: the read below must load
		if v := get(tx); v != "Stoneware Mug" {
			t.Errorf("read inside the transaction = %q, want the committed title", v)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	if v := get(app); v != "Stoneware Mug" {
		t.Fatalf("after the rollback: %q", v)
	}
}

// A change that lands while a value is being loaded keeps that value out of
// the memo: the next read loads again.
func TestMemoDropsALoadThatRacedWithAChange(t *testing.T) {
	app := testapp.New(t)
	m := memo.New[string, int](app, schema.CProducts)
	loads := 0
	load := func(core.App) (int, error) {
		loads++
		if loads == 1 {
			m.Forget() // a record changed while this load was reading
		}
		return loads, nil
	}
	if v, _ := m.Get(app, "k", load); v != 1 {
		t.Fatalf("first read = %d", v)
	}
	if v, _ := m.Get(app, "k", load); v != 2 {
		t.Fatalf("second read = %d, want a fresh load (the raced one must not be kept)", v)
	}
	if v, _ := m.Get(app, "k", load); v != 2 || loads != 2 {
		t.Fatalf("third read = %d after %d loads, want the kept value", v, loads)
	}
}
