package wire

import (
	"strings"
	"testing"
	"time"
)

type sample struct {
	ID    Text `json:"id"`
	Price Text `json:"price"`
	Test  Bool `json:"test"`
	Items []struct {
		Title Text `json:"title"`
	} `json:"items"`
}

func TestDecodeLenientScalars(t *testing.T) {
	var s sample
	err := Decode([]byte(`{"id": 820982911946154508, "price": 12.5, "test": "true", "items": [{"title": null}]}`), &s, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "820982911946154508" { // no float64 rounding
		t.Errorf("id = %q", s.ID)
	}
	if s.Price != "12.5" || !s.Test.V || !s.Test.Set || s.Items[0].Title != "" {
		t.Errorf("decoded %+v", s)
	}
}

func TestDecodeErrors(t *testing.T) {
	scenarios := []struct {
		name, body, want string
	}{
		{"empty", "  ", "empty body"},
		{"array top", `[1]`, "not a JSON object"},
		{"null top", `null`, "not a JSON object"},
		{"syntax", `{"id": }`, "malformed JSON at byte"},
		{"truncated", `{"id": "1"`, "malformed JSON"},
		{"trailing", `{"id": "1"} x`, "malformed JSON"},
		{"object for text", `{"id": {"a": 1}}`, "field id: cannot use a JSON object"},
		{"nested path", `{"items": [{"title": ["x"]}]}`, "field items.title: cannot use a JSON array"},
		{"bad bool", `{"test": "maybe"}`, "field test"},
		{"items not array", `{"items": "x"}`, "field items"},
		{"too big", `{"id": "` + strings.Repeat("x", 100) + `"}`, "at most 64 accepted"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			var v sample
			err := Decode([]byte(s.body), &v, 64)
			if err == nil || !strings.Contains(err.Error(), s.want) {
				t.Errorf("err = %v, want %q", err, s.want)
			}
			if err != nil && strings.Contains(err.Error(), "wire.") {
				t.Errorf("error leaks Go type names: %v", err)
			}
		})
	}
}

func TestInt(t *testing.T) {
	for in, want := range map[Text]int64{"2": 2, " 3 ": 3, "2.0": 2, "-1": -1, `10.000`: 10} {
		got, ok, err := Int(in)
		if err != nil || !ok || got != want {
			t.Errorf("Int(%q) = %d, %v, %v", in, got, ok, err)
		}
	}
	for _, in := range []Text{"2.5", "1e3", "abc", "99999999999999999999", "true"} {
		if _, _, err := Int(in); err == nil {
			t.Errorf("Int(%q) accepted", in)
		}
	}
	if _, ok, err := Int(""); ok || err != nil {
		t.Error("empty should be unset")
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2025, 3, 14, 14, 21, 7, 0, time.UTC)
	for _, in := range []string{
		"2025-03-14T10:21:07-04:00",
		"2025-03-14T14:21:07Z",
		"2025-03-14T14:21:07.000Z",
		"2025-03-14T14:21:07",
		"2025-03-14 10:21:07 -0400",
		"2025-03-14 14:21:07",
		"2025-03-14T10:21:07-0400",
	} {
		got, err := ParseTime(in)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v", in, got, err)
		}
	}
	if got, err := ParseTime("2025-03-14"); err != nil || !got.Equal(time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date only: %v %v", got, err)
	}
	if got, err := ParseTime(""); err != nil || !got.IsZero() {
		t.Errorf("empty: %v %v", got, err)
	}
	for _, in := range []string{"yesterday", "2025-13-01", "2025-02-30T00:00:00Z", strings.Repeat("2", 100)} {
		if _, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q) accepted", in)
		}
	}
}
