package storefront_test

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"porchlight/hooks/schema"
	"porchlight/hooks/storefront"
)

func TestImportCommandReportsPerLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cmd := storefront.ImportCommand(e.app, e.sf)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"orders", filepath.Join("csvimport", "testdata", "broken.csv")})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "row error") {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"line 4, placed_at:", "line 6, quantity: must be greater than 0", "(order 3002 not imported)"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr misses %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "\r[") {
		t.Errorf("progress bar drawn on a non-terminal")
	}
	if !strings.Contains(out.String(), "5 created") {
		t.Errorf("stdout = %q", out.String())
	}
	// Again: nothing changes.
	out.Reset()
	cmd.SetArgs([]string{"orders", filepath.Join("csvimport", "testdata", "good.csv")})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	cmd.SetArgs([]string{"orders", filepath.Join("csvimport", "testdata", "good.csv")})
	out.Reset()
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 created, 0 updated, 3 unchanged") {
		t.Errorf("re-import: %q", out.String())
	}
}

func TestShopifyCancelledOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := []delivery{deliveryFor(t, "orders/create"), {
		Topic: "orders/cancelled", File: "orders_cancelled.json", WebhookID: "cancel-1", EventID: "cancel-evt-1",
		TriggeredAt: "2025-03-14T16:00:03Z",
	}}
	e.deliverShopify(ds)
	o := firstRecord(t, e.app, schema.COrders)
	if o.GetString(schema.Orders.Status) != schema.OrderCancelled || o.GetString(schema.Orders.CancelledAt) == "" {
		t.Errorf("cancelled order = %v", o.FieldsData())
	}
}

func TestRevokedAPITokenRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := apiToken(t, e.app)
	rec, err := e.app.FindFirstRecordByData(schema.CAPITokens, schema.APITokens.Token, tok)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set(schema.APITokens.Active, false)
	if err := e.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.api(storefront.OrdersAPIPath, "Bearer "+tok, apiOrder), http.StatusUnauthorized)
}

// Posting the same shipment (same external id) with a corrected tracking
// number updates it instead of adding a parcel.
func TestRESTShipmentCorrectedTrackingNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := "Bearer " + apiToken(t, e.app)
	mustStatus(t, e.api(storefront.OrdersAPIPath, tok, apiOrder), http.StatusCreated)
	first := `{"order_external_id":"ERP-1001","external_id":"parcel-1","carrier":"UPS","tracking_number":"1Z999AA10123456780"}`
	fixed := `{"order_external_id":"ERP-1001","external_id":"parcel-1","carrier":"UPS","tracking_number":"1Z999AA10123456784"}`
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, tok, first), http.StatusCreated)
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, tok, fixed), http.StatusOK)
	mustStatus(t, e.api(storefront.ShipmentsAPIPath, tok, fixed), http.StatusOK)
	sh := firstRecord(t, e.app, schema.CShipments)
	if sh.GetString(schema.Shipments.TrackingNumber) != "1Z999AA10123456784" {
		t.Errorf("shipment = %v", sh.FieldsData())
	}
}

func TestAcquisitionWithoutUTMFromReferrer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := "Bearer " + apiToken(t, e.app)
	body := strings.Replace(apiOrder, `"acquisition": {"source": "newsletter", "ad_angle": "durability"}`,
		`"acquisition": {"referring_site": "https://www.google.co.uk/", "ad_angle": "durability"}`, 1)
	mustStatus(t, e.api(storefront.OrdersAPIPath, tok, body), http.StatusCreated)
	o := firstRecord(t, e.app, schema.COrders)
	if o.GetString(schema.Orders.AcqSource) != "google" || o.GetString(schema.Orders.AcqMedium) != "referral" {
		t.Errorf("acquisition = %s / %s", o.GetString(schema.Orders.AcqSource), o.GetString(schema.Orders.AcqMedium))
	}
}
