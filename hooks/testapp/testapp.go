// Package testapp gives tests a real PocketBase app on a temp dir with
// Porchlight's migrations applied, plus an HTTP handler built from its
// router so several requests can hit the same app.
package testapp

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"porchlight/hooks/sqlitedb"
	_ "porchlight/migrations" // registers the schema
)

// New returns a fresh app with every migration applied, on the same
// database connection as the binary; it is cleaned up
// when the test ends.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir(),
		DataMaxOpenConns: sqlitedb.MaxOpenConns, DataMaxIdleConns: sqlitedb.MaxIdleConns, DBConnect: sqlitedb.Connect})
	if err != nil {
		t.Fatalf("test app: %v", err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// Handler triggers the app's OnServe hooks once (binding every registered
// route) and returns the resulting mux.
func Handler(t testing.TB, app core.App) http.Handler {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		var err error
		mux, err = e.Router.BuildMux()
		return err
	})
	if err != nil {
		t.Fatalf("serve hooks: %v", err)
	}
	return mux
}

// Superuser creates a superuser and returns an auth token for it.
func Superuser(t testing.TB, app core.App) string {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("root@porchlight.test")
	su.SetPassword("correct-horse-battery")
	if err := app.Save(su); err != nil {
		t.Fatal(err)
	}
	tok, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
