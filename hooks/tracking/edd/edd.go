// Package edd computes a shipment's estimated delivery window: a range of
// civil dates in the destination's calendar, with the reason it was chosen.
//
// It is pure Go with no PocketBase import, and every rule takes the current
// time as an argument, so the demo clock and tests control it.
//
// The window is built in three steps:
//
//  1. Handover date: the shipped date if the shipment has shipped (no
//     cutoff applies to an actual carrier handover). Otherwise the order's
//     effective day, the order date in the brand's time zone, moved to the
//     next business day if the order came at or after the cutoff hour or on a
//     closed day, plus the processing days on the brand's calendar (its
//     workdays, its country's public holidays and its own closed dates). If
//     that day is already gone and the parcel has not shipped, processing is
//     running late and the earliest handover counted from now is used.
//  2. Transit: business days on the carrier's calendar (its delivery
//     weekdays, the destination country's public holidays) after the
//     handover. The span comes from learned history when the lane has enough
//     samples (Source "learned"), else from the carrier × zone table
//     (Source "rules").
//  3. A carrier-provided estimate replaces the window (Source "carrier")
//     when it is plausible; see Estimate.
package edd

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // brand and shopper time zones must resolve on hosts without a zoneinfo database

	"porchlight/hooks/clock"
)

// Window sources.
const (
	SourceRules   = "rules"
	SourceLearned = "learned"
	SourceCarrier = "carrier"
)

// Brand is the merchant's fulfilment policy.
type Brand struct {
	// Timezone is the IANA zone the cutoff and order dates are read in;
	// empty means UTC.
	Timezone string
	// CutoffHour: orders placed at or after this local hour count from the
	// next business day. 0 (or 24 and above) means no cutoff.
	CutoffHour int
	// ProcessingDays are business days between the effective order day and
	// handover to the carrier; 0 ships the same day.
	ProcessingDays int
	// Country is where orders are packed; its public holidays are closed days.
	Country string
	// Region of Country, for countries with regional holiday lists.
	Region string
	// ShipDays are the weekdays the warehouse ships on; empty means Monday to
	// Friday.
	ShipDays []time.Weekday
	// Holidays are extra closed dates (only their date part is read).
	Holidays []time.Time
}

// Calendar returns the brand's processing calendar.
func (b Brand) Calendar() *Calendar {
	return NewCalendar(CalendarSpec{
		Workdays: b.ShipDays,
		Country:  b.Country,
		Region:   b.Region,
		Closed:   b.Holidays,
	})
}

// Location resolves Timezone ("" is UTC).
func (b Brand) Location() (*time.Location, error) {
	if b.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := clock.Location(b.Timezone)
	if err != nil {
		return nil, fmt.Errorf("brand timezone %q: %w", b.Timezone, err)
	}
	return loc, nil
}

// Shipment is what the EDD needs to know about the parcel.
type Shipment struct {
	// Carrier is the lowercase carrier id ("ups", "royalmail", "simulator").
	Carrier string
	// Service is the carrier's service level ("ground", "priority"); optional.
	Service string
	// ShippedAt is when the carrier took the parcel; zero if not yet shipped.
	ShippedAt time.Time
	// OriginCountry defaults to Brand.Country.
	OriginCountry string
	// DestCountry is an ISO 3166-1 alpha-2 code.
	DestCountry string
	// DestRegion (state, province, Land) and DestPostal refine holidays and
	// learned lanes; both optional.
	DestRegion, DestPostal string
	// DestTimezone is the shopper's IANA zone, used to tell whether a carrier
	// estimate is already in the past; empty means the brand's zone.
	DestTimezone string
}

// Input is everything Estimate reads.
type Input struct {
	PlacedAt time.Time
	Brand    Brand
	Shipment Shipment
	// CarrierEstimate is the carrier's own delivery date (date part only);
	// zero if none.
	CarrierEstimate time.Time
	// History holds observed transit business days for this lane (carrier ×
	// destination region, see RegionKey).
	History []int
}

// Window is an estimated delivery window. Min and Max are civil dates at
// 00:00 UTC (see Date); read them with Date() and format them without a time
// zone conversion.
type Window struct {
	Min, Max time.Time
	// ShipBy is the handover date the window was counted from.
	ShipBy time.Time
	// Source is SourceRules, SourceLearned or SourceCarrier.
	Source string
	// Reason explains the window in English for the admin timeline.
	Reason string
}

// IsZero reports whether w holds no estimate.
func (w Window) IsZero() bool { return w.Min.IsZero() && w.Max.IsZero() }

