package tracking

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/delay"
	"porchlight/hooks/tracking/edd"
	"porchlight/hooks/tracking/status"
)

// EDDChange is one entry of shipments.edd_history: every change of the
// window is kept with its reason, so no estimate ever moves silently.
type EDDChange struct {
	At     time.Time `json:"at"`
	Min    string    `json:"min"`
	Max    string    `json:"max"`
	Source string    `json:"source"`
	Reason string    `json:"reason"`
}

// context gathers what EDD and delay rules read about one shipment.
type shipContext struct {
	order *core.Record // only the contextOrder fields; nil when the shipment has no order
	brand brand.Brand
	eb    edd.Brand
}

// contextOrder is every order field EDD and delay rules read. An order row
// has some forty fields; building all of them for every tracking event was
// 7% of the webhook worker's CPU.
var contextOrder = []string{schema.FID, schema.Orders.ShipCountry, schema.Orders.ShipRegion, schema.Orders.ShipPostal, schema.Orders.PlacedAt}

func (t *Tracker) contextFor(app core.App, ship *core.Record) (shipContext, error) {
	var c shipContext
	b, eb, err := t.brand(app)
	if err != nil {
		return c, err
	}
	c.brand, c.eb = b, eb
	if id := ship.GetString(schema.Shipments.Order); id != "" {
		o := &core.Record{}
		err := app.RecordQuery(schema.COrders).Select(contextOrder...).
			AndWhere(dbx.HashExp{schema.FID: id}).Limit(1).One(o)
		if err != nil {
			return c, fmt.Errorf("load order %s: %w", id, err)
		}
		c.order = o
	}
	return c, nil
}

// eddBrand turns the brand's policies into the EDD's terms. The brand has no
// country field, so the origin country is read from its time zone.
func eddBrand(b brand.Brand) edd.Brand {
	eb := edd.Brand{Timezone: b.Timezone, CutoffHour: b.OrderCutoffHour, ProcessingDays: b.ProcessingDays, Country: CountryOfZone(b.Timezone)}
	if _, err := eb.Location(); err != nil {
		eb.Timezone = ""
	}
	for _, h := range b.Holidays {
		if d, err := time.Parse("2006-01-02", strings.TrimSpace(h)); err == nil {
			eb.Holidays = append(eb.Holidays, d)
		}
	}
	return eb
}

// zoneCountries maps common merchant time zones to their country; unknown
// zones give "" (the EDD then treats every route as international).
var zoneCountries = map[string]string{
	"America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Los_Angeles": "US",
	"America/Phoenix": "US", "America/Anchorage": "US", "America/Detroit": "US", "Pacific/Honolulu": "US",
	"America/Indiana/Indianapolis": "US", "America/Boise": "US",
	"America/Toronto": "CA", "America/Vancouver": "CA", "America/Edmonton": "CA", "America/Winnipeg": "CA",
	"America/Halifax": "CA", "America/Montreal": "CA",
	"Europe/London": "GB", "Europe/Dublin": "IE", "Europe/Berlin": "DE", "Europe/Paris": "FR",
	"Europe/Madrid": "ES", "Europe/Rome": "IT", "Europe/Amsterdam": "NL", "Europe/Brussels": "BE",
	"Europe/Vienna": "AT", "Europe/Zurich": "CH", "Europe/Stockholm": "SE", "Europe/Copenhagen": "DK",
	"Europe/Oslo": "NO", "Europe/Helsinki": "FI", "Europe/Lisbon": "PT", "Europe/Warsaw": "PL",
	"Australia/Sydney": "AU", "Australia/Melbourne": "AU", "Australia/Brisbane": "AU", "Australia/Perth": "AU",
	"Pacific/Auckland": "NZ", "Asia/Tokyo": "JP", "Asia/Singapore": "SG", "America/Mexico_City": "MX",
}

// CountryOfZone returns the ISO country of an IANA zone we know, else "".
func CountryOfZone(tz string) string { return zoneCountries[tz] }

func orderString(o *core.Record, f string) string {
	if o == nil {
		return ""
	}
	return o.GetString(f)
}

// eddInput builds the estimate's input for ship.
func (t *Tracker) eddInput(app core.App, ship *core.Record, c shipContext) (edd.Input, error) {
	sh, st, o := schema.Shipments, schema.ShipmentTracking, schema.Orders
	in := edd.Input{Brand: c.eb, Shipment: edd.Shipment{
		Carrier: strings.ToLower(ship.GetString(sh.Carrier)), Service: strings.ToLower(ship.GetString(sh.Service)),
		ShippedAt:   ship.GetDateTime(sh.ShippedAt).Time(),
		DestCountry: strings.ToUpper(orderString(c.order, o.ShipCountry)), DestRegion: orderString(c.order, o.ShipRegion),
		DestPostal: orderString(c.order, o.ShipPostal),
	}}
	if c.order != nil {
		in.PlacedAt = c.order.GetDateTime(o.PlacedAt).Time()
	}
	if in.PlacedAt.IsZero() {
		in.PlacedAt = ship.GetDateTime(schema.FCreated).Time()
	}
	if in.PlacedAt.IsZero() {
		in.PlacedAt = t.clock.Now()
	}
	if ce := ship.GetDateTime(st.CarrierEDD).Time(); !ce.IsZero() {
		in.CarrierEstimate = edd.Date(ce.Year(), ce.Month(), ce.Day())
	}
	hist, err := t.learnedHistory(app, in.Shipment, ship.Id)
	if err != nil {
		return in, err
	}
	in.History = hist
	return in, nil
}

