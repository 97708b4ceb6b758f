// Package startup owns what happens when the binary starts: strict command
// line checking, the data directory check, the configuration summary and
// seeding the merchant-editable defaults (brand, guides) from embedded files.
package startup

import (
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"porchlight/hooks/brand"
	"porchlight/hooks/config"
	"porchlight/hooks/sqlitedb"
)

// Deps is what start-up needs.
type Deps struct {
	Config  config.Config
	Content fs.FS // embedded guides (content/guides/*.md)
}

// Register seeds defaults when the server starts and logs what is
// configured. Seeding never overwrites a merchant's edits.
func Register(app core.App, d Deps) error {
	forget := func(app core.App) {
		if err := sqlitedb.ForgetValueSamples(app.NonconcurrentDB()); err != nil {
			app.Logger().Warn("startup: forget SQLite value samples", "err", err)
		}
	}
	// Statistics come back with PocketBase's nightly PRAGMA optimize (at
	// midnight) and after every collection change.
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		forget(e.App)
		return nil
	})
	app.Cron().MustAdd("porchlightForgetValueSamples", "10 0 * * *", func() { forget(app) })
	afterSchema := func(e *core.CollectionEvent) error {
		forget(e.App)
		return e.Next()
	}
	app.OnCollectionAfterCreateSuccess().BindFunc(afterSchema)
	app.OnCollectionAfterUpdateSuccess().BindFunc(afterSchema)
	app.OnCollectionAfterDeleteSuccess().BindFunc(afterSchema)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(QuietShopperLogs)
		if err := Seed(se.App, d.Content); err != nil {
			return err
		}
		// Printed, not only logged: PocketBase's logger writes to the
		// database unless --dev, and the merchant reads the console.
		fmt.Fprintln(os.Stdout, "Porchlight configuration:")
		for _, line := range d.Config.Summary() {
			fmt.Fprintln(os.Stdout, "  "+line)
			se.App.Logger().Info("config: " + line)
		}
		return se.Next()
	})
	return nil
}

// QuietShopperLogs (bound to the router by Register) keeps PocketBase's
// request log (_logs) for failures only outside the admin and the REST API
// (/_/, /api/), as PocketBase's own static handler does. Shopper pages,
// links and webhooks are counted already (page_events, message clicks,
// webhook_receipts); a log row per page view carried the shopper's token
// URL and IP, and writing it cost ~6% of a page view's CPU and CPU a
// webhook burst needs for acknowledging.
func QuietShopperLogs(e *core.RequestEvent) error {
	if p := e.Request.URL.Path; strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/_/") {
		return e.Next()
	}
	return skipSuccessLog.Func(e)
}

var skipSuccessLog = apis.SkipSuccessActivityLog()

// Seed creates the brand record and the embedded guides when missing.
func Seed(app core.App, content fs.FS) error {
	if err := brand.Ensure(app, brand.Default()); err != nil {
		return err
	}
	return SeedGuides(app, content)
}

// Execute runs the command line like PocketBase's Execute, but an unknown
// command or flag, an unwritable data dir or a failing command is one clear
// line and a non-zero exit instead of a silent zero.
func Execute(app *pocketbase.PocketBase) error {
	root := app.RootCmd
	root.SilenceErrors, root.SilenceUsage = true, true
	root.FParseErrWhitelist.UnknownFlags = false
	if err := checkArgs(root, os.Args[1:]); err != nil {
		return err
	}
	var cmdErr error
	wrapRunE(root, &cmdErr)

	if needsData(root, os.Args[1:]) {
		if err := checkDataDir(app.DataDir()); err != nil {
			return err
		}
		if err := app.Bootstrap(); err != nil {
			return fmt.Errorf("start: %w", err)
		}
	}
	done := make(chan struct{}, 2)
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		done <- struct{}{}
	}()
	go func() {
		if err := root.Execute(); err != nil && cmdErr == nil {
			cmdErr = err
		}
		done <- struct{}{}
	}()
	<-done
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}, func(e *core.TerminateEvent) error {
		return e.App.ResetBootstrapState()
	}); err != nil && cmdErr == nil {
		cmdErr = err
	}
	return cmdErr
}

// checkArgs resolves the subcommand and rejects flags it does not know.
func checkArgs(root *cobra.Command, args []string) error {
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		var f *pflag.Flag
		if strings.HasPrefix(a, "--") {
			f = lookup(c, name)
		} else if len(name) > 0 {
			f = lookupShort(c, name[:1])
		}
		if f == nil {
			if name == "help" || name == "h" {
				continue
			}
			return fmt.Errorf("unknown flag %s for %q (see %s --help)", a, c.CommandPath(), c.CommandPath())
		}
		if !hasValue && f.NoOptDefVal == "" && strings.HasPrefix(a, "--") {
			i++ // the next argument is this flag's value
		}
	}
	return nil
}

func lookup(c *cobra.Command, name string) *pflag.Flag {
	if f := c.Flags().Lookup(name); f != nil {
		return f
	}
	if f := c.InheritedFlags().Lookup(name); f != nil {
		return f
	}
	return c.Root().PersistentFlags().Lookup(name)
}

func lookupShort(c *cobra.Command, sh string) *pflag.Flag {
	if f := c.Flags().ShorthandLookup(sh); f != nil {
		return f
	}
	return c.InheritedFlags().ShorthandLookup(sh)
}

func wrapRunE(c *cobra.Command, sink *error) {
	for _, sub := range c.Commands() {
		wrapRunE(sub, sink)
	}
	if c.RunE != nil {
		orig := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := orig(cmd, args)
			if err != nil {
				*sink = err
			}
			return err
		}
	}
}

// needsData reports whether the command touches the data dir (help and
// version do not).
func needsData(root *cobra.Command, args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-v" || a == "--version" {
			return false
		}
	}
	c, _, err := root.Find(args)
	return err == nil && c != root
}

// checkDataDir makes sure dir exists and is writable, naming it otherwise.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data dir %s cannot be created: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(filepath.Clean(name))
}
