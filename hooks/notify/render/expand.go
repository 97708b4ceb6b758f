package render

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scope is the static view of which names resolve where: inside a list
// section the item's fields are visible bare, on top of the outer scope.
type scope struct {
	fields []fieldDef
	parent *scope
}

func (s *scope) resolve(name string) (Kind, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		for _, f := range sc.fields {
			if f.name == name {
				return f.kind, true
			}
		}
	}
	if d, ok := lookupDef(name); ok {
		return d.kind, true
	}
	return "", false
}

// validate reports every unknown or misused variable in the tree.
func validate(nodes []*node, part string, sc *scope, errs *[]error) {
	for _, n := range nodes {
		if n.kind == nText {
			continue
		}
		kind, ok := sc.resolve(n.name)
		if !ok {
			*errs = append(*errs, &TemplateError{Part: part, Line: n.line, Col: n.col, Name: n.name, Msg: unknownMsg(n.name, sc)})
			continue
		}
		switch n.kind {
		case nVar:
			if kind == KindList {
				*errs = append(*errs, &TemplateError{Part: part, Line: n.line, Col: n.col, Name: n.name,
					Msg: fmt.Sprintf("%s is a list: repeat it with {{#%s}}…{{/%s}}", n.name, n.name, n.name)})
			}
		case nSection:
			inner := sc
			if kind == KindList {
				d, _ := lookupDef(n.name)
				inner = &scope{fields: d.fields, parent: sc}
			}
			validate(n.children, part, inner, errs)
		case nInverted:
			validate(n.children, part, sc, errs)
		}
	}
}

func unknownMsg(name string, sc *scope) string {
	var names []string
	for s := sc; s != nil; s = s.parent {
		for _, f := range s.fields {
			names = append(names, f.name)
		}
	}
	for _, d := range defs {
		names = append(names, d.name)
	}
	best, bestDist := "", 4
	for _, cand := range names {
		if d := editDistance(strings.ToLower(name), cand); d < bestDist {
			best, bestDist = cand, d
		}
	}
	msg := fmt.Sprintf("unknown variable %q", name)
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	if !strings.Contains(name, ".") && sc.parent == nil && sc.fields == nil {
		for _, d := range defs {
			for _, f := range d.fields {
				if f.name == name {
					return msg + fmt.Sprintf("; %q is only available inside {{#%s}}…{{/%s}}", name, d.name, d.name)
				}
			}
		}
	}
	return msg
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 10
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// frame is the runtime counterpart of scope: the current list item.
type frame struct {
	item   map[string]string
	fields []fieldDef
	parent *frame
}

// emitter receives expanded output: literal template text and values.
type emitter interface {
	literal(s string)
	value(v string)
}

type expander struct {
	vars *Vars
	out  emitter
	size int
}

var errTooLarge = fmt.Errorf("rendered message is larger than %d KiB", maxOutputBytes>>10)

// lookup resolves a name at run time. Unknown names report ok=false; the
// caller treats them as empty (the lenient sending path) because strict
// callers validated the tree first.
func (e *expander) lookup(name string, f *frame) (val string, kind Kind, items []map[string]string, def *varDef, ok bool) {
	for fr := f; fr != nil; fr = fr.parent {
		for _, fd := range fr.fields {
			if fd.name == name {
				return clean(fr.item[name], fd.kind), fd.kind, nil, nil, true
			}
		}
	}
	d, ok := lookupDef(name)
	if !ok {
		return "", "", nil, nil, false
	}
	if d.kind == KindList {
		return "", d.kind, d.items(e.vars), d, true
	}
	return clean(d.get(e.vars), d.kind), d.kind, nil, d, true
}

func (e *expander) expand(nodes []*node, f *frame) error {
	for _, n := range nodes {
		switch n.kind {
		case nText:
			if err := e.grow(len(n.text)); err != nil {
				return err
			}
			e.out.literal(n.text)
		case nVar:
			val, kind, _, _, _ := e.lookup(n.name, f)
			if kind == KindList {
				val = ""
			}
			if err := e.grow(len(val)); err != nil {
				return err
			}
			e.out.value(val)
		case nSection:
			val, kind, items, d, ok := e.lookup(n.name, f)
			switch {
			case !ok:
			case kind == KindList:
				for _, it := range items {
					if err := e.expand(n.children, &frame{item: it, fields: d.fields, parent: f}); err != nil {
						return err
					}
				}
			case val != "":
				if err := e.expand(n.children, f); err != nil {
					return err
				}
			}
		case nInverted:
			val, kind, items, _, _ := e.lookup(n.name, f)
			if (kind == KindList && len(items) == 0) || (kind != KindList && val == "") {
				if err := e.expand(n.children, f); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (e *expander) grow(n int) error {
	e.size += n
	if e.size > maxOutputBytes {
		return errTooLarge
	}
	return nil
}

// clean makes a value safe to place anywhere: valid UTF-8, no control or
// line-separator characters (a value never adds lines or headers), trimmed.
// URL values must be absolute http(s) URLs or they become empty.
func clean(v string, kind Kind) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	v = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, v)
	v = strings.TrimSpace(v)
	if kind == KindURL {
		return cleanURL(v, false)
	}
	return v
}

// cleanURL returns v re-serialised if it is an absolute http(s) URL (and,
// when links is set, a mailto: or tel: URL), otherwise "". It is the only
// gate between a value and an href.
func cleanURL(v string, links bool) string {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 4096 || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto", "tel":
		if !links || u.Opaque == "" {
			return ""
		}
	default:
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String()
}

// plainOut collects expanded text with raw values (subject, SMS).
type plainOut struct{ b strings.Builder }

func (p *plainOut) literal(s string) { p.b.WriteString(s) }
func (p *plainOut) value(v string)   { p.b.WriteString(v) }
