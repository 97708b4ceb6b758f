package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/schema"
	"porchlight/hooks/sqlitedb"
	"porchlight/hooks/startup"
	"porchlight/hooks/tracking/timeline"
	_ "porchlight/migrations"
)

// Superuser the record-view phase authenticates as.
const (
	suEmail = "bench@example.com"
	suPass  = "bench-password-123"
)

// parcel is what the ingest phase needs to address one seeded shipment.
type parcel struct {
	ID, Carrier, Number string
}

// dataset is what seeding made, kept in memory so the load generator can
// pick random orders without asking the server.
type dataset struct {
	OrderIDs  []string
	Tokens    []string
	Parcels   []parcel
	Customers int
	Items     int
	Events    int
	Took      time.Duration
}

// seedOpts shapes the generated store.
type seedOpts struct {
	Orders  int
	Parcels int // shipments per order
	Seed    uint64
	Now     time.Time
}

// bootstrap opens (creating) a PocketBase data dir in this process and runs
// Porchlight's migrations, so the server later finds a ready schema.
func bootstrap(dir string) (*core.BaseApp, error) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir,
		DataMaxOpenConns: sqlitedb.MaxOpenConns, DataMaxIdleConns: sqlitedb.MaxIdleConns, DBConnect: sqlitedb.Connect})
	if err := app.Bootstrap(); err != nil {
		return nil, fmt.Errorf("bootstrap %s: %w", dir, err)
	}
	if err := app.RunAppMigrations(); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	// What the server does when it boots (startup.Register), for the
	// in-process profiles.
	if err := sqlitedb.ForgetValueSamples(app.NonconcurrentDB()); err != nil {
		return nil, err
	}
	return app, nil
}

// seed writes the store straight into SQLite: prepared INSERTs in large
// transactions on one connection with a big page cache. Going through
// app.Save would run validation and hooks per record (minutes for 100k
// orders); the server never notices the difference, since records are rows.
func seed(dir string, o seedOpts) (*dataset, error) {
	start := time.Now()
	app, err := bootstrap(dir)
	if err != nil {
		return nil, err
	}
	defer app.ResetBootstrapState()
	if err := startup.Seed(app, content.FS); err != nil {
		return nil, fmt.Errorf("seed brand and guides: %w", err)
	}
	if err := upsertSuperuser(app); err != nil {
		return nil, err
	}
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, fmt.Errorf("unexpected db type %T", app.NonconcurrentDB())
	}
	g := &generator{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0xbe4c)), now: o.Now.UTC()}
	ds, err := g.write(db.DB(), o)
	if err != nil {
		return nil, err
	}
	ds.Took = time.Since(start)
	return ds, nil
}

func upsertSuperuser(app core.App) error {
	col, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	rec, err := app.FindAuthRecordByEmail(col, suEmail)
	if err != nil {
		rec = core.NewRecord(col)
	}
	rec.SetEmail(suEmail)
	rec.SetPassword(suPass)
	if err := app.Save(rec); err != nil {
		return fmt.Errorf("create superuser: %w", err)
	}
	return nil
}

