package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits that keep a hostile or broken template from eating the worker.
// goldmark is superlinear on some pathological inputs (thousands of
// unclosed "[x](" or deeply nested quotes): at 64 KiB the worst we found
// takes about two seconds, and real notifications are a few KiB.
const (
	maxTemplateBytes = 64 << 10
	maxDepth         = 8
	maxOutputBytes   = 64 << 10
)

// TemplateError is a problem found in a template, with its position.
type TemplateError struct {
	Part string // "subject" or "body"
	Line int    // 1-based
	Col  int    // 1-based, in characters
	Name string // the variable concerned, if any
	Msg  string
}

func (e *TemplateError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Part, e.Msg)
	}
	return fmt.Sprintf("%s line %d, column %d: %s", e.Part, e.Line, e.Col, e.Msg)
}

type nodeKind int

const (
	nText nodeKind = iota
	nVar
	nSection
	nInverted
)

type node struct {
	kind      nodeKind
	text      string // nText
	name      string // nVar, nSection, nInverted
	line, col int
	children  []*node
}

type token struct {
	tag       bool
	typ       byte // 0 (variable), '#', '^', '/', '!'
	text      string
	name      string
	line, col int
}

// parse turns template source into a tree. part names the template in errors.
func parse(src, part string) ([]*node, error) {
	if len(src) > maxTemplateBytes {
		return nil, &TemplateError{Part: part, Msg: fmt.Sprintf("template is larger than %d KiB", maxTemplateBytes>>10)}
	}
	if !utf8.ValidString(src) {
		return nil, &TemplateError{Part: part, Msg: "template is not valid UTF-8"}
	}
	toks, err := lex(src, part)
	if err != nil {
		return nil, err
	}
	stripStandalone(toks)

	type open struct {
		n    *node
		list *[]*node
	}
	root := []*node{}
	cur := &root
	var stack []open
	for _, t := range toks {
		if !t.tag {
			if t.text != "" {
				*cur = append(*cur, &node{kind: nText, text: t.text, line: t.line, col: t.col})
			}
			continue
		}
		switch t.typ {
		case '!':
		case 0:
			*cur = append(*cur, &node{kind: nVar, name: t.name, line: t.line, col: t.col})
		case '#', '^':
			if len(stack) >= maxDepth {
				return nil, &TemplateError{Part: part, Line: t.line, Col: t.col, Name: t.name,
					Msg: fmt.Sprintf("sections nested deeper than %d", maxDepth)}
			}
			k := nSection
			if t.typ == '^' {
				k = nInverted
			}
			n := &node{kind: k, name: t.name, line: t.line, col: t.col}
			*cur = append(*cur, n)
			stack = append(stack, open{n: n, list: cur})
			cur = &n.children
		case '/':
			if len(stack) == 0 {
				return nil, &TemplateError{Part: part, Line: t.line, Col: t.col, Name: t.name,
					Msg: fmt.Sprintf("{{/%s}} closes a section that was never opened", t.name)}
			}
			top := stack[len(stack)-1]
			if top.n.name != t.name {
				return nil, &TemplateError{Part: part, Line: t.line, Col: t.col, Name: t.name,
					Msg: fmt.Sprintf("{{/%s}} closes {{%c%s}} opened on line %d", t.name, sectionSigil(top.n), top.n.name, top.n.line)}
			}
			stack = stack[:len(stack)-1]
			cur = top.list
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1].n
		return nil, &TemplateError{Part: part, Line: top.line, Col: top.col, Name: top.name,
			Msg: fmt.Sprintf("{{%c%s}} is never closed with {{/%s}}", sectionSigil(top), top.name, top.name)}
	}
	return root, nil
}

func sectionSigil(n *node) byte {
	if n.kind == nInverted {
		return '^'
	}
	return '#'
}

// lex splits src into alternating text and tag tokens; there is always a
// (possibly empty) text token before, between and after tags.
func lex(src, part string) ([]token, error) {
	var toks []token
	line, col := 1, 1
	advance := func(s string) {
		for _, r := range s {
			if r == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
	}
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			toks = append(toks, token{text: src, line: line, col: col})
			return toks, nil
		}
		toks = append(toks, token{text: src[:i], line: line, col: col})
		advance(src[:i])
		j := strings.Index(src[i+2:], "}}")
		if j < 0 {
			return nil, &TemplateError{Part: part, Line: line, Col: col, Msg: "tag opened with {{ is never closed with }}"}
		}
		raw := src[i : i+2+j+2]
		inner := strings.TrimSpace(src[i+2 : i+2+j])
		t := token{tag: true, line: line, col: col}
		if inner != "" && strings.IndexByte("#^/!", inner[0]) >= 0 {
			t.typ = inner[0]
			inner = strings.TrimSpace(inner[1:])
		}
		if t.typ != '!' {
			if !validName(inner) {
				return nil, &TemplateError{Part: part, Line: line, Col: col,
					Msg: fmt.Sprintf("%q is not a variable name (names look like {{order.number}})", truncate(raw, 60))}
			}
			t.name = inner
		}
		toks = append(toks, t)
		advance(raw)
		src = src[i+len(raw):]
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// stripStandalone removes the line of a section, close or comment tag that
// stands alone on its line (Mustache's rule), so list templates like
//
//	{{#order.items}}
//	- {{name}}
//	{{/order.items}}
//
// render as a tight Markdown list without blank lines.
func stripStandalone(toks []token) {
	standalone := make([]bool, len(toks))
	for i, t := range toks {
		if !t.tag || t.typ == 0 {
			continue
		}
		prev, next := toks[i-1].text, toks[i+1].text
		before := strings.TrimRight(prev, " \t")
		lineStart := before == "" && i == 1 || strings.HasSuffix(before, "\n")
		after := strings.TrimLeft(next, " \t")
		lineEnd := strings.HasPrefix(after, "\n") || strings.HasPrefix(after, "\r\n") || after == "" && i+1 == len(toks)-1
		standalone[i] = lineStart && lineEnd
	}
	for i := range toks {
		if !standalone[i] {
			continue
		}
		toks[i-1].text = strings.TrimRight(toks[i-1].text, " \t")
		next := strings.TrimLeft(toks[i+1].text, " \t")
		next = strings.TrimPrefix(next, "\r")
		toks[i+1].text = strings.TrimPrefix(next, "\n")
	}
}
