// Command porchlight is a self-hosted post-purchase companion for small
// online stores: branded tracking, delivery estimates, email/SMS updates,
// returns, surveys and insights, in one binary on PocketBase.
//
// main only wires: configuration, migrations, embedded assets and each
// capability's Register.
package main

import (
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/demo"
	"porchlight/hooks/inbox"
	"porchlight/hooks/notify"
	"porchlight/hooks/pages"
	"porchlight/hooks/sqlitedb"
	"porchlight/hooks/startup"
	"porchlight/hooks/storefront"
	"porchlight/hooks/tracking"
	_ "porchlight/migrations"
	pbpublic "porchlight/pb_public"
	"porchlight/templates"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "porchlight:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	startup.TuneGC(os.Getenv)
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: "pb_data",
		DataMaxOpenConns: sqlitedb.MaxOpenConns, DataMaxIdleConns: sqlitedb.MaxIdleConns, DBConnect: sqlitedb.Connect})
	clk := clock.NewSettable(clock.Real{})

	tfs, err := pages.TemplateFS(templates.FS, cfg.TemplatesDir)
	if err != nil {
		return err
	}
	if err := startup.Register(app, startup.Deps{Config: cfg, Content: content.FS}); err != nil {
		return err
	}
	if _, err := pages.Register(app, pages.Deps{Clock: clk, Templates: tfs, Public: pbpublic.FS}); err != nil {
		return err
	}
	in := inbox.Register(app, inbox.Deps{Clock: clk})
	adapters, tracker, err := tracking.DefaultAdapters(cfg, clk)
	if err != nil {
		return err
	}
	trk := tracking.Register(app, tracking.Deps{Clock: clk, Inbox: in, Adapters: adapters, Tracker: tracker})
	if _, err := notify.Register(app, notify.Deps{Clock: clk, Config: cfg, Inbox: in, Content: content.FS}); err != nil {
		return err
	}
	sf := storefront.Register(app, storefront.Deps{Clock: clk, Inbox: in, Tracker: trk,
		ShopifySecret: cfg.ShopifySecret, WooSecret: cfg.WooSecret, Woo: storefront.WooConfig{BaseURL: cfg.WooURL, Key: cfg.WooKey, Secret: cfg.WooConsumerSecret}})
	app.RootCmd.AddCommand(storefront.ImportCommand(app, sf), storefront.SyncCommand(app, sf))
	app.RootCmd.AddCommand(demo.Command(app, demo.Deps{Clock: clk, Tracking: trk,
		Seed: func(a core.App) error { return startup.Seed(a, content.FS) }}))

	app.RootCmd.AddCommand(inbox.Command(app, in))
	app.RootCmd.AddCommand(cmd.NewSuperuserCommand(app))
	app.RootCmd.AddCommand(cmd.NewServeCommand(app, true))
	return startup.Execute(app)
}
