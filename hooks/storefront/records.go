package storefront

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"porchlight/hooks/schema"
)

// diff sets record fields only when the value differs, so an update that
// changes nothing saves nothing and fires no hooks.
type diff struct {
	rec     *core.Record
	changed bool
}

func (d *diff) str(field, v string) {
	if d.rec.GetString(field) != v {
		d.rec.Set(field, v)
		d.changed = true
	}
}

func (d *diff) num(field string, v int64) {
	if int64(d.rec.GetFloat(field)) != v {
		d.rec.Set(field, v)
		d.changed = true
	}
}

func (d *diff) boolean(field string, v bool) {
	if d.rec.GetBool(field) != v {
		d.rec.Set(field, v)
		d.changed = true
	}
}

func (d *diff) time(field string, t time.Time) {
	want := schema.DBTime(t)
	if d.rec.GetString(field) != want {
		d.rec.Set(field, want)
		d.changed = true
	}
}

func (d *diff) json(field string, v any) {
	want, err := json.Marshal(v)
	if err != nil {
		return
	}
	if canonicalJSON([]byte(d.rec.GetString(field))) != canonicalJSON(want) {
		d.rec.Set(field, types.JSONRaw(want))
		d.changed = true
	}
}

// canonicalJSON re-encodes raw so equal values compare equal regardless
// of key order or spacing; null and empty are the same.
func canonicalJSON(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	out, _ := json.Marshal(v)
	if string(out) == "null" || string(out) == "[]" || string(out) == "{}" {
		return ""
	}
	return string(out)
}

// recTime reads a date field; zero when blank.
func recTime(rec *core.Record, field string) time.Time {
	return rec.GetDateTime(field).Time()
}

// clip shortens s to at most n runes: the parsers allow longer values than
// some columns hold, and a hostile 10 KB name is stored, cut, as data.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}
