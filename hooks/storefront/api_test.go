package storefront_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
	"porchlight/hooks/storefront"
	"porchlight/hooks/testapp"
)

func apiToken(t *testing.T, app core.App) string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(schema.CAPITokens)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.NewRecord(col)
	rec.Set(schema.APITokens.Name, "ERP")
	rec.Set(schema.APITokens.Active, true)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	return rec.GetString(schema.APITokens.Token)
}

func (e *env) api(path, auth, body string) *httptest.ResponseRecorder {
	req := httpRequest(path, []byte(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return e.do(req)
}

const apiOrder = `{
  "external_id": "ERP-1001", "number": "1001", "placed_at": "2025-03-01T10:00:00Z", "currency": "USD",
  "total_cents": 4200, "customer": {"email": "Ana@Example.com", "first_name": "Ana"},
  "shipping_address": {"country": "US", "city": "Austin"},
  "items": [{"sku": "SKU-API", "title": "API thing", "quantity": 2, "price_cents": 2100}],
  "acquisition": {"source": "newsletter", "ad_angle": "durability"}
}`

func TestRESTOrdersAndShipments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := apiToken(t, e.app)
	if len(tok) < 32 {
		t.Fatalf("generated token %q", tok)
	}

	// Auth required.
	mustStatus(t, e.api(storefront.OrdersAPIPath, "", apiOrder), http.StatusUnauthorized)
	mustStatus(t, e.api(storefront.OrdersAPIPath, "Bearer plt_not_a_real_token_000000000000000000", apiOrder), http.StatusUnauthorized)

	rec := e.api(storefront.OrdersAPIPath, "Bearer "+tok, apiOrder)
	mustStatus(t, rec, http.StatusCreated)
	// Idempotent on the external id.
	mustStatus(t, e.api(storefront.OrdersAPIPath, "Bearer "+tok, apiOrder), http.StatusOK)
	if !strings.Contains(e.api(storefront.OrdersAPIPath, "Bearer "+tok, apiOrder).Body.String(), `"outcome":"unchanged"`) {
		t.Errorf("repeat is not unchanged")
	}
	if n := count(t, e.app, schema.COrders); n != 1 {
		t.Fatalf("%d orders", n)
	}
	o := firstRecord(t, e.app, schema.COrders)
	if o.GetString(schema.Orders.Source) != "api" || o.GetString(schema.Orders.Email) != "ana@example.com" || o.GetString(schema.Orders.AdAngle) != "durability" {
		t.Errorf("order = %v", o.FieldsData())
	}

	// A superuser works too.
	su := testapp.Superuser(t, e.app)
	ship := `{"order_external_id": "ERP-1001", "carrier": "UPS", "tracking_number": "1Z999AA10123456784", "status": "in_transit", "shipped_at": "2025-03-02T09:00:00Z"}`
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, su, ship), http.StatusCreated)
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, su, ship), http.StatusOK)
	if n := count(t, e.app, schema.CShipments); n != 1 {
		t.Fatalf("%d shipments", n)
	}
	sh := firstRecord(t, e.app, schema.CShipments)
	if sh.GetString(schema.Shipments.Carrier) != "ups" || sh.GetString(schema.Shipments.Status) != "in_transit" {
		t.Errorf("shipment = %v", sh.FieldsData())
	}
	o = firstRecord(t, e.app, schema.COrders)
	if o.GetString(schema.Orders.Status) != "in_transit" {
		t.Errorf("order status = %s", o.GetString(schema.Orders.Status))
	}
}

func TestRESTValidationErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := "Bearer " + apiToken(t, e.app)
	type fe struct{ Field, Error string }
	errorsOf := func(rec *httptest.ResponseRecorder) map[string]string {
		var body struct{ Errors []fe }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("body %s: %v", rec.Body.String(), err)
		}
		out := map[string]string{}
		for _, f := range body.Errors {
			out[f.Field] = f.Error
		}
		return out
	}
	cases := []struct {
		name, path, body string
		fields           []string
	}{
		{"bad email and currency", storefront.OrdersAPIPath,
			`{"external_id":"x","number":"1","placed_at":"2025-03-01T10:00:00Z","currency":"dollars","total_cents":1,"customer":{"email":"not-an-email"},"items":[{"title":"t","quantity":0}]}`,
			[]string{"customer.email", "currency", "items[0].quantity"}},
		{"missing ids", storefront.OrdersAPIPath, `{"currency":"USD"}`, []string{"external_id", "number", "placed_at"}},
		{"wrong type", storefront.OrdersAPIPath, `{"external_id": 12}`, []string{"external_id"}},
		{"unknown field", storefront.OrdersAPIPath, `{"externalId": "12"}`, []string{"externalId"}},
		{"shipment", storefront.ShipmentsAPIPath, `{"tracking_url":"javascript:alert(1)","status":"lost-in-space"}`,
			[]string{"order_external_id", "tracking_number", "tracking_url", "status"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := e.api(c.path, tok, c.body)
			mustStatus(t, rec, http.StatusBadRequest)
			got := errorsOf(rec)
			for _, f := range c.fields {
				if got[f] == "" {
					t.Errorf("no error for %s in %s", f, rec.Body.String())
				}
			}
		})
	}
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, tok, `{"order_external_id":"nope","tracking_number":"1Z999AA10123456784"}`), http.StatusBadRequest)
	if n := count(t, e.app, schema.COrders); n != 0 {
		t.Errorf("invalid bodies stored %d orders", n)
	}
}

func csvFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("csvimport", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCSVImportBrokenRowsAndReimport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rep, err := e.sf.ImportCSV(e.app, bytes.NewReader(csvFile(t, "broken.csv")), storefront.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) == 0 || rep.Created == 0 {
		t.Fatalf("report = %+v", rep)
	}
	for _, re := range rep.Errors {
		if re.Line < 2 || re.Reason == "" {
			t.Errorf("row error without line or reason: %+v", re)
		}
		// A bad row never half-imports its order.
		if re.Order != "" {
			if o, _ := e.app.FindFirstRecordByData(schema.COrders, schema.Orders.Number, re.Order); o != nil {
				t.Errorf("order %s imported despite a bad row (line %d: %s)", re.Order, re.Line, re.Reason)
			}
		}
	}
	before := dump(t, e.app)
	again, err := e.sf.ImportCSV(e.app, bytes.NewReader(csvFile(t, "broken.csv")), storefront.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != rep.Created {
		t.Errorf("re-import = %+v (first %+v)", again, rep)
	}
	if dump(t, e.app) != before {
		t.Errorf("re-import changed the state")
	}
}

func TestCSVImportFormatsAndUploadRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	su := testapp.Superuser(t, e.app)
	upload := func(auth string, name string) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(csvFile(t, name))
		mw.Close()
		req := httptest.NewRequest(http.MethodPost, storefront.ImportAPIPath, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return e.do(req)
	}
	mustStatus(t, upload("", "good.csv"), http.StatusUnauthorized)
	tok := apiToken(t, e.app)
	if rec := upload("Bearer "+tok, "good.csv"); rec.Code == http.StatusOK {
		t.Fatalf("API token may not use the admin upload")
	}
	rec := upload(su, "good.csv")
	mustStatus(t, rec, http.StatusOK)
	var rep storefront.ImportReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Created != 3 || len(rep.Errors) != 0 {
		t.Errorf("good.csv report = %s", rec.Body.String())
	}
	o, err := e.app.FindFirstRecordByData(schema.COrders, schema.Orders.ExternalID, "legacy-88412")
	if err != nil {
		t.Fatal(err)
	}
	if o.GetInt(schema.Orders.TotalCents) != 9140 || o.GetString(schema.Orders.Source) != "csv" {
		t.Errorf("order 2001 = %v", o.FieldsData())
	}
	ships, _ := e.app.FindAllRecords(schema.CShipments)
	if len(ships) != 2 {
		t.Errorf("%d shipments from good.csv, want 2", len(ships))
	}
	mustStatus(t, upload(su, "shopify_export.csv"), http.StatusOK)
	if _, err := e.app.FindFirstRecordByData(schema.COrders, schema.Orders.ExternalID, "5820183011455"); err != nil {
		t.Errorf("Shopify export order not imported: %v", err)
	}
}
