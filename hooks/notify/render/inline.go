package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inlineCSS moves the rules of every <style> element into style attributes,
// as email clients that strip <head> styles (Gmail apps, Outlook) require.
// Rules that cannot live in an attribute (@media, pseudo-classes) stay in a
// single <style> element in <head> as progressive enhancement.
//
// Selectors are matched with cascadia (the engine behind goquery) and the
// cascade follows CSS: specificity, then source order, then the element's
// own style attribute, with !important declarations winning over both.
// The stylesheet is ours (email.css), so the parser handles plain rule sets
// and at-rule blocks, not the whole of CSS Syntax Level 3.
//
// before, when set, may adjust the parsed document first (add classes).
func inlineCSS(doc string, before func(root *html.Node)) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", fmt.Errorf("parse email html: %w", err)
	}
	if before != nil {
		before(root)
	}
	var sheets []string
	var styleNodes []*html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Style {
			styleNodes = append(styleNodes, n)
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				b.WriteString(c.Data)
			}
			sheets = append(sheets, b.String())
		}
	}
	var rules []cssRule
	var keep []string
	for _, s := range sheets {
		r, k := parseCSS(s)
		rules = append(rules, r...)
		keep = append(keep, k...)
	}
	for _, n := range styleNodes {
		n.Parent.RemoveChild(n)
	}
	if len(keep) > 0 {
		if head := findFirst(root, atom.Head); head != nil {
			style := &html.Node{Type: html.ElementNode, Data: "style", DataAtom: atom.Style}
			style.AppendChild(&html.Node{Type: html.TextNode, Data: strings.Join(keep, "\n")})
			head.AppendChild(style)
		}
	}
	body := findFirst(root, atom.Body)
	if body != nil {
		for n := range body.Descendants() {
			if n.Type == html.ElementNode {
				applyRules(n, rules)
			}
		}
		applyRules(body, rules)
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return "", fmt.Errorf("render email html: %w", err)
	}
	return buf.String(), nil
}

type cssDecl struct {
	prop, value string
	important   bool
}

type cssRule struct {
	sel   cascadia.Sel
	spec  cascadia.Specificity
	order int
	decls []cssDecl
}

// parseCSS splits a stylesheet into inlinable rules and blocks to keep.
func parseCSS(css string) (rules []cssRule, keep []string) {
	css = stripComments(css)
	order := 0
	for {
		css = strings.TrimSpace(css)
		if css == "" {
			return rules, keep
		}
		open := strings.IndexByte(css, '{')
		if open < 0 {
			return rules, keep
		}
		prelude := strings.TrimSpace(css[:open])
		end := matchingBrace(css, open)
		if end < 0 {
			return rules, keep
		}
		block := css[open+1 : end]
		whole := css[:end+1]
		css = css[end+1:]
		if strings.HasPrefix(prelude, "@") {
			keep = append(keep, strings.TrimSpace(whole))
			continue
		}
		decls := parseDecls(block)
		var kept []string
		for _, one := range strings.Split(prelude, ",") {
			one = strings.TrimSpace(one)
			sel, err := cascadia.Parse(one)
			if err != nil || strings.Contains(one, ":") {
				// Pseudo-classes and anything cascadia cannot match stay in <style>.
				kept = append(kept, one)
				continue
			}
			rules = append(rules, cssRule{sel: sel, spec: sel.Specificity(), order: order, decls: decls})
			order++
		}
		if len(kept) > 0 {
			keep = append(keep, strings.Join(kept, ", ")+" {"+block+"}")
		}
	}
}

func stripComments(s string) string {
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+2+j+2:]
	}
}

func matchingBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func parseDecls(block string) []cssDecl {
	var out []cssDecl
	for _, d := range strings.Split(block, ";") {
		prop, value, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		value = strings.TrimSpace(value)
		important := false
		if v, found := strings.CutSuffix(value, "!important"); found {
			value, important = strings.TrimSpace(v), true
		}
		if prop != "" && value != "" {
			out = append(out, cssDecl{prop: prop, value: value, important: important})
		}
	}
	return out
}

func applyRules(n *html.Node, rules []cssRule) {
	var matched []cssRule
	for _, r := range rules {
		if r.sel.Match(n) {
			matched = append(matched, r)
		}
	}
	existing := ""
	idx := -1
	for i, a := range n.Attr {
		if a.Key == "style" {
			existing, idx = a.Val, i
		}
	}
	if len(matched) == 0 {
		return
	}
	slices.SortStableFunc(matched, func(a, b cssRule) int {
		if a.spec.Less(b.spec) {
			return -1
		}
		if b.spec.Less(a.spec) {
			return 1
		}
		return a.order - b.order
	})
	var props []string
	values := map[string]cssDecl{}
	set := func(d cssDecl) {
		if old, ok := values[d.prop]; ok && old.important && !d.important {
			return
		}
		if _, ok := values[d.prop]; !ok {
			props = append(props, d.prop)
		}
		values[d.prop] = d
	}
	for _, r := range matched {
		for _, d := range r.decls {
			set(d)
		}
	}
	for _, d := range parseDecls(existing) {
		set(d)
	}
	var b strings.Builder
	for _, p := range props {
		d := values[p]
		b.WriteString(p + ":" + d.value)
		if d.important {
			b.WriteString(" !important")
		}
		b.WriteByte(';')
	}
	if idx >= 0 {
		n.Attr[idx].Val = b.String()
	} else {
		n.Attr = append(n.Attr, html.Attribute{Key: "style", Val: b.String()})
	}
}

func findFirst(root *html.Node, a atom.Atom) *html.Node {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == a {
			return n
		}
	}
	return nil
}

// hasClass reports whether n's class attribute lists c.
func hasClass(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), c) {
			return true
		}
	}
	return false
}

func addClass(n *html.Node, c string) {
	for i, a := range n.Attr {
		if a.Key == "class" {
			n.Attr[i].Val = strings.TrimSpace(a.Val + " " + c)
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: c})
}
