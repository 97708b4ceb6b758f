package storefront

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"porchlight/hooks/storefront/csvimport"
	"porchlight/hooks/storefront/model"
)

// ImportReport says what a CSV import did.
type ImportReport struct {
	Format    string               `json:"format,omitempty"`
	Created   int                  `json:"created"`
	Updated   int                  `json:"updated"`
	Unchanged int                  `json:"unchanged"`
	Errors    []csvimport.RowError `json:"errors"`
}

// ImportOptions tune ImportCSV.
type ImportOptions struct {
	Size int64
	// Progress is called with a fraction 0..1 while reading and writing.
	Progress func(done float64)
}

// ImportCSV reads an orders CSV (Porchlight's columns or Shopify's orders
// export) and ingests every order that parsed cleanly, each in its own
// transaction: a bad row never half-imports its order, and importing the
// same file again changes nothing.
func (s *Storefront) ImportCSV(app core.App, r io.Reader, opt ImportOptions) (ImportReport, error) {
	progress := opt.Progress
	if progress == nil {
		progress = func(float64) {}
	}
	orders, rowErrs, err := csvimport.ParseWithOptions(r, csvimport.Options{Size: opt.Size, Progress: func(p csvimport.Progress) {
		if p.TotalBytes > 0 {
			progress(0.5 * float64(p.Bytes) / float64(p.TotalBytes))
		}
	}})
	rep := ImportReport{Errors: rowErrs}
	if rep.Errors == nil {
		rep.Errors = []csvimport.RowError{}
	}
	if err != nil {
		return rep, err
	}
	for i, o := range orders {
		var out Outcome
		err := app.RunInTransaction(func(tx core.App) error {
			var err error
			out, _, err = s.UpsertOrder(tx, o, Version{})
			return err
		})
		if err != nil {
			rep.Errors = append(rep.Errors, csvimport.RowError{Reason: "could not store: " + err.Error(), Order: o.Number})
			continue
		}
		switch out {
		case Created:
			rep.Created++
		case Updated:
			rep.Updated++
		default:
			rep.Unchanged++
		}
		progress(0.5 + 0.5*float64(i+1)/float64(len(orders)))
	}
	progress(1)
	return rep, nil
}

// apiImport is POST /api/porchlight/import (superusers): the CSV as a
// multipart "file" field or as the raw body.
func (s *Storefront) apiImport(e *core.RequestEvent) error {
	var r io.Reader = e.Request.Body
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		f, _, err := e.Request.FormFile("file")
		if err != nil {
			return e.JSON(http.StatusBadRequest, FieldErrors{Errors: []model.FieldError{{Field: "file", Error: "is required (a CSV file)"}}})
		}
		defer f.Close()
		r = f
	}
	rep, err := s.ImportCSV(e.App, r, ImportOptions{})
	if err != nil {
		return e.JSON(http.StatusBadRequest, map[string]any{"error": err.Error(), "errors": rep.Errors})
	}
	return e.JSON(http.StatusOK, rep)
}

// ImportCommand returns `import orders FILE.csv`.
func ImportCommand(app core.App, s *Storefront) *cobra.Command {
	root := &cobra.Command{Use: "import", Short: "Import data from files"}
	orders := &cobra.Command{
		Use:   "orders FILE.csv",
		Short: "Import orders from a CSV (Porchlight columns or Shopify's orders export); safe to repeat",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			var size int64
			if st, err := f.Stat(); err == nil {
				size = st.Size()
			}
			if err := app.RunAppMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			stderr := cmd.ErrOrStderr()
			bar := newBar(stderr)
			rep, err := s.ImportCSV(app, f, ImportOptions{Size: size, Progress: bar.set})
			bar.done()
			for _, re := range rep.Errors {
				fmt.Fprintln(stderr, args[0]+":", re.Error())
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d created, %d updated, %d unchanged, %d error(s)\n",
				rep.Created, rep.Updated, rep.Unchanged, len(rep.Errors))
			if len(rep.Errors) > 0 {
				return fmt.Errorf("%d row error(s); the other orders were imported", len(rep.Errors))
			}
			return nil
		},
	}
	root.AddCommand(orders)
	return root
}

// bar draws a progress bar on a terminal and nothing otherwise.
type bar struct {
	w    io.Writer
	on   bool
	last int
}

func newBar(w io.Writer) *bar {
	b := &bar{w: w, last: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.on = true
		}
	}
	return b
}

func (b *bar) set(frac float64) {
	if !b.on {
		return
	}
	pct := int(frac * 100)
	if pct == b.last {
		return
	}
	b.last = pct
	n := pct * 30 / 100
	fmt.Fprintf(b.w, "\r[%s%s] %3d%%", strings.Repeat("#", n), strings.Repeat(" ", 30-n), pct)
}

func (b *bar) done() {
	if b.on && b.last >= 0 {
		fmt.Fprintln(b.w)
	}
}