// ShipBy returns the date an order placed at placedAt should be handed to
// the carrier under brand b's cutoff and processing days. The delay rules
// use it to decide when an unshipped order is late.
func ShipBy(placedAt time.Time, b Brand) (time.Time, error) {
	loc, err := b.Location()
	if err != nil {
		return time.Time{}, err
	}
	d, _ := shipBy(placedAt, b, loc, b.Calendar())
	return d, nil
}

// effectiveDay is the business day an order placed at t starts processing
// on, with a note on why it moved.
func effectiveDay(t time.Time, b Brand, loc *time.Location, c *Calendar) (time.Time, string) {
	local := t.In(loc)
	day := DateOf(t, loc)
	hasCutoff := b.CutoffHour > 0 && b.CutoffHour < 24
	switch {
	case hasCutoff && local.Hour() >= b.CutoffHour:
		return c.NextBusinessDay(day), fmt.Sprintf("ordered after %02d:00 cutoff", b.CutoffHour)
	case !c.IsBusinessDay(day):
		return c.NextBusinessDay(day), "ordered on a non-business day"
	case hasCutoff:
		return day, fmt.Sprintf("ordered before %02d:00 cutoff", b.CutoffHour)
	default:
		return day, ""
	}
}

func shipBy(placedAt time.Time, b Brand, loc *time.Location, c *Calendar) (time.Time, []string) {
	start, note := effectiveDay(placedAt, b, loc, c)
	var notes []string
	if note != "" {
		notes = append(notes, note)
	}
	days := max(b.ProcessingDays, 0)
	handover := c.AddBusinessDays(start, days)
	note = plural(days, "processing day")
	if skipped := holidaysBetween(c, DateOf(placedAt, loc), handover); len(skipped) > 0 {
		note += " (skips " + strings.Join(skipped, ", ") + ")"
	}
	return handover, append(notes, note)
}

// Estimate computes the delivery window.
//
// A carrier estimate is plausible, and then used as a one-day window, when
// it is (a) not before today in the shopper's time zone, (b) not before the
// handover date, and (c) at most Rules.CarrierSlackDays calendar days after
// the computed window's Max. Earlier than the computed Min is fine: the
// carrier may know of a faster service. An implausible estimate is ignored and
// the reason says why.
//
// r may be nil for DefaultRules. The only error is an unknown time zone.
func Estimate(in Input, r *Rules, now time.Time) (Window, error) {
	if r == nil {
		d := DefaultRules()
		r = &d
	}
	brandLoc, err := in.Brand.Location()
	if err != nil {
		return Window{}, err
	}
	destLoc := brandLoc
	if tz := in.Shipment.DestTimezone; tz != "" {
		if destLoc, err = clock.Location(tz); err != nil {
			return Window{}, fmt.Errorf("destination timezone %q: %w", tz, err)
		}
	}
	if in.PlacedAt.IsZero() && in.Shipment.ShippedAt.IsZero() {
		return Window{}, errors.New("edd: neither placed_at nor shipped_at is set")
	}

	var reason []string
	var handover time.Time
	brandCal := in.Brand.Calendar()
	if at := in.Shipment.ShippedAt; !at.IsZero() {
		handover = DateOf(at, brandLoc)
		reason = append(reason, "shipped "+day(handover))
	} else {
		var notes []string
		handover, notes = shipBy(in.PlacedAt, in.Brand, brandLoc, brandCal)
		reason = append(reason, notes...)
		if earliest, _ := effectiveDay(now, in.Brand, brandLoc, brandCal); handover.Before(earliest) {
			handover = earliest
			reason = append(reason, "not shipped yet, counting from "+day(handover))
		} else {
			reason = append(reason, "ships by "+day(handover))
		}
	}

	carrier, service := normID(in.Shipment.Carrier), normID(in.Shipment.Service)
	origin := in.Shipment.OriginCountry
	if origin == "" {
		origin = in.Brand.Country
	}
	dest := normCountry(in.Shipment.DestCountry)
	zone := r.ZoneOf(origin, dest)
	cr := r.carrier(carrier, service)
	carrierCal := NewCalendar(CalendarSpec{
		Workdays:     cr.DeliveryDays,
		Country:      dest,
		Region:       in.Shipment.DestRegion,
		OnlyHolidays: cr.ObservedHolidays[dest],
	})

	label := cr.Name
	if service != "" {
		label += " " + strings.ReplaceAll(service, "_", " ")
	}
	if label == "" {
		label = "carrier"
	}
	destName := dest
	if destName == "" {
		destName = "unknown destination"
	}

	w := Window{ShipBy: handover, Source: SourceRules}
	span := r.transit(carrier, service).For(zone)
	transitNote := fmt.Sprintf("%s %s to %s (%s)", label, businessDays(span), destName, zone)
	if learned, n, ok := LearnedSpan(in.History, r.minSamples()); ok {
		span = learned
		w.Source = SourceLearned
		transitNote = fmt.Sprintf("%s %s to %s (learned: 10th–90th percentile of %d deliveries)",
			label, businessDays(span), RegionKey(dest, in.Shipment.DestRegion, in.Shipment.DestPostal), n)
	}
	reason = append(reason, transitNote)
	w.Min = arrive(carrierCal, handover, span.Min)
	w.Max = arrive(carrierCal, handover, max(span.Max, span.Min))
	if skipped := holidaysBetween(carrierCal, handover, w.Max); len(skipped) > 0 {
		reason = append(reason, "skips "+strings.Join(skipped, ", "))
	}
	if !HasPublicHolidays(dest) && dest != "" {
		reason = append(reason, "no public-holiday data for "+dest)
	}

	if est := in.CarrierEstimate; !est.IsZero() {
		est = civil(est)
		today := DateOf(now, destLoc)
		limit := w.Max.AddDate(0, 0, r.carrierSlackDays())
		switch {
		case est.Before(today):
			reason = append(reason, "carrier estimate "+day(est)+" ignored: already past")
		case est.Before(handover):
			reason = append(reason, "carrier estimate "+day(est)+" ignored: before the parcel ships")
		case est.After(limit):
			reason = append(reason, fmt.Sprintf("carrier estimate %s ignored: more than %d days after the computed %s–%s",
				day(est), r.carrierSlackDays(), day(w.Min), day(w.Max)))
		default:
			reason = append(reason, fmt.Sprintf("carrier estimate %s (computed %s–%s)", day(est), day(w.Min), day(w.Max)))
			w.Min, w.Max, w.Source = est, est, SourceCarrier
		}
	}
	w.Reason = strings.Join(reason, "; ")
	return w, nil
}

