package i18n

import (
	"strconv"
	"time"
)

// Date formats the calendar day of t in loc: "Tue 7 Oct", "mar. 7 oct.",
// "Di., 7. Okt.", "mar. 7 oct.". A nil loc means UTC; a zero t gives "".
func (l *Localizer) Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return l.date(t.In(orUTC(loc)))
}

func (l *Localizer) date(t time.Time) string {
	f := &l.formats
	return substitute(f.Date, []any{
		"wd", f.Weekdays[t.Weekday()],
		"d", strconv.Itoa(t.Day()),
		"mon", f.Months[t.Month()-1],
		"yyyy", strconv.Itoa(t.Year()),
	})
}

// DateWindow formats an estimated delivery window, by calendar day in loc
// (the shopper's time zone): a single day when both ends fall on the same
// day, "Tue 7 – Thu 9 Oct" within a month, "Fri 31 Oct – Tue 4 Nov"
// across months and years. Swapped ends are put in order; a zero end is
// ignored; both zero gives "". A nil loc means UTC.
func (l *Localizer) DateWindow(earliest, latest time.Time, loc *time.Location) string {
	switch {
	case earliest.IsZero() && latest.IsZero():
		return ""
	case earliest.IsZero():
		earliest = latest
	case latest.IsZero():
		latest = earliest
	}
	loc = orUTC(loc)
	a, b := earliest.In(loc), latest.In(loc)
	if b.Before(a) {
		a, b = b, a
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	f := &l.formats
	switch {
	case ay == by && am == bm && ad == bd:
		return l.date(a)
	case ay == by && am == bm:
		return substitute(f.DateRangeSameMonth, []any{
			"wd1", f.Weekdays[a.Weekday()],
			"d1", strconv.Itoa(ad),
			"wd2", f.Weekdays[b.Weekday()],
			"d2", strconv.Itoa(bd),
			"mon", f.Months[bm-1],
			"yyyy", strconv.Itoa(by),
		})
	default:
		return substitute(f.DateRange, []any{"from", l.date(a), "to", l.date(b)})
	}
}

// DateTime formats t in loc for a timeline entry: "Tue 7 Oct, 2:05 pm",
// "mar. 7 oct., 14:05", "Di., 7. Okt., 14:05", "mar. 7 oct. à 14:05". A nil
// loc means UTC; a zero t gives "".
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(orUTC(loc))
	return substitute(l.formats.DateTime, []any{"date", l.date(t), "time", l.clock(t)})
}

// Time formats the time of day of t in loc: "2:05 pm", "14:05".
func (l *Localizer) Time(t time.Time, loc *time.Location) string {
	return l.clock(t.In(orUTC(loc)))
}

func (l *Localizer) clock(t time.Time) string {
	f := &l.formats
	h := t.Hour()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	ampm := f.AM
	if h >= 12 {
		ampm = f.PM
	}
	return substitute(f.Time, []any{
		"HH", twoDigits(h),
		"H", strconv.Itoa(h),
		"h12", strconv.Itoa(h12),
		"mm", twoDigits(t.Minute()),
		"ampm", ampm,
	})
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