type generator struct {
	rng *rand.Rand
	now time.Time
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// id is a PocketBase-shaped record id: 15 characters of [a-z0-9].
func (g *generator) id() string {
	var b [15]byte
	for i := range b {
		b[i] = idAlphabet[g.rng.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// token has the shape of hooks/token (26 chars of base32, lower case).
func (g *generator) token() string {
	const a = "abcdefghijklmnopqrstuvwxyz234567"
	var b [26]byte
	for i := range b {
		b[i] = a[g.rng.IntN(len(a))]
	}
	return string(b[:])
}

// dbTime is PocketBase's stored date format.
func dbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// insert prepares "INSERT INTO table (cols) VALUES (?...)" on tx.
func insert(tx *sql.Tx, table string, cols ...string) (*sql.Stmt, error) {
	q := make([]string, len(cols))
	quoted := make([]string, len(cols))
	for i, c := range cols {
		q[i] = "?"
		quoted[i] = `"` + c + `"`
	}
	return tx.Prepare(fmt.Sprintf(`INSERT INTO "%s" (%s) VALUES (%s)`, table, strings.Join(quoted, ","), strings.Join(q, ",")))
}

var (
	benchCarriers = []struct{ id, url string }{
		{"usps", "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s"},
		{"ups", "https://www.ups.com/track?loc=en_US&tracknum=%s"},
		{"fedex", "https://www.fedex.com/fedextrack/?trknbr=%s"},
		{"dhl", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=%s"},
	}
	benchCities = []struct{ city, region, postal, country string }{
		{"Portland", "OR", "97205", "US"}, {"Austin", "TX", "78701", "US"}, {"Chicago", "IL", "60601", "US"},
		{"Brooklyn", "NY", "11201", "US"}, {"Denver", "CO", "80202", "US"}, {"Seattle", "WA", "98101", "US"},
		{"Toronto", "ON", "M5V 2T6", "CA"}, {"Leeds", "", "LS1 4AP", "GB"},
	}
	// journey is a typical parcel's checkpoints, oldest first; a parcel
	// stops somewhere along it.
	journey = []struct{ status, raw, sub, msg string }{
		{"info_received", "pre_transit", "label_created", "Shipping label created, USPS awaiting item"},
		{"in_transit", "in_transit", "picked_up", "Accepted at USPS Origin Facility"},
		{"in_transit", "in_transit", "departed_facility", "Departed USPS Regional Facility"},
		{"in_transit", "in_transit", "arrived_at_facility", "Arrived at USPS Regional Facility"},
		{"in_transit", "in_transit", "departed_facility", "In Transit to Next Facility"},
		{"in_transit", "in_transit", "arrived_at_facility", "Arrived at Post Office"},
		{"out_for_delivery", "out_for_delivery", "", "Out for Delivery, Expected Delivery by 8:00pm"},
		{"delivered", "delivered", "", "Delivered, In/At Mailbox"},
		{"delivered", "delivered", "", "Delivered, Front Door/Porch"},
		{"delivered", "delivered", "", "Delivery confirmed by carrier"},
	}
	products = []struct {
		sku, title, kind string
		cents            int
	}{
		{"BEAN-HOUSE-250", "House Blend Beans 250g", schema.TypeConsumable, 1400},
		{"BEAN-ETH-250", "Ethiopia Guji 250g", schema.TypeConsumable, 1800},
		{"GRIND-HAND", "Hand Grinder", schema.TypeSetupHeavy, 8900},
		{"KETTLE-GOOSE", "Gooseneck Kettle", schema.TypeSetupHeavy, 6500},
		{"MUG-STONE", "Stoneware Mug", schema.TypeSimple, 2400},
		{"APRON-L", "Barista Apron L", schema.TypeFitSensitive, 3900},
		{"GIFT-CARD-50", "Gift Box", schema.TypeGift, 5000},
		{"FILTER-100", "Paper Filters x100", schema.TypeConsumable, 700},
	}
)

func (g *generator) trackingNumber(carrier string, n int) string {
	switch carrier {
	case "usps":
		return fmt.Sprintf("9400111%015d", n)
	case "ups":
		return fmt.Sprintf("1ZBENCH%011d", n)
	case "fedex":
		return fmt.Sprintf("7%014d", n)
	}
	return fmt.Sprintf("3%09d", n)
}

// write generates and inserts everything in transactions of batch orders.
func (g *generator) write(db *sql.DB, o seedOpts) (*dataset, error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Seeding only: a 1 GiB page cache on this connection keeps the random
	// index inserts (tokens, dedupe keys) in memory.
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size=-1000000"); err != nil {
		return nil, err
	}
	// Secondary indexes are dropped for the bulk insert and rebuilt after
	// it: building an index from sorted rows is many times faster than
	// inserting random keys (tokens, dedupe keys) into a B-tree bigger than
	// the cache, which made a 1M-order seed take close to an hour.
	rebuild, err := dropIndexes(ctx, conn, schema.CCustomers, schema.COrders, schema.COrderItems, schema.CShipments, schema.CTrackingEvents)
	if err != nil {
		return nil, err
	}
	ds := &dataset{OrderIDs: make([]string, 0, o.Orders), Tokens: make([]string, 0, o.Orders),
		Parcels: make([]parcel, 0, o.Orders*o.Parcels)}

	productIDs := make([]string, len(products))
	nCustomers := o.Orders*4/5 + 1
	customerIDs := make([]string, 0, nCustomers)
	customerEmails := make([]string, 0, nCustomers)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	stamp := dbTime(g.now)
	ps, err := insert(tx, schema.CProducts, "id", "sku", "title", "product_type", "price_cents", "source", "returnable", "created", "updated")
	if err != nil {
		return nil, err
	}
	for i, p := range products {
		productIDs[i] = g.id()
		if _, err := ps.Exec(productIDs[i], "BENCH-"+p.sku, p.title, p.kind, p.cents, schema.SourceAPI, true, stamp, stamp); err != nil {
			return nil, fmt.Errorf("insert product: %w", err)
		}
	}
	cs, err := insert(tx, schema.CCustomers, "id", "email", "phone", "first_name", "last_name", "locale", "country", "source", "external_id", "state", "unsubscribe_token", "created", "updated")
	if err != nil {
		return nil, err
	}
	for i := 0; i < nCustomers; i++ {
		id, email := g.id(), fmt.Sprintf("shopper%d@example.com", i)
		c := benchCities[g.rng.IntN(len(benchCities))]
		if _, err := cs.Exec(id, email, fmt.Sprintf("+1503555%04d", i%10000), "Sam", fmt.Sprintf("Shopper%d", i), "en", c.country,
			schema.SourceAPI, fmt.Sprintf("bench-c-%d", i), schema.StateContent, g.token(), stamp, stamp); err != nil {
			return nil, fmt.Errorf("insert customer: %w", err)
		}
		customerIDs = append(customerIDs, id)
		customerEmails = append(customerEmails, email)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	ds.Customers = nCustomers

	const batch = 2000
	tn := 0
	for lo := 0; lo < o.Orders; lo += batch {
		hi := min(lo+batch, o.Orders)
		if err := g.writeOrders(ctx, conn, ds, lo, hi, o, productIDs, customerIDs, customerEmails, &tn); err != nil {
			return nil, err
		}
	}
	for _, stmt := range rebuild {
		// A unique index that fails here means the generator made a
		// duplicate the real ingest path would have refused.
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("rebuild index: %w (%s)", err, stmt)
		}
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	return ds, nil
}

// dropIndexes drops the explicit indexes of tables (the primary key stays)
// and returns the statements that recreate them, exactly as the schema
// defined them.
func dropIndexes(ctx context.Context, conn *sql.Conn, tables ...string) ([]string, error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(tables)), ",") + `)`
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	var names, stmts []string
	for rows.Next() {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list indexes: %w", err)
		}
		names, stmts = append(names, name), append(stmts, stmt)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for _, n := range names {
		if _, err := conn.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return stmts, nil
}

func (g *generator) writeOrders(ctx context.Context, conn *sql.Conn, ds *dataset, lo, hi int, o seedOpts,
	productIDs, customerIDs, customerEmails []string, tn *int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ost, err := insert(tx, schema.COrders, "id", "source", "external_id", "number", "customer", "email", "placed_at",
		"currency", "total_cents", "subtotal_cents", "shipping_cents", "financial_status", "fulfillment_status", "status",
		"ship_name", "ship_line1", "ship_city", "ship_region", "ship_postal", "ship_country",
		"access_token", "gift_token", "state", "created", "updated")
	if err != nil {
		return err
	}
	is, err := insert(tx, schema.COrderItems, "id", "order", "product", "external_id", "sku", "title", "quantity", "price_cents", "fulfilled_qty", "created", "updated")
	if err != nil {
		return err
	}
	ss, err := insert(tx, schema.CShipments, "id", "order", "carrier", "tracking_number", "tracking_url", "service", "status",
		"substatus", "raw_status", "shipped_at", "edd_min", "edd_max", "edd_source", "last_event_at", "delivered_at", "source", "external_id", "created", "updated")
	if err != nil {
		return err
	}
	es, err := insert(tx, schema.CTrackingEvents, "id", "shipment", "carrier", "tracking_number", "occurred_at", "status",
		"substatus", "raw_status", "message", "location", "source", "dedupe_key", "created", "updated")
	if err != nil {
		return err
	}
	for i := lo; i < hi; i++ {
		// Orders spread over the last 90 days.
		placed := g.now.Add(-time.Duration(g.rng.Int64N(int64(90 * 24 * time.Hour))))
		ci := g.rng.IntN(len(customerIDs))
		c := benchCities[g.rng.IntN(len(benchCities))]
		id, tok := g.id(), g.token()
		nItems := 1 + g.rng.IntN(3)
		subtotal := 0
		for k := 0; k < nItems; k++ {
			pi := g.rng.IntN(len(products))
			p := products[pi]
			subtotal += p.cents
			if _, err := is.Exec(g.id(), id, productIDs[pi], fmt.Sprintf("bench-%d-%d", i, k), "BENCH-"+p.sku, p.title, 1, p.cents, 1, dbTime(placed), dbTime(placed)); err != nil {
				return fmt.Errorf("insert item: %w", err)
			}
		}
		ds.Items += nItems
		stamp := dbTime(placed)
		// The order's status is derived from the parcels below; "in_transit"
		// is a fine approximation for the page, which reads parcels.
		if _, err := ost.Exec(id, schema.SourceAPI, fmt.Sprintf("bench-%d", i), fmt.Sprintf("#%d", 100001+i), customerIDs[ci], customerEmails[ci], stamp,
			"USD", subtotal+595, subtotal, 595, "paid", "fulfilled", "in_transit",
			"Sam Shopper", fmt.Sprintf("%d Maple Street", 10+i%900), c.city, c.region, c.postal, c.country,
			tok, g.token(), schema.StateContent, stamp, stamp); err != nil {
			return fmt.Errorf("insert order: %w", err)
		}
		ds.OrderIDs = append(ds.OrderIDs, id)
		ds.Tokens = append(ds.Tokens, tok)

		for p := 0; p < o.Parcels; p++ {
			car := benchCarriers[g.rng.IntN(len(benchCarriers))]
			*tn++
			number := g.trackingNumber(car.id, *tn)
			sid := g.id()
			shipped := placed.Add(time.Duration(18+g.rng.IntN(30)) * time.Hour)
			// 4-10 checkpoints (mean 7): how far along its journey the parcel is.
			n := 4 + g.rng.IntN(7)
			at := shipped
			lastAt, delivered := "", ""
			type ev struct {
				at time.Time
				j  int
			}
			evs := make([]ev, 0, n)
			for k := 0; k < n; k++ {
				if at.After(g.now) {
					break // a recent parcel has not got that far yet
				}
				evs = append(evs, ev{at, k})
				at = at.Add(time.Duration(3+g.rng.IntN(14)) * time.Hour)
			}
			last := journey[0]
			if len(evs) > 0 {
				last = journey[len(evs)-1]
				lastAt = dbTime(evs[len(evs)-1].at)
			}
			if last.status == "delivered" {
				delivered = lastAt
			}
			eddMin := shipped.Add(72 * time.Hour)
			if _, err := ss.Exec(sid, id, car.id, number, fmt.Sprintf(car.url, number), "Ground Advantage", last.status,
				last.sub, last.raw, dbTime(shipped), dbTime(eddMin), dbTime(eddMin.Add(48*time.Hour)), "carrier", lastAt, delivered,
				"easypost", fmt.Sprintf("bench-%d-f%d", i, p+1), dbTime(shipped), cmp.Or(lastAt, dbTime(shipped))); err != nil {
				return fmt.Errorf("insert shipment: %w", err)
			}
			ds.Parcels = append(ds.Parcels, parcel{ID: sid, Carrier: car.id, Number: number})
			for _, e := range evs {
				j := journey[e.j]
				loc := c.city + ", " + c.region
				key := timeline.DedupeKey("easypost", number, e.at, j.status, j.msg, loc)
				if _, err := es.Exec(g.id(), sid, car.id, number, dbTime(e.at), j.status, j.sub, j.raw, j.msg, loc, "easypost", key,
					dbTime(e.at), dbTime(e.at)); err != nil {
					return fmt.Errorf("insert event: %w", err)
				}
			}
			ds.Events += len(evs)
		}
	}
	return tx.Commit()
}
