package pages

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Views holds every shopper page parsed once at start-up: each page template
// is parsed together with layout.html so their "body" blocks never collide.
type Views struct {
	pages  map[string]*template.Template
	assets map[string]string // file name -> fingerprinted URL
}

// overlay serves files from over when they exist there, else from base. It
// lets a merchant override a single template without copying all of them.
type overlay struct{ over, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if o.over != nil {
		if f, err := o.over.Open(name); err == nil {
			return f, nil
		}
	}
	return o.base.Open(name)
}

// TemplateFS returns the embedded templates with dir's files winning.
func TemplateFS(embedded fs.FS, dir string) (fs.FS, error) {
	if dir == "" {
		return embedded, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("templates dir %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("templates dir %s is not a directory", dir)
	}
	return overlay{over: os.DirFS(dir), base: embedded}, nil
}

// LoadViews parses layout.html with each other *.html page of tfs and
// fingerprints the static assets of public. A broken template is an error
// naming the file and line (html/template reports "template: track.html:12: ...").
func LoadViews(tfs, public fs.FS, funcs template.FuncMap) (*Views, error) {
	v := &Views{pages: map[string]*template.Template{}, assets: map[string]string{}}
	if err := v.fingerprint(public); err != nil {
		return nil, err
	}
	all := template.FuncMap{"asset": v.Asset}
	for k, f := range funcs {
		all[k] = f
	}
	names, err := fs.Glob(tfs, "*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	// The overlay may add pages the embedded set lacks; include them.
	if o, ok := tfs.(overlay); ok {
		extra, _ := fs.Glob(o.over, "*.html")
		names = append(names, extra...)
	}
	sort.Strings(names)
	layout, err := fs.ReadFile(tfs, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("templates: layout.html: %w", err)
	}
	for _, name := range names {
		if name == "layout.html" || v.pages[name] != nil {
			continue
		}
		src, err := fs.ReadFile(tfs, name)
		if err != nil {
			return nil, fmt.Errorf("templates: read %s: %w", name, err)
		}
		t, err := template.New("layout.html").Funcs(all).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("templates: parse layout.html: %w", err)
		}
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("templates: parse %s: %w", name, err)
		}
		// Escape now so contextual-escaping errors also surface at start-up.
		if err := t.Execute(&discard{}, nil); err != nil && isEscapeError(err) {
			return nil, fmt.Errorf("templates: %s: %w", name, err)
		}
		v.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return v, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func isEscapeError(err error) bool {
	var e *template.Error
	return errors.As(err, &e)
}

func (v *Views) fingerprint(public fs.FS) error {
	return fs.WalkDir(public, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(public, p)
		if err != nil {
			return fmt.Errorf("fingerprint %s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		v.assets[p] = "/" + p + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
}

// Asset returns the fingerprinted URL of a static file.
func (v *Views) Asset(name string) string {
	if u, ok := v.assets[path.Clean(name)]; ok {
		return u
	}
	return "/" + name
}

// Render executes page with data.
func (v *Views) Render(page string, data any) ([]byte, error) {
	t, ok := v.pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}
