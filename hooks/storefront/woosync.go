package storefront

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/woocommerce"
)

// WooConfig configures the WooCommerce catch-up sync.
type WooConfig struct {
	BaseURL, Key, Secret string
}

// Enabled reports whether the sync has what it needs.
func (c WooConfig) Enabled() bool { return c.BaseURL != "" && c.Key != "" && c.Secret != "" }

const wooSyncKey = "woocommerce_orders"

// SyncResult says what one catch-up run did.
type SyncResult struct {
	Seen    int       `json:"seen"`
	Changed int       `json:"changed"`
	Skipped int       `json:"skipped"`
	Cursor  time.Time `json:"cursor"`
}

// SyncWoo fetches every order modified since the stored cursor from the
// WooCommerce REST API and ingests it (the same idempotent path as the
// webhooks, so orders already received change nothing). The cursor only
// advances after the whole walk succeeded.
func (s *Storefront) SyncWoo(app core.App) (SyncResult, error) {
	var res SyncResult
	if !s.woo.Enabled() {
		return res, errors.New("woocommerce sync is not configured (WOOCOMMERCE_URL, WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET)")
	}
	if !s.syncing.TryLock() {
		return res, errors.New("woocommerce sync already running")
	}
	defer s.syncing.Unlock()
	st, err := syncState(app, wooSyncKey)
	if err != nil {
		return res, err
	}
	ss := schema.SyncState
	since := recTime(st, ss.Cursor)
	client := &woocommerce.Client{BaseURL: s.woo.BaseURL, Key: s.woo.Key, Secret: s.woo.Secret, HTTP: s.http, Clock: s.clock}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	newest := since
	var runErr error
	for page := 1; page <= 10_000; page++ {
		orders, more, err := client.OrdersModifiedSince(ctx, since, page)
		var pe *woocommerce.PageError
		if err != nil && !errors.As(err, &pe) {
			runErr = err
			break
		}
		if pe != nil {
			res.Skipped += len(pe.Skipped)
			app.Logger().Warn("woocommerce sync: skipped orders", "err", pe)
		}
		for _, o := range orders {
			res.Seen++
			var out Outcome
			err := app.RunInTransaction(func(tx core.App) error {
				var err error
				out, _, err = s.UpsertOrder(tx, o, Version{})
				return err
			})
			if err != nil {
				runErr = fmt.Errorf("ingest woocommerce order %s: %w", o.ExternalID, err)
				break
			}
			if out == Created || out == Updated {
				res.Changed++
			}
			if o.UpdatedAt.After(newest) {
				newest = o.UpdatedAt
			}
		}
		if runErr != nil || !more {
			break
		}
	}
	st.Set(ss.LastRunAt, schema.DBTime(s.clock.Now()))
	st.Set(ss.Processed, st.GetInt(ss.Processed)+res.Seen)
	if runErr != nil {
		st.Set(ss.LastError, clip(runErr.Error(), 1900))
	} else {
		st.Set(ss.LastError, "")
		st.Set(ss.Cursor, schema.DBTime(newest))
	}
	if err := app.Save(st); err != nil {
		return res, fmt.Errorf("save sync state: %w", err)
	}
	res.Cursor = recTime(st, ss.Cursor)
	return res, runErr
}

func syncState(app core.App, key string) (*core.Record, error) {
	ss := schema.SyncState
	recs, err := app.FindAllRecords(schema.CSyncState, dbx.HashExp{ss.Key: key})
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		return recs[0], nil
	}
	col, err := app.FindCachedCollectionByNameOrId(schema.CSyncState)
	if err != nil {
		return nil, err
	}
	rec := core.NewRecord(col)
	rec.Set(ss.Key, key)
	return rec, nil
}

func (s *Storefront) apiWooSync(e *core.RequestEvent) error {
	res, err := s.SyncWoo(e.App)
	if err != nil {
		e.App.Logger().Warn("woocommerce sync", "err", err)
		return e.JSON(502, map[string]any{"error": "sync failed; see the logs and sync_state", "result": res})
	}
	return e.JSON(200, res)
}

// SyncCommand returns `woocommerce sync`.
func SyncCommand(app core.App, s *Storefront) *cobra.Command {
	root := &cobra.Command{Use: "woocommerce", Short: "WooCommerce catch-up sync"}
	root.AddCommand(&cobra.Command{
		Use:   "sync",
		Short: "Fetch orders modified since the last sync from the WooCommerce REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAppMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			res, err := s.SyncWoo(app)
			if err != nil && res.Seen == 0 {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d order(s) seen, %d changed, %d skipped; cursor %s\n",
				res.Seen, res.Changed, res.Skipped, res.Cursor.Format(time.RFC3339))
			return err
		},
	})
	return root
}
