package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// file is one locale's catalogue as translators edit it (locales/xx.json).
type file struct {
	Locale   string           `json:"locale"`
	Name     string           `json:"name"`
	Formats  formats          `json:"formats"`
	Messages map[string]entry `json:"messages"`
}

// formats holds the CLDR-style patterns and names for dates and money.
// Placeholders in braces are filled by the formatters in dates.go and
// money.go.
type formats struct {
	Weekdays           []string `json:"weekdays"` // abbreviated, Sunday first
	Months             []string `json:"months"`   // abbreviated, January first
	Date               string   `json:"date"`     // {wd} {d} {mon} {yyyy}
	DateRangeSameMonth string   `json:"date_range_same_month"`
	DateRange          string   `json:"date_range"` // {from} {to}
	Time               string   `json:"time"`       // {HH} {H} {h12} {mm} {ampm}
	AM                 string   `json:"am"`
	PM                 string   `json:"pm"`
	DateTime           string   `json:"date_time"` // {date} {time}
	Money              string   `json:"money"`     // {symbol} {amount}
}

// entry is a plain string or, for plurals, an object of CLDR plural
// forms ("one", "other", "=0", …) whose {count} is the number.
type entry struct {
	Text  string
	Forms map[string]string
}

func (m *entry) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		m.Text = ""
		return json.Unmarshal(b, &m.Forms)
	}
	m.Forms = nil
	return json.Unmarshal(b, &m.Text)
}

func (m entry) plural() bool { return m.Forms != nil }

// placeholder matches {name}.
var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// formatPlaceholders lists, per pattern, the placeholders it may use and
// the ones it must use.
var formatPlaceholders = []struct {
	name     string
	get      func(*formats) string
	allowed  []string
	required []string
}{
	{"date", func(f *formats) string { return f.Date }, []string{"wd", "d", "mon", "yyyy"}, []string{"d", "mon"}},
	{"date_range_same_month", func(f *formats) string { return f.DateRangeSameMonth },
		[]string{"wd1", "d1", "wd2", "d2", "mon", "yyyy"}, []string{"d1", "d2", "mon"}},
	{"date_range", func(f *formats) string { return f.DateRange }, []string{"from", "to"}, []string{"from", "to"}},
	{"time", func(f *formats) string { return f.Time }, []string{"HH", "H", "h12", "mm", "ampm"}, []string{"mm"}},
	{"date_time", func(f *formats) string { return f.DateTime }, []string{"date", "time"}, []string{"date", "time"}},
	{"money", func(f *formats) string { return f.Money }, []string{"symbol", "amount"}, []string{"amount"}},
}

