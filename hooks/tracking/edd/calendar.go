package edd

import (
	"time"

	"github.com/rickar/cal/v2"
)

// Dates. Every date this package returns is a civil date held as a
// time.Time at 00:00 UTC. That survives a round trip through a database
// DateTime column (stored as UTC) without shifting a day, which a midnight in
// Europe/Berlin (23:00 UTC the day before) would not. Dates passed in (merchant
// holidays, carrier estimates, window bounds) are read from their own
// Year/Month/Day fields, whatever their location. To ask "has that day ended
// for the shopper yet" use EndOfDay with the destination's location.

// Date returns the civil date y-m-d in this package's form (00:00 UTC).
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the civil date on which the instant t falls in loc.
func DateOf(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Date(y, m, d)
}

// EndOfDay returns the instant at which civil date d ends in loc, i.e. the
// following local midnight (DST-correct: time.Date normalises it).
func EndOfDay(d time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, day := d.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, loc)
}

// civil normalises a date given in any location to the package's form,
// reading only its Year/Month/Day fields.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// CalendarSpec describes a Calendar.
type CalendarSpec struct {
	// Workdays are the weekdays that count as business days; empty means
	// Monday to Friday.
	Workdays []time.Weekday
	// Country (ISO 3166-1 alpha-2) whose public holidays are closed days, and
	// an optional region for countries with regional lists (AU states, DE
	// Länder). Empty Country: no public holidays.
	Country, Region string
	// OnlyHolidays, when non-nil, keeps only the public holidays with these
	// names (as the holiday library spells them, e.g. "Thanksgiving Day"):
	// some carriers work through minor public holidays.
	OnlyHolidays []string
	// Closed lists extra closed dates, e.g. the merchant's own holidays.
	Closed []time.Time
}

// Calendar answers business-day questions for one carrier or merchant. It is
// immutable once built and safe for concurrent use.
//
// Public holidays count as closed on both the actual date and the observed
// substitute (Christmas on a Saturday closes Saturday and the Monday or Friday
// it is observed on). That errs towards a later estimate, never an earlier
// one.
type Calendar struct {
	workdays [7]bool
	holidays []*cal.Holiday
	closed   map[time.Time]bool
}

// NewCalendar builds a Calendar from spec.
func NewCalendar(spec CalendarSpec) *Calendar {
	c := &Calendar{closed: make(map[time.Time]bool, len(spec.Closed))}
	for _, d := range spec.Workdays {
		if d >= time.Sunday && d <= time.Saturday {
			c.workdays[d] = true
		}
	}
	if c.workdays == [7]bool{} {
		for d := time.Monday; d <= time.Friday; d++ {
			c.workdays[d] = true
		}
	}
	all := publicHolidays(spec.Country, spec.Region)
	if spec.OnlyHolidays == nil {
		c.holidays = all
	} else {
		keep := make(map[string]bool, len(spec.OnlyHolidays))
		for _, n := range spec.OnlyHolidays {
			keep[n] = true
		}
		for _, h := range all {
			if keep[h.Name] {
				c.holidays = append(c.holidays, h)
			}
		}
	}
	for _, d := range spec.Closed {
		if !d.IsZero() {
			c.closed[civil(d)] = true
		}
	}
	return c
}

// HolidayName returns the name of the public holiday (or "closed date" for an
// extra closed date) falling on civil date d, or "" if there is none.
// Weekends are not holidays.
func (c *Calendar) HolidayName(d time.Time) string {
	d = civil(d)
	if c.closed[d] {
		return "closed date"
	}
	// Observed substitutes can cross a year boundary (New Year's Day on a
	// Saturday is observed on 31 December), so look at the neighbours too.
	for _, h := range c.holidays {
		for y := d.Year() - 1; y <= d.Year()+1; y++ {
			actual, observed := h.Calc(y)
			if actual.IsZero() {
				continue
			}
			if civil(actual).Equal(d) || civil(observed).Equal(d) {
				return h.Name
			}
		}
	}
	return ""
}

// IsBusinessDay reports whether civil date d is a workday that is not a
// holiday or closed date.
func (c *Calendar) IsBusinessDay(d time.Time) bool {
	d = civil(d)
	return c.workdays[d.Weekday()] && c.HolidayName(d) == ""
}

// NextBusinessDay returns the first business day strictly after d.
func (c *Calendar) NextBusinessDay(d time.Time) time.Time {
	return c.AddBusinessDays(d, 1)
}

// AddBusinessDays returns the n-th business day after civil date d (before
// it for negative n). n == 0 returns d itself, business day or not. Shipped on
// a Friday with one business day of Monday–Friday transit arrives on Monday.
func (c *Calendar) AddBusinessDays(d time.Time, n int) time.Time {
	d = civil(d)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if c.IsBusinessDay(d) {
			n--
		}
	}
	return d
}

// BusinessDaysBetween counts the business days d with from < d <= to, so
// AddBusinessDays(from, BusinessDaysBetween(from, to)) is the last business
// day on or before to. Use it to turn a shipped→delivered pair into a
// transit sample for learned estimates. It is negative when to is before
// from.
func (c *Calendar) BusinessDaysBetween(from, to time.Time) int {
	from, to = civil(from), civil(to)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsBusinessDay(d) {
			n++
		}
	}
	return sign * n
}
