// Package demo is the first thing a new user runs: `porchlight demo` seeds a
// realistic store (Fernhill Coffee Co.) on a fresh data dir and keeps it
// alive while serving: a simulated carrier moves parcels through scripted
// journeys on an accelerated clock and new orders keep arriving.
package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/spf13/cobra"

	"porchlight/hooks/clock"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking"
)

// Demo superuser credentials, printed at start. The demo binds to loopback.
const (
	AdminEmail    = "admin@porchlight.demo"
	AdminPassword = "porchlight-demo"
)

// Deps is what the demo needs.
type Deps struct {
	Clock    *clock.Settable // switched to an accelerated clock while the demo runs
	Tracking *tracking.Tracker
	// Seed is called after migrations, before the demo data, to create the
	// merchant-editable defaults (guides...). Optional.
	Seed func(core.App) error
}

// Command returns the `demo` command.
func Command(app core.App, d Deps) *cobra.Command {
	var (
		addr    string
		speed   float64
		seed    uint64
		tickDur time.Duration
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Seed a realistic demo store (first run only) and serve it while a simulated carrier keeps it moving",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if speed <= 0 || speed > 100000 {
				return fmt.Errorf("--speed must be between 0 and 100000 simulated days per real minute, got %v", speed)
			}
			if tickDur < 100*time.Millisecond {
				return fmt.Errorf("--tick must be at least 100ms, got %v", tickDur)
			}
			if err := app.RunAppMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			store := NewStore(d.Tracking, seed)
			start := time.Now().UTC()
			if latest, err := latestSimTime(app); err == nil && latest.After(start) {
				start = latest // resume where an earlier accelerated run left off
			}
			st, err := store.Seed(app, start)
			if err != nil {
				return err
			}
			if d.Seed != nil {
				if err := d.Seed(app); err != nil {
					return err
				}
			}
			if err := ensureSuperuser(app); err != nil {
				return err
			}
			// One simulated day per real minute at speed 1.
			d.Clock.Set(clock.NewAccelerated(start, speed*1440))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			routine.FireAndForget(func() { store.run(ctx, app, d.Clock, tickDur) })

			if err := printWelcome(cmd, app, addr, st, speed); err != nil {
				return err
			}
			err = apis.Serve(app, apis.ServeConfig{HttpAddr: addr, ShowStartBanner: false})
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&addr, "http", "127.0.0.1:8090", "address to serve on")
	cmd.Flags().Float64Var(&speed, "speed", 1, "simulated days per real minute")
	cmd.Flags().Uint64Var(&seed, "seed", 42, "random seed of the demo store")
	cmd.Flags().DurationVar(&tickDur, "tick", 2*time.Second, "how often (real time) the simulation advances")
	return cmd
}

func (s *Store) run(ctx context.Context, app core.App, clk clock.Clock, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Tick(app, clk.Now()); err != nil {
				app.Logger().Error("demo tick", "err", err)
			}
		}
	}
}

// latestSimTime is the newest order time in the store: after an accelerated
// run, simulated time is ahead of the wall clock and must not go back.
func latestSimTime(app core.App) (time.Time, error) {
	o := schema.Orders
	recs, err := app.FindRecordsByFilter(schema.COrders, o.Source+" = {:s}", "-"+o.PlacedAt, 1, 0, dbx.Params{"s": schema.SourceDemo})
	if err != nil || len(recs) == 0 {
		return time.Time{}, err
	}
	return recs[0].GetDateTime(o.PlacedAt).Time(), nil
}

func ensureSuperuser(app core.App) error {
	if _, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, AdminEmail); err == nil {
		return nil
	}
	col, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return fmt.Errorf("demo superuser: %w", err)
	}
	su := core.NewRecord(col)
	su.SetEmail(AdminEmail)
	su.SetPassword(AdminPassword)
	if err := app.Save(su); err != nil {
		return fmt.Errorf("demo superuser: %w", err)
	}
	return nil
}

// ExampleURLs picks three orders worth showing: one on its way, one
// delayed or in trouble, one delivered.
func ExampleURLs(app core.App) ([]string, error) {
	o := schema.Orders
	queries := []string{
		o.Status + " = 'in_transit' || " + o.Status + " = 'out_for_delivery'",
		o.Status + " = 'exception' || " + o.Status + " = 'attempt_fail'",
		o.Status + " = 'delivered'",
	}
	var out []string
	for _, q := range queries {
		recs, err := app.FindRecordsByFilter(schema.COrders, q, "-"+o.PlacedAt, 1, 0)
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			out = append(out, "/t/"+recs[0].GetString(o.AccessToken))
		}
	}
	return out, nil
}

func printWelcome(cmd *cobra.Command, app core.App, addr string, st Stats, speed float64) error {
	host := addr
	if h, p, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "0.0.0.0") {
		host = net.JoinHostPort("127.0.0.1", p)
	}
	base := "http://" + host
	urls, err := ExampleURLs(app)
	if err != nil {
		return fmt.Errorf("demo: example URLs: %w", err)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintln(w, strings.Repeat("─", 64))
	if st.Skipped {
		fmt.Fprintln(w, "Porchlight demo: Fernhill Coffee Co. (existing demo store, nothing re-seeded)")
	} else {
		fmt.Fprintf(w, "Porchlight demo: Fernhill Coffee Co. seeded with %d products, %d customers, %d orders, %d parcels, %d tracking events\n",
			st.Products, st.Customers, st.Orders, st.Shipments, st.Events)
	}
	fmt.Fprintf(w, "Simulated time runs at %.4g day(s) per real minute: parcels move and orders arrive while you watch.\n\n", speed)
	fmt.Fprintf(w, "  Admin:      %s/_/\n  Login:      %s / %s\n\n", base, AdminEmail, AdminPassword)
	fmt.Fprintf(w, "  Track page: %s/track\n", base)
	for _, u := range urls {
		fmt.Fprintf(w, "  Shopper:    %s%s\n", base, u)
	}
	fmt.Fprintln(w, strings.Repeat("─", 64))
	return nil
}
