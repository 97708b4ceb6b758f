package i18n

import (
	"testing"
	"time"
)

func oct(day int) time.Time { return time.Date(2025, time.October, day, 12, 0, 0, 0, time.UTC) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestDateWindow(t *testing.T) {
	b := mustDefault(t)
	scenarios := []struct {
		name     string
		min, max time.Time
		want     map[string]string
	}{
		{"same month", oct(7), oct(9), map[string]string{
			"en": "Tue 7 – Thu 9 Oct",
			"es": "mar. 7 – jue. 9 oct.",
			"de": "Di., 7. – Do., 9. Okt.",
			"fr": "mar. 7 – jeu. 9 oct.",
		}},
		{"across months", oct(31), day(2025, time.November, 4), map[string]string{
			"en": "Fri 31 Oct – Tue 4 Nov",
			"es": "vie. 31 oct. – mar. 4 nov.",
			"de": "Fr., 31. Okt. – Di., 4. Nov.",
			"fr": "ven. 31 oct. – mar. 4 nov.",
		}},
		{"across years", day(2025, time.December, 30), day(2026, time.January, 2), map[string]string{
			"en": "Tue 30 Dec – Fri 2 Jan",
			"es": "mar. 30 dic. – vie. 2 ene.",
			"de": "Di., 30. Dez. – Fr., 2. Jan.",
			"fr": "mar. 30 déc. – ven. 2 janv.",
		}},
		{"single day", oct(7), oct(7), map[string]string{
			"en": "Tue 7 Oct",
			"es": "mar. 7 oct.",
			"de": "Di., 7. Okt.",
			"fr": "mar. 7 oct.",
		}},
		{"same day, different times", oct(7), oct(7).Add(11 * time.Hour), map[string]string{
			"en": "Tue 7 Oct",
		}},
		{"swapped ends", oct(9), oct(7), map[string]string{
			"en": "Tue 7 – Thu 9 Oct",
		}},
		{"same month, different year", oct(7), day(2026, time.October, 9), map[string]string{
			"en": "Tue 7 Oct – Fri 9 Oct",
		}},
		{"zero min", time.Time{}, oct(9), map[string]string{"en": "Thu 9 Oct"}},
		{"zero max", oct(7), time.Time{}, map[string]string{"en": "Tue 7 Oct"}},
		{"both zero", time.Time{}, time.Time{}, map[string]string{"en": "", "de": ""}},
		{"March and May names", day(2025, time.March, 3), day(2025, time.May, 5), map[string]string{
			"de": "Mo., 3. März – Mo., 5. Mai",
			"fr": "lun. 3 mars – lun. 5 mai",
			"es": "lun. 3 mar. – lun. 5 may.",
		}},
		{"September", day(2025, time.September, 1), day(2025, time.September, 2), map[string]string{
			"en": "Mon 1 – Tue 2 Sep",
			"es": "lun. 1 – mar. 2 sept.",
			"de": "Mo., 1. – Di., 2. Sept.",
			"fr": "lun. 1 – mar. 2 sept.",
		}},
	}
	for _, s := range scenarios {
		for loc, want := range s.want {
			if got := b.For(loc).DateWindow(s.min, s.max, nil); got != want {
				t.Errorf("%s %s: DateWindow = %q, want %q", s.name, loc, got, want)
			}
		}
	}
}

// TestDateWindowTimeZones checks that days are the shopper's calendar days,
// including across daylight-saving changes.
func TestDateWindowTimeZones(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	newYork := mustLoad(t, "America/New_York")
	sydney := mustLoad(t, "Australia/Sydney")
	en := mustDefault(t).For("en")
	scenarios := []struct {
		name     string
		min, max time.Time
		loc      *time.Location
		want     string
	}{
		// 22:30 UTC on Sat 25 Oct is 00:30 on Sun 26 Oct in Berlin (CEST),
		// the night the clocks go back; 23:30 UTC on Sun 26 is 00:30 on
		// Mon 27 (CET).
		{"Berlin, end of DST", time.Date(2025, 10, 25, 22, 30, 0, 0, time.UTC), time.Date(2025, 10, 26, 23, 30, 0, 0, time.UTC), berlin, "Sun 26 – Mon 27 Oct"},
		{"same instants in UTC", time.Date(2025, 10, 25, 22, 30, 0, 0, time.UTC), time.Date(2025, 10, 26, 23, 30, 0, 0, time.UTC), time.UTC, "Sat 25 – Sun 26 Oct"},
		// 04:30 UTC on Sun 9 Mar is 23:30 on Sat 8 Mar in New York (EST);
		// the clocks go forward that night.
		{"New York, start of DST", time.Date(2025, 3, 9, 4, 30, 0, 0, time.UTC), time.Date(2025, 3, 10, 3, 30, 0, 0, time.UTC), newYork, "Sat 8 – Sun 9 Mar"},
		{"Sydney, a day ahead", time.Date(2025, 12, 31, 14, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 14, 0, 0, 0, time.UTC), sydney, "Thu 1 – Fri 2 Jan"},
		{"New Year's Eve in New York", time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), newYork, "Wed 31 Dec – Thu 1 Jan"},
		{"one local day across two UTC days", time.Date(2025, 10, 7, 4, 30, 0, 0, time.UTC), time.Date(2025, 10, 8, 3, 30, 0, 0, time.UTC), newYork, "Tue 7 Oct"},
	}
	for _, s := range scenarios {
		if got := en.DateWindow(s.min, s.max, s.loc); got != s.want {
			t.Errorf("%s: %q, want %q", s.name, got, s.want)
		}
	}
}

