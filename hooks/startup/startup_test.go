package startup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"porchlight/content"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

func tree() *cobra.Command {
	root := &cobra.Command{Use: "porchlight"}
	root.PersistentFlags().String("dir", "pb_data", "")
	root.PersistentFlags().Bool("dev", false, "")
	serve := &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error { return nil }}
	serve.Flags().String("http", "", "")
	demo := &cobra.Command{Use: "demo", RunE: func(*cobra.Command, []string) error { return nil }}
	demo.Flags().Float64("speed", 1, "")
	root.AddCommand(serve, demo)
	return root
}

func TestCheckArgs(t *testing.T) {
	cases := []struct {
		args []string
		bad  string // substring of the error, "" = accepted
	}{
		{[]string{"serve"}, ""},
		{[]string{"serve", "--http", "127.0.0.1:1", "--dir", "x"}, ""},
		{[]string{"serve", "--http=127.0.0.1:1", "--dev"}, ""},
		{[]string{"--dir", "x", "demo", "--speed", "2"}, ""},
		{[]string{"demo", "--help"}, ""},
		{[]string{"serve", "--htp", "x"}, "unknown flag --htp"},
		{[]string{"demo", "--sped=3"}, "unknown flag --sped=3"},
		{[]string{"demo", "-z"}, "unknown flag -z"},
		{[]string{"srve"}, "unknown command"},
	}
	for _, c := range cases {
		err := checkArgs(tree(), c.args)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%v: unexpected error %v", c.args, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.bad)
		}
	}
}

func TestCheckDataDir(t *testing.T) {
	ok := filepath.Join(t.TempDir(), "pb_data")
	if err := checkDataDir(ok); err != nil {
		t.Fatalf("fresh dir: %v", err)
	}
	// A path under a regular file can never be created, even by root.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(file, "pb_data")
	err := checkDataDir(bad)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("unusable dir: err = %v, want one naming %s", err, bad)
	}
}

func TestSeedCreatesBrandAndGuidesOnceAndKeepsEdits(t *testing.T) {
	app := testapp.New(t)
	if err := Seed(app, content.FS); err != nil {
		t.Fatal(err)
	}
	guides, err := app.FindAllRecords(schema.CGuides)
	if err != nil || len(guides) < 5 {
		t.Fatalf("guides = %d, %v", len(guides), err)
	}
	g, err := app.FindFirstRecordByData(schema.CGuides, schema.Guides.Slug, "grinder-setup")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(g.GetString(schema.Guides.Body), "---") || g.GetString(schema.Guides.Title) == "" {
		t.Fatalf("front matter not parsed: %q", g.GetString(schema.Guides.Title))
	}
	// The merchant edits a guide; seeding again keeps the edit and adds nothing.
	g.Set(schema.Guides.Body, "merchant's own words")
	if err := app.Save(g); err != nil {
		t.Fatal(err)
	}
	if err := Seed(app, content.FS); err != nil {
		t.Fatal(err)
	}
	again, _ := app.FindAllRecords(schema.CGuides)
	if len(again) != len(guides) {
		t.Fatalf("reseed changed guide count %d -> %d", len(guides), len(again))
	}
	g2, _ := app.FindRecordById(schema.CGuides, g.Id)
	if g2.GetString(schema.Guides.Body) != "merchant's own words" {
		t.Fatal("reseed overwrote the merchant's edit")
	}
	if m, err := app.FindFirstRecordByData(schema.CGuides, schema.Guides.Slug, "connect-shopify"); err != nil || m.GetBool(schema.Guides.Published) {
		t.Fatalf("merchant guide connect-shopify: published=%v err=%v, want seeded unpublished", m != nil && m.GetBool(schema.Guides.Published), err)
	}
	if n, _ := app.CountRecords(schema.CBrand); n != 1 {
		t.Fatalf("brand records = %d", n)
	}
}
