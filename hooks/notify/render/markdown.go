package render

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// How values reach Markdown safely: the template is expanded with every
// value replaced by an opaque alphanumeric token carrying a per-render random
// nonce. goldmark parses text that contains no shopper- or carrier-supplied
// characters at all, so no value can open a link, emphasis, a list or raw
// HTML. Tokens are then swapped back per output context: HTML-escaped in the
// HTML, raw in the plain text, and percent-encoded or URL-checked inside
// link destinations (see prepareLinks).

type tokens struct {
	nonce  string
	re     *regexp.Regexp
	values []string
	buf    strings.Builder
}

func newTokens() *tokens {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	nonce := hex.EncodeToString(b[:])
	return &tokens{nonce: nonce, re: regexp.MustCompile("plv" + nonce + `x(\d+)y`)}
}

func (t *tokens) literal(s string) { t.buf.WriteString(s) }

func (t *tokens) value(v string) {
	fmt.Fprintf(&t.buf, "plv%sx%dy", t.nonce, len(t.values))
	t.values = append(t.values, v)
}

func (t *tokens) replace(s string, f func(string) string) string {
	if !strings.Contains(s, "plv"+t.nonce) {
		return s
	}
	return t.re.ReplaceAllStringFunc(s, func(tok string) string {
		m := t.re.FindStringSubmatch(tok)
		i, err := strconv.Atoi(m[1])
		if err != nil || i < 0 || i >= len(t.values) {
			return ""
		}
		return f(t.values[i])
	})
}

func (t *tokens) raw(s string) string  { return t.replace(s, func(v string) string { return v }) }
func (t *tokens) html(s string) string { return t.replace(s, html.EscapeString) }

// whole returns the value when s is exactly one token.
func (t *tokens) whole(s string) (string, bool) {
	loc := t.re.FindStringSubmatchIndex(s)
	if loc == nil || loc[0] != 0 || loc[1] != len(s) {
		return "", false
	}
	i, _ := strconv.Atoi(s[loc[2]:loc[3]])
	if i >= len(t.values) {
		return "", false
	}
	return t.values[i], true
}

// destination computes a final link target from the raw destination bytes.
// A destination that is exactly one variable must itself be a safe URL; a
// variable inside a longer URL ("https://shop/track?o={{order.number}}") is
// percent-encoded so it cannot change the scheme, host or add parameters.
// Anything that does not end up an absolute http(s) (or, for links, mailto:
// or tel:) URL yields "" and the link is rendered as plain text.
func (t *tokens) destination(raw []byte, links, resolve bool) string {
	d := raw
	if resolve {
		d = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(raw)))
	}
	s := strings.TrimSpace(string(d))
	if v, ok := t.whole(s); ok {
		return cleanURL(v, links)
	}
	return cleanURL(t.replace(s, escapeURLComponent), links)
}

// escapeURLComponent percent-encodes everything but RFC 3986 unreserved
// characters, which is correct in a path segment and in a query value.
func escapeURLComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// markdown renders expanded Markdown (with tokens) to an HTML fragment and
// plain text. Raw HTML in the template is dropped (goldmark's default).
func markdown(t *tokens) (htmlOut, textOut string, err error) {
	src := []byte(t.buf.String())
	md := goldmark.New(
		goldmark.WithRendererOptions(
			ghtml.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(linkRenderer{}, 100)),
		),
	)
	doc := md.Parser().Parse(text.NewReader(src))
	prepareLinks(doc, src, t)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return "", "", fmt.Errorf("render markdown: %w", err)
	}
	out := t.html(buf.String())
	out = strings.ReplaceAll(out, "<!-- raw HTML omitted -->", "")
	out = strings.ReplaceAll(out, "<p></p>\n", "")
	return out, plainText(doc, src, t), nil
}

// prepareLinks replaces every link, image and autolink destination with its
// final, checked URL, and titles with their final text, so linkRenderer only
// has to escape. Autolinks become ordinary links.
func prepareLinks(doc ast.Node, src []byte, t *tokens) {
	var autos []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = []byte(t.destination(n.Destination, true, true))
			if n.Title != nil {
				n.Title = []byte(t.raw(string(resolveText(n.Title))))
			}
		case *ast.Image:
			n.Destination = []byte(t.destination(n.Destination, false, true))
			if n.Title != nil {
				n.Title = []byte(t.raw(string(resolveText(n.Title))))
			}
		case *ast.AutoLink:
			autos = append(autos, n)
		}
		return ast.WalkContinue, nil
	})
	for _, a := range autos {
		dest := a.URL(src)
		if a.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
			dest = append([]byte("mailto:"), dest...)
		}
		link := ast.NewLink()
		link.Destination = []byte(t.destination(dest, true, false))
		label := ast.NewString(bytes.Clone(a.Label(src)))
		label.SetRaw(true)
		link.AppendChild(link, label)
		if p := a.Parent(); p != nil {
			p.ReplaceChild(p, a, link)
		}
	}
}

func resolveText(b []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b)))
}

// linkRenderer renders links and images whose Destination prepareLinks has
// already made final; an empty destination renders the content unlinked.
type linkRenderer struct{}

func (linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderImage)
}

func renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if len(n.Destination) == 0 {
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.Destination, false)))
	_ = w.WriteByte('"')
	if len(n.Title) > 0 {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	// Tokens in the alt text stay tokens here and are HTML-escaped later.
	alt := inlineText(n, src, func(s string) string { return s }, false)
	if len(n.Destination) == 0 {
		_, _ = w.Write(util.EscapeHTML([]byte(alt)))
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.Destination, false)))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(alt)))
	_ = w.WriteByte('"')
	if len(n.Title) > 0 {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkSkipChildren, nil
}
