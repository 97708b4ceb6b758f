package inbox

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Command returns `inbox replay [--failed] [--since DATE] [--source S]`.
func Command(app core.App, in *Inbox) *cobra.Command {
	root := &cobra.Command{Use: "inbox", Short: "Inspect and replay stored webhook receipts"}
	var (
		failed bool
		since  string
		source string
	)
	replay := &cobra.Command{
		Use:   "replay",
		Short: "Process stored webhook receipts again (idempotent)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := ReplayFilter{Source: source, OnlyFailed: failed}
			if since != "" {
				t, err := parseSince(since)
				if err != nil {
					return err
				}
				f.Since = t
			}
			if err := app.RunAppMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			n, err := in.Replay(app, f)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "replayed %d receipt(s)\n", n)
			return nil
		},
	}
	replay.Flags().BoolVar(&failed, "failed", false, "only receipts that failed")
	replay.Flags().StringVar(&since, "since", "", "only receipts received since this date (YYYY-MM-DD or RFC 3339)")
	replay.Flags().StringVar(&source, "source", "", "only this source (shopify, woocommerce, easypost, ...)")
	root.AddCommand(replay)
	return root
}

func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q is not a date (YYYY-MM-DD or RFC 3339)", s)
}
