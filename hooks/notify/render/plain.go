package render

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// plainText derives the text/plain alternative from the same Markdown AST
// the HTML came from: paragraphs separated by blank lines, "- " and "1. "
// list markers, links as "text (url)", emphasis and raw HTML dropped.
func plainText(doc ast.Node, src []byte, t *tokens) string {
	out := blocks(doc, src, t.raw)
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	out = strings.Join(lines, "\n")
	out = blankRuns.ReplaceAllString(out, "\n\n")
	return strings.TrimSpace(out) + "\n"
}

var blankRuns = regexp.MustCompile(`\n{3,}`)

func blocks(parent ast.Node, src []byte, sub func(string) string) string {
	var parts []string
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		if s := block(c, src, sub); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n\n")
}

func block(n ast.Node, src []byte, sub func(string) string) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		return inlineText(n, src, sub, true)
	case *ast.ThematicBreak:
		return "----------"
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		return sub(strings.TrimRight(b.String(), "\n"))
	case *ast.Blockquote:
		return prefixLines(blocks(n, src, sub), "> ", "> ")
	case *ast.List:
		var items []string
		num := n.Start
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			marker := "- "
			if n.IsOrdered() {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			items = append(items, prefixLines(blocks(c, src, sub), marker, strings.Repeat(" ", len(marker))))
		}
		sep := "\n"
		if !n.IsTight {
			sep = "\n\n"
		}
		return strings.Join(items, sep)
	case *ast.HTMLBlock:
		return ""
	default:
		return blocks(n, src, sub)
	}
}

func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = first + l
		case l == "":
		default:
			lines[i] = rest + l
		}
	}
	return strings.Join(lines, "\n")
}

// inlineText flattens inline content. sub maps tokens to their values (the
// identity keeps them, for image alt text that is escaped later).
func inlineText(parent ast.Node, src []byte, sub func(string) string, links bool) string {
	var b strings.Builder
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Text:
			v := n.Value(src)
			if !n.IsRaw() {
				v = resolveText(v)
			}
			b.WriteString(sub(string(v)))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.WriteString(sub(string(n.Value)))
		case *ast.CodeSpan:
			for cc := n.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if t, ok := cc.(*ast.Text); ok {
					b.WriteString(sub(string(t.Value(src))))
				}
			}
		case *ast.Link:
			label := inlineText(n, src, sub, links)
			dest := string(n.Destination)
			b.WriteString(label)
			if links && dest != "" && !sameTarget(label, dest) {
				b.WriteString(" (" + dest + ")")
			}
		case *ast.Image:
			b.WriteString(inlineText(n, src, sub, false))
		case *ast.RawHTML:
		default:
			b.WriteString(inlineText(n, src, sub, links))
		}
	}
	return b.String()
}

// sameTarget reports whether a link's text already shows its URL, so the
// plain text does not print it twice.
func sameTarget(label, dest string) bool {
	label = strings.TrimSpace(label)
	if label == dest || "mailto:"+label == dest || "tel:"+label == dest {
		return true
	}
	return strings.TrimSuffix(label, "/") == strings.TrimSuffix(dest, "/")
}
