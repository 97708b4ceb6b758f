package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/inbox"
	"porchlight/hooks/notify"
	"porchlight/hooks/pages"
	"porchlight/hooks/startup"
	"porchlight/hooks/tracking"
	pbpublic "porchlight/pb_public"
	"porchlight/templates"
)

// profilePage serves the tracking page in this process (the same pages
// capability the binary registers, on the seeded data dir) under a CPU
// profile, since the server itself cannot be instrumented from here.
func profilePage(dataDir string, ds *dataset, conc int, d time.Duration, out string) error {
	app, err := bootstrap(dataDir)
	if err != nil {
		return err
	}
	defer app.ResetBootstrapState()
	tfs, err := pages.TemplateFS(templates.FS, "")
	if err != nil {
		return err
	}
	if _, err := pages.Register(app, pages.Deps{Clock: clock.Real{}, Templates: tfs, Public: pbpublic.FS}); err != nil {
		return err
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(startup.QuietShopperLogs) // as startup.Register does for the server
		return se.Next()
	})
	// As the server does on shutdown: the page-view writer flushes and stops
	// before the database closes.
	defer func() { _ = app.OnTerminate().Trigger(&core.TerminateEvent{App: app}) }()
	r, err := apis.NewRouter(app)
	if err != nil {
		return err
	}
	var mux http.Handler
	if err := app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		var err error
		mux, err = e.Router.BuildMux()
		return err
	}); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	// Waiting shows up here, not in the CPU profile.
	runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	runtime.SetMutexProfileFraction(5)
	var wg sync.WaitGroup
	var mu sync.Mutex
	n, bad := 0, 0
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 3))
			k, b := 0, 0
			for time.Since(start) < d {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/t/"+ds.Tokens[rng.IntN(len(ds.Tokens))], nil))
				_, _ = io.Copy(io.Discard, rec.Body)
				if rec.Code != http.StatusOK {
					b++
				}
				k++
			}
			mu.Lock()
			n, bad = n+k, bad+b
			mu.Unlock()
		}(uint64(w) + 1)
	}
	wg.Wait()
	pprof.StopCPUProfile()
	for _, kind := range []string{"block", "mutex"} {
		if bf, err := os.Create(out + "." + kind); err == nil {
			_ = pprof.Lookup(kind).WriteTo(bf, 0)
			bf.Close()
		}
	}
	el := time.Since(start)
	logf("in-process tracking page: %d requests (%d not 200) in %s = %.0f req/s; CPU profile in %s, waits in %[5]s.block and %[5]s.mutex (go tool pprof -top FILE)",
		n, bad, el.Round(time.Millisecond), float64(n)/el.Seconds(), out)
	if bad > 0 {
		return fmt.Errorf("in-process page answered %d errors", bad)
	}
	return nil
}

// profileIngest stores n signed EasyPost events in the inbox and processes
// them with the same inbox, tracking and notify wiring as the binary, under
// a CPU profile: where the webhook worker's time goes.
func profileIngest(dataDir string, ds *dataset, n int, out string) error {
	app, err := bootstrap(dataDir)
	if err != nil {
		return err
	}
	defer app.ResetBootstrapState()
	clk := clock.Real{}
	cfg := config.Config{EasyPostSecret: webhookSecret}
	in := inbox.New(inbox.Deps{Clock: clk})
	adapters, tracker, err := tracking.DefaultAdapters(cfg, clk)
	if err != nil {
		return err
	}
	tracking.Register(app, tracking.Deps{Clock: clk, Inbox: in, Adapters: adapters, Tracker: tracker})
	if _, err := notify.Register(app, notify.Deps{Clock: clk, Config: cfg, Inbox: in, Content: content.FS}); err != nil {
		return err
	}
	w := newWebhooks(ds.Parcels, time.Now())
	rng := rand.New(rand.NewPCG(11, 11))
	start := time.Now()
	for i := 0; i < n; i++ {
		body, id := w.body(rng)
		if _, _, err := in.Store(app, inbox.Receipt{Source: "easypost", Topic: "tracker.updated", DeliveryID: id, EventID: id, Body: body}); err != nil {
			return err
		}
	}
	stored := time.Since(start)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	start = time.Now()
	done := 0
	for {
		k, err := in.ProcessDue(app, 100)
		if err != nil {
			pprof.StopCPUProfile()
			return err
		}
		if k == 0 {
			break
		}
		done += k
	}
	pprof.StopCPUProfile()
	el := time.Since(start)
	logf("in-process ingest: stored %d receipts in %s (%.0f/s), processed %d in %s (%.1f/s); CPU profile in %s",
		n, stored.Round(time.Millisecond), float64(n)/stored.Seconds(), done, el.Round(time.Millisecond), float64(done)/el.Seconds(), out)
	return nil
}
