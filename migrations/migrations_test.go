package migrations_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

func TestMigrationsCreateEveryCollectionAndRerunIsANoop(t *testing.T) {
	app := testapp.New(t)
	for _, name := range schema.All {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatalf("collection %s missing: %v", name, err)
		}
		for _, rule := range []*string{c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule} {
			if rule != nil {
				t.Errorf("collection %s has a non-superuser API rule %q", name, *rule)
			}
		}
	}
	before, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	// A second start runs migrations again: nothing is pending, nothing changes.
	if err := app.RunAllMigrations(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	after, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != len(after) {
		t.Fatalf("collections changed on rerun: %d -> %d", len(before), len(after))
	}
}

func TestUniqueIndexesGuardIdempotency(t *testing.T) {
	app := testapp.New(t)
	cases := []struct {
		collection string
		fields     map[string]any
	}{
		{schema.COrders, map[string]any{schema.Orders.Source: "shopify", schema.Orders.ExternalID: "1", schema.Orders.Number: "#1"}},
		{schema.CWebhookReceipts, map[string]any{schema.WebhookReceipts.Source: "shopify", schema.WebhookReceipts.DeliveryID: "d-1"}},
		{schema.CMessages, map[string]any{schema.Messages.IdempotencyKey: "order-1:shipped:email"}},
		{schema.CTrackingEvents, map[string]any{schema.TrackingEvents.DedupeKey: "ev-1"}},
		{schema.CShipments, map[string]any{schema.Shipments.Carrier: "ups", schema.Shipments.TrackingNumber: "1Z"}},
	}
	for _, c := range cases {
		col, err := app.FindCollectionByNameOrId(c.collection)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			r := core.NewRecord(col)
			for k, v := range c.fields {
				r.Set(k, v)
			}
			err := app.Save(r)
			if i == 0 && err != nil {
				t.Fatalf("%s: first insert: %v", c.collection, err)
			}
			if i == 1 && err == nil {
				t.Fatalf("%s: duplicate accepted", c.collection)
			}
		}
	}
}

// Shoppers must never reach records through PocketBase's generic API: every
// collection refuses list, view, create, update and delete to anonymous and
// to ordinary authenticated users.
func TestGenericAPIRefusesEveryoneButSuperusers(t *testing.T) {
	app := testapp.New(t)

	// An ordinary auth collection with one user, as a merchant might add.
	users := core.NewAuthCollection("members")
	if err := app.Save(users); err != nil {
		t.Fatal(err)
	}
	u := core.NewRecord(users)
	u.SetEmail("shopper@example.com")
	u.SetPassword("shopper-password-1")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	userToken, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}

	// One real record per collection so view/update/delete have a target.
	ids := map[string]string{}
	for _, name := range schema.All {
		col, _ := app.FindCollectionByNameOrId(name)
		r := core.NewRecord(col)
		for _, f := range col.Fields {
			switch ff := f.(type) {
			case *core.TextField:
				if ff.Required {
					r.Set(ff.Name, "x-"+name)
				}
			}
		}
		if err := app.SaveNoValidate(r); err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		ids[name] = r.Id
	}

	h := testapp.Handler(t, app)
	suToken := testapp.Superuser(t, app)
	for _, name := range schema.All {
		base := "/api/collections/" + name + "/records"
		reqs := []struct{ method, url, body string }{
			{http.MethodGet, base, ""},
			{http.MethodGet, base + "/" + ids[name], ""},
			{http.MethodPost, base, `{}`},
			{http.MethodPatch, base + "/" + ids[name], `{}`},
			{http.MethodDelete, base + "/" + ids[name], ""},
		}
		for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"user", userToken}} {
			for _, rq := range reqs {
				req := httptest.NewRequest(rq.method, rq.url, strings.NewReader(rq.body))
				req.Header.Set("Content-Type", "application/json")
				if who.token != "" {
					req.Header.Set("Authorization", who.token)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code < 400 {
					t.Errorf("%s %s %s as %s = %d, want refusal", name, rq.method, rq.url, who.name, rec.Code)
				}
				if strings.Contains(rec.Body.String(), "x-"+name) {
					t.Errorf("%s %s as %s leaked record data: %s", rq.method, rq.url, who.name, rec.Body.String())
				}
			}
		}
		// The superuser (merchant) can read them: the refusal above is the
		// rule, not a broken route.
		req := httptest.NewRequest(http.MethodGet, base+"/"+ids[name], nil)
		req.Header.Set("Authorization", suToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("superuser view %s = %d", name, rec.Code)
		}
	}
	// Nothing was deleted or changed through the refused calls.
	for name, id := range ids {
		if _, err := app.FindRecordById(name, id); err != nil {
			t.Errorf("%s record gone after refused delete: %v", name, err)
		}
	}
}

