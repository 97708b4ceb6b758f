package tracking_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/schema"
	"porchlight/hooks/tracking/status"
)

// Vocabulary missing from the mapping tables lands on a safe status with the
// raw value kept; hostile text is stored as text, the raw value cleaned.
func TestIngestUnknownVocabularyAndHostileText(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, now, nil, "")
	ship := e.newShipment(t, e.order, "1Z5R89390357567127", "ups", nil)
	body := strings.NewReplacer(
		`"status": "in_transit",
        "status_detail": "arrived_at_facility",
        "datetime": "2026-11-20T14:48:00Z"`, `"status": "teleported\u202e",
        "status_detail": "beamed_up",
        "datetime": "2026-11-20T14:48:00Z"`,
		"Arrived at USPS Regional Origin Facility", `<img src=x onerror=alert(1)>'; DROP TABLE shipments;--`,
		"9400111206206406260787", "1Z5R89390357567127",
	).Replace(string(fixture(t, "easypost", "event_tracker_updated.json")))
	w, err := easypost.New(easypost.Config{}).ParseWebhook([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // twice: stored once
		if err := e.app.RunInTransaction(func(tx coreApp) error {
			_, err := e.trk.Ingest(tx, "easypost", w.Updates[0], true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	te := schema.TrackingEvents
	evs, err := e.app.FindAllRecords(schema.CTrackingEvents, dbx.HashExp{te.Shipment: ship.Id})
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %d, %v", len(evs), err)
	}
	var odd *struct{ st, raw, msg string }
	for _, ev := range evs {
		if strings.HasPrefix(ev.GetString(te.RawStatus), "teleported") {
			odd = &struct{ st, raw, msg string }{ev.GetString(te.Status), ev.GetString(te.RawStatus), ev.GetString(te.Message)}
		}
	}
	if odd == nil {
		t.Fatal("unknown raw status not kept")
	}
	if odd.st != string(status.UnknownStatus("teleported")) || strings.ContainsRune(odd.raw, '\u202e') || !strings.Contains(odd.msg, "<img") {
		t.Errorf("unknown event = %+v", *odd)
	}
	if got := e.reload(t, ship.Id).GetString(schema.Shipments.Status); got != string(status.InTransit) {
		t.Errorf("status = %s", got)
	}
	// A number that normalises to nothing is refused, not stored.
	err = e.app.RunInTransaction(func(tx coreApp) error {
		_, err := e.trk.Ingest(tx, "easypost", carriers.Update{TrackingNumber: " \u200b-\t"}, true)
		return err
	})
	if !errors.Is(err, carriers.ErrMalformed) {
		t.Errorf("empty number: err = %v", err)
	}
}
