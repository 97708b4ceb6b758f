package markdown

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// goldmark is linear on ordinary text, but some hostile shapes cost time
// proportional to the square of their size:
//   - container depth on one line ("> > > …", "1. - 1. - …");
//   - a long line with many link openers (each "[a](" rescans the rest of
//     the line for its destination);
//   - many emphasis or link delimiters in one paragraph ("a_*a_*…"), which
//     the delimiter algorithm matches in quadratic time.
//
// No real guide has any of these, so bound and defuse rewrite them (escape
// the excess, break the line) instead of rejecting the document, keeping
// 1 MiB of anything to about a second of work.
const (
	// maxNesting is the deepest run of block quote or list markers one line
	// may open; later markers are escaped and read as text.
	maxNesting = 16
	// maxLine is the longest line handed to the parser; a longer one is
	// broken at a space (a soft line break inside a paragraph, which renders
	// the same) or, failing that, at a character boundary.
	maxLine = 16 << 10
	// maxDelims is how many emphasis and link delimiters one paragraph (or
	// heading, or list item text) may hold; later ones are escaped.
	maxDelims = 2000
)

// bound returns src unchanged when it is within the limits, else a
// rewritten copy.
func bound(src []byte) []byte {
	var out []byte // nil until the first rewrite
	start := 0
	for start < len(src) {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		fixed, changed := boundLine(line)
		if changed && out == nil {
			out = make([]byte, 0, len(src)+len(src)/maxLine+64)
			out = append(out, src[:start]...)
		}
		if out != nil {
			out = append(out, fixed...)
			if end < len(src) {
				out = append(out, '\n')
			}
		}
		start = end + 1
	}
	if out == nil {
		return src
	}
	return out
}

func boundLine(line []byte) ([]byte, bool) {
	if len(line) <= maxLine {
		return limitDepth(line)
	}
	var out []byte
	for len(line) > 0 {
		cut := len(line)
		next := cut
		if cut > maxLine {
			if sp := bytes.LastIndexByte(line[maxLine/2:maxLine], ' '); sp >= 0 {
				cut, next = maxLine/2+sp, maxLine/2+sp+1
			} else {
				cut = maxLine
				for cut > 0 && !utf8.RuneStart(line[cut]) {
					cut--
				}
				next = cut
			}
		}
		// Every piece is a line of its own now, so it gets the depth
		// limit too.
		piece, _ := limitDepth(line[:cut])
		if out != nil {
			out = append(out, '\n')
		}
		out = append(out, piece...)
		line = line[next:]
	}
	return out, true
}

// limitDepth escapes the first container marker beyond maxNesting.
func limitDepth(line []byte) ([]byte, bool) {
	at := tooDeep(line)
	if at < 0 {
		return line, false
	}
	fixed := make([]byte, 0, len(line)+1)
	fixed = append(fixed, line[:at]...)
	fixed = append(fixed, '\\')
	return append(fixed, line[at:]...), true
}

// tooDeep returns the offset of the punctuation of the first container
// marker beyond maxNesting on line, or -1.
func tooDeep(line []byte) int {
	if thematicBreak(line) {
		return -1 // "* * * * …" is a rule, not nested lists
	}
	depth := 0
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return -1
		}
		mark := -1
		switch c := line[i]; {
		case c == '>':
			mark, i = i, i+1
		case c == '-' || c == '*' || c == '+':
			if i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t') {
				mark, i = i, i+1
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') {
				mark, i = j, j+1
			}
		}
		if mark < 0 {
			return -1
		}
		if depth++; depth > maxNesting {
			return mark
		}
	}
	return -1
}

// costly are the characters that open or close inline delimiters.
var costly = [256]bool{'*': true, '_': true, '~': true, '[': true, ']': true, '<': true}

// defuse escapes every delimiter character beyond maxDelims in each block
// the inline parser will see as one unit. It finds those blocks with a
// block-only parse, so code blocks and raw HTML are never touched.
func defuse(src []byte) []byte {
	total := 0
	for _, c := range src {
		if costly[c] {
			total++
		}
	}
	if total <= maxDelims {
		return src
	}
	blocks := parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	).Parse(text.NewReader(src))

	var at []int // offsets to escape
	_ = ast.Walk(blocks, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock || n.IsRaw() {
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		seen := 0
		for i := range lines.Len() {
			seg := lines.At(i)
			escaped := false // after an odd run of backslashes
			for off := seg.Start; off < seg.Stop; off++ {
				c := src[off]
				if c == '\\' {
					escaped = !escaped
					continue
				}
				if costly[c] && !escaped {
					if seen++; seen > maxDelims {
						at = append(at, off)
					}
				}
				escaped = false
			}
		}
		return ast.WalkContinue, nil
	})
	if len(at) == 0 {
		return src
	}
	slices.Sort(at)
	out := make([]byte, 0, len(src)+len(at))
	prev := 0
	for _, off := range at {
		out = append(out, src[prev:off]...)
		out = append(out, '\\')
		prev = off
	}
	return append(out, src[prev:]...)
}

// thematicBreak reports whether line is only one of - * _ and blanks.
func thematicBreak(line []byte) bool {
	var mark byte
	for _, c := range line {
		switch c {
		case ' ', '\t':
		case '-', '*', '_':
			if mark != 0 && c != mark {
				return false
			}
			mark = c
		default:
			return false
		}
	}
	return mark != 0
}
