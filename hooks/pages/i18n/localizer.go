package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Localizer renders messages, numbers, money and dates for one locale. It
// is immutable and safe for concurrent use.
type Localizer struct {
	locale   string
	name     string
	tag      language.Tag
	messages map[string]entry
	formats  formats
	printer  *message.Printer
	fallback *Localizer // nil for the Fallback locale itself
}

// Locale is the catalogue's locale code ("de").
func (l *Localizer) Locale() string { return l.locale }

// Name is the locale's own name for itself ("Deutsch"), for a language
// switcher.
func (l *Localizer) Name() string { return l.name }

// Tag is the locale as a BCP 47 tag, for <html lang>.
func (l *Localizer) Tag() language.Tag { return l.tag }

// Has reports whether key is in the catalogue.
func (l *Localizer) Has(key string) bool {
	_, ok := l.messages[key]
	return ok
}

// T returns the message key with its {placeholders} filled from args,
// which are name/value pairs:
//
//	l.T("eta.arrives", "window", l.DateWindow(min, max, tz))
//
// Values are printed with fmt.Sprint, so identifiers such as order numbers
// and years come out as given; use Number for a quantity that needs digit
// grouping. A placeholder without a value is left as is. An unknown key
// falls back to English, then to the key itself, so a template never
// breaks on a missing message. For a plural message, T picks the form for
// a "count" argument.
func (l *Localizer) T(key string, args ...any) string {
	m, ok := l.messages[key]
	if !ok {
		if l.fallback != nil {
			return l.fallback.T(key, args...)
		}
		return key
	}
	if m.plural() {
		for i := 0; i+1 < len(args); i += 2 {
			if name, _ := args[i].(string); name == "count" {
				if n, ok := toInt(args[i+1]); ok {
					return l.Plural(key, n)
				}
			}
		}
		return substitute(m.Forms["other"], args)
	}
	return substitute(m.Text, args)
}

// Plural returns the plural message key for n, chosen by the locale's
// CLDR plural rules (x/text/feature/plural), with {count} printed with the
// locale's digit grouping: "1 item", "5 items"; French "0 article"; German
// "1.000 Artikel".
func (l *Localizer) Plural(key string, n int) string {
	m, ok := l.messages[key]
	if !ok {
		if l.fallback != nil {
			return l.fallback.Plural(key, n)
		}
		return key
	}
	if !m.plural() {
		return substitute(m.Text, []any{"count", l.Number(int64(n))})
	}
	// The key is registered in the x/text catalogue for this locale by
	// Load, so the printer selects the form; it never falls back to
	// treating the key as a format string.
	return l.printer.Sprintf(key, n)
}

// Number prints n with the locale's digit grouping ("1,234", "1.234",
// "1 234").
func (l *Localizer) Number(n int64) string { return l.printer.Sprint(n) }

// Delay is the shopper-facing explanation of a delay or exception.
type Delay struct {
	Reason        string // the catalogue reason used, after falling back
	Title         string // short label, also the {reason} of "eta.changed"
	Body          string // what is going on
	YouCanHeading string // "What you can do"
	YouCan        string
	NextHeading   string // "What happens next"
	Next          string
}

// DelayReasons lists the reasons the catalogues explain. Unknown reasons
// fall back to "generic".
func DelayReasons() []string {
	return []string{"customs", "address", "weather", "held_for_pickup", "damaged", "lost", "returning", "refused", "generic"}
}

// Delay returns the explanation for reason (one of DelayReasons), or the
// generic one.
func (l *Localizer) Delay(reason string) Delay {
	if !l.Has("delay." + reason + ".title") {
		reason = "generic"
	}
	p := "delay." + reason + "."
	return Delay{
		Reason:        reason,
		Title:         l.T(p + "title"),
		Body:          l.T(p + "body"),
		YouCanHeading: l.T("delay.heading_you_can"),
		YouCan:        l.T(p + "you_can"),
		NextHeading:   l.T("delay.heading_next"),
		Next:          l.T(p + "next"),
	}
}

// substitute fills {name} placeholders in s from name/value pairs.
func substitute(s string, args []any) string {
	if len(args) < 2 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := lookup(args, name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

func lookup(args []any, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if k, _ := args[i].(string); k == name {
			switch v := args[i+1].(type) {
			case string:
				return v, true
			default:
				return fmt.Sprint(v), true
			}
		}
	}
	return "", false
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int8:
		return int(n), true
	case int16:
		return int(n), true
	case int32:
		return int(n), true
	case int64:
		return int(n), true
	case uint:
		return int(n), true
	case uint8:
		return int(n), true
	case uint16:
		return int(n), true
	case uint32:
		return int(n), true
	case uint64:
		return int(n), true
	}
	return 0, false
}
