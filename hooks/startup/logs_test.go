package startup

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"

	"porchlight/hooks/testapp"
)

// Successful shopper and webhook requests stay out of PocketBase's request
// log; the admin API and failed requests are still logged.
func TestShopperRequestsAreLoggedOnlyWhenTheyFail(t *testing.T) {
	app := testapp.New(t)
	app.Settings().Logs.MaxDays = 5 // a test app keeps no request log by default
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(QuietShopperLogs)
		ok := func(e *core.RequestEvent) error { return e.String(http.StatusOK, "ok") }
		se.Router.GET("/t/{token}", ok)
		se.Router.POST("/webhooks/test", ok)
		se.Router.GET("/api/porchlight/ping", ok)
		se.Router.GET("/t/{token}/broken", func(e *core.RequestEvent) error { return e.InternalServerError("broken", nil) })
		return se.Next()
	})
	h := testapp.Handler(t, app)
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/t/abc"}, {http.MethodPost, "/webhooks/test"}, {http.MethodGet, "/api/porchlight/ping"}, {http.MethodGet, "/t/abc/broken"},
	} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(r.method, r.path, nil))
	}
	// PocketBase logs each request from a goroutine and writes its log in
	// batches: flush until the two expected rows are there (or give up).
	batch, ok := app.Logger().Handler().(*logger.BatchHandler)
	if !ok {
		t.Fatalf("unexpected log handler %T", app.Logger().Handler())
	}
	got := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); len(got) < 2 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err := batch.WriteAll(context.Background()); err != nil {
			t.Fatal(err)
		}
		var logs []*core.Log
		if err := app.LogQuery().All(&logs); err != nil {
			t.Fatal(err)
		}
		for _, l := range logs {
			if u, ok := l.Data["url"].(string); ok {
				got[u] = true
			}
		}
	}
	want := map[string]bool{"/api/porchlight/ping": true, "/t/abc/broken": true}
	if len(got) != len(want) || !got["/api/porchlight/ping"] || !got["/t/abc/broken"] {
		t.Fatalf("logged requests %v, want %v", got, want)
	}
}
