package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// relExternal is set on links that leave the shopper page, so the target
// gets neither a window.opener handle nor the tokenised tracking URL as
// referrer.
const relExternal = "noopener noreferrer"

// sanitize vets every link and image URL in doc. A link with an unsafe URL
// is unwrapped to its text, an unsafe image becomes its alt text, and
// absolute links get rel="noopener noreferrer". goldmark already blanks
// javascript: and most data: URLs; this also catches the ones it lets
// through (data:image/*, obfuscated schemes, autolinks) and anything that is
// not plainly http(s), mailto, tel or relative.
func sanitize(doc ast.Node, src []byte) {
	var fix []func()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			kind := classify(string(l.Destination), linkSchemes)
			switch kind {
			case urlUnsafe:
				fix = append(fix, func() { unwrap(l) })
			case urlExternal:
				l.SetAttributeString("rel", []byte(relExternal))
			}
		case *ast.AutoLink:
			url := string(l.URL(src))
			if l.AutoLinkType == ast.AutoLinkEmail {
				break // rendered as mailto: by goldmark
			}
			switch classify(url, linkSchemes) {
			case urlUnsafe:
				label := l.Label(src)
				fix = append(fix, func() { replace(l, ast.NewString(append([]byte(nil), label...))) })
			case urlExternal:
				l.SetAttributeString("rel", []byte(relExternal))
			}
		case *ast.Image:
			if classify(string(l.Destination), imageSchemes) == urlUnsafe {
				alt := plainText(l, src)
				fix = append(fix, func() { replace(l, ast.NewString([]byte(alt))) })
				return ast.WalkSkipChildren, nil
			}
			l.SetAttributeString("loading", []byte("lazy"))
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fix {
		f()
	}
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

func replace(old, with ast.Node) {
	if parent := old.Parent(); parent != nil {
		parent.ReplaceChild(parent, old, with)
	}
}

type urlKind int

const (
	urlUnsafe urlKind = iota
	urlRelative
	urlExternal
)

var (
	linkSchemes  = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}
	imageSchemes = map[string]bool{"http": true, "https": true}
)

// classify decides whether raw may be used as an href or src. Browsers
// ignore ASCII whitespace and control characters inside a scheme
// ("java\tscript:"), so those are dropped before the scheme is read, after
// character references are decoded as the renderer will ("&#106;avascript:").
func classify(raw string, allowed map[string]bool) urlKind {
	raw = html.UnescapeString(raw)
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c > ' ' && c != 0x7f {
			b.WriteByte(c)
		}
	}
	u := strings.ToLower(b.String())
	// A backslash is read as a slash by browsers ("/\evil.example").
	u = strings.ReplaceAll(u, `\`, "/")
	if strings.HasPrefix(u, "//") {
		return urlExternal
	}
	end := strings.IndexAny(u, ":/?#")
	if end < 0 || u[end] != ':' {
		return urlRelative // no scheme: a path, query or fragment
	}
	scheme := u[:end]
	if !allowed[scheme] {
		return urlUnsafe
	}
	if scheme == "http" || scheme == "https" {
		return urlExternal
	}
	return urlRelative
}