// A migration that fails leaves the database as it was: every pending
// migration runs in one transaction.
func TestFailedMigrationLeavesDatabaseUnchanged(t *testing.T) {
	app := testapp.New(t)
	var list core.MigrationsList
	list.Register(func(txApp core.App) error {
		c := core.NewBaseCollection("half_done")
		if err := txApp.Save(c); err != nil {
			return err
		}
		return errors.New("disk full, say")
	}, nil, "1999999999_failing.go")
	if _, err := core.NewMigrationsRunner(app, list).Up(); err == nil {
		t.Fatal("failing migration reported success")
	}
	if _, err := app.FindCollectionByNameOrId("half_done"); err == nil {
		t.Fatal("collection from the failed migration survived")
	}
	var applied int
	if err := app.DB().NewQuery("SELECT count(*) FROM _migrations WHERE file = '1999999999_failing.go'").Row(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != 0 {
		t.Fatal("failed migration recorded as applied")
	}
}

// Every equality lookup shoppers and webhooks trigger uses an index, as
// PocketBase issues it (a bound parameter). A partial index alone would not
// do: SQLite cannot prove the parameter is not ” and scans the table.
func TestLookupsUseAnIndex(t *testing.T) {
	app := testapp.New(t)
	lookups := []struct {
		table, column string
		indexed       bool
	}{
		// Control: an unindexed column must be reported as a scan, or this
		// test could not fail.
		{schema.COrders, schema.Orders.Note, false},
		{schema.COrders, schema.Orders.AccessToken, true},
		{schema.COrders, schema.Orders.GiftToken, true},
		{schema.COrders, schema.Orders.Number, true},
		{schema.CCustomers, schema.Customers.Email, true},
		{schema.CCustomers, schema.Customers.Phone, true},
		{schema.CCustomers, schema.Customers.UnsubscribeToken, true},
		{schema.CReturns, schema.Returns.Token, true},
		{schema.CSurveyResponses, schema.SurveyResponses.Token, true},
		{schema.CMessages, schema.Messages.ProviderID, true},
		{schema.CMessages, schema.Messages.IdempotencyKey, true},
		{schema.CShipments, schema.Shipments.TrackingNumber, true},
		{schema.CTrackingEvents, schema.TrackingEvents.DedupeKey, true},
		{schema.CAPITokens, schema.APITokens.Token, true},
	}
	for _, l := range lookups {
		var plan []struct {
			Detail string `db:"detail"`
		}
		q := "EXPLAIN QUERY PLAN SELECT * FROM " + l.table + " WHERE " + l.column + " = {:v} LIMIT 1"
		if err := app.DB().NewQuery(q).Bind(map[string]any{"v": "abc"}).All(&plan); err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, p := range plan {
			all = append(all, p.Detail)
		}
		joined := strings.Join(all, "; ")
		if used := strings.Contains(joined, "USING INDEX") || strings.Contains(joined, "USING COVERING INDEX"); used != l.indexed {
			t.Errorf("%s.%s lookup: index used = %v, want %v (%s)", l.table, l.column, used, l.indexed, joined)
		}
	}
}
