package edd

import (
	"testing"
	"time"
)

func TestCalendarHolidays(t *testing.T) {
	scenarios := []struct {
		name string
		spec CalendarSpec
		date time.Time
		want string
	}{
		{"US Thanksgiving", CalendarSpec{Country: "US"}, Date(2025, 11, 27), "Thanksgiving Day"},
		{"US day after Thanksgiving is open", CalendarSpec{Country: "US"}, Date(2025, 11, 28), ""},
		{"US Christmas", CalendarSpec{Country: "us"}, Date(2025, 12, 25), "Christmas Day"},
		{"US New Year observed in the previous year", CalendarSpec{Country: "US"}, Date(2021, 12, 31), "New Year's Day"},
		{"GB summer bank holiday", CalendarSpec{Country: "GB"}, Date(2025, 8, 25), "Summer Bank Holiday"},
		{"UK alias", CalendarSpec{Country: "UK"}, Date(2025, 12, 26), "Boxing Day"},
		{"Boxing Day on Saturday observed Monday", CalendarSpec{Country: "GB"}, Date(2026, 12, 28), "Boxing Day"},
		{"CA Canada Day", CalendarSpec{Country: "CA"}, Date(2025, 7, 1), "Canada Day"},
		{"DE unity day", CalendarSpec{Country: "DE"}, Date(2025, 10, 3), "Tag der Deutschen Einheit"},
		{"DE Corpus Christi only in Bavaria", CalendarSpec{Country: "DE", Region: "BY"}, Date(2025, 6, 19), "Fronleichnam"},
		{"DE Corpus Christi not national", CalendarSpec{Country: "DE"}, Date(2025, 6, 19), ""},
		{"FR Bastille day", CalendarSpec{Country: "FR"}, Date(2025, 7, 14), "Fête Nationale"},
		{"ES national day", CalendarSpec{Country: "ES"}, Date(2025, 10, 12), "Fiesta Nacional de España"},
		{"AU Anzac day (national)", CalendarSpec{Country: "AU"}, Date(2025, 4, 25), "ANZAC Day"},
		{"AU Melbourne Cup only in VIC", CalendarSpec{Country: "AU", Region: "AU-VIC"}, Date(2025, 11, 4), "Melbourne Cup"},
		{"NL King's day", CalendarSpec{Country: "NL"}, Date(2025, 4, 26), "Koningsdag"},
		{"IT Republic day", CalendarSpec{Country: "IT"}, Date(2025, 6, 2), "Festa della Repubblica"},
		{"filtered out", CalendarSpec{Country: "US", OnlyHolidays: usPrivateCarrier()["US"]}, Date(2025, 11, 11), ""},
		{"kept by filter", CalendarSpec{Country: "US", OnlyHolidays: usPrivateCarrier()["US"]}, Date(2025, 11, 27), "Thanksgiving Day"},
		{"merchant closed date in any location", CalendarSpec{Closed: []time.Time{time.Date(2025, 3, 5, 0, 0, 0, 0, time.FixedZone("x", 10*3600))}}, Date(2025, 3, 5), "closed date"},
		{"unknown country has none", CalendarSpec{Country: "ZZ"}, Date(2025, 12, 25), ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := NewCalendar(s.spec).HolidayName(s.date); got != s.want {
				t.Errorf("HolidayName(%s) = %q, want %q", s.date.Format(time.DateOnly), got, s.want)
			}
		})
	}
}

func TestAddBusinessDays(t *testing.T) {
	monFri := NewCalendar(CalendarSpec{Country: "US"})
	monSatCal := NewCalendar(CalendarSpec{Country: "US", Workdays: monSat()})
	scenarios := []struct {
		name string
		cal  *Calendar
		from time.Time
		n    int
		want time.Time
	}{
		{"zero is the same day", monFri, Date(2025, 3, 8), 0, Date(2025, 3, 8)},
		{"friday plus one is monday", monFri, Date(2025, 3, 7), 1, Date(2025, 3, 10)},
		{"saturday counts for Mon-Sat", monSatCal, Date(2025, 3, 7), 1, Date(2025, 3, 8)},
		{"skips Thanksgiving", monFri, Date(2025, 11, 26), 1, Date(2025, 11, 28)},
		{"backwards", monFri, Date(2025, 3, 10), -1, Date(2025, 3, 7)},
		{"backwards over a holiday", monFri, Date(2025, 11, 28), -1, Date(2025, 11, 26)},
		{"non-UTC input is read as a civil date", monFri, time.Date(2025, 3, 7, 23, 0, 0, 0, time.FixedZone("-8", -8*3600)), 1, Date(2025, 3, 10)},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := s.cal.AddBusinessDays(s.from, s.n); !got.Equal(s.want) {
				t.Errorf("got %s, want %s", got.Format(time.DateOnly), s.want.Format(time.DateOnly))
			}
		})
	}
	if got := monFri.NextBusinessDay(Date(2025, 12, 24)); !got.Equal(Date(2025, 12, 26)) {
		t.Errorf("NextBusinessDay after Christmas Eve = %s", got.Format(time.DateOnly))
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	c := NewCalendar(CalendarSpec{Country: "US"})
	scenarios := []struct {
		from, to time.Time
		want     int
	}{
		{Date(2025, 3, 3), Date(2025, 3, 3), 0},
		{Date(2025, 3, 3), Date(2025, 3, 4), 1},
		{Date(2025, 3, 7), Date(2025, 3, 10), 1},   // weekend
		{Date(2025, 3, 7), Date(2025, 3, 9), 0},    // delivered on Sunday
		{Date(2025, 11, 26), Date(2025, 12, 1), 2}, // Thanksgiving, weekend
		{Date(2025, 3, 10), Date(2025, 3, 7), -1},
	}
	for _, s := range scenarios {
		if got := c.BusinessDaysBetween(s.from, s.to); got != s.want {
			t.Errorf("BusinessDaysBetween(%s, %s) = %d, want %d", s.from.Format(time.DateOnly), s.to.Format(time.DateOnly), got, s.want)
		}
	}
}

func TestEmptyWorkdaysMeansMondayToFriday(t *testing.T) {
	c := NewCalendar(CalendarSpec{})
	if c.IsBusinessDay(Date(2025, 3, 8)) || !c.IsBusinessDay(Date(2025, 3, 7)) {
		t.Fatal("default workdays should be Monday to Friday")
	}
}

func TestDateHelpers(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	// 23:30 UTC on 25 Nov is still the 25th in Los Angeles; 07:30 UTC on the
	// 26th is the 25th too.
	if got := DateOf(time.Date(2025, 11, 26, 7, 30, 0, 0, time.UTC), la); !got.Equal(Date(2025, 11, 25)) {
		t.Errorf("DateOf = %s", got)
	}
	// The day of the DST switch is 23 hours long in Los Angeles.
	end := EndOfDay(Date(2025, 3, 9), la)
	if want := time.Date(2025, 3, 10, 7, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Errorf("EndOfDay = %s, want %s", end.UTC(), want)
	}
	if got := EndOfDay(Date(2025, 3, 9), nil); !got.Equal(Date(2025, 3, 10)) {
		t.Errorf("EndOfDay nil loc = %s", got)
	}
}
