package pages

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	pbpublic "porchlight/pb_public"
	"porchlight/templates"
)

func TestEmbeddedTemplatesParse(t *testing.T) {
	v, err := LoadViews(templates.FS, pbpublic.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"track", "lookup", "message"} {
		if v.pages[p] == nil {
			t.Errorf("page %s not loaded", p)
		}
	}
	if u := v.Asset("style.css"); !strings.HasPrefix(u, "/style.css?v=") {
		t.Errorf("style.css not fingerprinted: %s", u)
	}
}

// A merchant's broken override stops start-up with a message naming the
// file and the line, instead of failing on a shopper's first visit.
func TestBrokenTemplateFailsWithFileAndLine(t *testing.T) {
	dir := t.TempDir()
	broken := "{{define \"title\"}}x{{end}}\n{{define \"body\"}}\n<p>{{.Order.Number</p>\n{{end}}\n"
	if err := os.WriteFile(filepath.Join(dir, "track.html"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	tfs, err := TemplateFS(templates.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadViews(tfs, pbpublic.FS, nil)
	if err == nil {
		t.Fatal("broken template accepted")
	}
	if !strings.Contains(err.Error(), "track.html:3") {
		t.Fatalf("error %q does not name track.html line 3", err)
	}
}

func TestBrokenLayoutAndMissingDir(t *testing.T) {
	fsys := fstest.MapFS{
		"layout.html": {Data: []byte("<html>{{block \"body\" .}}{{end}</html>")},
		"page.html":   {Data: []byte(`{{define "body"}}hi{{end}}`)},
	}
	if _, err := LoadViews(fsys, fstest.MapFS{}, nil); err == nil || !strings.Contains(err.Error(), "layout.html") {
		t.Fatalf("broken layout: err = %v", err)
	}
	if _, err := TemplateFS(templates.FS, filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing override dir: err = %v", err)
	}
}
