// Package markdown renders merchant-edited guides and FAQs to HTML that is
// safe to drop into a shopper page: CommonMark plus GFM tables, strike-
// through, task lists and autolinks, with heading anchors and a table of
// contents.
//
// Merchants are trusted to write content, not markup: raw HTML never passes
// through (goldmark's default renderer replaces it with a comment), link and
// image URLs are limited to safe schemes, and heading attributes syntax is
// not enabled, so no author can add an event handler or a script.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxSourceBytes bounds what Render accepts. Guides are a few kilobytes;
// the cap keeps a pasted blob from tying up a request.
const MaxSourceBytes = 1 << 20

// ErrTooLarge is returned by Render for input over MaxSourceBytes.
var ErrTooLarge = errors.New("markdown: source too large")

// Heading is one entry of a guide's table of contents.
type Heading struct {
	Level int    // 1–6
	ID    string // anchor, unique within the document
	Text  string // plain text of the heading
}

// Render converts Markdown to sanitised HTML and returns the document's
// headings in order, each with the id its element carries. src is the
// document body: strip front matter first with ParseFrontMatter.
func Render(src []byte) (template.HTML, []Heading, error) {
	if len(src) > MaxSourceBytes {
		return "", nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(src), MaxSourceBytes)
	}
	src = defuse(bound(src))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	doc := md.Parser().Parse(text.NewReader(src))

	toc := assignHeadingIDs(doc, src)
	sanitize(doc, src)

	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return "", nil, fmt.Errorf("markdown: render: %w", err)
	}
	// The renderer escapes all text and attribute values, raw HTML is
	// omitted and URLs were vetted by sanitize, so the output is safe HTML.
	return template.HTML(buf.String()), toc, nil // #nosec G203 -- sanitised above
}

// maxIDLen keeps anchors readable in a URL.
const maxIDLen = 64

// assignHeadingIDs gives every heading an id made from its plain text:
// lowercase ASCII letters and digits with accents folded ("Étape 2" ->
// "etape-2"), other letters kept, runs of anything else as one "-", made
// unique with "-2", "-3"…
func assignHeadingIDs(doc ast.Node, src []byte) []Heading {
	var toc []Heading
	used := map[string]bool{}
	next := map[string]int{} // base -> next suffix to try
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		label := plainText(h, src)
		base := slug(label)
		if base == "" {
			base = "section"
		}
		id := base
		if used[id] {
			n := max(next[base], 2)
			for {
				id = fmt.Sprintf("%s-%d", base, n)
				n++
				if !used[id] {
					break
				}
			}
			next[base] = n
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
		toc = append(toc, Heading{Level: h.Level, ID: id, Text: label})
		return ast.WalkSkipChildren, nil
	})
	return toc
}

func slug(s string) string {
	folded := s
	if !isASCII(s) {
		f, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
		if err == nil {
			folded = f
		}
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= maxIDLen {
			break
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// plainText concatenates the text inside n, ignoring markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
