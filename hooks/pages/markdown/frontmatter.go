package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Meta is a guide's front matter: the block between two "---" lines at the
// top of the file.
//
//	---
//	title: Setting up your espresso machine
//	slug: espresso-setup
//	product_types: [setup_heavy]
//	skus:
//	  - ESP-100
//	  - ESP-200
//	locale: en
//	---
type Meta struct {
	Title        string
	Slug         string
	ProductTypes []string
	SKUs         []string
	Locale       string
	// Extra holds scalar keys this package does not know (for example
	// "kind: faq"), so a caller can use them without a parser change.
	Extra map[string]string
}

// ErrFrontMatter is wrapped by every front matter error.
var ErrFrontMatter = errors.New("markdown: front matter")

// Limits on front matter, which is tiny in practice.
const (
	maxFrontMatterLines = 200
	maxListItems        = 500
	maxValueLen         = 1000
)

var (
	reKey    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	reSlug   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	reLocale = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$`)
	reToken  = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// ParseFrontMatter splits optional front matter from a Markdown document.
// The format is the small YAML subset merchants write by hand: "key: value"
// lines, values plain or quoted, lists inline ("[a, b]") or as "- item"
// lines, "#" comments. Without a leading "---" line (or without a closing
// one, in which case the "---" is a thematic break) meta is empty and body
// is src. body aliases src.
func ParseFrontMatter(src []byte) (Meta, []byte, error) {
	var meta Meta
	rest := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(rest)
	if !ok || strings.TrimSpace(first) != "---" {
		return meta, src, nil
	}
	var lines []string
	closed := false
	for len(rest) > 0 {
		var line string
		line, rest, _ = cutLine(rest)
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			closed = true
			break
		}
		lines = append(lines, line)
		if len(lines) > maxFrontMatterLines {
			return meta, src, nil // far too long to be front matter
		}
	}
	if !closed {
		return meta, src, nil
	}
	if err := meta.parse(lines); err != nil {
		return Meta{}, nil, err
	}
	return meta, rest, nil
}

// cutLine returns the first line of b without its line ending, and the rest.
func cutLine(b []byte) (line string, rest []byte, ok bool) {
	if len(b) == 0 {
		return "", nil, false
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return strings.TrimSuffix(string(b), "\r"), nil, true
	}
	return strings.TrimSuffix(string(b[:i]), "\r"), b[i+1:], true
}

func (m *Meta) parse(lines []string) error {
	seen := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		lineNo := i + 2 // 1-based, after the opening "---"
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || t[0] == '-' {
			return fmt.Errorf("%w: line %d: unexpected indented or list line", ErrFrontMatter, lineNo)
		}
		key, raw, ok := strings.Cut(t, ":")
		key = strings.TrimSpace(key)
		if !ok || !reKey.MatchString(key) {
			return fmt.Errorf("%w: line %d: want \"key: value\"", ErrFrontMatter, lineNo)
		}
		key = strings.ToLower(key)
		if seen[key] {
			return fmt.Errorf("%w: line %d: %q given twice", ErrFrontMatter, lineNo, key)
		}
		seen[key] = true
		raw = strings.TrimSpace(raw)

		var values []string
		isList := false
		switch {
		case raw == "":
			// A block list may follow: "  - item" lines.
			for i+1 < len(lines) {
				item := strings.TrimSpace(lines[i+1])
				if item == "" || item[0] == '#' {
					i++
					continue
				}
				if !strings.HasPrefix(item, "-") {
					break
				}
				i++
				isList = true
				v, err := scalar(strings.TrimSpace(item[1:]))
				if err != nil {
					return fmt.Errorf("%w: line %d: %w", ErrFrontMatter, i+2, err)
				}
				values = append(values, v)
				if len(values) > maxListItems {
					return fmt.Errorf("%w: line %d: more than %d items", ErrFrontMatter, i+2, maxListItems)
				}
			}
		case strings.HasPrefix(raw, "["):
			isList = true
			var err error
			if values, err = inlineList(raw); err != nil {
				return fmt.Errorf("%w: line %d: %w", ErrFrontMatter, lineNo, err)
			}
		default:
			v, err := scalar(raw)
			if err != nil {
				return fmt.Errorf("%w: line %d: %w", ErrFrontMatter, lineNo, err)
			}
			values = []string{v}
		}
		split := !isList && raw != "" && raw[0] != '"' && raw[0] != '\''
		if err := m.set(key, values, isList, split); err != nil {
			return fmt.Errorf("%w: line %d: %w", ErrFrontMatter, lineNo, err)
		}
	}
	return nil
}

// set stores one key. split is true for a plain (unquoted) single value,
// which list keys read as comma-separated.
func (m *Meta) set(key string, values []string, isList, split bool) error {
	one := func() (string, error) {
		if isList {
			return "", fmt.Errorf("%s takes one value, not a list", key)
		}
		if len(values) == 0 {
			return "", nil
		}
		return values[0], nil
	}
	var err error
	switch key {
	case "title":
		m.Title, err = one()
	case "slug":
		if m.Slug, err = one(); err == nil && m.Slug != "" && !reSlug.MatchString(m.Slug) {
			err = fmt.Errorf("slug %q: use lowercase letters, digits and single hyphens", clip(m.Slug))
		}
	case "locale":
		if m.Locale, err = one(); err == nil && m.Locale != "" && !reLocale.MatchString(m.Locale) {
			err = fmt.Errorf("locale %q is not a language tag such as en or es-MX", clip(m.Locale))
		}
	case "product_types":
		m.ProductTypes, err = tokens(key, values, split, true)
	case "skus":
		m.SKUs, err = tokens(key, values, split, false)
	default:
		v, e := one()
		if e != nil {
			return nil // unknown list keys are ignored
		}
		if m.Extra == nil {
			m.Extra = map[string]string{}
		}
		m.Extra[key] = v
	}
	return err
}

// tokens accepts a list, or a single value that is split at commas unless
// it was quoted.
func tokens(key string, values []string, split, lower bool) ([]string, error) {
	var out []string
	for _, v := range values {
		parts := []string{v}
		if split {
			parts = strings.Split(v, ",")
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if lower {
				p = strings.ToLower(p)
				if !reToken.MatchString(p) {
					return nil, fmt.Errorf("%s: %q is not a type name such as setup_heavy", key, clip(p))
				}
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// scalar reads a plain, "double" or 'single' quoted value; a plain value
// ends at " #" (a comment).
func scalar(s string) (string, error) {
	if len(s) > maxValueLen {
		return "", fmt.Errorf("value longer than %d bytes", maxValueLen)
	}
	if s == "" {
		return "", nil
	}
	switch s[0] {
	case '"', '\'':
		v, rest, err := quoted(s)
		if err != nil {
			return "", err
		}
		if rest = strings.TrimSpace(rest); rest != "" && rest[0] != '#' {
			return "", fmt.Errorf("unexpected text after quoted value")
		}
		return v, nil
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s), nil
}

// quoted reads one quoted string at the start of s and returns the rest.
// Double quotes understand \" and \\; single quotes understand ”.
func quoted(s string) (string, string, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case q == '"' && c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == q:
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated %c quote", q)
}

// inlineList reads "[a, 'b, c', "d"]".
func inlineList(s string) ([]string, error) {
	if len(s) > maxValueLen*10 {
		return nil, fmt.Errorf("list longer than %d bytes", maxValueLen*10)
	}
	rest := strings.TrimSpace(s[1:])
	var out []string
	for {
		if rest == "" {
			return nil, fmt.Errorf("unterminated list: missing ]")
		}
		if rest[0] == ']' {
			if tail := strings.TrimSpace(rest[1:]); tail != "" && tail[0] != '#' {
				return nil, fmt.Errorf("unexpected text after list")
			}
			return out, nil
		}
		var item string
		if rest[0] == '"' || rest[0] == '\'' {
			v, r, err := quoted(rest)
			if err != nil {
				return nil, err
			}
			item, rest = v, strings.TrimSpace(r)
		} else {
			end := strings.IndexAny(rest, ",]")
			if end < 0 {
				return nil, fmt.Errorf("unterminated list: missing ]")
			}
			item, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		out = append(out, item)
		if len(out) > maxListItems {
			return nil, fmt.Errorf("more than %d items", maxListItems)
		}
		if strings.HasPrefix(rest, ",") {
			rest = strings.TrimSpace(rest[1:])
		} else if !strings.HasPrefix(rest, "]") {
			return nil, fmt.Errorf("want , or ] in list")
		}
	}
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