// learnedHistory returns the observed transit business days of delivered
// shipments on the same lane (carrier × destination region, edd.RegionKey),
// newest first, at most 500 per carrier and country.
func (t *Tracker) learnedHistory(app core.App, s edd.Shipment, _ string) ([]int, error) {
	if s.Carrier == "" || s.DestCountry == "" {
		return nil, nil
	}
	key := s.Carrier + "|" + strings.ToUpper(s.DestCountry)
	lanes, ok := t.lanes.get(key)
	if !ok {
		var err error
		if lanes, err = t.queryLanes(app, s.Carrier, s.DestCountry); err != nil {
			return nil, err
		}
		t.lanes.put(key, lanes)
	}
	return lanes[edd.RegionKey(s.DestCountry, s.DestRegion, s.DestPostal)], nil
}

// laneCache keeps a carrier's learned samples per country for a few
// minutes, grouped by lane: a handful of new deliveries does not move a
// 10th–90th percentile, and reading them on every event cost a join per
// event (6% of webhook processing when cached per lane, as lanes are many).
type laneCache struct {
	mu sync.Mutex
	m  map[string]laneEntry
}

type laneEntry struct {
	lanes map[string][]int // edd.RegionKey → transit business days
	at    time.Time
}

const laneTTL = 5 * time.Minute

func (c *laneCache) get(k string) (map[string][]int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Since(e.at) > laneTTL {
		return nil, false
	}
	return e.lanes, true
}

func (c *laneCache) put(k string, lanes map[string][]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 5000 {
		c.m = map[string]laneEntry{}
	}
	c.m[k] = laneEntry{lanes: lanes, at: time.Now()}
}

// queryLanes reads the newest 500 delivered shipments of carrier to country
// and groups their transit business days by lane.
func (t *Tracker) queryLanes(app core.App, carrier, country string) (map[string][]int, error) {
	sh, o := schema.Shipments, schema.Orders
	var rows []struct {
		Shipped   string `db:"shipped"`
		Delivered string `db:"delivered"`
		Region    string `db:"region"`
		Postal    string `db:"postal"`
	}
	q := fmt.Sprintf(`SELECT s.[[%s]] AS shipped, s.[[%s]] AS delivered, o.[[%s]] AS region, o.[[%s]] AS postal
		FROM {{%s}} s JOIN {{%s}} o ON o.[[id]] = s.[[%s]]
		WHERE s.[[%s]] = {:carrier} AND s.[[%s]] = 'delivered' AND s.[[%s]] != '' AND s.[[%s]] != ''
		AND UPPER(o.[[%s]]) = {:country}
		ORDER BY s.[[%s]] DESC LIMIT 500`,
		sh.ShippedAt, sh.DeliveredAt, o.ShipRegion, o.ShipPostal,
		schema.CShipments, schema.COrders, sh.Order,
		sh.Carrier, sh.Status, sh.ShippedAt, sh.DeliveredAt, o.ShipCountry, sh.DeliveredAt)
	if err := app.DB().NewQuery(q).Bind(dbx.Params{"carrier": carrier, "country": strings.ToUpper(country)}).All(&rows); err != nil {
		return nil, fmt.Errorf("learned history %s/%s: %w", carrier, country, err)
	}
	out := map[string][]int{}
	cals := map[string]*edd.Calendar{}
	for _, r := range rows {
		from, err1 := schema.ParseDBTime(r.Shipped)
		to, err2 := schema.ParseDBTime(r.Delivered)
		if err1 != nil || err2 != nil {
			continue
		}
		cal, ok := cals[r.Region]
		if !ok {
			cal = t.carrierCalendar(carrier, country, r.Region)
			cals[r.Region] = cal
		}
		k := edd.RegionKey(country, r.Region, r.Postal)
		out[k] = append(out[k], cal.BusinessDaysBetween(edd.DateOf(from, time.UTC), edd.DateOf(to, time.UTC)))
	}
	return out, nil
}

func (t *Tracker) carrierCalendar(carrier, country, region string) *edd.Calendar {
	rule, ok := t.rules.Carriers[carrier]
	if !ok {
		rule = t.rules.Carriers["*"]
	}
	return edd.NewCalendar(edd.CalendarSpec{Workdays: rule.DeliveryDays, Country: country, Region: region, OnlyHolidays: rule.ObservedHolidays[country]})
}