// formatPlaceholder also admits the upper-case time fields.
var formatPlaceholder = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_]*)\}`)

// readLayer decodes every *.json file at the root of fsys.
func readLayer(fsys fs.FS) (map[string][]byte, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("i18n: read catalogue directory: %w", err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", e.Name(), err)
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = b
	}
	return out, nil
}

// decode reads b on top of base (which may be nil), so an override file
// only needs the keys it changes.
func decode(name string, b []byte, base *file) (*file, error) {
	f := &file{}
	if base != nil {
		f = base.clone()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return nil, fmt.Errorf("i18n: %s.json: %w", name, err)
	}
	if f.Locale == "" {
		f.Locale = name
	}
	if f.Locale != name {
		return nil, fmt.Errorf("i18n: %s.json declares locale %q", name, f.Locale)
	}
	fillNames(f)
	return f, nil
}

func (f *file) clone() *file {
	c := *f
	c.Formats.Weekdays = slices.Clone(f.Formats.Weekdays)
	c.Formats.Months = slices.Clone(f.Formats.Months)
	c.Messages = make(map[string]entry, len(f.Messages))
	for k, m := range f.Messages {
		m.Forms = maps.Clone(m.Forms)
		c.Messages[k] = m
	}
	return &c
}

// validate checks f against the reference catalogue ref (English): same
// keys, same kind of message, same placeholders, plural forms the
// locale's CLDR rules know, well-formed date and money patterns. It
// returns every problem found, so a translator fixes them in one pass.
// Plural messages are registered in b as they pass.
func validate(f, ref *file, tag language.Tag, b *catalog.Builder) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("i18n: %s: "+format, append([]any{f.Locale}, args...)...))
	}

	if len(f.Formats.Weekdays) != 7 || slices.Contains(f.Formats.Weekdays, "") {
		bad("formats.weekdays needs 7 non-empty names, Sunday first")
	}
	if len(f.Formats.Months) != 12 || slices.Contains(f.Formats.Months, "") {
		bad("formats.months needs 12 non-empty names, January first")
	}
	for _, p := range formatPlaceholders {
		pattern := p.get(&f.Formats)
		var used []string
		for _, m := range formatPlaceholder.FindAllStringSubmatch(pattern, -1) {
			used = append(used, m[1])
			if !slices.Contains(p.allowed, m[1]) {
				bad("formats.%s: unknown placeholder {%s} (use %s)", p.name, m[1], strings.Join(p.allowed, ", "))
			}
		}
		for _, r := range p.required {
			if !slices.Contains(used, r) {
				bad("formats.%s: missing placeholder {%s}", p.name, r)
			}
		}
	}
	if strings.Contains(f.Formats.Time, "{ampm}") && (f.Formats.AM == "" || f.Formats.PM == "") {
		bad("formats.time uses {ampm} but am/pm are empty")
	}

	for _, key := range sortedKeys(ref.Messages) {
		if _, ok := f.Messages[key]; !ok {
			bad("missing message %q", key)
		}
	}
	for _, key := range sortedKeys(f.Messages) {
		m := f.Messages[key]
		r, ok := ref.Messages[key]
		if !ok {
			bad("message %q is not in the %s catalogue", key, ref.Locale)
			continue
		}
		if m.plural() != r.plural() {
			bad("message %q: plural in one catalogue, plain in the other", key)
			continue
		}
		if !m.plural() {
			if m.Text == "" {
				bad("message %q is empty", key)
			}
			if got, want := placeholders(m.Text), placeholders(r.Text); !slices.Equal(got, want) {
				bad("message %q: placeholders %v, want %v", key, got, want)
			}
			continue
		}
		if m.Forms["other"] == "" {
			bad("message %q: plural needs an \"other\" form", key)
		}
		for form, text := range m.Forms {
			for _, p := range placeholders(text) {
				if p != "count" {
					bad("message %q form %q: only {count} is allowed, found {%s}", key, form, p)
				}
			}
		}
		if _, err := pluralMessage(m.Forms); err != nil {
			bad("message %q: %v", key, err)
		} else if err := setPlural(b, tag, key, m.Forms); err != nil {
			bad("message %q: %v", key, err)
		}
	}
	return errors.Join(errs...)
}

// pluralForms lists the selectors x/text's plural package understands, in
// the order they are handed to it (exact matches first).
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// pluralMessage turns {count} forms into the cases of plural.Selectf: the
// text becomes a printf format whose %[1]d is the count, printed with the
// locale's digit grouping.
func pluralMessage(forms map[string]string) ([]any, error) {
	var exact, named []any
	for _, sel := range sortedKeys(forms) {
		text := forms[sel]
		msg := strings.ReplaceAll(text, "%", "%%")
		msg = strings.ReplaceAll(msg, "{count}", "%[1]d")
		if strings.Contains(msg, "${") {
			return nil, fmt.Errorf("form %q: \"${\" is reserved", sel)
		}
		switch {
		case strings.HasPrefix(sel, "="):
			if len(sel) < 2 || strings.Trim(sel[1:], "0123456789") != "" {
				return nil, fmt.Errorf("form %q: want =N with N a whole number", sel)
			}
			exact = append(exact, sel, msg)
		case slices.Contains(pluralForms, sel):
		default:
			return nil, fmt.Errorf("unknown plural form %q (use %s or =N)", sel, strings.Join(pluralForms, ", "))
		}
	}
	for _, sel := range pluralForms {
		if text, ok := forms[sel]; ok {
			msg := strings.ReplaceAll(strings.ReplaceAll(text, "%", "%%"), "{count}", "%[1]d")
			named = append(named, sel, msg)
		}
	}
	return append(exact, named...), nil
}

// setPlural registers a plural message in the x/text catalogue. It fails
// for forms the locale's plural rules do not have (say "few" in German).
func setPlural(b *catalog.Builder, tag language.Tag, key string, forms map[string]string) error {
	cases, err := pluralMessage(forms)
	if err != nil {
		return err
	}
	return b.Set(tag, key, plural.Selectf(1, "%d", cases...))
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
