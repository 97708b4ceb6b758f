package pages

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/demo"
	"porchlight/hooks/schema"
	"porchlight/hooks/startup"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking"
	pbpublic "porchlight/pb_public"
	"porchlight/templates"
)

// Page budget from the issue: everything a page loads, compressed.
const (
	budgetBytes    = 30 << 10
	budgetRequests = 5
)

// axePath is axe-core from e2e/ (npm ci there installs it).
var axePath = filepath.Join("..", "..", "e2e", "node_modules", "axe-core", "axe.min.js")

// browserPrereqs finds Debian's Chromium and axe-core. Missing ones fail the
// test in CI and skip it elsewhere.
func browserPrereqs(t *testing.T) (chromium string, axe []byte) {
	t.Helper()
	miss := func(what string) {
		msg := "browser tests need " + what
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (.ci/run installs it)")
		}
		t.Skip(msg + "; skipping outside CI")
	}
	for _, c := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(c); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		miss("Debian's chromium package")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		miss("axe-core (run `npm ci` in e2e/)")
	}
	return chromium, axe
}

// demoSite seeds the demo store and serves the real router on 127.0.0.1.
func demoSite(t *testing.T) (core.App, string) {
	t.Helper()
	now := time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
	app := testapp.New(t)
	clk := clock.NewFixed(now)
	trk := tracking.Register(app, tracking.Deps{Clock: clk})
	if _, err := Register(app, Deps{Clock: clk, Templates: templates.FS, Public: pbpublic.FS}); err != nil {
		t.Fatal(err)
	}
	if err := startup.SeedGuides(app, content.FS); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.NewStore(trk, 42).Seed(app, now); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(testapp.Handler(t, app))
	t.Cleanup(srv.Close)
	return app, srv.URL
}

func firstOrder(t *testing.T, app core.App, filter string) *core.Record {
	t.Helper()
	recs, err := app.FindRecordsByFilter(schema.COrders, filter, "-"+schema.Orders.PlacedAt, 1, 0)
	if err != nil || len(recs) == 0 {
		t.Fatalf("demo has no order with %s: %v", filter, err)
	}
	return recs[0]
}

type load struct {
	mu       sync.Mutex
	requests int
	bytes    float64
	urls     []string
}

func (l *load) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.requests++
		l.urls = append(l.urls, e.Request.URL)
	case *network.EventLoadingFinished:
		l.bytes += e.EncodedDataLength
	}
}