// applyEDD recomputes ship's window and, when its dates moved, sets the
// fields and appends to edd_history with why. The caller saves ship.
func (t *Tracker) applyEDD(app core.App, ship *core.Record, c shipContext, cause string) (bool, error) {
	sh := schema.Shipments
	if statusOf(ship) == status.Delivered {
		return false, nil // the window is history once delivered
	}
	in, err := t.eddInput(app, ship, c)
	if err != nil {
		return false, err
	}
	now := t.clock.Now()
	w, err := edd.Estimate(in, &t.rules, now)
	if err != nil {
		return false, fmt.Errorf("estimate delivery of %s: %w", ship.Id, err)
	}
	old := edd.Window{Source: ship.GetString(sh.EDDSource)}
	if d := ship.GetDateTime(sh.EDDMin).Time(); !d.IsZero() {
		old.Min = edd.Date(d.Year(), d.Month(), d.Day())
	}
	if d := ship.GetDateTime(sh.EDDMax).Time(); !d.IsZero() {
		old.Max = edd.Date(d.Year(), d.Month(), d.Day())
	}
	changed, why := edd.Changed(old, w)
	if !changed {
		if ship.GetString(sh.EDDSource) != w.Source || ship.GetString(sh.EDDReason) != w.Reason {
			ship.Set(sh.EDDSource, w.Source)
			ship.Set(sh.EDDReason, truncate(w.Reason, 1900))
		}
		return false, nil
	}
	var hist []EDDChange
	_ = ship.UnmarshalJSONField(sh.EDDHistory, &hist)
	if len(hist) >= 200 {
		hist = hist[len(hist)-199:]
	}
	hist = append(hist, EDDChange{At: now.UTC(), Min: w.Min.Format("2006-01-02"), Max: w.Max.Format("2006-01-02"),
		Source: w.Source, Reason: truncate(cause+": "+why, 1000)})
	raw, err := json.Marshal(hist)
	if err != nil {
		return false, err
	}
	ship.Set(sh.EDDHistory, string(raw))
	setTime(ship, sh.EDDMin, w.Min)
	setTime(ship, sh.EDDMax, w.Max)
	ship.Set(sh.EDDSource, w.Source)
	ship.Set(sh.EDDReason, truncate(w.Reason, 1900))
	return true, nil
}

// EDDHistory reads a shipment's EDD history.
func EDDHistory(ship *core.Record) []EDDChange {
	var hist []EDDChange
	_ = ship.UnmarshalJSONField(schema.Shipments.EDDHistory, &hist)
	return hist
}

// refresh recomputes EDD and delay flag of ship after something about it
// changed (cause says what). The caller saves ship.
func (t *Tracker) refresh(app core.App, ship *core.Record, cause string) error {
	c, err := t.contextFor(app, ship)
	if err != nil {
		return err
	}
	if _, err := t.applyEDD(app, ship, c, cause); err != nil {
		return err
	}
	t.applyDelay(ship, c, t.clock.Now())
	return nil
}

// applyDelay evaluates the delay rules and sets delayed, delay_reason and
// next_check_at. It reports whether the flag or reason changed.
func (t *Tracker) applyDelay(ship *core.Record, c shipContext, now time.Time) bool {
	sh, st := schema.Shipments, schema.ShipmentTracking
	civil := func(f string) time.Time {
		d := ship.GetDateTime(f).Time()
		if d.IsZero() {
			return time.Time{}
		}
		return edd.Date(d.Year(), d.Month(), d.Day())
	}
	snap := delay.Snapshot{
		ShippedAt: ship.GetDateTime(sh.ShippedAt).Time(), Status: statusOf(ship), Substatus: ship.GetString(sh.Substatus),
		LastEventAt: ship.GetDateTime(sh.LastEventAt).Time(), EDDMin: civil(sh.EDDMin), EDDMax: civil(sh.EDDMax),
		DeliveredAt: ship.GetDateTime(sh.DeliveredAt).Time(), Delayed: ship.GetBool(sh.Delayed), DelayReason: ship.GetString(sh.DelayReason),
	}
	if c.order != nil {
		snap.PlacedAt = c.order.GetDateTime(schema.Orders.PlacedAt).Time()
	}
	if snap.PlacedAt.IsZero() {
		snap.PlacedAt = ship.GetDateTime(schema.FCreated).Time()
	}
	p := delay.DefaultPolicy(c.eb)
	if c.brand.DeliveryGraceHours > 0 {
		p.DeliveryGraceHours = c.brand.DeliveryGraceHours
	}
	v := delay.Evaluate(snap, p, now)
	changed := v.Delayed != snap.Delayed || v.Reason != snap.DelayReason
	if changed {
		ship.Set(sh.Delayed, v.Delayed)
		ship.Set(sh.DelayReason, v.Reason)
	}
	setTime(ship, st.NextCheckAt, v.NextCheck)
	return changed
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// brand loads the brand's policies (kept in memory by brand.Register).
func (t *Tracker) brand(app core.App) (brand.Brand, edd.Brand, error) {
	b, err := brand.Load(app)
	if err != nil {
		return b, edd.Brand{}, err
	}
	return b, eddBrand(b), nil
}
