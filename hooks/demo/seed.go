package demo

import (
	_ "embed"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
	"porchlight/hooks/token"
)

// Sizes of the seeded store.
const (
	SeedOrders    = 320
	SeedCustomers = 280
	SeedDays      = 60
)

// Stats describes what seeding created.
type Stats struct {
	Skipped   bool
	Products  int
	Customers int
	Orders    int
	Shipments int
	Events    int
}

// Seeded reports whether the demo store already exists in app.
func Seeded(app core.App) (bool, error) {
	n, err := app.CountRecords(schema.COrders, dbx.HashExp{schema.Orders.Source: schema.SourceDemo})
	if err != nil {
		return false, fmt.Errorf("count demo orders: %w", err)
	}
	return n > 0, nil
}

// Seed creates the demo store as it would look at now: 60 days of orders,
// shipped parcels part-way through their journeys. Running it on a store
// that already has demo orders does nothing.
func (s *Store) Seed(app core.App, now time.Time) (Stats, error) {
	var st Stats
	if ok, err := Seeded(app); err != nil || ok {
		st.Skipped = ok
		return st, err
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := s.seedBrand(tx); err != nil {
			return err
		}
		if err := s.seedProducts(tx); err != nil {
			return err
		}
		st.Products = len(catalogue)
		customers, err := s.seedCustomers(tx, now)
		if err != nil {
			return err
		}
		st.Customers = len(customers)

		times := make([]time.Time, SeedOrders)
		for i := range times {
			times[i] = s.orderTime(now.Add(-time.Duration(s.rng.Float64() * float64(SeedDays*24*time.Hour))))
			if times[i].After(now) {
				times[i] = now.Add(-time.Minute)
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		for i, at := range times {
			cust := customers[i%len(customers)]
			if i >= len(customers) {
				cust = customers[s.rng.IntN(len(customers))] // repeat buyers
			}
			order, err := s.createOrder(tx, 1001+i, cust, at)
			if err != nil {
				return err
			}
			st.Orders++
			n, ev, err := s.fulfil(tx, order, now)
			if err != nil {
				return err
			}
			st.Shipments += n
			st.Events += ev
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("seed demo store: %w", err)
	}
	return st, nil
}

//go:embed fernhill-logo.svg
var logoSVG []byte

func (s *Store) seedBrand(tx core.App) error {
	recs, err := tx.FindRecordsByFilter(schema.CBrand, "", "created", 1, 0)
	if err != nil {
		return err
	}
	var rec *core.Record
	if len(recs) > 0 {
		// Only replace the untouched default, never a merchant's brand.
		if recs[0].GetString(schema.Brand.Name) != brand.Default().Name {
			return nil
		}
		rec = recs[0]
	} else {
		col, err := tx.FindCachedCollectionByNameOrId(schema.CBrand)
		if err != nil {
			return err
		}
		rec = core.NewRecord(col)
	}
	brand.Apply(rec, demoBrand())
	logo, err := filesystem.NewFileFromBytes(logoSVG, "fernhill-logo.svg")
	if err != nil {
		return fmt.Errorf("demo logo: %w", err)
	}
	rec.Set(schema.Brand.Logo, logo)
	if err := tx.Save(rec); err != nil {
		return fmt.Errorf("demo brand: %w", err)
	}
	return nil
}

func (s *Store) seedProducts(tx core.App) error {
	col, err := tx.FindCachedCollectionByNameOrId(schema.CProducts)
	if err != nil {
		return err
	}
	p := schema.Products
	for _, c := range catalogue {
		rec, err := tx.FindFirstRecordByData(schema.CProducts, p.SKU, c.SKU)
		if err != nil {
			rec = core.NewRecord(col)
		}
		rec.Set(p.SKU, c.SKU)
		rec.Set(p.Title, c.Title)
		rec.Set(p.Variant, c.Variant)
		rec.Set(p.ProductType, c.Type)
		rec.Set(p.Supplier, c.Supplier)
		rec.Set(p.GuideSlug, c.Guide)
		rec.Set(p.ReplenishDays, c.ReplenishDays)
		rec.Set(p.Returnable, c.Returnable)
		rec.Set(p.PriceCents, c.PriceCents)
		rec.Set(p.Source, schema.SourceDemo)
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("seed product %s: %w", c.SKU, err)
		}
	}
	return nil
}

type customer struct {
	rec     *core.Record
	country country
	city    city
	acqIdx  int
	angle   string
}

func (s *Store) seedCustomers(tx core.App, now time.Time) ([]customer, error) {
	out := make([]customer, 0, SeedCustomers)
	for i := 0; i < SeedCustomers; i++ {
		c, err := s.newCustomer(tx, i, now)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Store) newCustomer(tx core.App, n int, now time.Time) (customer, error) {
	col, err := tx.FindCachedCollectionByNameOrId(schema.CCustomers)
	if err != nil {
		return customer{}, err
	}
	ctry := countries[pick(s.rng, len(countries), func(i int) int { return countries[i].Weight })]
	cty := ctry.Cities[s.rng.IntN(len(ctry.Cities))]
	acq := pick(s.rng, len(acquisitions), func(i int) int { return acquisitions[i].Weight })
	angles := acquisitions[acq].Angles
	first, last := firstNames[s.rng.IntN(len(firstNames))], lastNames[s.rng.IntN(len(lastNames))]
	f := schema.Customers
	rec := core.NewRecord(col)
	email := fmt.Sprintf("%s.%s.%d@example.com", asciiLower(first), asciiLower(last), n)
	rec.Set(f.Email, email)
	rec.Set(f.Phone, fmt.Sprintf("%s%s", ctry.Phone, phoneDigits(s.rng, ctry.Code)))
	rec.Set(f.FirstName, first)
	rec.Set(f.LastName, last)
	rec.Set(f.Locale, ctry.Locale)
	rec.Set(f.Country, ctry.Code)
	emailOK, smsOK := s.rng.IntN(100) < 62, s.rng.IntN(100) < 38
	rec.Set(f.EmailMarketing, emailOK)
	rec.Set(f.SMSTransactional, smsOK)
	rec.Set(f.SMSMarketing, smsOK && s.rng.IntN(100) < 55)
	rec.Set(f.ConsentLog, []map[string]any{{"at": now.Add(-time.Duration(s.rng.IntN(60*24)) * time.Hour).Format(time.RFC3339), "source": "checkout", "email_marketing": emailOK, "sms": smsOK}})
	rec.Set(f.Source, schema.SourceDemo)
	rec.Set(f.ExternalID, fmt.Sprintf("demo-c-%d", n))
	rec.Set(f.AcqSource, acquisitions[acq].Source)
	rec.Set(f.AcqCampaign, acquisitions[acq].Campaign)
	rec.Set(f.AdAngle, angles[s.rng.IntN(len(angles))])
	rec.Set(f.State, []string{schema.StateHappy, schema.StateContent, schema.StateContent}[s.rng.IntN(3)])
	rec.Set(f.UnsubscribeToken, token.New())
	if err := tx.Save(rec); err != nil {
		return customer{}, fmt.Errorf("seed customer: %w", err)
	}
	return customer{rec: rec, country: ctry, city: cty, acqIdx: acq, angle: rec.GetString(f.AdAngle)}, nil
}

// orderTime nudges a time into the shop's busy hours (US daytime).
func (s *Store) orderTime(t time.Time) time.Time {
	loc, _ := time.LoadLocation("America/New_York")
	l := t.In(loc)
	h := 7 + s.rng.IntN(16) // 07:00-22:59
	return time.Date(l.Year(), l.Month(), l.Day(), h, s.rng.IntN(60), s.rng.IntN(60), 0, loc).UTC()
}

func (s *Store) createOrder(tx core.App, number int, c customer, at time.Time) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId(schema.COrders)
	if err != nil {
		return nil, err
	}
	o, cf := schema.Orders, schema.Customers
	rec := core.NewRecord(col)
	rec.Set(o.Source, schema.SourceDemo)
	rec.Set(o.ExternalID, fmt.Sprintf("demo-%d", number))
	rec.Set(o.Number, fmt.Sprintf("#%d", number))
	rec.Set(o.Customer, c.rec.Id)
	rec.Set(o.Email, c.rec.GetString(cf.Email))
	rec.Set(o.Phone, c.rec.GetString(cf.Phone))
	rec.Set(o.PlacedAt, at)
	rec.Set(o.SourceUpdatedAt, at)
	rec.Set(o.Currency, c.country.Currency)
	rec.Set(o.FinancialStatus, "paid")
	rec.Set(o.FulfillmentStatus, "unfulfilled")
	rec.Set(o.Status, schema.OrderUnfulfilled)
	rec.Set(o.ShipName, c.rec.GetString(cf.FirstName)+" "+c.rec.GetString(cf.LastName))
	rec.Set(o.ShipLine1, fmt.Sprintf("%d %s", 10+s.rng.IntN(980), []string{"Maple Street", "High Street", "Rue de la Paix", "Hauptstraße", "Calle Mayor", "King Street", "Oak Avenue"}[s.rng.IntN(7)]))
	rec.Set(o.ShipCity, c.city.Name)
	rec.Set(o.ShipRegion, c.city.Region)
	rec.Set(o.ShipPostal, c.city.Postal)
	rec.Set(o.ShipCountry, c.country.Code)
	a := acquisitions[c.acqIdx]
	rec.Set(o.AcqSource, a.Source)
	rec.Set(o.AcqMedium, a.Medium)
	rec.Set(o.AcqCampaign, a.Campaign)
	rec.Set(o.AdAngle, c.angle)
	if a.Source != "direct" {
		rec.Set(o.LandingSite, fmt.Sprintf("/products/coffee?utm_source=%s&utm_medium=%s&utm_campaign=%s", a.Source, a.Medium, a.Campaign))
	}
	rec.Set(o.AccessToken, token.New())
	rec.Set(o.GiftToken, token.New())
	rec.Set(o.State, c.rec.GetString(cf.State))

	// Lines: 1-3 products by popularity, never the same SKU twice.
	n := 1 + pick(s.rng, 3, func(i int) int { return []int{60, 30, 10}[i] })
	chosen := map[int]bool{}
	var subtotal int
	itemsCol, err := tx.FindCachedCollectionByNameOrId(schema.COrderItems)
	if err != nil {
		return nil, err
	}
	var lines []*core.Record
	for len(chosen) < n {
		idx := pick(s.rng, len(catalogue), func(i int) int { return catalogue[i].Weight })
		if chosen[idx] {
			continue
		}
		chosen[idx] = true
		p := catalogue[idx]
		qty := 1
		if p.Type == schema.TypeConsumable && s.rng.IntN(3) == 0 {
			qty = 2
		}
		prod, err := tx.FindFirstRecordByData(schema.CProducts, schema.Products.SKU, p.SKU)
		if err != nil {
			return nil, fmt.Errorf("demo product %s: %w", p.SKU, err)
		}
		oi := schema.OrderItems
		line := core.NewRecord(itemsCol)
		line.Set(oi.Product, prod.Id)
		line.Set(oi.ExternalID, fmt.Sprintf("demo-%d-%d", number, len(lines)+1))
		line.Set(oi.SKU, p.SKU)
		title := p.Title
		if p.Variant != "" {
			title += " — " + p.Variant
		}
		line.Set(oi.Title, title)
		line.Set(oi.Quantity, qty)
		line.Set(oi.PriceCents, p.PriceCents)
		subtotal += p.PriceCents * qty
		lines = append(lines, line)
	}
	shipping := 595
	if c.country.Code != "US" {
		shipping = 1500
	} else if subtotal >= 5000 {
		shipping = 0
	}
	rec.Set(o.SubtotalCents, subtotal)
	rec.Set(o.ShippingCents, shipping)
	rec.Set(o.TotalCents, subtotal+shipping)
	if err := tx.Save(rec); err != nil {
		return nil, fmt.Errorf("seed order %d: %w", number, err)
	}
	for _, l := range lines {
		l.Set(schema.OrderItems.Order, rec.Id)
		if err := tx.Save(l); err != nil {
			return nil, fmt.Errorf("seed order %d line: %w", number, err)
		}
	}
	return rec, nil
}

// pick returns an index chosen with the given weights.
func pick(r *rand.Rand, n int, weight func(int) int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += weight(i)
	}
	x := r.IntN(total)
	for i := 0; i < n; i++ {
		x -= weight(i)
		if x < 0 {
			return i
		}
	}
	return n - 1
}

func pickValue(r *rand.Rand, ws []weighted) string {
	return ws[pick(r, len(ws), func(i int) int { return ws[i].Weight })].Value
}

func phoneDigits(r *rand.Rand, country string) string {
	switch country {
	case "US", "CA":
		return fmt.Sprintf("%d555%04d", []int{212, 512, 503, 312, 305, 720, 918, 206, 617, 416, 604}[r.IntN(11)], r.IntN(10000))
	case "GB":
		return "7700900" + fmt.Sprintf("%03d", r.IntN(1000))
	case "DE":
		return "15510" + fmt.Sprintf("%06d", r.IntN(1000000))
	case "FR":
		return "6" + fmt.Sprintf("%08d", r.IntN(100000000))
	case "AU":
		return "491570" + fmt.Sprintf("%03d", r.IntN(1000))
	}
	return "6" + fmt.Sprintf("%08d", r.IntN(100000000))
}

func asciiLower(s string) string {
	r := strings.NewReplacer("é", "e", "ü", "u", "ó", "o", "è", "e")
	return strings.ToLower(r.Replace(s))
}