func TestBrowserShopperPages(t *testing.T) {
	chromium, axe := browserPrereqs(t)
	app, base := demoSite(t)

	o := schema.Orders
	transit := firstOrder(t, app, o.Status+" = 'in_transit'")
	trouble := firstOrder(t, app, o.Status+" = 'exception' || "+o.Status+" = 'attempt_fail'")
	delivered := firstOrder(t, app, o.Status+" = 'delivered'")
	ship, err := app.FindFirstRecordByData(schema.CShipments, schema.Shipments.Order, transit.Id)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-default-browser-check", true),
		chromedp.WindowSize(390, 844))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	pages := []struct {
		name, path string
		want       []string
	}{
		{"guide", "/guides/espresso-setup", []string{"On this page", "Before it arrives"}},
		{"lookup", "/track", []string{"Where's my order?", "Find my order"}},
		{"in transit", "/t/" + transit.GetString(o.AccessToken), []string{"Order " + transit.GetString(o.Number), "Report a problem", "Get delivery updates by text"}},
		{"in trouble", "/t/" + trouble.GetString(o.AccessToken), []string{"What you can do", "What happens next"}},
		{"delivered", "/t/" + delivered.GetString(o.AccessToken), []string{"Delivered"}},
		{"gift", "/g/" + transit.GetString(o.GiftToken), []string{"A gift is on its way to you"}},
		{"tracking number", "/track?number=" + ship.GetString(schema.Shipments.TrackingNumber), []string{"Track your order"}},
		{"german", "/t/" + transit.GetString(o.AccessToken) + "?lang=de", []string{"Bestellung", "Problem melden"}},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			// 1. JavaScript disabled, cold cache: what the shopper sees and
			// what the page costs.
			pctx, cancelPage := context.WithTimeout(bctx, 15*time.Second)
			defer cancelPage()
			tctx, cancelTab := chromedp.NewContext(pctx)
			defer cancelTab()
			l := &load{}
			if err := chromedp.Do(tctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
					return err
				}
				_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
				return err
			})); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Listen(tctx, l.listen); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tctx, chromedp.Navigate(base+pg.path), chromedp.WaitReady("main")); err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(tctx, chromedp.Text("body"))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range pg.want {
				if !strings.Contains(text, w) {
					t.Errorf("page shows no %q:\n%s", w, text)
				}
			}
			time.Sleep(150 * time.Millisecond) // let the last loadingFinished arrive
			l.mu.Lock()
			t.Logf("%s: %d requests, %.1f KB transferred", pg.path, l.requests, l.bytes/1024)
			if l.requests > budgetRequests || l.bytes > budgetBytes {
				t.Errorf("over budget: %d requests (max %d), %.0f bytes (max %d): %v", l.requests, budgetRequests, l.bytes, budgetBytes, l.urls)
			}
			l.mu.Unlock()

			// 2. axe-core with zero violations (JS on for axe only; the CSP
			// is bypassed for the injected script).
			actx, cancelAxe := chromedp.NewContext(pctx)
			defer cancelAxe()
			if err := chromedp.Do(actx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true})
				return err
			}), chromedp.Navigate(base+pg.path), chromedp.WaitReady("main")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(actx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
				t.Fatalf("inject axe: %v", err)
			}
			out, err := chromedp.Run(actx, chromedp.Evaluate[string](
				`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html)}))}))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe.run: %v", err)
			}
			var res struct {
				Passes     int              `json:"passes"`
				Violations []map[string]any `json:"violations"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if res.Passes == 0 {
				t.Errorf("axe checked nothing: %s", out)
			}
			if len(res.Violations) > 0 {
				t.Errorf("axe: %d violations: %s", len(res.Violations), out)
			}
			t.Logf("axe: %d rules passed, 0 violations", res.Passes)
		})
	}

	// Without JavaScript, a shopper can look an order up and report a
	// problem: plain forms, server redirects.
	t.Run("lookup and report without JavaScript", func(t *testing.T) {
		tctx, cancelTab := chromedp.NewContext(bctx)
		defer cancelTab()
		noJS := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
		number := strings.TrimPrefix(transit.GetString(o.Number), "#")
		if err := chromedp.Do(tctx, noJS, chromedp.Navigate(base+"/track"), chromedp.WaitVisible("#number"),
			chromedp.SendKeys("#number", number), chromedp.SendKeys("#contact", transit.GetString(o.Email)),
			chromedp.Click("button[type=submit]"), chromedp.WaitVisible("#help")); err != nil {
			t.Fatal(err)
		}
		loc, err := chromedp.Run(tctx, chromedp.Location())
		if err != nil || !strings.Contains(loc, "/t/"+transit.GetString(o.AccessToken)) {
			t.Fatalf("after lookup at %q (%v)", loc, err)
		}
		if err := chromedp.Do(tctx, chromedp.SendKeys("#message", "The box looks dented in the photo."),
			chromedp.Click("#help button[type=submit]"), chromedp.WaitVisible("#help [role=status]")); err != nil {
			t.Fatal(err)
		}
		n, err := app.CountRecords(schema.CHelpRequests, dbx.HashExp{schema.HelpRequests.Order: transit.Id})
		if err != nil || n != 1 {
			t.Errorf("help requests for the order: %d (%v)", n, err)
		}
	})
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("browser suite ran out of time")
	}
}