func TestDateTime(t *testing.T) {
	b := mustDefault(t)
	berlin := mustLoad(t, "Europe/Berlin")
	at := time.Date(2025, 10, 7, 12, 5, 0, 0, time.UTC) // 14:05 in Berlin
	want := map[string]string{
		"en": "Tue 7 Oct, 2:05 pm",
		"es": "mar. 7 oct., 14:05",
		"de": "Di., 7. Okt., 14:05",
		"fr": "mar. 7 oct. à 14:05",
	}
	for loc, w := range want {
		if got := b.For(loc).DateTime(at, berlin); got != w {
			t.Errorf("%s DateTime = %q, want %q", loc, got, w)
		}
	}
	en, de := b.For("en"), b.For("de")
	clock := []struct {
		h, m     int
		en, de24 string
	}{
		{0, 0, "12:00 am", "00:00"},
		{0, 7, "12:07 am", "00:07"},
		{9, 30, "9:30 am", "09:30"},
		{12, 0, "12:00 pm", "12:00"},
		{23, 59, "11:59 pm", "23:59"},
	}
	for _, c := range clock {
		tm := time.Date(2025, 1, 1, c.h, c.m, 0, 0, time.UTC)
		if got := en.Time(tm, nil); got != c.en {
			t.Errorf("en Time %02d:%02d = %q, want %q", c.h, c.m, got, c.en)
		}
		if got := de.Time(tm, nil); got != c.de24 {
			t.Errorf("de Time %02d:%02d = %q, want %q", c.h, c.m, got, c.de24)
		}
	}
	if en.DateTime(time.Time{}, nil) != "" || en.Date(time.Time{}, berlin) != "" {
		t.Error("zero time should format as empty")
	}
	// DST: the same wall time on both sides of the change.
	before := time.Date(2025, 3, 29, 13, 5, 0, 0, time.UTC) // CET, UTC+1
	after := time.Date(2025, 3, 30, 12, 5, 0, 0, time.UTC)  // CEST, UTC+2
	if got := de.DateTime(before, berlin); got != "Sa., 29. März, 14:05" {
		t.Errorf("before DST: %q", got)
	}
	if got := de.DateTime(after, berlin); got != "So., 30. März, 14:05" {
		t.Errorf("after DST: %q", got)
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tzdata for %s: %v", name, err)
	}
	return loc
}
