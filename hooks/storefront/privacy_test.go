package storefront_test

import (
	"net/http"
	"strings"
	"testing"

	"porchlight/hooks/schema"
)

func deliveryFor(t *testing.T, topic string) delivery {
	for _, d := range loadStory(t, shopifyDir) {
		if d.Topic == topic {
			return d
		}
	}
	t.Fatalf("no %s in story", topic)
	return delivery{}
}

func TestCustomersRedactErasesPIIKeepsAggregates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deliverShopify(storyWithout(t, isPrivacy))
	// A data request first: the export holds what we have.
	e.deliverShopify([]delivery{deliveryFor(t, "customers/data_request")})
	pr, err := e.app.FindFirstRecordByData(schema.CPrivacyRequests, schema.PrivacyRequests.Kind, schema.PrivacyDataRequest)
	if err != nil {
		t.Fatal(err)
	}
	exp := pr.GetString(schema.PrivacyRequests.Export)
	if !strings.Contains(exp, "maya.okafor@example.com") || !strings.Contains(exp, "1200 Bardstown Rd") || !strings.Contains(exp, "9400111899223197428490") {
		t.Errorf("export misses data: %s", exp)
	}
	if strings.Contains(exp, schema.Orders.AccessToken) {
		t.Errorf("export contains the access token")
	}

	e.deliverShopify([]delivery{deliveryFor(t, "customers/redact")})
	c := firstRecord(t, e.app, schema.CCustomers)
	cf := schema.Customers
	for _, f := range []string{cf.Email, cf.Phone, cf.FirstName, cf.LastName} {
		if c.GetString(f) != "" {
			t.Errorf("customer.%s = %q after redaction", f, c.GetString(f))
		}
	}
	if !c.GetBool(cf.Redacted) || c.GetString(cf.AcqSource) != "facebook" || c.GetString(cf.Country) != "US" {
		t.Errorf("customer after redaction = %v", c.FieldsData())
	}
	o := firstRecord(t, e.app, schema.COrders)
	of := schema.Orders
	for _, f := range []string{of.Email, of.Phone, of.ShipName, of.ShipLine1, of.ShipLine2, of.ShipCity, of.ShipPostal, of.Note} {
		if o.GetString(f) != "" {
			t.Errorf("order.%s = %q after redaction", f, o.GetString(f))
		}
	}
	if !o.GetBool(schema.OrderIngest.Redacted) || o.GetInt(of.TotalCents) != 7499 || o.GetString(of.ShipCountry) != "US" ||
		o.GetString(of.AdAngle) != "gift-for-mom" || count(t, e.app, schema.COrderItems) != 2 || count(t, e.app, schema.CShipments) != 1 {
		t.Errorf("aggregates lost: %v", o.FieldsData())
	}
	// No raw delivery still holds the email or the street.
	recs, err := e.app.FindAllRecords(schema.CWebhookReceipts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		body := r.GetString(schema.WebhookReceipts.Body)
		if strings.Contains(body, "maya.okafor@example.com") || strings.Contains(body, "Bardstown") {
			t.Errorf("receipt %s (%s) still holds personal data", r.Id, r.GetString(schema.WebhookReceipts.Topic))
		}
	}
	// The tombstone keeps no identifiers in clear.
	tomb, err := e.app.FindFirstRecordByData(schema.CPrivacyRequests, schema.PrivacyRequests.Kind, schema.PrivacyCustomerRedact)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tomb.GetString(schema.PrivacyRequests.Email), "@") {
		t.Errorf("tombstone keeps the email in clear")
	}
	// A late Shopify retry of the order (new webhook id, newer trigger)
	// does not bring the data back.
	late := deliveryFor(t, "orders/updated")
	late.WebhookID, late.EventID, late.TriggeredAt = "late-retry", "late-evt", "2025-04-12T00:00:00Z"
	body := strings.Replace(string(fixture(t, shopifyDir, late.File)), `"updated_at": "2025-03-14T11:02:45-04:00"`, `"updated_at": "2025-04-11T12:00:00-04:00"`, 1)
	mustStatus(t, e.postShopify(late, []byte(body)), http.StatusOK)
	e.drain()
	o = firstRecord(t, e.app, schema.COrders)
	if o.GetString(of.Email) != "" || o.GetString(of.ShipLine1) != "" {
		t.Errorf("late delivery restored personal data: %v", o.FieldsData())
	}
	c = firstRecord(t, e.app, schema.CCustomers)
	if c.GetString(cf.Email) != "" || c.GetString(cf.FirstName) != "" {
		t.Errorf("late delivery restored customer data: %v", c.FieldsData())
	}
}

func TestShopRedactErasesEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deliverShopify(storyWithout(t, isPrivacy))
	e.deliverShopify([]delivery{deliveryFor(t, "shop/redact")})
	o := firstRecord(t, e.app, schema.COrders)
	c := firstRecord(t, e.app, schema.CCustomers)
	if o.GetString(schema.Orders.Email) != "" || !o.GetBool(schema.OrderIngest.Redacted) || c.GetString(schema.Customers.Email) != "" {
		t.Errorf("shop/redact left data: %v / %v", o.FieldsData(), c.FieldsData())
	}
	if o.GetInt(schema.Orders.TotalCents) != 7499 {
		t.Errorf("aggregates lost")
	}
}

// Hostile strings are stored as data: HTML, SQL, control characters and a
// 10 KB name.
func TestHostileStringsStoredAsData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := string(fixture(t, shopifyDir, "orders_create.json"))
	huge := strings.Repeat("Ω", 10_000)
	body = strings.ReplaceAll(body, `"first_name": "Maya"`, `"first_name": "`+huge+`"`)
	body = strings.Replace(body, `"note": "Please leave with the neighbour at #5 if nobody's home."`,
		`"note": "<script>alert(1)</script>'); DROP TABLE orders; --\u0007bell"`, 1)
	d := delivery{Topic: "orders/create", WebhookID: "hostile-1", TriggeredAt: "2025-03-14T14:21:09Z"}
	mustStatus(t, e.postShopify(d, []byte(body)), http.StatusOK)
	e.drain()
	r, err := e.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "hostile-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.GetString(schema.WebhookReceipts.Status) != schema.ReceiptDone {
		t.Fatalf("hostile order not processed: %v", r.FieldsData())
	}
	o := firstRecord(t, e.app, schema.COrders)
	note := o.GetString(schema.Orders.Note)
	if !strings.Contains(note, "<script>alert(1)</script>'); DROP TABLE orders; --") || strings.ContainsRune(note, '\u0007') {
		t.Errorf("note = %q", note)
	}
	c := firstRecord(t, e.app, schema.CCustomers)
	if n := len([]rune(c.GetString(schema.Customers.FirstName))); n == 0 || n > 200 {
		t.Errorf("10 KB name stored with %d runes", n)
	}
	if count(t, e.app, schema.COrders) != 1 {
		t.Errorf("orders table damaged")
	}
}