// arrive returns the delivery date n business days after handover; a
// same-day (n == 0) delivery still needs a delivery day.
func arrive(c *Calendar, handover time.Time, n int) time.Time {
	if n <= 0 {
		if c.IsBusinessDay(handover) {
			return handover
		}
		return c.NextBusinessDay(handover)
	}
	return c.AddBusinessDays(handover, n)
}

// holidaysBetween names the holidays on weekdays the calendar would
// otherwise work, in (from, to].
func holidaysBetween(c *Calendar, from, to time.Time) []string {
	var names []string
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if !c.workdays[d.Weekday()] {
			continue
		}
		if n := c.HolidayName(d); n != "" {
			names = append(names, n+" ("+day(d)+")")
		}
	}
	return names
}

// Changed reports whether the window's dates moved between old and new, and
// a reason for the EDD history. A change of Source alone is not a change:
// the shopper sees the same dates.
func Changed(old, new Window) (bool, string) {
	switch {
	case old.IsZero() && new.IsZero():
		return false, ""
	case old.IsZero():
		return true, "first estimate " + span(new) + ": " + new.Reason
	case new.IsZero():
		return true, "estimate withdrawn (was " + span(old) + ")"
	}
	oMin, oMax, nMin, nMax := civil(old.Min), civil(old.Max), civil(new.Min), civil(new.Max)
	if oMin.Equal(nMin) && oMax.Equal(nMax) {
		return false, ""
	}
	var what string
	shift := int(nMax.Sub(oMax).Hours() / 24)
	switch {
	case shift > 0:
		what = "later by " + plural(shift, "day")
	case shift < 0:
		what = "earlier by " + plural(-shift, "day")
	case nMin.After(oMin):
		what = "window narrowed"
	default:
		what = "window widened"
	}
	msg := fmt.Sprintf("%s (was %s, now %s)", what, span(old), span(new))
	if old.Source != new.Source && old.Source != "" {
		msg += ", source " + old.Source + " → " + new.Source
	}
	return true, msg + ": " + new.Reason
}

func span(w Window) string {
	if civil(w.Min).Equal(civil(w.Max)) {
		return day(w.Min)
	}
	return day(w.Min) + "–" + day(w.Max)
}

func day(d time.Time) string { return d.Format("Mon 2 Jan 2006") }

func businessDays(s Span) string {
	if s.Min == s.Max {
		return plural(s.Min, "business day")
	}
	return fmt.Sprintf("%d–%d business days", s.Min, s.Max)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
