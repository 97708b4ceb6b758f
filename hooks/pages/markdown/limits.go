package markdown

import (
	"bytes"
	"unicode/utf8"
)

// goldmark is linear on ordinary text but some hostile shapes cost time
// proportional to the square of a line's length (a link destination is
// rescanned to the end of the line for every "[a](") or of a line's
// container depth ("> > > …", "1. 1. 1. …"). bound rewrites those shapes,
// which no real guide contains, so that 1 MB of anything renders in well
// under a second per hundred kilobytes.
const (
	// maxNesting is the deepest run of block quote or list markers one line
	// may open; later markers are escaped and read as text.
	maxNesting = 16
	// maxLine is the longest line handed to the inline parser; a longer one
	// is broken at a space (a soft line break inside a paragraph, which
	// renders the same) or, failing that, at a character boundary.
	maxLine = 4096
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
	changed := false
	if at := tooDeep(line); at >= 0 {
		fixed := make([]byte, 0, len(line)+1)
		fixed = append(fixed, line[:at]...)
		fixed = append(fixed, '\\')
		line = append(fixed, line[at:]...)
		changed = true
	}
	if len(line) <= maxLine {
		return line, changed
	}
	var out []byte
	for len(line) > maxLine {
		cut := bytes.LastIndexByte(line[maxLine/2:maxLine], ' ')
		if cut >= 0 {
			cut += maxLine / 2
			out = append(out, line[:cut]...)
			out = append(out, '\n')
			line = line[cut+1:]
			continue
		}
		cut = maxLine
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		out = append(out, line[:cut]...)
		out = append(out, '\n')
		line = line[cut:]
	}
	return append(out, line...), true
}

// tooDeep returns the offset of the punctuation of the first container
// marker beyond maxNesting on line, or -1.
func tooDeep(line []byte) int {
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
